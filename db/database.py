"""Create and open data files: header checks, pragmas, application_id, schema version, lock file."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from db import messages
from db.engine import JOURNAL_SUFFIX, WRITE_TRANSACTION, is_busy, make_engine, writes
from db.lock import LOCK_SUFFIX, LockRecord, lock_path_for, release_lock, settle_lock
from db.reasons import reason_of
from db.schema import KNOWN_REVISIONS, SCHEMA_HEAD, shape_problem
from db.sqlite_store import SQLiteStore
from db.uri import file_uri

log = logging.getLogger(__name__)

APPLICATION_ID = 0x4B4A4A31  # "KJJ1": marks a file as ours
SQLITE_HEADER = b"SQLite format 3\x00"
CLEAN_CLOSE_KEY = "clean_close"
SET_SETTING_SQL = (
    "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value "
    "WHERE value <> excluded.value"
)
IN_USE_KEY = "kejiju_in_use"  # in Connection.info: this transaction cleared the clean-close mark


class DataFileError(Exception):
    """A data file that cannot be used; `str()` is a sentence a clerk understands."""

    exit_code = 2

    def __init__(self, path: Path | str, message: str):
        super().__init__(message)
        self.path = Path(path)
        self.message = message


class FileMissingError(DataFileError):
    """The path names no file."""


class NotSQLiteError(DataFileError):
    """Empty, or not an SQLite database at all (a picture, a document, random bytes)."""


class ForeignFileError(DataFileError):
    """An SQLite database of another program."""


class DamagedFileError(DataFileError):
    """Ours, but truncated or corrupt; the clerk should restore a backup."""


class NewerVersionError(DataFileError):
    """Written by a newer version of the program than this one."""


class FileBusyError(DataFileError):
    """Another process held the file for writing longer than busy_timeout; nothing was written."""

    exit_code = 1


class ConnectionLostError(DataFileError):
    """The connection to a server broke off (or could not be made again) during an action: its
    transaction was rolled back by the server, nothing of it was written."""

    exit_code = 1


# SQLSTATE classes of a connection gone: connection exception, operator intervention (server shut down).
LOST_STATES = ("08", "57P")


def connection_lost(error: Exception, name: str) -> ConnectionLostError | None:
    """`error` as the sentence of a server gone away mid-action (`name` its display name); None for any
    other error. A data file's errors carry no SQLSTATE and are never taken for one."""
    if not isinstance(error, DBAPIError):
        return None
    state = getattr(error.orig, "sqlstate", "")
    gone = isinstance(error, OperationalError) and (state is None or str(state).startswith(LOST_STATES))
    if not (error.connection_invalidated or gone):
        return None
    return ConnectionLostError(name, messages.SERVER_CONNECTION_LOST.format(name=name))


class CannotWriteError(DataFileError):
    """A new file cannot be written where asked (exists already, or the place is not writable)."""

    exit_code = 1


@dataclass
class FileInfo:
    """What probing a file found, before any connection that could write to it."""

    revision: str | None
    clean_close: bool
    writable: bool


@dataclass
class DataFile(SQLiteStore):
    """An open data file, the SQLite store (db/store.py): its engine, its sessions and what the clerk
    must be told about it."""

    path: Path
    engine: Engine
    sessions: sessionmaker[Session]
    read_only: bool
    notices: list[str] = field(default_factory=list)
    lock_holder: str | None = None
    lock_notice: str | None = None  # also in `notices`; the command line prints it as a warning
    _lock: LockRecord | None = None
    _on_close: Callable[[], None] | None = None
    _in_use: InUseMark | None = None

    @contextlib.contextmanager
    def writer(self) -> Iterator[Session]:
        """The session of one action that writes, in a BEGIN IMMEDIATE transaction: no other process
        writes between what it reads and what it writes. Committed at the end, rolled back on an
        exception or by `session.rollback()`. Raises FileBusyError when another process kept writing."""
        bind = self.engine.execution_options(**{WRITE_TRANSACTION: True})
        try:
            with self.sessions(bind=bind) as session, session.begin():
                yield session
        except OperationalError as exc:
            if not is_busy(exc):
                raise
            raise FileBusyError(self.path, messages.BUSY) from exc

    def close(self) -> None:
        """Mark a clean close when anything was written, release our lock (never another process's) and
        dispose of the engine."""
        if self._on_close is not None:
            self._on_close()
            return
        if self._in_use is not None and self._in_use.marked:
            try:
                _set_setting(self.engine, CLEAN_CLOSE_KEY, "1")
            except Exception:  # noqa: BLE001 - the next open checks the file instead (an unclean close)
                log.warning("could not mark a clean close of %s", self.path, exc_info=True)
        self.engine.dispose()
        if self._lock is not None:
            release_lock(self.path, self._lock)
            self._lock = None


def _raw_readonly(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(file_uri(path, mode="ro"), uri=True)
    conn.execute("PRAGMA trusted_schema=OFF")
    return conn


def probe(path: Path | str, *, full_check: bool = False) -> FileInfo:
    """Look at a file without changing a byte of it; raise a DataFileError saying what is wrong."""
    path = Path(path)
    if path.is_dir():
        raise FileMissingError(path, messages.FOLDER.format(path=path))
    if not path.is_file():
        raise FileMissingError(path, messages.MISSING.format(path=path))
    size = path.stat().st_size
    with path.open("rb") as fh:
        header = fh.read(100)
    if size == 0:
        raise NotSQLiteError(path, messages.EMPTY.format(name=path.name))
    if not header.startswith(SQLITE_HEADER):
        raise NotSQLiteError(path, messages.NOT_SQLITE.format(name=path.name))
    if len(header) < 100:
        raise DamagedFileError(path, messages.DAMAGED.format(name=path.name))
    try:
        conn = _raw_readonly(path)
    except sqlite3.Error as exc:
        raise DamagedFileError(path, messages.DAMAGED.format(name=path.name)) from exc
    try:
        return _probe_connection(conn, path, size, full_check)
    except sqlite3.DatabaseError as exc:
        log.info("probe of %s failed: %s", path, exc)
        raise DamagedFileError(path, messages.DAMAGED.format(name=path.name)) from exc
    finally:
        conn.close()


def damage_error(exc: BaseException, path: Path | str) -> DamagedFileError | None:
    """The DamagedFileError an engine error stands for when it says the file is damaged, else None.

    probe() finds damage only where it runs quick_check; a damaged page met later by a read surfaces
    as the driver's "database disk image is malformed" (SQLITE_CORRUPT) or SQLITE_NOTADB.
    """
    code = getattr(getattr(exc, "orig", exc), "sqlite_errorcode", None)
    if code is None or code & 0xFF not in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return None
    return DamagedFileError(path, messages.DAMAGED.format(name=Path(path).name))


def _probe_connection(conn: sqlite3.Connection, path: Path, size: int, full_check: bool) -> FileInfo:
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    page_count = conn.execute("PRAGMA page_count").fetchone()[0]
    if page_size * page_count > size:
        raise DamagedFileError(path, messages.DAMAGED.format(name=path.name))
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if app_id != APPLICATION_ID:
        raise ForeignFileError(path, messages.FOREIGN.format(name=path.name))
    revision = _read_revision(conn)
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise NewerVersionError(path, messages.NEWER.format(name=path.name))
    # Before anything reads or writes: a file lacking a table or column of its own revision would
    # raise mid-command or be "upgraded" over what is left of it.
    problem = messages.SHAPE_NO_VERSION if revision is None else shape_problem(conn, revision)
    if problem is not None:
        raise DamagedFileError(path, messages.INCOMPLETE.format(name=path.name, problem=problem))
    clean = _read_clean_close(conn)
    if full_check or not clean:
        result = conn.execute("PRAGMA quick_check").fetchall()
        if [r[0] for r in result] != ["ok"]:
            raise DamagedFileError(path, messages.DAMAGED.format(name=path.name))
    return FileInfo(revision=revision, clean_close=clean, writable=_is_writable(path))


def _read_revision(conn: sqlite3.Connection) -> str | None:
    has = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'").fetchone()
    if not has:
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def _read_clean_close(conn: sqlite3.Connection) -> bool:
    try:
        row = conn.execute("SELECT value FROM settings WHERE key=?", (CLEAN_CLOSE_KEY,)).fetchone()
    except sqlite3.OperationalError:
        return False
    return row is None or row[0] != "0"


def _is_writable(path: Path) -> bool:
    # SQLite writes its rollback journal beside the file, so the folder must be writable too.
    # The file's own read-only mark is honoured even for an administrator, whom os.access lets through.
    marked_read_only = not path.stat().st_mode & stat.S_IWUSR
    return not marked_read_only and os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def create_data_file(path: Path | str, *, overwrite: bool = False) -> None:
    """Create an empty data file at head revision; refuse an existing file unless `overwrite`."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise CannotWriteError(path, messages.EXISTS.format(path=path))
    tmp = path.with_name(path.name + ".creating")
    with contextlib.suppress(OSError):  # none left over, or a path that cannot hold one (said below)
        tmp.unlink()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = make_engine(tmp)
        try:
            _stamp_new(engine)
        finally:
            engine.dispose()
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise CannotWriteError(path, messages.CANNOT_WRITE.format(path=path, reason=reason_of(exc))) from exc


def _stamp_new(engine: Engine) -> None:
    from db.migrate import upgrade_to_head

    with engine.begin() as conn:
        conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
    upgrade_to_head(engine)
    from db.models import Setting, new_uid

    with Session(engine) as s, s.begin():
        s.add(Setting(key="office_id", value=new_uid()))
        s.add(Setting(key=CLEAN_CLOSE_KEY, value="1"))


def open_data_file(
    path: Path | str,
    *,
    read_only: bool = False,
    before_upgrade: Callable[[Path], None] | None = None,
    take_lock: bool = True,
    take_over: bool = False,
) -> DataFile:
    """Open a data file for use, upgrading an older schema after `before_upgrade` (a backup).

    Every opening reads the lock file and says who else holds the file (`lock_notice`); a writer taking
    the lock replaces a stale one, and another live holder's only with `take_over` (see `settle_lock`).
    A journal a crash left beside the file is dealt with first, the same way for every caller
    (db/journal.py).
    """
    from db.journal import settle_journal

    path = Path(path)
    settled = settle_journal(path)
    if settled.read_path != path:
        return _open_rolled_back_copy(path, settled, read_only)
    info = probe(path)
    notices: list[str] = []
    if not read_only and not info.writable:
        read_only = True
        notices.append(messages.READ_ONLY.format(name=path.name))
    lock = settle_lock(path, taking=take_lock and not read_only, take_over=take_over)
    notices.extend([lock.notice] if lock.notice else [])
    try:
        data = _open_checked(path, info.revision, read_only, notices, before_upgrade)
    except BaseException:  # a file that did not open (refused, or SIGTERM mid-open) is left as it was
        if lock.written is not None:
            release_lock(path, lock.written)
        raise
    data.lock_holder, data.lock_notice, data._lock = lock.holder, lock.notice, lock.written
    return data


def _open_checked(
    path: Path,
    revision: str | None,
    read_only: bool,
    notices: list[str],
    before_upgrade: Callable[[Path], None] | None,
) -> DataFile:
    if revision != SCHEMA_HEAD:
        if read_only:
            return _open_upgraded_copy(path, notices)
        if before_upgrade is not None:
            before_upgrade(path)
        _upgrade(path)
    engine = make_engine(path, read_only=read_only)
    sessions = sessionmaker(engine, expire_on_commit=False)
    data = DataFile(path, engine, sessions, read_only, notices)
    if not read_only:
        data._in_use = InUseMark(engine)
    return data


class InUseMark:
    """Clears the clean-close mark in each write transaction of an open file, with its first write.

    Opening writes nothing, so opening and closing (a refused import, a check, a window only looked at)
    leaves the file byte for byte; once a transaction that wrote has committed, close sets the mark again.
    A crash between the two leaves clean_close "0": the next open runs quick_check. Every transaction
    clears it (a no-op once "0"), as another program on the file may have closed and set it meanwhile.
    """

    def __init__(self, engine: Engine):
        self.marked = False  # a transaction that cleared the mark has committed
        event.listen(engine, "before_cursor_execute", self._before_execute)
        event.listen(engine, "commit", self._on_commit)
        event.listen(engine, "rollback", self._on_rollback)
        # A savepoint rolled back may have taken the mark's UPSERT with it: the next write puts it back.
        event.listen(engine, "rollback_savepoint", self._on_rollback)

    def _before_execute(self, conn, _cursor, statement: str, *_args) -> None:
        # Not on the PRAGMAs that mark page 1 (db/engine.py): page 1 stays the journal's first page.
        if conn.info.get(IN_USE_KEY) or not writes(statement) or _is_pragma(statement):
            return
        conn.info[IN_USE_KEY] = True  # before the statement below, which comes back through this hook
        conn.exec_driver_sql(SET_SETTING_SQL, (CLEAN_CLOSE_KEY, "0"))

    def _on_commit(self, conn) -> None:
        if conn.info.pop(IN_USE_KEY, False):
            self.marked = True

    def _on_rollback(self, conn, *_savepoint) -> None:
        conn.info.pop(IN_USE_KEY, None)


def _is_pragma(statement: str) -> bool:
    return statement.lstrip()[:6].upper() == "PRAGMA"


def _open_rolled_back_copy(path: Path, settled, read_only: bool) -> DataFile:
    """A file that cannot be written, with our crash's journal beside it: read its rolled-back copy."""
    data = open_data_file(settled.read_path, read_only=True, take_lock=False)
    close_copy = data._on_close or data.engine.dispose

    def close() -> None:
        close_copy()
        settled.discard()

    wanted_writing = [] if read_only else [messages.READ_ONLY.format(name=path.name)]
    data.path, data._on_close = path, close
    data.notices = [*wanted_writing, settled.notice, *data.notices]
    return data


def _open_upgraded_copy(path: Path, notices: list[str]) -> DataFile:
    """An older file that must not be written: read an upgraded temporary copy, leave the file as it is."""
    from db.portable import open_untrusted

    incoming = open_untrusted(path)
    data = incoming.data
    data.notices = [*notices, messages.OLD_COPY.format(name=path.name)]
    data._on_close = incoming.close
    return data


def _upgrade(path: Path) -> None:
    from db.migrate import upgrade_to_head

    engine = make_engine(path)
    try:
        upgrade_to_head(engine)
    finally:
        engine.dispose()


def _set_setting(engine: Engine, key: str, value: str) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql(SET_SETTING_SQL, (key, value))


def paths_of(path: Path | str) -> tuple[Path, Path, Path]:
    """The data file and the files kept beside it while it is in use: its journal and its lock."""
    path = Path(path)
    return path, path.with_name(path.name + JOURNAL_SUFFIX), lock_path_for(path)


def companion_owner(path: Path | str) -> Path | None:
    """The data file whose journal or lock `path` is named as (whether or not it exists), else None."""
    name = Path(path).name
    for suffix in (JOURNAL_SUFFIX, LOCK_SUFFIX):
        if name.endswith(suffix) and len(name) > len(suffix):
            return Path(path).with_name(name[: -len(suffix)])
    return None
