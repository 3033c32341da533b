"""--screenshot renders off screen by itself, on a machine with no display and no platform chosen."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_screenshot_without_a_display_or_a_chosen_platform_writes_a_png(tmp_path, demo_file):
    copy = tmp_path / "demo.kjdb"
    shutil.copyfile(demo_file, copy)
    out = tmp_path / "window.png"
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--db", str(copy), "--screenshot", str(out), "--tab", "patents"],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=180, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:8] == PNG_MAGIC


def test_screenshot_of_an_unusable_file_says_why_on_the_terminal_and_ends(tmp_path):
    # Off screen a message box waits for a click no one can give: the command hung for ever.
    junk = tmp_path / "坏.kjdb"
    junk.write_bytes(b"not a database at all" * 100)
    out = tmp_path / "window.png"
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--db", str(junk), "--screenshot", str(out)],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=60, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 1
    assert "坏.kjdb" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()
