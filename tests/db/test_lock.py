"""The lock file beside a data file: whose it is, who is told, and who may remove it."""

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from db import messages
from db.database import open_data_file
from db.lock import lock_path_for
from kejiju_desktop import cli
from kejiju_desktop.commands import messages as command_messages
from tests.fixtures.files import wait_for
from tests.fixtures.xlsx.sheets import patents_sheet

ROOT = Path(__file__).resolve().parents[2]
# Opens the file named by argv[1] (argv[2]: "read" for read-only), says so, closes when told on stdin.
HOLDER = """
import sys
from db.database import open_data_file
data = open_data_file(sys.argv[1], read_only=sys.argv[2] == "read")
print("open", flush=True)
sys.stdin.readline()
data.close()
"""


@contextmanager
def holder_process(path: Path, mode: str = "write"):
    """A real second process holding `path` open until the block ends (it then closes the file)."""
    command = [sys.executable, "-c", HOLDER, str(path), mode]
    with subprocess.Popen(
        command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as proc:
        try:
            assert proc.stdout.readline().strip() == "open"
            yield proc
        finally:
            if proc.poll() is None:
                proc.stdin.close()
                proc.wait(timeout=20)


def crashed_holder(path: Path) -> int:
    """A process that opened `path` and was killed (SIGKILL): its lock stays behind; returns its pid."""
    with holder_process(path) as proc:
        proc.kill()
        proc.wait(timeout=20)
    return proc.pid


def lock_field(path: Path, key: str):
    """One field of the lock file as it is on disk (None: no lock file)."""
    lock = lock_path_for(path)
    return json.loads(lock.read_text(encoding="utf-8"))[key] if lock.exists() else None


def write_lock(path: Path, **fields) -> None:
    lock_path_for(path).write_text(json.dumps(fields, ensure_ascii=False), encoding="utf-8")


def test_closing_leaves_the_lock_another_process_wrote_since(db_file):
    with holder_process(db_file) as first:
        assert lock_field(db_file, "pid") == first.pid
        second = open_data_file(db_file, take_over=True)  # the window's way: its lock replaces the first's
        assert lock_field(db_file, "pid") == os.getpid()
    assert first.returncode == 0  # the first process has closed the file
    try:
        assert lock_field(db_file, "pid") == os.getpid()
    finally:
        second.close()
    assert not lock_path_for(db_file).exists()


def test_stale_lock_of_a_crashed_process_is_reported_then_taken_over(db_file):
    crashed_holder(db_file)
    opened = open_data_file(db_file)
    try:
        assert len(opened.notices) == 1
        assert "上次未正常关闭" in opened.notices[0] and socket.gethostname() in opened.notices[0]
        assert opened.notices[0].endswith(messages.LOCK_TAKEN_OVER)
        assert lock_field(db_file, "pid") == os.getpid()
    finally:
        opened.close()
    assert not lock_path_for(db_file).exists()


def test_a_pid_now_used_by_another_program_is_a_stale_lock(db_file):
    with holder_process(db_file) as other:  # alive, but not the process that wrote the lock
        write_lock(db_file, host=socket.gethostname(), user="张三", pid=other.pid, started="1", token="x")
        opened = open_data_file(db_file, read_only=True)
        opened.close()
    assert opened.lock_notice is not None and "上次未正常关闭" in opened.lock_notice


def test_a_reader_is_told_of_a_stale_lock_and_leaves_it(db_file):
    pid = crashed_holder(db_file)
    opened = open_data_file(db_file, read_only=True)
    opened.close()
    assert "上次未正常关闭" in opened.lock_notice and messages.LOCK_TAKEN_OVER not in opened.lock_notice
    assert lock_field(db_file, "pid") == pid


def test_lock_of_another_pc_is_named_and_a_command_leaves_it(db_file):
    write_lock(db_file, host="KJJ-PC-02", user="李四", pid=4242, since="2013-01-05T09:00:00")
    opened = open_data_file(db_file)
    try:
        assert any("KJJ-PC-02" in n and "李四" in n and "2013-01-05 09:00:00" in n for n in opened.notices)
        assert opened.lock_holder
    finally:
        opened.close()
    assert lock_field(db_file, "host") == "KJJ-PC-02"  # never proven stale from here: never deleted


def test_the_window_takes_over_another_pcs_lock_and_says_so(db_file):
    write_lock(db_file, host="KJJ-PC-02", user="李四", pid=4242, since="2013-01-05T09:00:00")
    opened = open_data_file(db_file, take_over=True)
    try:
        assert "KJJ-PC-02" in opened.lock_notice and opened.lock_notice.endswith(messages.LOCK_SHARED)
        assert lock_field(db_file, "pid") == os.getpid()
    finally:
        opened.close()
    assert not lock_path_for(db_file).exists()


def _export(db_file, tmp_path) -> list[str]:
    return ["export", "--db", str(db_file), "--table", "patents", "-o", str(tmp_path / "out.xlsx")]


COMMANDS = {
    "export": _export,
    "report": lambda db, tmp: ["report", "--db", str(db), "--year", "2012", "-o", str(tmp / "r.docx")],
    "check": lambda db, _tmp: ["check", "--db", str(db)],
    "check --repair": lambda db, _tmp: ["check", "--db", str(db), "--repair"],
    "backup": lambda db, tmp: ["backup", "--db", str(db), "-o", str(tmp / "copy.kjdb")],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_warns_that_a_live_process_holds_the_file(command, db_file, tmp_path, capsys):
    with holder_process(db_file) as holder:
        code = cli.main(COMMANDS[command](db_file, tmp_path))
        captured = capsys.readouterr()
        assert (
            lock_field(db_file, "pid") == holder.pid
        )  # a writing command leaves the holder's lock as it was
    assert code == 0, captured
    assert "正由" in captured.err and socket.gethostname() in captured.err
    assert "正由" not in captured.out


def test_a_command_on_a_free_file_prints_no_lock_warning(db_file, tmp_path, capsys):
    assert cli.main(_export(db_file, tmp_path)) == 0
    assert capsys.readouterr().err == ""


def test_sigterm_ends_a_command_cleanly(db_file, tmp_path):
    sheet = patents_sheet(tmp_path / "many.xlsx", 20_000)
    args = ["main.py", "import", "--db", str(db_file), "--table", "patents", str(sheet)]
    lock = lock_path_for(db_file)
    with subprocess.Popen([sys.executable, *args], cwd=ROOT, stderr=subprocess.PIPE, text=True) as proc:
        wait_for(lambda: lock.exists() or proc.poll() is not None)
        proc.send_signal(signal.SIGTERM)
        err = proc.communicate(timeout=60)[1]
    assert proc.returncode == 1, err
    assert command_messages.INTERRUPTED in err and "Traceback" not in err
    assert not lock.exists()
    conn = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    try:
        assert conn.execute("SELECT count(*) FROM patents").fetchone() == (0,)  # rolled back
        assert conn.execute("SELECT value FROM settings WHERE key='clean_close'").fetchone() == ("1",)
    finally:
        conn.close()


@pytest.mark.parametrize("kind", ["garbage", "no permission"])
def test_a_lock_file_that_cannot_be_read_is_said_so_when_taken_over_and_left_by_a_reader(db_file, kind):
    lock = lock_path_for(db_file)
    lock.write_bytes(b"\xff\xfe not a lock \x00")
    if kind == "no permission":
        if os.name == "nt" or os.geteuid() == 0:
            pytest.skip("the owner's permissions bind neither Windows here nor root")
        lock.chmod(0)
    said = messages.LOCK_UNREADABLE.format(name=db_file.name)
    reader = open_data_file(db_file, read_only=True)
    reader.close()
    assert reader.lock_notice == said and lock.read_bytes().startswith(b"\xff\xfe")
    opened = open_data_file(db_file)
    try:
        assert opened.lock_notice == said + messages.LOCK_TAKEN_OVER
        assert lock_field(db_file, "pid") == os.getpid()
    finally:
        opened.close()
