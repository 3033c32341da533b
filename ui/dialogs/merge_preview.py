"""合并预览: counts per kind, one row per record to include or leave out, conflicts settled per record.

Below the list, the selected record's differing fields with our value and theirs side by side. Records
refused by the checks are a group of their own at the bottom, with the reason; they cannot be included.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from kejiju_desktop import fields
from kejiju_desktop import messages as core_messages
from kejiju_desktop.services.portability import merge_text
from kejiju_desktop.services.portability.merge_apply import Choices
from ui import messages

INCLUDE, KIND, ENTITY, NAME, DETAIL, THEIRS = range(6)
CHECKED, UNCHECKED = Qt.CheckState.Checked, Qt.CheckState.Unchecked


class MergeItemsModel(QAbstractTableModel):
    """The plan's records (or its refused ones); the 合并 and 采用对方 columns are the clerk's choices."""

    def __init__(self, plan, parent=None, *, refused: bool = False):
        super().__init__(parent)
        self.plan = plan
        self.items = plan.refused if refused else plan.items
        self.choices = Choices()

    def rowCount(self, parent=None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.items)

    def columnCount(self, parent=None) -> int:
        return 0 if parent is not None and parent.isValid() else len(messages.MERGE_HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return messages.MERGE_HEADERS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        item = self.items[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.CheckStateRole:
            return self._check_state(item, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == DETAIL and item.differences:
            return "\n".join(line.strip() for line in merge_text.difference_lines(item))
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            texts = {
                KIND: core_messages.KIND_LABELS[item.kind],
                ENTITY: fields.ENTITIES[item.table].label,
                NAME: item.name,
                DETAIL: merge_text.detail(item, self.choices.takes_theirs(item)),
            }
            return texts.get(column)
        return None

    def _check_state(self, item, column):
        if column == INCLUDE and item.kind not in (core_messages.KIND_DUPLICATE, core_messages.KIND_REFUSED):
            return UNCHECKED if item.key in self.choices.excluded else CHECKED
        if column == THEIRS and item.kind == core_messages.KIND_CONFLICT:
            return CHECKED if self.choices.takes_theirs(item) else UNCHECKED
        return None

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._check_state(self.items[index.row()], index.column()) is not None:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole:
            return False
        item = self.items[index.row()]
        checked = Qt.CheckState(value) == CHECKED
        if index.column() == INCLUDE:
            if checked:
                self.choices.excluded.discard(item.key)
            else:
                self.choices.excluded.add(item.key)
        elif index.column() == THEIRS:
            self.choices.take_theirs[item.key] = checked
        else:
            return False
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), THEIRS))  # 说明 follows
        return True


class MergePreviewDialog(QDialog):
    """Nothing is written until 确认合并; `save_requested` asks the caller to save the report."""

    save_requested = Signal()

    def __init__(self, plan, ours_name: str, other_name: str, parent=None):
        super().__init__(parent)
        self.plan, self.ours_name, self.other_name = plan, ours_name, other_name
        self.setWindowTitle(messages.MERGE_TITLE)
        self.resize(960, 560)
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        head = merge_text.preview_lines(self.plan, self.ours_name, self.other_name)[:2]
        self.summary = QLabel("\n".join(head), self)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        hint = QLabel(messages.MERGE_HINT, self)
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.model = MergeItemsModel(self.plan, self)
        self.view = self._table(self.model)
        self.view.setColumnHidden(THEIRS, not self.plan.counts[core_messages.KIND_CONFLICT])
        layout.addWidget(self.view, 3)
        self.current_detail = QLabel(self)  # the whole 说明 of the selected record: the column may cut it
        self.current_detail.setWordWrap(True)
        layout.addWidget(self.current_detail)
        self.differences = self._differences_table()
        layout.addWidget(self.differences, 2)
        self.refused_label = QLabel(core_messages.MERGE_REFUSED_HEAD.format(n=len(self.plan.refused)), self)
        self.refused_label.setWordWrap(True)
        self.refused_model = MergeItemsModel(self.plan, self, refused=True)
        self.refused_view = self._table(self.refused_model)
        for column in (INCLUDE, THEIRS):
            self.refused_view.setColumnHidden(column, True)
        for widget in (self.refused_label, self.refused_view):
            widget.setVisible(bool(self.plan.refused))
            layout.addWidget(widget)
        self.buttons = QDialogButtonBox(self)
        self.save_button = QPushButton(messages.MERGE_SAVE, self)
        self.confirm_button = QPushButton(messages.MERGE_CONFIRM, self)
        self.cancel_button = QPushButton(messages.BTN_CANCEL, self)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.confirm_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.confirm_button.setEnabled(bool(self.plan.items))
        layout.addWidget(self.buttons)

    def _table(self, model: MergeItemsModel) -> QTableView:
        view = QTableView(self)
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.verticalHeader().setVisible(False)
        widths = ((INCLUDE, 44), (KIND, 64), (ENTITY, 70), (NAME, 260), (DETAIL, 380), (THEIRS, 70))
        for column, width in widths:
            view.setColumnWidth(column, width)
        return view

    def _differences_table(self) -> QTableWidget:
        table = QTableWidget(0, 3, self)
        table.setHorizontalHeaderLabels(
            [
                messages.MERGE_FIELD,
                messages.MERGE_OURS.format(name=self.ours_name),
                messages.MERGE_THEIRS.format(name=self.other_name),
            ]
        )
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        table.setWordWrap(True)
        header = table.horizontalHeader()
        table.setColumnWidth(0, 150)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        return table

    def _show_differences(self) -> None:
        """The current record's differing fields, our value beside theirs."""
        row = self.view.currentIndex().row()
        item = self.model.items[row] if 0 <= row < len(self.model.items) else None
        differences = item.differences if item is not None else ()
        self._show_current_detail()
        self.differences.setRowCount(len(differences))
        for number, difference in enumerate(differences):
            for column, text in enumerate((difference.label, difference.ours, difference.theirs)):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                self.differences.setItem(number, column, cell)
        self.differences.resizeRowsToContents()

    def _show_current_detail(self) -> None:
        row = self.view.currentIndex().row()
        text = self.model.index(row, DETAIL).data() if row >= 0 else ""
        name = self.model.index(row, NAME).data() if row >= 0 else ""
        self.current_detail.setText(messages.MERGE_CURRENT.format(name=name, detail=text) if text else "")

    def _connect_signals(self) -> None:
        self.view.selectionModel().currentRowChanged.connect(self._show_differences)
        self.model.dataChanged.connect(self._show_current_detail)
        if self.model.items:
            self.view.selectRow(0)
        self.save_button.clicked.connect(self.save_requested)
        self.confirm_button.clicked.connect(self.accept)
        self.cancel_button.clicked.connect(self.reject)

    def choices(self) -> Choices:
        """The clerk's exclusions and conflict decisions."""
        return self.model.choices

    def report_text(self, result=None) -> str:
        """The merge report as it stands (before or after applying)."""
        return merge_text.report_text(self.plan, self.ours_name, self.other_name, self.choices(), result)
