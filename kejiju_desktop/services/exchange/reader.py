"""Open a spreadsheet safely and stream its rows: bad files become a Chinese sentence, never a traceback."""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kejiju_desktop import fields as F
from kejiju_desktop.services.exchange import columns as C
from kejiju_desktop.services.exchange import messages as M

CFB_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
HEADER_SCAN_ROWS = 10
_MERGE_RE = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*ref=\"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?\"")
_FORMULA_RE = re.compile(rb"<(?:\w+:)?f[\s>/]")


class UnusableFile(Exception):
    """A spreadsheet that cannot be imported at all; `message` says why, in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class SheetScan:
    """What one pass over the raw sheet XML found: merged ranges and whether any formula exists."""

    merges: list[tuple[int, int, int, int]]  # (first row, last row, first col, last col)
    has_formulas: bool


def check_signature(path: Path) -> None:
    """Refuse a missing, empty, encrypted, old .xls or non-zip file before openpyxl sees it."""
    if not path.is_file():
        raise UnusableFile(M.FILE_MISSING.format(name=path.name))
    with path.open("rb") as fh:
        head = fh.read(8)
    if not head:
        raise UnusableFile(M.FILE_EMPTY.format(name=path.name))
    if head == CFB_SIGNATURE:
        message = M.FILE_ENCRYPTED if _is_encrypted_package(path) else M.FILE_OLD_XLS
        raise UnusableFile(message.format(name=path.name))
    if not head.startswith(ZIP_SIGNATURE):
        raise UnusableFile(M.FILE_NOT_XLSX.format(name=path.name))
    _check_workbook_part(path)


def _check_workbook_part(path: Path) -> None:
    # A .docx or any other zip renamed: no workbook part inside.
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnusableFile(M.FILE_DAMAGED.format(name=path.name)) from exc
    if not any(n.lower().endswith("workbook.xml") for n in names):
        raise UnusableFile(M.FILE_NOT_XLSX.format(name=path.name))


def _is_encrypted_package(path: Path) -> bool:
    # A password-protected .xlsx is an OLE compound file holding EncryptionInfo + EncryptedPackage streams.
    marker = "EncryptionInfo".encode("utf-16-le")
    tail = b""
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            if marker in tail + chunk:
                return True
            tail = chunk[-len(marker) :]
    return False


def open_workbook(path: Path, *, data_only: bool = True):
    """openpyxl's streaming (read-only) workbook, or UnusableFile."""
    from openpyxl import load_workbook

    check_signature(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
            return load_workbook(path, read_only=True, data_only=data_only, keep_links=False)
    except zipfile.BadZipFile as exc:
        raise UnusableFile(M.FILE_DAMAGED.format(name=path.name)) from exc
    except Exception as exc:  # noqa: BLE001 - whatever openpyxl trips over, the clerk gets one sentence
        raise UnusableFile(_reason(path, exc)) from exc


def _reason(path: Path, exc: Exception) -> str:
    if type(exc).__name__ == "InvalidFileException" or isinstance(exc, KeyError):
        return M.FILE_NOT_XLSX.format(name=path.name)
    return M.FILE_DAMAGED.format(name=path.name)


def pick_sheet(workbook, name: str | None):
    """The named worksheet, or the first one."""
    if name is None:
        return workbook.worksheets[0]
    if name not in workbook.sheetnames:
        raise UnusableFile(M.SHEET_MISSING.format(sheet=name, sheets="、".join(workbook.sheetnames)))
    return workbook[name]


def scan_sheet_xml(workbook, sheet) -> SheetScan:
    """Stream the sheet's XML once (no parsing) for merged ranges and formulas."""
    merges: list[tuple[int, int, int, int]] = []
    has_formulas = False
    tail = b""
    with workbook._archive.open(sheet._worksheet_path) as src:  # openpyxl's own path to the part
        while chunk := src.read(1 << 16):
            text = tail + chunk
            has_formulas = has_formulas or _FORMULA_RE.search(text) is not None
            cut = text.rfind(b">") + 1
            merges += [_merge_range(m) for m in _MERGE_RE.finditer(text[:cut])]
            tail = text[cut:]
    return SheetScan(merges, has_formulas)


def _merge_range(match: re.Match) -> tuple[int, int, int, int]:
    from openpyxl.utils import column_index_from_string as col

    c1, r1, c2, r2 = match.groups()
    c2, r2 = c2 or c1, r2 or r1
    return int(r1), int(r2), col(c1.decode()), col(c2.decode())


def merged_header(scan: SheetScan, header_row: int) -> str | None:
    """A merged range touching the header row, as "A1:C1", or None."""
    from openpyxl.utils import get_column_letter as letter

    for r1, r2, c1, c2 in scan.merges:
        if r1 <= header_row <= r2 and (c1 != c2 or r1 != r2):
            return f"{letter(c1)}{r1}:{letter(c2)}{r2}"
    return None


def find_header(entity: F.EntitySpec, sheet) -> tuple[int, C.HeaderMatch]:
    """The header row (1-based) among the first rows: the one matching the most labels."""
    best: tuple[int, C.HeaderMatch] | None = None
    seen_any = False
    for number, cells in enumerate(sheet.iter_rows(max_row=HEADER_SCAN_ROWS, values_only=True), 1):
        seen_any = seen_any or any(c not in (None, "") for c in cells)
        match = C.match_headers(entity, cells)
        if match.positions and (best is None or len(match.positions) > len(best[1].positions)):
            best = (number, match)
    if not seen_any:
        raise UnusableFile(M.SHEET_EMPTY.format(sheet=sheet.title))
    if best is None:
        example = "”“".join(s.label for s in entity.fields[:3])
        raise UnusableFile(M.NO_HEADER.format(sheet=sheet.title, n=HEADER_SCAN_ROWS, example=example))
    return best


def iter_data_rows(sheet, header_row: int) -> Iterator[tuple[int, tuple]]:
    """(Excel row number, cell values) of every row below the header, streamed."""
    yield from enumerate(sheet.iter_rows(min_row=header_row + 1, values_only=True), header_row + 1)
