"""检查数据文件: the plain-language report, 修复 for what is safe, and saving the report."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout

from kejiju_desktop.services import checkup
from ui import messages


class CheckResultDialog(QDialog):
    """Shows a CheckReport; `repair_requested` and `save_requested` are handled by the caller."""

    repair_requested = Signal()
    save_requested = Signal()

    def __init__(self, report: checkup.CheckReport, name: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(messages.CHECK_TITLE)
        self.resize(720, 480)
        self._build_ui()
        self._connect_signals()
        self.show_report(report, name)

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.summary)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        layout.addWidget(self.text)
        self.buttons = QDialogButtonBox(self)
        self.repair_button = QPushButton(messages.CHECK_REPAIR, self)
        self.save_button = QPushButton(messages.CHECK_SAVE, self)
        self.close_button = QPushButton(messages.BTN_CLOSE, self)
        self.buttons.addButton(self.repair_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.repair_button.clicked.connect(self.repair_requested)
        self.save_button.clicked.connect(self.save_requested)
        self.close_button.clicked.connect(self.reject)

    def show_report(self, report: checkup.CheckReport, name: str, done: list[str] | None = None) -> None:
        """Show a report (after a repair, with what was done first)."""
        self.report = report
        prefix = "".join(line + "\n" for line in done or [])
        self.text.setPlainText(prefix + report.text(name))
        self.summary.setText("".join(done or []) + "".join(report.summary()))
        self.repair_button.setEnabled(bool(report.repairable or report.problems))

    def report_text(self) -> str:
        return self.text.toPlainText()
