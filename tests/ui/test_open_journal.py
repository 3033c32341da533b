"""The window opens a file with a journal beside it the way every command does (db/journal.py)."""

from __future__ import annotations

import os
import shutil

import pytest

from db import messages
from tests.core.merge_helpers import save
from tests.db.crash_helpers import crash_mid_transaction, digest, journal_of, plant_foreign_journal
from ui import messages as ui_messages

pytestmark = pytest.mark.skipif(os.name == "nt", reason="the crashed writers are SIGKILLed (POSIX)")


def test_start_up_on_a_file_with_another_files_journal_says_so_and_changes_nothing(
    make_window, boxes, demo_copy, db_file
):
    from ui.app import open_first_file

    journal = plant_foreign_journal(demo_copy, db_file)
    before = digest(demo_copy), digest(journal)
    window = make_window()
    boxes.answer = ui_messages.ACT_QUIT
    assert not open_first_file(window, str(demo_copy))
    sentence = messages.FOREIGN_JOURNAL.format(name=demo_copy.name, journal=journal.name)
    assert sentence in boxes.shown
    assert window.data_file is None
    assert (digest(demo_copy), digest(journal)) == before


def test_the_window_opens_a_file_after_our_own_crash_with_the_committed_records(make_window, db_file):
    save(db_file, "events", {"name": "已提交的活动", "start_on": "2012-05-20"})
    crash_mid_transaction(db_file)
    window = make_window(db_file)
    assert not journal_of(db_file).exists()
    assert not window.data_file.read_only
    window.select_tab("events")
    assert window.current_tab().model.rowCount() == 1


def test_an_old_file_after_our_own_crash_still_gets_the_extensions_before_its_upgrade(
    qtbot, boxes, tmp_path, monkeypatch
):
    from tests.db.test_old_versions import OLD_FILES
    from ui import extensions, main_window

    old = tmp_path / "旧版本.kjdb"
    shutil.copyfile(OLD_FILES[0], old)
    crash_mid_transaction(old)
    monkeypatch.setattr(extensions, "EXTENSIONS", ())  # the backup hook below stands in for theirs
    window = main_window.MainWindow(defer_extensions=True)
    qtbot.addWidget(window)
    upgraded = []
    window.before_upgrade = upgraded.append
    assert window.open_file(old)
    assert window.extensions_installed()  # theirs is the backup taken before the upgrade
    assert upgraded == [old]
    window.close()
