"""The window's 检查数据文件 on a server: its report names the server database, not a file."""

from __future__ import annotations

import pytest

from kejiju_desktop import messages as core_messages
from kejiju_desktop.progress import run_to_end
from ui import portability_actions

pytest.importorskip("psycopg")  # in CI it is installed (requirements.txt) and the server tests run


def test_the_windows_check_of_a_sound_server_names_the_server_database(pg_store):
    report = run_to_end(portability_actions._check(pg_store))
    assert report.summary() == [core_messages.CHECK_OK_SERVER.format(name=pg_store.display_name)]


def test_the_windows_check_of_a_sound_file_still_says_the_file_is_sound(data):
    assert run_to_end(portability_actions._check(data)).summary() == [core_messages.CHECK_OK]
