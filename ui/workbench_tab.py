"""The 工作台 tab: what needs the clerk today, each item one click (or Enter) from exactly its records."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kejiju_desktop import messages as core_messages
from ui import messages, tasks
from ui.month_chart import MonthChart
from ui.table_model import count_pool

if TYPE_CHECKING:
    from kejiju_desktop.services import workbench

# The core's 工作台 and the report's wording are imported when first needed, after the window has
# painted: importing them with the window kept its first paint waiting about 0.1 s.

log = logging.getLogger(__name__)
KEY = "workbench"  # the tab's name for select_tab and --tab
GROUPS = (
    core_messages.WORKBENCH_CERTIFICATES,
    core_messages.WORKBENCH_PROJECTS,
    core_messages.WORKBENCH_QUALITY,
)


def _gather(data_file, today: dt.date) -> workbench.Workbench:
    """The 工作台 of a day, read off the GUI thread."""
    from kejiju_desktop.services import workbench

    with data_file.sessions() as session:
        return workbench.gather(session, today)


def open_item(window, item: workbench.Item) -> None:
    """Show exactly an item's records in their tab, the filter named in its bar (清除筛选 lifts it)."""
    window.select_tab(item.open_table)
    tab = window.entity_tab(item.open_table)
    tab.show_only(item.open_ids, messages.WORKBENCH_FILTER.format(label=item.label, n=item.count))
    panel = tab.child_panels.get(item.table)
    if panel is not None:  # a certificate: its holder listed, the certificate selected beside the form
        panel.select_records(item.ids)
    if tab.model.rowCount() > 0:
        tab.show_record(tab.model.record_id(0))
    tab.table.setFocus()


class ItemButton(QPushButton):
    """One reminder with its count; a click, Enter or Space opens its records."""

    def __init__(self, item: workbench.Item, parent=None):
        super().__init__(f"{item.label}：{item.count}", parent)
        self.item = item
        self.setToolTip(messages.WORKBENCH_ITEM_TIP)
        self.setAutoDefault(False)
        self.setStyleSheet("text-align: left; padding: 4px 8px;")

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.click()
            return
        super().keyPressEvent(event)


class WorkbenchTab(QWidget):
    """Reminders, this year's targets and the patents per month, gathered after the window is shown."""

    item_opened = Signal(object)  # a workbench.Item
    filled = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.data_file = None
        self.bench: workbench.Workbench | None = None
        self._today: dt.date | None = None
        self._stale = False
        self._loading = False
        self._build_ui()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)  # the tab's own margin paints first: gathering starts then
        self.head = QLabel(messages.WORKBENCH_NO_FILE, self)
        layout.addWidget(self.head)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        body = QWidget(scroll)
        columns = QHBoxLayout(body)
        columns.setContentsMargins(0, 0, 0, 0)
        reminders = QVBoxLayout()
        self.boxes = {group: self._box(group, body, QVBoxLayout()) for group in GROUPS}
        for box in self.boxes.values():
            reminders.addWidget(box)
        reminders.addStretch(1)
        right = QVBoxLayout()
        self.targets_box = self._box(core_messages.WORKBENCH_TARGETS, body, QGridLayout())
        right.addWidget(self.targets_box)
        chart_box = self._box(core_messages.WORKBENCH_MONTHS, body, QVBoxLayout())
        self.chart = MonthChart(chart_box)
        chart_box.layout().addWidget(self.chart)
        right.addWidget(chart_box, 1)
        columns.addLayout(reminders, 4)
        columns.addLayout(right, 5)
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)

    @staticmethod
    def _box(title: str, parent: QWidget, inner) -> QGroupBox:
        box = QGroupBox(title, parent)
        box.setLayout(inner)
        return box

    # --- what is shown and when it is gathered ------------------------------------------------------

    def set_today(self, day: dt.date | None) -> None:
        """The day the reminders count from (None: the computer's date); tests pin it."""
        self._today = day
        self.mark_stale()

    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def set_data_file(self, data_file) -> None:
        self.data_file = data_file
        self.bench = None
        self.head.setText(messages.WORKBENCH_LOADING if data_file is not None else messages.WORKBENCH_NO_FILE)
        self.mark_stale()

    def mark_stale(self) -> None:
        """Records have changed: gather again when the tab is next painted (now, if it is shown)."""
        self._stale = True
        self.update()

    def facts_ready(self) -> bool:
        """True when what is shown is what the file holds (the screenshot waits for it)."""
        return self.data_file is None or (self.bench is not None and not self._stale and not self._loading)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        # Shown again: gather afresh, for what changed meanwhile without telling the window (a file
        # written by another program) is on it too; the items shown stay until the new ones come.
        super().showEvent(event)
        if self.bench is not None and not event.spontaneous():  # not the window coming back on screen
            self._stale = True

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if self._stale and not self._loading and self.data_file is not None:
            QTimer.singleShot(0, self._gather)  # the window is on screen: the clerk never waits for this

    def _gather(self) -> None:
        if not self._stale or self._loading or self.data_file is None:
            return
        self._stale, self._loading = False, True
        data_file, today = self.data_file, self.today()
        tasks.start(
            lambda: _gather(data_file, today),
            lambda result: self._on_gathered(data_file, result),
            receiver=self,
            pool=count_pool(),  # closing the file waits for it
            description="gathering the workbench",
        )

    def _on_gathered(self, data_file, result) -> None:
        self._loading = False
        if data_file is not self.data_file:
            return  # another file was opened meanwhile: it is gathered on the next paint
        if isinstance(result, Exception):
            self.head.setText(messages.WORKBENCH_FAILED)
        else:
            if self.bench is None or self.bench.items != result.items:
                self._show_items(result)  # the same items keep their buttons, and the focus on one
            self.bench = result
            self._show(result)
        if self._stale:
            self.update()
        self.filled.emit()

    # --- filling --------------------------------------------------------------------------------------

    def _show(self, bench: workbench.Workbench) -> None:
        from kejiju_desktop.report import wording

        self.head.setText(
            messages.WORKBENCH_HEAD.format(date=wording.date_text(bench.today), days=bench.days)
        )
        self._show_targets(bench.targets)
        self.chart.set_months(bench.today.year, bench.months, bench.months_before)

    def _show_items(self, bench: workbench.Workbench) -> None:
        for group, box in self.boxes.items():
            layout = box.layout()
            _empty(layout)
            items = bench.group(group)
            for item in items:
                button = ItemButton(item, box)
                button.clicked.connect(lambda _checked=False, item=item: self.item_opened.emit(item))
                layout.addWidget(button)
            if not items:
                layout.addWidget(QLabel(messages.WORKBENCH_NOTHING, box))

    def _show_targets(self, lines: list[workbench.TargetLine]) -> None:
        grid = self.targets_box.layout()
        _empty(grid)
        if not lines:
            grid.addWidget(QLabel(messages.WORKBENCH_NO_TARGETS, self.targets_box), 0, 0)
            return
        for row, line in enumerate(lines):
            indicator = line.indicator
            done = messages.WORKBENCH_DONE.format(
                value=_number(indicator.value), target=_number(indicator.target)
            )
            previous = messages.WORKBENCH_PREVIOUS.format(
                label=line.previous_label, value=_number(indicator.previous)
            )
            grid.addWidget(QLabel(indicator.name, self.targets_box), row, 0)
            grid.addWidget(_progress(indicator, self.targets_box), row, 1)
            grid.addWidget(QLabel(done, self.targets_box), row, 2)
            grid.addWidget(QLabel(previous, self.targets_box), row, 3)
        grid.setColumnStretch(1, 1)


def _progress(indicator, parent: QWidget) -> QProgressBar:
    from kejiju_desktop.report import wording

    bar = QProgressBar(parent)
    bar.setRange(0, 100)
    completion = indicator.completion
    bar.setValue(0 if completion is None else min(100, int(completion)))
    bar.setFormat("" if completion is None else wording.percent(completion))
    bar.setMinimumWidth(90)
    return bar


def _number(value) -> str:
    from kejiju_desktop.report import wording

    return "—" if value is None else wording.number(value)


def _empty(layout) -> None:
    while layout.count():
        widget = layout.takeAt(0).widget()
        if widget is not None:
            widget.deleteLater()
