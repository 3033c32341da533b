"""Paint a tab's current list on a printer or a PDF: A4 landscape, title and filter, header on every page."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPageLayout, QPageSize, QPainter, QPen
from PySide6.QtPrintSupport import QPrinter

from kejiju_desktop.services.current_list import ListSheet
from ui import formatting, messages

MARGINS_MM = QMarginsF(12, 12, 12, 12)
# Qt falls back to another font for characters a family lacks; these hold every Chinese character a clerk types.
FAMILIES = ["Microsoft YaHei", "SimSun", "Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei"]
BODY_PT, TITLE_PT = 9, 15
MAX_LINES = 3  # a cell wraps to at most this many lines; longer text ends in …
PADDING = 0.35  # of a line's height, around a cell's text
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


def font(points: float, bold: bool = False) -> QFont:
    """The list's font at a size in points."""
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
    body = QFontMetricsF(font(BODY_PT), printer)
    title = QFontMetricsF(font(TITLE_PT, bold=True), printer)
    declared = [spec.width for spec in sheet.columns]
    scale = page.width() / sum(declared)
    columns, left = [], 0.0
    for width in declared:
        columns.append((left, width * scale))
        left += width * scale
    line = body.lineSpacing()
    head = title.lineSpacing() + 2.2 * line
    return _Layout(page.width(), page.height(), columns, line, line * PADDING, head, 2 * line)


def _cell_text(spec, value) -> str:
    return formatting.display(spec, value)


def _lines(metrics: QFontMetricsF, text: str, width: float) -> int:
    if not text or metrics.horizontalAdvance(text) <= width:
        return 1
    flags = int(Qt.TextFlag.TextWrapAnywhere)
    found = metrics.boundingRect(QRectF(0, 0, width, 1e6), flags, text).height()
    return max(1, min(MAX_LINES, round(found / metrics.lineSpacing())))


def _row_heights(printer: QPrinter, sheet: ListSheet, layout: _Layout) -> list[float]:
    metrics = QFontMetricsF(font(BODY_PT), printer)
    heights = []
    for row in sheet.rows:
        lines = max(
            _lines(metrics, _cell_text(spec, value), width - 2 * layout.pad)
            for spec, value, (_left, width) in zip(sheet.columns, row, layout.columns, strict=True)
        )
        heights.append(lines * layout.line + 2 * layout.pad)
    return heights


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
    heights = _row_heights(printer, sheet, layout)
    header = layout.line + 2 * layout.pad
    pages = _pages(heights, layout.height - layout.head_height - layout.foot_height - header)
    painter = QPainter(printer)
    try:
        for number, rows in enumerate(pages, 1):
            if number > 1:
                printer.newPage()
            _paint_head(painter, sheet, layout)
            top = _paint_row(
                painter, layout, layout.head_height, header, [s.label for s in sheet.columns], None
            )
            for index in rows:
                texts = [
                    _cell_text(spec, value)
                    for spec, value in zip(sheet.columns, sheet.rows[index], strict=True)
                ]
                top = _paint_row(painter, layout, top, heights[index], texts, sheet.columns)
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
    room = cell.width() * max(1, round(cell.height() / metrics.lineSpacing()))
    if metrics.horizontalAdvance(text) <= room * 0.92:
        return text
    return metrics.elidedText(text, Qt.TextElideMode.ElideRight, room * 0.92)


def _paint_foot(painter: QPainter, layout: _Layout, text: str) -> None:
    painter.setFont(font(BODY_PT))
    foot = QRectF(0, layout.height - layout.line, layout.width, layout.line)
    painter.drawText(foot, Qt.AlignmentFlag.AlignCenter, text)
