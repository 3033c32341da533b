"""The SQLAlchemy engine on a data file: DESIGN §4's pragmas, our own transactions, page 1 marked by each."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine

from db.uri import file_uri

JOURNAL_SUFFIX = "-journal"  # SQLite's rollback journal beside the file (journal_mode=DELETE)
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
    if conn.info.get(MARKED_KEY) or not writes(statement):
        return
    conn.info[MARKED_KEY] = True  # before the PRAGMAs, which come back through this hook
    conn.exec_driver_sql("PRAGMA user_version=0")  # makes the journal, with page 1 in it
    with conn.info[JOURNAL_KEY].open("rb") as fh:
        nonce = int.from_bytes(fh.read(JOURNAL_NONCE.stop)[JOURNAL_NONCE], "big", signed=True)
    conn.exec_driver_sql(f"PRAGMA user_version={nonce}")


def writes(statement: str) -> bool:
    """Whether a statement may write to the file; one not known to be a read counts as a write."""
    words = statement.lstrip().split(None, 2)
    first = words[0].upper() if words else ""
    if first == "PRAGMA":
        return "=" in statement and statement.split("=")[0].split()[-1].lower() in WRITING_PRAGMAS
    return first not in READING_STATEMENTS
