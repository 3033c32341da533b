"""合并预览: both values of each differing field, labels that say what is known and what will happen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from db import portable
from tests.core.merge_helpers import merge, office_file, save
from ui.dialogs.merge_preview import DETAIL, THEIRS, MergePreviewDialog

NO_MARK = "两边不同（两个文件尚无合并记录，无法判断哪边改过）"
CHECK = Qt.ItemDataRole.CheckStateRole


@pytest.fixture
def never_merged(tmp_path):
    """Our file and a copy of it, changed on both sides, never merged: (plan of the copy into ours)."""
    ours = office_file(tmp_path, "本科室")
    first = save(ours, "enterprises", {"name": "四星液压", "contact": "刘华"})
    second = save(ours, "enterprises", {"name": "蓝天电子", "contact": "张红"})
    project = {"name": "液压项目", "level": "省", "apply_year": 2012, "unit_id": 1, "funding": "12.5"}
    project_uid = save(ours, "projects", project)
    copy = tmp_path / "副本.kjdb"
    portable.copy_consistent(ours, copy)
    save(copy, "enterprises", {"contact": "王新"}, uid=first)
    save(copy, "projects", {"unit_id": 2, "funding": "30"}, uid=project_uid)
    save(ours, "enterprises", {"contact": "李明"}, uid=second)  # ours is the newer side here
    plan, _ = merge(ours, copy, dry_run=True)
    return plan


@pytest.fixture
def dialog(qtbot, never_merged):
    shown = MergePreviewDialog(never_merged, "本科室.kjdb", "副本.kjdb")
    qtbot.addWidget(shown)
    shown.show()
    return shown


def _row(dialog, name: str) -> int:
    return next(i for i, item in enumerate(dialog.model.items) if item.name == name)


def _cell(dialog, name: str, column: int, role=Qt.ItemDataRole.DisplayRole):
    return dialog.model.index(_row(dialog, name), column).data(role)


def _compared(dialog) -> list[tuple[str, str, str]]:
    table = dialog.differences
    return [tuple(table.item(r, c).text() for c in range(3)) for r in range(table.rowCount())]


def test_the_selected_record_shows_each_differing_field_with_our_value_and_theirs(dialog):
    dialog.view.selectRow(_row(dialog, "液压项目"))
    assert _compared(dialog) == [("承担单位", "四星液压", "蓝天电子"), ("财政资助(万元)", "12.50", "30.00")]
    headers = [dialog.differences.horizontalHeaderItem(c).text() for c in range(3)]
    assert "本科室.kjdb" in headers[1] and "副本.kjdb" in headers[2]
    tooltip = _cell(dialog, "液压项目", DETAIL, Qt.ItemDataRole.ToolTipRole)
    assert "承担单位：本方为“四星液压”，对方为“蓝天电子”。" in tooltip


def test_files_never_merged_are_labelled_as_such_not_as_both_changed(dialog):
    labels = [dialog.model.index(r, DETAIL).data() for r in range(dialog.model.rowCount())]
    assert labels and all(label.startswith(NO_MARK) for label in labels)
    assert not any("两边都改过" in label for label in labels)


def test_the_default_follows_the_newer_side_and_the_label_says_so(dialog):
    assert _cell(dialog, "四星液压", THEIRS, CHECK) == Qt.CheckState.Checked
    assert _cell(dialog, "四星液压", DETAIL).endswith("采用对方的内容（对方的较新）")
    assert _cell(dialog, "蓝天电子", THEIRS, CHECK) == Qt.CheckState.Unchecked
    assert _cell(dialog, "蓝天电子", DETAIL).endswith("保留本方的内容（本方的较新）")


def test_the_label_follows_the_tick_of_take_theirs(dialog):
    index = dialog.model.index(_row(dialog, "四星液压"), THEIRS)
    dialog.view.selectRow(index.row())
    dialog.model.setData(index, Qt.CheckState.Unchecked.value, CHECK)
    assert _cell(dialog, "四星液压", DETAIL).endswith("保留本方的内容（对方的较新）")
    assert dialog.current_detail.text().endswith("保留本方的内容（对方的较新）")  # shown whole, too
    assert "保留本方的内容" in dialog.report_text()
    dialog.model.setData(index, Qt.CheckState.Checked.value, CHECK)
    assert _cell(dialog, "四星液压", DETAIL).endswith("采用对方的内容（对方的较新）")


def test_both_changed_is_said_where_the_merge_marks_prove_it(qtbot, tmp_path):
    a, b = office_file(tmp_path, "甲科室"), office_file(tmp_path, "乙科室")
    uid = save(a, "events", {"name": "科普日", "start_on": "2012-09-15"})
    merge(b, a)
    merge(a, b)
    save(b, "events", {"place": "乙方的地点"}, uid=uid)
    save(a, "events", {"place": "甲方的地点"}, uid=uid)
    plan, _ = merge(b, a, dry_run=True)
    shown = MergePreviewDialog(plan, "乙科室.kjdb", "甲科室.kjdb")
    qtbot.addWidget(shown)
    assert shown.model.index(0, DETAIL).data().startswith("两边都改过：地点；采用对方的内容")
    assert _compared(shown) == [("地点", "乙方的地点", "甲方的地点")]  # the first record is shown at once
