"""Clerks saving at once on a server, in processes of their own: every save is written or refused as a
conflict, none lost, none overwriting another silently (benchmarks/bench_concurrent.py, at a small scale)."""

import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def test_three_clients_saving_twenty_times_at_once_lose_nothing_and_overwrite_nothing(
    pg_cluster, pg_store, monkeypatch
):
    monkeypatch.syspath_prepend(str(BENCHMARKS))  # the clients' processes import it by name too
    sys.modules.pop("bench_concurrent", None)
    import bench_concurrent

    given = pg_cluster.url(pg_store.url.database)
    outcome = bench_concurrent.run_editors(given, clients=3, saves=20, pause_s=0.02, shared=2)
    assert outcome.attempts == 60
    assert (outcome.lost, outcome.silent) == (0, 0)
    assert outcome.saved + outcome.conflicts + outcome.busy == 60
    assert outcome.saved > 0 and outcome.conflicts > 0  # the records did overlap
