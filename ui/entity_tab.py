"""One editor tab for any entity: search, year and choice filters, the lazy table, the record form."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kejiju_desktop import fields
from kejiju_desktop.services import records
from kejiju_desktop.services.records import Query
from ui import messages, prompts, tasks
from ui.dialogs import history_dialog
from ui.record_form import RecordForm
from ui.table_model import RecordTableModel, count_pool

SEARCH_DELAY_MS = 250
COLUMN_PADDING = 36
MIN_TEXT_COLUMN = 110
# Free width is shared by the declared widths, a column growing to at most this many times its own:
# at 1366 px 单位名称 took ~590 px and the rest stayed narrow. What is left stays empty on the right.
MAX_GROWTH = 2
# Codes and dates are read whole or not at all: their columns keep their declared width when space is short.
WHOLE_KINDS = (fields.DATE, fields.CREDIT_CODE, fields.APP_NO, fields.CERT_NO)
ONLY_LABEL_WIDTH = 200  # the 工作台 filter's label in the filter bar, at most (px)


def _position(data_file, entity: fields.EntitySpec, query: Query, record_id: int) -> int | None:
    """Where a record stands in the query's rows, read off the GUI thread."""
    with data_file.sessions.begin() as session:
        return records.position_of(session, entity, query, record_id)


def _years(data_file, entity: fields.EntitySpec) -> list[int]:
    with data_file.sessions() as session:
        return records.list_years(session, entity)


def initial_query(entity: fields.EntitySpec) -> Query:
    """Newest first when a tab sorts by a year or a date; names in pinyin order otherwise."""
    return Query(sort=entity.default_sort, descending=records.newest_first(entity))


class RecordTableView(QTableView):
    """A table of whole rows: Home and End go to the first and last row (not column), as with Ctrl."""

    def moveCursor(self, action, modifiers):  # noqa: N802 - Qt's name
        if action in (self.CursorAction.MoveHome, self.CursorAction.MoveEnd):
            modifiers |= Qt.KeyboardModifier.ControlModifier
        return super().moveCursor(action, modifiers)


def make_table(model: RecordTableModel, parent: QWidget) -> QTableView:
    """A table view over a record model: whole rows selected, header click sorts in SQL."""
    view = RecordTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setHighlightSections(False)
    metrics = header.fontMetrics()
    for column, spec in enumerate(model.columns):
        needed = metrics.horizontalAdvance(spec.label) + COLUMN_PADDING
        view.setColumnWidth(column, max(spec.width, needed))
    header.setSortIndicator(model.sort_column(), _order(model.query().descending))
    view.setSortingEnabled(True)
    header.setSortIndicatorShown(False)  # the model's label carries the arrow (table_model.SORT_ARROWS)
    return view


def fit_columns_once(view: QTableView, model: RecordTableModel) -> None:
    """Fit the columns when the table is first shown (its width is known only then)."""
    if not view.property("columns_fitted"):
        view.setProperty("columns_fitted", True)
        QTimer.singleShot(0, lambda: fit_columns(view, model))


def fit_columns(view: QTableView, model: RecordTableModel) -> None:
    """Use the width there is: widen the widest column into free space, or narrow long text columns."""
    shown = [c for c in range(len(model.columns)) if not view.isColumnHidden(c)]
    widths = {c: view.columnWidth(c) for c in shown}
    # The vertical scroll bar may appear once rows arrive: leave its room from the start.
    scroll_bar = view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
    available = view.width() - 2 * view.frameWidth() - scroll_bar
    if available <= 0 or not shown:
        return
    spare = available - sum(widths.values())
    if spare > 0:
        _share_spare(view, model, widths, spare)
        return
    # Long text columns give up width first (their cells elide, with the full text as a tooltip).
    metrics = view.horizontalHeader().fontMetrics()
    floors = {c: metrics.horizontalAdvance(model.columns[c].label) + COLUMN_PADDING for c in shown}
    for c in shown:
        if model.columns[c].kind == fields.TEXT:
            floors[c] = max(floors[c], MIN_TEXT_COLUMN)
        elif model.columns[c].kind in WHOLE_KINDS:
            floors[c] = model.columns[c].width
        floors[c] = min(floors[c], widths[c])
    room = sum(max(0, widths[c] - floors[c]) for c in shown)
    if room <= 0:
        return
    share = min(1.0, -spare / room)
    for c in shown:
        view.setColumnWidth(c, max(floors[c], int(widths[c] - max(0, widths[c] - floors[c]) * share)))


def _share_spare(view: QTableView, model: RecordTableModel, widths: dict[int, int], spare: int) -> None:
    """Widen the columns by their declared widths, none past MAX_GROWTH times its own."""
    declared = {c: model.columns[c].width for c in widths}
    total = sum(declared.values())
    for c, width in widths.items():
        grown = width + spare * declared[c] // total
        view.setColumnWidth(c, min(grown, max(width, declared[c] * MAX_GROWTH)))


def _order(descending: bool) -> Qt.SortOrder:
    return Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder


class EntityTab(QWidget):
    """Search bar and filters over the table, the form below it."""

    counts_changed = Signal()
    records_changed = Signal()

    def __init__(self, entity: fields.EntitySpec, parent=None):
        super().__init__(parent)
        self.entity = entity
        self.data_file = None
        self.child_panels: dict[str, QWidget] = {}  # child table -> its panel beside the form
        self.model = RecordTableModel(entity, self, initial_query(entity))
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._selecting = False
        self._lookups = 0  # questions asked of the file where the form's record stands
        self._only_ids: tuple[int, ...] | None = None  # a 工作台 item's records, named in the filter bar
        self._pending_reselect: bool | None = None  # asked while a server's rows were on their way
        self._following: tuple[int, ...] | None = None  # rows to show after a delete, once the list is read
        self._read_failure: str | None = None
        self._check_failure = ""  # why the form's check while typing failed, until one succeeds
        self._restored_now = False
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addLayout(self._filter_bar())
        self.table = make_table(self.model, self)
        self.form = RecordForm(self.entity, self, columns=self.entity.form_columns)
        lower = self._lower_part()
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(lower)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, 1)

    def _lower_part(self) -> QWidget:
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        if not self.entity.children:
            scroll.setWidget(self.form)
            return scroll
        from ui.child_panels import child_panel  # the panels build on this module's table helpers

        box = QWidget(self)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.form, 5)
        for child in self.entity.children:
            self.child_panels[child.table] = child_panel(child, self)
            row.addWidget(self.child_panels[child.table], 6)
        scroll.setWidget(box)
        return scroll

    def _filter_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.search = QLineEdit(self)
        labels = "、".join(f.label for f in self.entity.search_fields if f.kind != fields.UNIT)
        self.search.setPlaceholderText(messages.SEARCH_PLACEHOLDER.format(fields=labels))
        self.search.setClearButtonEnabled(True)
        bar.addWidget(self.search, 1)
        self.year_filter = QComboBox(self) if self.entity.year_key else None
        if self.year_filter is not None:
            self.year_filter.addItem(messages.FILTER_ALL_YEARS, None)
            bar.addWidget(self.year_filter)
        self.choice_filters: dict[str, QComboBox] = {}
        for spec in self.entity.table_fields:
            if spec.kind == fields.CHOICE:
                combo = QComboBox(self)
                combo.addItem(messages.FILTER_ALL.format(label=spec.label), None)
                for choice in spec.choices:
                    combo.addItem(choice, choice)
                combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
                self.choice_filters[spec.key] = combo
                bar.addWidget(combo)
        self.busy_label = QLabel(self)  # a question out to a server, or why it failed
        self.busy_label.hide()
        bar.addWidget(self.busy_label)
        self.only_label = QLabel(self)
        self.only_label.setStyleSheet("background: #fff3c4; border: 1px solid #e0c060; padding: 2px 6px;")
        self.only_label.hide()
        bar.addWidget(self.only_label)
        self.clear_button = QPushButton(messages.CLEAR_FILTERS, self)
        self.clear_button.setAutoDefault(False)
        bar.addWidget(self.clear_button)
        self._tools = bar
        return bar

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_filters)
        clear = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.search)
        clear.setContext(Qt.ShortcutContext.WidgetShortcut)
        clear.activated.connect(self.search.clear)
        self._search_timer.timeout.connect(self.apply_filters)
        if self.year_filter is not None:
            self.year_filter.currentIndexChanged.connect(self.apply_filters)
        for combo in self.choice_filters.values():
            combo.currentIndexChanged.connect(self.apply_filters)
        self.clear_button.clicked.connect(self.clear_filters)
        self.model.counts_changed.connect(self.counts_changed)
        self.model.reading_changed.connect(self._on_model_reading_changed)
        self.model.read_failed.connect(self._on_model_read_failed)
        self.form.check_failed.connect(self._on_form_check_failed)
        self.form.state_changed.connect(self._show_busy)
        self.model.modelReset.connect(self.counts_changed)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        # Connected after the view's own sorting slot: the rows are sorted when this runs.
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._on_header_sort_indicator_changed)
        self.form.saved.connect(self._on_form_saved)
        self.form.deleted.connect(self._on_form_deleted)
        if self.child_panels:
            self.form.saved.connect(lambda _id: self._show_children(self.form.record_id))
        self.history_button = history_dialog.add_to_tab(self)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        fit_columns_once(self.table, self.model)

    # --- data ------------------------------------------------------------------------------------

    def set_data_file(self, data_file) -> None:
        self.data_file = data_file
        self.form.set_data_file(data_file)
        for panel in self.child_panels.values():
            panel.set_data_file(data_file)
        self._fill_years()
        self.model.set_data_file(data_file)

    def _fill_years(self) -> None:
        if self.year_filter is None:
            return
        if self.data_file is None:
            self._show_years([])
            return
        data_file, entity = self.data_file, self.entity
        tasks.call(
            data_file,
            lambda: _years(data_file, entity),
            lambda years: self._show_years(years) if data_file is self.data_file else None,
            receiver=self,
            description=f"listing the years of {entity.table}",
        )

    def _show_years(self, years) -> None:
        if isinstance(years, Exception):
            return  # logged; the filter keeps the years it lists
        current = self.year_filter.currentData()
        self.year_filter.blockSignals(True)
        self.year_filter.clear()
        self.year_filter.addItem(messages.FILTER_ALL_YEARS, None)
        for year in years:
            self.year_filter.addItem(messages.FILTER_YEAR.format(year=year), year)
        self.year_filter.setCurrentIndex(max(0, self.year_filter.findData(current)))
        self.year_filter.blockSignals(False)

    def query(self) -> Query:
        """What the tab shows now (search, year, choice filters, sort)."""
        return self.model.query()

    def apply_filters(self) -> None:
        """Read the search bar and filters and show the rows they select."""
        self._search_timer.stop()
        filters = {key: combo.currentData() for key, combo in self.choice_filters.items()}
        year = self.year_filter.currentData() if self.year_filter is not None else None
        query = dataclasses.replace(
            self.model.query(),
            search=self.search.text().strip(),
            year=year,
            filters={k: val for k, val in filters.items() if val is not None},
            ids=self._only_ids,
        )
        if query != self.model.query():
            self.model.set_query(query)
            self._reselect(drop_hidden=True)

    def clear_filters(self) -> None:
        self._reset_filters()
        self.apply_filters()

    def show_only(self, ids, label: str) -> None:
        """Show exactly these records (a 工作台 item's), `label` in the filter bar, until 清除筛选."""
        self._reset_filters()
        self._only_ids = tuple(ids)
        # At 1024 px the whole label left the search box three characters wide: its middle gives way.
        elided = self.only_label.fontMetrics().elidedText(
            label, Qt.TextElideMode.ElideMiddle, ONLY_LABEL_WIDTH
        )
        self.only_label.setText(elided)
        self.only_label.setToolTip(label)
        self.only_label.show()
        self.apply_filters()

    def _reset_filters(self) -> None:
        """Empty the search bar, set every filter to 全部 and lift a 工作台 item's, without reading the rows."""
        self._only_ids = None
        self.only_label.hide()
        widgets = [self.search, self.year_filter, *self.choice_filters.values()]
        for widget in filter(None, widgets):
            widget.blockSignals(True)
        self.search.clear()
        for combo in filter(None, [self.year_filter, *self.choice_filters.values()]):
            combo.setCurrentIndex(0)
        for widget in filter(None, widgets):
            widget.blockSignals(False)

    def _on_model_reading_changed(self, reading: bool) -> None:
        self._show_busy()
        if reading:
            self._read_failure = None
        elif self._following is not None:  # a delete's following row is selected instead
            candidates, self._following, self._pending_reselect = self._following, None, None
            self._show_following(candidates)
        elif self._pending_reselect is not None:
            drop_hidden, self._pending_reselect = self._pending_reselect, None
            self._reselect(drop_hidden)

    def _show_busy(self) -> None:
        """While the rows or a save are on their way the tab says so (a second save is not taken);
        after a read that failed, why."""
        busy = self.model.reading or self.form.saving
        text = (
            messages.FORM_SAVING
            if self.form.saving
            else messages.TAB_BUSY
            if busy
            else self._read_failure or self._check_failure
        )
        self.busy_label.setStyleSheet("" if busy else "color: #b3261e;")
        self.busy_label.setText(text or "")
        self.busy_label.setToolTip(text or "")
        self.busy_label.setVisible(bool(text))
        if busy:
            self.table.viewport().setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.table.viewport().unsetCursor()

    def _on_model_read_failed(self, sentence: str) -> None:
        self._read_failure = sentence
        self._show_busy()

    def _on_form_check_failed(self, sentence: str) -> None:
        if sentence != self._check_failure:
            self._check_failure = sentence
            self._show_busy()

    def refresh(self) -> None:
        """Read the rows again (data changed elsewhere), keeping the filters and the selection."""
        self._fill_years()
        self.model.reload()
        self._reselect()

    # --- selection and form ------------------------------------------------------------------------

    def _on_table_current_row_changed(self, current, previous) -> None:
        if self._selecting or not current.isValid():
            return
        record_id = self.model.record_id(current.row())
        if record_id is None or record_id == self.form.record_id:
            return
        if self.form.saving or not self.form.confirm_leave():  # a save on its way keeps its record shown
            self._select_row(previous.row() if previous.isValid() else None)
            return
        self.form.load(record_id, then=lambda _found: self._show_children(record_id))

    def _show_children(self, record_id: int | None) -> None:
        for panel in self.child_panels.values():
            panel.show_parent(record_id)

    def _select_row(self, row: int | None) -> None:
        self._selecting = True
        try:
            selection = self.table.selectionModel()
            if row is None:
                selection.clearSelection()
            else:
                index = self.model.index(row, 0)
                flags = (
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
                )
                selection.setCurrentIndex(index, flags)
                self.table.scrollTo(index)
        finally:
            self._selecting = False

    def _reselect(self, drop_hidden: bool = False) -> None:
        """Select the form's record in the list and scroll to it; `drop_hidden`: clear a form it left out.

        A record beyond the rows read so far is looked for in the file off the GUI thread (1.6 s in
        500,000 patents sorted by unit); until the answer comes no row is selected.
        """
        self._lookups += 1  # an answer to an earlier question is stale
        if self.model.reading:  # the list's rows are on their way from a server: once they are shown
            self._pending_reselect = bool(self._pending_reselect) or drop_hidden
            return
        record_id = self.form.record_id
        row = self.model.row_of(record_id) if record_id is not None else None
        if row is None and record_id is not None and self._list_may_hold_more():
            self._select_row(None)
            self._look_up(record_id, drop_hidden)
            return
        self._settle(record_id, row, drop_hidden)

    def _list_may_hold_more(self) -> bool:
        """Whether the file holds rows of the list that have not been read."""
        return self.data_file is not None and not self.model.read_every_row()

    def _look_up(self, record_id: int, drop_hidden: bool) -> None:
        data_file, entity, query, lookup = self.data_file, self.entity, self.model.query(), self._lookups
        tasks.start(
            lambda: _position(data_file, entity, query, record_id),
            lambda row: self._on_position_found((lookup, data_file, query, record_id), row, drop_hidden),
            receiver=self,
            pool=count_pool(),  # closing the file waits for it
            description=f"finding a row of {entity.table}",
        )

    def _on_position_found(self, asked: tuple, row, drop_hidden: bool) -> None:
        now = (self._lookups, self.data_file, self.model.query(), self.form.record_id)
        if asked != now or isinstance(row, Exception):
            return  # the clerk, the file or the list has moved on; or the lookup failed (logged)
        self._settle(self.form.record_id, row, drop_hidden)

    def _settle(self, record_id: int | None, row: int | None, drop_hidden: bool) -> None:
        if row is None:
            self._settled(record_id, None, drop_hidden)
            return
        lookup = self._lookups
        self.model.reach(row, lambda reached: self._on_reached(lookup, record_id, row, reached, drop_hidden))

    def _on_reached(self, lookup: int, record_id, row: int, reached: bool, drop_hidden: bool) -> None:
        if lookup == self._lookups:  # else the clerk or the list has moved on meanwhile
            self._settled(record_id, row if reached else None, drop_hidden)

    def _settled(self, record_id: int | None, row: int | None, drop_hidden: bool) -> None:
        if row is None and record_id is not None and drop_hidden and not self.form.is_dirty():
            self.form.clear()  # the search or a filter has left the record out of the list
            self._show_children(None)
        self._select_row(row)

    def show_record(self, record_id: int) -> bool:
        """Select a record in the list and show it in the form (after asking about unsaved changes)."""
        if record_id == self.form.record_id:
            self._reselect()
            return True
        if self.form.saving or not self.form.confirm_leave():
            return False
        return self.form.load(record_id, then=lambda found: self._on_record_shown(record_id, found))

    def _on_record_shown(self, record_id: int, found: bool) -> None:
        if found:
            self._show_children(record_id)
            self._reselect()

    def restore(self, record_id: int) -> bool:
        """Bring a record back from the recycle bin (e.g. 撤销删除) and show it; True when done by the
        time this returns (on a file; from a server the record is shown when the answer comes)."""
        data_file, entity = self.data_file, self.entity
        self._restored_now = False
        tasks.call(
            data_file,
            lambda: prompts.restore_refusal(data_file, entity, record_id),
            lambda refusal: self._on_restore_answered(record_id, refusal),
            receiver=self,
            description=f"restoring {entity.table}",
        )
        return self._restored_now

    def _on_restore_answered(self, record_id: int, refusal) -> None:
        if isinstance(refusal, Exception):
            raise refusal  # restore_refusal answers every refusal of the store: this is a defect
        if refusal is not None:
            QMessageBox.warning(self, messages.ACT_UNDO_DELETE, refusal)
            return
        self._fill_years()
        self.model.reload()
        self.records_changed.emit()
        self._restored_now = self.show_record(record_id)

    def _on_header_sort_indicator_changed(self, _column: int, _order) -> None:
        self._reselect()

    def _on_form_saved(self, record_id: int) -> None:
        self._fill_years()
        self.model.reload()
        self._reselect()
        self.records_changed.emit()

    def _on_form_deleted(self, record_id: int) -> None:
        row = self.model.row_of(record_id)
        self.model.reload()
        self.records_changed.emit()
        self._show_following((row, row - 1) if row is not None else ())

    def _show_following(self, candidates: tuple[int, ...]) -> None:
        """The row that took a deleted one's place, or the one before it at the end of the list."""
        if self.model.reading:  # the list without it is on its way from a server: once it is shown
            self._following = candidates
            return
        usable = [r for r in candidates if r >= 0]
        if not usable:
            self._select_row(None)
            self._show_children(None)
            return
        self.model.reach(usable[0], lambda reached: self._on_following(usable[0], reached, tuple(usable[1:])))

    def _on_following(self, row: int, reached: bool, rest: tuple[int, ...]) -> None:
        if not reached:
            self._show_following(rest)
        elif not self.show_record(self.model.record_id(row)):
            self._select_row(None)
            self._show_children(None)

    def new_record(self) -> None:
        if self.form.new_record():
            self._select_row(None)
            self._show_children(None)

    def delete_current(self) -> None:
        self.form.delete_current()

    def add_tool(self, action) -> None:
        """A button for one of the window's actions at the end of the filter bar."""
        button = QToolButton(self)
        button.setDefaultAction(action)
        self._tools.addWidget(button)

    def search_for(self, words: str) -> None:
        """Show the rows holding `words`, every other filter cleared (what 全局搜索 found of this kind)."""
        self._reset_filters()
        self.search.setText(words)
        self.apply_filters()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()
