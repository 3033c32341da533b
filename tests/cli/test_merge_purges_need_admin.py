"""Merging another office's file into a server is a 管理员's: it moves the merge marks and may carry their
永久删除 (a tombstone). A 录入员's merge is refused up front with one sentence, before any backup or write;
a 管理员, and a data file, merge it, purges included."""

from __future__ import annotations

import pytest

from db import server_accounts
from db.server import open_server
from kejiju_desktop import cli, messages
from tests.core.merge_helpers import delete, live, merge, office_file, save
from tests.fixtures.server_states import add_account

pytest.importorskip("psycopg")  # in CI it is installed (requirements.txt) and the server tests run

REFUSED = messages.REFUSED_INCOMING.format(reason=messages.MERGE_NEEDS_ADMIN)


def _office_that_purged(cluster, database: str, tmp_path) -> tuple:
    """An office file whose event the server took in a merge, purged in the office afterwards."""
    office = office_file(tmp_path, "二科")
    uid = save(office, "events", {"name": "成果展", "start_on": "2013-05-20"})
    save(office, "events", {"name": "科技周", "start_on": "2013-05-21"})
    assert cli.main(["merge", "--db", cluster.url(database), str(office)]) == cli.EXIT_OK
    delete(office, "events", uid, purge=True)
    return office, uid


def _name_on_server(cluster, database: str, uid: str):
    with cluster.connect(database) as conn:
        return conn.execute("SELECT name FROM kejiju.events WHERE uid = %s", (uid,)).fetchone()[0]


@pytest.mark.parametrize("dry_run", [True, False])
def test_an_editors_merge_is_refused_whole_before_anything_is_written(
    dry_run, bureau, tmp_path, user_home, monkeypatch, capsys
):
    cluster, database = bureau
    office, uid = _office_that_purged(cluster, database, tmp_path)
    save(office, "events", {"name": "新办的活动", "start_on": "2013-06-01"})
    clerk = add_account(cluster, database, server_accounts.EDITOR)
    monkeypatch.setenv("PGPASSWORD", "pw")
    copies = set(user_home.glob("backups/*/*.kjdb"))  # the server's copy of the first merge
    capsys.readouterr()
    asked = ["merge", "--db", cluster.url(database, user=clerk), str(office)] + (
        ["--dry-run"] if dry_run else []
    )
    assert cli.main(asked) == cli.EXIT_PROBLEMS
    assert capsys.readouterr().err.strip() == REFUSED
    assert _name_on_server(cluster, database, uid) == "成果展"
    with cluster.connect(database) as conn:
        assert conn.execute("SELECT count(*) FROM kejiju.events WHERE name = '新办的活动'").fetchone()[0] == 0
    assert set(user_home.glob("backups/*/*.kjdb")) == copies  # refused before the server was copied


def test_an_administrators_merge_empties_the_record(bureau, tmp_path, monkeypatch, capsys):
    cluster, database = bureau
    office, uid = _office_that_purged(cluster, database, tmp_path)
    admin = add_account(cluster, database, server_accounts.ADMIN)
    monkeypatch.setenv("PGPASSWORD", "pw")
    store = open_server(cluster.url(database, user=admin))
    try:
        assert store.capabilities.may_purge and store.capabilities.may_merge
    finally:
        store.close()
    assert cli.main(["merge", "--db", cluster.url(database, user=admin), str(office)]) == cli.EXIT_OK
    assert _name_on_server(cluster, database, uid) is None


def test_a_data_file_merges_the_purge(tmp_path):
    ours, office = office_file(tmp_path, "本科室"), office_file(tmp_path, "二科")
    uid = save(office, "events", {"name": "成果展", "start_on": "2013-05-20"})
    merge(ours, office)
    delete(office, "events", uid, purge=True)
    _plan, result = merge(ours, office)
    assert result.total == 1 and live(ours, "events") == {}
