"""The program's single version number (kejiju_desktop.__version__) in the forms Windows wants."""

from __future__ import annotations

import re

from kejiju_desktop import APP_NAME, __version__

PUBLISHER = "县科学技术局"  # Windows shows it as the company; the installer reads it back from kejiju.exe


def version_tuple(version: str = __version__) -> tuple[int, int, int, int]:
    """Four numbers for a Windows FILEVERSION: "0.1.0" -> (0, 1, 0, 0); a suffix like "rc1" is dropped."""
    numbers = [n for n in re.match(r"[\d.]*", version.strip()).group(0).split(".") if n][:4]
    values = [int(n) for n in numbers] + [0] * (4 - len(numbers))
    if any(v > 0xFFFF for v in values):
        raise ValueError(f"version {version!r}: each part of a Windows version must be at most 65535")
    return tuple(values)  # type: ignore[return-value]


def version_string(version: str = __version__) -> str:
    """The dotted four-part form Windows shows: "0.1.0" -> "0.1.0.0"."""
    return ".".join(str(n) for n in version_tuple(version))


def windows_strings(exe_name: str, description: str, version: str = __version__) -> dict[str, str]:
    """The StringFileInfo entries of one program (shown in Explorer's Properties > Details)."""
    return {
        "CompanyName": PUBLISHER,
        "FileDescription": description,
        "FileVersion": version_string(version),
        "InternalName": exe_name,
        "LegalCopyright": PUBLISHER,
        "OriginalFilename": f"{exe_name}.exe",
        "ProductName": APP_NAME,
        "ProductVersion": version,
    }
