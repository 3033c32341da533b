"""Field editors from the keyboard: a date field is one Tab stop, its calendar opens with Alt+Down."""

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication


def _new_patent_form(qtbot, window):
    window.select_tab("patents")
    tab = window.current_tab()
    window.act_new.trigger()
    return tab.form


def test_tab_goes_from_a_date_to_the_next_field(qtbot, window):
    form = _new_patent_form(qtbot, window)
    filed, granted = form.editors["filed_on"], form.editors["granted_on"]
    filed.edit.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is filed.edit, timeout=3000)
    qtbot.keyClick(filed.edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is granted.edit  # not the ▾ button between them
    qtbot.keyClick(granted.edit, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is filed.edit


def test_alt_down_opens_the_calendar_of_a_date(qtbot, window):
    form = _new_patent_form(qtbot, window)
    filed = form.editors["filed_on"]
    filed.edit.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is filed.edit, timeout=3000)
    menu = filed.button.menu()
    seen = []
    # The calendar is a popup menu with its own event loop: look, then close it.
    QTimer.singleShot(200, lambda: (seen.append(menu.isVisible()), menu.close()))
    qtbot.keyClick(filed.edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: bool(seen), timeout=3000)
    assert seen == [True]
