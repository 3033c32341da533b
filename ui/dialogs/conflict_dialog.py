"""Two clerks saved one record: both versions field by field; the clerk picks 重新载入 or 仍然保存."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from kejiju_desktop import fields
from kejiju_desktop.services import records
from ui import formatting, messages

RELOAD, SAVE_ANYWAY = "reload", "save_anyway"


def when(stamp: dt.datetime | None) -> str:
    """A stored UTC time as the clerk reads it: 10:42 today, else with its date."""
    if stamp is None:
        return ""
    local = stamp.replace(tzinfo=dt.UTC).astimezone()
    return local.strftime(
        messages.TIME_OF_DAY_FORMAT if local.date() == dt.date.today() else messages.TIME_FORMAT
    )


def differences(
    session, entity: fields.EntitySpec, raw: dict, theirs: dict, shown
) -> list[tuple[str, str, str]]:
    """(field, yours, theirs) as the form shows them, for each of the `shown` fields where they differ."""
    mine, _problems = records.parse_values(session, entity, raw)
    rows = []
    for spec in entity.fields:
        if spec.key in shown and mine.get(spec.key) != theirs.get(spec.key):
            rows.append((spec.label, *(_shown(session, spec, side.get(spec.key)) for side in (mine, theirs))))
    return rows


def _shown(session, spec: fields.FieldSpec, value) -> str:
    if spec.kind == fields.UNIT and value is not None:
        return records.unit_name(session, value) or ""
    return formatting.display(spec, value)


class ConflictDialog(QDialog):
    """The fields where the clerk's values and the stored version differ; `choice` is RELOAD,
    SAVE_ANYWAY or None (closed: keep editing, nothing saved)."""

    def __init__(self, heading: str, rows: list[tuple[str, str, str]], parent=None):
        super().__init__(parent)
        self.choice: str | None = None
        self.setWindowTitle(messages.CONFLICT_TITLE)
        self._build_ui(heading, rows)
        self._connect_signals()

    def _build_ui(self, heading: str, rows: list[tuple[str, str, str]]) -> None:
        layout = QVBoxLayout(self)
        self.heading = QLabel(heading, self)
        self.heading.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.heading)
        hint = QLabel(messages.CONFLICT_HINT, self)
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.table = QTableWidget(len(rows), len(messages.CONFLICT_HEADERS), self)
        self.table.setHorizontalHeaderLabels(list(messages.CONFLICT_HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)  # both versions equally wide
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(True)
        for index, texts in enumerate(rows):
            for column, value in enumerate(texts):
                self.table.setItem(index, column, QTableWidgetItem(value))
        layout.addWidget(self.table)
        self.buttons = QDialogButtonBox(self)
        self.reload_button = self._button(messages.CONFLICT_RELOAD, QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button = self._button(messages.CONFLICT_SAVE_ANYWAY, QDialogButtonBox.ButtonRole.AcceptRole)
        self._button(messages.CONFLICT_KEEP_EDITING, QDialogButtonBox.ButtonRole.RejectRole)
        layout.addWidget(self.buttons)
        self.resize(640, 200 + 28 * min(len(rows), 12))

    def _button(self, text: str, role) -> QPushButton:
        button = self.buttons.addButton(text, role)
        button.setAutoDefault(False)
        return button

    def _connect_signals(self) -> None:
        self.reload_button.clicked.connect(lambda: self._choose(RELOAD))
        self.save_button.clicked.connect(lambda: self._choose(SAVE_ANYWAY))
        self.buttons.rejected.connect(self.reject)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    def rows(self) -> list[tuple[str, ...]]:
        """What the table shows, row by row (field, yours, theirs)."""
        table = self.table
        return [
            tuple(table.item(r, c).text() for c in range(table.columnCount()))
            for r in range(table.rowCount())
        ]
