"""文件 → 设置…, and the operator's name asked once when a file does not yet know who works on it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QMessageBox

from kejiju_desktop import messages as core_messages
from kejiju_desktop.services import settings as settings_service
from ui import messages, tasks
from ui.dialogs.settings_dialog import SettingsDialog
from ui.stores import file_of

OPERATOR = settings_service.SETTINGS[core_messages.SETTING_OPERATOR]


def install(window) -> SettingsActions:
    """Add 文件 → 设置… and ask for the operator's name when the window opens a file without one."""
    controller = SettingsActions(window)
    window.settings_actions = controller
    return controller


class SettingsActions(QObject):
    """The window's 设置 entry and its operator prompt."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.prompt: QInputDialog | None = None
        self._asked: set[Path] = set()  # files whose prompt was dismissed: not asked again until a restart
        self.action = QAction(messages.ACT_SETTINGS, window)
        window.add_file_action(self.action)
        self._connect_signals()
        self._on_window_data_file_changed(window.data_file)

    def _connect_signals(self) -> None:
        self.action.triggered.connect(self.open_dialog)
        self.window.data_file_changed.connect(self._on_window_data_file_changed)

    def open_dialog(self) -> None:
        """The 设置 dialog of the open file; what reads the settings follows what was saved."""
        if self.window.data_file is None:
            return
        dialog = SettingsDialog(self.window.data_file, self.window)
        dialog.settings_saved.connect(self._on_dialog_settings_saved)
        dialog.exec()

    def _on_dialog_settings_saved(self) -> None:
        composer = self.window.pane("report")
        if composer is not None:
            composer.show_font_scheme()
        self.window.recount()  # the 工作台's 到期提醒 days and the report's wording (全县/全区) follow

    def _on_window_data_file_changed(self, data) -> None:
        self.action.setEnabled(data is not None)
        if (
            data is None
            or not self.window.asks_operator
            or data.read_only
            or file_of(data) is None  # a server signs each write with the login (its triggers)
            or data.display_name in self._asked
        ):
            return
        tasks.call(
            data,
            lambda: _has_operator(data),
            lambda known: self._on_operator_known(data, known),
            receiver=self,
            description="reading the operator's name",
        )

    def _on_operator_known(self, data, known) -> None:
        # (a failed read is logged: the clerk is asked when the file or server opens next time)
        if known is False and data is self.window.data_file:
            self.ask_operator()

    def ask_operator(self) -> None:
        """Ask for the operator's name without blocking the window (the clerk may look at it first)."""
        self._asked.add(self.window.data_file.display_name)
        self.prompt = QInputDialog(self.window)
        self.prompt.setWindowTitle(messages.OPERATOR_TITLE)
        self.prompt.setLabelText(messages.OPERATOR_ASK)
        self.prompt.textValueSelected.connect(self._on_prompt_text_value_selected)
        self.prompt.open()

    def _on_prompt_text_value_selected(self, text: str) -> None:
        data = self.window.data_file
        tasks.call(
            data,
            lambda: _put_operator(data, text),
            self._on_operator_saved,
            receiver=self,
            description="saving the operator's name",
        )

    def _on_operator_saved(self, answer) -> None:
        if isinstance(answer, settings_service.InvalidSetting):
            self.prompt.setLabelText(f"{answer}\n{messages.OPERATOR_ASK}")
            self.prompt.open()  # asked again: a name is what the prompt is for
        elif isinstance(answer, Exception):  # busy, the server gone, the account's rights: its sentence
            QMessageBox.warning(
                self.window, messages.OPERATOR_TITLE, tasks.sentence_of(answer, messages.WRITE_FAILED)
            )


def _has_operator(data) -> bool:
    with data.sessions() as session:
        return settings_service.has_operator(session)


def _put_operator(data, text: str) -> None:
    with data.writer() as session:
        settings_service.update_setting(session, OPERATOR, text)
