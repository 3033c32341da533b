"""另存副本 and crash safety: backup-API copies during a write, SIGKILLed writers, refusing to overwrite."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from db import portable
from db.database import CannotWriteError, open_data_file, probe
from kejiju_desktop import cli

ROOT = Path(__file__).resolve().parents[2]


def _count(path: Path, table: str = "events") -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def _insert_events(conn: sqlite3.Connection, n: int, start: int = 0) -> None:
    conn.executemany(
        "INSERT INTO events(uid, created_at, updated_at, updated_by, confirmed_warnings, name, start_on) "
        "VALUES (?, '2012-01-01 00:00:00', '2012-01-01 00:00:00', '', '', ?, '2012-01-01')",
        [(f"uid-{start + i}", f"活动{start + i}") for i in range(n)],
    )


def test_copy_taken_during_another_connections_write_transaction_holds_only_committed_rows(db_file, tmp_path):
    writer = sqlite3.connect(db_file, isolation_level=None)
    _insert_events(writer, 5)
    writer.execute("BEGIN IMMEDIATE")
    _insert_events(writer, 100, start=5)  # uncommitted while the copy is taken
    copy = tmp_path / "副本.kjdb"
    portable.copy_consistent(db_file, copy)
    writer.execute("COMMIT")
    writer.close()
    assert _count(copy) == 5
    assert _count(db_file) == 105
    assert probe(copy, full_check=True).clean_close


def test_copy_is_correct_while_the_program_holds_the_file_open(data, tmp_path):
    from kejiju_desktop import fields
    from kejiju_desktop.services import records

    with data.sessions.begin() as s:
        records.save_record(s, fields.entity("events"), {"name": "科技活动周", "start_on": "2012-05-20"})
    copy = tmp_path / "copy.kjdb"
    portable.copy_consistent(data.path, copy)
    opened = open_data_file(copy)
    with opened.sessions() as s:
        assert records.count(s, fields.entity("events"), records.Query()) == 1
    opened.close()


def test_copy_refuses_to_overwrite_and_leaves_no_partial_file(db_file, tmp_path):
    target = tmp_path / "exists.kjdb"
    target.write_bytes(b"keep me")
    with pytest.raises(CannotWriteError):
        portable.copy_consistent(db_file, target)
    assert target.read_bytes() == b"keep me"
    assert [p.name for p in tmp_path.iterdir() if "copying" in p.name] == []


def test_backup_command_exit_codes(db_file, tmp_path, capsys):
    target = tmp_path / "副本.kjdb"
    assert cli.main(["backup", "--db", str(db_file), "-o", str(target)]) == cli.EXIT_OK
    assert probe(target, full_check=True).revision is not None
    assert cli.main(["backup", "--db", str(db_file), "-o", str(target)]) == cli.EXIT_PROBLEMS
    assert "--force" in capsys.readouterr().err
    assert cli.main(["backup", "--db", str(db_file), "-o", str(target), "--force"]) == cli.EXIT_OK
    junk = tmp_path / "junk.kjdb"
    junk.write_bytes(b"not a database at all" * 10)
    assert cli.main(["backup", "--db", str(junk), "-o", str(tmp_path / "x.kjdb")]) == cli.EXIT_UNUSABLE
    assert not (tmp_path / "x.kjdb").exists()


# Our own engine, as the program writes (another program's journal would be refused, untouched).
WRITER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, sys.argv[3])
    from pathlib import Path
    from db.engine import WRITE_TRANSACTION, make_engine
    engine = make_engine(Path(sys.argv[1])).execution_options(**{WRITE_TRANSACTION: True})
    n = int(sys.argv[2])
    with engine.connect() as conn:
        while True:
            for i in range(50):
                conn.exec_driver_sql(
                    "INSERT INTO events(uid, created_at, updated_at, updated_by, confirmed_warnings, name, start_on) "
                    "VALUES (?, '2012-01-01', '2012-01-01', '', '', ?, '2012-01-01')",
                    (f"w{n}-{i}", "写入中"),
                )
            conn.commit()
            print(n, flush=True)
            n += 1
    """
)


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_writer_killed_mid_transaction_leaves_every_committed_row(db_file, tmp_path):
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    before = recovered = 0
    for round_no in range(12):
        proc = subprocess.Popen(
            [sys.executable, str(script), str(db_file), str(round_no * 100_000), str(ROOT)],
            stdout=subprocess.PIPE,
            text=True,
        )
        acknowledged = [proc.stdout.readline() for _ in range(1 + round_no % 3)]
        time.sleep(0.01 * (round_no % 4))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        acknowledged += proc.stdout.read().split()
        proc.stdout.close()
        journal = db_file.with_name(db_file.name + "-journal")
        recovered += journal.exists() and journal.stat().st_size > 0
        data = open_data_file(db_file, take_lock=False)  # rolls back what the crash left half-done
        data.close()
        assert portable.is_sound(db_file)
        now = _count(db_file)
        # Every acknowledged commit is there, and no transaction is there in part (50 rows each).
        assert now >= before + 50 * len([x for x in acknowledged if x.strip()])
        assert now % 50 == 0
        before = now
    assert recovered >= 1  # some kills did land inside a transaction
    conn = sqlite3.connect(db_file)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_copy_into_a_place_that_cannot_be_written_says_so(db_file, tmp_path):
    not_a_folder = tmp_path / "其实是文件"
    not_a_folder.write_bytes(b"x")
    with pytest.raises(CannotWriteError, match="无法写入"):
        portable.copy_consistent(db_file, not_a_folder / "x.kjdb")
    assert not_a_folder.read_bytes() == b"x"


def test_a_file_locked_by_another_writer_is_reported_busy_not_waited_for(db_file, tmp_path, monkeypatch):
    monkeypatch.setattr(portable, "BUSY_LIMIT_S", 0.2)
    holder = sqlite3.connect(db_file, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(portable.BusyError):
            portable.snapshot(db_file, tmp_path / "busy.kjdb")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
