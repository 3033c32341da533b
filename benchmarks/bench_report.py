"""Report figures: one year's whole report (all sections and charts) against plain python-docx."""

from __future__ import annotations

import io
import time

from db.database import open_data_file
from kejiju_desktop.report import charts, compose, export

YEAR = 2012
RUNS = 5


def _timed_export(session, path) -> float:
    start = time.perf_counter()
    export.export(session, YEAR, path, overwrite=True)
    return time.perf_counter() - start


def _plain_docx(report, pictures: list[bytes], path) -> float:
    """python-docx writing the same paragraphs, tables and (ready) pictures, with no computation."""
    from docx import Document
    from docx.shared import Mm

    start = time.perf_counter()
    doc = Document()
    pictures = iter(pictures)
    doc.add_paragraph(report.title)
    for section in report.sections:
        if section.heading:
            doc.add_paragraph(section.heading)
        for para in section.paragraphs:
            doc.add_paragraph(para.lead + para.text)
        if section.chart is not None:
            doc.add_picture(io.BytesIO(next(pictures)), width=Mm(150))
            doc.add_paragraph(section.chart.title)
        if section.table is not None:
            doc.add_paragraph(section.table.title)
            table = doc.add_table(rows=1, cols=len(section.table.headers))
            for cell, text in zip(table.rows[0].cells, section.table.headers, strict=True):
                cell.text = text
            for row in section.table.rows:
                for cell, text in zip(table.add_row().cells, row, strict=True):
                    cell.text = text
    doc.add_paragraph(report.issuer)
    doc.save(str(path))
    return time.perf_counter() - start


def report_group(ctx) -> dict[str, tuple[float, str]]:
    data = open_data_file(ctx.county_file(), read_only=True)
    try:
        with data.sessions() as session:
            # The first export in a process also pays for importing matplotlib (about 0.6-1.3 s here); in the
            # program the composer's preview has usually imported it already, so report_s is the warm median.
            first = _timed_export(session, ctx.tmp / "first.docx")
            timings = sorted(_timed_export(session, ctx.tmp / f"report{i}.docx") for i in range(RUNS))
            report = compose.build_report(session, YEAR)
        pictures = [charts.render_png(s.chart) for s in report.sections if s.chart is not None]
        plain = sorted(_plain_docx(report, pictures, ctx.tmp / f"plain{i}.docx") for i in range(RUNS))
    finally:
        data.close()
    median = timings[RUNS // 2]
    return {
        "report_s": (median, "s"),
        "report_first_s": (first, "s"),
        "report_vs_docx_ratio": (median / plain[RUNS // 2], "x"),
    }


GROUPS = {"report": report_group}
FIGURES = {"report_s": "report", "report_vs_docx_ratio": "report", "report_first_s": "report"}
