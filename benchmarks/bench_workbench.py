"""工作台 figure: from the data file opened in the window to its 工作台 filled (county scale)."""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
from pathlib import Path

RUNS = 5  # openings of the file; the median counts
TODAY = dt.date(2013, 10, 15)  # inside the synthetic file's last year, so every reminder has records
WAIT_S = 60


def _filled_s(app, window, path: Path) -> float:
    """Seconds from the file opened until the 工作台 shows what it holds."""
    assert window.open_file(path)
    start = time.perf_counter()
    bench = window.workbench
    deadline = start + WAIT_S
    while not (bench.bench is not None and bench.facts_ready()):
        if time.perf_counter() > deadline:
            raise RuntimeError("the 工作台 was not filled")
        app.processEvents()
        time.sleep(0.001)
    return time.perf_counter() - start


def workbench_group(ctx) -> dict[str, tuple[float, str]]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = ctx.tmp / "workbench-home"
    home.mkdir(exist_ok=True)
    os.environ["KEJIJU_HOME"] = str(home)
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    window = MainWindow(screenshot=True)
    window.resize(1280, 800)
    window.select_tab("workbench")
    window.workbench.set_today(TODAY)
    window.show()
    try:
        timings = [_filled_s(app, window, ctx.county_file()) for _ in range(RUNS)]
    finally:
        window.close()
    return {"workbench_s": (statistics.median(timings), "s")}


GROUPS = {"workbench": workbench_group}
FIGURES = {"workbench_s": "workbench"}
