"""The clean-close mark against real crashes: a writer SIGKILLed after its first write leaves it cleared."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import text

from db.database import open_data_file, probe
from db.journal import settle_journal
from tests.db.crash_helpers import ROOT, SMALL_CACHE, digest, journal_of

pytestmark = pytest.mark.skipif(os.name == "nt", reason="the crashed writers are SIGKILLed (POSIX)")

# A clerk's program: opens the file, writes as `how` says, says "ready" and waits to be killed.
CLERK = SMALL_CACHE + textwrap.dedent(
    """
    from pathlib import Path
    from sqlalchemy import text
    from db.database import open_data_file
    from tests.db.crash_helpers import INSERT
    how, path = sys.argv[2], Path(sys.argv[3])
    data = open_data_file(path)
    put = text("INSERT INTO settings(key, value) VALUES (:key, 'x')")
    if how == "writer":
        with data.writer() as session:
            session.execute(put, {"key": "a"})
    elif how == "sessions":
        with data.sessions() as session:
            session.execute(put, {"key": "a"})
            session.commit()
    elif how == "rolled-back-then-committed":
        with data.writer() as session:
            session.execute(put, {"key": "a"})
            session.rollback()
        with data.writer() as session:
            session.execute(put, {"key": "b"})
    elif how == "savepoint-rolled-back-then-committed":
        with data.writer() as session:
            with session.begin_nested() as nested:
                session.execute(put, {"key": "a"})
                nested.rollback()
            session.execute(put, {"key": "b"})
    elif how == "uncommitted":
        session = data.sessions()  # enough rows to spill the cache into the file
        session.connection().exec_driver_sql(INSERT, [(f"crash-{i}", "未提交" * 10) for i in range(2000)])
    elif how == "twice":  # once, and once more when told to
        with data.writer() as session:
            session.execute(put, {"key": "a"})
        print("ready", flush=True)
        sys.stdin.readline()
        with data.writer() as session:
            session.execute(put, {"key": "b"})
    print("ready", flush=True)
    sys.stdin.read()
    """
)


def _start(path: Path, how: str) -> subprocess.Popen:
    command = [sys.executable, "-c", CLERK, str(ROOT), how, str(path)]
    return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def _kill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stdin.close()
    proc.stdout.close()


def _crash(path: Path, how: str) -> None:
    proc = _start(path, how)
    try:
        assert proc.stdout.readline().strip() == "ready"
    finally:
        _kill(proc)


@pytest.mark.parametrize(
    "how", ["writer", "sessions", "rolled-back-then-committed", "savepoint-rolled-back-then-committed"]
)
def test_a_clerk_killed_after_a_committed_write_leaves_the_mark_cleared(db_file, how):
    assert probe(db_file).clean_close
    _crash(db_file, how)
    assert not probe(db_file).clean_close  # the next open runs quick_check


def test_a_clerk_killed_before_commit_leaves_a_journal_of_ours_that_is_rolled_back(db_file):
    before = digest(db_file)
    _crash(db_file, "uncommitted")
    assert journal_of(db_file).stat().st_size > 0 and digest(db_file) != before  # spilled into the file
    settle_journal(db_file)  # ForeignJournalError if page 1 did not show it as ours
    assert not journal_of(db_file).exists()
    assert probe(db_file).clean_close  # rolled back, the mark's UPSERT with the rest
    data = open_data_file(db_file)
    try:
        with data.sessions() as session:
            assert session.execute(text("SELECT count(*) FROM events")).scalar() == 0
    finally:
        data.close()


def test_another_clerks_clean_close_does_not_lose_the_mark_of_one_still_writing(db_file):
    # Two programs on one file: the first closes cleanly while the second, already written, writes on.
    second = _start(db_file, "twice")
    try:
        assert second.stdout.readline().strip() == "ready"
        first = open_data_file(db_file)
        with first.writer() as session:
            session.execute(text("INSERT INTO settings(key, value) VALUES ('first', 'x')"))
        first.close()
        assert probe(db_file).clean_close
        second.stdin.write("go\n")
        second.stdin.flush()
        assert second.stdout.readline().strip() == "ready"
    finally:
        _kill(second)
    assert not probe(db_file).clean_close
