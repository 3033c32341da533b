"""The one shape of background work in ui/: a core function or generator yielding (done, total), off the GUI thread."""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from db.database import DataFileError, connection_lost
from db.portable import BusyError
from kejiju_desktop.options import EXIT_PROBLEMS
from kejiju_desktop.progress import run_to_end
from kejiju_desktop.report.export import ReportError
from kejiju_desktop.services.exchange.sniff import UnusableFile
from kejiju_desktop.services.outputs import OutputRefused
from kejiju_desktop.services.portability.backups import BackupRefused
from kejiju_desktop.services.portability.merge import MergeRefused
from kejiju_desktop.services.portability.server_move import MoveRefused
from kejiju_desktop.services.records import RecordChangedError, ValidationFailed
from kejiju_desktop.services.settings import InvalidSetting
from ui import messages
from ui.dialog_titles import fit_title
from ui.stores import file_of

log = logging.getLogger(__name__)
SHOW_AFTER_MS = 500  # work that ends sooner shows no dialog at all
# Threads asking the open store: a page read waiting on a table another clerk locked leaves room for
# the count, the form's load and a save.
STORE_THREADS = 4
# Refusals a clerk is told in their own sentence (a data file's or server's refusal, DESIGN §7's exit 1, is
# one too): the log keeps that sentence in one line; a traceback says only where the program went wrong.
REFUSALS = (
    BusyError,
    RecordChangedError,
    ValidationFailed,
    BackupRefused,
    MergeRefused,
    MoveRefused,
    OutputRefused,
    InvalidSetting,
    UnusableFile,
    ReportError,
)


class TaskCancelled(Exception):
    """Handed to `on_done` when the clerk cancelled the work."""


class _Signals(QObject):
    progressed = Signal(int, int)
    finished = Signal(object)


_running: set[Job] = set()  # a job lives until its result is delivered, so its signals are never cut short


class Job:
    """One piece of work on a thread pool; its progress and result reach the GUI thread while `receiver` exists."""

    def __init__(self, work: Callable, on_done: Callable, receiver: QObject, on_progress, description: str):
        self.work, self.on_done, self.on_progress, self.description = work, on_done, on_progress, description
        self.cancelled = False
        self._sent = threading.Event()  # the pool's thread is past its last emit: `signals` may go
        self._receiver = weakref.ref(receiver)
        self.signals = _Signals()  # made on the GUI thread: what it emits from the pool arrives there
        self.signals.progressed.connect(self._on_signals_progressed)
        self.signals.finished.connect(self._on_signals_finished)

    def cancel(self) -> None:
        """Stop a generator at its next step; `on_done` then gets TaskCancelled."""
        self.cancelled = True

    def run(self) -> None:
        """On the pool's thread: the work to its end, then its result or its exception handed back."""
        try:
            result = self._drive(self.work())
        except Exception as exc:  # noqa: BLE001 - every failure is handed to on_done, and logged
            log_failure(self.description, exc)
            result = exc
        try:
            self._send("finished", result)
        finally:
            self._sent.set()

    def _drive(self, work):
        if not hasattr(work, "__next__"):
            return work
        while True:
            if self.cancelled:
                work.close()
                return TaskCancelled(messages.TASK_CANCELLED)
            try:
                done, total = next(work)
            except StopIteration as stop:
                return stop.value
            self._send("progressed", int(done), int(total))

    def _send(self, name: str, *args) -> None:
        try:
            getattr(self.signals, name).emit(*args)
        except RuntimeError:
            # Qt deletes Python's objects when the program ends while work still runs: no one is left to tell.
            if shiboken6.isValid(self.signals):
                raise

    def _receiver_exists(self) -> bool:
        receiver = self._receiver()
        return receiver is not None and shiboken6.isValid(receiver)

    def _on_signals_progressed(self, done: int, total: int) -> None:
        if self.on_progress is not None and self._receiver_exists():
            self.on_progress(done, total)

    def _on_signals_finished(self, result) -> None:
        self._release()
        if self._receiver_exists():
            self.on_done(result)

    def _release(self) -> None:
        # The queued result can arrive while the pool's thread is still inside emit(): deleting `signals`
        # then frees what that emit still touches (an intermittent segfault under load). Wait for it.
        if not self._sent.is_set():
            QTimer.singleShot(10, self._release)
            return
        _running.discard(self)
        self.signals.deleteLater()  # its connections hold this job: let both go


def start(
    work: Callable,
    on_done: Callable,
    *,
    receiver: QObject,
    on_progress: Callable[[int, int], None] | None = None,
    pool: QThreadPool | None = None,
    description: str = "background task",
) -> Job:
    """Run `work()` (a result, or a generator of (done, total) returning one) on `pool` (the global one).

    `on_done(result)` and `on_progress(done, total)` run on the GUI thread; the result may be
    TaskCancelled or the exception (logged as `description` failed). What comes back for a `receiver`
    that has been deleted meanwhile is dropped quietly.
    """
    job = Job(work, on_done, receiver, on_progress, description)
    _running.add(job)
    (pool or QThreadPool.globalInstance()).start(job.run)
    return job


_store_pool: QThreadPool | None = None


def store_pool() -> QThreadPool:
    """The pool of the window's questions to its store (closing the store waits for it, and only it)."""
    global _store_pool
    if _store_pool is None:
        _store_pool = private_pool(QCoreApplication.instance(), STORE_THREADS)
    return _store_pool


def call(store, work: Callable, on_done: Callable, *, receiver: QObject, description: str) -> None:
    """Ask `store` through `work()` (a function of no arguments); `on_done(result)` gets the answer or the
    exception (a lost server connection as db.database.ConnectionLostError, whose str() is a sentence).

    On a server the work runs on `store_pool()`, so a dead or locked server never freezes the window;
    on a data file it runs here and now: a local page reads in milliseconds, and a trip through a thread
    would blank the table for a frame and reorder what tests and clerks see. Either way the caller's
    code is the same path: everything that follows the answer happens in `on_done`.
    """
    if file_of(store) is not None:
        on_done(_answer(store, work, description))
        return
    start(lambda: _asked(store, work), on_done, receiver=receiver, pool=store_pool(), description=description)


def sentence_of(error: Exception, fallback: str) -> str:
    """What the clerk is told of a question to the store that failed: its own sentence, or `fallback`."""
    return str(error) if isinstance(error, DataFileError) else fallback


def is_refusal(error: Exception) -> bool:
    """True for a failure that is no fault of the program: a refusal whose sentence the clerk is shown."""
    refused_store = isinstance(error, DataFileError) and error.exit_code == EXIT_PROBLEMS
    return refused_store or isinstance(error, REFUSALS)


def log_failure(description: str, error: Exception) -> None:
    """In an `except` block: a refusal as one line with its sentence, anything else with its traceback."""
    if is_refusal(error):
        log.warning("%s refused: %s", description, error)
    else:
        log.exception("%s failed", description)


def _answer(store, work: Callable, description: str):
    try:
        return _asked(store, work)
    except Exception as exc:  # noqa: BLE001 - handed to on_done as the pool's jobs do, and logged
        log_failure(description, exc)
        return exc


def _asked(store, work: Callable):
    try:
        return work()
    except Exception as exc:
        lost = connection_lost(exc, store.display_name)
        if lost is None:
            raise
        raise lost from exc


def private_pool(parent: QObject, threads: int) -> QThreadPool:
    """A pool of its own for one kind of work, so that waiting for it waits for that kind only."""
    pool = QThreadPool(parent)
    pool.setMaxThreadCount(threads)
    return pool


def run_here(_title: str, factory: Callable, on_done: Callable) -> None:
    """Without a main window: run the work on this thread (tests, a standalone pane)."""
    try:
        result = run_to_end(factory())
    except Exception as exc:  # noqa: BLE001 - handed to on_done like the window's runner does
        result = exc
    on_done(result)


class TaskRunner(QObject):
    """A window's long work, one task at a time, with a progress dialog after half a second."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.pool = private_pool(self, 1)

    def run(self, title: str, factory: Callable, on_done: Callable, cancellable: bool = True) -> Job:
        """Run `factory()` with a progress dialog (with 取消 when `cancellable`); then `on_done(result)`."""
        dialog = QProgressDialog(title, messages.BTN_CANCEL if cancellable else None, 0, 0, self.parent())
        dialog.setWindowTitle(title)
        fit_title(dialog)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(SHOW_AFTER_MS)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)

        def progressed(done: int, total: int) -> None:
            dialog.setMaximum(max(total, 0))
            dialog.setValue(min(done, total) if total > 0 else 0)

        def finished(result) -> None:
            dialog.close()
            dialog.deleteLater()
            on_done(result)

        job = start(factory, finished, receiver=self, on_progress=progressed, pool=self.pool)
        if cancellable:
            dialog.canceled.connect(job.cancel)
        return job

    def wait(self) -> None:
        """Until the running task and those queued have ended."""
        self.pool.waitForDone()
