"""文件 → 设置…: every setting of the registry (the same names as the `settings` command), checked before saving."""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from db.database import FileBusyError
from kejiju_desktop.services import settings as settings_service
from ui import messages
from ui.record_form import ERROR_STYLE

log = logging.getLogger(__name__)
SettingSpec = settings_service.SettingSpec


def make_editor(spec: SettingSpec, parent: QWidget) -> QWidget:
    """A combo box for a choice, a spin box for a number, a line edit for text."""
    if spec.choices:
        box = QComboBox(parent)
        for value, label in spec.choices:
            box.addItem(label, value)
        return box
    if spec.number_range:
        spin = QSpinBox(parent)
        spin.setRange(*spec.number_range)
        return spin
    edit = QLineEdit(parent)
    edit.setMaxLength(spec.max_length + 1)  # one more, so that a pasted long name is told, not cut
    return edit


def editor_text(editor: QWidget) -> str:
    """What the editor holds, as the `settings` command would be given it."""
    if isinstance(editor, QComboBox):
        return str(editor.currentData())
    if isinstance(editor, QSpinBox):
        return str(editor.value())
    return editor.text()


def show_value(editor: QWidget, value: str) -> None:
    """Put a stored value into its editor."""
    if isinstance(editor, QComboBox):
        editor.setCurrentIndex(max(editor.findData(value), 0))
    elif isinstance(editor, QSpinBox):
        editor.setValue(int(value))
    else:
        editor.setText(value)


class SettingsDialog(QDialog):
    """The data file's settings; 保存 checks each and writes them all in one transaction, or none."""

    settings_saved = Signal()

    def __init__(self, data, parent=None):
        super().__init__(parent)
        self._data = data
        self.editors: dict[str, QWidget] = {}
        self._build_ui()
        self._connect_signals()
        self._load()

    def _build_ui(self) -> None:
        self.setWindowTitle(messages.SETTINGS_TITLE)
        form = QFormLayout()
        for spec in settings_service.REGISTRY:
            editor = make_editor(spec, self)
            editor.setToolTip(spec.rule)
            self.editors[spec.name] = editor
            form.addRow(spec.name + "：", editor)
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        hint = QLabel(messages.SETTINGS_HINT, self)
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        if self._data.read_only:
            self.message.setText(messages.SETTINGS_READ_ONLY)
            for widget in (*self.editors.values(), self.save_button):
                widget.setEnabled(False)
        self.setMinimumWidth(460)

    @property
    def save_button(self):
        return self.buttons.button(QDialogButtonBox.StandardButton.Save)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _load(self) -> None:
        with self._data.sessions() as session:
            for spec in settings_service.REGISTRY:
                show_value(self.editors[spec.name], settings_service.current_value(session, spec))

    def _checked_values(self) -> dict[str, str] | None:
        """Each setting's value to store, or None after pointing at the first one not allowed."""
        values = {}
        for spec in settings_service.REGISTRY:
            editor = self.editors[spec.name]
            try:
                values[spec.name] = spec.parse(editor_text(editor))
            except settings_service.InvalidSetting as exc:
                self.message.setText(str(exc))
                editor.setFocus()
                return None
        return values

    def _on_buttons_accepted(self) -> None:
        values = self._checked_values()
        if values is None:
            return
        try:
            with self._data.writer() as session:
                for name, value in values.items():
                    settings_service.update_setting(session, settings_service.SETTINGS[name], value)
        except (FileBusyError, SQLAlchemyError):
            log.exception("saving the settings of %s failed", self._data.display_name)
            self.message.setText(messages.WRITE_FAILED)
            return
        self.settings_saved.emit()
        self.accept()
