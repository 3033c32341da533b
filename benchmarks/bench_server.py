"""Server figure (run.py --engine postgresql, on a throw-away cluster of its own): a county-scale data file
moved into an empty server by `merge --db postgresql://… FILE`."""

from __future__ import annotations

import contextlib
import io
import os
import time
import uuid

from db.server import create_schema, make_server_engine, server_url
from kejiju_desktop import cli
from tests.fixtures.postgres import server_binaries, throwaway_cluster


def server_group(ctx) -> dict[str, tuple[float, str]]:
    """file_to_server_s: the whole county file into a new, migrated, empty database (preview included)."""
    if ctx.engine != "postgresql":
        return {}  # needs the server: run.py --engine postgresql
    county = ctx.county_file()
    with throwaway_cluster(server_binaries()) as cluster:
        os.environ["PGPASSWORD"] = cluster.password
        name = f"kj_bench_{uuid.uuid4().hex[:8]}"
        with cluster.connect() as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'")
        engine = make_server_engine(server_url(cluster.url(name)))
        try:
            create_schema(engine)
        finally:
            engine.dispose()
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            code = cli.main(["merge", "--db", cluster.url(name), str(county)])
        elapsed = time.perf_counter() - start
    if code != 0:
        raise RuntimeError(f"merge into the server failed with exit code {code}")
    return {"file_to_server_s": (elapsed, "s")}


GROUPS = {"server": server_group}
FIGURES = {"file_to_server_s": "server"}
