"""SIGTERM and the end of the desktop session close the window's data file cleanly."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from db.lock import lock_path_for
from tests.fixtures.files import wait_for
from ui.app import end_desktop_session

ROOT = Path(__file__).resolve().parents[2]


def clean_close_marker(path: Path) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT value FROM settings WHERE key='clean_close'").fetchone()[0]
    finally:
        conn.close()


def _held_by(lock: Path, pid: int) -> bool:
    try:
        return json.loads(lock.read_text(encoding="utf-8"))["pid"] == pid
    except (OSError, ValueError):
        return False


@pytest.mark.skipif(os.name == "nt", reason="Windows sends a GUI no SIGTERM (commitDataRequest instead)")
def test_sigterm_closes_the_window_and_its_file_cleanly(db_file, user_home):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KEJIJU_HOME=str(user_home))
    command = [sys.executable, str(ROOT / "main.py"), "--db", str(db_file)]
    lock = lock_path_for(db_file)
    with subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True) as proc:
        try:
            wait_for(
                lambda: _held_by(lock, proc.pid) or proc.poll() is not None  # the file is open
            )
            proc.send_signal(signal.SIGTERM)
            err = proc.communicate(timeout=30)[1]
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == 0, err
    assert not lock.exists()
    assert clean_close_marker(db_file) == "1"


def test_the_end_of_the_desktop_session_closes_the_file_cleanly(make_window, db_file):
    window = make_window(db_file)
    with window.data_file.writer() as session:  # a clerk's first save clears the clean-close mark
        session.execute(text("INSERT INTO settings(key, value) VALUES ('test', 'x')"))
    assert lock_path_for(db_file).exists() and clean_close_marker(db_file) == "0"
    end_desktop_session(window)  # what commitDataRequest calls (Windows logoff and shutdown)
    assert window.data_file is None
    assert not lock_path_for(db_file).exists()
    assert clean_close_marker(db_file) == "1"
