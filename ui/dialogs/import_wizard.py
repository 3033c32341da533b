"""数据 → 从Excel导入: pick file and sheet, see the columns, preview with bad cells in red, check, import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kejiju_desktop import fields
from kejiju_desktop.services.exchange import columns as sheet_columns
from kejiju_desktop.services.exchange import importer
from kejiju_desktop.services.exchange import sheet as exchange_sheet
from kejiju_desktop.services.exchange.reader import UnusableFile
from ui import file_dialogs, messages
from ui.app_settings import AppSettings

DUPLICATE_CHOICES = ((messages.WIZARD_SKIP, importer.SKIP), (messages.WIZARD_UPDATE, importer.UPDATE))
# The summary's sentences name the wizard's own ticks (the command line names its flags).
WORDS = importer.OptionWords(
    messages.IMPORT_REFUSED_ERRORS, messages.IMPORT_REFUSED_WARNINGS, messages.IMPORT_UNKNOWN_UNITS
)
PREVIEW_ROWS = 50
MAX_COLUMN_PX = 220
# 行 and 列 keep these widths (a row number, a column's label) and 原因 takes the rest, its whole
# sentence as a tooltip: fitting the columns to each check's messages sent 原因 far past the right edge.
ISSUE_COLUMN_PX = (64, 150)
BAD_CELL = QColor("#f6c5c5")
WARN_CELL = QColor("#fbe7b5")
IGNORED_HEADER = QColor("#888888")
ERROR_STYLE = "color: #b00020;"


def shown(value) -> str:
    """A cell value as the preview shows it."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    return str(value)


class ImportWizard(QDialog):
    """One dialog for the whole import; `imported` is emitted after data was written."""

    imported = Signal(object)

    def __init__(
        self,
        data_file,
        run_task: Callable,
        table: str | None = None,
        parent: QWidget | None = None,
        settings: AppSettings | None = None,
    ):
        super().__init__(parent)
        self.data_file, self.run_task = data_file, run_task
        self.app_settings = settings or AppSettings()
        self.columns: dict[str, str] = {}  # header -> column key, as the clerk mapped it
        self._headers: list[str] = []  # the header row as remembered mappings are keyed
        self.mapping: dict[str, QComboBox] = {}
        self.plan: exchange_sheet.SheetPlan | None = None
        self.result: importer.ImportResult | None = None
        self._preview_rows: dict[int, int] = {}
        self.setWindowTitle(messages.WIZARD_TITLE)
        self.resize(1000, 680)
        self._build_ui()
        self._connect_signals()
        if table is not None:
            self.table_combo.setCurrentIndex(list(fields.ENTITIES).index(table))
        self._set_status(messages.WIZARD_NO_FILE)

    # --- building ------------------------------------------------------------------------------

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.addLayout(self._source_form())
        self.columns_label = QLabel(wordWrap=True)
        layout.addWidget(self.columns_label)
        self.mapping_box = QWidget()
        self.mapping_form = QFormLayout(self.mapping_box)
        self.mapping_form.setContentsMargins(0, 0, 0, 0)
        self.mapping_box.hide()
        layout.addWidget(self.mapping_box)
        layout.addLayout(self._options_form())
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.preview_title = QLabel(messages.WIZARD_PREVIEW_TITLE.format(n=PREVIEW_ROWS))
        self.preview = self._table()
        self.issues = self._table()
        self.issues.setColumnCount(len(messages.WIZARD_ISSUES_HEADERS))
        self.issues.setHorizontalHeaderLabels(messages.WIZARD_ISSUES_HEADERS)
        self.issues.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate(ISSUE_COLUMN_PX):
            self.issues.setColumnWidth(column, width)
        self.issues.verticalHeader().hide()
        splitter.addWidget(self._stack(self.preview_title, self.preview))
        splitter.addWidget(self.issues)
        layout.addWidget(splitter, 1)
        self.new_choices_label = QLabel(wordWrap=True)
        self.new_choices_label.hide()
        layout.addWidget(self.new_choices_label)
        self.status = QLabel(wordWrap=True)
        layout.addWidget(self.status)
        layout.addLayout(self._buttons())

    def _source_form(self) -> QFormLayout:
        form = QFormLayout()
        self.path_edit = QLineEdit(readOnly=True)
        self.browse_button = QPushButton(messages.WIZARD_BROWSE)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        form.addRow(messages.WIZARD_FILE_LABEL, row)
        self.table_combo = QComboBox()
        for table, entity in fields.ENTITIES.items():
            self.table_combo.addItem(entity.label, table)
        form.addRow(messages.WIZARD_TABLE_LABEL, self.table_combo)
        self.sheet_combo = QComboBox()
        form.addRow(messages.WIZARD_SHEET_LABEL, self.sheet_combo)
        return form

    def _options_form(self) -> QFormLayout:
        form = QFormLayout()
        self.duplicate_combo = QComboBox()
        for text, value in DUPLICATE_CHOICES:
            self.duplicate_combo.addItem(text, value)
        form.addRow(messages.WIZARD_DUPLICATE_LABEL, self.duplicate_combo)
        self.create_units_box = QCheckBox(messages.WIZARD_CREATE_UNITS)
        self.good_rows_box = QCheckBox(messages.WIZARD_GOOD_ROWS_ONLY)
        self.accept_warnings_box = QCheckBox(messages.WIZARD_ACCEPT_WARNINGS)
        for box in (self.create_units_box, self.good_rows_box, self.accept_warnings_box):
            form.addRow("", box)
        return form

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addStretch(1)
        self.check_button = QPushButton(messages.WIZARD_CHECK)
        self.import_button = QPushButton(messages.WIZARD_IMPORT)
        self.close_button = QPushButton(messages.BTN_CLOSE)
        for button in (self.check_button, self.import_button, self.close_button):
            row.addWidget(button)
        return row

    @staticmethod
    def _table() -> QTableWidget:
        table = QTableWidget()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        return table

    @staticmethod
    def _stack(*widgets: QWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in widgets:
            layout.addWidget(widget)
        return box

    def _connect_signals(self) -> None:
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        self.table_combo.currentIndexChanged.connect(self._on_source_changed)
        self.sheet_combo.currentIndexChanged.connect(self._on_source_changed)
        self.check_button.clicked.connect(self._on_check_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.close_button.clicked.connect(self.reject)

    # --- state ---------------------------------------------------------------------------------

    def set_data_file(self, data_file) -> None:
        """Import into another data file (the window opened one while the wizard was open)."""
        self.data_file = data_file
        self.result = None
        self.issues.setRowCount(0)
        self._set_status(self.status.text())

    @property
    def entity(self) -> fields.EntitySpec:
        return fields.ENTITIES[self.table_combo.currentData()]

    def options(self, *, dry_run: bool) -> importer.ImportOptions:
        """The clerk's choices, as the command line's options."""
        return importer.ImportOptions(
            sheet=self.sheet_combo.currentText() or None,
            on_duplicate=self.duplicate_combo.currentData(),
            create_units=self.create_units_box.isChecked(),
            good_rows_only=self.good_rows_box.isChecked(),
            accept_warnings=self.accept_warnings_box.isChecked(),
            dry_run=dry_run,
            columns=dict(self.columns),
        )

    def open_path(self, path: Path | str) -> None:
        """Load a file: its sheets, the header match and the preview (also used by tests)."""
        self.path_edit.setText(str(path))
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        try:
            self.sheet_combo.addItems(exchange_sheet.list_sheets(path))
        except UnusableFile as exc:
            self._show_unusable(exc)
            return
        finally:
            self.sheet_combo.blockSignals(False)
        self._on_source_changed()

    def _set_status(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(ERROR_STYLE if error else "")
        usable = self.plan is not None and not self.plan.missing and self.data_file is not None
        self.check_button.setEnabled(usable)
        ready = usable and not self.data_file.read_only
        self.import_button.setEnabled(ready)

    def _show_unusable(self, exc: UnusableFile) -> None:
        self.plan = None
        self.columns_label.clear()
        self.preview.clear()
        self.preview.setRowCount(0)
        self.preview.setColumnCount(0)
        self.issues.setRowCount(0)
        self.new_choices_label.hide()
        self._set_status(exc.message, error=True)

    # --- slots ---------------------------------------------------------------------------------

    def _on_browse_button_clicked(self) -> None:
        path = file_dialogs.ask_open_path(
            self, messages.WIZARD_TITLE, file_dialogs.SPREADSHEETS, messages.WIZARD_FILE_FILTER
        )
        if path:
            self.open_path(path)

    def _on_source_changed(self, *_args) -> None:
        self.columns, self._headers = {}, []
        self._show_mapping([])
        self._load_plan(remembered=True)

    def _load_plan(self, *, remembered: bool) -> None:
        """Plan the sheet with the clerk's mapping (for a new source: the one remembered for its headers)."""
        path, sheet = self.path_edit.text(), self.sheet_combo.currentText() or None
        if not path:
            return
        try:
            plan = importer.check_file(self.entity, path, sheet, self.columns, partial=True)
            if remembered:
                self._headers = [sheet_columns.normalize_header(h) for h in plan.headers]
                self.columns = self.app_settings.import_columns(self.entity.table, self._headers)
                plan = importer.check_file(self.entity, path, sheet, self.columns, partial=True)
            rows = exchange_sheet.read_preview(plan, PREVIEW_ROWS)
        except UnusableFile as exc:
            self._show_unusable(exc)
            return
        self.plan, self.result = plan, None
        self._show_columns(plan)
        self._show_mapping(
            [h for h in plan.headers if h.strip() in set(plan.match.unknown) | set(self.columns)]
        )
        self._fill_preview(plan, rows)
        self.issues.setRowCount(0)
        self.new_choices_label.hide()
        self._set_status(
            exchange_sheet.missing_sentence(plan.missing) if plan.missing else "", error=bool(plan.missing)
        )

    def _on_mapping_changed(self, header: str) -> None:
        key = self.mapping[header].currentData()
        if key is None:
            self.columns.pop(header, None)
        else:
            self.columns[header] = key
        self.app_settings.save_import_columns(self.entity.table, self._headers, self.columns)
        self._load_plan(remembered=False)

    def _on_check_button_clicked(self) -> None:
        self._start(dry_run=True)

    def _on_import_button_clicked(self) -> None:
        self._start(dry_run=False)

    def _start(self, *, dry_run: bool) -> None:
        entity, path, options = self.entity, self.path_edit.text(), self.options(dry_run=dry_run)
        data_file = self.data_file

        def work():
            # A real import checks and writes in one write transaction, so no other writer comes between.
            with data_file.sessions() if dry_run else data_file.writer() as session:
                result = yield from importer.iter_import(session, entity, path, options)
                if result.refused:
                    session.rollback()
                return result

        self.check_button.setEnabled(False)
        self.import_button.setEnabled(False)
        self.run_task(
            messages.WIZARD_TASK_CHECK if dry_run else messages.WIZARD_TASK_IMPORT, work, self._on_task_done
        )

    def _on_task_done(self, outcome) -> None:
        if isinstance(outcome, UnusableFile):
            self._show_unusable(outcome)
            return
        if not isinstance(outcome, importer.ImportResult):
            text = (
                messages.WIZARD_CANCELLED
                if type(outcome).__name__ == "TaskCancelled"
                else messages.WIZARD_FAILED.format(reason=outcome)
            )
            self._set_status(text, error=True)
            return
        self.result = outcome
        self._show_issues(outcome)
        self._show_new_choices(outcome)
        self._set_status("\n".join(importer.summary_lines(outcome, WORDS)), error=bool(outcome.bad_rows))
        if not outcome.options.dry_run and not outcome.refused and outcome.written:
            self.imported.emit(outcome)

    # --- showing -------------------------------------------------------------------------------

    def _show_columns(self, plan: exchange_sheet.SheetPlan) -> None:
        lines = [messages.WIZARD_MATCHED.format(columns="、".join(c.header for c in plan.match.matched))]
        if plan.match.unknown:
            lines.append(messages.WIZARD_UNKNOWN.format(columns="、".join(plan.match.unknown)))
        self.columns_label.setText("\n".join(lines))

    def _show_mapping(self, headers: list[str]) -> None:
        """One choice of field per unknown (or mapped) column; rebuilt with every plan."""
        while self.mapping_form.rowCount():  # the combo that changed is still emitting: delete it later
            row = self.mapping_form.takeRow(0)
            for item in (row.labelItem, row.fieldItem):
                if item is not None and item.widget() is not None:
                    item.widget().deleteLater()
        self.mapping = {}
        if headers:
            self.mapping_form.addRow(QLabel(messages.IMPORT_MAP_TITLE))
        for header in (h.strip() for h in headers):
            combo = QComboBox()
            combo.addItem(messages.IMPORT_MAP_IGNORE, None)
            for column in sheet_columns.sheet_columns(self.entity):
                combo.addItem(column.header, column.key)
            combo.setCurrentIndex(max(combo.findData(self.columns.get(header)), 0))
            combo.currentIndexChanged.connect(lambda _index, h=header: self._on_mapping_changed(h))
            self.mapping[header] = combo
            self.mapping_form.addRow(header, combo)
        self.mapping_box.setVisible(bool(headers))

    def _show_new_choices(self, result: importer.ImportResult) -> None:
        # Shown on the check page: the values the import will add to editable lists, before it writes.
        lines = [
            messages.IMPORT_NEW_CHOICES_LINE.format(label=label, values="、".join(values), n=len(values))
            for label, values in result.new_choices.items()
        ]
        written = not (result.options.dry_run or result.refused)
        self.new_choices_label.setText(messages.IMPORT_NEW_CHOICES.format(lines="\n".join(lines)))
        self.new_choices_label.setVisible(bool(lines) and not written)

    def _fill_preview(self, plan: exchange_sheet.SheetPlan, rows: list[tuple[int, tuple]]) -> None:
        self.preview.clear()
        self.preview.setColumnCount(len(plan.headers))
        self.preview.setHorizontalHeaderLabels(plan.headers)
        for column, header in enumerate(plan.headers):
            if header and column not in plan.match.positions:
                item = self.preview.horizontalHeaderItem(column)
                item.setForeground(QBrush(IGNORED_HEADER))
                item.setToolTip(messages.WIZARD_IGNORED_TIP)
        self.preview.setRowCount(len(rows))
        self.preview.setVerticalHeaderLabels([str(number) for number, _cells in rows])
        self._preview_rows = {number: index for index, (number, _cells) in enumerate(rows)}
        for index, (_number, cells) in enumerate(rows):
            for column in range(len(plan.headers)):
                value = cells[column] if column < len(cells) else None
                self.preview.setItem(index, column, QTableWidgetItem(shown(value)))
        self.preview.resizeColumnsToContents()
        for column in range(self.preview.columnCount()):
            self.preview.setColumnWidth(column, min(self.preview.columnWidth(column), MAX_COLUMN_PX))

    def _show_issues(self, result: importer.ImportResult) -> None:
        self.issues.setRowCount(len(result.issues))
        for index, issue in enumerate(result.issues):
            for column, text in enumerate((str(issue.row), issue.column, issue.message)):
                item = QTableWidgetItem(text)
                item.setToolTip(text if column == len(messages.WIZARD_ISSUES_HEADERS) - 1 else "")
                self.issues.setItem(index, column, item)
            self._mark_cell(issue)

    def _mark_cell(self, issue: importer.RowIssue) -> None:
        row = self._preview_rows.get(issue.row)
        if row is None or issue.severity == importer.NOTICE:
            return
        columns = [issue.position] if issue.position is not None else range(self.preview.columnCount())
        colour = BAD_CELL if issue.severity == "error" else WARN_CELL
        for column in columns:
            item = self.preview.item(row, column)
            if item is None:
                continue
            item.setBackground(QBrush(colour))
            tip = item.toolTip()
            item.setToolTip(f"{tip}\n{issue.message}" if tip else issue.message)

    def bad_cells(self) -> dict[tuple[int, int], str]:
        """(sheet row number, column) -> tooltip of every marked preview cell."""
        numbers = {index: number for number, index in self._preview_rows.items()}
        marked = {}
        for row in range(self.preview.rowCount()):
            for column in range(self.preview.columnCount()):
                item = self.preview.item(row, column)
                if item is not None and item.toolTip():
                    marked[(numbers[row], column)] = item.toolTip()
        return marked
