"""Main window figures: start-up against a bare Qt table, sort, search and memory of the patents tab."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STARTS = 5  # start-ups of each kind, alternating; the median counts (other work on the machine adds noise)
SORTS = 6
COMMON_WORD, TWO_CHARACTER_WORD = "传感器", "液压"

# Both child processes print READY at the first paint of their table (one definition, pasted into each).
FIRST_PAINT = """
class FirstPaint(QObject):
    painted = False

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            print("READY", flush=True)
        return False
"""

WINDOW_CHILD = """
import sys
sys.path.insert(0, {root!r})
from PySide6.QtCore import QEvent, QObject
from ui.app import start_window

{first_paint}

app, window, _args = start_window(["--db", {path!r}, "--tab", "patents"])
table = window.current_tab().table
assert table.model().rowCount() > 0
first_paint = FirstPaint()
table.viewport().installEventFilter(first_paint)
while not first_paint.painted:
    app.processEvents()
window.close()
"""

BARE_CHILD = """
import sys
sys.path.insert(0, {root!r})
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QTableView

{first_paint}

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from db.models import Patent
app = QApplication([])
engine = create_engine("sqlite:///" + {path!r})
columns = ("app_no", "title", "patent_type", "applicant", "applicant_type", "filed_on", "granted_on",
           "legal_status", "inventors")
with Session(engine) as session:
    stmt = select(Patent).where(Patent.deleted_at.is_(None)).order_by(Patent.filed_on.desc()).limit(200)
    rows = session.scalars(stmt).all()
    model = QStandardItemModel(len(rows), len(columns))
    for r, patent in enumerate(rows):
        for c, key in enumerate(columns):
            value = getattr(patent, key)
            model.setItem(r, c, QStandardItem("" if value is None else str(value)))
view = QTableView()
view.setModel(model)
view.resize(1280, 800)
view.show()
first_paint = FirstPaint()
view.viewport().installEventFilter(first_paint)
while not first_paint.painted:
    app.processEvents()
"""


def _env(home: Path) -> dict:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", KEJIJU_HOME=str(home))


def _time_child(code: str, home: Path) -> float:
    """Seconds from starting a Python process until it prints READY."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code], env=_env(home), stdout=subprocess.PIPE, text=True)
    line = child.stdout.readline()
    elapsed = time.perf_counter() - start
    child.wait(timeout=120)
    if line.strip() != "READY":
        raise RuntimeError(f"child process failed ({child.returncode})")
    return elapsed


def _prepare(path: Path) -> None:
    """Index the words and gather statistics once (the synthetic file is written around the queue)."""
    from db.database import open_data_file
    from kejiju_desktop.services import records

    data = open_data_file(path, take_lock=False)
    try:
        with data.sessions.begin() as session:
            records.prepare_search(session)
    finally:
        data.close()


def _startup(path: Path, home: Path) -> dict:
    window, bare = [], []
    for _ in range(STARTS):
        window.append(
            _time_child(WINDOW_CHILD.format(root=str(ROOT), path=str(path), first_paint=FIRST_PAINT), home)
        )
        bare.append(
            _time_child(BARE_CHILD.format(root=str(ROOT), path=str(path), first_paint=FIRST_PAINT), home)
        )
    shown, floor = statistics.median(window), statistics.median(bare)
    return {
        "window_shown_s": (shown, "s"),
        "bare_window_s": (floor, "s"),
        "window_vs_bare_ratio": (shown / floor, ""),
    }


def _rss_mb() -> float:
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, AttributeError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _settle(app, tab) -> None:
    deadline = time.monotonic() + 30
    while tab.model.matching_count is None and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)
    app.processEvents()


def _shown_ms(app, action) -> float:
    """Milliseconds from an action of the clerk until the table has painted its rows."""
    start = time.perf_counter()
    action()
    app.processEvents()
    return (time.perf_counter() - start) * 1000


def _in_window(path: Path, home: Path) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["KEJIJU_HOME"] = str(home)
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    window = MainWindow(screenshot=True)
    window.resize(1280, 800)
    window.select_tab("projects")  # the first editor tab, as before the 工作台 came first
    window.show()
    try:
        window.open_file(path)
        _settle(app, window.current_tab())
        before = _rss_mb()
        window.select_tab("patents")
        tab = window.current_tab()
        _settle(app, tab)
        tab.table.scrollToBottom()
        app.processEvents()
        tab.table.scrollToTop()
        app.processEvents()
        memory = _rss_mb() - before
        return {"patents_tab_mem_mb": (memory, "MB"), **_sort_and_search(app, tab, Qt)}
    finally:
        window.close()


def _sort_and_search(app, tab, Qt) -> dict:
    import synthetic

    column = [spec.key for spec in tab.model.columns].index("filed_on")
    sorts = []
    for i in range(SORTS):
        order = Qt.SortOrder.AscendingOrder if i % 2 == 0 else Qt.SortOrder.DescendingOrder
        sorts.append(_shown_ms(app, lambda o=order: tab.table.sortByColumn(column, o)))
        _settle(app, tab)
    searches, counts = [], []
    for word in (COMMON_WORD, synthetic.RARE_WORD, TWO_CHARACTER_WORD):
        tab.search.setText(word)
        start = time.perf_counter()
        searches.append(_shown_ms(app, tab.search.returnPressed.emit))
        _settle(app, tab)
        counts.append((time.perf_counter() - start) * 1000)  # until the status bar can say how many
        tab.search.setText("")
        tab.apply_filters()
        _settle(app, tab)
    return {
        "patents_sort_ms": (statistics.median(sorts), "ms"),
        "patents_search_ms": (statistics.median(searches), "ms"),
        "patents_search_count_ms": (statistics.median(counts), "ms"),
    }


def window_group(ctx) -> dict[str, tuple[float, str]]:
    path = ctx.data_file()
    _prepare(path)
    home = ctx.tmp / "window-home"
    home.mkdir(exist_ok=True)
    return {**_startup(path, home), **_in_window(path, home)}


GROUPS = {"window": window_group}
FIGURES = {
    name: "window"
    for name in (
        "window_shown_s",
        "bare_window_s",
        "window_vs_bare_ratio",
        "patents_sort_ms",
        "patents_search_ms",
        "patents_search_count_ms",
        "patents_tab_mem_mb",
    )
}
