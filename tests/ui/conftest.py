"""Fixtures for the main window tests: a window on a real file, message boxes answered by the test."""

import shutil
import sys

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from ui.main_window import MainWindow


class Boxes:
    """Message boxes shown during a test: their text, and the button a test wants pressed."""

    def __init__(self):
        self.shown: list[str] = []
        self.answer: str | None = None  # text of the button to press on a QMessageBox built by hand
        self.question = QMessageBox.StandardButton.Yes

    def texts(self) -> str:
        return "\n".join(self.shown)


@pytest.fixture
def boxes(monkeypatch):
    found = Boxes()

    def exec_box(box):
        found.shown.append(box.text())
        for button in box.buttons():
            if button.text() == found.answer:
                button.click()
                return 0
        box.buttons()[-1].click()
        return 0

    def static(kind):
        def show(_parent, _title, text, *args, **kwargs):
            found.shown.append(text)
            return found.question if kind == "question" else QMessageBox.StandardButton.Ok

        return show

    monkeypatch.setattr(QMessageBox, "exec", exec_box)
    for kind in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(static(kind)))
    monkeypatch.setattr(QMessageBox, "about", staticmethod(lambda *a: found.shown.append(a[2])))
    return found


@pytest.fixture
def demo_copy(tmp_path, demo_file):
    """A writable copy of the demo file."""
    path = tmp_path / "demo-copy.kjdb"
    shutil.copyfile(demo_file, path)
    return path


def _close(window):
    for tab in window.built_tabs():
        form = tab.form
        if form.is_dirty():
            form.revert()
    window.close()


@pytest.fixture
def make_window(qtbot, boxes):
    made = []

    def make(path=None):
        window = MainWindow()
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
        if path is not None:
            assert window.open_file(path)
        made.append(window)
        return window

    yield make
    for window in made:
        _close(window)


@pytest.fixture
def window(make_window, db_file):
    """The main window on a new empty data file."""
    return make_window(db_file)


@pytest.fixture
def demo_window(make_window, demo_copy):
    """The main window on a copy of the demo file."""
    return make_window(demo_copy)


@pytest.fixture(autouse=True)
def _modal_pollers_end_with_their_test():
    """A test's poller for a modal dialog that never showed (a merge refused before its preview) stops with
    the test: left running it acted on the next test's dialog in the same process."""
    yield
    helpers = sys.modules.get("tests.ui.test_portability_actions")
    if helpers is not None:
        for timer in helpers._when_modal.timers:
            timer.stop()
        helpers._when_modal.timers.clear()
