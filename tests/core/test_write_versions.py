"""Merge and import updates bump the version and refuse a row another program changed under them."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import select, text

from db.database import open_data_file
from db.models import Patent
from kejiju_desktop import fields, messages
from kejiju_desktop.services import records
from kejiju_desktop.services.exchange import importer
from kejiju_desktop.services.portability import merge as merge_service
from tests.core.merge_helpers import live, merge, office_file, row, save
from tests.fixtures.xlsx.sheets import PATENT_HEADERS, patent_row, write_sheet

# What another writer does to a row between our read and our UPDATE (a server's clerks race there):
# the UPDATE matches no row. SQLite lets a trigger skip the row the same way.
SKIP_UPDATES = "CREATE TRIGGER race BEFORE UPDATE ON patents BEGIN SELECT RAISE(IGNORE); END"


@pytest.fixture
def offices(tmp_path):
    return office_file(tmp_path, "甲科室"), office_file(tmp_path, "乙科室")


def _patent(path, title):
    return save(
        path,
        "patents",
        {"title": title, "patent_type": "发明", "applicant": "张三", "filed_on": "2012-03-05"},
    )


def _execute(path, statement: str) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(statement)
    conn.close()


def test_a_merged_record_starts_at_one_and_a_merged_update_bumps_our_version(offices):
    a, b = offices
    uid = _patent(a, "一种液压缸")
    merge(b, a)
    assert row(b, "patents", uid)["version"] == 1
    save(a, "patents", {"title": "甲方改一次"}, uid=uid)
    save(a, "patents", {"title": "甲方改两次"}, uid=uid)
    assert row(a, "patents", uid)["version"] == 3
    merge(b, a)
    assert (row(b, "patents", uid)["title"], row(b, "patents", uid)["version"]) == ("甲方改两次", 2)


def test_a_write_by_a_program_with_an_older_clock_after_the_preview_replans(offices):
    a, b = offices
    uid = _patent(a, "一种液压缸")
    merge(b, a)
    save(a, "patents", {"title": "甲方改的名称"}, uid=uid)
    _patent(b, "乙方后来的专利")  # holds our latest updated_at
    data = open_data_file(b, take_lock=False)
    try:
        plan = merge_service.plan_files(data, a)
        _execute(b, f"UPDATE patents SET title = '旧钟改的', version = version + 1, "
                    f"updated_at = '2001-01-01 00:00:00' WHERE uid = '{uid}'")  # fmt: skip
        result = merge_service.merge(data, plan)
    finally:
        data.close()
    assert result.replanned  # planned again from the row as it is now (their side is the newer by its clock)
    assert (live(b, "patents")[uid], row(b, "patents", uid)["version"]) == ("甲方改的名称", 3)


def test_a_merge_whose_update_finds_the_row_changed_refuses_and_writes_nothing(offices):
    a, b = offices
    uid = _patent(a, "一种液压缸")
    merge(b, a)
    save(a, "patents", {"title": "甲方改的名称"}, uid=uid)
    _execute(b, SKIP_UPDATES)
    data = open_data_file(b, take_lock=False)
    try:
        plan = merge_service.plan_files(data, a)
        with pytest.raises(merge_service.MergeRefused) as info:
            merge_service.merge(data, plan)
    finally:
        data.close()
    assert str(info.value).startswith(messages.MERGE_RACED.split("{")[0])
    assert (row(b, "patents", uid)["title"], row(b, "patents", uid)["version"]) == ("一种液压缸", 1)


def _import_update(data, path):
    with data.writer() as session:
        options = importer.ImportOptions(on_duplicate=importer.UPDATE)
        return importer.import_file(session, fields.PATENTS, path, options)


def test_import_update_bumps_the_version(data, tmp_path):
    _import_update(data, write_sheet(tmp_path / "a.xlsx", [PATENT_HEADERS, patent_row(1)]))
    result = _import_update(
        data, write_sheet(tmp_path / "b.xlsx", [PATENT_HEADERS, patent_row(1, 专利名称="改过")])
    )
    assert result.updated == 1
    with data.sessions() as session:
        assert session.execute(select(Patent.title, Patent.version)).one() == ("改过", 2)


def test_an_import_update_that_finds_the_row_changed_is_refused_and_writes_nothing(data, db_file, tmp_path):
    _import_update(data, write_sheet(tmp_path / "a.xlsx", [PATENT_HEADERS, patent_row(1), patent_row(2)]))
    with data.writer() as session:
        session.execute(text(SKIP_UPDATES))
    rows = [PATENT_HEADERS, patent_row(3), patent_row(1, 专利名称="改过")]
    with pytest.raises(records.RecordChangedError):
        _import_update(data, write_sheet(tmp_path / "b.xlsx", rows))
    with data.sessions() as session:
        stored = session.execute(select(Patent.title, Patent.version).order_by(Patent.id)).all()
    assert stored == [("一种测试装置1", 1), ("一种测试装置2", 1)]  # nor the new row 3 of that import
