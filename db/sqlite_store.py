"""The SQLite side of the store handle (db/store.py): its checks, capabilities and whole-file operations."""

from __future__ import annotations

import functools
import sqlite3
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from db import search
from db.engine import outside_transaction
from db.store import INTEGRITY_SQLITE, WORD_INDEX_FTS5_BIGRAMS, Capabilities, StoreChecks


class SQLiteChecks:
    """PRAGMA integrity_check and foreign_key_check, and the FTS5 word index's own check and repair."""

    def integrity_problems(self, session: Session) -> list[str]:
        rows = [r[0] for r in session.connection().exec_driver_sql("PRAGMA integrity_check").all()]
        return [] if rows == ["ok"] else rows

    def broken_references(self, session: Session) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in session.connection().exec_driver_sql("PRAGMA foreign_key_check").all():
            counts[row[0]] = counts.get(row[0], 0) + 1
        return counts

    def search_index_problems(self, session: Session) -> dict[str, list[str]]:
        return search.index_problems(session.connection())

    def repair_search_index(self, session: Session) -> list[str]:
        return search.repair_index(session.connection())


SQLITE_CHECKS = SQLiteChecks()


@functools.cache
def has_fts5() -> bool:
    """True when the SQLite this program runs on has FTS5 (asked once, of a database in memory)."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE probe USING fts5(body)")
    except sqlite3.OperationalError:
        return False
    finally:
        conn.close()
    return True


class SQLiteStore:
    """What makes a DataFile a Store: it names its file, says what SQLite can do here and runs the
    whole-file operations (backup API, REINDEX, VACUUM)."""

    path: Path
    engine: Engine

    @property
    def display_name(self) -> str:
        """The file's name, as every sentence about it says it."""
        return self.path.name

    @property
    def capabilities(self) -> Capabilities:
        """A file, with the backup API and SQLite's integrity check; the FTS5 word index where this
        SQLite has FTS5 (a file made without it is searched by LIKE: db/search.py)."""
        word_index = WORD_INDEX_FTS5_BIGRAMS if has_fts5() else None
        return Capabilities("sqlite", self.path, True, word_index, INTEGRITY_SQLITE)

    @property
    def checks(self) -> StoreChecks:
        return SQLITE_CHECKS

    def backup_to(self, target: Path, *, overwrite: bool = False) -> None:
        """另存副本 through SQLite's backup API, verified, under a temporary name and then renamed."""
        from db.portable import copy_consistent

        copy_consistent(self.path, target, overwrite=overwrite)

    def rebuild_indexes(self) -> None:
        """REINDEX."""
        with self.engine.connect() as conn:
            conn.exec_driver_sql("REINDEX")
            conn.commit()

    def compact(self) -> bool:
        """VACUUM, which SQLite runs only outside a transaction; whoever may write the file may."""
        with self.engine.connect() as conn:
            outside_transaction(conn, "VACUUM")
        return True
