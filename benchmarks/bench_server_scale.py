"""Server figures at stress scale (500,000 patents, over loopback): the patents tab's sorted first page and a
word search's first page and count, each beside the same service calls on the file in the same run."""

from __future__ import annotations

import os
import statistics
import time
import uuid

from bench_window import COMMON_WORD, SORTS, TWO_CHARACTER_WORD

WARM_UP_WORD = "阀门"  # the first search of a store also compiles its statements: not what a clerk waits for
FIGURES_MEASURED = ("sort", "search", "search_count")


def _timed_ms(action) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def _first_page(store, query) -> None:
    """What the patents tab reads when shown or re-sorted: its first block of rows."""
    from kejiju_desktop import fields
    from kejiju_desktop.services import records
    from ui.table_model import PAGE

    with store.sessions.begin() as session:
        records.list_page(session, fields.PATENTS, query, 0, PAGE)


def _counted(store, query) -> None:
    """The counts the tab gathers after its first page (matching rows, rows in the tab)."""
    from kejiju_desktop import fields
    from ui.table_model import _count

    _count(store, fields.PATENTS, query)


def _figures(store) -> dict[str, float]:
    """Median milliseconds of each operation on `store` (a data file or a server)."""
    import synthetic

    from kejiju_desktop.services.records import Query

    _first_page(store, Query(search=WARM_UP_WORD))
    _counted(store, Query(search=WARM_UP_WORD))
    sorts = [
        _timed_ms(lambda i=i: _first_page(store, Query(sort="filed_on", descending=i % 2 == 1)))
        for i in range(SORTS)
    ]
    searches, counts = [], []
    for word in (COMMON_WORD, synthetic.RARE_WORD, TWO_CHARACTER_WORD):
        searches.append(_timed_ms(lambda word=word: _first_page(store, Query(search=word))))
        counts.append(searches[-1] + _timed_ms(lambda word=word: _counted(store, Query(search=word))))
    return {"sort": statistics.median(sorts), "search": statistics.median(searches),
            "search_count": statistics.median(counts)}  # fmt: skip


def _seeded_server(cluster, path) -> tuple[object, float]:
    """A new database on `cluster` holding the whole file at `path`; returns its store and the seconds the
    copy took (the program's own file→server move, then the planner's statistics)."""
    from sqlalchemy import create_engine

    from db.engine import make_engine
    from db.server import create_schema, open_server
    from db.server_transfer import move_into

    name = f"kj_scale_{uuid.uuid4().hex[:8]}"
    with cluster.connect() as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'")
    store = open_server(cluster.url(name))
    create_schema(store.engine)
    source_engine = make_engine(path, read_only=True)
    start = time.perf_counter()
    try:
        with source_engine.connect() as source:
            move_into(store, source)
    finally:
        source_engine.dispose()
    analyzing = create_engine(store.url, isolation_level="AUTOCOMMIT")
    with analyzing.connect() as conn:
        conn.exec_driver_sql("VACUUM (ANALYZE)")
    analyzing.dispose()
    return store, time.perf_counter() - start


def server_scale_group(ctx) -> dict[str, tuple[float, str]]:
    """server_patents_*_ms on a server seeded from the stress file, beside file_patents_*_ms and the ratio."""
    if ctx.engine != "postgresql":
        return {}  # needs the server: run.py --engine postgresql
    from db.database import open_data_file
    from tests.fixtures.postgres import server_binaries, throwaway_cluster

    path = ctx.stress_file()
    data = open_data_file(path, read_only=True)
    try:
        on_file = _figures(data)
    finally:
        data.close()
    with throwaway_cluster(server_binaries()) as cluster:
        os.environ["PGPASSWORD"] = cluster.password
        store, seed_s = _seeded_server(cluster, path)
        try:
            on_server = _figures(store)
        finally:
            store.close()
    results = {"server_patents_seed_s": (seed_s, "s")}
    for name in FIGURES_MEASURED:
        results[f"server_patents_{name}_ms"] = (on_server[name], "ms")
        results[f"file_patents_{name}_ms"] = (on_file[name], "ms")
        results[f"server_patents_{name}_ratio"] = (on_server[name] / on_file[name], "")
    return results


GROUPS = {"server_scale": server_scale_group}
FIGURES = {
    "server_patents_seed_s": "server_scale",
    **{
        f"{side}_patents_{name}_{unit}": "server_scale"
        for name in FIGURES_MEASURED
        for side, unit in (("server", "ms"), ("file", "ms"), ("server", "ratio"))
    },
}
