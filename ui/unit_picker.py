"""Unit picker: a line edit completing on unit names (any part of the name), holding the unit's id."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from kejiju_desktop import fields
from kejiju_desktop.services import records
from ui import messages, tasks
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
        self._asks = 0  # questions to the store asked: the answer to an earlier one is dropped
        self.completer = QCompleter(self._names, edit)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setMaxVisibleItems(12)
        edit.setCompleter(self.completer)
        edit.textEdited.connect(self._on_edit_text_edited)
        self.completer.activated[str].connect(self._on_completer_activated)

    def _on_edit_text_edited(self, text: str) -> None:
        typed = text.strip()
        self.unit_id = self._ids.get(typed)  # the names suggested last may hold it already
        self._suggest(typed)  # (and a name still on its way from set_value is dropped)
        self.changed.emit()

    def _on_completer_activated(self, name: str) -> None:
        self.unit_id = self._ids.get(name)
        self.widget.setText(name)
        self.changed.emit()

    def _suggest(self, typed: str) -> None:
        if self.data_file is None:
            return
        data_file = self.data_file
        self._asks += 1
        asked = self._asks
        tasks.call(
            data_file,
            lambda: _suggestions(data_file, typed),
            lambda ids: self._on_suggested(asked, typed, ids),
            receiver=self,
            description="suggesting unit names",
        )

    def _on_suggested(self, asked: int, typed: str, ids) -> None:
        if asked != self._asks or isinstance(ids, Exception):
            return  # typed on since; or logged, and the names suggested stay those of before
        self._ids = ids
        self._names.setStringList(list(ids))
        if ids.get(typed) != self.unit_id:  # from a server the typed name resolves only now
            self.unit_id = ids.get(typed)
            self.changed.emit()
        if typed:
            self.completer.setCompletionPrefix(typed)
            self.completer.complete()

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
        self._asks += 1
        self.widget.setText("")
        if value is None or self.data_file is None:
            return
        data_file, asked = self.data_file, self._asks
        tasks.call(
            data_file,
            lambda: unit_name_of(data_file, value),
            lambda name: self._on_named(asked, name),
            receiver=self,
            description="reading the name of a unit",
        )

    def _on_named(self, asked: int, name) -> None:
        if asked == self._asks and not isinstance(name, Exception):  # (a failure is logged)
            self.widget.setText(name)

    def set_read_only(self, read_only: bool) -> None:
        self.widget.setReadOnly(read_only)


def _suggestions(data_file, typed: str) -> dict[str, int]:
    """The ids of the units whose names contain `typed` (the one of exactly that name among them)."""
    with data_file.sessions() as session:
        pairs = records.list_unit_names(session, typed, limit=SUGGESTIONS)
        exact = records.find_unit(session, name=typed) if typed else None
        ids = {name: unit_id for unit_id, name in pairs}
        if exact is not None:
            ids[exact.name] = exact.id
        return ids


def unit_name_of(data_file, unit_id: int) -> str:
    """The name of a unit ("" when it is gone)."""
    with data_file.sessions() as session:
        return records.unit_name(session, unit_id) or ""
