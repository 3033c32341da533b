"""Open a spreadsheet safely and stream its rows: bad files become a Chinese sentence, never a traceback."""

from __future__ import annotations

import contextlib
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kejiju_desktop import fields as F
from kejiju_desktop.services.exchange import columns as C
from kejiju_desktop.services.exchange import messages as M
from kejiju_desktop.services.exchange import xstring

CFB_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
SHEET_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEADER_SCAN_ROWS = 10
# A workbook that unpacks past these is refused from its zip directory alone: a 4 MB file whose shared
# strings expand to 1.5 GB took 77 s and 1.8 GB of memory in openpyxl before this check.
MAX_UNPACKED = 256 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024  # parts smaller than this unpacked are never refused for their ratio
# What a part that lies about its size or is cut short raises while it is read (zipfile checks the CRC).
DAMAGED_READ = (zipfile.BadZipFile, zlib.error, EOFError, SyntaxError)
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
    if path.is_dir():
        raise UnusableFile(M.FILE_IS_FOLDER.format(name=path.name))
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
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnusableFile(M.FILE_DAMAGED.format(name=path.name)) from exc
    if not any(p.filename.lower().endswith("workbook.xml") for p in parts):
        raise UnusableFile(M.FILE_NOT_XLSX.format(name=path.name))
    check_unpacked_sizes(path, parts)


def check_unpacked_sizes(path: Path, parts: list[zipfile.ZipInfo]) -> None:
    """Refuse a zip bomb from the sizes its directory declares, before any part is unpacked.

    A part holding more than it declares is cut off there by zipfile, whose CRC check then fails
    (DAMAGED_READ), so the declared sizes bound what any reader unpacks.
    """
    total = sum(p.file_size for p in parts)
    if total > MAX_UNPACKED:
        raise UnusableFile(M.FILE_TOO_LARGE.format(name=path.name, mb=total >> 20, limit=MAX_UNPACKED >> 20))
    for part in parts:
        if part.file_size >= RATIO_FLOOR and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            ratio = part.file_size // max(part.compress_size, 1)
            raise UnusableFile(M.FILE_BOMB.format(name=path.name, part=part.filename, ratio=ratio))


def _is_encrypted_package(path: Path) -> bool:
    # A password-protected .xlsx is an OLE compound file holding EncryptionInfo + EncryptedPackage streams.
    with path.open("rb") as fh:
        return _stream_contains(fh, "EncryptionInfo".encode("utf-16-le"))


def _stream_contains(stream, needle: bytes) -> bool:
    tail = b""
    while chunk := stream.read(1 << 20):
        if needle in tail + chunk:
            return True
        tail = chunk[-len(needle) :]
    return False


def open_workbook(path: Path, *, data_only: bool = True):
    """openpyxl's streaming (read-only) workbook, or UnusableFile."""
    from openpyxl import load_workbook

    check_signature(path)
    handle = path.open("rb")  # ours, so that a failed load cannot leave the file open
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
            workbook = load_workbook(handle, read_only=True, data_only=data_only, keep_links=False)
        _restore_shared_strings(workbook)
    except Exception as exc:  # noqa: BLE001 - whatever openpyxl trips over, the clerk gets one sentence
        handle.close()
        raise UnusableFile(_reason(path, exc)) from exc
    workbook._archive._filePassed = False  # workbook.close() closes our handle with the archive
    return workbook


def _restore_shared_strings(workbook) -> None:
    # openpyxl deletes every "x005F_" from shared strings, so "_x005F_x0001_" (the text "_x0001_") and
    # "_x0001_" (a control character) both reach us as "_x0001_". Where the part holds such an escape,
    # its strings are read again as written; iter_values then decodes every escape the way Excel does.
    from openpyxl.cell.text import Text
    from openpyxl.xml.functions import iterparse

    archive = workbook._archive
    part = next((n for n in archive.namelist() if n.lower().endswith("sharedstrings.xml")), None)
    if part is None or not workbook.worksheets:
        return
    with archive.open(part) as src:
        if not _stream_contains(src, b"x005F_"):
            return
    strings = workbook.worksheets[0]._shared_strings  # the one list every read-only sheet shares
    strings.clear()
    tag = f"{{{SHEET_MAIN_NS}}}si"
    with archive.open(part) as src:
        for _, node in iterparse(src):
            if node.tag == tag:
                strings.append(Text.from_tree(node).content)
                node.clear()


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
    with _damaged_as_unusable(workbook), workbook._archive.open(sheet._worksheet_path) as src:
        while chunk := src.read(1 << 16):  # openpyxl's own path to the part, above
            text = tail + chunk
            has_formulas = has_formulas or _FORMULA_RE.search(text) is not None
            cut = text.rfind(b">") + 1
            merges += [_merge_range(m) for m in _MERGE_RE.finditer(text[:cut])]
            tail = text[cut:]
    return SheetScan(merges, has_formulas)


@contextlib.contextmanager
def _damaged_as_unusable(workbook) -> Iterator[None]:
    # A part found damaged only while it is read (a lying size, a cut-off file) is one sentence too.
    try:
        yield
    except DAMAGED_READ as exc:
        name = Path(workbook._archive.filename).name
        raise UnusableFile(M.FILE_DAMAGED.format(name=name)) from exc


def iter_values(sheet, **bounds) -> Iterator[tuple]:
    """The cell values of the sheet's rows (openpyxl's iter_rows bounds), text as Excel shows it.

    Raises UnusableFile.
    """
    with _damaged_as_unusable(sheet.parent):
        for cells in sheet.iter_rows(values_only=True, **bounds):
            yield tuple(xstring.decode(c) if type(c) is str else c for c in cells)


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
    for number, cells in enumerate(iter_values(sheet, max_row=HEADER_SCAN_ROWS), 1):
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
    yield from enumerate(iter_values(sheet, min_row=header_row + 1), header_row + 1)
