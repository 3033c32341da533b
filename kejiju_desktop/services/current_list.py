"""A tab's current list to print: its rows as the tab filters and sorts them, its title and its filter in words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from kejiju_desktop import fields, messages
from kejiju_desktop.services import records

PROGRESS_EVERY = 1000
SEPARATOR = " · "


@dataclass(frozen=True)
class ListSheet:
    """What a printed list shows: title, filter in words, a summary line, the columns and their rows."""

    title: str
    filter_words: str
    summary: str
    columns: tuple[fields.FieldSpec, ...]
    rows: list[tuple[Any, ...]]  # the stored values of `columns`, in the list's order


def filter_words(session: Session, entity: fields.EntitySpec, query: records.Query) -> str:
    """The query in words, e.g. 2012年 · 发明 · 已授权 · 搜索“电机”; 全部记录 when nothing narrows it."""
    parts = [messages.LIST_RECYCLE_BIN] if query.deleted else []
    if query.year is not None:
        parts.append(messages.LIST_YEAR.format(year=query.year))
    for spec in entity.fields:
        value = query.filters.get(spec.key)
        if value in (None, ""):
            continue
        if spec.kind == fields.UNIT:
            value = records.unit_name(session, value) or value
        shown = (
            value
            if spec.kind == fields.CHOICE
            else messages.LIST_FIELD_IS.format(label=spec.label, value=value)
        )
        parts.append(str(shown))
    if query.search.strip():
        parts.append(messages.LIST_SEARCH.format(words=query.search.strip()))
    return SEPARATOR.join(parts) or messages.LIST_EVERYTHING


def iter_list_sheet(
    session: Session, entity: fields.EntitySpec, query: records.Query, today: dt.date
) -> Generator[tuple[int, int], None, ListSheet]:
    """Read the query's rows (the tab's columns, in its order), yielding (done, total); returns the sheet."""
    total = records.count(session, entity, query)
    columns = entity.table_fields
    places = [1 + [spec.key for spec in entity.fields].index(spec.key) for spec in columns]
    stmt = records.page_statement(entity, query, session).execution_options(yield_per=2000)
    rows = []
    for row in session.execute(stmt):
        rows.append(tuple(row[place] for place in places))
        if len(rows) % PROGRESS_EVERY == 0:
            yield len(rows), max(total, len(rows))
    yield len(rows), len(rows)
    date = messages.DATE_TEXT.format(year=today.year, month=today.month, day=today.day)
    return ListSheet(
        title=messages.LIST_TITLE.format(label=entity.label),
        filter_words=filter_words(session, entity, query),
        summary=messages.LIST_SUMMARY.format(n=len(rows), date=date),
        columns=columns,
        rows=rows,
    )
