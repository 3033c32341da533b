"""The merge matrix: insert, edits on one or both sides, delete against edit, references, duplicates, convergence."""

from __future__ import annotations

import pytest

from kejiju_desktop import messages
from kejiju_desktop.services.portability.merge_apply import Choices
from tests.core.merge_helpers import CODE_A, delete, live, merge, office_file, row, save


@pytest.fixture
def offices(tmp_path):
    return office_file(tmp_path, "甲科室"), office_file(tmp_path, "乙科室")


def _unit(path, name, code=None):
    raw = {"name": name}
    if code:
        raw["credit_code"] = code
    return save(path, "enterprises", raw)


def _patent(path, title, applicant="张三", filed="2012-03-05"):
    raw = {"title": title, "patent_type": "发明", "applicant": applicant, "filed_on": filed}
    return save(path, "patents", raw)


def test_merge_inserts_new_records_with_their_uid(offices):
    a, b = offices
    uid = _patent(a, "一种液压缸")
    plan, result = merge(b, a)
    assert plan.counts[messages.KIND_NEW] == 1
    assert result.written == {messages.KIND_NEW: 1}
    assert live(b, "patents") == {uid: "一种液压缸"}
    assert row(b, "patents", uid)["title_sort"].startswith("yi zhong")


def test_dry_run_plan_writes_nothing(offices):
    a, b = offices
    _patent(a, "一种液压缸")
    before = b.read_bytes()
    plan, result = merge(b, a, dry_run=True)
    assert plan.counts[messages.KIND_NEW] == 1 and result is None
    assert b.read_bytes() == before


def test_merging_the_same_file_twice_changes_nothing_the_second_time(offices):
    a, b = offices
    _patent(a, "一种液压缸")
    _unit(a, "四星液压", CODE_A)
    merge(b, a)
    plan, _ = merge(b, a)
    assert plan.items == []
    assert plan.same == 2


def test_edit_on_their_side_only_updates_ours(offices):
    a, b = offices
    uid = _patent(a, "一种液压缸")
    merge(b, a)
    save(a, "patents", {"title": "一种改进的液压缸"}, uid=uid)
    plan, result = merge(b, a)
    assert [i.kind for i in plan.items] == [messages.KIND_UPDATED]
    assert live(b, "patents")[uid] == "一种改进的液压缸"
    assert row(b, "patents", uid)["title_sort"].startswith("yi zhong gai jin")


def test_edit_on_our_side_only_is_kept(offices):
    a, b = offices
    uid = _patent(a, "一种液压缸")
    merge(b, a)
    save(b, "patents", {"title": "乙方改过的名称"}, uid=uid)
    plan, _ = merge(b, a)
    assert plan.items == [] and plan.kept == 1
    assert live(b, "patents")[uid] == "乙方改过的名称"


def test_edit_on_both_sides_is_a_conflict_the_clerk_settles(offices):
    a, b = offices
    uid = _patent(a, "一种液压缸")
    merge(b, a)
    merge(a, b)
    save(b, "patents", {"title": "乙方的名称"}, uid=uid)
    save(a, "patents", {"title": "甲方较新的名称"}, uid=uid)
    plan, _ = merge(b, a, dry_run=True)
    (item,) = plan.items
    assert item.kind == messages.KIND_CONFLICT and item.take_theirs  # the newer side is the default
    merge(b, a, Choices(take_theirs={item.key: False}))
    assert live(b, "patents")[uid] == "乙方的名称"


def test_cli_style_default_takes_the_newer_side_of_a_conflict(offices):
    a, b = offices
    uid = _patent(a, "一种液压缸")
    merge(b, a)
    save(a, "patents", {"title": "甲方的名称"}, uid=uid)
    save(b, "patents", {"title": "乙方较新的名称"}, uid=uid)
    plan, _ = merge(a, b)
    assert [i.kind for i in plan.items] == [messages.KIND_CONFLICT]
    assert live(a, "patents")[uid] == "乙方较新的名称"


def test_their_tombstone_applies_to_an_unchanged_record(offices):
    a, b = offices
    uid = _patent(a, "一种液压缸")
    merge(b, a)
    delete(a, "patents", uid, purge=True)
    plan, _ = merge(b, a)
    assert [i.kind for i in plan.items] == [messages.KIND_DELETED]
    assert uid not in live(b, "patents")
    assert row(b, "patents", uid)["deleted_at"] is not None


def test_tombstone_loses_against_a_later_edit(offices):
    a, b = offices
    uid = _patent(a, "一种液压缸")
    merge(b, a)
    delete(a, "patents", uid)
    save(b, "patents", {"title": "删除后乙方又改了"}, uid=uid)
    plan, _ = merge(b, a)
    assert plan.items == []
    assert live(b, "patents")[uid] == "删除后乙方又改了"
    plan, _ = merge(a, b)  # and the edit brings the record back on the deleting side
    assert [i.detail for i in plan.items] == [messages.DETAIL_RESTORED]
    assert live(a, "patents")[uid] == "删除后乙方又改了"


def test_tombstone_wins_against_an_earlier_edit(offices):
    a, b = offices
    uid = _patent(a, "一种液压缸")
    merge(b, a)
    save(b, "patents", {"title": "乙方先改"}, uid=uid)
    delete(a, "patents", uid)
    plan, _ = merge(b, a)
    assert [i.kind for i in plan.items] == [messages.KIND_DELETED]
    assert uid not in live(b, "patents")


def test_references_are_remapped_by_uid(offices):
    a, b = offices
    _unit(b, "先有的单位")  # takes local id 1 in b, so a's unit gets another id there
    unit_uid = _unit(a, "四星液压", CODE_A)
    project = save(a, "projects", {"name": "液压项目", "level": "省", "apply_year": 2012, "unit_id": 1})
    merge(b, a)
    assert row(b, "projects", project)["unit_name"] == "四星液压"
    assert row(b, "enterprises", unit_uid)["id"] != 1


def test_duplicate_by_business_key_is_listed_not_inserted_and_children_follow(offices):
    a, b = offices
    ours = _unit(b, "四星液压有限公司", CODE_A)
    _unit(a, "四星液压", CODE_A)  # same credit code, another uid: the same real unit
    child = save(a, "qualifications", {"unit_id": 1, "category": "高新技术企业", "year": 2012})
    plan, _ = merge(b, a)
    kinds = {i.table: i.kind for i in plan.items}
    assert kinds == {"enterprises": messages.KIND_DUPLICATE, "qualifications": messages.KIND_NEW}
    assert plan.items[0].match_uid == ours
    assert list(live(b, "enterprises")) == [ours]
    assert row(b, "qualifications", child)["unit_name"] == "四星液压有限公司"


def test_duplicate_patent_by_application_number(offices):
    a, b = offices
    save(
        b,
        "patents",
        {"app_no": "201210123456.8", "title": "乙录入", "applicant": "张三", "filed_on": "2012-03-05"},
    )
    save(
        a,
        "patents",
        {"app_no": "201210123456.8", "title": "甲录入", "applicant": "张三", "filed_on": "2012-03-05"},
    )
    plan, _ = merge(b, a)
    assert [i.kind for i in plan.items] == [messages.KIND_DUPLICATE]
    assert sorted(live(b, "patents").values()) == ["乙录入"]


def test_excluded_records_are_not_written(offices):
    a, b = offices
    keep = _patent(a, "要的专利")
    skip = _patent(a, "不要的专利")
    plan, _ = merge(b, a, dry_run=True)
    merge(b, a, Choices(excluded={("patents", skip)}))
    assert set(live(b, "patents")) == {keep}


def test_a_to_b_then_b_to_a_converge(offices):
    a, b = offices
    shared = _patent(a, "共有专利")
    merge(b, a)
    merge(a, b)
    _unit(a, "甲新单位")
    _patent(b, "乙新专利")
    save(a, "patents", {"title": "甲改共有专利"}, uid=shared)
    gone = _patent(b, "乙又删的专利")
    merge(a, b)
    delete(b, "patents", gone)
    save(b, "patents", {"title": "乙后改共有专利"}, uid=shared)
    merge(b, a)
    merge(a, b)
    for table in ("enterprises", "patents"):
        assert live(a, table) == live(b, table)
    assert live(a, "patents")[shared] == "乙后改共有专利"
    assert gone not in live(a, "patents")
    assert merge(a, b)[0].items == [] and merge(b, a)[0].items == []


def test_each_merged_record_gets_a_change_log_line(offices):
    from sqlalchemy import select

    from db.database import open_data_file
    from db.models import ChangeLog

    a, b = offices
    uids = {_patent(a, "专利一"), _patent(a, "专利二")}
    merge(b, a)
    data = open_data_file(b, read_only=True)
    with data.sessions() as s:
        logged = set(s.scalars(select(ChangeLog.uid).where(ChangeLog.action == "merge-new")))
    data.close()
    assert logged == uids


def test_merge_takes_an_automatic_backup_of_ours_first(offices):
    from kejiju_desktop.services.portability import backups

    a, b = offices
    _patent(a, "一种液压缸")
    merge(b, a)
    taken = backups.list_backups(b)
    assert [x.reason for x in taken] == ["merge"]
    assert taken[0].counts["patents"] == 0


def test_child_of_an_excluded_new_unit_is_written_without_its_unit_and_reported(offices):
    a, b = offices
    unit = _unit(a, "四星液压", CODE_A)
    project = save(a, "projects", {"name": "液压项目", "level": "省", "apply_year": 2012, "unit_id": 1})
    plan, result = merge(b, a, Choices(excluded={("enterprises", unit)}))
    assert live(b, "enterprises") == {}
    assert row(b, "projects", project)["unit_id"] is None
    assert [(item.uid, note) for item, note in result.notes] == [(project, messages.DETAIL_NO_UNIT)]


def test_record_edited_after_the_preview_is_not_overwritten(offices):
    from db.database import open_data_file
    from kejiju_desktop.services.portability import merge as merge_service

    a, b = offices
    uid = _patent(a, "一种液压缸")
    merge(b, a)
    save(a, "patents", {"title": "甲方改的名称"}, uid=uid)
    data = open_data_file(b, take_lock=False)
    try:
        plan = merge_service.plan_files(data, a)
        save(b, "patents", {"title": "预览后乙方又改"}, uid=uid)
        result = merge_service.merge(data, plan)
    finally:
        data.close()
    assert result.replanned  # our file changed after the preview: planned again, ours is now the newer
    assert live(b, "patents")[uid] == "预览后乙方又改"


def test_their_own_plan_categories_join_ours_so_merged_projects_stay_valid(offices):
    from db.database import open_data_file
    from kejiju_desktop import fields
    from kejiju_desktop.services import checkup, settings

    a, b = offices
    data = open_data_file(a, take_lock=False)
    with data.sessions.begin() as s:
        values = list(fields.DEFAULT_PLAN_CATEGORIES) + ["县级科技特派员专项"]
        settings.put_choice_list(s, "plan_categories", values)
    data.close()
    raw = {"name": "特派员项目", "level": "县", "apply_year": 2012, "plan_category": "县级科技特派员专项"}
    save(a, "projects", raw)
    plan, _ = merge(b, a)
    assert plan.new_choices == {"plan_categories": ["县级科技特派员专项"]}
    data = open_data_file(b, read_only=True)
    with data.sessions() as s:
        assert "县级科技特派员专项" in settings.get_choice_list(s, "plan_categories", ())
        assert checkup.check_session(s).ok
    data.close()
