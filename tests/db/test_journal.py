"""A journal beside a data file: our own crash's is rolled back, another file's is never applied."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from db import messages, portable
from db.database import NewerVersionError, open_data_file
from db.journal import ForeignJournalError, settle_journal
from tests.core.merge_helpers import save
from tests.db.crash_helpers import (
    crash_mid_transaction,
    digest,
    journal_of,
    plant_foreign_journal,
    run_writer,
)

pytestmark = pytest.mark.skipif(os.name == "nt", reason="the crashed writers are SIGKILLed (POSIX)")


def _events(data) -> list[str]:
    with data.sessions() as s:
        return sorted(s.execute(text("SELECT name FROM events")).scalars())


def _with_events(path: Path, *names: str) -> Path:
    for name in names:
        save(path, "events", {"name": name, "start_on": "2012-05-20"})
    return path


@pytest.fixture
def healthy(tmp_path, demo_file) -> Path:
    """A data file with years of committed work in it."""
    path = tmp_path / "本局.kjdb"
    shutil.copyfile(demo_file, path)
    return path


@pytest.fixture
def other(tmp_path, empty_template) -> Path:
    path = tmp_path / "别处" / "别的.kjdb"
    path.parent.mkdir()
    shutil.copyfile(empty_template, path)
    return path


@pytest.mark.parametrize("read_only", [False, True])
def test_a_journal_of_another_file_is_refused_and_both_stay_byte_identical(healthy, other, read_only):
    journal = plant_foreign_journal(healthy, other)
    before = digest(healthy), digest(journal)
    with pytest.raises(ForeignJournalError) as refused:
        open_data_file(healthy, read_only=read_only)
    assert refused.value.exit_code == 2
    assert str(refused.value) == messages.FOREIGN_JOURNAL.format(
        name="本局.kjdb", journal="本局.kjdb-journal"
    )
    assert (digest(healthy), digest(journal)) == before
    journal.unlink()  # once the journal is moved away, the file opens as it was
    opened = open_data_file(healthy, read_only=True)
    assert len(_events(opened)) > 0
    opened.close()


def test_a_journal_of_a_sibling_file_is_refused_though_rolling_it_back_would_pass_every_check(db_file, other):
    # Both files began as the same empty file: B's journal rolled into A leaves a sound, empty file.
    _with_events(db_file, "已提交一", "已提交二")
    journal = plant_foreign_journal(db_file, other)
    before = digest(db_file), digest(journal)
    with pytest.raises(ForeignJournalError):
        open_data_file(db_file)
    assert (digest(db_file), digest(journal)) == before


def test_the_check_before_a_backup_does_not_apply_a_journal_of_another_file(healthy, other):
    journal = plant_foreign_journal(healthy, other)
    before = digest(healthy), digest(journal)
    assert not portable.is_sound(healthy)
    assert (digest(healthy), digest(journal)) == before


def test_our_own_crash_journal_is_rolled_back_on_a_read_only_open(db_file):
    _with_events(db_file, "已提交一", "已提交二")
    crash_mid_transaction(db_file)
    data = open_data_file(db_file, read_only=True)
    try:
        assert _events(data) == ["已提交一", "已提交二"]
    finally:
        data.close()
    assert not journal_of(db_file).exists()


def test_a_crash_while_commit_was_writing_page_one_is_still_rolled_back(db_file, tmp_path):
    _with_events(db_file, "已提交")
    committed = tmp_path / "committed.kjdb"
    shutil.copyfile(db_file, committed)
    run_writer(committed, commit=True)  # the page 1 the same transaction writes when it commits
    crash_mid_transaction(db_file)
    page_size = int.from_bytes(db_file.read_bytes()[16:18], "big")
    with db_file.open("r+b") as fh:  # the state a crash between commit's first write and its end leaves
        fh.write(committed.read_bytes()[:page_size])
    data = open_data_file(db_file)
    try:
        assert _events(data) == ["已提交"]
    finally:
        data.close()
    assert not journal_of(db_file).exists()


@pytest.mark.parametrize("content", ["empty", "zeroed header"])
def test_a_journal_sqlite_would_not_play_back_is_neither_refused_nor_touched(db_file, tmp_path, content):
    _with_events(db_file, "已提交")
    scratch = tmp_path / "scratch.kjdb"
    shutil.copyfile(db_file, scratch)
    raw = bytearray(crash_mid_transaction(scratch).read_bytes())
    raw[:28] = bytes(28)
    journal_of(db_file).write_bytes(b"" if content == "empty" else bytes(raw))
    before = digest(db_file), digest(journal_of(db_file))
    data = open_data_file(db_file, read_only=True)
    try:
        assert _events(data) == ["已提交"]
    finally:
        data.close()
    assert (digest(db_file), digest(journal_of(db_file))) == before


def test_a_file_that_cannot_be_written_is_read_through_a_rolled_back_copy(db_file):
    _with_events(db_file, "已提交")
    journal = crash_mid_transaction(db_file)
    db_file.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    before = digest(db_file), digest(journal)
    data = open_data_file(db_file)
    copy = Path(data.engine.url.database.removeprefix("file:").split("?")[0])
    try:
        assert data.read_only and data.path == db_file
        assert messages.JOURNAL_COPY.format(name=db_file.name) in data.notices
        assert _events(data) == ["已提交"]
    finally:
        data.close()
    assert (digest(db_file), digest(journal)) == before
    assert not copy.parent.exists()


def test_the_journal_of_a_writer_still_at_work_is_left_to_it(db_file):
    _with_events(db_file, "已提交")
    writer = sqlite3.connect(db_file, isolation_level=None)
    writer.execute("PRAGMA cache_size=-64")
    writer.execute("BEGIN IMMEDIATE")
    writer.executemany(
        "INSERT INTO events(uid, created_at, updated_at, updated_by, confirmed_warnings, name, start_on) "
        "VALUES (?, '2012-01-01', '2012-01-01', '', '', '写入中', '2012-01-01')",
        [(f"live-{i}",) for i in range(2000)],
    )
    try:
        assert journal_of(db_file).stat().st_size > 0
        assert settle_journal(db_file).read_path == db_file
        assert journal_of(db_file).exists()
    finally:
        writer.execute("COMMIT")
        writer.close()


def test_a_newer_programs_file_with_its_own_crash_journal_is_refused_as_newer_and_left_alone(db_file):
    conn = sqlite3.connect(db_file)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num='9999_future'")
    conn.close()
    journal = crash_mid_transaction(db_file)
    before = digest(db_file), digest(journal)
    with pytest.raises(NewerVersionError):
        open_data_file(db_file)
    assert (digest(db_file), digest(journal)) == before
