"""全局搜索 figure: from the words given to the first records of every kind shown in the window's search."""

from __future__ import annotations

import os
import statistics
import time

from bench_window import COMMON_WORD, TWO_CHARACTER_WORD, _prepare

WARM_UP_WORD = "阀门"  # the first search of a run also compiles its statements: not what a clerk waits for
REPEATS = 3  # searches of each word; the median counts (other work on the machine adds noise)


def _wait_until(done) -> None:
    """Run the event loop, as the window's own does, until `done()` holds."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop, poll = QEventLoop(), QTimer()
    poll.timeout.connect(lambda: loop.quit() if done() else None)
    poll.start(1)
    loop.exec()
    poll.stop()


def _shown_ms(app, window, word: str) -> float:
    """Milliseconds from the words given until the first records are on screen; the counts then settle."""
    from ui import global_search
    from ui.table_model import count_pool

    start = time.perf_counter()
    dialog = global_search.open_search(window, word)
    _wait_until(lambda: dialog.results.topLevelItemCount() > 0)
    app.processEvents()  # the list paints
    elapsed = (time.perf_counter() - start) * 1000
    count_pool().waitForDone()
    app.processEvents()
    return elapsed


def _searches(path, home) -> list[float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["KEJIJU_HOME"] = str(home)
    import synthetic
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    window = MainWindow(screenshot=True)
    window.resize(1280, 800)
    window.show()
    try:
        window.open_file(path)
        app.processEvents()
        _shown_ms(app, window, WARM_UP_WORD)
        return [
            _shown_ms(app, window, word) for word in (COMMON_WORD, synthetic.RARE_WORD, TWO_CHARACTER_WORD)
        ]
    finally:
        window.close()


def search_group(ctx) -> dict[str, tuple[float, str]]:
    path = ctx.data_file()
    _prepare(path)
    home = ctx.tmp / "search-home"
    home.mkdir(exist_ok=True)
    return {"global_search_ms": (statistics.median(_searches(path, home)), "ms")}


GROUPS = {"search": search_group}
FIGURES = {"global_search_ms": "search"}
