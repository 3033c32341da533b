"""插入指标… dialog: every 指标 of the year with its value, 上年, 同比, 目标, 完成率; one cell is one field."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from kejiju_desktop.report import live_fields
from kejiju_desktop.services.stats import Indicator
from ui import messages

HEADERS = (messages.TARGET_HEADERS[0], *(suffix.column for suffix in live_fields.SUFFIXES))


class IndicatorPicker(QDialog):
    """Choose a cell (double-click, Enter or 插入): `field_chosen` carries its field, e.g. 【专利申请量·同比】."""

    field_chosen = Signal(str)

    def __init__(self, indicators: list[Indicator], year: int, parent=None):
        super().__init__(parent)
        self._names = [indicator.name for indicator in indicators]
        self._build_ui(year)
        self._fill(indicators)
        self._connect_signals()

    def _build_ui(self, year: int) -> None:
        self.setWindowTitle(messages.PICKER_TITLE.format(year=year))
        self.resize(660, 440)
        hint = QLabel(messages.PICKER_HINT, self)
        hint.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.insert_button = self.buttons.addButton(
            messages.BTN_INSERT, QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.insert_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)

    def _fill(self, indicators: list[Indicator]) -> None:
        self.table.setRowCount(len(indicators))
        for row, indicator in enumerate(indicators):
            for column, text in enumerate([indicator.name, *live_fields.cells(indicator)]):
                item = QTableWidgetItem(text)
                item.setToolTip(self._field(row, column))
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        if indicators:
            self.table.setCurrentCell(0, 0)
        self.insert_button.setEnabled(bool(indicators))
        self.table.setFocus()

    def _connect_signals(self) -> None:
        # Enter on the table both activates the cell and presses 插入: the first to come chooses.
        self.table.activated.connect(self._on_table_activated)
        self.buttons.accepted.connect(lambda: self._on_table_activated(self.table.currentIndex()))
        self.buttons.rejected.connect(self.reject)

    def _field(self, row: int, column: int) -> str:
        """Column 0 (the name) and 1 (the value) give the plain field; the others their suffix."""
        return live_fields.field_text(self._names[row], live_fields.SUFFIXES[max(column - 1, 0)])

    def _on_table_activated(self, index: QModelIndex) -> None:
        if not index.isValid() or self.result() == QDialog.DialogCode.Accepted:
            return
        self.field_chosen.emit(self._field(index.row(), index.column()))
        self.accept()
