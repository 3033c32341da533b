"""恢复备份: the data file's automatic backups with time, reason and record counts; pick one to restore."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from kejiju_desktop import fields
from kejiju_desktop import messages as core_messages
from kejiju_desktop.services.portability.backups import BackupInfo
from ui import messages


class RestoreBackupDialog(QDialog):
    """Lists backups newest first; `selected()` is the one to restore once accepted.

    `other_file_requested` asks the caller for another data file (say, one that no longer opens)
    whose backups are then shown through `set_backups`.
    """

    other_file_requested = Signal()

    def __init__(self, backups: list[BackupInfo], parent=None):
        super().__init__(parent)
        self.backups = backups
        self.hints = (messages.RESTORE_HINT, core_messages.NO_BACKUPS)  # with backups, and without
        self.setWindowTitle(messages.RESTORE_TITLE)
        self.resize(640, 420)
        self._build_ui()
        self._connect_signals()
        self._fill()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.table = QTableWidget(0, len(messages.RESTORE_HEADERS), self)
        self.table.setHorizontalHeaderLabels(list(messages.RESTORE_HEADERS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table)
        self.buttons = QDialogButtonBox(self)
        self.buttons.addButton(QPushButton(messages.BTN_CANCEL, self), QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button = QPushButton(messages.RESTORE_BUTTON, self)
        self.other_button = QPushButton(messages.RESTORE_OTHER, self)
        self.buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.other_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.table.itemSelectionChanged.connect(self._on_table_item_selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.accept())
        self.other_button.clicked.connect(self.other_file_requested)

    def offer_saving(self, name: str) -> None:
        """A server's copies (`name` its display name): a server is not restored by putting a file in its
        place, so the chosen copy is saved as a data file instead, and the hint says so."""
        self.hints = (messages.RESTORE_SERVER_HINT, messages.RESTORE_NO_SERVER_BACKUPS.format(name=name))
        self.restore_button.setText(messages.RESTORE_SAVE_AS)
        self.other_button.hide()
        self._fill()

    def set_backups(self, backups: list[BackupInfo], name: str) -> None:
        """Show the backups of another data file."""
        self.backups = backups
        self.setWindowTitle(f"{messages.RESTORE_TITLE}：{name}")
        self._fill()

    def _fill(self) -> None:
        self.hint.setText(self.hints[0] if self.backups else self.hints[1])
        self.table.clearSelection()
        self.table.setRowCount(len(self.backups))
        for row, backup in enumerate(self.backups):
            counts = "、".join(
                f"{fields.ENTITIES[t].label} {n}" for t, n in backup.counts.items() if t in fields.ENTITIES
            )
            cells = (
                backup.taken_at.strftime(messages.TIME_FORMAT),
                backup.reason_label,
                messages.RESTORE_RECORDS.format(n=backup.total_records),
                f"{max(1, backup.size // 1024)} KB",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(counts)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        if self.backups:
            self.table.selectRow(0)
        self._on_table_item_selection_changed()

    def _on_table_item_selection_changed(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.backups[rows[0].row()]

    def select(self, row: int) -> None:
        self.table.selectRow(row)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected() is not None:
            self.accept()
            return
        super().keyPressEvent(event)
