"""文件 → 设置…: every setting of the registry (the same names as the `settings` command), checked before saving."""

from __future__ import annotations

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

from kejiju_desktop.services import settings as settings_service
from ui import messages, tasks
from ui.record_form import ERROR_STYLE

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
        """The stored values into the editors (from a server off the GUI thread: 保存 waits for them)."""
        data = self._data
        self.save_button.setEnabled(False)
        tasks.call(
            data,
            lambda: _stored_values(data),
            self._on_loaded,
            receiver=self,
            description="reading the settings",
        )

    def _on_loaded(self, values) -> None:
        if isinstance(values, Exception):
            self.message.setText(tasks.sentence_of(values, messages.READ_FAILED))
            return
        for name, value in values.items():
            show_value(self.editors[name], value)
        self.save_button.setEnabled(not self._data.read_only)

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
        if values is None or not self.save_button.isEnabled():
            return
        data = self._data
        self.save_button.setEnabled(False)  # no second save while the first is on its way
        tasks.call(
            data,
            lambda: _save(data, values),
            self._on_saved,
            receiver=self,
            description="saving the settings",
        )

    def _on_saved(self, answer) -> None:
        if isinstance(answer, Exception):
            # Busy, the server gone or the account's rights: its own sentence (DataFileError), else the general one.
            self.message.setText(tasks.sentence_of(answer, messages.WRITE_FAILED))
            self.save_button.setEnabled(True)
            return
        self.settings_saved.emit()
        self.accept()


def _stored_values(data) -> dict[str, str]:
    with data.sessions() as session:
        return {
            spec.name: settings_service.current_value(session, spec) for spec in settings_service.REGISTRY
        }


def _save(data, values: dict[str, str]) -> None:
    """Every setting in one transaction, or none."""
    with data.writer() as session:
        for name, value in values.items():
            settings_service.update_setting(session, settings_service.SETTINGS[name], value)
