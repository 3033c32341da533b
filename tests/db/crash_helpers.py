"""Real hot journals for tests: a writer process SIGKILLed in the middle of its transaction."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INSERT = (
    "INSERT INTO events(uid, created_at, updated_at, updated_by, confirmed_warnings, name, start_on) "
    "VALUES (?, '2012-01-01 00:00:00', '2012-01-01 00:00:00', '写入', '', ?, '2012-01-01')"
)
# Our engine, with 64 KiB of page cache on every connection: the open transaction spills pages into the
# file, as a large import would. A commit that fails (see commit_cannot_finish) still waits to be killed.
SMALL_CACHE = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, sys.argv[1])
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    event.listen(Engine, "connect", lambda conn, _record: conn.execute("PRAGMA cache_size=-64"))
    """
)
WRITER = SMALL_CACHE + textwrap.dedent(
    """
    from pathlib import Path
    from db.engine import WRITE_TRANSACTION, make_engine
    sql, path, rows, commit = sys.argv[2], Path(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "commit"
    engine = make_engine(path).execution_options(**{WRITE_TRANSACTION: True})
    with engine.connect() as conn:
        conn.exec_driver_sql(sql, [(f"crash-{i}", "未提交的活动" * 10) for i in range(rows)])
        try:
            if commit:
                conn.commit()
        finally:
            print("ready", flush=True)
            sys.stdin.read()
    """
)
# Another program's writer (or an older version of ours): plain sqlite3, which writes page 1 only when
# the file grows, its free list changes or the transaction commits. A statement without parameters runs once.
FOREIGN_WRITER = textwrap.dedent(
    """
    import sqlite3, sys
    sql, path, rows, commit = sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5] == "commit"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA cache_size=-64")
    conn.execute("BEGIN IMMEDIATE")
    if "?" in sql:
        conn.executemany(sql, [(f"crash-{i}", "未提交的活动" * 10) for i in range(rows)])
    else:
        conn.execute(sql)
    if commit:
        conn.execute("COMMIT")
    print("ready", flush=True)
    sys.stdin.read()
    """
)
# Every row rewritten in place (as many bytes), in a column neither indexed nor searched: no page grows
# or is freed.
IN_PLACE_UPDATE = "UPDATE events SET updated_by = '改写' WHERE updated_by = '写入'"
JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")


def journal_of(path: Path) -> Path:
    return path.with_name(path.name + "-journal")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_writer(
    path: Path, *, rows: int = 2000, commit: bool = False, ours: bool = True, sql: str = INSERT
) -> None:
    """Run a writer on `path` (ours, or with `ours=False` another program's running `sql`) and SIGKILL it
    once its rows are written (committed or not)."""
    script = WRITER if ours else FOREIGN_WRITER
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(ROOT), sql, str(path), str(rows), "commit" if commit else "open"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout.readline().strip() == "ready"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdin.close()
        proc.stdout.close()


def crash_without_page_one(path: Path) -> Path:
    """Another program's writer killed inside an in-place update of the rows our writer committed: a hot
    journal that holds no page 1. Returns it."""
    run_writer(path, commit=True)
    run_writer(path, ours=False, sql=IN_PLACE_UPDATE)
    journal = journal_of(path)
    with journal.open("rb") as fh:
        header = fh.read(28)
        assert header.startswith(JOURNAL_MAGIC)
        sector, page_size = int.from_bytes(header[20:24], "big"), int.from_bytes(header[24:28], "big")
        fh.seek(sector)
        for _ in range(int.from_bytes(header[8:12], "big")):
            assert int.from_bytes(fh.read(page_size + 8)[:4], "big") != 1
    return journal


def crash_mid_transaction(path: Path, rows: int = 2000) -> Path:
    """Kill our writer of `path` inside its transaction; returns the hot journal it left."""
    run_writer(path, rows=rows)
    journal = journal_of(path)
    assert journal.stat().st_size > 0
    return journal


def plant_foreign_journal(healthy: Path, other: Path) -> Path:
    """A real hot journal of `other` (its writer killed), put beside `healthy` as if it were its own."""
    shutil.copyfile(crash_mid_transaction(other), journal_of(healthy))
    return journal_of(healthy)


def can_hold_deletes(folder: Path) -> bool:
    """Whether commit_cannot_finish works here: chattr +a (root, on ext2/3/4 and a few others)."""
    try:
        subprocess.run(["chattr", "+a", str(folder)], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        return False
    subprocess.run(["chattr", "-a", str(folder)], check=True)
    return True


@contextlib.contextmanager
def commit_cannot_finish(folder: Path) -> Iterator[None]:
    """Files in `folder` can be made but not deleted: a commit writes and syncs the whole file, then fails
    to delete its journal, which is the file and journal a crash at the very end of a commit leaves."""
    subprocess.run(["chattr", "+a", str(folder)], check=True)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-a", str(folder)], check=True)


def kill_once_spilled(script: str, path: Path, *args: str, grown: bool = False) -> None:
    """Run `script` (after SMALL_CACHE; sys.argv[2] is `path`, then `args`) and SIGKILL it once its
    transaction on `path` has spilled pages into the file (the journal's header is synced; with `grown`,
    the file has grown too, so it is the bulk write and not a small commit before it). Fails if the
    script ended before that."""
    size = path.stat().st_size
    proc = subprocess.Popen([sys.executable, "-c", SMALL_CACHE + script, str(ROOT), str(path), *args])
    try:
        while proc.poll() is None and not (
            _spilled(journal_of(path)) and (not grown or path.stat().st_size > size)
        ):
            time.sleep(0.002)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the writer finished before it could be killed"


def _spilled(journal: Path) -> bool:
    try:
        with journal.open("rb") as fh:
            return fh.read(8) == JOURNAL_MAGIC
    except OSError:
        return False
