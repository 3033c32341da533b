"""Concurrent editors on a server: clients in processes of their own, each with its own engine, saving records
of one table at once through the services, some records saved by all of them; every save is written or
refused as a conflict (optimistic concurrency), none lost or overwritten silently, as read back after."""

from __future__ import annotations

import multiprocessing
import os
import random
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass

CLIENTS, SAVES = 10, 200
SHARED = 20  # records every client saves now and then: the overlaps
OWN = 20  # records each client alone saves
START_TIMEOUT_S = 120  # for every client to have started (imports, a connection)
SAVED, CONFLICT, BUSY = "saved", "conflict", "busy"


@dataclass(frozen=True)
class Attempt:
    """One save of one client: the record, the version its values were edited from, the name written."""

    outcome: str  # SAVED, CONFLICT (RecordChangedError) or BUSY (the write lock not had within its wait)
    record_id: int
    seen_version: int
    name: str


@dataclass(frozen=True)
class Outcome:
    """What the clients did and what the table holds after: `lost` saves answered as written that the
    table does not hold, `silent` ones that overwrote another save without a conflict."""

    attempts: int
    saved: int
    conflicts: int
    busy: int
    lost: int
    silent: int
    seconds: float


def seed(given: str, clients: int, shared: int = SHARED) -> tuple[list[int], list[list[int]]]:
    """The records of the run, made through the services: (`shared` ids, each client's own ids)."""
    from db.server import open_server
    from kejiju_desktop import fields
    from kejiju_desktop.services import records

    store = open_server(given)
    try:
        with store.writer() as session:
            made = [
                records.save_record(
                    session, fields.ENTERPRISES, {"name": f"并发{number:04d}有限公司"}, confirm_warnings=True
                ).id
                for number in range(shared + OWN * clients)
            ]
    finally:
        store.close()
    return made[:shared], [
        made[shared + OWN * client : shared + OWN * (client + 1)] for client in range(clients)
    ]


def _save_once(store, number: int, save: int, record_id: int, pause_s: float) -> Attempt:
    """Read the record as a form opens it, edit for `pause_s`, save from the version read."""
    from db.database import FileBusyError
    from db.models import Enterprise
    from kejiju_desktop import fields
    from kejiju_desktop.services import records

    with store.sessions() as session:
        seen = session.get(Enterprise, record_id).version
    time.sleep(pause_s)
    name = f"并发客户{number:02d}第{save:04d}次有限公司"
    try:
        with store.writer() as session:
            raw = {"name": name}
            records.save_record(
                session, fields.ENTERPRISES, raw, record_id=record_id, operator=f"录入员{number}",
                seen_version=seen, confirm_warnings=True,
            )  # fmt: skip
    except records.RecordChangedError:
        return Attempt(CONFLICT, record_id, seen, name)
    except FileBusyError:
        return Attempt(BUSY, record_id, seen, name)
    return Attempt(SAVED, record_id, seen, name)


def _client(given: str, number: int, ids: tuple, saves: int, pause_s: float, start, results) -> None:
    """One clerk's program: wait for the others, then save, every other time a shared record."""
    from db.server import open_server

    shared, own = ids
    chooser = random.Random(number)
    store = open_server(given)
    try:
        with store.sessions() as session:
            session.connection()  # connected before the start, as a clerk's open program is
        start.wait(START_TIMEOUT_S)
        attempts = [
            _save_once(store, number, save, chooser.choice(shared if save % 2 else own), pause_s)
            for save in range(saves)
        ]
    finally:
        store.close()
    results.put(attempts)


def run_editors(given: str, clients: int, saves: int, pause_s: float = 0.0, shared: int = SHARED) -> Outcome:
    """`clients` processes each saving `saves` times at once on the server `given` (PGPASSWORD set), every
    other save on one of `shared` records all of them save; `pause_s` between reading and saving."""
    shared_ids, own = seed(given, clients, shared)
    context = multiprocessing.get_context("spawn")  # no engine or connection of this process is inherited
    start, results = context.Barrier(clients + 1), context.Queue()
    processes = [
        context.Process(
            target=_client, args=(given, number, (shared_ids, own[number]), saves, pause_s, start, results)
        )
        for number in range(clients)
    ]
    for process in processes:
        process.start()
    start.wait(START_TIMEOUT_S)
    began = time.perf_counter()
    attempts = [attempt for _ in processes for attempt in results.get(timeout=START_TIMEOUT_S * 5)]
    seconds = time.perf_counter() - began
    for process in processes:
        process.join()
    return _outcome(given, attempts, seconds)


def _outcome(given: str, attempts: list[Attempt], seconds: float) -> Outcome:
    counts = Counter(attempt.outcome for attempt in attempts)
    lost, silent = _read_back(given, [attempt for attempt in attempts if attempt.outcome == SAVED])
    return Outcome(len(attempts), counts[SAVED], counts[CONFLICT], counts[BUSY], lost, silent, seconds)


def _read_back(given: str, saved: list[Attempt]) -> tuple[int, int]:
    """(lost, silent) from the table and its history. Each record's saves answered as written must have
    been made from distinct versions (two from one version: one overwrote the other silently), those
    versions must be every one before the stored one, the stored name the last save's, and the history
    must hold one update per save."""
    from sqlalchemy import func, select

    from db.models import ChangeLog, Enterprise
    from db.server import open_server

    per_record: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in saved:
        per_record[attempt.record_id].append(attempt)
    lost = silent = 0
    store = open_server(given)
    try:
        with store.sessions() as session:
            for record_id, writes in per_record.items():
                record = session.get(Enterprise, record_id)
                seen = {attempt.seen_version for attempt in writes}
                logged = session.scalar(
                    select(func.count()).where(ChangeLog.uid == record.uid, ChangeLog.action == "update")
                )
                silent += len(writes) - len(seen)
                lost += len(seen ^ set(range(1, record.version))) + abs(logged - len(writes))
                lost += max(writes, key=lambda attempt: attempt.seen_version).name != record.name
    finally:
        store.close()
    return lost, silent


def concurrent_group(ctx) -> dict[str, tuple[float, str]]:
    """concurrent_editors: saves answered per second (written or refused as a conflict), 10 clients x 200."""
    if ctx.engine != "postgresql":
        return {}  # needs the server: run.py --engine postgresql
    from db.server import create_schema, open_server
    from tests.fixtures.postgres import server_binaries, throwaway_cluster

    with throwaway_cluster(server_binaries()) as cluster:
        os.environ["PGPASSWORD"] = cluster.password
        name = f"kj_editors_{uuid.uuid4().hex[:8]}"
        with cluster.connect() as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'")
        store = open_server(cluster.url(name))
        try:
            create_schema(store.engine)
        finally:
            store.close()
        outcome = run_editors(cluster.url(name), CLIENTS, SAVES)
    return {
        "concurrent_editors": (outcome.attempts / outcome.seconds, "saves/s"),
        "concurrent_editors_lost": (outcome.lost, ""),
        "concurrent_editors_silent": (outcome.silent, ""),
        "concurrent_editors_conflicts": (outcome.conflicts, ""),
        "concurrent_editors_busy": (outcome.busy, ""),
    }


GROUPS = {"concurrent": concurrent_group}
FIGURES = {
    name: "concurrent"
    for name in (
        "concurrent_editors",
        "concurrent_editors_lost",
        "concurrent_editors_silent",
        "concurrent_editors_conflicts",
        "concurrent_editors_busy",
    )
}
