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
from ui import formatting, messages, prompts, tasks

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
        self._lists = 0  # lists asked for: an answer to an earlier one is dropped
        self._restored_now = self._purged_now = 0
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
        """List the deleted records of the chosen kind (or of all); from a server off the GUI thread."""
        self._lists += 1
        asked, data_file, wanted = self._lists, self.data_file, self.kind.currentData()
        tasks.call(
            data_file,
            lambda: _deleted(data_file, [t for t in BIN_TABLES if wanted in (None, t)]),
            lambda found: self._show_rows(found) if asked == self._lists else None,
            receiver=self,
            description="listing the recycle bin",
        )

    def _show_rows(self, found) -> None:
        self.model.removeRows(0, self.model.rowCount())
        failed = isinstance(found, Exception)  # logged; the clerk is told why the list is empty
        for table, rows in [] if failed else found:
            self._add_rows(table, rows)
        self.empty.setText(tasks.sentence_of(found, messages.READ_FAILED) if failed else messages.BIN_EMPTY)
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
        """Bring the selected records back; a record whose key is taken again says so. How many came
        back by the time this returns (on a file; from a server the answer comes later)."""
        data_file, chosen = self.data_file, self.selected()
        self._restored_now = 0
        tasks.call(
            data_file,
            lambda: [(t, i, prompts.restore_refusal(data_file, fields.ENTITIES[t], i)) for t, i in chosen],
            self._on_restore_answered,
            receiver=self,
            description="restoring from the recycle bin",
        )
        return self._restored_now

    def _on_restore_answered(self, answers) -> None:
        if isinstance(answers, Exception):
            raise answers  # restore_refusal answers every refusal of the store: this is a defect
        done = [(table, record_id) for table, record_id, refusal in answers if refusal is None]
        self._after_change(len(done), [refusal for *_ids, refusal in answers if refusal is not None])
        if done:
            self.restored.emit(*done[-1])
        self._restored_now = len(done)

    def purge_selected(self) -> int:
        """永久删除 after confirming: the content goes, the tombstone stays for merges."""
        chosen = self.selected()
        if not chosen:
            return 0
        text = messages.BIN_PURGE_TEXT.format(n=len(chosen))
        if QMessageBox.question(self, messages.BIN_PURGE_TITLE, text) != QMessageBox.StandardButton.Yes:
            return 0
        data_file = self.data_file
        self._purged_now = 0
        tasks.call(
            data_file,
            lambda: _purged(data_file, chosen),
            lambda answer: self._on_purge_answered(answer, len(chosen)),
            receiver=self,
            description="purging from the recycle bin",
        )
        return self._purged_now

    def _on_purge_answered(self, answer, chosen: int) -> None:
        if isinstance(answer, records.ValidationFailed | records.RecordChangedError | DataFileError):
            self._after_change(0, [str(answer)])  # busy, another clerk was first, or the server went away
        elif isinstance(answer, Exception):
            raise answer
        else:
            self._after_change(chosen, [])
            self._purged_now = chosen

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


def _deleted(data_file, tables: list[str]) -> list[tuple[str, list[tuple]]]:
    """The recycle bin's rows of each table."""
    with data_file.sessions() as session:
        return [(table, records.list_deleted(session, fields.ENTITIES[table])) for table in tables]


def _purged(data_file, chosen: list[tuple[str, int]]) -> None:
    """永久删除 of every record chosen, in one write transaction (all or none)."""
    with data_file.writer() as session:
        for table, record_id in chosen:
            records.purge_record(session, fields.ENTITIES[table], record_id)
