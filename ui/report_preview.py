"""Preview of the report composer: a section as HTML, its chart (drawn on the thread pool) where it stands."""

from __future__ import annotations

import hashlib
import html
from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from kejiju_desktop.report import visuals
from ui import messages, tasks

CHART_SHARE = 0.4  # of the preview's width: small, the text stays in view
CHART_MIN_WIDTH = 160
CACHED_CHARTS = 16  # a year's charts and a few of the year before: typing never redraws one
TABLE_ROWS_SHOWN = 30


def draw_chart(spec) -> QImage:
    """One chart as the export draws it (matplotlib Agg, PNG), decoded off the GUI thread."""
    from kejiju_desktop.report.charts import render_png

    image = QImage.fromData(render_png(spec), "PNG")
    if image.isNull():
        raise ValueError("the chart's PNG could not be read")
    return image


def warm_up() -> None:
    """Import matplotlib and register the chart font off the GUI thread, before the first chart is due."""
    from kejiju_desktop.report.charts import font_families

    font_families()


def chart_key(spec) -> str:
    """The same key for the same figures: what is drawn once is shown again while the clerk types."""
    return hashlib.sha1(repr(spec).encode("utf-8")).hexdigest()[:16]


def _source(key: str) -> str:
    return f"chart:{key}.png"


def _paragraphs(paragraphs) -> list[str]:
    parts = []
    for para in paragraphs:
        lead = f"<b>{html.escape(para.lead)}</b>" if para.lead else ""
        colour = "" if para.generated else ' style="color:#1f4e79"'
        parts.append(f"<p{colour}>{lead}{html.escape(para.text)}</p>")
    return parts


def _note(text: str) -> str:
    return f'<p style="color:gray">{html.escape(text)}</p>'


def chart_html(body, source: str | None, width: int, pending: bool) -> str:
    """The chart's picture (or a note while it is drawn, or why it is missing) and its caption."""
    if source is not None:
        picture = f'<p align="center"><img src="{source}" width="{width}"></p>'
    else:
        picture = _note(messages.PREVIEW_CHART_PENDING if pending else messages.PREVIEW_CHART_FAILED)
    caption = html.escape(messages.PREVIEW_CAPTION.format(title=body.chart.title))
    return f'{picture}<p align="center" style="color:gray">{caption}</p>'


def table_html(table) -> str:
    """The table as the attachment will hold it (its first rows), under a caption saying where it stands."""
    cells = "".join(f"<th>{html.escape(h)}</th>" for h in table.headers)
    rows = [f"<tr>{cells}</tr>"]
    for values in table.rows[:TABLE_ROWS_SHOWN]:
        rows.append("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in values) + "</tr>")
    caption = messages.PREVIEW_TABLE.format(title=table.title, n=len(table.rows))
    if len(table.rows) > TABLE_ROWS_SHOWN:
        caption += messages.PREVIEW_TABLE_CUT.format(shown=TABLE_ROWS_SHOWN)
    caption = html.escape(caption)
    return (
        f'<p style="color:gray">{caption}</p>'
        f'<table border="1" cellspacing="0" cellpadding="3">{"".join(rows)}</table>'
    )


def preview_html(body, chart: str = "") -> str:
    """The section as the document will read: heading, paragraphs with `chart` where it stands, the table."""
    parts = [f"<h3>{html.escape(body.heading)}</h3>"] if body.heading else []
    paragraphs = _paragraphs(body.paragraphs)
    after = len(paragraphs) if body.visuals_after is None else body.visuals_after
    parts += [*paragraphs[:after], chart, *paragraphs[after:]]
    for warning in body.warnings:  # a live field left as written: the clerk sees why before exporting
        parts.append(f'<p style="color:#a00000">{html.escape(warning)}</p>')
    if body.table is not None:
        parts.append(table_html(body.table))
    elif body.key == visuals.INDICATOR_TABLE:
        parts.append(_note(messages.PREVIEW_NO_INDICATOR_TABLE))
    elif not any(p.generated for p in body.paragraphs):
        parts.append(_note(messages.PREVIEW_EMPTY))
    return "".join(parts)


class ReportPreview(QWidget):
    """The generated sentences of one section with its chart and table; charts drawn on the thread pool."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._ticket = 0  # bumped by each new request: what arrives for an older one is dropped
        self._building: int | None = None  # the ticket of the body being built, if any
        self._body = None  # the body shown now
        self._charts: OrderedDict[str, QImage | None] = OrderedDict()  # None: it could not be drawn
        self._drawing: set[str] = set()
        self._build_ui()

    def _build_ui(self) -> None:
        self.browser = QTextBrowser(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(messages.LABEL_PREVIEW, self))
        layout.addWidget(self.browser, 1)

    def show_message(self, text: str) -> None:
        self._ticket += 1
        self._building = self._body = None
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
        """True while the body asked for last is still being built, or its chart drawn."""
        body = self._body
        drawing = body is not None and body.chart is not None and chart_key(body.chart) in self._drawing
        return self._building is not None or drawing

    def show_body(self, body) -> None:
        """Show a section body; a chart not drawn yet follows when it is (once for the same figures)."""
        self.show_message("")
        self._body = body
        if body.chart is not None and chart_key(body.chart) not in self._charts:
            self._draw(body.chart)
        self._render()

    def _draw(self, chart) -> None:
        key = chart_key(chart)
        if key in self._drawing:
            return
        self._drawing.add(key)
        tasks.start(
            lambda: draw_chart(chart),
            lambda image: self._on_chart_drawn(key, image),
            receiver=self,
            description="preview chart",
        )

    def _on_chart_drawn(self, key: str, image) -> None:
        self._drawing.discard(key)
        # A chart that could not be drawn (logged by the runner) leaves a note; the text stays.
        self._charts[key] = image if isinstance(image, QImage) else None
        while len(self._charts) > CACHED_CHARTS:
            self._charts.popitem(last=False)
        if self._body is not None and self._body.chart is not None and chart_key(self._body.chart) == key:
            self._render()

    def _render(self) -> None:
        body, chart = self._body, ""
        if body.chart is not None:
            key = chart_key(body.chart)
            source = self._add_image(key, self._charts.get(key))
            chart = chart_html(body, source, self._chart_width(), key not in self._charts)
        scroll = self.browser.verticalScrollBar().value()  # a redraw keeps the clerk's place
        self.browser.setHtml(preview_html(body, chart))
        self.browser.verticalScrollBar().setValue(scroll)

    def _chart_width(self) -> int:
        return max(int(self.browser.viewport().width() * CHART_SHARE), CHART_MIN_WIDTH)

    def _add_image(self, key: str, image: QImage | None) -> str | None:
        """Put the chart, scaled to its width here, into the document's resources; its name, or None."""
        if image is None:
            return None
        source = _source(key)
        scaled = image.scaledToWidth(self._chart_width(), Qt.TransformationMode.SmoothTransformation)
        self.browser.document().addResource(QTextDocument.ResourceType.ImageResource, QUrl(source), scaled)
        return source

    def chart_image(self) -> QImage | None:
        """The chart picture the preview shows now, as its document holds it (None: no picture)."""
        if self._body is None or self._body.chart is None:
            return None
        source = QUrl(_source(chart_key(self._body.chart)))
        found = self.browser.document().resource(QTextDocument.ResourceType.ImageResource, source)
        return found if isinstance(found, QImage) and not found.isNull() else None

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self._body is not None:
            self._render()  # the chart keeps its share of the new width

    def text(self) -> str:
        """The preview's plain text."""
        return self.browser.toPlainText()
