"""The one runner of background work: progress, results, failures and cancelling, and deleted receivers."""

import logging
import threading

import shiboken6
from PySide6.QtWidgets import QProgressDialog, QWidget

from db.database import DataFileError
from ui import messages, tasks


def _steps(release: threading.Event, failure: Exception | None = None):
    yield 1, 3
    yield 2, 3
    release.wait(10)
    if failure is not None:
        raise failure
    return "做完了"


def _steps_after(release: threading.Event):
    # Steps on both sides of the wait: with _steps the worker could be past its last step, waiting, when
    # cancel() came, and then finish (a race seen under load), since a finished job has no next step.
    yield 1, 3
    release.wait(10)
    yield 2, 3
    yield 3, 3
    return "做完了"


def test_a_result_arriving_after_its_window_was_deleted_is_dropped_quietly(qtbot, caplog):
    window = QWidget()
    runner = tasks.TaskRunner(window)
    heard = []
    runner.run("正在统计…", lambda: "数完了", heard.append)
    runner.wait()  # the result is on its way to the GUI thread...
    shiboken6.delete(window)  # ...when the window (and the runner with it) is gone
    qtbot.wait(100)
    assert heard == []
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_a_result_for_a_deleted_receiver_is_dropped_quietly(qtbot, caplog):
    receiver, release, heard = QWidget(), threading.Event(), []
    pool = tasks.private_pool(None, 1)
    tasks.start(lambda: release.wait(10) and 42, heard.append, receiver=receiver, pool=pool)
    shiboken6.delete(receiver)
    release.set()
    pool.waitForDone()
    qtbot.wait(100)
    assert heard == []
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_the_runner_shows_progress_then_hands_over_the_result(qtbot):
    window, release, heard = QWidget(), threading.Event(), []
    qtbot.addWidget(window)
    tasks.TaskRunner(window).run("正在导出…", lambda: _steps(release), heard.append)
    dialog = window.findChild(QProgressDialog)
    qtbot.waitUntil(lambda: (dialog.value(), dialog.maximum()) == (2, 3), timeout=3000)
    release.set()
    qtbot.waitUntil(lambda: heard == ["做完了"], timeout=3000)


def test_a_failure_reaches_on_done_as_its_sentence_and_the_log_gets_the_traceback(qtbot, caplog, capfd):
    window, release, heard = QWidget(), threading.Event(), []
    qtbot.addWidget(window)
    failure = DataFileError("甲.kjdb", "数据文件已损坏，请用“恢复备份”找回。")
    release.set()
    tasks.TaskRunner(window).run("正在检查…", lambda: _steps(release, failure), heard.append)
    qtbot.waitUntil(lambda: heard != [], timeout=3000)
    assert heard == [failure] and str(heard[0]) == "数据文件已损坏，请用“恢复备份”找回。"
    logged = [r for r in caplog.records if r.exc_info]
    assert len(logged) == 1 and logged[0].exc_info[1] is failure
    assert "Traceback" not in capfd.readouterr().err


def test_cancelling_stops_the_work_at_its_next_step(qtbot):
    window, release, heard = QWidget(), threading.Event(), []
    qtbot.addWidget(window)
    job = tasks.TaskRunner(window).run("正在合并…", lambda: _steps_after(release), heard.append)
    job.cancel()  # before the release: a step still comes after it, wherever the worker is now
    release.set()
    qtbot.waitUntil(lambda: heard != [], timeout=3000)
    assert isinstance(heard[0], tasks.TaskCancelled) and str(heard[0]) == messages.TASK_CANCELLED
