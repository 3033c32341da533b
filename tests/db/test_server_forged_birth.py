"""A record's created_at on a server: a clerk's raw INSERT may not date a record in the future (past a small
clock skew); an older one stays, as a merge brings other offices' records with their own birth."""

from __future__ import annotations

import datetime as dt
import uuid

from db.server_accounts import EDITOR
from db.server_triggers import BIRTH_SKEW_S
from tests.db.test_server_rights import server  # noqa: F401 - server is a fixture

INSERT = (
    "INSERT INTO enterprises (uid, name, created_at, updated_at, version, confirmed_warnings) "
    "VALUES (%s, %s, %s, %s, 1, false)"
)


def _born(found, uid: str) -> dt.datetime:
    with found.raw(EDITOR) as conn:
        return conn.execute("SELECT created_at FROM enterprises WHERE uid = %s", (uid,)).fetchone()[0]


def _server_now(found) -> dt.datetime:
    with found.raw(EDITOR) as conn:
        return conn.execute("SELECT clock_timestamp() AT TIME ZONE 'utc'").fetchone()[0]


def test_a_forged_future_birth_is_the_servers_clock_and_an_older_one_is_kept(server):  # noqa: F811 - the fixture
    future = dt.datetime(2099, 1, 1)
    just_ahead = _server_now(server) + dt.timedelta(seconds=BIRTH_SKEW_S / 2)  # a PC's clock a little fast
    older = dt.datetime(2011, 5, 6, 7, 8, 9)  # another office's record, merged in
    uids = {when: str(uuid.uuid4()) for when in (future, just_ahead, older)}
    with server.raw(EDITOR) as conn:
        for when, uid in uids.items():
            conn.execute(INSERT, (uid, f"单位{uid[:6]}", when, when))
    before, after = _server_now(server) - dt.timedelta(minutes=1), _server_now(server)
    assert before <= _born(server, uids[future]) <= after
    assert _born(server, uids[just_ahead]) == just_ahead
    assert _born(server, uids[older]) == older
