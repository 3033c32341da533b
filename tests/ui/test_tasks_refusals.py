"""What ui/tasks.call logs of a failed question: an expected refusal as one line with its sentence, anything
else with its traceback."""

import logging

import pytest
from PySide6.QtWidgets import QWidget

from db import server_accounts
from db.server import RightsMissingError, open_server
from kejiju_desktop import fields
from kejiju_desktop.services import records
from tests.fixtures.server_states import add_account, bureau  # noqa: F401 - the fixture
from ui import tasks

pytest.importorskip("psycopg")  # in CI it is installed (requirements.txt) and the server tests run
NEW_EVENT = {"name": "科技活动周", "start_on": "2012-05-20"}


def ask(qtbot, store, work) -> object:
    """`work` through tasks.call on `store`; its answer once it is back on the GUI thread."""
    receiver, heard = QWidget(), []
    qtbot.addWidget(receiver)
    tasks.call(store, work, heard.append, receiver=receiver, description="saving an event")
    qtbot.waitUntil(lambda: heard != [], timeout=8000)
    return heard[0]


def logged_by_tasks(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == tasks.__name__]


def test_a_viewers_save_the_server_refuses_is_one_line_with_its_sentence(qtbot, bureau, caplog):  # noqa: F811
    cluster, database = bureau
    viewer = add_account(cluster, database, server_accounts.VIEWER)
    store = open_server(cluster.url(database, user=viewer), "pw")
    caplog.set_level(logging.INFO)

    def save():
        with store.writer() as session:
            return records.save_record(session, fields.EVENTS, NEW_EVENT)

    try:
        refusal = ask(qtbot, store, save)
    finally:
        store.close()
    assert isinstance(refusal, RightsMissingError)
    [line] = logged_by_tasks(caplog)
    assert line.levelno == logging.WARNING and line.exc_info is None
    assert str(refusal) in line.getMessage() and "saving an event" in line.getMessage()


def test_a_refused_save_on_a_data_file_is_one_line_too(qtbot, data, caplog):
    caplog.set_level(logging.INFO)

    def save():
        with data.sessions.begin() as session:
            return records.save_record(session, fields.EVENTS, {"name": ""})

    refusal = ask(qtbot, data, save)
    assert isinstance(refusal, records.ValidationFailed)
    [line] = logged_by_tasks(caplog)
    assert line.levelno == logging.WARNING and line.exc_info is None and str(refusal) in line.getMessage()


def test_an_unexpected_failure_keeps_its_traceback(qtbot, data, caplog):
    def broken():
        raise KeyError("a bug")

    failure = ask(qtbot, data, broken)
    [line] = logged_by_tasks(caplog)
    assert line.levelno == logging.ERROR and line.exc_info[1] is failure
