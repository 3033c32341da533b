"""Whole stores between a server and data files: a server's snapshot as a new file, a bureau's file into an
empty server (every table, ids and uids kept), and the values a server's columns are too short for."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import String, delete, func, insert, select, text
from sqlalchemy.engine import Connection

from db import messages, search, server_history
from db.database import CLEAN_CLOSE_KEY, CannotWriteError, create_data_file
from db.engine import make_engine
from db.models import Base, Setting
from db.reasons import reason_of

BATCH = 5_000
# Settings the store keeps of itself, not the bureau's: a copy keeps its own.
OWN_KEYS = (CLEAN_CLOSE_KEY,)


@dataclass(frozen=True)
class TooLong:
    """A value longer than the server's column allows (SQLite never enforced the lengths)."""

    table: str
    column: str
    uid: str  # the record's uid (or a setting's key, a draft's year) to find it by
    length: int
    limit: int


class TooLongError(CannotWriteError):
    """Values the server cannot hold: nothing was written; `too_long` lists them."""

    def __init__(self, name: str, too_long: list[TooLong]):
        super().__init__(name, messages.SERVER_VALUES_TOO_LONG.format(name=name, n=len(too_long)))
        self.too_long = too_long


class NotEmptyError(CannotWriteError):
    """The server already holds records: a bureau is moved only into an empty one (else: merge)."""


@contextlib.contextmanager
def server_snapshot(store) -> Iterator[Connection]:
    """A REPEATABLE READ, READ ONLY connection on `store` (a ServerStore) whose snapshot holds every edit
    committed before it and none stamped after it.

    Why it waits for writers first: a writer stamps `updated_at` before it commits. Writers take turns
    (the write lock, ServerStore.writer, held from before a writer stamps until it commits), so every
    edit committed before the snapshot was stamped before any edit it misses: a merge mark taken from it
    (their_latest) never counts a missed edit as seen. Waiting until the writer at work has committed
    (WAIT_FUNCTION, which holds the lock only while it waits: a 查看, who may back up, may not take the
    lock itself) puts that writer's edit in the copy too. The wait is a statement of its own, before the
    REPEATABLE READ transaction, whose snapshot is fixed at its first statement."""
    from db.server import LOCK_WAIT, WAIT_FUNCTION

    with store.engine.connect() as conn:
        conn.execute(text(f"SET lock_timeout = '{LOCK_WAIT}'"))  # as a writer waits: then told so
        conn.execute(text(f"SELECT {WAIT_FUNCTION}"))
        conn.execute(text("SET lock_timeout = 0"))
        conn.commit()
        reading = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with reading.begin():
            yield reading


def copy_tables(source: Connection, target: Connection) -> None:
    """Every row of every table of ours from `source` into `target` (whose tables hold nothing but their
    own settings), ids and uids kept; the settings are the source's, but for the store's own; the word
    index rebuilt and, on a server, the id sequences moved past the ids copied."""
    theirs = Setting.__table__.c.key.not_in(OWN_KEYS)
    target.execute(delete(Setting.__table__).where(theirs))
    for table in Base.metadata.sorted_tables:
        query = select(table)
        if table is Setting.__table__:
            query = query.where(theirs)
        with search.bulk_insert(target, table.name):
            _copy_rows(source, query, target, table)
    for table in search.INDEXED:
        if search.has_index(target, table):
            search.rebuild(target, table)
    if target.dialect.name == "postgresql":
        _move_sequences(target)


def _copy_rows(source: Connection, query, target: Connection, table) -> None:
    # Streamed (a server-side cursor on a server): a county's patents are never all in memory at once.
    result = source.execute(query.execution_options(stream_results=True))
    try:
        while rows := result.mappings().fetchmany(BATCH):
            target.execute(insert(table), [dict(row) for row in rows])
    finally:
        result.close()


def _move_sequences(conn: Connection) -> None:
    # Rows were inserted with their ids: the next row a clerk saves must get a new one.
    for table in Base.metadata.sorted_tables:
        if "id" in table.c and table.c.id.autoincrement in (True, "auto") and table.c.id.primary_key:
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"coalesce(max(id), 1), max(id) IS NOT NULL) FROM {table.name}"
                )
            )


def too_long(source: Connection) -> list[TooLong]:
    """Every value of `source` longer than its column's declared length (which a server enforces)."""
    found = []
    for table in Base.metadata.sorted_tables:
        name = _name_column(table)
        for column in table.c:
            limit = getattr(column.type, "length", None)
            if not isinstance(column.type, String) or not limit:
                continue
            length = func.length(column)
            for key, size in source.execute(select(name, length).where(length > limit)):
                found.append(TooLong(table.name, column.name, str(key), size, limit))
    return found


def _name_column(table):
    """What names a row to the clerk: its uid, else its first key column."""
    return table.c.uid if "uid" in table.c else list(table.primary_key.columns)[0]


def holds_data(conn: Connection) -> bool:
    """True when any table of ours but the settings holds a row."""
    return any(
        conn.execute(select(func.count()).select_from(table)).scalar()
        for table in Base.metadata.sorted_tables
        if table is not Setting.__table__
    )


def move_into(store, source: Connection) -> None:
    """Copy a bureau's whole file (`source`) into the empty server `store` in one write transaction.
    Refused, with nothing written, when the server holds data (NotEmptyError) or a value is longer
    than the server's column allows (TooLongError, listing every one), both said before writing."""
    with store.writer() as session:
        target = session.connection()
        if holds_data(target):
            raise NotEmptyError(store.display_name, messages.SERVER_NOT_EMPTY.format(name=store.display_name))
        found = too_long(source)
        if found:
            raise TooLongError(store.display_name, found)
        server_history.history_off(target)  # the file's own lines are copied, no new ones written
        copy_tables(source, target)


def backup_server(store, target: Path, *, overwrite: bool = False) -> None:
    """A consistent snapshot of the server `store` (server_snapshot) as a new data file at `target`, made
    by the create path, checked, under a temporary name and then renamed into place."""
    from db.portable import MSG_BAD_COPY, is_sound

    target = Path(target)
    if target.exists() and not overwrite:
        raise CannotWriteError(target, messages.EXISTS.format(path=target))
    tmp = target.with_name(f".{target.name}.{os.getpid()}.copying")
    try:
        create_data_file(tmp, overwrite=True)
        _fill(store, tmp)
        if not is_sound(tmp):
            raise CannotWriteError(target, MSG_BAD_COPY)
        os.replace(tmp, target)
    except OSError as exc:
        raise CannotWriteError(
            target, messages.CANNOT_WRITE.format(path=target, reason=reason_of(exc))
        ) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _fill(store, path: Path) -> None:
    engine = make_engine(path)
    try:
        with server_snapshot(store) as source, engine.begin() as conn:
            copy_tables(source, conn)
    finally:
        engine.dispose()
