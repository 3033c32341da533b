"""A sheet ready to import: its header row and columns, checked once before any row is read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kejiju_desktop import fields, messages
from kejiju_desktop.services.exchange import columns, reader

EXCEL_SERIAL_RANGE = (1, 2958465)  # 1900-01-01 .. 9999-12-31
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
FIRST_TRUE_SERIAL = 60  # Excel's 1900-02-29


@dataclass
class SheetPlan:
    """The chosen sheet, its header row, matched and unknown columns, and an estimate of its rows."""

    path: Path
    sheet_names: list[str]
    sheet: str
    header_row: int
    match: columns.HeaderMatch
    headers: list[str]
    estimated_rows: int
    has_formulas: bool = False
    formulas_checked: bool = True  # False where formulas without a saved result cannot be found
    kind: str = "xlsx"
    missing: list[str] = field(default_factory=list)


def plan_sheet(
    entity: fields.EntitySpec, sheet: reader.Sheet, mapped=None, *, partial: bool = False
) -> SheetPlan:
    """Find and check the header; raise UnusableFile for merged or repeated headers, missing columns.

    `mapped`: headers the clerk gave a field; `partial`: missing columns are noted in the plan, not
    refused (the wizard lets the clerk map a column to them).
    """
    header_row, match = reader.find_header(entity, sheet, mapped)
    merged = reader.merged_header(sheet, header_row)
    if merged:
        raise reader.UnusableFile(messages.MERGED_HEADER.format(row=header_row, ref=merged))
    if match.repeated:
        label, first, second = match.repeated
        raise reader.UnusableFile(messages.DUPLICATE_COLUMN.format(label=label, first=first, second=second))
    missing = columns.missing_required(entity, match)
    if missing and not partial:
        raise reader.UnusableFile(missing_sentence(missing))
    header_cells = next(sheet.rows(header_row, header_row), (header_row, ()))[1]
    return SheetPlan(
        path=sheet.path,
        sheet_names=sheet.sheet_names,
        sheet=sheet.title,
        header_row=header_row,
        match=match,
        headers=["" if c is None else str(c) for c in header_cells],
        estimated_rows=max(sheet.last_row - header_row, 0),
        has_formulas=sheet.has_formulas,
        formulas_checked=sheet.formulas_checked,
        kind=sheet.kind,
        missing=missing,
    )


def missing_sentence(missing: list[str]) -> str:
    """What a sheet lacking required columns is told."""
    return messages.MISSING_COLUMNS.format(labels="、".join(missing))


def iter_rows_with_formulas(plan: SheetPlan, sheet: reader.Sheet) -> Iterator[tuple[int, tuple, set[int]]]:
    """(row number, cell values, positions of formulas without a saved result) below the header."""
    uncached = sheet.uncached_formulas() if plan.has_formulas else {}
    for number, cells in sheet.rows(plan.header_row + 1):
        yield number, cells, uncached.get(number, set())


def cell_value(spec: fields.FieldSpec, value: Any) -> Any:
    """A cell as its field's parser expects it: Excel serials as dates, whole floats as integers."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.strip() or None
    if spec.kind == fields.DATE and isinstance(value, int | float):
        return _serial_date(value)
    if isinstance(value, dt.datetime) and spec.kind != fields.DATE:
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date) and spec.kind != fields.DATE:  # calamine gives a date where no time is kept
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and spec.kind != fields.MONEY:
        return int(value)
    return value


def _serial_date(value: float) -> Any:
    # Excel counts a 1900-02-29 that never was: the serials before it are one day later than counted.
    low, high = EXCEL_SERIAL_RANGE
    if not low <= value <= high:
        return value
    day, fraction = divmod(value, 1)
    if value < FIRST_TRUE_SERIAL:
        day += 1
    return EXCEL_EPOCH + dt.timedelta(days=day, milliseconds=round(fraction * 86_400_000))


def read_preview(plan: SheetPlan, limit: int) -> list[tuple[int, tuple]]:
    """The first `limit` non-empty rows below the header, as (row number, cell values), for a preview."""
    with reader.open_sheet(plan.path, plan.sheet) as sheet:
        rows = []
        for number, cells in sheet.rows(plan.header_row + 1):
            if any(c not in (None, "") for c in cells):
                rows.append((number, cells))
            if len(rows) >= limit:
                break
        return rows


def list_sheets(path: Path | str) -> list[str]:
    """Names of the file's visible sheets (the ones a clerk may pick); raises UnusableFile."""
    return reader.sheet_names(path)
