"""The merge plan's per-field differences (both values as the form shows them) and how a conflict is worded."""

from __future__ import annotations

import pytest

from db import portable
from kejiju_desktop import fields, messages
from kejiju_desktop.services.portability import merge_text
from tests.core.merge_helpers import delete, merge, office_file, save

PROJECT = {"name": "液压项目", "level": "省", "apply_year": 2012, "unit_id": 1, "funding": "12.5"}


@pytest.fixture
def offices(tmp_path):
    return office_file(tmp_path, "甲科室"), office_file(tmp_path, "乙科室")


def _changed_copy(path, tmp_path):
    """A unit in `path`, then a copy of the file (same records and office, never merged with it) where
    the unit's 联系人 is changed; returns the copy."""
    uid = save(path, "enterprises", {"name": "四星液压", "contact": "刘华"})
    copy = tmp_path / "副本.kjdb"
    portable.copy_consistent(path, copy)
    save(copy, "enterprises", {"contact": "王新"}, uid=uid)
    return copy


def _pairs(item) -> list[tuple[str, str, str]]:
    return [(d.label, d.ours, d.theirs) for d in item.differences]


def test_an_update_lists_each_changed_field_with_both_values_as_the_form_shows_them(offices):
    a, b = offices
    save(a, "enterprises", {"name": "四星液压"})
    save(a, "enterprises", {"name": "蓝天电子"})
    uid = save(a, "projects", dict(PROJECT, approved_on="2012-04-01"))
    merge(b, a)
    changes = {"unit_id": 2, "funding": "30", "level": "市", "approved_on": "2012-05-06"}
    save(a, "projects", changes, uid=uid)
    plan, _ = merge(b, a, dry_run=True)
    (item,) = plan.items
    assert item.kind == messages.KIND_UPDATED
    assert _pairs(item) == [
        ("项目级别", "省", "市"),
        ("承担单位", "四星液压", "蓝天电子"),
        ("立项日期", "2012-04-01", "2012-05-06"),
        ("财政资助(万元)", "12.50", "30.00"),
    ]


def test_a_value_line_is_one_sentence_naming_both_sides(offices):
    a, b = offices
    uid = save(a, "events", {"name": "科普日", "start_on": "2012-09-15"})
    merge(b, a)
    save(a, "events", {"place": "县科技馆"}, uid=uid)
    plan, _ = merge(b, a, dry_run=True)
    assert merge_text.difference_lines(plan.items[0]) == ["      地点：本方为空，对方为“县科技馆”。"]


def test_a_purged_record_shows_only_its_deletion_not_every_emptied_field(offices):
    a, b = offices
    uid = save(a, "events", {"name": "科普日", "start_on": "2012-09-15", "place": "县科技馆"})
    merge(b, a)
    delete(a, "events", uid, purge=True)
    plan, _ = merge(b, a, dry_run=True)
    assert _pairs(plan.items[0]) == [(messages.FIELD_DELETED, messages.STATE_LIVE, messages.STATE_PURGED)]


def test_files_never_merged_differ_without_saying_both_sides_changed(offices, tmp_path):
    a, _ = offices
    copy = _changed_copy(a, tmp_path)
    plan, _ = merge(a, copy, dry_run=True)
    (item,) = plan.items
    assert item.kind == messages.KIND_CONFLICT and item.basis == messages.BASIS_NO_MARK
    assert _pairs(item) == [("联系人", "刘华", "王新")]
    detail = merge_text.detail(item)
    assert "两边不同（两个文件尚无合并记录，无法判断哪边改过）" in detail and "两边都改过" not in detail


def test_both_changed_is_said_only_where_the_merge_marks_prove_it(offices):
    a, b = offices
    uid = save(
        a,
        "patents",
        {"title": "一种液压缸", "patent_type": "发明", "applicant": "张三", "filed_on": "2012-03-05"},
    )
    merge(b, a)
    merge(a, b)
    save(b, "patents", {"title": "乙方的名称"}, uid=uid)
    save(a, "patents", {"title": "甲方较新的名称"}, uid=uid)
    plan, _ = merge(b, a, dry_run=True)
    (item,) = plan.items
    assert item.basis == messages.BASIS_BOTH_CHANGED
    assert merge_text.detail(item).startswith("两边都改过：专利名称")


def test_a_conflict_says_what_the_choice_will_do_and_which_side_is_newer(offices, tmp_path):
    a, _ = offices
    copy = _changed_copy(a, tmp_path)
    plan, _ = merge(a, copy, dry_run=True)
    (item,) = plan.items
    assert item.take_theirs  # the copy's edit is the newer one
    assert merge_text.detail(item).endswith("采用对方的内容（对方的较新）")
    assert merge_text.detail(item, take_theirs=False).endswith("保留本方的内容（对方的较新）")
    plan, _ = merge(copy, a, dry_run=True)
    (item,) = plan.items
    assert not item.take_theirs
    assert merge_text.detail(item).endswith("保留本方的内容（本方的较新）")


def test_the_preview_names_a_yearly_target_with_its_year(offices):
    a, b = offices
    for year in (2012, 2013):
        save(a, "targets", {"year": year, "indicator": fields.INDICATOR_POPULATION, "actual_value": "12.5"})
    save(b, "targets", {"year": 2013, "indicator": fields.INDICATOR_POPULATION, "actual_value": "12.6"})
    plan, _ = merge(b, a, dry_run=True)
    lines = merge_text.preview_lines(plan, "本方", "对方")
    assert "  [新增] 年度目标：2012年年末常住人口(万人)" in lines
    duplicate = next(line for line in lines if "2013年" in line)
    assert duplicate.startswith(
        "  [疑似重复] 年度目标：2013年年末常住人口(万人)（与本方“2013年年末常住人口(万人)”"
    )
