"""A journal beside a data file: our own crash's is rolled back, another file's is never applied."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import stat
import tempfile
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import text

from db import messages, portable
from db.database import NewerVersionError, open_data_file
from db.engine import make_engine, outside_transaction
from db.journal import ForeignJournalError, settle_journal
from tests.core.merge_helpers import save
from tests.db.crash_helpers import (
    can_hold_deletes,
    commit_cannot_finish,
    crash_mid_transaction,
    crash_without_page_one,
    digest,
    journal_of,
    kill_once_spilled,
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
    nonce = crash_mid_transaction(db_file).read_bytes()[12:16]
    page_size = int.from_bytes(db_file.read_bytes()[16:18], "big")
    page_one = bytearray(committed.read_bytes()[:page_size])
    page_one[60:64] = nonce  # what this transaction, not the other one, marks page 1 with (user_version)
    with db_file.open("r+b") as fh:  # the state a crash between commit's first write and its end leaves
        fh.write(page_one)
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


@pytest.fixture
def sibling(db_file, tmp_path) -> Path:
    """A copy of `db_file` made on the same day, kept in another folder (a USB stick)."""
    _with_events(db_file, "已提交")
    path = tmp_path / "U盘" / db_file.name
    path.parent.mkdir()
    shutil.copyfile(db_file, path)
    return path


def _refused_untouched(path: Path) -> None:
    before = digest(path), digest(journal_of(path))
    with pytest.raises(ForeignJournalError):
        open_data_file(path)
    assert (digest(path), digest(journal_of(path))) == before


def test_a_journal_without_page_one_beside_a_sibling_with_more_work_is_refused_and_both_stay_byte_identical(
    db_file, sibling
):
    # Rolled into the sibling it would undo the sibling's five records and pass every check.
    _with_events(sibling, "副本一", "副本二", "副本三", "副本四", "副本五")
    shutil.copyfile(crash_without_page_one(db_file), journal_of(sibling))
    _refused_untouched(sibling)


@pytest.mark.parametrize("ours", [True, False], ids=["our commit", "another program's commit"])
def test_a_journal_beside_a_sibling_one_commit_ahead_is_refused_and_both_stay_byte_identical(
    db_file, sibling, ours
):
    run_writer(sibling, rows=1, commit=True, ours=ours)
    shutil.copyfile(crash_mid_transaction(db_file), journal_of(sibling))
    _refused_untouched(sibling)


def test_a_journal_without_page_one_an_older_version_or_another_program_left_is_refused_untouched(db_file):
    # Nothing shows whose it is: every journal of ours holds page 1.
    crash_without_page_one(db_file)
    _refused_untouched(db_file)


def test_every_journal_our_writers_leave_holds_page_one_from_their_first_write(db_file):
    run_writer(db_file, rows=1)  # killed long before commit, with no spill of its cache
    with journal_of(db_file).open("rb") as fh:
        fh.seek(int.from_bytes(fh.read(24)[20:24], "big"))
        assert int.from_bytes(fh.read(4), "big") == 1


@pytest.mark.skipif(not can_hold_deletes(Path(tempfile.gettempdir())), reason="needs chattr +a (root, ext4)")
def test_a_crash_at_the_end_of_a_commit_is_rolled_back_to_before_the_transaction(db_file):
    _with_events(db_file, "已提交")
    with commit_cannot_finish(db_file.parent):
        run_writer(db_file, commit=True)
    assert journal_of(db_file).stat().st_size > 0
    assert _after_open(db_file, "SELECT name FROM events") == ["已提交"]


VACUUM = textwrap.dedent(
    """
    from pathlib import Path
    from db.engine import make_engine, outside_transaction
    with make_engine(Path(sys.argv[2])).connect() as conn:  # as SqliteStore.compact does
        outside_transaction(conn, "VACUUM")
    """
)


def _with_free_space(path: Path) -> Path:
    """Many committed records, half of them gone again: a VACUUM has pages to move."""
    run_writer(path, rows=20000, commit=True)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            "DELETE FROM events WHERE uid LIKE 'crash-%' AND substr(uid, -1) IN ('0', '2', '4', '6', '8')"
        )
    conn.close()
    return path


def test_a_vacuum_killed_while_it_rewrites_the_file_is_recognised_as_ours(db_file):
    _with_events(_with_free_space(db_file), "已提交")
    before = _count_events(db_file)
    kill_once_spilled(VACUUM, db_file)
    assert journal_of(db_file).stat().st_size > 0
    assert _after_open(db_file, "SELECT count(*) FROM events") == [before]


@pytest.mark.skipif(not can_hold_deletes(Path(tempfile.gettempdir())), reason="needs chattr +a (root, ext4)")
def test_a_vacuum_killed_at_the_end_of_its_commit_is_recognised_as_ours(db_file):
    _with_events(_with_free_space(db_file), "已提交")
    before = _count_events(db_file)
    with (
        commit_cannot_finish(db_file.parent),
        contextlib.suppress(sqlite3.OperationalError),
        make_engine(db_file).connect() as conn,  # as SqliteStore.compact does
    ):
        outside_transaction(conn, "VACUUM")
    assert journal_of(db_file).stat().st_size > 0
    assert _after_open(db_file, "SELECT count(*) FROM events") == [before]


def _count_events(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM events").fetchone()[0]
    finally:
        conn.close()


def _after_open(path: Path, query: str) -> list:
    """What `query` finds once the file is opened (its journal settled, which must be gone then)."""
    data = open_data_file(path)
    try:
        with data.sessions() as s:
            found = list(s.execute(text(query)).scalars())
    finally:
        data.close()
    assert not journal_of(path).exists()
    return found


def test_our_journal_cut_short_is_said_to_be_incomplete_and_both_stay_byte_identical(db_file):
    _with_events(db_file, "已提交")
    journal = crash_mid_transaction(db_file)
    raw = journal.read_bytes()
    sector, page_size = int.from_bytes(raw[20:24], "big"), int.from_bytes(raw[24:28], "big")
    journal.write_bytes(raw[: sector + 2 * (page_size + 8) + 100])  # a copy broken off in its first records
    before = digest(db_file), digest(journal)
    with pytest.raises(ForeignJournalError) as refused:
        open_data_file(db_file)
    assert str(refused.value) == messages.JOURNAL_CUT_SHORT.format(name=db_file.name, journal=journal.name)
    assert (digest(db_file), digest(journal)) == before


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_a_data_file_reached_through_a_symbolic_link_is_written_and_marked(db_file, tmp_path):
    # SQLite keeps the journal beside the file the link points to, not beside the link.
    link = tmp_path / "链接.kjdb"
    link.symlink_to(db_file)
    _with_events(link, "经链接保存")
    conn = sqlite3.connect(db_file)
    try:
        assert conn.execute("PRAGMA user_version").fetchone() != (0,)
        assert conn.execute("SELECT name FROM events").fetchall() == [("经链接保存",)]
    finally:
        conn.close()


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_a_journal_of_another_file_beside_the_file_a_link_points_to_is_refused(healthy, other, tmp_path):
    # SQLite plays back the journal beside the link's target; that is the one to prove the file's own.
    journal = plant_foreign_journal(healthy, other)
    link = tmp_path / "捷径" / "本局.kjdb"
    link.parent.mkdir()
    link.symlink_to(healthy)
    before = digest(healthy), digest(journal)
    with pytest.raises(ForeignJournalError):
        open_data_file(link)
    assert (digest(healthy), digest(journal)) == before
