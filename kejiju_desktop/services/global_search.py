"""One search over every kind of record with a tab, through the tabs' own word search: first rows, then counts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from kejiju_desktop import fields
from kejiju_desktop.services import records

FIRST_ROWS = 20  # rows of each kind shown at once; the counts follow


@dataclass(frozen=True)
class Hit:
    """A record found: its id, its name, and its other searched texts that hold a word, as (label, text)."""

    record_id: int
    name: str
    details: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class KindHits:
    """The first records of one kind holding every word; `more` when the kind holds others too."""

    table: str
    hits: tuple[Hit, ...]
    more: bool


def search_query(entity: fields.EntitySpec, words: str) -> records.Query:
    """The query a tab runs for these words, in the tab's first order (newest first, names in pinyin)."""
    return records.Query(
        search=words.strip(), sort=entity.default_sort, descending=records.newest_first(entity)
    )


def first_hits(session: Session, words: str, limit: int = FIRST_ROWS) -> list[KindHits]:
    """The first `limit` records of each kind with a tab holding every word; kinds with none left out."""
    if not words.strip():
        return []
    found = []
    for table in fields.TAB_TABLES:
        entity = fields.ENTITIES[table]
        rows = records.list_page(session, entity, search_query(entity, words), 0, limit + 1)
        if rows:
            hits = tuple(_hit(entity, row, words) for row in rows[:limit])
            found.append(KindHits(table, hits, len(rows) > limit))
    return found


def count_hits(session: Session, words: str, tables: list[str]) -> dict[str, int]:
    """How many records of each of `tables` hold every word."""
    return {
        table: records.count(session, fields.ENTITIES[table], search_query(fields.ENTITIES[table], words))
        for table in tables
    }


def _hit(entity: fields.EntitySpec, row: tuple, words: str) -> Hit:
    values = dict(zip((spec.key for spec in entity.fields), row[1:], strict=True))
    details = []
    for spec in entity.search_fields:
        text = "" if values[spec.key] is None else str(values[spec.key])
        if spec.key != entity.display_key and marked_spans(text, words):
            details.append((spec.label, text))
    return Hit(row[0], str(values[entity.display_key] or ""), tuple(details))


def marked_spans(text: str, words: str) -> list[tuple[int, int]]:
    """Where the words stand in `text` (case ignored), as merged (start, end) spans in order."""
    spans = []
    for word in words.split():
        spans += [(m.start(), m.end()) for m in re.finditer(re.escape(word), text, re.IGNORECASE)]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
