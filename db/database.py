"""Create and open data files: header checks, pragmas, application_id, schema version, lock file."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import getpass
import json
import logging
import os
import socket
import sqlite3
import stat
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from db import messages
from db.reasons import reason_of
from db.schema import KNOWN_REVISIONS, SCHEMA_HEAD, shape_problem
from db.sqlite_store import SQLiteStore
from db.uri import file_uri

log = logging.getLogger(__name__)

APPLICATION_ID = 0x4B4A4A31  # "KJJ1": marks a file as ours
SQLITE_HEADER = b"SQLite format 3\x00"
LOCK_SUFFIX = ".lock"
JOURNAL_SUFFIX = "-journal"  # SQLite's rollback journal beside the file (journal_mode=DELETE)
CLEAN_CLOSE_KEY = "clean_close"
# Execution option of a connection whose transactions begin IMMEDIATE (see DataFile.writer).
WRITE_TRANSACTION = "kejiju_write_transaction"
# Where a rollback journal's header keeps the nonce SQLite drew for it (see _mark_transaction).
JOURNAL_NONCE = slice(12, 16)
MARKED_KEY = "kejiju_marked"  # in Connection.info: the transaction has marked page 1
JOURNAL_KEY = "kejiju_journal"  # in Connection.info: where SQLite keeps this connection's journal
READING_STATEMENTS = frozenset(
    {"SELECT", "BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE", "EXPLAIN"}
)
WRITING_PRAGMAS = frozenset({"application_id", "user_version"})


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
        """Mark a clean close, release our lock (never another process's) and dispose of the engine."""
        if self._on_close is not None:
            self._on_close()
            return
        if not self.read_only:
            try:
                _set_setting(self.engine, CLEAN_CLOSE_KEY, "1")
            except Exception:  # noqa: BLE001 - the next open checks the file instead (an unclean close)
                log.warning("could not mark a clean close of %s", self.path, exc_info=True)
        self.engine.dispose()
        if self._lock is not None:
            release_lock(self.path, self._lock)
            self._lock = None


def _on_connect(read_only: bool) -> Callable:
    def set_pragmas(dbapi_conn, record) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA trusted_schema=OFF")
        cur.execute("PRAGMA busy_timeout=5000")
        if not read_only:
            cur.execute("PRAGMA journal_mode=DELETE")
            # SQLite's own name of the file (a symbolic link resolved): its journal is beside that.
            main = next(row[2] for row in cur.execute("PRAGMA database_list") if row[1] == "main")
            record.info[JOURNAL_KEY] = Path(main + JOURNAL_SUFFIX)
        cur.close()
        # The driver's own transaction handling would commit a DROP TRIGGER at once when no INSERT
        # came before it, and holds no lock across the reads of a transaction: _begin does it instead.
        dbapi_conn.isolation_level = None

    return set_pragmas


def _begin(conn: Connection) -> None:
    # SQLAlchemy's pysqlite recipe: BEGIN ourselves, so DDL is transactional and reads are consistent.
    # A writer takes the write lock at once (waiting up to busy_timeout), so what it read stays true.
    conn.info[MARKED_KEY] = False  # this transaction has not marked page 1 yet (see _mark_transaction)
    immediate = conn.get_execution_options().get(WRITE_TRANSACTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def outside_transaction(conn: Connection, sql: str) -> None:
    """Run `sql` with no transaction open, as SQLite needs for VACUUM (and PRAGMA foreign_keys, which
    it ignores inside one): committing what `conn` has begun first, then on the driver connection."""
    if conn.in_transaction():
        conn.commit()
    conn.connection.driver_connection.execute(sql)


def is_busy(exc: BaseException) -> bool:
    """True for the error of a file another connection kept locked past busy_timeout."""
    orig = getattr(exc, "orig", exc)
    text = str(orig)
    return isinstance(orig, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def make_engine(path: Path, *, read_only: bool = False) -> Engine:
    """An engine on `path` with the pragmas of DESIGN §4 on every connection; a writable one marks the
    file with each of its transactions (`_mark_transaction`)."""
    # URL.create keeps `database` as given: no URL text is parsed, so no character of the path is special.
    if read_only:
        url = URL.create("sqlite", database=file_uri(path, mode="ro"), query={"uri": "true"})
    else:
        url = URL.create("sqlite", database=str(path))
    engine = create_engine(url)
    event.listen(engine, "connect", _on_connect(read_only))
    event.listen(engine, "begin", _begin)
    if not read_only:
        event.listen(engine, "before_cursor_execute", _mark_transaction)
    return engine


def _mark_transaction(conn: Connection, cursor, statement: str, *_args) -> None:
    """Before a transaction's first write: page 1 into its journal, and the journal's nonce into page 1.

    The first write of a transaction makes the journal; PRAGMA user_version then journals page 1 at once
    and stores there the nonce of the journal's header (bytes 12..16, kept for the journal's life). Any
    hot journal of ours so holds the original page 1, and the file's page 1 is either that original or
    the one this very transaction wrote (user_version = the nonce): db/journal.py tells ours so.
    """
    if conn.info.get(MARKED_KEY) or not _writes(statement):
        return
    conn.info[MARKED_KEY] = True  # before the PRAGMAs, which come back through this hook
    conn.exec_driver_sql("PRAGMA user_version=0")  # makes the journal, with page 1 in it
    with conn.info[JOURNAL_KEY].open("rb") as fh:
        nonce = int.from_bytes(fh.read(JOURNAL_NONCE.stop)[JOURNAL_NONCE], "big", signed=True)
    conn.exec_driver_sql(f"PRAGMA user_version={nonce}")


def _writes(statement: str) -> bool:
    """Whether a statement may write to the file; one not known to be a read counts as a write."""
    words = statement.lstrip().split(None, 2)
    first = words[0].upper() if words else ""
    if first == "PRAGMA":
        return "=" in statement and statement.split("=")[0].split()[-1].lower() in WRITING_PRAGMAS
    return first not in READING_STATEMENTS


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
    except BaseException as exc:  # a file that did not open (refused, or SIGTERM mid-open) is left as it was
        # A refusal came before the in-use mark; an interruption may have come just after it.
        if not read_only and info.clean_close and not isinstance(exc, DataFileError):
            _restore_clean_close(path)
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
    if not read_only:
        _mark_in_use(engine, path)
    sessions = sessionmaker(engine, expire_on_commit=False)
    return DataFile(path, engine, sessions, read_only, notices)


def _mark_in_use(engine: Engine, path: Path) -> None:
    """Mark the file in use until a clean close; another program writing past busy_timeout: FileBusyError."""
    try:
        _set_setting(engine, CLEAN_CLOSE_KEY, "0")
    except OperationalError as exc:
        engine.dispose()
        if is_busy(exc):
            raise FileBusyError(path, messages.BUSY) from exc
        raise


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


def _restore_clean_close(path: Path) -> None:
    """Put back the clean-close mark an interrupted open may have cleared (nothing else was written)."""
    engine = make_engine(path)
    try:
        _set_setting(engine, CLEAN_CLOSE_KEY, "1")
    except Exception:  # noqa: BLE001 - the next open checks the file instead (an unclean close)
        log.warning("could not put back the clean-close mark of %s", path, exc_info=True)
    finally:
        engine.dispose()


def _set_setting(engine: Engine, key: str, value: str) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO settings(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
            (key, value),
        )


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


def lock_path_for(path: Path) -> Path:
    """The lock file beside a data file."""
    return path.with_name(path.name + LOCK_SUFFIX)


@dataclass(frozen=True)
class LockRecord:
    """Who wrote a lock file: host, user and process (its start time, so a reused pid is not taken for it)."""

    host: str
    user: str
    pid: int
    since: str
    token: str = ""
    started: str | None = None

    @classmethod
    def of_this_process(cls) -> LockRecord:
        pid = os.getpid()
        since = dt.datetime.now().isoformat(timespec="seconds")
        return cls(socket.gethostname(), _user_name(), pid, since, uuid.uuid4().hex, _process_started(pid))

    def holder(self) -> str:
        """Who holds the file, e.g. 电脑“PC-02”（用户 张三，自 2013-01-05 09:00:00 起）."""
        return messages.LOCK_HOLDER.format(host=self.host, user=self.user, since=self.since.replace("T", " "))

    def is_this_process(self) -> bool:
        return self.host == socket.gethostname() and self.pid == os.getpid()

    def is_stale(self) -> bool:
        """Left by a process of this PC that has ended (or whose pid now belongs to another program)."""
        if self.host != socket.gethostname():
            return False  # another PC's process cannot be looked at from here
        if not _pid_alive(self.pid):
            return True
        started = _process_started(self.pid)
        return self.started is not None and started is not None and started != self.started


@dataclass
class LockOutcome:
    """What opening found in the lock file, and the lock it wrote (None: it left the file as it was)."""

    notice: str | None = None
    holder: str | None = None
    written: LockRecord | None = None


def _user_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name is not worth failing for
        return ""


def read_lock(path: Path) -> LockRecord | None:
    """The lock beside a data file, or None when there is none (or it cannot be read)."""
    try:
        data = json.loads(lock_path_for(path).read_text(encoding="utf-8"))
        return LockRecord(
            host=str(data.get("host", "")),
            user=str(data.get("user") or ""),
            pid=int(data.get("pid") or 0),
            since=str(data.get("since") or ""),
            token=str(data.get("token") or ""),
            started=None if data.get("started") is None else str(data["started"]),
        )
    except (OSError, ValueError, TypeError, AttributeError):
        return None


def settle_lock(path: Path, *, taking: bool, take_over: bool = False) -> LockOutcome:
    """Read the lock on opening; when `taking`, write ours unless a live holder keeps it (`take_over`: the window).

    A stale lock of this PC is said to be stale and replaced, and so is one that cannot be read. A live
    holder, or another PC (whose process cannot be looked at), keeps its lock unless `take_over`, and the
    notice says which happened.
    """
    found = read_lock(path)
    if found is None and lock_path_for(path).is_file():  # there, but whose it is cannot be read
        return _replaced(path, messages.LOCK_UNREADABLE.format(name=path.name), taking)
    if found is None or found.is_this_process():
        return LockOutcome(written=_write_lock(path) if taking else None)
    name, holder = path.name, found.holder()
    if found.is_stale():
        return _replaced(path, messages.LOCK_STALE.format(name=name, holder=holder), taking)
    notice = messages.LOCKED.format(name=name, holder=holder)
    if taking and take_over:
        return LockOutcome(notice + messages.LOCK_SHARED, holder, _write_lock(path))
    return LockOutcome(notice, holder)


def _replaced(path: Path, notice: str, taking: bool) -> LockOutcome:
    """A lock no live holder is known to keep: said, and replaced by ours when `taking`."""
    if not taking:
        return LockOutcome(notice)
    return LockOutcome(notice + messages.LOCK_TAKEN_OVER, written=_write_lock(path))


def release_lock(path: Path, ours: LockRecord) -> None:
    """Remove the lock file only if it is still `ours`: a lock another process wrote since stays."""
    found = read_lock(path)
    if found is not None and found.token == ours.token:
        with contextlib.suppress(OSError):
            lock_path_for(path).unlink()


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":  # os.kill would terminate the process on Windows
        return _pid_alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _pid_alive_windows(pid: int) -> bool:
    import ctypes

    handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)
    if not handle:
        return False
    ctypes.windll.kernel32.CloseHandle(handle)
    return True


def _process_started(pid: int) -> str | None:
    """When a process started, as the OS counts it; None where that is not cheap to learn (macOS)."""
    if os.name == "nt":
        return _process_started_windows(pid)
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    # Field 22, start time in clock ticks after boot; the name before it (in parentheses) may hold spaces.
    fields = stat_line.rpartition(")")[2].split()
    return fields[19] if len(fields) > 19 else None


def _process_started_windows(pid: int) -> str | None:
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.windll.kernel32
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return None
    try:
        times = [wintypes.FILETIME() for _ in range(4)]  # creation, exit, kernel, user
        if not kernel32.GetProcessTimes(handle, *(ctypes.byref(t) for t in times)):
            return None
        return str(times[0].dwHighDateTime << 32 | times[0].dwLowDateTime)
    finally:
        kernel32.CloseHandle(handle)


def _write_lock(path: Path) -> LockRecord | None:
    record = LockRecord.of_this_process()
    target = lock_path_for(path)
    tmp = target.with_name(f"{target.name}.{record.token}")
    try:  # written whole and renamed, so a reader never sees half a lock
        tmp.write_text(json.dumps(dataclasses.asdict(record), ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return None
    return record
