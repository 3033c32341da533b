"""Report composer pane: a year's sections to tick and order, the clerk's own text, live preview, export."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)  # fmt: skip

from kejiju_desktop import fields
from kejiju_desktop.report import compose, export, facts, fonts, generators
from kejiju_desktop.services import drafts, records
from kejiju_desktop.services import settings as settings_service
from ui import file_dialogs, messages, prompts, tasks
from ui.app_settings import AppSettings
from ui.dialogs.indicator_picker import IndicatorPicker
from ui.report_export import start_export
from ui.report_preview import ReportPreview, warm_up
from ui.signature_date_field import SignatureDateField

log = logging.getLogger(__name__)
KEY_ROLE = Qt.ItemDataRole.UserRole
SAVE_DELAY_MS = 400


class ReportComposer(QWidget):
    """The 年度报告 pane."""

    exported = Signal(str)

    def __init__(self, window=None, parent=None):
        super().__init__(parent)
        self._window = window
        self._data = None
        self._draft: drafts.Draft | None = None
        self._facts: dict[int, facts.Facts] = {}
        self._counting: set[int] = set()
        self._after_count: dict[int, list] = {}  # what waits for a year's figures (picker, export check)
        self._previous_text = False  # last year's draft has text of the clerk's (沿用上年文字 is offered)
        self.picker: IndicatorPicker | None = None
        self._generation = 0  # bumped when counted figures may be stale; late results are dropped
        self._loading = False
        self._settings = AppSettings()
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._build_ui()
        self._connect_signals()
        self.set_data_file(None)

    # --- building -------------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.year_box = QSpinBox(self)
        self.year_box.setRange(export.MIN_YEAR, export.MAX_YEAR)
        self.year_box.setValue(dt.date.today().year - 1)
        self.title_edit = QLineEdit(self)
        self.fonts_box = QComboBox(self)
        for scheme in fonts.SCHEMES.values():
            self.fonts_box.addItem(scheme.label, scheme.key)
        self.targets_button = QPushButton(messages.ACT_TARGETS, self)
        self.export_button = QPushButton(messages.ACT_EXPORT, self)
        self.export_button.setDefault(True)
        top = QHBoxLayout()
        for widget in (QLabel(messages.LABEL_YEAR), self.year_box, QLabel(messages.LABEL_TITLE), self.title_edit,
                       QLabel(messages.LABEL_FONTS), self.fonts_box, self.targets_button, self.export_button):  # fmt: skip
            top.addWidget(widget)
        top.setStretch(3, 1)
        self.signature_field = SignatureDateField(self)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self._build_list())
        splitter.addWidget(self._build_editor())
        self.preview_panel = ReportPreview(self)
        splitter.addWidget(self.preview_panel)
        splitter.setSizes([240, 420, 520])
        self.note_label = QLabel("", self)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.signature_field)
        layout.addWidget(self.note_label)
        layout.addWidget(splitter, 1)

    def _build_list(self) -> QWidget:
        box = QWidget(self)
        self.section_list = QListWidget(box)
        self.section_list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.section_list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.add_button = QPushButton(messages.ADD_SECTION, box)
        self.remove_button = QPushButton(messages.BTN_REMOVE, box)
        self.up_button = QPushButton(messages.BTN_UP, box)
        self.down_button = QPushButton(messages.BTN_DOWN, box)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(messages.LABEL_SECTIONS, box))
        layout.addWidget(self.section_list, 1)
        layout.addLayout(buttons)
        return box

    def _build_editor(self) -> QWidget:
        box = QWidget(self)
        heading_label = QLabel(messages.LABEL_HEADING, box)
        self.heading_edit = QLineEdit(box)
        self.heading_edit.setPlaceholderText(messages.NO_HEADING)
        self.chart_check = QCheckBox(messages.CHECK_CHART, box)
        self.table_check = QCheckBox(messages.CHECK_TABLE, box)
        self.text_edit = QPlainTextEdit(box)
        self.table_only_note = QLabel(messages.TABLE_ONLY_NOTE, box)
        self.table_only_note.setWordWrap(True)
        options = QHBoxLayout()
        options.addWidget(self.chart_check)
        options.addWidget(self.table_check)
        options.addStretch(1)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading_label)
        layout.addWidget(self.heading_edit)
        layout.addLayout(options)
        layout.addWidget(self.table_only_note)
        text_label = QLabel(messages.LABEL_CLERK_TEXT, box)
        text_label.setWordWrap(True)
        layout.addWidget(text_label)
        layout.addLayout(self._build_text_tools(box))
        layout.addWidget(self.text_edit, 1)
        layout.addStretch(0)  # the room the hidden text box leaves, for a section of a table alone
        # What a section of a table alone has no use for: hidden while one is selected.
        self._text_widgets = (heading_label, self.heading_edit, text_label, self.insert_button,
                              self.copy_previous_button, self.text_edit)  # fmt: skip
        return box

    def _build_text_tools(self, box: QWidget) -> QHBoxLayout:
        self.insert_button = QPushButton(messages.ACT_INSERT_FIELD, box)
        self.insert_button.setToolTip(messages.TIP_INSERT_FIELD)
        self.copy_previous_button = QPushButton(messages.ACT_COPY_PREVIOUS, box)
        self.copy_previous_button.setToolTip(messages.TIP_COPY_PREVIOUS)
        row = QHBoxLayout()
        row.addWidget(self.insert_button)
        row.addWidget(self.copy_previous_button)
        row.addStretch(1)
        return row

    def _connect_signals(self) -> None:
        self.year_box.valueChanged.connect(self._on_year_box_value_changed)
        self.title_edit.editingFinished.connect(self._on_title_edit_editing_finished)
        self.section_list.currentItemChanged.connect(self._on_section_list_current_item_changed)
        self.section_list.itemChanged.connect(self._on_section_list_item_changed)
        self.section_list.model().rowsMoved.connect(self._on_section_rows_moved)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.heading_edit.textEdited.connect(lambda _t: self._save_timer.start())
        self.text_edit.textChanged.connect(self._on_text_edit_text_changed)
        self.chart_check.toggled.connect(self._on_option_toggled)
        self.table_check.toggled.connect(self._on_option_toggled)
        self._save_timer.timeout.connect(self.save_pending)
        self._save_timer.timeout.connect(self._refresh_preview)  # the preview follows typing
        self.targets_button.clicked.connect(self.edit_targets)
        self.export_button.clicked.connect(self.export_report)
        self.insert_button.clicked.connect(self._on_insert_button_clicked)
        self.copy_previous_button.clicked.connect(self._on_copy_previous_button_clicked)
        self.signature_field.date_changed.connect(self._on_signature_field_date_changed)

    # --- the data file and the year ------------------------------------------------------------

    def set_data_file(self, data) -> None:
        """Show the draft of another data file (None: nothing open)."""
        if self._data is not None:
            self.save_pending()
        self._data = data
        self._forget_facts()
        self._after_count.clear()  # a question asked of the file before stays unanswered
        if data is not None:
            self._loading = True
            self.year_box.setValue(self._settings.report_year() or self._latest_year(data))
            self._loading = False
            self.show_font_scheme()
        self._load_draft()

    def show_font_scheme(self) -> None:
        """Show the file's font scheme (again, after 设置…)."""
        if self._data is None:
            return
        with self._data.sessions() as session:
            key = settings_service.font_scheme(session)
        self.fonts_box.setCurrentIndex(max(self.fonts_box.findData(key), 0))

    def _latest_year(self, data) -> int:
        with data.sessions() as session:
            years = [y for e in (fields.PATENTS, fields.PROJECTS) for y in records.list_years(session, e)]
        return max(years, default=dt.date.today().year - 1)

    @property
    def writable(self) -> bool:
        return self._data is not None and not self._data.read_only

    def year(self) -> int:
        return self.year_box.value()

    def _facts_for(self, year: int) -> facts.Facts | None:
        """The year's counted figures, or None while they are being counted on the thread pool."""
        if year in self._facts:
            return self._facts[year]
        if year not in self._counting:
            self._counting.add(year)
            data, generation = self._data, self._generation
            tasks.start(
                lambda: _gather(data, year),
                lambda found: self._on_facts_gathered(generation, year, found),
                receiver=self,
                description="counting the year's figures",
            )
        return None

    def _on_facts_gathered(self, generation: int, year: int, found) -> None:
        if generation != self._generation:
            return  # counted for a file or data that has changed since
        self._counting.discard(year)
        for then in self._after_count.pop(year, []):
            then(found)
        if isinstance(found, Exception):  # logged; the export reports such a failure properly
            self.preview_panel.show_message(messages.PREVIEW_COUNT_FAILED)
            return
        self._facts[year] = found
        if year == self.year():
            self._show_title_placeholder()
            self._refresh_preview()

    def _with_facts(self, year: int, then) -> None:
        """`then(facts)` now when the year is counted, else once it is (counted off the GUI thread; the
        exception when counting failed)."""
        counted = self._facts_for(year)
        if counted is not None:
            then(counted)
        else:
            self._after_count.setdefault(year, []).append(then)

    def facts_ready(self) -> bool:
        """True when the chosen year's figures are counted and the preview shows them."""
        return self.year() in self._facts and not self.preview_panel.is_building()

    def _forget_facts(self) -> None:
        self._generation += 1
        self._facts.clear()
        self._counting.clear()

    def _show_title_placeholder(self) -> None:
        counted = self._facts_for(self.year())
        if self._draft is not None and counted is not None:
            self.title_edit.setPlaceholderText(compose.title_of(self._draft, counted))

    def _load_draft(self) -> None:
        self._loading = True
        self.section_list.clear()
        self._draft = None
        if self._data is not None:
            with self._data.sessions() as session:
                self._draft = drafts.load_draft(session, self.year())
                self._previous_text = drafts.has_clerk_text(drafts.load_draft(session, self.year() - 1))
            self.title_edit.setText(self._draft.title)
            self.signature_field.set_date(self._draft.issued_on)
            self._show_title_placeholder()
            for state in self._draft.sections:
                self.section_list.addItem(self._item(state))
        for widget in (self.title_edit, self.section_list, self.heading_edit, self.text_edit, self.chart_check,
                       self.table_check, self.add_button, self.remove_button, self.up_button, self.down_button,
                       self.targets_button, self.insert_button):  # fmt: skip
            widget.setEnabled(self.writable)
        self.signature_field.set_read_only(not self.writable)
        self._offer_previous_text()
        self.section_list.setEnabled(self._data is not None)
        self.export_button.setEnabled(self._data is not None)
        self.note_label.setText(
            messages.READ_ONLY_NOTE if self._data is not None and self._data.read_only else ""
        )
        self.note_label.setVisible(bool(self.note_label.text()))
        self._loading = False
        self.section_list.setCurrentRow(0 if self.section_list.count() else -1)
        if self._data is None:
            self._show_section(None)

    def _item(self, state: drafts.SectionState) -> QListWidgetItem:
        item = QListWidgetItem(state.heading if state.custom else state.label)
        item.setData(KEY_ROLE, state.key)
        flags = item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsDragEnabled
        item.setFlags(flags & ~Qt.ItemFlag.ItemIsDropEnabled)
        item.setCheckState(Qt.CheckState.Checked if state.enabled else Qt.CheckState.Unchecked)
        return item

    def _on_year_box_value_changed(self, _year: int) -> None:
        if self._loading:
            return
        self._settings.save_report_year(self.year())
        self.save_pending()
        self._load_draft()

    def section_keys(self) -> list[str]:
        """The sections in the order the list shows them."""
        return [self.section_list.item(i).data(KEY_ROLE) for i in range(self.section_list.count())]

    def _state(self, key: str | None) -> drafts.SectionState | None:
        return self._draft.section(key) if self._draft is not None and key else None

    # --- writing the draft -----------------------------------------------------------------------

    def _write(self, action) -> bool:
        if not self.writable:
            return False
        try:
            with self._data.writer() as session:
                action(session)
        except Exception as exc:  # noqa: BLE001 - the clerk is told; the traceback goes to the log
            log.exception("saving the report draft failed")
            QMessageBox.warning(self, messages.PANE_TITLE, messages.REPORT_SAVE_FAILED.format(reason=exc))
            return False
        return True

    def save_pending(self) -> None:
        """Write the heading and text being edited to the file (also called before export and on close)."""
        behind = self._save_timer.isActive()  # the preview waits for the same timer: it follows now
        self._save_timer.stop()
        if behind and self._current_key() == getattr(self, "_editing_key", None):
            self._refresh_preview()
        state = self._state(getattr(self, "_editing_key", None))
        if state is None or not self.writable:
            return
        heading, text = self.heading_edit.text().strip(), self.text_edit.toPlainText()
        if (heading, text) == (state.heading, state.clerk_text):
            return
        year, key = self._draft.year, state.key  # the year box may show the next year already
        if self._write(lambda s: drafts.update_section(s, year, key, heading=heading, clerk_text=text)):
            state.heading, state.clerk_text = heading, text
            self._offer_previous_text()
            if state.custom:
                state.label = heading
                self._list_item(key).setText(heading)

    def _list_item(self, key: str) -> QListWidgetItem | None:
        for i in range(self.section_list.count()):
            if self.section_list.item(i).data(KEY_ROLE) == key:
                return self.section_list.item(i)
        return None

    def _on_title_edit_editing_finished(self) -> None:
        if self._draft is None or self.title_edit.text().strip() == self._draft.title:
            return
        title, year = self.title_edit.text().strip(), self.year()
        if self._write(lambda s: drafts.update_draft(s, year, title=title)):
            self._draft.title = title

    def _on_section_list_item_changed(self, item: QListWidgetItem) -> None:
        state = self._state(item.data(KEY_ROLE))
        enabled = item.checkState() == Qt.CheckState.Checked
        if self._loading or state is None or state.enabled == enabled:
            return
        year = self.year()
        if self._write(lambda s: drafts.update_section(s, year, state.key, enabled=enabled)):
            state.enabled = enabled

    def _on_section_rows_moved(self, *_args) -> None:
        self._save_order()

    def _save_order(self) -> None:
        keys, year = self.section_keys(), self.year()
        if self._write(lambda s: drafts.set_order(s, year, keys)):
            order = {key: i for i, key in enumerate(keys)}
            self._draft.sections.sort(key=lambda st: order.get(st.key, len(order)))

    def move_current(self, delta: int) -> None:
        """Move the selected section up (-1) or down (+1)."""
        row = self.section_list.currentRow()
        target = row + delta
        if row < 0 or not 0 <= target < self.section_list.count():
            return
        self._loading = True
        item = self.section_list.takeItem(row)
        self.section_list.insertItem(target, item)
        self._loading = False
        self.section_list.setCurrentRow(target)
        self._save_order()

    def _on_add_button_clicked(self) -> None:
        heading, ok = QInputDialog.getText(
            self, messages.ADD_SECTION, messages.ADD_PROMPT, text=messages.NEW_SECTION
        )
        if ok and heading.strip():
            self.add_section(heading.strip())

    def add_section(self, heading: str) -> None:
        """Add a section of the clerk's text alone at the end and select it."""
        self.save_pending()
        year, added = self.year(), []
        if self._write(lambda s: added.append(drafts.add_section(s, year, heading))):
            self._load_draft()
            self.section_list.setCurrentItem(self._list_item(added[0]))

    def _on_remove_button_clicked(self) -> None:
        state = self._state(self._current_key())
        if state is None or not state.custom:
            return
        year = self.year()
        if self._write(lambda s: drafts.remove_section(s, year, state.key)):
            self._editing_key = None
            self._load_draft()

    def _on_option_toggled(self, _checked: bool) -> None:
        state = self._state(self._current_key())
        if self._loading or state is None:
            return
        chart, table, year = self.chart_check.isChecked(), self.table_check.isChecked(), self.year()
        if self._write(
            lambda s: drafts.update_section(s, year, state.key, with_chart=chart, with_table=table)
        ):
            state.with_chart, state.with_table = chart, table
            self._refresh_preview()

    def _on_text_edit_text_changed(self) -> None:
        if not self._loading:
            self._save_timer.start()

    # --- the selected section and its preview ----------------------------------------------------

    def _current_key(self) -> str | None:
        item = self.section_list.currentItem()
        return item.data(KEY_ROLE) if item is not None else None

    def _on_section_list_current_item_changed(self, current, _previous) -> None:
        self.save_pending()
        self._show_section(self._state(current.data(KEY_ROLE)) if current is not None else None)

    def _show_section(self, state: drafts.SectionState | None) -> None:
        self._loading = True
        self._editing_key = state.key if state else None
        definition = state.definition if state else None
        self.heading_edit.setText(state.heading if state else "")
        self.text_edit.setPlainText(state.clerk_text if state else "")
        self.chart_check.setChecked(bool(state and state.with_chart))
        self.table_check.setChecked(bool(state and state.with_table))
        self.chart_check.setVisible(bool(definition and definition.chart_available))
        self.table_check.setVisible(bool(definition and definition.table_available))
        table_only = table_alone(definition)
        for widget in self._text_widgets:
            widget.setVisible(not table_only)
        self.table_only_note.setVisible(table_only)
        self.remove_button.setEnabled(bool(state and state.custom and self.writable))
        self._loading = False
        self._refresh_preview()

    def _refresh_preview(self) -> None:
        state = self._state(self._current_key())
        if self._data is None or state is None:
            self.preview_panel.show_message(messages.PREVIEW_NO_FILE if self._data is None else "")
            return
        counted = self._facts_for(self.year())
        if counted is None:
            self.preview_panel.show_message(messages.PREVIEW_COUNTING.format(year=self.year()))
            return
        shown = self._as_typed(state)
        self.preview_panel.build_and_show(lambda: compose.build_section(counted, shown))

    def _as_typed(self, state: drafts.SectionState) -> drafts.SectionState:
        """A copy of the section with the heading and text as typed so far (saved or not)."""
        if state.key != getattr(self, "_editing_key", None):
            return dataclasses.replace(state)
        heading, text = self.heading_edit.text().strip(), self.text_edit.toPlainText()
        return dataclasses.replace(state, heading=heading, clerk_text=text)

    def preview_text(self) -> str:
        """The preview's plain text (what the generated sentences say now)."""
        return self.preview_panel.text()

    # --- live fields, last year's text, the signature date ----------------------------------------

    def _on_insert_button_clicked(self) -> None:
        if self._state(getattr(self, "_editing_key", None)) is not None and self.writable:
            self._with_facts(self.year(), self._open_picker)

    def _open_picker(self, counted: facts.Facts | Exception) -> None:
        if isinstance(counted, Exception) or counted.year != self.year():
            return  # the clerk has moved to another year while it was counted
        self.picker = IndicatorPicker(list(counted.indicators.values()), counted.year, self)
        self.picker.field_chosen.connect(self.insert_field)
        self.picker.finished.connect(self.picker.deleteLater)
        self.picker.open()

    def insert_field(self, field: str) -> None:
        """Put a live field such as 【专利申请量·同比】 at the text box's cursor."""
        self.text_edit.insertPlainText(field)
        self.text_edit.setFocus()

    def _offer_previous_text(self) -> None:
        """沿用上年文字 while this year's draft has no text of the clerk's and last year's has."""
        fresh = self._draft is not None and not drafts.has_clerk_text(self._draft)
        self.copy_previous_button.setEnabled(self.writable and fresh and self._previous_text)

    def _on_copy_previous_button_clicked(self) -> None:
        year = self.year()
        text = messages.COPY_PREVIOUS_ASK.format(previous=year - 1, year=year)
        if QMessageBox.question(self, messages.ACT_COPY_PREVIOUS, text) != QMessageBox.StandardButton.Yes:
            return
        self.save_pending()
        key = self._current_key()
        if self._write(lambda s: drafts.copy_previous_text(s, year)):
            self._load_draft()
            if key is not None:
                self.section_list.setCurrentItem(self._list_item(key))

    def _on_signature_field_date_changed(self, day) -> None:
        year = self.year()
        if self._draft is not None and self._write(lambda s: drafts.update_draft(s, year, issued_on=day)):
            self._draft.issued_on = day

    # --- export and targets ----------------------------------------------------------------------

    def default_path(self) -> Path:
        title = self.title_edit.text().strip() or self.title_edit.placeholderText()
        return Path.home() / messages.DEFAULT_FILE.format(title=title)

    def export_report(self) -> None:
        """一键导出年度报告: ask where, write it off the GUI thread, then offer to open it."""
        if self._data is None:
            return
        self.save_pending()
        self._with_facts(self.year(), self._export_checked)

    def _export_checked(self, counted: facts.Facts | Exception) -> None:
        """The save dialog, once the clerk has seen the fields the text would leave as written."""
        counting_failed = isinstance(counted, Exception)  # the export itself then says why, in a sentence
        if self._draft is None or (not counting_failed and counted.year != self.year()):
            return
        warnings = [] if counting_failed else compose.field_warnings(self._draft, counted) + notices(counted)
        if warnings and not prompts.confirm_field_warnings(self, warnings):
            return
        chosen = file_dialogs.ask_save_path(
            self, file_dialogs.REPORTS, messages.SAVE_TITLE, self.default_path(), messages.SAVE_FILTER
        )
        if not chosen:
            return
        path = Path(chosen) if chosen.lower().endswith(".docx") else Path(chosen + ".docx")
        if not prompts.output_refused(self, messages.SAVE_TITLE, path, self._data):
            self.write_report(path)

    def write_report(self, path: Path) -> None:
        """Write the report to `path` (the save dialog has confirmed any overwrite)."""
        scheme = self.fonts_box.currentData()
        start_export(self, self._window, self._data, self.year(), path, scheme, self.exported.emit)

    def edit_targets(self) -> None:
        """The 年度目标 dialog for the chosen year; the preview follows what was saved."""
        from ui.dialogs.targets_dialog import TargetsDialog

        if self._data is None:
            return
        dialog = TargetsDialog(self._data, self.year(), self)
        if dialog.exec():
            self._window.recount()  # the 工作台's progress bars follow too

    def invalidate(self) -> None:
        """Forget the counted figures (records changed elsewhere) and redraw the preview if shown."""
        self._forget_facts()
        if self._data is not None and self.isVisible():  # else counted when next shown (showEvent)
            self._refresh_preview()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not getattr(self, "_warmed", False):
            self._warmed = True  # matplotlib takes ~0.6 s to import: do it before the clerk asks for a chart
            tasks.start(warm_up, lambda _none: None, receiver=self, description="chart warm-up")
        self.invalidate()

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.save_pending()
        super().hideEvent(event)


def table_alone(definition: drafts.SectionDef | None) -> bool:
    """A section that is a table alone (the 附件 of indicators): no heading, no sentences, no text of its own."""
    return bool(definition and definition.table_available and not definition.heading
                and definition.key not in generators.GENERATORS)  # fmt: skip


def notices(counted: facts.Facts) -> list[str]:
    """Why an indicator is left out of the report (an input the clerk has not entered), for the clerk."""
    return [indicator.notice for indicator in counted.indicators.values() if indicator.notice]


def _gather(data, year: int) -> facts.Facts:
    """The year's figures, counted off the GUI thread in a session of its own (a second on a large file)."""
    with data.sessions() as session:
        return facts.gather(session, year)


def install(window) -> ReportComposer:
    """Add the 年度报告 pane, 报告 → 一键导出年度报告 (Ctrl+E) and 数据 → 年度目标… to the main window."""
    composer = ReportComposer(window)
    window.add_pane("report", composer, messages.PANE_TITLE)
    export_action = QAction(messages.ACT_EXPORT, window)
    export_action.setShortcut(QKeySequence(messages.SHORTCUT_EXPORT))
    export_action.triggered.connect(composer.export_report)
    window.menu(messages.MENU_REPORT).addAction(export_action)
    targets_action = QAction(messages.ACT_TARGETS, window)
    targets_action.triggered.connect(composer.edit_targets)
    window.menu(messages.MENU_DATA).addAction(targets_action)
    window.data_file_changed.connect(composer.set_data_file)
    window.figures_changed.connect(composer.invalidate)
    composer.set_data_file(getattr(window, "data_file", None))
    composer.export_action, composer.targets_action = export_action, targets_action
    return composer
