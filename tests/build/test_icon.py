"""The committed program icon is what installer/make_icon.py draws, in every size Windows asks for."""

import importlib.util
from pathlib import Path

from PIL import Image, ImageChops

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "resources" / "icons"


def _make_icon():
    spec = importlib.util.spec_from_file_location("make_icon", ROOT / "installer" / "make_icon.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_png_is_what_the_script_draws():
    drawn = _make_icon().draw().convert("RGBA")
    with Image.open(ICONS / "kejiju.png") as png:
        committed = png.convert("RGBA")
    assert committed.size == (256, 256)
    assert ImageChops.difference(drawn, committed).getbbox() is None


def test_ico_holds_small_and_large_sizes():
    with Image.open(ICONS / "kejiju.ico") as ico:
        sizes = set(ico.info["sizes"])
        ico.size = (16, 16)
        small = ico.convert("RGBA")
    assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= sizes
    corner, centre = small.getpixel((0, 0)), small.getpixel((8, 8))
    assert corner[3] < 128  # rounded, transparent corner
    assert centre[3] == 255  # opaque page
