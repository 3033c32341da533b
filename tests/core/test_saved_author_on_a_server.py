"""After a save on a server the record returned says what the server stamped (its trigger writes the
login and its own clock), not the operator name and clock of the PC that sent it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from db import server_accounts
from db.server import open_server
from kejiju_desktop import fields
from kejiju_desktop.services import records
from kejiju_desktop.services import settings as settings_service
from tests.fixtures.server_states import add_account, bureau  # noqa: F401 - an initialised server

pytest.importorskip("psycopg")  # in CI it is installed (requirements.txt) and the server tests run

SERVER_NOW = text("SELECT clock_timestamp() AT TIME ZONE 'utc'")


@pytest.fixture
def editor_store(request, monkeypatch):
    """The bureau's server opened as a 录入员, whose PC's settings name the operator 张三."""
    cluster, database = request.getfixturevalue("bureau")
    clerk = add_account(cluster, database, server_accounts.EDITOR)
    monkeypatch.setenv("PGPASSWORD", "pw")
    store = open_server(cluster.url(database, user=clerk))
    with store.writer() as session:
        settings_service.put(session, settings_service.OPERATOR, "张三")
    yield store, clerk
    store.close()


def _saved(store, **options):
    with store.writer() as session:
        raw = {"name": "科普日活动", "start_on": "2012-09-15"}
        record = records.save_record(session, fields.EVENTS, raw, **options)
        return record, session.scalar(SERVER_NOW)


def test_a_new_record_says_the_login_and_the_servers_clock(editor_store):
    store, clerk = editor_store
    record, server_now = _saved(store)
    assert record.updated_by == clerk
    assert abs(record.updated_at - server_now) < dt.timedelta(seconds=5)


def test_an_updated_record_says_the_login_and_the_servers_clock(editor_store):
    store, clerk = editor_store
    first, _ = _saved(store)
    with store.writer() as session:
        raw = {"name": "科普日活动（改）"}
        record = records.save_record(session, fields.EVENTS, raw, record_id=first.id, seen_version=1)
        server_now = session.scalar(SERVER_NOW)
    assert (record.updated_by, record.version) == (clerk, 2)
    assert abs(record.updated_at - server_now) < dt.timedelta(seconds=5)
