"""One editor per kind of field: text, memo, choice, date that can be empty, 万元 amount, number."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from kejiju_desktop import fields, validation
from ui import formatting, messages

TEXT_MARGIN = 14  # a line edit's frame and inner margins around its text, in the Fusion and Windows styles


def fit_text(widget: QWidget, text: str) -> None:
    """Keep `widget` at least wide enough to show `text` whole (a placeholder, a typical value)."""
    needed = widget.fontMetrics().horizontalAdvance(text) + TEXT_MARGIN
    widget.setMinimumWidth(max(widget.minimumWidth(), needed))


class FieldEditor(QObject):
    """The widget of one field, its raw text for the records service, and a `changed` signal."""

    changed = Signal()

    def __init__(self, spec: fields.FieldSpec, widget: QWidget):
        super().__init__(widget)
        self.spec = spec
        self.widget = widget
        # The field's column width is sized for a typical value: the box is never narrower, so a
        # form squeezed by a small screen scrolls instead of cutting names and codes.
        if spec.kind != fields.MEMO:
            widget.setMinimumWidth(spec.width)

    def raw(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        self.widget.setEnabled(not read_only)

    def focus_widget(self) -> QWidget:
        return self.widget


class LineEditor(FieldEditor):
    """Text, codes, numbers, years and 万元 amounts in a line edit."""

    def __init__(self, spec: fields.FieldSpec, parent: QWidget | None = None):
        edit = QLineEdit(parent)
        super().__init__(spec, edit)
        edit.setMaxLength(spec.max_length if spec.kind in (fields.TEXT,) else 40)
        if formatting.is_numeric(spec):
            edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        placeholder = {fields.YEAR: messages.YEAR_PLACEHOLDER, fields.MONEY: messages.MONEY_PLACEHOLDER}.get(
            spec.kind
        )
        if placeholder:
            edit.setPlaceholderText(placeholder)
            fit_text(edit, placeholder)
        edit.textEdited.connect(self.changed)
        if spec.kind == fields.MONEY:
            edit.editingFinished.connect(self._tidy_amount)

    def raw(self) -> str:
        return self.widget.text()

    def set_value(self, value: Any) -> None:
        self.widget.setText(formatting.display(self.spec, value))

    def set_read_only(self, read_only: bool) -> None:
        self.widget.setReadOnly(read_only)

    def _tidy_amount(self) -> None:
        try:
            amount = validation.parse_money(self.widget.text(), self.spec.label)
        except validation.Invalid:
            return
        if amount is not None and self.widget.text() != f"{amount:.2f}":
            self.widget.setText(f"{amount:.2f}")
            self.changed.emit()


class MemoEditor(FieldEditor):
    """备注 and other long text: several lines; Tab moves on instead of typing a tab."""

    def __init__(self, spec: fields.FieldSpec, parent: QWidget | None = None):
        edit = QPlainTextEdit(parent)
        super().__init__(spec, edit)
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 3 + 12)
        edit.textChanged.connect(self.changed)

    def raw(self) -> str:
        return self.widget.toPlainText()

    def set_value(self, value: Any) -> None:
        self.widget.setPlainText("" if value is None else str(value))

    def set_read_only(self, read_only: bool) -> None:
        self.widget.setReadOnly(read_only)


class ChoiceEditor(FieldEditor):
    """A drop-down of the field's choices, with an empty entry for "not given"."""

    def __init__(self, spec: fields.FieldSpec, parent: QWidget | None = None):
        combo = QComboBox(parent)
        super().__init__(spec, combo)
        self.set_choices(spec.choices)
        combo.currentIndexChanged.connect(self.changed)

    def set_choices(self, choices) -> None:
        current = self.raw()
        self.widget.blockSignals(True)
        self.widget.clear()
        self.widget.addItems(["", *choices])
        self.widget.setCurrentIndex(max(0, self.widget.findText(current)))
        self.widget.blockSignals(False)

    def raw(self) -> str:
        return self.widget.currentText()

    def set_value(self, value: Any) -> None:
        text = "" if value is None else str(value)
        if text and self.widget.findText(text) < 0:
            self.widget.addItem(text)  # a value kept from an older list stays visible
        self.widget.setCurrentIndex(max(0, self.widget.findText(text)))


class DateEditor(FieldEditor):
    """A date typed as 2012-03-05 (or 2012年3月5日), or picked from a calendar; empty is allowed."""

    def __init__(self, spec: fields.FieldSpec, parent: QWidget | None = None):
        box = QWidget(parent)
        super().__init__(spec, box)
        self.edit = QLineEdit(box)
        self.edit.setPlaceholderText(messages.DATE_PLACEHOLDER)
        fit_text(self.edit, messages.DATE_PLACEHOLDER)
        self.button = QToolButton(box)
        self.button.setText("▾")
        self.button.setToolTip(messages.PICK_DATE)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setMenu(self._calendar_menu())
        # One Tab stop per field: the calendar opens with Alt+Down from the text, as a drop-down does.
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        calendar_key = QShortcut(QKeySequence("Alt+Down"), self.edit, self.button.showMenu)
        calendar_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        layout = QHBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)
        box.setMinimumWidth(max(spec.width, box.minimumSizeHint().width()))  # the date and its ▾ whole
        self.edit.textEdited.connect(self.changed)

    def _calendar_menu(self) -> QMenu:
        menu = QMenu(self.widget)
        self.calendar = QCalendarWidget(menu)
        self.calendar.setGridVisible(True)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        menu.addAction(messages.CLEAR_DATE, lambda: self._pick(None))
        menu.aboutToShow.connect(self._show_current)
        self.calendar.clicked.connect(lambda day: (self._pick(day), menu.close()))
        return menu

    def _show_current(self) -> None:
        try:
            day = validation.parse_date(self.edit.text())
        except validation.Invalid:
            day = None
        self.calendar.setSelectedDate(QDate(day) if day else QDate.currentDate())

    def _pick(self, day: QDate | None) -> None:
        self.edit.setText(day.toString("yyyy-MM-dd") if day else "")
        self.changed.emit()

    def raw(self) -> str:
        return self.edit.text()

    def set_value(self, value: Any) -> None:
        self.edit.setText(value.isoformat() if isinstance(value, dt.date) else (value or ""))

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)
        self.button.setEnabled(not read_only)

    def focus_widget(self) -> QWidget:
        return self.edit
