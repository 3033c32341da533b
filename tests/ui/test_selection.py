"""Keys and selection in a tab: Home/End, sorting, search, save, delete, the bin, 撤销删除, 已保存."""

import threading

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kejiju_desktop import fields
from kejiju_desktop.services import records
from tests.ui.helpers import click_header, type_into, type_text, wait_counted, wait_validated
from ui import messages
from ui.dialogs.recycle_bin import RecycleBinDialog
from ui.table_model import count_pool


def _patents(qtbot, window):
    window.select_tab("patents")
    tab = window.current_tab()
    wait_counted(qtbot, tab)
    return tab


def _selected_row(tab) -> int | None:
    rows = tab.table.selectionModel().selectedRows()
    return rows[0].row() if len(rows) == 1 else None


def _wait_selected(qtbot, tab) -> None:
    """Until a row is selected: a record beyond the rows read is looked for off the GUI thread."""
    qtbot.waitUntil(lambda: _selected_row(tab) is not None, timeout=5000)


def _in_view(tab, row: int) -> bool:
    rect = tab.table.visualRect(tab.model.index(row, 0))
    return rect.isValid() and tab.table.viewport().rect().intersects(rect)


def _assert_shown_and_selected(tab, record_id: int) -> None:
    row = _selected_row(tab)
    assert tab.form.record_id == record_id
    assert row is not None and tab.model.record_id(row) == record_id
    assert _in_view(tab, row)


def _is_deleted(window, record_id: int) -> bool:
    with window.data_file.sessions() as session:
        return records.get_record(session, fields.ENTITIES["patents"], record_id).deleted_at is not None


def test_end_and_home_go_to_the_last_and_first_row(qtbot, demo_window):
    tab = _patents(qtbot, demo_window)
    tab.table.selectRow(3)
    tab.table.setFocus()
    last = tab.model.rowCount() - 1
    qtbot.keyClick(tab.table, Qt.Key.Key_End)
    _assert_shown_and_selected(tab, tab.model.record_id(last))
    qtbot.keyClick(tab.table, Qt.Key.Key_Home)
    _assert_shown_and_selected(tab, tab.model.record_id(0))


def test_the_selected_record_stays_selected_and_in_view_after_sorting(qtbot, demo_window):
    tab = _patents(qtbot, demo_window)
    tab.table.selectRow(0)
    record_id = tab.form.record_id
    click_header(qtbot, tab, "title")
    wait_counted(qtbot, tab)
    assert tab.model.query().sort == "title"
    _wait_selected(qtbot, tab)
    _assert_shown_and_selected(tab, record_id)
    click_header(qtbot, tab, "title")  # the other way round
    _wait_selected(qtbot, tab)
    _assert_shown_and_selected(tab, record_id)


def test_a_search_that_leaves_the_shown_record_out_clears_the_form(qtbot, demo_window):
    tab = _patents(qtbot, demo_window)
    tab.table.selectRow(0)
    title = tab.form.editors["title"].raw()
    record_id = tab.form.record_id
    tab.search.setFocus()
    type_text(qtbot, tab.search, title)
    qtbot.waitUntil(lambda: tab.model.query().search == title, timeout=3000)
    _assert_shown_and_selected(tab, record_id)  # the search keeps it: still shown
    tab.search.clear()
    type_text(qtbot, tab.search, "不存在的名称")
    qtbot.waitUntil(lambda: tab.model.query().search == "不存在的名称", timeout=3000)
    assert tab.form.record_id is None and _selected_row(tab) is None
    assert tab.form.title.text() == messages.FORM_EMPTY


def test_a_saved_new_record_is_selected_and_scrolled_to(qtbot, demo_window):
    tab = _patents(qtbot, demo_window)
    demo_window.act_new.trigger()
    form = tab.form
    type_into(qtbot, form, "title", "一种早年的犁铧")
    type_into(qtbot, form, "patent_type", "实用新型")
    type_into(qtbot, form, "applicant", "张三")
    type_into(qtbot, form, "filed_on", "1999-03-05")  # newest first: near the end of the list
    wait_validated(qtbot, form)
    demo_window.act_save.trigger()
    assert form.record_id is not None
    _wait_selected(qtbot, tab)
    row = _selected_row(tab)
    assert row is not None and row > 200  # beyond the first block read
    _assert_shown_and_selected(tab, form.record_id)


def _save_an_old_patent(qtbot, window, tab) -> None:
    """A new record that sorts beyond the first block read: its row is looked up in the file."""
    window.act_new.trigger()
    type_into(qtbot, tab.form, "title", "一种早年的犁铧")
    type_into(qtbot, tab.form, "patent_type", "实用新型")
    type_into(qtbot, tab.form, "applicant", "张三")
    type_into(qtbot, tab.form, "filed_on", "1999-03-05")
    wait_validated(qtbot, tab.form)
    window.act_save.trigger()


def test_the_row_of_a_record_beyond_the_first_block_is_found_off_the_gui_thread(
    qtbot, demo_window, monkeypatch
):
    tab = _patents(qtbot, demo_window)
    threads = []
    real = records.position_of

    def spy(*args):
        threads.append(threading.current_thread())
        return real(*args)

    monkeypatch.setattr(records, "position_of", spy)
    _save_an_old_patent(qtbot, demo_window, tab)
    _wait_selected(qtbot, tab)
    _assert_shown_and_selected(tab, tab.form.record_id)
    assert threads and threading.main_thread() not in threads


def test_a_row_found_after_the_clerk_moved_on_is_dropped(qtbot, demo_window, monkeypatch):
    tab = _patents(qtbot, demo_window)
    asked, answer = threading.Event(), threading.Event()
    real = records.position_of

    def late(*args):
        asked.set()
        assert answer.wait(5), "the lookup waited on the GUI thread for the clerk"
        return real(*args)

    monkeypatch.setattr(records, "position_of", late)
    _save_an_old_patent(qtbot, demo_window, tab)
    qtbot.waitUntil(asked.is_set, timeout=5000)
    tab.table.selectRow(0)  # the clerk moves on before the answer comes
    first = tab.model.record_id(0)
    answer.set()
    count_pool().waitForDone()
    qtbot.wait(100)  # the answer is delivered to the GUI thread, and dropped
    _assert_shown_and_selected(tab, first)
    assert _selected_row(tab) == 0


def test_after_a_delete_the_next_row_is_selected_and_shown(qtbot, demo_window, boxes):
    tab = _patents(qtbot, demo_window)
    tab.table.selectRow(3)
    deleted = tab.form.record_id
    following = tab.model.record_id(4)
    demo_window.act_delete.trigger()
    assert _is_deleted(demo_window, deleted)
    _assert_shown_and_selected(tab, following)
    assert _selected_row(tab) == 3
    assert demo_window.statusBar().currentMessage() == messages.STATUS_DELETED


def test_a_record_restored_from_the_bin_is_selected_in_its_tab(qtbot, demo_window, boxes, monkeypatch):
    tab = _patents(qtbot, demo_window)
    tab.table.selectRow(2)
    record_id = tab.form.record_id
    demo_window.act_delete.trigger()
    demo_window.select_tab("enterprises")

    def restore_it(dialog):
        ids = [
            dialog.model.item(r, 0).data(Qt.ItemDataRole.UserRole + 1) for r in range(dialog.model.rowCount())
        ]
        dialog.view.selectRow(ids.index(("patents", record_id)))
        dialog.restore_selected()
        return 0

    monkeypatch.setattr(RecycleBinDialog, "exec", restore_it)
    demo_window.show_recycle_bin()
    assert not _is_deleted(demo_window, record_id)
    assert demo_window.current_tab() is tab
    _assert_shown_and_selected(tab, record_id)


def test_ctrl_z_right_after_a_delete_brings_the_record_back(qtbot, demo_window, boxes):
    tab = _patents(qtbot, demo_window)
    tab.table.selectRow(1)
    record_id = tab.form.record_id
    assert not demo_window.act_undo_delete.isEnabled()
    demo_window.act_delete.trigger()
    assert demo_window.act_undo_delete.isEnabled()
    assert demo_window.act_undo_delete in demo_window.menu(messages.MENU_EDIT).actions()
    tab.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is tab.table, timeout=3000)
    qtbot.keyClick(tab.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not _is_deleted(demo_window, record_id)
    _assert_shown_and_selected(tab, record_id)
    assert not demo_window.act_undo_delete.isEnabled()


def test_a_save_says_so_in_the_status_bar(qtbot, demo_window):
    tab = _patents(qtbot, demo_window)
    tab.table.selectRow(0)
    type_into(qtbot, tab.form, "inventors", "王五")
    wait_validated(qtbot, tab.form)
    assert demo_window.statusBar().currentMessage() == ""
    demo_window.act_save.trigger()
    assert not tab.form.is_dirty()
    assert demo_window.statusBar().currentMessage() == messages.STATUS_SAVED
