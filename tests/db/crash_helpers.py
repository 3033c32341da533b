"""Real hot journals for tests: a writer process SIGKILLed in the middle of its transaction."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

# 64 KiB of page cache: the open transaction spills pages into the file, as a large import would.
WRITER = textwrap.dedent(
    """
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("PRAGMA cache_size=-64")
    conn.execute("BEGIN IMMEDIATE")
    for i in range(int(sys.argv[2])):
        conn.execute(
            "INSERT INTO events(uid, created_at, updated_at, updated_by, confirmed_warnings, name, start_on) "
            "VALUES (?, '2012-01-01 00:00:00', '2012-01-01 00:00:00', '', '', ?, '2012-01-01')",
            (f"crash-{i}", "未提交的活动" * 10),
        )
    if sys.argv[3] == "commit":
        conn.execute("COMMIT")
    print("ready", flush=True)
    sys.stdin.read()
    """
)


def journal_of(path: Path) -> Path:
    return path.with_name(path.name + "-journal")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_writer(path: Path, *, rows: int = 2000, commit: bool = False) -> None:
    """Run the writer on `path` and SIGKILL it once its rows are written (committed or not)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(rows), "commit" if commit else "open"],
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


def crash_mid_transaction(path: Path, rows: int = 2000) -> Path:
    """Kill a writer of `path` inside its transaction; returns the hot journal it left."""
    run_writer(path, rows=rows)
    journal = journal_of(path)
    assert journal.stat().st_size > 0
    return journal


def plant_foreign_journal(healthy: Path, other: Path) -> Path:
    """A real hot journal of `other` (its writer killed), put beside `healthy` as if it were its own."""
    shutil.copyfile(crash_mid_transaction(other), journal_of(healthy))
    return journal_of(healthy)
