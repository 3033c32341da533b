"""全局搜索 (Ctrl+K, a box in the toolbar): one search over every tab's records, grouped by tab, Enter opens one."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kejiju_desktop import fields
from kejiju_desktop.services.global_search import KindHits, count_hits, first_hits, marked_spans
from ui import messages, tasks
from ui.table_model import count_pool

TYPING_DELAY_MS = 200  # the search starts when the clerk pauses typing this long
COUNT_AFTER_MS = 100  # the first rows are on screen by then
SIZE = QSize(760, 520)
BOX_WIDTH = 240
MARK_COLOUR = QColor("#ffd54f")
DETAIL_COLOUR = QColor("#666666")
DETAIL_GAP = "　"  # a full-width space between the name and each further text
SEGMENTS_ROLE = Qt.ItemDataRole.UserRole + 1  # ((text, marked, detail), ...) painted one after another
TARGET_ROLE = Qt.ItemDataRole.UserRole + 2  # (table, record id) of a record; (table, None) for 查看全部
MOVE_KEYS = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 10, Qt.Key.Key_PageUp: -10}
OPEN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def segments(text: str, words: str, detail: bool = False) -> list[tuple[str, bool, bool]]:
    """`text` cut into (part, marked, detail) pieces, the words marked."""
    out, at = [], 0
    for start, end in marked_spans(text, words):
        out += [(text[at:start], False, detail), (text[start:end], True, detail)]
        at = end
    return [piece for piece in [*out, (text[at:], False, detail)] if piece[0]]


def hit_segments(hit, words: str) -> tuple[tuple[str, bool, bool], ...]:
    """A record's line: its name, then each further searched text holding a word (grey), words marked."""
    pieces = segments(hit.name, words)
    for label, value in hit.details:
        pieces += [(f"{DETAIL_GAP}{label}：", False, True), *segments(value, words, detail=True)]
    return tuple(pieces)


def _first(data_file, words: str) -> list[KindHits]:
    with data_file.sessions.begin() as session:
        return first_hits(session, words)


def _counts(data_file, words: str, tables: list[str]) -> dict[str, int]:
    with data_file.sessions.begin() as session:
        return count_hits(session, words, tables)


class _MarkedDelegate(QStyledItemDelegate):
    """Paints an item's pieces with the words marked. Drawn piece by piece: a QTextDocument per row
    cost 2 ms each, 100 ms to show the first rows of five kinds on a busy machine."""

    def paint(self, painter, option, index) -> None:
        pieces = index.data(SEGMENTS_ROLE)
        if pieces is None:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        option.text = ""
        style = option.widget.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, option.widget)
        selected = option.state & QStyle.StateFlag.State_Selected
        plain = option.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        metrics = option.fontMetrics
        baseline = rect.top() + (rect.height() + metrics.ascent() - metrics.descent()) // 2
        painter.save()
        painter.setClipRect(rect)
        left = rect.left() + 2
        for text, marked, detail in pieces:
            width = metrics.horizontalAdvance(text)
            if marked:
                painter.fillRect(left, rect.top() + 1, width, rect.height() - 2, MARK_COLOUR)
            painter.setPen(QColor("black") if marked else DETAIL_COLOUR if detail and not selected else plain)
            painter.drawText(left, baseline, text)
            left += width
        painter.restore()


class GlobalSearch(QDialog):
    """The search box over the results: the first records of each kind at once, each kind's count after."""

    record_chosen = Signal(str, int, str)  # table, record id, the words searched
    list_chosen = Signal(str, str)  # table, the words searched: every record of the kind holding them

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.data_file = None
        self._asked = 0  # questions asked of the file; an answer to an earlier one is stale
        self._groups: dict[str, QTreeWidgetItem] = {}
        self._timer = QTimer(self, singleShot=True, interval=TYPING_DELAY_MS)
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        self.setWindowTitle(messages.GLOBAL_SEARCH_TITLE)
        self.resize(SIZE)
        layout = QVBoxLayout(self)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(messages.GLOBAL_SEARCH_PLACEHOLDER)
        self.edit.setClearButtonEnabled(True)
        self.results = QTreeWidget(self)
        self.results.setHeaderHidden(True)
        self.results.setRootIsDecorated(False)
        self.results.setUniformRowHeights(True)  # one line each: no row is measured on its own
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay in the box: ↑↓ move, Enter opens
        self.results.setItemDelegate(_MarkedDelegate(self.results))
        self.status = QLabel(messages.GLOBAL_SEARCH_HINT, self)
        layout.addWidget(self.edit)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)

    def _connect_signals(self) -> None:
        self.edit.textChanged.connect(lambda _text: self._timer.start())
        self.edit.installEventFilter(self)
        self._timer.timeout.connect(self.run)
        self.results.itemActivated.connect(self._open)

    def set_data_file(self, data_file) -> None:
        """Search this file from now on (None: nothing to search)."""
        if data_file is not self.data_file:
            self.data_file = data_file
            self.run()

    def start(self, words: str = "") -> None:
        """Show the dialog with `words` in its box (searched at once) and the keys in the box."""
        self.edit.setText(words)
        self.run()
        self.show()
        self.raise_()
        self.activateWindow()
        self.edit.setFocus()
        self.edit.end(False)

    # --- searching ---------------------------------------------------------------------------------

    def run(self) -> None:
        """Search the box's words now: the first records of each kind, their counts after."""
        self._timer.stop()
        self._asked += 1
        self.results.clear()
        self._groups.clear()
        words = self.edit.text().strip()
        if not words or self.data_file is None:
            self.status.setText(messages.GLOBAL_SEARCH_HINT)
            return
        self.status.setText(messages.GLOBAL_SEARCH_SEARCHING)
        asked, data_file = (self._asked, words), self.data_file
        tasks.start(
            lambda: _first(data_file, words),
            lambda found: self._on_found(asked, found),
            receiver=self,
            pool=count_pool(),  # closing the file waits for it
            description="searching every tab",
        )

    def _stale(self, asked: tuple[int, str]) -> bool:
        return asked != (self._asked, self.edit.text().strip())

    def _on_found(self, asked: tuple[int, str], found) -> None:
        if self._stale(asked):
            return  # the clerk has typed on: a newer search is under way
        if isinstance(found, Exception):
            self.status.setText(messages.GLOBAL_SEARCH_FAILED)  # the reason is in the log
            return
        words = asked[1]
        for kind in found:
            self._add_group(kind, words)
        self.status.setText(
            messages.GLOBAL_SEARCH_HINT if found else messages.GLOBAL_SEARCH_NONE.format(words=words)
        )
        self._move(1)
        unsure = [kind.table for kind in found if kind.more]
        if unsure:
            # Counting waits until the rows are painted: a count's Python holding the interpreter lock
            # made painting them wait (150 ms at 500,000 patents on a busy machine).
            QTimer.singleShot(COUNT_AFTER_MS, self, lambda: self._count(asked, unsure))

    def _count(self, asked: tuple[int, str], tables: list[str]) -> None:
        if self._stale(asked) or self.data_file is None:
            return
        data_file, words = self.data_file, asked[1]
        tasks.start(
            lambda: _counts(data_file, words, tables),
            lambda counted: self._on_counted(asked, counted),
            receiver=self,
            pool=count_pool(),
            description="counting what every tab holds",
        )

    def _add_group(self, kind: KindHits, words: str) -> None:
        label = fields.ENTITIES[kind.table].label
        text = messages.GLOBAL_SEARCH_GROUP_COUNTING if kind.more else messages.GLOBAL_SEARCH_GROUP
        group = QTreeWidgetItem(self.results, [text.format(label=label, n=len(kind.hits))])
        group.setFlags(Qt.ItemFlag.ItemIsEnabled)
        bold = group.font(0)
        bold.setBold(True)
        group.setFont(0, bold)
        for hit in kind.hits:
            item = QTreeWidgetItem(group, [hit.name])
            item.setData(0, SEGMENTS_ROLE, hit_segments(hit, words))
            item.setData(0, TARGET_ROLE, (kind.table, hit.record_id))
        group.setExpanded(True)
        self._groups[kind.table] = group

    def _on_counted(self, asked: tuple[int, str], counted) -> None:
        if self._stale(asked) or isinstance(counted, Exception):
            return  # a newer search replaced it, or the count failed (logged); the first rows stay
        for table, n in counted.items():
            label = fields.ENTITIES[table].label
            group = self._groups[table]
            group.setText(0, messages.GLOBAL_SEARCH_GROUP.format(label=label, n=n))
            more = QTreeWidgetItem(group, [messages.GLOBAL_SEARCH_SHOW_ALL.format(label=label, n=n)])
            more.setData(0, TARGET_ROLE, (table, None))

    # --- keys and choosing ---------------------------------------------------------------------------

    def _choices(self) -> list[QTreeWidgetItem]:
        """The items Enter can open, top to bottom."""
        found = []
        for group in map(self.results.topLevelItem, range(self.results.topLevelItemCount())):
            found += [group.child(i) for i in range(group.childCount())]
        return found

    def _move(self, step: int) -> None:
        choices = self._choices()
        if not choices:
            return
        current = self.results.currentItem()
        at = choices.index(current) + step if current in choices else 0
        item = choices[max(0, min(len(choices) - 1, at))]
        self.results.setCurrentItem(item)
        self.results.scrollToItem(item)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            if event.key() in MOVE_KEYS:
                self._move(MOVE_KEYS[event.key()])
                return True
            if event.key() in OPEN_KEYS:
                self._open(self.results.currentItem())
                return True
        return super().eventFilter(watched, event)

    def _open(self, item: QTreeWidgetItem | None) -> None:
        target = item.data(0, TARGET_ROLE) if item is not None else None
        if target is None:
            return
        if self._timer.isActive():
            return  # the list is about to change under the clerk's typing: not what they chose
        table, record_id = target
        self.hide()
        words = self.edit.text().strip()
        if record_id is None:
            self.list_chosen.emit(table, words)
        else:
            self.record_chosen.emit(table, record_id, words)


def install(window) -> None:
    """编辑 → 全局搜索… (Ctrl+K) and a search box at the right end of the toolbar."""
    action = QAction(messages.ACT_GLOBAL_SEARCH, window)
    action.setShortcut(QKeySequence("Ctrl+K"))
    action.triggered.connect(lambda: open_search(window))
    window.menu(messages.MENU_EDIT).addAction(action)
    spacer = QWidget(window.toolbar)
    spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    box = QLineEdit(window.toolbar)
    box.setPlaceholderText(messages.GLOBAL_SEARCH_PLACEHOLDER)
    box.setFixedWidth(BOX_WIDTH)
    box.textEdited.connect(lambda text: (box.clear(), open_search(window, text)))
    window.toolbar.addWidget(spacer)
    window.toolbar.addWidget(box)
    window.global_search_action, window.global_search_box = action, box


def open_search(window, words: str = "") -> GlobalSearch:
    """The window's search dialog (made once), shown under the toolbar's box with `words` in it."""
    dialog = getattr(window, "global_search", None)
    if dialog is None:
        dialog = GlobalSearch(window)
        dialog.record_chosen.connect(
            lambda table, record_id, found: _show_record(window, table, record_id, found)
        )
        dialog.list_chosen.connect(lambda table, found: _show_list(window, table, found))
        window.data_file_changed.connect(dialog.set_data_file)
        window.global_search = dialog
    dialog.set_data_file(window.data_file)
    box = window.global_search_box
    corner = box.mapToGlobal(box.rect().bottomRight())
    dialog.move(max(0, corner.x() - dialog.width()), corner.y() + 2)
    dialog.start(words)
    return dialog


def _show_list(window, table: str, words: str):
    """The tab of `table` showing every record holding the words (its other filters cleared)."""
    window.select_tab(table)
    tab = window.entity_tab(table)
    tab.search_for(words)
    return tab


def _show_record(window, table: str, record_id: int, words: str) -> None:
    """The record in its tab, among the others holding the words."""
    _show_list(window, table, words).show_record(record_id)
