"""A sheet ready to import: its header row and columns, checked once before any row is read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from typing import Any

from kejiju_desktop import fields as F
from kejiju_desktop.services.exchange import columns as C
from kejiju_desktop.services.exchange import messages as M
from kejiju_desktop.services.exchange import reader as R

EXCEL_SERIAL_RANGE = (1, 2958465)  # 1900-01-01 .. 9999-12-31


@dataclass
class SheetPlan:
    """The chosen sheet, its header row, matched and unknown columns, and an estimate of its rows."""

    path: Path
    sheet_names: list[str]
    sheet: str
    header_row: int
    match: C.HeaderMatch
    headers: list[str]
    estimated_rows: int
    has_formulas: bool = False
    missing: list[str] = field(default_factory=list)


def plan_sheet(entity: F.EntitySpec, workbook, sheet, path: Path) -> SheetPlan:
    """Find and check the header; raise UnusableFile for merged or repeated headers, missing columns."""
    header_row, match = R.find_header(entity, sheet)
    scan = R.scan_sheet_xml(workbook, sheet)
    merged = R.merged_header(scan, header_row)
    if merged:
        raise R.UnusableFile(M.MERGED_HEADER.format(row=header_row, ref=merged))
    if match.repeated:
        label, first, second = match.repeated
        raise R.UnusableFile(M.DUPLICATE_COLUMN.format(label=label, first=first, second=second))
    missing = C.missing_required(entity, match)
    if missing:
        raise R.UnusableFile(M.MISSING_COLUMNS.format(labels="、".join(missing)))
    header_cells = next(R.iter_values(sheet, min_row=header_row, max_row=header_row), ())
    estimated = max((sheet.max_row or 0) - header_row, 0)
    sheet.reset_dimensions()  # a stale <dimension> must not cut the rows short
    return SheetPlan(
        path=path,
        sheet_names=list(workbook.sheetnames),
        sheet=sheet.title,
        header_row=header_row,
        match=match,
        headers=["" if c is None else str(c) for c in header_cells],
        estimated_rows=estimated,
        has_formulas=scan.has_formulas,
    )


def iter_rows_with_formulas(plan: SheetPlan, sheet) -> Iterator[tuple[int, tuple, set[int]]]:
    """(row number, cached values, positions of formulas without a cached value) below the header."""
    rows = R.iter_data_rows(sheet, plan.header_row)
    if not plan.has_formulas:
        for number, cells in rows:
            yield number, cells, set()
        return
    formulas_book = R.open_workbook(plan.path, data_only=False)
    try:
        formula_sheet = formulas_book[plan.sheet]
        formula_sheet.reset_dimensions()
        paired = zip_longest(rows, R.iter_data_rows(formula_sheet, plan.header_row))
        for (number, cells), other in paired:
            yield number, cells, _uncached(cells, other[1] if other else ())
    finally:
        formulas_book.close()


def _uncached(cells: tuple, formulas: tuple) -> set[int]:
    return {
        i
        for i, text in enumerate(formulas)
        if isinstance(text, str) and text.startswith("=") and (i >= len(cells) or cells[i] is None)
    }


def cell_value(spec: F.FieldSpec, value: Any) -> Any:
    """A cell as its field's parser expects it: Excel serials as dates, whole floats as integers."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.strip() or None
    if spec.kind == F.DATE and isinstance(value, int | float):
        return _serial_date(value)
    if isinstance(value, dt.datetime) and spec.kind != F.DATE:
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer() and spec.kind != F.MONEY:
        return int(value)
    return value


def _serial_date(value: float) -> Any:
    from openpyxl.utils.datetime import from_excel

    low, high = EXCEL_SERIAL_RANGE
    if not low <= value <= high:
        return value
    return from_excel(value)


def read_preview(plan: SheetPlan, limit: int) -> list[tuple[int, tuple]]:
    """The first `limit` non-empty rows below the header, as (row number, cell values), for a preview."""
    workbook = R.open_workbook(plan.path)
    try:
        sheet = workbook[plan.sheet]
        sheet.reset_dimensions()
        rows = []
        for number, cells in R.iter_data_rows(sheet, plan.header_row):
            if any(c not in (None, "") for c in cells):
                rows.append((number, cells))
            if len(rows) >= limit:
                break
        return rows
    finally:
        workbook.close()


def list_sheets(path: Path | str) -> list[str]:
    """Names of the workbook's sheets; raises UnusableFile."""
    workbook = R.open_workbook(Path(path))
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()
