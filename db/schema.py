"""The schema revisions this program knows, and the tables and columns a file of each revision has."""

from __future__ import annotations

import json
import sqlite3
from functools import cache
from pathlib import Path

from db import messages

# Every Alembic revision id in db/migrations/versions, oldest first. A test checks the list
# against the scripts, so opening a file needs no Alembic import when no upgrade is due.
KNOWN_REVISIONS = ("0001_initial", "0002_word_search", "0003_history_lapse_version")
SCHEMA_HEAD = KNOWN_REVISIONS[-1]
# One file per revision, written by db/migrations/shapes/make_shapes.py when the revision is added.
SHAPES_DIR = Path(__file__).resolve().parent / "migrations" / "shapes"

Shape = dict[str, list[str]]  # table name -> its column names


def shape_file(revision: str) -> Path:
    """Where the tables and columns of `revision` are committed."""
    return SHAPES_DIR / f"{revision}.json"


@cache
def expected_shape(revision: str) -> Shape:
    """The tables and columns every file at `revision` has."""
    return json.loads(shape_file(revision).read_text(encoding="utf-8"))


def read_shape(conn: sqlite3.Connection) -> Shape:
    """The real tables of an open file and their columns: no views, virtual tables or their shadow tables.

    The word index's FTS5 tables are left out: a file made where SQLite lacks FTS5 has none.
    """
    rows = conn.execute(
        "SELECT name, coalesce(sql, '') FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
    ).fetchall()
    virtual = [name for name, sql in rows if sql.upper().startswith("CREATE VIRTUAL")]
    real = [n for n, _ in rows if not any(n == v or n.startswith(v + "_") for v in virtual)]
    return {name: _columns(conn, name) for name in sorted(real)}


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    quoted = table.replace('"', '""')
    return [row[1] for row in conn.execute(f'PRAGMA table_info("{quoted}")')]


def shape_problem(conn: sqlite3.Connection, revision: str) -> str | None:
    """What a file at `revision` lacks of that revision's tables and columns (a phrase); None when whole."""
    actual = read_shape(conn)
    for table, columns in expected_shape(revision).items():
        if table not in actual:
            return messages.SHAPE_NO_TABLE.format(table=table)
        missing = [c for c in columns if c not in actual[table]]
        if missing:
            return messages.SHAPE_NO_COLUMN.format(table=table, column=missing[0])
    return None
