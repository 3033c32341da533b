"""Export of the report from the pane: written off the GUI thread, then an offer to open it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from kejiju_desktop.report import export
from ui import messages, tasks

log = logging.getLogger(__name__)


def start_export(
    parent: QWidget, window, data, year: int, path: Path, scheme: str, written: Callable
) -> None:
    """Write the year's report to `path` with the window's task runner; `written(path)` when done."""

    def job():
        with data.sessions() as session:
            return (yield from export.iter_export(session, year, path, fonts=scheme, overwrite=True))

    runner = getattr(window, "run_task", None) or tasks.run_here
    runner(messages.EXPORT_TITLE, job, lambda result: _finished(parent, path, result, written))


def _finished(parent: QWidget, path: Path, result, written: Callable) -> None:
    if isinstance(result, tasks.TaskCancelled):
        return  # the clerk cancelled: the generator stopped before writing, nothing to tell
    if isinstance(result, BaseException):
        reason = str(result) if isinstance(result, export.ReportError) else repr(result)
        if not isinstance(result, export.ReportError):
            log.error("report export failed", exc_info=result)
        QMessageBox.warning(
            parent, messages.EXPORT_FAILED_TITLE, messages.EXPORT_FAILED.format(reason=reason)
        )
        return
    written(str(path))
    answer = QMessageBox.question(parent, messages.EXPORT_DONE_TITLE, messages.EXPORT_DONE.format(path=path))
    if answer == QMessageBox.StandardButton.Yes:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
