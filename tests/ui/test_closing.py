"""Closing the window with unsaved edits in several tabs: nothing is discarded until every tab agrees."""

from PySide6.QtWidgets import QMessageBox

from kejiju_desktop import fields
from kejiju_desktop.services import records
from tests.ui.helpers import type_into, wait_counted
from ui import messages


def _answer_in_turn(monkeypatch, answers: list[str]) -> list[str]:
    """Press the buttons named in `answers`, one box after another, then 取消; returns the texts asked."""
    asked = []

    def exec_box(box):
        asked.append(box.text())
        wanted = answers.pop(0) if answers else messages.BTN_CANCEL  # closing after the test: keep the edits
        for button in box.buttons():
            if button.text() == wanted:
                button.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_box)
    return asked


def _edit_first_row(qtbot, window, table: str, key: str, text: str):
    window.select_tab(table)
    tab = window.current_tab()
    wait_counted(qtbot, tab)
    tab.table.selectRow(0)
    type_into(qtbot, tab.form, key, text)
    assert tab.form.is_dirty()
    return tab


def test_discard_then_cancel_keeps_the_first_tabs_edit(qtbot, demo_window, monkeypatch):
    units = _edit_first_row(qtbot, demo_window, "enterprises", "contact", "李四")
    patents = _edit_first_row(qtbot, demo_window, "patents", "inventors", "王五")
    asked = _answer_in_turn(monkeypatch, [messages.BTN_DISCARD, messages.BTN_CANCEL])
    assert not demo_window.close()
    assert len(asked) == 2 and demo_window.isVisible()
    assert units.form.is_dirty() and units.form.editors["contact"].raw() == "李四"
    assert patents.form.is_dirty() and patents.form.editors["inventors"].raw() == "王五"


def test_discard_in_every_tab_closes_and_saves_nothing(qtbot, demo_window, monkeypatch):
    units = _edit_first_row(qtbot, demo_window, "enterprises", "contact", "李四")
    record_id = units.form.record_id
    _edit_first_row(qtbot, demo_window, "patents", "inventors", "王五")
    _answer_in_turn(monkeypatch, [messages.BTN_DISCARD, messages.BTN_DISCARD])
    data_file = demo_window.data_file
    assert demo_window.confirm_leave_all()
    assert not units.form.is_dirty()
    with data_file.sessions() as session:
        assert records.get_record(session, fields.ENTITIES["enterprises"], record_id).contact != "李四"
