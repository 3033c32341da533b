"""One lazy table model for every tab: rows paged in by blocks from SQL, sorted and filtered there."""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    Qt,
    QThreadPool,
    Signal,
)

from kejiju_desktop import fields
from kejiju_desktop.services import records
from kejiju_desktop.services.records import Query
from ui import formatting, messages, tasks

PAGE = 200  # rows per block read from the file
MAX_BLOCKS = 30  # blocks kept in memory; the rest are read again when scrolled back to
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
# The sort arrow is part of the column's label: Qt's own indicator points up for a descending sort in the
# Fusion style (newest first showed ▲). Here ▲ is smallest (oldest) first, ▼ largest (newest) first, as in Excel.
SORT_ARROWS = {False: "▲", True: "▼"}


def count_pool() -> QThreadPool:
    """The pool counting rows and finding a record's row in the background (waiting on it waits for those only)."""
    return tasks.store_pool()


def _count(data_file, entity: fields.EntitySpec, query: Query) -> tuple[int, int]:
    """(rows matching, rows in the tab), counted off the GUI thread: the first page is shown before."""
    with data_file.sessions.begin() as session:
        matching = records.count(session, entity, query)
        everything = Query(deleted=query.deleted, filters=_fixed_filters(query))
        total = matching if everything == _unsorted(query) else records.count(session, entity, everything)
    return matching, total


def _fixed_filters(query: Query) -> dict:
    # The unit a 资质认定 list belongs to is part of what the list is, not a filter the clerk set.
    return {k: v for k, v in query.filters.items() if k == "unit_id"}


def _unsorted(query: Query) -> Query:
    return dataclasses.replace(query, sort=None, descending=False)


class RecordTableModel(QAbstractTableModel):
    """Rows of one entity in SQL order; blocks of PAGE rows are read when first shown."""

    counts_changed = Signal()
    reading_changed = Signal(bool)  # a new list's first rows are on their way (False: they are shown)
    read_failed = Signal(str)  # the sentence saying why rows could not be read

    def __init__(self, entity: fields.EntitySpec, parent: QObject | None = None, query: Query | None = None):
        super().__init__(parent)
        self.entity = entity
        self.columns = entity.table_fields
        self._position = {spec.key: i + 1 for i, spec in enumerate(entity.fields)}
        self._data_file = None
        self._query = query or Query()
        self._rows = 0
        self._blocks: OrderedDict[int, list[tuple]] = OrderedDict()
        self._generation = 0
        self._exhausted = False
        self.matching_count: int | None = None
        self.total_count: int | None = None
        self.reading = False
        self._asked: set[int] = set()  # blocks on their way
        self._arriving = True

    # --- what is shown ---------------------------------------------------------------------------

    def set_data_file(self, data_file) -> None:
        self._data_file = data_file
        self.reload()

    def show(self, data_file, query: Query) -> None:
        """Another file and query at once (one reload)."""
        self._data_file, self._query = data_file, query
        self.reload()

    def query(self) -> Query:
        return dataclasses.replace(self._query, filters=dict(self._query.filters))

    def set_query(self, query: Query) -> None:
        self._query = query
        self.reload()

    def sort_column(self) -> int:
        key = self._query.sort or self.entity.default_sort
        keys = [spec.key for spec in self.columns]
        return keys.index(key) if key in keys else -1

    def reload(self) -> None:
        """Read the first block (from a server off the GUI thread: the rows shown stay until it comes,
        `reading` meanwhile); count the rest in the background."""
        self._generation += 1
        self._asked.clear()
        self.matching_count = self.total_count = None
        if self._data_file is None:
            self._show_first([])
            return
        self._set_reading(True)
        self._ask_block(0, self._show_first)

    def _show_first(self, rows: list[tuple]) -> None:
        self.beginResetModel()
        self._blocks.clear()
        self._blocks[0] = rows
        self._rows = len(rows)
        self._exhausted = len(rows) < PAGE
        self.endResetModel()
        self._set_reading(False)
        if self._data_file is None:
            return
        data_file, entity, query, generation = self._data_file, self.entity, self.query(), self._generation
        tasks.start(
            lambda: _count(data_file, entity, query),
            lambda counted: self._on_counted(generation, counted),
            receiver=self,
            pool=count_pool(),
            description=f"counting {self.entity.table}",
        )

    def _set_reading(self, reading: bool) -> None:
        if reading != self.reading:
            self.reading = reading
            self.reading_changed.emit(reading)

    def _on_counted(self, generation: int, counted) -> None:
        if generation != self._generation:
            return  # a count of a query since replaced
        if isinstance(counted, Exception):  # logged; the rows read stay, and the clerk is told
            self.read_failed.emit(tasks.sentence_of(counted, messages.READ_FAILED))
            return
        matching, total = counted
        self.matching_count, self.total_count = matching, total
        if matching > self._rows:
            self.beginInsertRows(QModelIndex(), self._rows, matching - 1)
            self._rows = matching
            self.endInsertRows()
        self._exhausted = True
        self.counts_changed.emit()

    # --- Qt model ------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            label = self.columns[section].label
            return (
                f"{label} {SORT_ARROWS[self._query.descending]}" if section == self.sort_column() else label
            )
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if formatting.is_numeric(self.columns[section]) else LEFT
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        spec = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            row = self.row(index.row())
            if row is None:
                return None
            text = formatting.display(spec, row[self._position[spec.key]])
            return text if role == Qt.ItemDataRole.DisplayRole or len(text) > 12 else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if formatting.is_numeric(spec) else LEFT
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        key = self.columns[column].key
        descending = order == Qt.SortOrder.DescendingOrder
        current = self._query.sort or self.entity.default_sort
        if key == current and descending == self._query.descending:
            return
        self._query = dataclasses.replace(self._query, sort=key, descending=descending)
        self.reload()

    def canFetchMore(self, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: B008
        # Until the background count arrives, scrolling to the end reads the next block.
        return (
            not parent.isValid() and not self._exhausted and self._data_file is not None and not self.reading
        )

    def fetchMore(self, parent: QModelIndex = QModelIndex()) -> None:  # noqa: B008
        block = self._rows // PAGE
        if block not in self._asked:
            self._asked.add(block)
            self._ask_block(block, lambda rows: self._extend(block, rows))

    # --- rows ------------------------------------------------------------------------------------

    def row(self, row: int) -> tuple | None:
        """The stored row (id, value per field) at a position, read from the file if needed."""
        if not 0 <= row < self._rows:
            return None
        block, offset = divmod(row, PAGE)
        if block not in self._blocks:
            self._fetch(block)  # on a file the block is here when this returns; from a server, later
        rows = self._blocks.get(block)
        if rows is None:
            return None
        self._blocks.move_to_end(block)
        return rows[offset] if offset < len(rows) else None

    def record_id(self, row: int) -> int | None:
        found = self.row(row)
        return found[0] if found else None

    def row_of(self, record_id: int) -> int | None:
        """Position of a record among the blocks read so far, or None."""
        for block, rows in self._blocks.items():
            for offset, found in enumerate(rows):
                if found[0] == record_id:
                    return block * PAGE + offset
        return None

    def read_every_row(self) -> bool:
        """Whether every row the query matches is among the blocks read (a record not found there is left out)."""
        return self._exhausted and sum(map(len, self._blocks.values())) == self._rows

    def reach(self, row: int, then: Callable[[bool], None]) -> None:
        """Make `row` part of the table before the count arrives (its block read), then `then(True)`;
        `then(False)` past the end. Not called when the list is replaced meanwhile."""
        if row < self._rows:
            then(True)
            return
        block = row // PAGE
        self._ask_block(block, lambda rows: then(self._extend(block, rows) > row))

    def blocks_in_memory(self) -> int:
        """How many blocks of rows are held (the rest are read when scrolled to)."""
        return len(self._blocks)

    def value(self, row: int, key: str):
        found = self.row(row)
        return found[self._position[key]] if found else None

    def _store(self, block: int, rows: list[tuple]) -> None:
        self._blocks[block] = rows
        while len(self._blocks) > MAX_BLOCKS:
            self._blocks.popitem(last=False)

    def _extend(self, block: int, rows: list[tuple]) -> int:
        """A block read past the rows shown joins the table; returns where the rows read end."""
        self._asked.discard(block)
        self._store(block, rows)
        end = block * PAGE + len(rows)
        if end > self._rows:
            self.beginInsertRows(QModelIndex(), self._rows, end - 1)
            self._rows = end
            self.endInsertRows()
            self._exhausted = len(rows) < PAGE
        return end

    def _fetch(self, block: int) -> None:
        """A block scrolled back to (dropped from memory, or past the first before the count)."""
        if self.reading or block in self._asked:
            return  # the list is being replaced, or the block is on its way
        self._asked.add(block)
        self._arriving = False  # set when the answer comes after this returns (from a server)
        self._ask_block(block, lambda rows: self._on_fetched(block, rows))
        self._arriving = True

    def _on_fetched(self, block: int, rows: list[tuple]) -> None:
        self._asked.discard(block)
        self._store(block, rows)
        if self._arriving:  # Qt asked for these rows and got nothing then: they are drawn now
            first, last = block * PAGE, min(self._rows, block * PAGE + len(rows)) - 1
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.columns) - 1))

    def _ask_block(self, block: int, then: Callable[[list[tuple]], None]) -> None:
        """Read a block of the list shown; `then(rows)` unless the list has been replaced since."""
        data_file, entity, query, generation = self._data_file, self.entity, self.query(), self._generation
        tasks.call(
            data_file,
            lambda: _page(data_file, entity, query, block),
            lambda rows: self._on_block(generation, rows, then),
            receiver=self,
            description=f"reading {entity.table}",
        )

    def _on_block(self, generation: int, rows, then: Callable[[list[tuple]], None]) -> None:
        if generation != self._generation:
            return  # a page of a list no longer shown
        if isinstance(rows, Exception):  # logged; the clerk is told why the list is empty
            self.read_failed.emit(tasks.sentence_of(rows, messages.READ_FAILED))
            rows = []
        then(rows)


def _page(data_file, entity: fields.EntitySpec, query: Query, block: int) -> list[tuple]:
    """One block of a list's rows."""
    with data_file.sessions.begin() as session:
        return records.list_page(session, entity, query, block * PAGE, PAGE)
