"""Draw the program icon (resources/icons/kejiju.ico and .png) with Pillow: a report sheet with a bar chart."""

from pathlib import Path

from PIL import Image, ImageDraw

ICON_DIR = Path(__file__).resolve().parents[1] / "resources" / "icons"
SIZE = 256
BLUE = (21, 84, 160, 255)
RED = (200, 40, 40, 255)
PAPER = (255, 255, 255, 255)
BARS = ((70, 132, 196, 255), (21, 84, 160, 255), (200, 40, 40, 255))
ICO_SIZES = [(16, 16), (20, 20), (24, 24), (32, 32), (40, 40), (48, 48), (64, 64), (128, 128), (256, 256)]


def draw(size: int = SIZE) -> Image.Image:
    """The icon at `size` pixels, drawn at 4x and scaled down for smooth edges."""
    big = size * 4
    unit = big / 256
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(img)
    pen.rounded_rectangle([8 * unit, 8 * unit, 248 * unit, 248 * unit], radius=44 * unit, fill=BLUE)
    pen.rounded_rectangle([52 * unit, 36 * unit, 204 * unit, 220 * unit], radius=12 * unit, fill=PAPER)
    # the red head of an official document, then a bar chart on the page
    pen.rectangle([52 * unit, 36 * unit, 204 * unit, 58 * unit], fill=RED)
    for i, height in enumerate((50, 84, 118)):
        left = (76 + i * 38) * unit
        pen.rectangle([left, (196 - height) * unit, left + 26 * unit, 196 * unit], fill=BARS[i])
    pen.rectangle([70 * unit, 198 * unit, 186 * unit, 203 * unit], fill=BLUE)
    return img.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    """Write the .png (window icon) and the multi-size .ico (Windows program and installer)."""
    ICON_DIR.mkdir(parents=True, exist_ok=True)
    image = draw()
    image.save(ICON_DIR / "kejiju.png", optimize=True)
    image.save(ICON_DIR / "kejiju.ico", sizes=ICO_SIZES)
    print(f"wrote {ICON_DIR / 'kejiju.png'} and {ICON_DIR / 'kejiju.ico'}")


if __name__ == "__main__":
    main()
