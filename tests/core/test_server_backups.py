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


def test_the_copy_just_taken_is_kept_though_the_clock_was_set_back(pg_store):
    ahead = backups.take_server_backup(pg_store, NOW + dt.timedelta(days=3))  # a clock since put right
    taken = backups.take_server_backup(pg_store, NOW, cap_bytes=1)
    assert taken.exists() and ahead.exists()  # the one the closing sentence names, and the newest


def test_a_file_of_the_clerks_own_in_the_backup_folder_is_never_pruned(pg_store):
    folder = backups.server_backups_dir(pg_store.display_name)
    own = folder / "20200101-120000 我的副本.kjdb"
    own.write_bytes(b"not ours")
    backups.take_server_backup(pg_store, NOW, cap_bytes=1)
    assert own.exists()
    assert own not in [backup.path for backup in backups.list_server_backups(pg_store.display_name)]


def test_a_database_name_with_control_characters_makes_a_folder_windows_takes():
    folder = backups.server_backups_dir("张三@10.0.0.5:5432/科技\x01局\x7f:*?")
    assert folder.exists() and not any(ord(c) < 32 or c in ':*?"<>|\x7f' for c in folder.name)
