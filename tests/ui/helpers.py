"""Small steps of the main window tests: type into a field, wait for the counts, read the table."""

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPlainTextEdit

from ui.field_editors import DateEditor


def type_into(qtbot, form, key: str, text: str) -> None:
    """Replace a field's text as a clerk would type it."""
    editor = form.editors[key]
    widget = editor.edit if isinstance(editor, DateEditor) else editor.widget
    if isinstance(widget, QComboBox):
        widget.setCurrentIndex(widget.findText(text))
        return
    if isinstance(widget, QPlainTextEdit):
        widget.setPlainText(text)
        return
    assert isinstance(widget, QLineEdit)
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_Backspace)
    type_text(qtbot, widget, text)


def type_text(qtbot, widget, text: str) -> None:
    """Latin letters and digits as key presses, Chinese as the input method commits it."""
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def wait_validated(qtbot, form) -> None:
    """Let the debounced check of the form run."""
    qtbot.wait(form._timer.interval() + 50)


def wait_counted(qtbot, tab) -> None:
    qtbot.waitUntil(lambda: tab.model.matching_count is not None, timeout=5000)


def column_values(tab, key: str) -> list:
    model = tab.model
    return [model.value(row, key) for row in range(model.rowCount())]


def click_header(qtbot, tab, key: str) -> None:
    header = tab.table.horizontalHeader()
    column = [spec.key for spec in tab.model.columns].index(key)
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
