"""Report composer pane: the year, its draft and figures; the sections with their preview, and the export, are mixins."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)  # fmt: skip

from kejiju_desktop import fields
from kejiju_desktop.report import compose, export, facts, fonts
from kejiju_desktop.services import drafts, records
from kejiju_desktop.services import settings as settings_service
from ui import messages, tasks
from ui.app_settings import AppSettings
from ui.composer_export import ComposerExport
from ui.composer_sections import KEY_ROLE, ComposerSections
from ui.dialogs.indicator_picker import IndicatorPicker
from ui.report_preview import ReportPreview, warm_up
from ui.signature_date_field import SignatureDateField

SAVE_DELAY_MS = 400


class ReportComposer(ComposerSections, ComposerExport, QWidget):
    """The 年度报告 pane: the year and its draft here, the sections and the export in the mixins."""

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
        self._draft_loads = 0  # drafts asked for: the answer to an earlier one is dropped
        self._draft_writes: list[
            tuple
        ] = []  # (store, action, then) of the draft's writes, the first on its way
        self._after_writes: list = []  # what waits for them (the export reads what they wrote)
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
        if data is None:
            self._load_draft()
            return
        remembered = self._settings.report_year()
        tasks.call(
            data,
            lambda: remembered or _latest_year(data),
            lambda year: self._on_year_known(data, year),
            receiver=self,
            description="reading the years of the records",
        )

    def _on_year_known(self, data, year) -> None:
        if not self.still_open(data):
            return  # another file or server is open since, or the window has closed it
        self._loading = True
        self.year_box.setValue(dt.date.today().year - 1 if isinstance(year, Exception) else year)
        self._loading = False
        self.show_font_scheme()
        self._load_draft()

    def still_open(self, data) -> bool:
        """Whether `data` is the store shown and its window has not closed it (a question asked of a
        closed store would open a connection nobody closes)."""
        return data is self._data and getattr(self._window, "data_file", data) is data

    def show_font_scheme(self) -> None:
        """Show the file's font scheme (again, after 设置…)."""
        data = self._data
        if data is None:
            return
        tasks.call(
            data,
            lambda: _font_scheme(data),
            lambda key: self._on_font_scheme(data, key),
            receiver=self,
            description="reading the font scheme",
        )

    def _on_font_scheme(self, data, key) -> None:
        if data is self._data and not isinstance(key, Exception):  # (a failure is logged)
            self.fonts_box.setCurrentIndex(max(self.fonts_box.findData(key), 0))

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

    def _load_draft(self, then=None) -> None:
        """Show the year's draft (from a server off the GUI thread, nothing editable meanwhile); then `then()`."""
        self._loading = True
        self.section_list.clear()
        self._draft = None
        self._draft_loads += 1
        if self._data is None:
            self._show_draft(None)
            return
        data, year, asked = self._data, self.year(), self._draft_loads
        tasks.call(
            data,
            lambda: _drafts_of(data, year),
            lambda answer: self._on_draft_read(data, asked, answer, then),
            receiver=self,
            description="reading the report draft",
        )
        if self._loading and asked == self._draft_loads:  # on its way from a server: nothing to edit yet,
            self._enable_editing(False)
            self._loading = False  # and another year may be chosen meanwhile

    def _on_draft_read(self, data, asked: int, answer, then) -> None:
        if asked != self._draft_loads or not self.still_open(data):
            return  # another year or file is asked for since, or the window has closed it
        self._loading = True
        if isinstance(answer, Exception):
            self._show_draft(tasks.sentence_of(answer, messages.READ_FAILED))
            return
        self._draft, self._previous_text = answer
        self.title_edit.setText(self._draft.title)
        self.signature_field.set_date(self._draft.issued_on)
        self._show_title_placeholder()
        for state in self._draft.sections:
            self.section_list.addItem(self._item(state))
        self._show_draft(None)
        if then is not None:
            then()

    def _enable_editing(self, enabled: bool) -> None:
        for widget in (self.title_edit, self.section_list, self.heading_edit, self.text_edit, self.chart_check,
                       self.table_check, self.add_button, self.remove_button, self.up_button, self.down_button,
                       self.targets_button, self.insert_button):  # fmt: skip
            widget.setEnabled(enabled)
        self.signature_field.set_read_only(not enabled)

    def _show_draft(self, failure: str | None) -> None:
        """The widgets as the draft shown allows; `failure`: why no draft is shown."""
        self._enable_editing(self.writable and self._draft is not None)
        self._offer_previous_text()
        self.section_list.setEnabled(self._draft is not None)
        self.export_button.setEnabled(self._data is not None)
        read_only = self._data is not None and self._data.read_only
        self.note_label.setText(failure or (messages.READ_ONLY_NOTE if read_only else ""))
        self.note_label.setVisible(bool(self.note_label.text()))
        self._loading = False
        self.section_list.setCurrentRow(0 if self.section_list.count() else -1)
        if self._draft is None:
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


def _latest_year(data) -> int:
    """The latest year of the patents and projects (last year when there are none)."""
    with data.sessions() as session:
        years = [y for e in (fields.PATENTS, fields.PROJECTS) for y in records.list_years(session, e)]
    return max(years, default=dt.date.today().year - 1)


def _font_scheme(data) -> str:
    with data.sessions() as session:
        return settings_service.font_scheme(session)


def _drafts_of(data, year: int) -> tuple[drafts.Draft, bool]:
    """The year's draft, and whether last year's has text of the clerk's."""
    with data.sessions() as session:
        draft = drafts.load_draft(session, year)
        return draft, drafts.has_clerk_text(drafts.load_draft(session, year - 1))


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
