"""文件 → 设置…, and the operator's name asked once when a file does not yet know who works on it."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QMessageBox
from sqlalchemy.exc import SQLAlchemyError

from db.database import FileBusyError
from kejiju_desktop import messages as core_messages
from kejiju_desktop.services import settings as settings_service
from ui import messages
from ui.dialogs.settings_dialog import SettingsDialog

log = logging.getLogger(__name__)
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
        if data is not None and self._operator_wanted(data):
            self.ask_operator()

    def _operator_wanted(self, data) -> bool:
        if not self.window.asks_operator or data.read_only or data.display_name in self._asked:
            return False
        with data.sessions() as session:
            return not settings_service.has_operator(session)

    def ask_operator(self) -> None:
        """Ask for the operator's name without blocking the window (the clerk may look at it first)."""
        self._asked.add(self.window.data_file.display_name)
        self.prompt = QInputDialog(self.window)
        self.prompt.setWindowTitle(messages.OPERATOR_TITLE)
        self.prompt.setLabelText(messages.OPERATOR_ASK)
        self.prompt.textValueSelected.connect(self._on_prompt_text_value_selected)
        self.prompt.open()

    def _on_prompt_text_value_selected(self, text: str) -> None:
        try:
            with self.window.data_file.writer() as session:
                settings_service.update_setting(session, OPERATOR, text)
        except settings_service.InvalidSetting as exc:
            self.prompt.setLabelText(f"{exc}\n{messages.OPERATOR_ASK}")
            self.prompt.open()  # asked again: a name is what the prompt is for
        except (FileBusyError, SQLAlchemyError):
            log.exception("saving the operator of %s failed", self.window.data_file.display_name)
            QMessageBox.warning(self.window, messages.OPERATOR_TITLE, messages.WRITE_FAILED)
