"""The engine-neutral store handle: what services and the report may ask of the data, on any engine."""

from __future__ import annotations

from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

# Kinds of word index (Capabilities.word_index); None: no index, LIKE answers every search.
WORD_INDEX_FTS5_BIGRAMS = "fts5-bigrams"
WORD_INDEX_SERVER_BIGRAMS = "server-bigrams"  # the same bigrams in a GIN-indexed text[] (db/server_search.py)
# Kinds of structure check (Capabilities.integrity_check).
INTEGRITY_SQLITE = "sqlite-integrity-check"
INTEGRITY_AMCHECK = "postgresql-amcheck"  # amcheck's B-tree checks (where the server has the extension)
# What can keep a table's word index from being right (StoreChecks.search_index_problems), whatever
# the index is made of: changes no longer noted, no queue of changes, or rows and index out of step.
MISSING_TRIGGERS, MISSING_QUEUE, OUT_OF_STEP = "missing_triggers", "missing_queue", "out_of_step"


@dataclass(frozen=True)
class Capabilities:
    """What the engine behind a store can do, for code that must choose (never by the engine's name)."""

    engine: str  # SQLAlchemy's dialect name: for logs and this page, not for branching in services
    file_path: Path | None  # the data file, when the store is one; None on a server
    backup_api: bool  # writes a consistent copy while in use (SQLite's backup API)
    word_index: str | None  # WORD_INDEX_*, or None when searches scan
    integrity_check: str | None  # INTEGRITY_*, or None when the engine has no check of its own
    may_purge: bool = True  # this account may empty a record (永久删除): on a server, a 管理员 only
    # this account may merge another office's file in, which moves the merge marks: on a server, a 管理员
    may_merge: bool = True
    writes_history: bool = False  # the store writes each record's change-log line itself (writes_history)


class StoreChecks(Protocol):
    """The engine's own checks and repairs that run inside the caller's transaction."""

    def integrity_problems(self, session: Session) -> list[str]:
        """What the engine's structure check finds wrong (empty when sound)."""
        ...

    def broken_references(self, session: Session) -> dict[str, int]:
        """Per table, how many rows point at a record that does not exist."""
        ...

    def search_index_problems(self, session: Session) -> dict[str, list[str]]:
        """Per table, what keeps its word index from being right (MISSING_*, OUT_OF_STEP)."""
        ...

    def repair_search_index(self, session: Session) -> list[str]:
        """Put right what search_index_problems finds; returns the tables repaired."""
        ...


class Store(Protocol):
    """An open store: sessions, what to call it in a sentence, what its engine can do, and the
    engine-specific operations on the whole store. `db.database.DataFile` is the SQLite one."""

    sessions: sessionmaker[Session]
    read_only: bool
    notices: list[str]

    @property
    def display_name(self) -> str:
        """The name a sentence calls the store by (a file's name, a server's database)."""
        ...

    @property
    def capabilities(self) -> Capabilities: ...

    @property
    def checks(self) -> StoreChecks: ...

    def writer(self) -> AbstractContextManager[Session]:
        """The session of one action that writes, holding the write lock until it ends."""
        ...

    def backup_to(self, target: Path, *, overwrite: bool = False) -> None:
        """Write a consistent, verified copy of the whole store as a new data file at `target`."""
        ...

    def rebuild_indexes(self) -> None:
        """Rebuild every index from the table rows (repairs index damage without touching a row)."""
        ...

    def compact(self) -> bool:
        """Give free space back and store the rows compactly (outside any transaction); False when this
        account may not (a server's tables belong to their owner), nothing done."""
        ...

    def close(self) -> None: ...


def checks_for(session: Session) -> StoreChecks:
    """The checks of the engine a session talks to, for code that holds a session but not its store."""
    from db.server import SERVER_CHECKS
    from db.sqlite_store import SQLITE_CHECKS

    engines = {"sqlite": SQLITE_CHECKS, "postgresql": SERVER_CHECKS}
    return engines[session.get_bind().dialect.name]


def writes_history(session: Session) -> bool:
    """Whether the store behind `session` writes each record's change-log line itself, read off the row
    written (a server's triggers, db/server_history.py: no clerk may write the log there); the program
    then writes none. Capabilities.writes_history says the same of a store."""
    return session.get_bind().dialect.name == "postgresql"


@contextmanager
def history_notes(session: Session, **notes: str | bool):
    """What only the program knows of the lines a store writes itself for the rows written inside the
    block: `action` (a merge's), `their_operator` (a merge line's other office), `as_stored` (an import's
    create lines), `operator` (heeded for a superuser only). Nothing on a store that writes no lines."""
    from db import server_history

    with server_history.noted(session, notes) if writes_history(session) else nullcontext():
        yield
