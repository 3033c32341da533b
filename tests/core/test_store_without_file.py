"""Services over a store that is no file (as a server will be): what needs a file is said, the rest is done."""

from __future__ import annotations

import dataclasses

import pytest

from db.database import DataFile, open_data_file
from kejiju_desktop import messages
from kejiju_desktop.services.portability import backups
from kejiju_desktop.services.portability import merge as merge_service
from kejiju_desktop.services.portability.repair import repair
from tests.core.merge_helpers import live, office_file, save

SERVER_NAME = "kejiju@192.168.1.10"


class NoFileStore(DataFile):
    """A real data file presented as a server presents itself: the same sessions, no file to name."""

    @property
    def display_name(self) -> str:
        return SERVER_NAME

    @property
    def capabilities(self):
        return dataclasses.replace(super().capabilities, file_path=None)


@pytest.fixture
def server(db_file):
    opened = open_data_file(db_file)
    store = NoFileStore(**{f.name: getattr(opened, f.name) for f in dataclasses.fields(opened)})
    yield store
    store.close()


def test_repair_says_it_cannot_back_up_and_still_repairs(server, db_file):
    outcome = repair(server)
    assert outcome.done[0] == messages.NO_FILE_TO_BACK_UP.format(name=SERVER_NAME)
    assert messages.REPAIR_VACUUM_SERVER.format(name=SERVER_NAME) in outcome.done  # in words of no file
    assert outcome.after.ok
    assert backups.list_backups(db_file) == []


def test_merge_into_a_store_without_a_file_merges_without_a_backup_file(server, db_file, tmp_path):
    # A server is backed up by its administrator (and `backup --db URL`): its merge checks its structure
    # instead of writing a file backup, and writes the merge in one transaction as into a file.
    theirs = office_file(tmp_path, "二科")
    save(theirs, "events", {"name": "科普日", "start_on": "2012-09-15"})
    plan = merge_service.plan_files(server, theirs)
    assert merge_service.merge(server, plan).total == 1
    assert list(live(db_file, "events").values()) == ["科普日"]
    assert backups.list_backups(db_file) == []
