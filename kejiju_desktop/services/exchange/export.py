"""Export a table (or a tab's filtered rows) to .xlsx, and write a blank template with drop-down lists."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import unicodedata
from collections.abc import Generator, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Enterprise
from kejiju_desktop import fields, messages
from kejiju_desktop.services import records
from kejiju_desktop.services.entity_models import model_of
from kejiju_desktop.services.exchange import columns
from kejiju_desktop.services.exchange.xlsx_writer import CELL_LIMIT, SheetWriter

SUFFIX = ".xlsx"  # what it writes: an Excel workbook
FIT_ROWS = 500  # column widths are fitted to the header and the first rows
MAX_WIDTH = 60
PROGRESS_EVERY = 1000
INLINE_LIST_LIMIT = 250  # Excel refuses a list formula longer than 255 characters
TEMPLATE_ROWS = 1000
CUT_CELLS_NAMED = 20


@dataclass
class ExportResult:
    """How many records were written, and the cells cut to Excel's limit as (sheet row, column header)."""

    count: int
    cut: list[tuple[int, str]] = field(default_factory=list)


def summary_lines(result: ExportResult) -> list[str]:
    """What the clerk is told besides the count: which cells the sheet holds only in part."""
    if not result.cut:
        return []
    named = "、".join(messages.CELL_REF.format(row=r, column=c) for r, c in result.cut[:CUT_CELLS_NAMED])
    more = messages.AND_MORE if len(result.cut) > CUT_CELLS_NAMED else ""
    return [messages.CELLS_CUT.format(n=len(result.cut), limit=f"{CELL_LIMIT:,}", cells=named + more)]


def text_width(value: Any) -> int:
    """Display width of a value in a cell: CJK characters count double."""
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 10
    text = f"{value:.2f}" if isinstance(value, Decimal) else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _unit_codes(session: Session) -> dict[int, str]:
    rows = session.execute(
        select(Enterprise.id, Enterprise.credit_code).where(Enterprise.credit_code.is_not(None))
    )
    return {row[0]: row[1] for row in rows}


def iter_sheet_rows(session: Session, entity: fields.EntitySpec, query: records.Query) -> Iterable[list[Any]]:
    """Values of every sheet column (columns.sheet_columns) for each record the query matches, streamed."""
    unit_keys = [spec.key for spec in entity.unit_fields]
    stmt = records.page_statement(entity, query)
    if unit_keys:
        stmt = stmt.add_columns(*(getattr(model_of(entity), k) for k in unit_keys))
    codes = _unit_codes(session) if unit_keys else {}
    width = len(entity.fields)
    for row in session.execute(stmt.execution_options(yield_per=2000)):
        values: list[Any] = []
        ids = dict(zip(unit_keys, row[1 + width :], strict=True))
        for spec, value in zip(entity.fields, row[1 : 1 + width], strict=True):
            values.append(value)
            if spec.kind == fields.UNIT:
                values.append(codes.get(ids[spec.key]))
        yield values


def fitted_widths(headers: list[str], sample: list[list[Any]]) -> list[float]:
    """Column widths (in characters) fitted to the header and the sampled rows."""
    widths = []
    for index, header in enumerate(headers):
        widest = max([text_width(header)] + [text_width(row[index]) for row in sample])
        widths.append(min(widest + 2, MAX_WIDTH))
    return widths


def iter_export(
    session: Session, entity: fields.EntitySpec, path: Path | str, query: records.Query | None = None
) -> Generator[tuple[int, int], None, ExportResult]:
    """Write the query's rows to `path` (via a temporary file), yielding (done, total).

    A text longer than an Excel cell holds is cut there and named in the result: refusing the whole
    export for one overlong note would leave the clerk without the sheet, and the data file keeps the
    full text (an import of the cut sheet refuses the text as too long rather than storing it cut).
    """
    query = query or records.Query()
    path = Path(path)
    check_writable(path)
    total = records.count(session, entity, query)
    headers = [c.header for c in columns.sheet_columns(entity)]
    rows = iter(iter_sheet_rows(session, entity, query))
    sample = list(islice(rows, FIT_ROWS))
    tmp = _temp_path(path)
    writer = SheetWriter(tmp, entity.label, fitted_widths(headers, sample))
    done = 0
    try:
        writer.append(headers, header=True)
        for done, values in enumerate(_chain(sample, rows), 1):
            writer.append(values)
            if done % PROGRESS_EVERY == 0:
                yield done, max(total, done)
        writer.close()
        os.replace(tmp, path)
    except BaseException:
        writer.abort()
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    yield done, done
    return ExportResult(done, [(row, headers[column]) for row, column in writer.cut])


def _chain(first: list, rest: Iterable) -> Iterable:
    yield from first
    yield from rest


def _temp_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.part")


def check_writable(path: Path) -> None:
    """Raise OSError now, before any work, when `path`'s folder cannot take the file."""
    tmp = _temp_path(path)
    tmp.touch()
    tmp.unlink()


def save_atomically(workbook, path: Path) -> None:
    """Save under a temporary name beside `path`, then rename: never a half-written file."""
    tmp = _temp_path(path)
    try:
        workbook.save(tmp)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def write_template(session: Session, entity: fields.EntitySpec, path: Path | str) -> None:
    """A blank sheet with the table's headers, bold and frozen, and a drop-down on every choice column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    ws = workbook.active
    ws.title = entity.label
    sheet_columns = columns.sheet_columns(entity)
    ws.append([c.header for c in sheet_columns])
    for index, column in enumerate(sheet_columns, 1):
        ws.cell(row=1, column=index).font = Font(bold=True)
        width = max(text_width(column.header), column.spec.width // 7)
        ws.column_dimensions[get_column_letter(index)].width = min(width + 2, MAX_WIDTH)
        if column.spec.kind == fields.CHOICE and column.code_of is None:
            choices = records.choice_values(session, column.spec) or column.spec.choices
            _add_choice_list(workbook, ws, index, column.header, choices)
    ws.freeze_panes = "A2"
    save_atomically(workbook, Path(path))


def _add_choice_list(workbook, ws, index: int, label: str, choices: tuple[str, ...]) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    letter = get_column_letter(index)
    inline = ",".join(choices)
    if len(inline) + 2 <= INLINE_LIST_LIMIT:
        formula = f'"{inline}"'
    else:
        formula = _choices_on_hidden_sheet(workbook, index, choices)
    rule = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True)
    rule.errorTitle = messages.VALIDATION_TITLE
    rule.error = messages.VALIDATION_ERROR.format(label=label)
    rule.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
    ws.add_data_validation(rule)


def _choices_on_hidden_sheet(workbook, index: int, choices: tuple[str, ...]) -> str:
    from openpyxl.utils import get_column_letter

    name = messages.TEMPLATE_SHEET_CHOICES
    if name not in workbook.sheetnames:
        workbook.create_sheet(name).sheet_state = "hidden"
    sheet = workbook[name]
    letter = get_column_letter(index)
    for row, choice in enumerate(choices, 1):
        sheet[f"{letter}{row}"] = choice
    return f"'{name}'!${letter}$1:${letter}${len(choices)}"
