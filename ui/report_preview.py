"""Preview helpers of the report composer: the section as HTML, charts drawn on the thread pool."""

from __future__ import annotations

import html
import logging

from PySide6.QtCore import QObject, QRunnable, Signal

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


def run_here(_title: str, factory, on_done) -> None:
    """Without a main window: run the job on this thread (tests, a standalone pane)."""
    steps = factory()
    try:
        while True:
            next(steps)
    except StopIteration as stop:
        on_done(stop.value)
    except Exception as exc:  # noqa: BLE001 - handed to on_done like the window's runner does
        on_done(exc)


class WarmUpJob(QRunnable):
    """Imports matplotlib and registers the chart font on the thread pool, before the first chart is due."""

    def run(self) -> None:
        from kejiju_desktop.report.charts import font_families

        try:
            font_families()
        except Exception:  # noqa: BLE001 - the export will report it if charts cannot be drawn
            log.exception("chart warm-up failed")
