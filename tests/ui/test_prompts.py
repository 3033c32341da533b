"""The questions the editors ask, answered from the keyboard: Enter takes the safe answer."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from sqlalchemy import select

from db.models import Enterprise
from kejiju_desktop import validation
from tests.ui.helpers import type_into, wait_validated
from ui import messages, prompts

CREDIT = validation.make_credit_code("91510124MA6CXXXX1")
WRONG_CHECK = CREDIT[:-1] + next(c for c in validation.CREDIT_CHARSET if c != CREDIT[-1])


def _press_in_box(monkeypatch, qtbot, key, modifier=Qt.KeyboardModifier.NoModifier):
    """Answer every QMessageBox by pressing `key` in it; returns the default buttons seen."""
    defaults = []

    def exec_box(box):
        box.show()
        box.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is box, timeout=3000)
        defaults.append(box.defaultButton().text() if box.defaultButton() else "")
        qtbot.keyClick(box.focusWidget() or box, key, modifier)
        # A mnemonic clicks the way a mouse would, a moment later.
        qtbot.waitUntil(lambda: box.clickedButton() is not None, timeout=3000)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_box)
    return defaults


def test_enter_in_the_warning_dialog_goes_back_to_the_form(qtbot, monkeypatch):
    parent = QWidget()
    qtbot.addWidget(parent)
    defaults = _press_in_box(monkeypatch, qtbot, Qt.Key.Key_Return)
    problem = validation.Problem("credit_code", validation.WARNING, "统一社会信用代码校验位不对。")
    assert prompts.confirm_warnings(parent, [problem]) is False
    assert defaults == [messages.BTN_NO]


def test_alt_s_in_the_warning_dialog_confirms(qtbot, monkeypatch):
    parent = QWidget()
    qtbot.addWidget(parent)
    _press_in_box(monkeypatch, qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    problem = validation.Problem("credit_code", validation.WARNING, "统一社会信用代码校验位不对。")
    assert prompts.confirm_warnings(parent, [problem]) is True


def test_enter_does_not_save_a_wrong_check_character(qtbot, window, monkeypatch):
    window.select_tab("enterprises")
    tab = window.current_tab()
    tab.new_record()
    type_into(qtbot, tab.form, "name", "示范县新星科技有限公司")
    type_into(qtbot, tab.form, "credit_code", WRONG_CHECK)
    wait_validated(qtbot, tab.form)
    _press_in_box(monkeypatch, qtbot, Qt.Key.Key_Return)
    assert not tab.form.save()
    with window.data_file.sessions() as session:
        assert session.scalars(select(Enterprise)).first() is None
    assert tab.form.is_dirty()
