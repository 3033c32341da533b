"""历史记录 of one record: every change newest first, each field's old → new, and 恢复此值 on a field line."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from db.database import DataFileError
from db.models import utc_now
from kejiju_desktop import fields
from kejiju_desktop.services import history, records
from ui import formatting, messages, prompts, tasks

CHANGE_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMN_WIDTHS = (150, 150, 160, 170)  # the last column takes what is left
LONG_VALUE = 12  # characters past which a value may not fit its column: shown whole as a tooltip


def open_history(
    parent: QWidget, data_file, entity: fields.EntitySpec, record_id: int | None, on_restored=None
):
    """Show the record's 历史记录 (a sentence when no record is chosen); `on_restored` after 恢复此值."""
    if data_file is None or record_id is None:
        QMessageBox.information(parent, messages.ACT_HISTORY, messages.HISTORY_NO_RECORD)
        return
    dialog = HistoryDialog(data_file, entity, record_id, parent)
    if on_restored is not None:
        dialog.value_restored.connect(on_restored)
    dialog.exec()


def add_to_tab(tab) -> QPushButton:
    """A 历史记录 button beside an EntityTab's form buttons (Ctrl+H is the window's 编辑 → 历史记录…)."""
    button = QPushButton(messages.HISTORY_BUTTON, tab)
    button.setAutoDefault(False)
    if tab.form.buttons is not None:
        tab.form.buttons.insertWidget(0, button)
    button.clicked.connect(lambda: show_for_tab(tab))
    return button


def show_for_tab(tab) -> None:
    """历史记录 of the record in the tab's form (after asking about its unsaved changes)."""
    form, record_id = tab.form, tab.form.record_id
    if record_id is not None and not form.confirm_leave():
        return
    open_history(tab, tab.data_file, tab.entity, record_id, lambda: _show_restored(form, record_id))


def _show_restored(form, record_id: int) -> None:
    # As after the form's own save: the form shows the stored record, the tab reads its rows again.
    form.load(record_id)
    form.saved.emit(record_id)


class HistoryDialog(QDialog):
    """The change-log lines of one record as a tree: a line per change, a child per field changed."""

    value_restored = Signal()

    def __init__(self, data_file, entity: fields.EntitySpec, record_id: int, parent=None):
        super().__init__(parent)
        self.data_file, self.entity, self.record_id = data_file, entity, record_id
        self.live = False
        self._restored_now = False
        self.resize(860, 520)  # fits 1024×700 with the window's frame
        self._build_ui()
        self._connect_signals()
        self.reload()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.head = QLabel(self)
        self.head.setWordWrap(True)
        layout.addWidget(self.head)
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(len(messages.HISTORY_HEADERS))
        self.tree.setHeaderLabels(list(messages.HISTORY_HEADERS))
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        for column, width in enumerate(COLUMN_WIDTHS):
            self.tree.setColumnWidth(column, width)
        # A time is read whole: as wide as one (measured, as resizing to the contents reads every line).
        sample = self.tree.fontMetrics().horizontalAdvance(formatting.local_time(utc_now()))
        self.tree.setColumnWidth(0, max(COLUMN_WIDTHS[0], sample + self.tree.indentation() + 24))
        layout.addWidget(self.tree, 1)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        row = QHBoxLayout()
        self.restore_button = QPushButton(messages.HISTORY_RESTORE, self)
        self.close_button = QPushButton(messages.BTN_CLOSE, self)
        for button in (self.restore_button, self.close_button):
            button.setAutoDefault(False)  # Enter on a field line is 恢复此值 (after asking), never 关闭
        row.addWidget(self.restore_button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        layout.addLayout(row)

    def _connect_signals(self) -> None:
        self.tree.currentItemChanged.connect(self._on_tree_current_item_changed)
        self.tree.itemActivated.connect(lambda _item, _column: self.restore_selected())
        self.restore_button.clicked.connect(self.restore_selected)
        self.close_button.clicked.connect(self.accept)

    def reload(self) -> None:
        """Read the record's history again (~2 ms for 200 changes: benchmarks/bench_history.py); from a
        server off the GUI thread."""
        data_file, entity, record_id = self.data_file, self.entity, self.record_id
        tasks.call(
            data_file,
            lambda: _history_of(data_file, entity, record_id),
            self._show_history,
            receiver=self,
            description=f"reading the history of {entity.table} {record_id}",
        )

    def _show_history(self, answer) -> None:
        if isinstance(answer, Exception):  # logged; what the dialog shows stays
            self.hint.setText(tasks.sentence_of(answer, messages.READ_FAILED))
            return
        name, self.live, lines = answer
        self.setWindowTitle(messages.HISTORY_TITLE.format(name=name or self.entity.label))
        self.head.setText(messages.HISTORY_HEAD.format(label=self.entity.label, name=name))
        self.hint.setText(self._hint(lines))
        self._fill(lines)
        self.tree.setFocus()
        self._on_tree_current_item_changed(self.tree.currentItem(), None)

    def _fill(self, lines: list[history.HistoryLine]) -> None:
        self.tree.setUpdatesEnabled(False)  # one layout for the whole tree, not one per line
        try:
            self.tree.clear()
            self.tree.addTopLevelItems([self._line_item(line) for line in lines])
            self.tree.expandAll()
            if lines:
                self.tree.setCurrentItem(self.tree.topLevelItem(0))
        finally:
            self.tree.setUpdatesEnabled(True)

    def _hint(self, lines: list[history.HistoryLine]) -> str:
        if not lines:
            return messages.HISTORY_EMPTY
        return messages.HISTORY_HINT if self.live else messages.HISTORY_IN_BIN

    def _line_item(self, line: history.HistoryLine) -> QTreeWidgetItem:
        operator = line.operator
        if line.their_operator:
            operator = messages.HISTORY_THEIR_OPERATOR.format(operator=operator, their=line.their_operator)
        note = messages.HISTORY_PURGED if line.purged else ""
        item = QTreeWidgetItem([formatting.local_time(line.at), operator, line.action_label, note, ""])
        for change in line.fields:
            item.addChild(self._field_item(line, change))
        return item

    def _field_item(self, line: history.HistoryLine, change: history.FieldChange) -> QTreeWidgetItem:
        if change.has_values:
            old, new = (_shown(change.old), _shown(change.new))
        else:
            old = new = messages.HISTORY_NOT_KEPT
        item = QTreeWidgetItem(["", "", change.label, old, new])
        for column in (3, 4):
            if len(item.text(column)) > LONG_VALUE:
                item.setToolTip(column, item.text(column))
        restorable = change.has_values and not line.creates and self.entity.has_field(change.key)
        item.setData(0, CHANGE_ROLE, change if restorable else None)
        return item

    def selected_change(self) -> history.FieldChange | None:
        """The field line selected, when its earlier value can be put back."""
        item = self.tree.currentItem()
        return None if item is None else item.data(0, CHANGE_ROLE)

    def _on_tree_current_item_changed(self, _current, _previous) -> None:
        can_write = self.live and not self.data_file.read_only
        self.restore_button.setEnabled(can_write and self.selected_change() is not None)

    def restore_selected(self) -> bool:
        """恢复此值: after confirming, save the selected field's value from before that change."""
        change = self.selected_change()
        if change is None or not self.restore_button.isEnabled():
            return False
        value = _shown(change.old)
        text = messages.HISTORY_CONFIRM.format(label=change.label, value=value)
        if QMessageBox.question(self, messages.HISTORY_CONFIRM_TITLE, text) != QMessageBox.StandardButton.Yes:
            return False
        self._restored_now = False
        self._write(change, confirm=False)
        return self._restored_now

    def _write(self, change: history.FieldChange, confirm: bool) -> None:
        self.restore_button.setEnabled(False)  # no second 恢复此值 while one is on its way
        data_file, entity, record_id = self.data_file, self.entity, self.record_id
        tasks.call(
            data_file,
            lambda: _restore(data_file, entity, record_id, change, confirm),
            lambda answer: self._on_written(change, confirm, answer),
            receiver=self,
            description=f"restoring a value of {entity.table} {record_id}",
        )

    def _on_written(self, change: history.FieldChange, confirm: bool, answer) -> None:
        if not isinstance(answer, Exception):
            self.reload()
            self.value_restored.emit()
            self._restored_now = True
            return
        if isinstance(answer, records.ValidationFailed):
            if answer.only_warnings and not confirm and prompts.confirm_warnings(self, answer.problems):
                self._write(change, confirm=True)
                return
            QMessageBox.warning(self, messages.HISTORY_CONFIRM_TITLE, str(answer))
        elif isinstance(answer, DataFileError | SQLAlchemyError):  # busy, or the server went away
            QMessageBox.warning(
                self, messages.HISTORY_CONFIRM_TITLE, tasks.sentence_of(answer, messages.WRITE_FAILED)
            )
        else:
            raise answer
        self._on_tree_current_item_changed(self.tree.currentItem(), None)


def _history_of(data_file, entity: fields.EntitySpec, record_id: int) -> tuple[str, bool, list]:
    """(the record's name as shown, whether it is live, its history lines newest first)."""
    with data_file.sessions() as session:
        record = records.get_record(session, entity, record_id)
        key = entity.display_key
        name = "" if record is None else formatting.display(entity.field(key), getattr(record, key))
        live = record is not None and record.deleted_at is None
        return name, live, history.list_history(session, entity, record_id)


def _restore(
    data_file, entity: fields.EntitySpec, record_id: int, change: history.FieldChange, confirm: bool
):
    with data_file.writer() as session:
        history.restore_value(session, entity, record_id, change.key, change.old, confirm_warnings=confirm)


def _shown(value: str | None) -> str:
    return value if value else messages.HISTORY_EMPTY_VALUE
