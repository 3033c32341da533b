"""One-click annual report: build the year's report and write the .docx safely (temp name, then rename)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from db.reasons import reason_of
from kejiju_desktop import messages
from kejiju_desktop.progress import run_to_end
from kejiju_desktop.report import compose
from kejiju_desktop.report.fonts import scheme as font_scheme
from kejiju_desktop.services import outputs

MIN_YEAR, MAX_YEAR = 1980, 2100


class ReportError(Exception):
    """The report cannot be written; `str()` is a sentence a clerk understands."""


@dataclass
class Exported:
    """What was written."""

    path: Path
    sections: int
    charts: int
    tables: int
    warnings: list[str] = field(default_factory=list)  # live fields of the clerk's text left as written

    def summary(self, year: int) -> str:
        return messages.WRITTEN.format(
            year=year, path=self.path, sections=self.sections, charts=self.charts, tables=self.tables
        )


def check_target(path: Path, overwrite: bool, data_path: Path | None = None) -> None:
    """Refuse the data file in use, a journal or lock, an existing file (unless `overwrite`), a missing folder."""
    try:
        outputs.check_output(path, data_path)
    except outputs.OutputRefused as exc:
        raise ReportError(str(exc)) from exc
    if path.exists() and not overwrite:
        raise ReportError(messages.OUTPUT_EXISTS.format(path=path))
    if not path.parent.is_dir():
        raise ReportError(messages.NO_FOLDER.format(folder=path.parent))


def iter_export(
    session: Session,
    year: int,
    path: Path | str,
    *,
    fonts: str = "standard",
    overwrite: bool = False,
    today: dt.date | None = None,
    data_path: Path | None = None,
) -> Iterator[tuple[int, int]]:
    """Write the year's report to `path` (never over `data_path`), yielding (done, total); returns an Exported."""
    from kejiju_desktop.report.docx_writer import iter_document  # python-docx only when a report is written

    path = Path(path)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ReportError(messages.BAD_YEAR.format(year=year))
    check_target(path, overwrite, data_path)
    report = compose.build_report(session, year, today)
    document = None
    for step in iter_document(report, font_scheme(fonts)):
        if isinstance(step, tuple):
            done, total = step
            yield done, total + 1
        else:
            document = step
    _save(document, path)
    yield 1, 1
    return Exported(
        path,
        sections=len(report.sections),
        charts=sum(1 for s in report.sections if s.chart is not None),
        tables=sum(1 for s in report.sections if s.table is not None),
        warnings=report.warnings,
    )


def _save(document, path: Path) -> None:
    tmp = path.with_name(f".~{path.stem}.{os.getpid()}.tmp")
    try:
        document.save(str(tmp))
        os.replace(tmp, path)
    except OSError as exc:
        raise ReportError(messages.REPORT_CANNOT_WRITE.format(path=path, reason=reason_of(exc))) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def export(session: Session, year: int, path: Path | str, **options) -> Exported:
    """Write the report without progress reports (the command line and tests)."""
    return run_to_end(iter_export(session, year, path, **options))
