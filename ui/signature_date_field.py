"""The report's 落款日期: typed or picked, empty for the export day, with a line saying which date is used."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from kejiju_desktop import fields, validation
from kejiju_desktop.report import compose, wording
from ui import messages
from ui.field_editors import DateEditor, fit_text

SPEC = fields.FieldSpec("issued_on", messages.SIGNED_ON_FIELD, fields.DATE, width=110)


class SignatureDateField(QWidget):
    """落款日期：2013年1月5日（已设定）  另定日期：[2013-01-05 ▾]; `date_changed` carries a date or None."""

    date_changed = Signal(object)

    def __init__(self, parent=None, today: Callable[[], dt.date] = dt.date.today):
        super().__init__(parent)
        self.today = today  # the export day the line names while no date is set
        self._shown: dt.date | None = None
        self._build_ui()
        self.editor.changed.connect(self._on_editor_changed)
        self.set_date(None)

    def _build_ui(self) -> None:
        self.editor = DateEditor(SPEC, self)
        self.editor.edit.setPlaceholderText(messages.SIGNED_ON_PLACEHOLDER)
        fit_text(self.editor.edit, messages.SIGNED_ON_PLACEHOLDER)
        self.line = QLabel(self)
        self.problem = QLabel(self)  # a date that cannot be read; beside the field, so nothing moves
        label = QLabel(messages.LABEL_SIGNED_ON, self)
        label.setBuddy(self.editor.edit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line)
        layout.addSpacing(12)
        layout.addWidget(label)
        layout.addWidget(self.editor.widget)
        layout.addWidget(self.problem)
        layout.addStretch(1)

    def set_date(self, day: dt.date | None) -> None:
        """Show the draft's date (None: the export day) without telling anyone."""
        self._shown = day
        self.editor.set_value(day)
        self.problem.clear()
        self._show_line(day)

    def _show_line(self, day: dt.date | None) -> None:
        text = messages.SIGNED_ON_SET if day else messages.SIGNED_ON_EXPORT_DAY
        self.line.setText(text.format(date=wording.date_text(compose.signature_date(day, self.today()))))

    def _on_editor_changed(self) -> None:
        try:
            day = SPEC.parse(self.editor.raw())
        except validation.Invalid as exc:
            self.problem.setText(str(exc))
            return
        self.problem.clear()
        self._show_line(day)
        if day != self._shown:
            self._shown = day
            self.date_changed.emit(day)

    def set_read_only(self, read_only: bool) -> None:
        self.editor.set_read_only(read_only)
