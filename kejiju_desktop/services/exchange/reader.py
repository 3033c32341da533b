"""Open a spreadsheet by its content and stream one sheet's rows: bad files become a Chinese sentence."""

from __future__ import annotations

import contextlib
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine

from kejiju_desktop import fields, messages
from kejiju_desktop.services.exchange import columns, sniff, zip_parts
from kejiju_desktop.services.exchange.csv_reader import CsvSheet
from kejiju_desktop.services.exchange.sniff import UnusableFile

HEADER_SCAN_ROWS = 10
# calamine decodes OOXML's _xHHHH_ escapes itself, except those naming a lone surrogate or a
# non-character, which it leaves as written; Excel reads them as the character (so do we, and a lone
# surrogate is then refused as broken text).
_LEFT_ESCAPE_RE = re.compile(r"_x(D[89A-Fa-f][0-9A-Fa-f]{2}|[Ff]{3}[EeFf])_")
FORMULAS_CHECKED = {
    sniff.XLSX,
    sniff.CSV,
}  # calamine has no formula API; our XML scan covers .xlsx/.xlsm only


@dataclass
class Sheet:
    """One sheet of an open file: rows numbered from 1, cells placed from column A, header merges."""

    path: Path
    kind: str
    title: str
    sheet_names: list[str]
    last_row: int
    merges: list[tuple[int, int, int, int]]  # (first row, last row, first col, last col), 1-based
    has_formulas: bool
    _raw_rows: Callable[[], Iterator[tuple]] = field(repr=False)
    _sheet_part: str | None = field(default=None, repr=False)

    @property
    def formulas_checked(self) -> bool:
        """Whether formulas without a saved result can be found in this kind of file."""
        return self.kind in FORMULAS_CHECKED

    def rows(self, first: int = 1, last: int | None = None) -> Iterator[tuple[int, tuple]]:
        """(row number, cell values) of rows first..last (all below `first` when last is None)."""
        numbered = enumerate(self._raw_rows(), 1)
        yield from itertools.islice(numbered, first - 1, last)

    def uncached_formulas(self) -> dict[int, set[int]]:
        """Row number -> positions (from 0 = column A) of formulas saved without a result."""
        if self._sheet_part is None or not self.has_formulas:
            return {}
        return zip_parts.uncached_formulas(self.path, self._sheet_part)


@contextlib.contextmanager
def open_sheet(path: Path | str, name: str | None = None) -> Iterator[Sheet]:
    """The named sheet, or the first visible one, of the file at `path`; raises UnusableFile."""
    path = Path(path)
    kind = sniff.sniff(path)  # the size limits come first: calamine loads every shared string at once
    if kind == sniff.CSV:
        yield _csv_sheet(path, name)
        return
    workbook = _open_workbook(path)
    try:
        yield _book_sheet(path, kind, workbook, name)
    finally:
        workbook.close()


def sheet_names(path: Path | str) -> list[str]:
    """Names of the file's visible sheets, in order (a CSV is one sheet named after the file)."""
    path = Path(path)
    if sniff.sniff(path) == sniff.CSV:
        CsvSheet(path)  # its encoding is checked now, when the file is chosen
        return [path.stem]
    workbook = _open_workbook(path)
    try:
        return [m.name for m in _worksheets(workbook, visible_only=True)]
    finally:
        workbook.close()


def _csv_sheet(path: Path, name: str | None) -> Sheet:
    if name is not None and name != path.stem:
        raise UnusableFile(messages.SHEET_MISSING.format(sheet=name, sheets=path.stem))
    table = CsvSheet(path)
    return Sheet(path, sniff.CSV, path.stem, [path.stem], table.count_rows(), [], False, table.iter_rows)


def _open_workbook(path: Path):
    # By content, not by name: calamine picks its reader from the extension, and an .xlsx named .xls
    # fails there with "Cfb error: Invalid OLE". from_filelike reads the bytes we hand it.
    try:
        with path.open("rb") as fh:
            return python_calamine.CalamineWorkbook.from_filelike(fh)
    except python_calamine.PasswordError as exc:
        raise UnusableFile(messages.FILE_ENCRYPTED.format(name=path.name)) from exc
    except (python_calamine.CalamineError, OSError) as exc:
        raise UnusableFile(messages.FILE_DAMAGED.format(name=path.name)) from exc


def _worksheets(workbook, *, visible_only: bool) -> list:
    sheets = [m for m in workbook.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet]
    if not visible_only:
        return sheets
    return [m for m in sheets if m.visible == python_calamine.SheetVisibleEnum.Visible] or sheets


def _book_sheet(path: Path, kind: str, workbook, name: str | None) -> Sheet:
    all_names = list(workbook.sheet_names)
    worksheets = _worksheets(workbook, visible_only=True)
    if not worksheets:
        raise UnusableFile(messages.NO_WORKSHEET.format(name=path.name))
    if name is None:
        name = worksheets[0].name
    elif name not in all_names:
        raise UnusableFile(messages.SHEET_MISSING.format(sheet=name, sheets="、".join(all_names)))
    try:
        sheet = workbook.get_sheet_by_name(name)
    except python_calamine.CalamineError as exc:
        raise UnusableFile(messages.FILE_DAMAGED.format(name=path.name)) from exc
    part = zip_parts.sheet_part(path, name) if kind == sniff.XLSX else None
    return Sheet(
        path=path,
        kind=kind,
        title=name,
        sheet_names=all_names,
        last_row=sheet.end[0] + 1 if sheet.end else 0,
        merges=_merges(path, kind, sheet),
        has_formulas=part is not None and zip_parts.has_formulas(path, part),
        _raw_rows=lambda: _cells(sheet, decode=kind == sniff.XLSX),
        _sheet_part=part,
    )


def _cells(sheet, *, decode: bool) -> Iterator[tuple]:
    # calamine drops the empty columns before the sheet's start but keeps the empty rows: put the
    # columns back, so that positions (and column numbers in messages) count from column A.
    padding = (None,) * (sheet.start[1] if sheet.start else 0)
    for cells in sheet.iter_rows():  # never to_python: rows are built one at a time
        if decode:
            cells = [_left_escapes(c) if type(c) is str and "_x" in c else c for c in cells]
        yield padding + tuple(cells)


def _left_escapes(text: str) -> str:
    return _LEFT_ESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)), text)


def _merges(path: Path, kind: str, sheet) -> list[tuple[int, int, int, int]]:
    if kind == sniff.ODS:  # calamine has no merged ranges for .ods (nor .xlsb, left unchecked)
        return zip_parts.ods_merges(path, sheet.name, HEADER_SCAN_ROWS)
    ranges = sheet.merged_cell_ranges or []
    return [(r1 + 1, r2 + 1, c1 + 1, c2 + 1) for (r1, c1), (r2, c2) in ranges]


def merged_header(sheet: Sheet, header_row: int) -> str | None:
    """A merged range touching the header row, as "A1:C1", or None."""
    for r1, r2, c1, c2 in sheet.merges:
        if r1 <= header_row <= r2 and (c1 != c2 or r1 != r2):
            return f"{zip_parts.column_letter(c1)}{r1}:{zip_parts.column_letter(c2)}{r2}"
    return None


def find_header(entity: fields.EntitySpec, sheet: Sheet, mapped=None) -> tuple[int, columns.HeaderMatch]:
    """The header row (1-based) among the first rows: the one matching the most labels (or `mapped`
    headers, columns.match_headers)."""
    best: tuple[int, columns.HeaderMatch] | None = None
    seen_any = False
    for number, cells in sheet.rows(1, HEADER_SCAN_ROWS):
        seen_any = seen_any or any(c not in (None, "") for c in cells)
        match = columns.match_headers(entity, cells, mapped)
        if match.positions and (best is None or len(match.positions) > len(best[1].positions)):
            best = (number, match)
    if not seen_any:
        raise UnusableFile(messages.SHEET_EMPTY.format(sheet=sheet.title))
    if best is None:
        example = "”“".join(s.label for s in entity.fields[:3])
        raise UnusableFile(messages.NO_HEADER.format(sheet=sheet.title, n=HEADER_SCAN_ROWS, example=example))
    return best
