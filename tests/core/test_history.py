"""历史记录: every change keeps its old and new values; 恢复此值; 永久删除 leaves no content in the history."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from db.database import open_data_file
from db.models import ChangeLog
from kejiju_desktop import fields, messages
from kejiju_desktop.services import checkup, history, records, settings, targets
from kejiju_desktop.services.entity_models import model_of
from kejiju_desktop.services.exchange import importer
from kejiju_desktop.services.records import ValidationFailed
from tests.core.merge_helpers import delete, merge, office_file, save
from tests.fixtures.xlsx.sheets import PATENT_HEADERS, patent_row, write_sheet


@pytest.fixture
def data(engine_store):
    """Every test here that takes `data` or `session` runs on a data file and on a PostgreSQL server."""
    return engine_store


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "data"


def add_unit(session, name):
    return records.save_record(session, fields.ENTERPRISES, {"name": name}, operator="张三")


def add_project(session, **raw):
    base = {"name": "液压缸研发", "level": "省", "apply_year": "2012", "funding": "12.5"}
    return records.save_record(session, fields.PROJECTS, base | raw, operator="张三")


def changes(line) -> dict[str, tuple]:
    return {change.label: (change.old, change.new) for change in line.fields}


def test_history_after_an_edit_has_old_and_new_values_newest_first(session):
    first, second = add_unit(session, "甲公司"), add_unit(session, "乙公司")
    project = add_project(session, unit_id=first.id, start_on="2012-03-05")
    raw = {"funding": "20", "unit_id": second.id, "start_on": "2012-04-01", "leader": "王五"}
    records.save_record(session, fields.PROJECTS, raw, record_id=project.id, operator="李四")
    lines = history.list_history(session, fields.PROJECTS, project.id)
    assert [(line.action_label, line.operator) for line in lines] == [("修改", "李四"), ("新增", "张三")]
    assert changes(lines[0]) == {
        "承担单位": ("甲公司", "乙公司"),
        "项目负责人": ("", "王五"),
        "财政资助(万元)": ("12.50", "20.00"),
        "开始日期": ("2012-03-05", "2012-04-01"),
    }
    assert changes(lines[1])["项目名称"] == ("", "液压缸研发")
    assert changes(lines[1])["承担单位"] == ("", "甲公司")


def test_import_updating_a_duplicate_keeps_old_and_new_values(data, tmp_path):
    first = write_sheet(tmp_path / "a.xlsx", [PATENT_HEADERS, patent_row(1)])
    second = write_sheet(tmp_path / "b.xlsx", [PATENT_HEADERS, patent_row(1, 专利名称="改过的名称")])
    for path, options in ((first, {}), (second, {"on_duplicate": "update"})):
        with data.sessions.begin() as s:
            importer.import_file(s, fields.PATENTS, path, importer.ImportOptions(**options))
    with data.sessions() as s:
        patent_id = s.scalar(select(model_of(fields.PATENTS).id))
        lines = history.list_history(s, fields.PATENTS, patent_id)
    assert [line.action for line in lines] == ["update", "create"]
    assert changes(lines[0]) == {"专利名称": ("一种测试装置1", "改过的名称")}
    assert changes(lines[1])["申请日"] == ("", "2012-03-05")
    assert changes(lines[1])["专利名称"] == ("", "一种测试装置1")  # as imported, not as it reads now


def test_an_imported_records_create_line_reads_its_values_from_the_record_and_later_lines(data, tmp_path):
    sheet = write_sheet(tmp_path / "a.xlsx", [PATENT_HEADERS, patent_row(1), patent_row(2)])
    with data.sessions.begin() as s:
        importer.import_file(s, fields.PATENTS, sheet)
    with data.sessions.begin() as s:
        patent_id = s.scalar(select(model_of(fields.PATENTS).id).order_by(model_of(fields.PATENTS).id))
        records.save_record(s, fields.PATENTS, {"legal_status": "已授权", "granted_on": "2013-01-05"},
                            record_id=patent_id, operator="李四")  # fmt: skip
        records.save_record(s, fields.PATENTS, {"legal_status": "已失效", "lapsed_on": "2014-02-01"},
                            record_id=patent_id, operator="王五")  # fmt: skip
    with data.sessions() as s:
        stored = s.scalars(select(ChangeLog.changes).where(ChangeLog.action == "create")).all()
        lines = history.list_history(s, fields.PATENTS, patent_id)
    assert stored == ['{"_as_stored": true}'] * 2  # an import writes no JSON of each row's values
    created = changes(lines[-1])
    assert created["法律状态"] == ("", "已受理")  # the oldest value a later line replaced
    assert created["申请人"] == ("", "示范科技有限公司") and created["申请日"] == ("", "2012-03-05")
    assert "授权日" not in created and "失效日" not in created  # empty when imported


def test_merge_line_keeps_both_sides_values_and_the_other_offices_operator(tmp_path):
    """Two offices' data files (the server side of a merge: tests/cli/test_server_sync.py)."""
    ours, theirs = office_file(tmp_path, "甲科室"), office_file(tmp_path, "乙科室")
    _set_operator(theirs, "乙方小王")
    uid = save(theirs, "projects", {"name": "液压缸研发", "level": "省", "apply_year": "2012"})
    merge(ours, theirs)
    save(theirs, "projects", {"name": "改进的液压缸研发", "funding": "8"}, uid=uid)
    merge(ours, theirs)
    data = open_data_file(ours, read_only=True)
    with data.sessions() as s:
        project_id = s.scalar(select(model_of(fields.PROJECTS).id))
        lines = history.list_history(s, fields.PROJECTS, project_id)
    data.close()
    assert [line.action_label for line in lines] == ["合并：更新", "合并：新增"]
    assert {line.their_operator for line in lines} == {"乙方小王"}
    assert changes(lines[0]) == {
        "项目名称": ("液压缸研发", "改进的液压缸研发"),
        "财政资助(万元)": ("", "8.00"),
    }
    assert changes(lines[1])["项目名称"] == ("", "液压缸研发")


def _set_operator(path: Path, name: str) -> None:
    data = open_data_file(path, take_lock=False)
    with data.sessions.begin() as s:
        settings.put(s, settings.OPERATOR, name)
    data.close()


def test_delete_and_restore_from_the_bin_say_the_state_before_and_after(session):
    project = add_project(session)
    records.delete_record(session, fields.PROJECTS, project.id, operator="李四")
    records.restore_record(session, fields.PROJECTS, project.id, operator="王五")
    lines = history.list_history(session, fields.PROJECTS, project.id)
    assert [(line.action_label, line.operator) for line in lines[:2]] == [
        ("从回收站恢复", "王五"),
        ("删除到回收站", "李四"),
    ]
    assert changes(lines[0]) == {messages.FIELD_DELETED: (messages.STATE_DELETED, messages.STATE_LIVE)}
    assert changes(lines[1]) == {messages.FIELD_DELETED: (messages.STATE_LIVE, messages.STATE_DELETED)}


def test_restore_value_puts_the_old_value_back_as_a_new_line(session):
    project = add_project(session, start_on="2012-03-05")
    raw = {"name": "改名的项目", "start_on": "2012-05-06"}
    records.save_record(session, fields.PROJECTS, raw, record_id=project.id, operator="李四")
    old = history.list_history(session, fields.PROJECTS, project.id)[0]
    value = next(change.old for change in old.fields if change.key == "start_on")
    history.restore_value(session, fields.PROJECTS, project.id, "start_on", value, operator="王五")
    assert str(project.start_on) == "2012-03-05" and project.name == "改名的项目"
    newest = history.list_history(session, fields.PROJECTS, project.id)[0]
    assert (newest.action, newest.operator) == ("update", "王五")
    assert changes(newest) == {"开始日期": ("2012-05-06", "2012-03-05")}


def test_restore_value_of_a_unit_since_deleted_says_so_and_writes_nothing(session):
    first, second = add_unit(session, "甲公司"), add_unit(session, "乙公司")
    project = add_project(session, unit_id=first.id)
    records.save_record(session, fields.PROJECTS, {"unit_id": second.id}, record_id=project.id)
    records.delete_record(session, fields.ENTERPRISES, first.id)
    lines_before = len(history.list_history(session, fields.PROJECTS, project.id))
    with pytest.raises(ValidationFailed, match="承担单位“甲公司”已不是现有的单位"):
        history.restore_value(session, fields.PROJECTS, project.id, "unit_id", "甲公司")
    assert project.unit_id == second.id
    assert len(history.list_history(session, fields.PROJECTS, project.id)) == lines_before


def test_restore_value_goes_through_the_form_checks(session):
    project = add_project(session, code="XM-1")
    records.save_record(session, fields.PROJECTS, {"code": "XM-2"}, record_id=project.id)
    add_project(session, name="另一个项目", code="XM-1")
    with pytest.raises(ValidationFailed, match="项目编号“XM-1”已存在"):
        history.restore_value(session, fields.PROJECTS, project.id, "code", "XM-1")
    with pytest.raises(ValidationFailed, match="现在已经是“XM-2”"):
        history.restore_value(session, fields.PROJECTS, project.id, "code", "XM-2")
    assert project.code == "XM-2"


def test_purge_leaves_no_content_in_the_records_history(data, db_file):
    distinctive = "独一无二的液压缸研发项目名称"
    with data.sessions.begin() as s:
        project = add_project(s, name=distinctive, leader="赵六")
        records.save_record(s, fields.PROJECTS, {"leader": "钱七"}, record_id=project.id)
        project_id, uid = project.id, project.uid
    with data.sessions.begin() as s:
        records.delete_record(s, fields.PROJECTS, project_id)
        records.purge_record(s, fields.PROJECTS, project_id)
    with data.sessions() as s:
        stored = s.scalars(select(ChangeLog.changes).where(ChangeLog.uid == uid)).all()
        lines = history.list_history(s, fields.PROJECTS, project_id)
    assert len(stored) == 4
    assert not any(word in text for text in stored for word in (distinctive, "赵六", "钱七"))
    assert lines[0].action_label == "永久删除"
    assert all(line.purged for line in lines[1:])
    assert not any(change.has_values for line in lines[1:] for change in line.fields)
    data.compact()
    assert distinctive.encode() not in db_file.read_bytes()


def test_purge_in_the_other_office_blanks_our_history_of_the_record_when_merged(tmp_path):
    """Two offices' data files (the server side of a merge: tests/cli/test_server_sync.py)."""
    ours, theirs = office_file(tmp_path, "甲科室"), office_file(tmp_path, "乙科室")
    uid = save(theirs, "projects", {"name": "要永久删除的项目", "level": "省", "apply_year": "2012"})
    merge(ours, theirs)
    delete(theirs, "projects", uid, purge=True)
    merge(ours, theirs)
    data = open_data_file(ours, read_only=True)
    with data.sessions() as s:
        stored = s.scalars(select(ChangeLog.changes).where(ChangeLog.uid == uid)).all()
    data.close()
    assert len(stored) == 2 and not any("要永久删除的项目" in text for text in stored)


def _purge_unit(session, unit_id):
    records.delete_record(session, fields.ENTERPRISES, unit_id)
    records.purge_record(session, fields.ENTERPRISES, unit_id)


def test_purging_a_unit_blanks_its_name_in_the_history_of_the_records_that_named_it(data, db_file):
    distinctive = "独一无二的液压有限公司"
    with data.sessions.begin() as s:
        gone, other = add_unit(s, distinctive), add_unit(s, "乙公司")
        project = add_project(s, unit_id=gone.id, note=f"原由{distinctive}申报")
        records.save_record(s, fields.PROJECTS, {"unit_id": other.id}, record_id=project.id)
        raw = {"app_no": "201210000001.7", "title": "一种液压缸", "applicant": distinctive,
               "applicant_type": "企业", "filed_on": "2012-03-05", "unit_id": gone.id}  # fmt: skip
        records.save_record(s, fields.PATENTS, raw, confirm_warnings=True)
        gone_id, project_id = gone.id, project.id
    with data.sessions.begin() as s:
        _purge_unit(s, gone_id)
    with data.sessions() as s:
        stored = s.scalars(
            select(ChangeLog.changes).where(ChangeLog.table_name == fields.PROJECTS.table)
        ).all()
        lines = history.list_history(s, fields.PROJECTS, project_id)
        patent_lines = s.scalars(
            select(ChangeLog.changes).where(ChangeLog.table_name == fields.PATENTS.table)
        )
        patent_text = "".join(patent_lines)
    assert not any(f'"{distinctive}"]' in text or f'["{distinctive}"' in text for text in stored)
    assert changes(lines[0]) == {"承担单位": ("", "乙公司")}
    assert changes(lines[1])["承担单位"] == ("", "")
    assert changes(lines[1])["备注"] == ("", f"原由{distinctive}申报")  # the project's own text stays
    assert changes(lines[1])["项目名称"] == ("", "液压缸研发")
    # The patent's 申请人 is the patent's own text; its 关联单位 was the purged unit's name.
    assert f'"unit_id":["","{distinctive}"]' not in patent_text and '"unit_id":["",""]' in patent_text
    assert f'"applicant":["","{distinctive}"]' in patent_text


def test_a_purged_units_name_that_another_unit_holds_stays_in_the_history(session):
    first = add_unit(session, "甲公司")
    project = add_project(session, unit_id=first.id)
    records.delete_record(session, fields.ENTERPRISES, first.id)
    add_unit(session, "甲公司")  # a new unit of the same name, while the first is in the bin
    records.purge_record(session, fields.ENTERPRISES, first.id)
    line = history.list_history(session, fields.PROJECTS, project.id)[0]
    assert changes(line)["承担单位"] == ("", "甲公司")  # which of the two it meant, the line cannot tell


def test_a_unit_purged_in_the_other_office_leaves_our_records_history_when_merged(tmp_path):
    ours, theirs = office_file(tmp_path, "甲科室"), office_file(tmp_path, "乙科室")
    unit = save(theirs, "enterprises", {"name": "要永久删除的单位"})
    save(theirs, "projects", {"name": "液压缸研发", "level": "省", "apply_year": "2012", "unit_id": 1})
    merge(ours, theirs)
    delete(theirs, "enterprises", unit, purge=True)
    merge(ours, theirs)
    data = open_data_file(ours, read_only=True)
    with data.sessions() as s:
        stored = s.scalars(select(ChangeLog.changes)).all()
    data.close()
    assert len(stored) == 3 and not any("要永久删除的单位" in text for text in stored)


def test_targets_and_repairs_keep_their_values(session):
    row = targets.TargetRow(None, "专利申请量", targets.Decimal("350"), None)
    targets.save_targets(session, 2012, [row], [])
    target_id = targets.list_targets(session, 2012)[0].id
    assert changes(history.list_history(session, fields.TARGETS, target_id)[0])["目标值"] == ("", "350.00")
    unit = add_unit(session, "甲公司")
    raw = {"unit_id": unit.id, "category": "高新技术企业", "level": "国家", "year": "2012",
           "certified_on": "2012-10-30", "status": fields.QUALIFICATION_CERTIFIED}  # fmt: skip
    qualification = records.save_record(session, fields.QUALIFICATIONS, raw, confirm_warnings=True)
    checkup.mark_expired(session, today=qualification.valid_until.replace(year=2030))
    newest = history.list_history(session, fields.QUALIFICATIONS, qualification.id)[0]
    assert changes(newest) == {"状态": (fields.QUALIFICATION_CERTIFIED, fields.QUALIFICATION_EXPIRED)}


@pytest.mark.parametrize("old", sorted(FIXTURES.glob("v*.kjdb")), ids=lambda p: p.stem)
def test_lines_of_an_older_file_read_with_their_field_names(old, tmp_path):
    """Frozen data files of older revisions (a server's schema is made at the head)."""
    # The frozen files hold no change-log lines (the demo writes none): one is written as their
    # revision wrote it (field names only), then the file is upgraded by opening it.
    path = tmp_path / old.name
    shutil.copy(old, path)
    conn = sqlite3.connect(path)
    uid, record_id = conn.execute("SELECT uid, id FROM projects ORDER BY id LIMIT 1").fetchone()
    with conn:
        conn.execute(
            "INSERT INTO change_log (table_name, uid, action, at, operator, fields) VALUES (?, ?, ?, ?, ?, ?)",
            ("projects", uid, "update", "2013-01-05 01:30:00", "老操作员", '["name", "funding"]'),
        )
    conn.close()
    data = open_data_file(path, take_lock=False)
    with data.sessions() as s:
        lines = history.list_history(s, fields.PROJECTS, record_id)
    data.close()
    assert [(line.action_label, line.operator) for line in lines] == [("修改", "老操作员")]
    assert [(c.label, c.has_values) for c in lines[0].fields] == [
        ("项目名称", False),
        ("财政资助(万元)", False),
    ]
