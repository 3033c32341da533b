"""Unit picker: a line edit completing on unit names (any part of the name), holding the unit's id."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from kejiju_desktop import fields
from kejiju_desktop.services import records
from ui import messages
from ui.field_editors import FieldEditor

SUGGESTIONS = 30


class UnitPicker(FieldEditor):
    """承担单位, 关联单位, 完成单位…: type part of a name, pick the unit; the id is what is saved."""

    def __init__(self, spec: fields.FieldSpec, parent: QWidget | None = None):
        edit = QLineEdit(parent)
        super().__init__(spec, edit)
        edit.setPlaceholderText(messages.UNIT_PLACEHOLDER)
        self.data_file = None
        self.unit_id: int | None = None
        self._names = QStringListModel(self)
        self._ids: dict[str, int] = {}
        self.completer = QCompleter(self._names, edit)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setMaxVisibleItems(12)
        edit.setCompleter(self.completer)
        edit.textEdited.connect(self._on_edit_text_edited)
        self.completer.activated[str].connect(self._on_completer_activated)

    def _on_edit_text_edited(self, text: str) -> None:
        self._suggest(text.strip())
        self.unit_id = self._ids.get(text.strip())
        if text.strip():
            self.completer.setCompletionPrefix(text.strip())
            self.completer.complete()
        self.changed.emit()

    def _on_completer_activated(self, name: str) -> None:
        self.unit_id = self._ids.get(name)
        self.widget.setText(name)
        self.changed.emit()

    def _suggest(self, text: str) -> None:
        if self.data_file is None:
            return
        with self.data_file.sessions() as session:
            pairs = records.list_unit_names(session, text, limit=SUGGESTIONS)
            exact = records.find_unit(session, name=text) if text else None
        self._ids = {name: unit_id for unit_id, name in pairs}
        if exact is not None:
            self._ids[exact.name] = exact.id
        self._names.setStringList(list(self._ids))

    @property
    def unresolved(self) -> bool:
        """True when a name is typed that is no unit's name."""
        return self.unit_id is None and bool(self.widget.text().strip())

    def problem_message(self) -> str:
        return messages.UNKNOWN_UNIT.format(label=self.spec.label, value=self.widget.text().strip())

    def raw(self) -> Any:
        return self.unit_id

    def set_value(self, value: Any) -> None:
        self.unit_id = value
        name = ""
        if value is not None and self.data_file is not None:
            with self.data_file.sessions() as session:
                name = records.unit_name(session, value) or ""
        self.widget.setText(name)

    def set_read_only(self, read_only: bool) -> None:
        self.widget.setReadOnly(read_only)
