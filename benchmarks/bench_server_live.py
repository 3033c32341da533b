"""Live updates on a server: a record saved by one client until a second client's open tab shows it."""

from __future__ import annotations

import os
import secrets
import shutil
import statistics
import tempfile
import time
from pathlib import Path

RUNS = 15
RECORDS = 5_000  # enterprises already in the tab (one page is read; the new rows sort first)
SEEN_TIMEOUT_S = 10
DATABASE = "kejiju_bench"


def _cluster(folder: Path):
    """A throw-away cluster (as the tests' fixture starts one); returns (cluster, data folder)."""
    from tests.fixtures.postgres import Cluster, _give_to_server_account, _init, _start, server_binaries

    bindir = server_binaries()
    if bindir is None:
        raise RuntimeError("PostgreSQL's server binaries are not installed")
    _give_to_server_account(folder)
    password = secrets.token_hex(16)
    data = _init(bindir, folder, password)
    return Cluster(_start(bindir, folder, data), password, bindir), data


def _seed(cluster) -> str:
    from db.models import Enterprise
    from db.server import create_schema, open_server

    with cluster.connect() as conn:
        conn.execute(f"CREATE DATABASE {DATABASE} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'")
    url = cluster.url(DATABASE)
    store = open_server(url)
    try:
        create_schema(store.engine)
        with store.writer() as session:
            session.add_all(
                Enterprise(name=f"企业{number:05d}", name_sort=f"qi ye {number:05d}")
                for number in range(RECORDS)
            )
    finally:
        store.close()
    return url


def _wait(app, until) -> None:
    deadline = time.monotonic() + SEEN_TIMEOUT_S
    while not until():
        if time.monotonic() > deadline:
            raise RuntimeError("the other client's save was not shown within 10 s")
        app.processEvents()
        time.sleep(0.002)


def _shown(tab, name: str) -> bool:
    return any(tab.model.value(row, "name") == name for row in range(min(tab.model.rowCount(), 50)))


def _seen_ms(url: str) -> list[float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from db.server import open_server
    from kejiju_desktop import fields
    from kejiju_desktop.services import records
    from ui.dialogs.server_dialog import login_of
    from ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    window = MainWindow(screenshot=True)
    window.show()
    other = open_server(url)
    try:
        window.open_server_login(login_of(url))
        _wait(app, lambda: window.data_file is not None)
        window.select_tab("enterprises")
        tab = window.current_tab()
        _wait(app, lambda: tab.model.matching_count is not None)
        times = []
        for run in range(RUNS):
            name = f"阿{run:03d}"  # sorts before every 企业…: on the first page of the tab
            started = time.perf_counter()
            with other.writer() as session:
                records.save_record(
                    session, fields.entity("enterprises"), {"name": name}, confirm_warnings=True
                )
            _wait(app, lambda name=name: _shown(tab, name))
            times.append((time.perf_counter() - started) * 1000)
            _wait(app, lambda: tab.model.matching_count is not None)  # its count, before the next save
        return times
    finally:
        window.close()
        other.close()


def server_live_group(ctx) -> dict[str, tuple[float, str]]:
    from tests.fixtures.postgres import _run

    folder = Path(tempfile.mkdtemp(prefix="kejiju-bench-pg-"))
    os.environ["KEJIJU_HOME"] = str(ctx.tmp / "server-live-home")
    cluster, data = _cluster(folder)
    try:
        os.environ["PGPASSWORD"] = cluster.password
        times = _seen_ms(_seed(cluster))
    finally:
        _run([str(cluster.bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"])
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "server_save_seen_ms": (statistics.median(times), "ms"),
        "server_save_seen_max_ms": (max(times), "ms"),
    }


GROUPS = {"server_live": server_live_group}
FIGURES = {name: "server_live" for name in ("server_save_seen_ms", "server_save_seen_max_ms")}
