"""The SQLite store handle: what it says it can do, its checks, and its whole-file operations."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from db import store
from db.database import CannotWriteError, open_data_file
from db.portable import is_sound, open_untrusted, record_counts
from tests.core.merge_helpers import save

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "data"


def test_a_data_file_is_a_store_with_every_member_of_the_handle(data):
    members = [name for name in vars(store.Store) if not name.startswith("_")]
    members += list(store.Store.__annotations__)
    assert [name for name in members if not hasattr(data, name)] == []


def test_a_data_file_names_its_file_and_says_what_sqlite_can_do(data, db_file):
    assert data.display_name == "data.kjdb"
    assert data.capabilities == store.Capabilities(
        engine="sqlite",
        file_path=db_file,
        backup_api=True,
        word_index=store.WORD_INDEX_FTS5_BIGRAMS,
        integrity_check=store.INTEGRITY_SQLITE,
    )


def test_a_file_read_through_an_upgraded_copy_names_the_file_itself(tmp_path):
    old = tmp_path / "old.kjdb"
    shutil.copyfile(FIXTURES / "v0001.kjdb", old)
    opened = open_data_file(old, read_only=True)
    try:
        assert opened.capabilities.file_path == old
        assert opened.display_name == "old.kjdb"
    finally:
        opened.close()


def test_another_offices_file_names_itself_not_its_upgraded_copy(tmp_path):
    theirs = tmp_path / "theirs.kjdb"
    shutil.copyfile(FIXTURES / "v0001.kjdb", theirs)
    incoming = open_untrusted(theirs)
    try:
        assert incoming.upgraded_copy is not None
        assert incoming.data.capabilities.file_path == theirs
    finally:
        incoming.close()


def test_checks_of_a_session_are_the_checks_of_its_store(data):
    with data.sessions() as session:
        assert store.checks_for(session) is data.checks
        assert data.checks.integrity_problems(session) == []
        assert data.checks.broken_references(session) == {}
        assert data.checks.search_index_problems(session) == {}


def test_a_missing_search_trigger_is_found_and_repaired_through_the_handle(data):
    with data.writer() as session:
        session.connection().exec_driver_sql("DROP TRIGGER patents_search_ai")
    with data.sessions() as session:
        assert data.checks.search_index_problems(session) == {"patents": [store.MISSING_TRIGGERS]}
    with data.writer() as session:
        assert data.checks.repair_search_index(session) == ["patents"]
    with data.sessions() as session:
        assert data.checks.search_index_problems(session) == {}


def test_backup_to_writes_a_sound_copy_and_refuses_an_existing_file(db_file, tmp_path):
    save(db_file, "events", {"name": "科技活动周", "start_on": "2012-05-20"})
    data = open_data_file(db_file)
    copy = tmp_path / "copy.kjdb"
    try:
        data.backup_to(copy)
        with pytest.raises(CannotWriteError):
            data.backup_to(copy)
        data.backup_to(copy, overwrite=True)
    finally:
        data.close()
    assert is_sound(copy)
    assert record_counts(copy)["events"] == 1


def test_rebuild_indexes_and_compact_keep_every_record(db_file):
    for day in range(1, 4):
        save(db_file, "events", {"name": f"活动{day}", "start_on": f"2012-05-0{day}"})
    data = open_data_file(db_file)
    try:
        data.rebuild_indexes()
        data.compact()
    finally:
        data.close()
    assert is_sound(db_file)
    assert record_counts(db_file)["events"] == 3
