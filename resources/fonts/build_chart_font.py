"""Rebuild the chart font: Noto Sans CJK SC cut to GB2312 + ASCII, renamed (DESIGN §8)."""

import subprocess
import sys
import tempfile
from pathlib import Path

from fontTools.ttLib import TTFont

SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
FACE = 2  # Noto Sans CJK SC
HERE = Path(__file__).resolve().parent
OUT = HERE / "KejijuChartSans-Regular.otf"
FAMILY = "Kejiju Chart Sans"
POSTSCRIPT = "KejijuChartSans-Regular"


def gb2312_text() -> str:
    """Every character of GB2312 plus printable ASCII and the full-width forms charts use."""
    chars = [chr(c) for c in range(0x20, 0x7F)]
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(chars) + "—～％（）：，。、"


def rename(path: Path) -> None:
    font = TTFont(path)
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 16):
            names.setName(FAMILY, record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID in (4,):
            names.setName(f"{FAMILY} Regular", 4, record.platformID, record.platEncID, record.langID)
        elif record.nameID in (3, 6, 20):
            names.setName(POSTSCRIPT, record.nameID, record.platformID, record.platEncID, record.langID)
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [POSTSCRIPT]
        top = cff.topDictIndex[0]
        top.FullName = f"{FAMILY} Regular"
        top.FamilyName = FAMILY
    font.save(path)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        text_file = Path(tmp) / "chars.txt"
        text_file.write_text(gb2312_text(), encoding="utf-8")
        cmd = [
            sys.executable, "-m", "fontTools.subset", str(SOURCE), f"--font-number={FACE}",
            f"--text-file={text_file}", f"--output-file={OUT}", "--layout-features=*", "--no-hinting",
            "--name-IDs=*", "--name-languages=*",
        ]  # fmt: skip
        subprocess.run(cmd, check=True)
    rename(OUT)
    print(OUT, OUT.stat().st_size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
