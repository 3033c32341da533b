"""The one version number and the forms Windows' version information and the installer take from it."""

import tomllib
from pathlib import Path

import pytest

from kejiju_desktop import APP_NAME, __version__
from kejiju_desktop.version import version_string, version_tuple, windows_strings

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("0.1.0", (0, 1, 0, 0)),
        ("1", (1, 0, 0, 0)),
        ("2.3.4.5", (2, 3, 4, 5)),
        ("2.3.4.5.6", (2, 3, 4, 5)),
        ("1.2rc1", (1, 2, 0, 0)),
        ("1.4.0.dev3", (1, 4, 0, 0)),
        ("3.0+local", (3, 0, 0, 0)),
    ],
)
def test_version_tuple_has_four_numbers(version, expected):
    assert version_tuple(version) == expected


def test_a_part_over_65535_is_refused():
    with pytest.raises(ValueError, match="65535"):
        version_tuple("1.70000")


def test_program_version_fits_windows():
    assert len(version_tuple()) == 4
    assert version_string() == ".".join(map(str, version_tuple()))
    assert version_string().startswith(__version__)


def test_windows_strings_name_the_program_and_its_version():
    strings = windows_strings("kejiju-cli", f"{APP_NAME}（命令行）")
    assert strings["OriginalFilename"] == "kejiju-cli.exe"
    assert strings["ProductName"] == APP_NAME
    assert strings["ProductVersion"] == __version__  # the installer reads this string back from kejiju.exe
    assert strings["FileVersion"] == version_string()
    assert all(isinstance(v, str) and v for v in strings.values())


def test_pyproject_carries_the_same_version():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["version"] == __version__
