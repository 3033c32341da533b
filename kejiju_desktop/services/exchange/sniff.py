"""What a file to import really is, told from its content (never its name) before any reader opens it."""

from __future__ import annotations

import zipfile
from pathlib import Path

from kejiju_desktop import messages

XLSX, XLSB, ODS, XLS, CSV = "xlsx", "xlsb", "ods", "xls", "csv"
TEXT_SUFFIXES = (".csv", ".txt")
CFB_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
XLSB_CONTENT_TYPE = b"sheet.binary.macroEnabled.main"
TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
HEAD_BYTES = 4096
# A workbook that unpacks past these is refused from its zip directory alone: a 4 MB file whose shared
# strings expand to 1.5 GB took 77 s and 1.8 GB of memory in openpyxl before this check. calamine loads
# every shared string when it opens a workbook, so the check must come first.
MAX_UNPACKED = 256 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024  # parts smaller than this unpacked are never refused for their ratio


class UnusableFile(Exception):
    """A file that cannot be imported at all; `message` says why, in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def sniff(path: Path) -> str:
    """The kind of spreadsheet `path` holds (XLSX … CSV), or UnusableFile saying why none."""
    if path.is_dir():
        raise UnusableFile(messages.FILE_IS_FOLDER.format(name=path.name))
    if not path.is_file():
        raise UnusableFile(messages.FILE_MISSING.format(name=path.name))
    with path.open("rb") as fh:
        head = fh.read(HEAD_BYTES)
    if not head:
        raise UnusableFile(messages.FILE_EMPTY.format(name=path.name))
    if head.startswith(CFB_SIGNATURE):
        return _compound_file(path)
    if head.startswith(ZIP_SIGNATURE):
        return _zip_kind(path)
    return _text_kind(path, head)


def _compound_file(path: Path) -> str:
    # An OLE compound file: an .xls, or a password-protected .xlsx (EncryptionInfo + EncryptedPackage).
    if _is_encrypted_package(path):
        raise UnusableFile(messages.FILE_ENCRYPTED.format(name=path.name))
    size = path.stat().st_size
    if size > MAX_UNPACKED:  # nothing is compressed in an .xls: its size is what a reader loads
        raise UnusableFile(
            messages.FILE_TOO_LARGE.format(name=path.name, mb=size >> 20, limit=MAX_UNPACKED >> 20)
        )
    return XLS


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            names = {p.filename for p in parts}
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
            types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise UnusableFile(messages.FILE_DAMAGED.format(name=path.name)) from exc
    check_unpacked_sizes(path, parts)
    if mimetype.strip() == ODS_MIMETYPE:
        return ODS
    if XLSB_CONTENT_TYPE in types:
        return XLSB
    if any(name.lower().endswith("workbook.xml") for name in names):
        return XLSX
    raise UnusableFile(messages.FILE_NOT_SPREADSHEET.format(name=path.name))  # a .docx or another zip renamed


def check_unpacked_sizes(path: Path, parts: list[zipfile.ZipInfo]) -> None:
    """Refuse a zip bomb from the sizes its directory declares, before any part is unpacked.

    A part holding more than it declares is cut off there by zipfile, whose CRC check then fails,
    so the declared sizes bound what our own scans unpack.
    """
    total = sum(p.file_size for p in parts)
    if total > MAX_UNPACKED:
        raise UnusableFile(
            messages.FILE_TOO_LARGE.format(name=path.name, mb=total >> 20, limit=MAX_UNPACKED >> 20)
        )
    for part in parts:
        if part.file_size >= RATIO_FLOOR and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            ratio = part.file_size // max(part.compress_size, 1)
            raise UnusableFile(messages.FILE_BOMB.format(name=path.name, part=part.filename, ratio=ratio))


def _text_kind(path: Path, head: bytes) -> str:
    is_text = head.startswith(TEXT_BOMS) or b"\x00" not in head
    if not is_text:
        raise UnusableFile(messages.FILE_NOT_SPREADSHEET.format(name=path.name))
    if path.suffix.lower() in TEXT_SUFFIXES:
        return CSV
    # What some web systems export as "Excel": a web page or XML named .xls, which no Excel reader opens.
    raise UnusableFile(messages.FILE_POSING.format(name=path.name, kind=_text_name(head)))


def _text_name(head: bytes) -> str:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<html" in start[:1024] or start.startswith(b"<!doctype html") or b"<table" in start[:1024]:
        return messages.KIND_HTML
    if start.startswith(b"<?xml") or start.startswith(b"<"):
        return messages.KIND_XML
    return messages.KIND_TEXT


def _is_encrypted_package(path: Path) -> bool:
    with path.open("rb") as fh:
        return _stream_contains(fh, "EncryptionInfo".encode("utf-16-le"))


def _stream_contains(stream, needle: bytes) -> bool:
    tail = b""
    while chunk := stream.read(1 << 20):
        if needle in tail + chunk:
            return True
        tail = chunk[-len(needle) :]
    return False
