"""Preview helpers of the report composer: the section as HTML, charts drawn on the thread pool."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from ui import messages, tasks


def draw_chart(spec) -> bytes:
    """One preview chart as PNG, drawn off the GUI thread (matplotlib Agg, no Qt inside)."""
    from kejiju_desktop.report.charts import render_png

    return render_png(spec)


def warm_up() -> None:
    """Import matplotlib and register the chart font off the GUI thread, before the first chart is due."""
    from kejiju_desktop.report.charts import font_families

    font_families()


def preview_html(body, generated) -> str:
    parts = []
    if body.heading:
        parts.append(f"<h3>{html.escape(body.heading)}</h3>")
    for para in body.paragraphs:
        lead = f"<b>{html.escape(para.lead)}</b>" if para.lead else ""
        colour = "" if para.generated else ' style="color:#1f4e79"'
        parts.append(f"<p{colour}>{lead}{html.escape(para.text)}</p>")
    if not generated:
        parts.append(f'<p style="color:gray">{html.escape(messages.PREVIEW_EMPTY)}</p>')
    for warning in body.warnings:  # a live field left as written: the clerk sees why before exporting
        parts.append(f'<p style="color:#a00000">{html.escape(warning)}</p>')
    if body.table is not None:
        rows = messages.PREVIEW_TABLE.format(title=body.table.title, n=len(body.table.rows))
        parts.append(f"<p><i>{html.escape(rows)}</i></p>")
    return "".join(parts)


class ReportPreview(QWidget):
    """The generated sentences of one section, and its chart drawn on the thread pool."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._ticket = 0  # bumped by each new request: what arrives for an older one is dropped
        self._building: int | None = None  # the ticket of the body being built, if any
        self._build_ui()

    def _build_ui(self) -> None:
        self.browser = QTextBrowser(self)
        self.chart_label = QLabel(self)
        self.chart_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(messages.LABEL_PREVIEW, self))
        layout.addWidget(self.browser, 2)
        layout.addWidget(self.chart_label, 1)

    def show_message(self, text: str) -> None:
        self._ticket += 1
        self._building = None
        self.chart_label.clear()
        self.browser.setHtml(html.escape(text))

    def build_and_show(self, build: Callable) -> None:
        """Run `build()` (a section body) off the GUI thread, then show it unless a newer request came."""
        self._ticket += 1
        ticket = self._building = self._ticket
        tasks.start(
            build, lambda body: self._on_built(ticket, body), receiver=self, description="section preview"
        )

    def _on_built(self, ticket: int, body) -> None:
        if ticket != self._ticket:
            return  # the clerk has typed on or moved to another section
        if isinstance(body, Exception):  # logged by the runner
            self.show_message(messages.PREVIEW_FAILED)
        else:
            self.show_body(body)

    def is_building(self) -> bool:
        """True while the body asked for last is still being built."""
        return self._building is not None

    def show_body(self, body) -> None:
        """Show a section body; its chart, if any, follows when drawn."""
        self.show_message("")
        self.browser.setHtml(preview_html(body, [p for p in body.paragraphs if p.generated]))
        if body.chart is not None:
            self.chart_label.setText(messages.PREVIEW_CHART_PENDING)
            ticket, chart = self._ticket, body.chart
            tasks.start(
                lambda: draw_chart(chart),
                lambda png: self._on_chart_drawn(ticket, png),
                receiver=self,
                description="preview chart",
            )

    def _on_chart_drawn(self, ticket: int, png) -> None:
        if ticket != self._ticket:
            return  # the clerk has moved on to another section
        pixmap = QPixmap()
        # A chart that could not be drawn (logged) leaves the preview without its picture.
        if isinstance(png, bytes) and png and pixmap.loadFromData(png):
            width = max(self.chart_label.width(), 200)
            self.chart_label.setPixmap(
                pixmap.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            )
        else:
            self.chart_label.clear()

    def text(self) -> str:
        """The preview's plain text."""
        return self.browser.toPlainText()
