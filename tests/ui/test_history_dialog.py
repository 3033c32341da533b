"""历史记录: Ctrl+H in a tab and in the recycle bin, each field's old → new, 恢复此值 after confirming."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from db.models import Patent
from tests.ui.helpers import type_into, wait_counted, wait_validated
from ui import messages
from ui.dialogs.history_dialog import HistoryDialog
from ui.dialogs.recycle_bin import RecycleBinDialog


@pytest.fixture
def opened(monkeypatch):
    """History dialogs shown during the test (not modal, so the test can work them)."""
    dialogs = []

    def show(dialog):
        dialogs.append(dialog)
        dialog.show()
        return 0

    monkeypatch.setattr(HistoryDialog, "exec", show)
    return dialogs


def _patents(qtbot, window):
    window.select_tab("patents")
    tab = window.current_tab()
    wait_counted(qtbot, tab)
    tab.table.selectRow(0)
    return tab


def _rows(dialog) -> list[list[str]]:
    """Each line and field line of the tree as its cells' texts, in order."""
    rows = []
    for index in range(dialog.tree.topLevelItemCount()):
        line = dialog.tree.topLevelItem(index)
        rows.append([line.text(c) for c in range(5)])
        rows += [[line.child(i).text(c) for c in range(5)] for i in range(line.childCount())]
    return rows


def test_ctrl_h_shows_the_edit_and_restore_puts_the_old_value_back(qtbot, demo_window, boxes, opened):
    tab = _patents(qtbot, demo_window)
    record_id, old_title = tab.form.record_id, tab.form.editors["title"].raw()
    type_into(qtbot, tab.form, "title", "改过的专利名称")
    wait_validated(qtbot, tab.form)
    assert tab.form.save()
    qtbot.keyClick(tab.table, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    dialog = opened[-1]
    assert _rows(dialog)[1][2:] == ["专利名称", old_title, "改过的专利名称"]
    assert _rows(dialog)[0][2] == "修改"
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0).child(0))
    assert dialog.restore_button.isEnabled()
    assert dialog.restore_selected()
    assert "恢复为“" + old_title in boxes.texts()
    assert tab.form.editors["title"].raw() == old_title
    wait_counted(qtbot, tab)
    assert tab.model.value(tab.model.row_of(record_id), "title") == old_title
    assert _rows(dialog)[1][2:] == ["专利名称", "改过的专利名称", old_title]  # itself a new line
    assert dialog.width() <= 1024 and dialog.height() <= 700


def test_restore_is_not_done_when_the_clerk_says_no(qtbot, demo_window, boxes, opened):
    tab = _patents(qtbot, demo_window)
    type_into(qtbot, tab.form, "inventors", "王五")
    wait_validated(qtbot, tab.form)
    assert tab.form.save()
    tab.history_button.click()
    dialog = opened[-1]
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0).child(0))
    boxes.question = boxes.question.No
    assert not dialog.restore_selected()
    assert tab.form.editors["inventors"].raw() == "王五"
    assert dialog.tree.topLevelItemCount() == 1


def test_history_in_the_recycle_bin_shows_the_delete_and_cannot_restore_values(
    qtbot, demo_window, boxes, opened
):
    tab = _patents(qtbot, demo_window)
    record_id = tab.form.record_id
    demo_window.act_delete.trigger()
    bin_dialog = RecycleBinDialog(demo_window.data_file, demo_window)
    qtbot.addWidget(bin_dialog)
    bin_dialog.show()
    bin_dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is bin_dialog, timeout=3000)
    bin_dialog.view.selectRow(0)
    qtbot.keyClick(bin_dialog.view, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    dialog = opened[-1]
    assert dialog.record_id == record_id
    assert _rows(dialog)[0][2] == "删除到回收站"
    assert _rows(dialog)[1][2:] == ["删除状态", "未删除", "已删除"]
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0).child(0))
    assert not dialog.restore_button.isEnabled()
    assert dialog.hint.text() == messages.HISTORY_IN_BIN
    with demo_window.data_file.sessions() as s:
        assert s.get(Patent, record_id).deleted_at is not None


def test_history_without_a_record_chosen_says_to_choose_one(qtbot, window, boxes, opened):
    window.select_tab("patents")
    window.current_tab().history_button.click()
    assert opened == []
    assert messages.HISTORY_NO_RECORD in boxes.texts()


def _edit_menu_action(window, text: str):
    return next(a for a in window.menu(messages.MENU_EDIT).actions() if a.text() == text)


def test_edit_menu_history_is_the_tabs_ctrl_h_and_waits_for_an_editor_tab(qtbot, demo_window, opened):
    action = _edit_menu_action(demo_window, "历史记录…")
    assert action.shortcut().toString() == "Ctrl+H"
    demo_window.select_tab("workbench")
    assert not action.isEnabled()  # the 工作台 has no record to show the history of
    tab = _patents(qtbot, demo_window)
    assert action.isEnabled()
    action.trigger()
    assert [dialog.record_id for dialog in opened] == [tab.form.record_id]


def test_the_qualification_panel_shows_the_history_of_the_certificate_selected(
    qtbot, demo_window, boxes, opened, monkeypatch
):
    from ui import qualification_panel

    demo_window.select_tab("enterprises")
    tab = demo_window.current_tab()
    wait_counted(qtbot, tab)
    panel = tab.child_panels["qualifications"]
    assert any(_shows_certificates(qtbot, tab, panel, row) for row in range(tab.model.rowCount()))
    assert panel.history_button.isEnabled()
    record_id, old_year = panel.current_id(), panel.model.value(0, "year")

    def change_year(dialog):
        dialog.form.editors["year"].widget.setText(str(old_year - 1))
        assert dialog.form.save()
        return 1

    monkeypatch.setattr(qualification_panel.QualificationDialog, "exec", change_year)
    panel.edit_button.click()
    wait_counted(qtbot, panel)
    panel.table.selectRow(panel.model.row_of(record_id))
    panel.history_button.click()
    dialog = opened[-1]
    assert (dialog.entity.table, dialog.record_id) == ("qualifications", record_id)
    assert _rows(dialog)[1][2:] == ["认定年度", str(old_year), str(old_year - 1)]
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0).child(0))
    assert dialog.restore_selected()
    wait_counted(qtbot, panel)
    assert panel.model.value(panel.model.row_of(record_id), "year") == old_year


def _shows_certificates(qtbot, tab, panel, row: int) -> bool:
    tab.table.selectRow(row)
    wait_counted(qtbot, panel)
    if panel.model.rowCount() == 0:
        return False
    panel.table.selectRow(0)
    return True
