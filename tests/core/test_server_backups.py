"""The copies a server is backed up to before a merge writes into it: listed with their counts and pruned by
the rule of a data file's automatic backups (DESIGN §4)."""

import datetime as dt

import pytest

from db.database import open_data_file
from kejiju_desktop import fields
from kejiju_desktop.services import records
from kejiju_desktop.services.portability import backups, rotation

pytest.importorskip("psycopg")  # in CI it is installed (requirements.txt) and the server tests run
NOW = dt.datetime(2026, 12, 1, 15, 0)


def test_a_servers_backups_are_listed_newest_first_with_their_counts(pg_store):
    with pg_store.writer() as session:
        records.save_record(session, fields.EVENTS, {"name": "科普日活动", "start_on": "2012-09-15"})
    first = backups.take_server_backup(pg_store, NOW - dt.timedelta(minutes=5))
    second = backups.take_server_backup(pg_store, NOW)
    listed = backups.list_server_backups(pg_store.display_name)
    assert [backup.path for backup in listed] == [second, first]
    assert listed[0].reason == "merge" and listed[0].taken_at == NOW and listed[0].size > 0
    assert listed[0].counts["events"] == 1 and listed[0].total_records == 1
    opened = open_data_file(listed[0].path, read_only=True)  # still an ordinary data file
    opened.close()


def test_a_servers_backups_are_pruned_as_a_files_are(pg_store):
    taken = [
        backups.take_server_backup(pg_store, NOW - dt.timedelta(minutes=step))
        for step in range(rotation.RECENT_COUNT + 2, -1, -1)
    ]
    kept = [backup.path for backup in backups.list_server_backups(pg_store.display_name)]
    assert kept == taken[::-1][: rotation.RECENT_COUNT]
    assert not any(path.exists() for path in taken[:3])  # the oldest three, and their descriptions
    assert sorted(p.name for p in kept[0].parent.iterdir()) == sorted(
        [p.name for p in kept] + [p.name.replace(".kjdb", ".json") for p in kept]
    )
