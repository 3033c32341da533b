"""年度目标 dialog: the year's targets in a table; computed 指标 offered, manual ones with 实际值."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from kejiju_desktop import fields
from kejiju_desktop.report import wording
from kejiju_desktop.services import targets as service
from kejiju_desktop.services.records import RecordChangedError, ValidationFailed
from ui import messages, tasks

COL_NAME, COL_TARGET, COL_ACTUAL, COL_NOTE = range(4)
ID_ROLE = Qt.ItemDataRole.UserRole


class TargetsDialog(QDialog):
    """Edit the targets of one year; 保存 writes them in one transaction or nothing."""

    def __init__(self, data, year: int, parent=None):
        super().__init__(parent)
        self._data = data
        self._year = year
        self._removed: list[int] = []
        self._computed: dict = {}
        self._build_ui()
        self._connect_signals()
        self._load()

    def _build_ui(self) -> None:
        self.setWindowTitle(messages.TARGETS_TITLE.format(year=self._year))
        self.resize(720, 460)
        self.table = QTableWidget(0, len(messages.TARGET_HEADERS), self)
        self.table.setHorizontalHeaderLabels(list(messages.TARGET_HEADERS))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(COL_NAME, 200)
        self.table.setColumnWidth(COL_ACTUAL, 170)
        self.add_button = QPushButton(messages.BTN_ADD_TARGET, self)
        self.remove_button = QPushButton(messages.BTN_REMOVE_TARGET, self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
        )
        self.buttons.setEnabled(True)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        hint = QLabel(messages.TARGETS_HINT, self)
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(self.buttons)
        if not self._writable():
            for widget in (self.add_button, self.remove_button, self.save_button):
                widget.setEnabled(False)

    def _connect_signals(self) -> None:
        self.add_button.clicked.connect(self._on_add_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)

    @property
    def save_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Save)

    def _writable(self) -> bool:
        return self._data is not None and not self._data.read_only

    def _load(self) -> None:
        """The year's targets and computed figures (from a server off the GUI thread: 保存 waits for them)."""
        data, year = self._data, self._year
        self.save_button.setEnabled(False)
        tasks.call(
            data,
            lambda: _stored(data, year),
            self._on_loaded,
            receiver=self,
            description="reading the targets",
        )

    def _on_loaded(self, answer) -> None:
        if isinstance(answer, Exception):
            QMessageBox.warning(self, self.windowTitle(), tasks.sentence_of(answer, messages.READ_FAILED))
            return
        rows, self._computed = answer
        for row in rows:
            self._append(row)
        self.save_button.setEnabled(self._writable())

    def _append(self, row: service.TargetRow) -> None:
        index = self.table.rowCount()
        self.table.insertRow(index)
        combo = QComboBox(self.table)
        combo.setEditable(True)
        combo.addItems([*fields.COMPUTED_INDICATORS, *fields.INPUT_INDICATORS])
        combo.setCurrentText(row.indicator)
        combo.setProperty("record_id", row.id)
        combo.setProperty("version", row.version)
        combo.currentTextChanged.connect(lambda _text, c=combo: self._on_indicator_changed(c))
        self.table.setCellWidget(index, COL_NAME, combo)
        self.table.setItem(index, COL_TARGET, QTableWidgetItem(_text(row.target)))
        self.table.setItem(index, COL_ACTUAL, QTableWidgetItem(_text(row.actual)))
        self.table.setItem(index, COL_NOTE, QTableWidgetItem(row.note))
        self._show_computed(index)

    def _show_computed(self, index: int) -> None:
        name = self.table.cellWidget(index, COL_NAME).currentText().strip()
        item = self.table.item(index, COL_ACTUAL)
        if name in fields.COMPUTED_INDICATORS:
            item.setText(_computed_text(self._computed.get(name, 0)))
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        else:
            if item.text().startswith("（"):
                item.setText("")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)

    def _on_indicator_changed(self, combo: QComboBox) -> None:
        for index in range(self.table.rowCount()):
            if self.table.cellWidget(index, COL_NAME) is combo:
                self._show_computed(index)

    def _on_add_clicked(self) -> None:
        used = {self.table.cellWidget(i, COL_NAME).currentText() for i in range(self.table.rowCount())}
        name = next((n for n in fields.COMPUTED_INDICATORS if n not in used), "")
        self._append(service.TargetRow(None, name, None, None))
        self.table.setCurrentCell(self.table.rowCount() - 1, COL_TARGET)

    def _on_remove_clicked(self) -> None:
        index = self.table.currentRow()
        if index < 0:
            return
        record_id = self.table.cellWidget(index, COL_NAME).property("record_id")
        if record_id is not None:
            self._removed.append(int(record_id))
        self.table.removeRow(index)

    def rows(self) -> list[service.TargetRow]:
        """The rows as the clerk has them now (raises ValueError for a figure that is not a number)."""
        result = []
        for index in range(self.table.rowCount()):
            combo = self.table.cellWidget(index, COL_NAME)
            name = combo.currentText().strip()
            actual_text = (
                "" if name in fields.COMPUTED_INDICATORS else self.table.item(index, COL_ACTUAL).text()
            )
            record_id = combo.property("record_id")
            result.append(
                service.TargetRow(
                    int(record_id) if record_id is not None else None, name,
                    _number(self.table.item(index, COL_TARGET).text()), _number(actual_text),
                    self.table.item(index, COL_NOTE).text(), combo.property("version"),
                )
            )  # fmt: skip
        return result

    def _on_save_clicked(self) -> None:
        if not self.save_button.isEnabled():
            return  # not loaded yet, or a save on its way
        try:
            rows = self.rows()
        except ValueError as exc:
            QMessageBox.warning(self, messages.TARGETS_SAVE_FAILED, str(exc))
            return
        data, year, removed = self._data, self._year, list(self._removed)
        self.save_button.setEnabled(False)
        tasks.call(
            data,
            lambda: _save(data, year, rows, removed),
            self._on_saved,
            receiver=self,
            description="saving the targets",
        )

    def _on_saved(self, answer) -> None:
        if not isinstance(answer, Exception):
            self.accept()
            return
        self.save_button.setEnabled(True)
        reason = str(answer) if isinstance(answer, ValidationFailed | RecordChangedError) else None
        QMessageBox.warning(
            self, messages.TARGETS_SAVE_FAILED, reason or tasks.sentence_of(answer, messages.WRITE_FAILED)
        )


def _stored(data, year: int) -> tuple[list[service.TargetRow], dict]:
    with data.sessions() as session:
        return service.list_targets(session, year), service.computed_values(session, year)


def _save(data, year: int, rows: list[service.TargetRow], removed: list[int]) -> None:
    """The year's targets in one transaction, or nothing."""
    with data.writer() as session:
        service.save_targets(session, year, rows, removed)


def _computed_text(value) -> str:
    """What the records give, or which input is missing (每万人口 without 年末常住人口)."""
    if value is None:
        return messages.TARGET_NEEDS_INPUT.format(name=fields.INDICATOR_POPULATION)
    return messages.TARGET_COMPUTED.format(value=wording.number(value))


def _text(value) -> str:
    return "" if value is None else wording.number(value)


def _number(text: str) -> Decimal | None:
    text = (text or "").strip().replace(",", "").replace("，", "")
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(messages.NOT_A_NUMBER.format(text=text)) from exc
