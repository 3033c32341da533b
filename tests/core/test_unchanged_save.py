"""A save that changes nothing writes nothing: no new version, no empty 历史记录 line."""

import pytest
from sqlalchemy import func, select

from db.models import ChangeLog, Patent
from kejiju_desktop import fields
from kejiju_desktop.services import history, records
from kejiju_desktop.services.exchange import importer
from tests.fixtures.xlsx.sheets import PATENT_HEADERS, patent_row, write_sheet


@pytest.fixture
def data(engine_store):
    """Every test here that takes `data` or `session` runs on a data file and on a PostgreSQL server."""
    return engine_store


def _import_update(data, path):
    with data.writer() as session:
        options = importer.ImportOptions(on_duplicate=importer.UPDATE)
        return importer.import_file(session, fields.PATENTS, path, options)


def _lines(session) -> int:
    return session.scalar(select(func.count()).select_from(ChangeLog))


def test_saving_the_same_values_again_bumps_no_version_and_logs_no_line(data):
    raw = {"title": "一种液压缸", "patent_type": "发明", "applicant": "张三", "filed_on": "2012-03-05"}
    with data.writer() as session:
        record_id = records.save_record(session, fields.PATENTS, raw, operator="甲").id
    with data.writer() as session:
        records.save_record(session, fields.PATENTS, raw, record_id=record_id, operator="乙", seen_version=1)
    with data.sessions() as session:
        assert session.scalar(select(Patent.version)) == 1  # another clerk's open form is not stale
        assert [line.action for line in history.list_history(session, fields.PATENTS, record_id)] == [
            "create"
        ]


def test_importing_an_unchanged_sheet_again_with_update_writes_nothing(data, tmp_path):
    sheet = write_sheet(tmp_path / "a.xlsx", [PATENT_HEADERS, patent_row(1), patent_row(2)])
    _import_update(data, sheet)
    with data.sessions() as session:
        before = _lines(session)
    _import_update(data, sheet)
    with data.sessions() as session:
        assert _lines(session) == before
        assert set(session.scalars(select(Patent.version))) == {1}


def test_an_unchanged_row_is_counted_as_skipped_not_updated(data, tmp_path):
    sheet = write_sheet(tmp_path / "a.xlsx", [PATENT_HEADERS, patent_row(1), patent_row(2)])
    _import_update(data, sheet)
    changed = write_sheet(
        tmp_path / "b.xlsx",
        [PATENT_HEADERS, patent_row(1), patent_row(2, 法律状态="已授权", 授权日="2013-01-05")],
    )
    result = _import_update(data, changed)
    assert (result.updated, result.skipped) == (1, 1)  # the summary says 更新 1 条，跳过重复 1 条
