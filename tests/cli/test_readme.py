"""The README's commands run as written: the venv's own Python, the CI's exact commands, Qt's xcb libraries."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI_RUN = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def code_lines(text: str) -> list[str]:
    blocks = re.findall(r"```\n(.*?)```", text, flags=re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_every_example_runs_main_py_with_the_venvs_python():
    # A bare `python` after `python3 -m venv .venv` without activating it has none of the requirements.
    runs = code_lines(README) + re.findall(r"`([^`\n]*main\.py[^`\n]*)`", README)
    assert runs
    bare = [line for line in runs if re.search(r"(^|\s)python3? main\.py", line)]
    assert bare == []


def test_the_two_commands_at_the_top_are_the_ones_ci_runs():
    install, tests = code_lines(README)[:2]
    assert install.startswith("python3 -m venv .venv") and install.endswith(".venv/bin/python main.py")
    assert tests in CI_RUN.splitlines()


def _debian_package(soname: str) -> str:
    # Debian's library package name: the name lowercased, then the ABI version ("-" between two digits).
    name, version = re.match(r"(lib[\w+-]+?)\.so\.(\d+)", soname).groups()
    return name.lower() + ("-" if name[-1].isdigit() else "") + version


def _xcb_libraries() -> set[str]:
    import PySide6

    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    if not plugin.exists() or shutil.which("ldd") is None:
        pytest.skip("needs PySide6's xcb plugin and ldd (Linux)")
    out = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, check=True).stdout
    return set(re.findall(r"^\s*((?:libxcb|libxkbcommon|libX11-xcb)[\w.-]*\.so\.\d+)", out, flags=re.M))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt's xcb platform is Linux's")
def test_readme_and_ci_name_every_xcb_library_qt_links_to():
    packages = {_debian_package(soname) for soname in _xcb_libraries()}
    assert {"libxcb-icccm4", "libxcb-keysyms1", "libxcb-cursor0"} <= packages
    for text in (README, CI_RUN):
        named = set(re.findall(r"lib[\w.+-]+", text))
        assert packages - named == set()
