"""Preview helpers of the report composer: the section as HTML, charts drawn on the thread pool."""

from __future__ import annotations

import html
import logging

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from ui import report_messages as M

log = logging.getLogger(__name__)


class ChartSignals(QObject):
    drawn = Signal(int, bytes)


class ChartJob(QRunnable):
    """Draws one preview chart on the thread pool (matplotlib Agg, no Qt inside)."""

    def __init__(self, ticket: int, spec):
        super().__init__()
        self.ticket, self.spec, self.signals = ticket, spec, ChartSignals()

    def run(self) -> None:
        from kejiju_desktop.report.charts import render_png

        try:
            png = render_png(self.spec)
        except Exception:  # noqa: BLE001 - a preview that cannot draw is left without its picture
            log.exception("preview chart failed")
            png = b""
        self.signals.drawn.emit(self.ticket, png)


class FactsSignals(QObject):
    gathered = Signal(int, int, object)  # generation, year, Facts (or None when counting failed)


class FactsJob(QRunnable):
    """Counts one year's figures on the thread pool (a second of SQL on a large file), in its own session."""

    def __init__(self, generation: int, data, year: int):
        super().__init__()
        self.generation, self.data, self.year, self.signals = generation, data, year, FactsSignals()

    def run(self) -> None:
        from kejiju_desktop.report import facts

        try:
            with self.data.sessions() as session:
                found = facts.gather(session, self.year)
        except Exception:  # noqa: BLE001 - the preview says it could not count; export reports properly
            log.exception("counting the year's figures failed")
            found = None
        self.signals.gathered.emit(self.generation, self.year, found)


def preview_html(body, generated) -> str:
    parts = []
    if body.heading:
        parts.append(f"<h3>{html.escape(body.heading)}</h3>")
    for para in body.paragraphs:
        lead = f"<b>{html.escape(para.lead)}</b>" if para.lead else ""
        colour = "" if para.generated else ' style="color:#1f4e79"'
        parts.append(f"<p{colour}>{lead}{html.escape(para.text)}</p>")
    if not generated:
        parts.append(f'<p style="color:gray">{html.escape(M.PREVIEW_EMPTY)}</p>')
    if body.table is not None:
        parts.append(f"<p><i>{html.escape(body.table.title)}（{len(body.table.rows)} 行）</i></p>")
    return "".join(parts)


class WarmUpJob(QRunnable):
    """Imports matplotlib and registers the chart font on the thread pool, before the first chart is due."""

    def run(self) -> None:
        from kejiju_desktop.report.charts import font_families

        try:
            font_families()
        except Exception:  # noqa: BLE001 - the export will report it if charts cannot be drawn
            log.exception("chart warm-up failed")


class ReportPreview(QWidget):
    """The generated sentences of one section, and its chart drawn on the thread pool."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._ticket = 0
        self._job: ChartJob | None = None
        self._build_ui()

    def _build_ui(self) -> None:
        self.browser = QTextBrowser(self)
        self.chart_label = QLabel(self)
        self.chart_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(M.LABEL_PREVIEW, self))
        layout.addWidget(self.browser, 2)
        layout.addWidget(self.chart_label, 1)

    def show_message(self, text: str) -> None:
        self._ticket += 1
        self.chart_label.clear()
        self.browser.setHtml(html.escape(text))

    def show_body(self, body) -> None:
        """Show a section body; its chart, if any, follows when drawn."""
        self.show_message("")
        self.browser.setHtml(preview_html(body, [p for p in body.paragraphs if p.generated]))
        if body.chart is not None:
            self.chart_label.setText(M.PREVIEW_CHART_PENDING)
            self._job = ChartJob(self._ticket, body.chart)
            self._job.signals.drawn.connect(self._on_chart_drawn)
            QThreadPool.globalInstance().start(self._job)

    def _on_chart_drawn(self, ticket: int, png: bytes) -> None:
        if ticket != self._ticket:
            return  # the clerk has moved on to another section
        pixmap = QPixmap()
        if png and pixmap.loadFromData(png):
            width = max(self.chart_label.width(), 200)
            self.chart_label.setPixmap(
                pixmap.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            )
        else:
            self.chart_label.clear()

    def text(self) -> str:
        """The preview's plain text."""
        return self.browser.toPlainText()
