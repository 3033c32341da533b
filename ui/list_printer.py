"""Paint a tab's current list on a printer or a PDF: A4 landscape, title and filter, header on every page."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontMetricsF, QPageLayout, QPageSize, QPainter, QPen
from PySide6.QtPrintSupport import QPrinter

from kejiju_desktop.report.charts import FONT_FAMILY, FONT_FILE, SYSTEM_CJK
from kejiju_desktop.services.current_list import ListSheet
from ui import formatting, messages

MARGINS_MM = QMarginsF(12, 12, 12, 12)
# The charts' bundled GB2312 font first, the system's CJK fonts for the rest (as the charts do). With the
# system's full Noto Sans CJK first, the PDF's text read ⼀ (a Kangxi radical sharing the glyph) for 一.
FAMILIES = [FONT_FAMILY, *SYSTEM_CJK]
BODY_PT, TITLE_PT = 9, 15
FIT_ROWS = 500  # columns are fitted to the header and the first rows
MAX_LINES = 3  # a cell wraps to at most this many lines; longer text ends in …
PADDING = 0.15  # of a line's height, around a cell's text
HEADER_SHADE = QColor(232, 232, 232)
RULE = QColor(120, 120, 120)


def set_up(printer: QPrinter) -> None:
    """A4 landscape with narrow margins: a list's columns want the width."""
    layout = QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        QPageLayout.Orientation.Landscape,
        MARGINS_MM,
        QPageLayout.Unit.Millimeter,
    )
    printer.setPageLayout(layout)


_registered = False


def _register_font() -> None:
    global _registered
    if not _registered:
        QFontDatabase.addApplicationFont(str(FONT_FILE))  # -1 when missing: the system's fonts serve then
        _registered = True


def font(points: float, bold: bool = False) -> QFont:
    """The list's font at a size in points."""
    _register_font()
    chosen = QFont()
    chosen.setFamilies(FAMILIES)
    chosen.setPointSizeF(points)
    chosen.setBold(bold)
    return chosen


@dataclass
class _Layout:
    """Sizes on the page in device pixels, worked out once per printing."""

    width: float
    height: float
    columns: list[tuple[float, float]]  # (left, width) of each column
    line: float  # height of one line of body text
    pad: float
    head_height: float  # title, filter line and the gap under them
    foot_height: float


def _measure(printer: QPrinter, sheet: ListSheet) -> _Layout:
    page = printer.pageLayout().paintRectPixels(printer.resolution())
    body = QFontMetricsF(font(BODY_PT, bold=True), printer)  # bold: the header's, a little wider than a row's
    title = QFontMetricsF(font(TITLE_PT, bold=True), printer)
    line = body.lineSpacing()
    pad = line * PADDING
    sample = sheet.rows[:FIT_ROWS]
    wanted = []
    for place, spec in enumerate(sheet.columns):
        texts = [spec.label, *(formatting.display(spec, row[place]) for row in sample)]
        wanted.append(max(map(body.horizontalAdvance, texts)) + 2 * pad)
    columns, left = [], 0.0
    for width in _shared(wanted, page.width()):
        columns.append((left, width))
        left += width
    return _Layout(
        page.width(), page.height(), columns, line, pad, title.lineSpacing() + 2.2 * line, 2 * line
    )


def _shared(wanted: list[float], room: float) -> list[float]:
    """Column widths filling `room`: each column its text's width when all fit (the spare shared out
    alike), else the narrow ones whole and the wide ones sharing what is left equally (they wrap)."""
    if sum(wanted) <= room:
        spare = (room - sum(wanted)) / len(wanted)
        return [width + spare for width in wanted]
    given = dict.fromkeys(range(len(wanted)), 0.0)
    open_columns, left = set(given), room
    while open_columns:
        share = left / len(open_columns)
        narrow = {i for i in open_columns if wanted[i] <= share}
        if not narrow:
            given.update(dict.fromkeys(open_columns, share))
            break
        for i in narrow:
            given[i] = wanted[i]
            left -= wanted[i]
        open_columns -= narrow
    return [given[i] for i in range(len(wanted))]


def _lines(metrics: QFontMetricsF, text: str, width: float) -> int:
    if not text or metrics.horizontalAdvance(text) <= width:
        return 1
    flags = int(Qt.TextFlag.TextWrapAnywhere)
    found = metrics.boundingRect(QRectF(0, 0, width, 1e6), flags, text).height()
    return max(1, min(MAX_LINES, round(found / metrics.lineSpacing())))


def _height(metrics: QFontMetricsF, layout: _Layout, texts: list[str]) -> float:
    """A row's height: its tallest cell's lines, wrapped to the column's width."""
    widths = [width - 2 * layout.pad for _left, width in layout.columns]
    lines = max(_lines(metrics, text, width) for text, width in zip(texts, widths, strict=True))
    return lines * layout.line + 2 * layout.pad


def _texts(sheet: ListSheet, index: int) -> list[str]:
    return [
        formatting.display(spec, value) for spec, value in zip(sheet.columns, sheet.rows[index], strict=True)
    ]


def _pages(heights: list[float], room: float) -> list[range]:
    """Rows of each page: as many as fit under the repeated header; a first page even for no rows."""
    pages, start, used = [], 0, 0.0
    for index, height in enumerate(heights):
        if used + height > room and index > start:
            pages.append(range(start, index))
            start, used = index, 0.0
        used += height
    pages.append(range(start, len(heights)))
    return pages


def paint_list(printer: QPrinter, sheet: ListSheet) -> int:
    """Paint the whole list on `printer` (set up with `set_up`); returns how many pages it took."""
    layout = _measure(printer, sheet)
    metrics = QFontMetricsF(font(BODY_PT, bold=True), printer)
    labels = [spec.label for spec in sheet.columns]
    header = _height(metrics, layout, labels)
    heights = [_height(metrics, layout, _texts(sheet, index)) for index in range(len(sheet.rows))]
    pages = _pages(heights, layout.height - layout.head_height - layout.foot_height - header)
    painter = QPainter(printer)
    try:
        for number, rows in enumerate(pages, 1):
            if number > 1:
                printer.newPage()
            _paint_head(painter, sheet, layout)
            top = _paint_row(painter, layout, layout.head_height, header, labels, None)
            for index in rows:
                top = _paint_row(painter, layout, top, heights[index], _texts(sheet, index), sheet.columns)
            _paint_foot(painter, layout, messages.PRINT_PAGE.format(page=number, pages=len(pages)))
    finally:
        painter.end()
    return len(pages)


def _paint_head(painter: QPainter, sheet: ListSheet, layout: _Layout) -> None:
    painter.setFont(font(TITLE_PT, bold=True))
    title_height = QFontMetricsF(painter.font()).lineSpacing()
    painter.drawText(QRectF(0, 0, layout.width, title_height), Qt.AlignmentFlag.AlignCenter, sheet.title)
    painter.setFont(font(BODY_PT))
    line = QRectF(0, title_height + 0.4 * layout.line, layout.width, layout.line)
    painter.drawText(line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, sheet.filter_words)
    painter.drawText(line, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, sheet.summary)


def _paint_row(
    painter: QPainter, layout: _Layout, top: float, height: float, texts: list[str], specs
) -> float:
    """One row of cells (the header when `specs` is None) with its rules; returns the next row's top."""
    painter.setFont(font(BODY_PT, bold=specs is None))
    if specs is None:
        painter.fillRect(QRectF(0, top, layout.width, height), HEADER_SHADE)
    painter.setPen(QPen(RULE, 0))
    painter.drawLine(0, top + height, layout.width, top + height)
    if specs is None:
        painter.drawLine(0, top, layout.width, top)
    painter.setPen(QPen(Qt.GlobalColor.black))
    for column, text in enumerate(texts):
        left, width = layout.columns[column]
        cell = QRectF(left + layout.pad, top + layout.pad, width - 2 * layout.pad, height - 2 * layout.pad)
        numeric = specs is not None and formatting.is_numeric(specs[column])
        painter.save()
        painter.setClipRect(cell)
        painter.drawText(
            cell, _alignment(numeric) | Qt.TextFlag.TextWrapAnywhere, _fitted(painter, text, cell)
        )
        painter.restore()
    return top + height


def _alignment(numeric: bool) -> Qt.AlignmentFlag:
    side = Qt.AlignmentFlag.AlignRight if numeric else Qt.AlignmentFlag.AlignLeft
    return side | Qt.AlignmentFlag.AlignTop


def _fitted(painter: QPainter, text: str, cell: QRectF) -> str:
    """The text, ending in … where it needs more lines than the cell holds."""
    metrics = QFontMetricsF(painter.font())
    lines = max(1, round(cell.height() / metrics.lineSpacing()))
    if metrics.horizontalAdvance(text) <= cell.width():
        return text
    # Wrapping anywhere leaves part of a character's width unused at the end of each line.
    room = (cell.width() - metrics.averageCharWidth()) * lines
    return (
        text
        if metrics.horizontalAdvance(text) <= room
        else metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
    )


def _paint_foot(painter: QPainter, layout: _Layout, text: str) -> None:
    painter.setFont(font(BODY_PT))
    foot = QRectF(0, layout.height - layout.line, layout.width, layout.line)
    painter.drawText(foot, Qt.AlignmentFlag.AlignCenter, text)
