"""Long core work off the GUI thread: a generator yielding (done, total), a progress dialog, cancel."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from ui import messages as M

log = logging.getLogger(__name__)
SHOW_AFTER_MS = 500  # work that ends sooner shows no dialog at all


class TaskCancelled(Exception):
    """Handed to `on_done` when the clerk cancelled the work."""


class _TaskSignals(QObject):
    progressed = Signal(int, int)
    finished = Signal(object)


class _TaskJob(QRunnable):
    def __init__(self, factory: Callable, signals: _TaskSignals):
        super().__init__()
        self.factory, self.signals = factory, signals
        self.cancelled = False

    def run(self) -> None:
        try:
            result = self._drive(self.factory())
        except Exception as exc:  # noqa: BLE001 - every failure is handed to on_done, and logged
            log.exception("background task failed")
            result = exc
        self.signals.finished.emit(result)

    def _drive(self, work):
        if not hasattr(work, "__next__"):
            return work
        while True:
            if self.cancelled:
                work.close()
                return TaskCancelled(M.TASK_CANCELLED)
            try:
                done, total = next(work)
            except StopIteration as stop:
                return stop.value
            self.signals.progressed.emit(int(done), int(total))


class TaskRunner(QObject):
    """Runs tasks for one window and keeps them alive until they end."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._running: set[_TaskJob] = set()

    def run(self, title: str, factory: Callable, on_done: Callable, cancellable: bool = True) -> None:
        signals = _TaskSignals()
        job = _TaskJob(factory, signals)
        job.setAutoDelete(False)
        dialog = QProgressDialog(title, M.TASK_CANCEL if cancellable else None, 0, 0, self.parent())
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(SHOW_AFTER_MS)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if cancellable:
            dialog.canceled.connect(lambda: setattr(job, "cancelled", True))

        def progressed(done: int, total: int) -> None:
            dialog.setMaximum(max(total, 0))
            dialog.setValue(min(done, total) if total > 0 else 0)

        def finished(result) -> None:
            self._running.discard(job)
            dialog.close()
            dialog.deleteLater()
            on_done(result)

        signals.progressed.connect(progressed)
        signals.finished.connect(finished)
        job.signals_ref = signals  # keeps the emitter alive as long as the job
        self._running.add(job)
        self.pool.start(job)

    def wait(self) -> None:
        self.pool.waitForDone()
