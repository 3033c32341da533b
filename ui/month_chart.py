"""Twelve months of two years side by side, drawn with QPainter (no matplotlib on the first tab)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui import messages

THIS_YEAR = QColor("#2f6db5")
LAST_YEAR = QColor("#b8c4d3")
MARGIN = 8
LEGEND_BOX = 10
GAP = 3  # between a month's two bars, so that the figures above them stay apart


class MonthChart(QWidget):
    """Bars per month: last year's (light) beside this year's (dark), with the figures above them."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.year = 0
        self.months: list[int] = [0] * 12
        self.months_before: list[int] = [0] * 12
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(160)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(440, 220)

    def set_months(self, year: int, months: list[int], months_before: list[int]) -> None:
        """This year's twelve figures and last year's."""
        self.year, self.months, self.months_before = year, list(months), list(months_before)
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        line = self.fontMetrics().height()
        text_colour = self.palette().color(QPalette.ColorRole.WindowText)
        self._legend(painter, line, text_colour)
        plot = QRectF(
            MARGIN, MARGIN + 1.6 * line, self.width() - 2 * MARGIN, self.height() - 2 * MARGIN - 2.8 * line
        )
        if self.note() is not None:  # an empty axis alone reads as a broken chart
            painter.setPen(text_colour)
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.note())
        elif plot.height() > line:
            self._bars(painter, plot, line, text_colour)
        painter.end()

    def note(self) -> str | None:
        """What the chart says instead of bars when neither year has a patent application."""
        if any(self.months) or any(self.months_before) or not self.year:
            return None
        return messages.WORKBENCH_MONTHS_EMPTY.format(year=self.year, last=self.year - 1)

    def _legend(self, painter: QPainter, line: int, text_colour: QColor) -> None:
        x = MARGIN
        for year, colour in ((self.year - 1, LAST_YEAR), (self.year, THIS_YEAR)):
            painter.fillRect(QRectF(x, MARGIN + (line - LEGEND_BOX) / 2, LEGEND_BOX, LEGEND_BOX), colour)
            painter.setPen(text_colour)
            label = messages.FILTER_YEAR.format(year=year)
            painter.drawText(
                QRectF(x + LEGEND_BOX + 4, MARGIN, 80, line), Qt.AlignmentFlag.AlignVCenter, label
            )
            x += LEGEND_BOX + 12 + self.fontMetrics().horizontalAdvance(label)

    def _bars(self, painter: QPainter, plot: QRectF, line: int, text_colour: QColor) -> None:
        highest = max([*self.months, *self.months_before, 1])
        slot = plot.width() / 12
        bar = max(2.0, slot * 0.34)
        painter.setPen(text_colour.lighter(160) if text_colour.lightness() < 128 else text_colour.darker(160))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        for month in range(12):
            left = plot.left() + month * slot + (slot - 2 * bar - GAP) / 2
            pairs = (
                (left, self.months_before[month], LAST_YEAR),
                (left + bar + GAP, self.months[month], THIS_YEAR),
            )
            for x, value, colour in pairs:
                height = (plot.height() - line) * value / highest
                self._bar(painter, QRectF(x, plot.bottom() - height, bar, height), value, colour, text_colour)
            painter.setPen(text_colour)
            below = QRectF(plot.left() + month * slot, plot.bottom() + 2, slot, line)
            painter.drawText(
                below, Qt.AlignmentFlag.AlignCenter, messages.WORKBENCH_MONTH.format(month=month + 1)
            )

    def _bar(self, painter: QPainter, shape: QRectF, value: int, colour: QColor, text_colour: QColor) -> None:
        painter.fillRect(shape, colour)
        text = str(value)
        metrics = self.fontMetrics()
        if value and metrics.horizontalAdvance(text) <= shape.width() + GAP:  # wider figures would collide
            painter.setPen(text_colour)
            above = QRectF(
                shape.left() - GAP, shape.top() - metrics.height(), shape.width() + 2 * GAP, metrics.height()
            )
            painter.drawText(above, Qt.AlignmentFlag.AlignCenter, text)
