"""编辑 → 回收站: deleted records of every tab, restore, or 永久删除 after confirming."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from db.database import DataFileError
from kejiju_desktop import fields
from kejiju_desktop.services import records
from ui import formatting, messages, prompts

# The tabs' records and the records listed beside their forms (资质认定) can be deleted and restored.
BIN_TABLES = (*fields.TAB_TABLES, *(c.table for t in fields.TAB_TABLES for c in fields.ENTITIES[t].children))
HEADERS = (messages.BIN_KIND, messages.BIN_NAME, messages.BIN_DELETED_AT, messages.BIN_OPERATOR)
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class RecycleBinDialog(QDialog):
    """The recycle bin of the open file; `records_changed` tells the tabs to read again."""

    records_changed = Signal()
    restored = Signal(str, int)  # the table and id of the last record restored, to show in its tab

    def __init__(self, data_file, parent=None):
        super().__init__(parent)
        self.data_file = data_file
        self.setWindowTitle(messages.BIN_TITLE)
        self.resize(760, 480)
        self._build_ui()
        self._connect_signals()
        self.reload()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        hint = QLabel(messages.BIN_HINT, self)
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.kind = QComboBox(self)
        self.kind.addItem(messages.BIN_ALL_KINDS, None)
        for table in BIN_TABLES:
            self.kind.addItem(fields.ENTITIES[table].label, table)
        layout.addWidget(self.kind, 0, Qt.AlignmentFlag.AlignLeft)
        self.model = QStandardItemModel(0, len(HEADERS), self)
        self.model.setHorizontalHeaderLabels(list(HEADERS))
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((80, 340, 140, 90)):
            self.view.setColumnWidth(column, width)
        layout.addWidget(self.view, 1)
        self.empty = QLabel(messages.BIN_EMPTY, self)
        layout.addWidget(self.empty)
        row = QHBoxLayout()
        self.restore_button = QPushButton(messages.BIN_RESTORE, self)
        self.purge_button = QPushButton(messages.BIN_PURGE, self)
        self.close_button = QPushButton(messages.BTN_CLOSE, self)
        self.history_button = QPushButton(messages.HISTORY_BUTTON, self)
        row.addWidget(self.restore_button)
        row.addWidget(self.purge_button)
        row.addWidget(self.history_button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        layout.addLayout(row)
        read_only = self.data_file.read_only
        self.restore_button.setEnabled(not read_only)
        self.purge_button.setEnabled(not read_only)

    def _connect_signals(self) -> None:
        self.kind.currentIndexChanged.connect(self.reload)
        self.restore_button.clicked.connect(self.restore_selected)
        self.purge_button.clicked.connect(self.purge_selected)
        self.close_button.clicked.connect(self.accept)
        self.history_button.clicked.connect(self.show_history)
        QShortcut(QKeySequence(messages.SHORTCUT_HISTORY), self, self.show_history)

    def reload(self) -> None:
        """List the deleted records of the chosen kind (or of all)."""
        self.model.removeRows(0, self.model.rowCount())
        wanted = self.kind.currentData()
        with self.data_file.sessions() as session:
            for table in BIN_TABLES:
                if wanted in (None, table):
                    self._add_rows(table, records.list_deleted(session, fields.ENTITIES[table]))
        self.empty.setVisible(self.model.rowCount() == 0)

    def _add_rows(self, table: str, rows: list[tuple]) -> None:
        label = fields.ENTITIES[table].label
        for record_id, name, deleted_at, operator in rows:
            cells = [QStandardItem(label), QStandardItem(str(name or "")),
                     QStandardItem(formatting.local_time(deleted_at)),
                     QStandardItem(operator or "")]  # fmt: skip
            cells[0].setData((table, record_id), ID_ROLE)
            self.model.appendRow(cells)

    def selected(self) -> list[tuple[str, int]]:
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        return [self.model.item(row, 0).data(ID_ROLE) for row in rows]

    def select_all(self) -> None:
        self.view.selectAll()

    def restore_selected(self) -> int:
        """Bring the selected records back; a record whose key is taken again says so."""
        done, refused = [], []
        for table, record_id in self.selected():
            refusal = prompts.restore_refusal(self.data_file, fields.ENTITIES[table], record_id)
            if refusal is None:
                done.append((table, record_id))
            else:
                refused.append(refusal)
        self._after_change(len(done), refused)
        if done:
            self.restored.emit(*done[-1])
        return len(done)

    def purge_selected(self) -> int:
        """永久删除 after confirming: the content goes, the tombstone stays for merges."""
        chosen = self.selected()
        if not chosen:
            return 0
        text = messages.BIN_PURGE_TEXT.format(n=len(chosen))
        if QMessageBox.question(self, messages.BIN_PURGE_TITLE, text) != QMessageBox.StandardButton.Yes:
            return 0
        try:
            with self.data_file.writer() as session:
                for table, record_id in chosen:
                    records.purge_record(session, fields.ENTITIES[table], record_id)
        except DataFileError as exc:  # busy, or a server refusing this account (RightsMissingError)
            self._after_change(0, [exc.message])
            return 0
        except (records.ValidationFailed, records.RecordChangedError) as exc:  # another clerk was first
            self._after_change(0, [str(exc)])
            return 0
        self._after_change(len(chosen), [])
        return len(chosen)

    def show_history(self) -> None:
        """历史记录 (Ctrl+H) of the first record selected."""
        from ui.dialogs.history_dialog import open_history

        chosen = self.selected()
        table, record_id = chosen[0] if chosen else (None, None)
        open_history(self, self.data_file, fields.ENTITIES.get(table), record_id)

    def _after_change(self, done: int, refused: list[str]) -> None:
        self.reload()
        if done:
            self.records_changed.emit()
        if refused:
            QMessageBox.warning(self, messages.BIN_TITLE, "\n".join(refused))
