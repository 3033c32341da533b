"""A server that keeps the tab waiting (a table locked, the server stopped) never freezes the window."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from sqlalchemy import text

from db import messages as db_messages
from db.server import SCHEMA, create_schema, make_server_engine, open_server, server_url
from db.server_search import words_table
from kejiju_desktop import fields
from kejiju_desktop.services import records
from tests.fixtures.postgres import _run, _start_on, require_server, server_binaries, throwaway_cluster
from tests.ui.helpers import column_values, type_into
from ui import messages, tasks
from ui.entity_tab import EntityTab

LOCK_HELD_S = 1.5  # how long another connection keeps the table locked
TICK_MS = 20
PATENT = {"title": "一种液压装置", "patent_type": fields.PATENT_INVENTION, "applicant": "甲公司"}


def _patent(store, title: str) -> None:
    with store.writer() as session:
        raw = {**PATENT, "title": title, "filed_on": "2026-03-01"}
        records.save_record(session, fields.entity("patents"), raw, confirm_warnings=True)


@pytest.fixture
def open_tab(qtbot):
    """Tabs on a store, closed with their questions answered before the store goes (list it last)."""
    made: list[EntityTab] = []

    def open_on(store, table: str) -> EntityTab:
        tab = EntityTab(fields.entity(table))
        qtbot.addWidget(tab)
        tab.set_data_file(store)
        qtbot.waitUntil(lambda: not tab.model.reading and tab.model.matching_count is not None)
        made.append(tab)
        return tab

    yield open_on
    for tab in made:
        tab.form._timer.stop()
        tab.close()
    tasks.store_pool().waitForDone()


def _locked(cluster, database: str, table: str):
    """Another clerk's connection holding `table` in ACCESS EXCLUSIVE mode (released by rollback())."""
    other = cluster.connect(database)
    other.autocommit = False
    other.execute(f"LOCK TABLE {SCHEMA}.{table} IN ACCESS EXCLUSIVE MODE")
    return other


def _release_later(other, ticks: list, seen: list) -> threading.Timer:
    """After LOCK_HELD_S, note how many ticks the GUI thread made meanwhile and release the lock."""

    def release() -> None:
        seen.append(len(ticks))
        other.rollback()

    releaser = threading.Timer(LOCK_HELD_S, release)
    releaser.start()
    return releaser


def _timer_ticks() -> tuple[QTimer, list]:
    ticks: list = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(TICK_MS)
    return timer, ticks


def test_a_locked_table_keeps_the_page_read_waiting_and_the_window_turning(
    pg_store, pg_cluster, qtbot, open_tab
):
    _patent(pg_store, "一种液压装置")
    _patent(pg_store, "传感器")
    tab = open_tab(pg_store, "patents")
    other = _locked(pg_cluster, pg_store.url.database, "patents")
    timer, ticks = _timer_ticks()
    seen: list[int] = []
    releaser = _release_later(other, ticks, seen)
    try:
        tab.search.setText("液压")
        tab.apply_filters()
        assert tab.model.reading and tab.busy_label.text() == messages.TAB_BUSY
        qtbot.waitUntil(lambda: not tab.model.reading, timeout=10_000)
    finally:
        releaser.join()
        other.close()
    timer.stop()
    # Had the read waited on the GUI thread, not one tick would have come while the lock was held.
    assert seen[0] >= LOCK_HELD_S * 1000 / TICK_MS / 3
    assert column_values(tab, "title") == ["一种液压装置"]
    assert not tab.busy_label.isVisible()


def test_a_locked_table_keeps_the_save_waiting_and_the_window_turning(pg_store, pg_cluster, qtbot, open_tab):
    tab = open_tab(pg_store, "enterprises")
    tab.new_record()
    type_into(qtbot, tab.form, "name", "等待有限公司")
    other = _locked(pg_cluster, pg_store.url.database, "enterprises")
    timer, ticks = _timer_ticks()
    seen: list[int] = []
    releaser = _release_later(other, ticks, seen)
    try:
        assert not tab.form.save()  # from a server the answer comes later
        assert tab.form.saving and not tab.form.save_button.isEnabled()
        assert tab.busy_label.text() == messages.FORM_SAVING
        assert not tab.form.save()  # no second save while the first is out
        with qtbot.waitSignal(tab.form.saved, timeout=10_000):
            pass
    finally:
        releaser.join()
        other.close()
    timer.stop()
    assert seen[0] >= LOCK_HELD_S * 1000 / TICK_MS / 3
    with pg_store.sessions() as session:
        names = session.execute(text("SELECT name FROM enterprises")).scalars().all()
    assert names == ["等待有限公司"] and not tab.form.saving


@pytest.fixture
def lone_server(monkeypatch):
    """A cluster of this test's own (it is stopped and started again) with a migrated database."""
    with throwaway_cluster(require_server(server_binaries())) as cluster:
        name = f"kj_{uuid.uuid4().hex[:12]}"
        with cluster.connect() as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'")
            data = Path(conn.execute("SHOW data_directory").fetchone()[0])
        engine = make_server_engine(server_url(cluster.url(name), cluster.password))
        create_schema(engine)
        engine.dispose()
        monkeypatch.setenv("PGPASSWORD", cluster.password)
        store = open_server(cluster.url(name))
        yield cluster, store, data
        store.close()


def _stop(cluster, data: Path) -> None:
    _run([str(cluster.bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"])


def _waiting_on_a_lock(cluster, database: str) -> bool:
    with cluster.connect(database) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
            [database],
        ).fetchone()
    return row[0] > 0


def _stored(store) -> tuple[list, int]:
    with store.sessions() as session:
        uids = session.execute(text("SELECT uid FROM enterprises")).scalars().all()
        lines = session.execute(text("SELECT count(*) FROM change_log")).scalar_one()
    return uids, lines


def test_the_server_stopped_mid_save_writes_nothing_keeps_the_form_and_a_second_save_succeeds(
    lone_server, qtbot, boxes, open_tab
):
    cluster, store, data = lone_server
    tab = open_tab(store, "enterprises")
    tab.new_record()
    typed = {"name": "断线有限公司", "address": "北大街1号"}
    for key, value in typed.items():
        type_into(qtbot, tab.form, key, value)
    uid = tab.form.uid
    # The record's row is written, then its change-log line waits: the server stops between the two.
    other = _locked(cluster, store.url.database, "change_log")
    tab.form.save()
    qtbot.waitUntil(lambda: _waiting_on_a_lock(cluster, store.url.database), timeout=10_000)
    _stop(cluster, data)
    qtbot.waitUntil(lambda: not tab.form.saving, timeout=10_000)
    other.close()
    assert boxes.shown == [db_messages.SERVER_CONNECTION_LOST.format(name=store.display_name)]
    assert {key: tab.form.editors[key].raw() for key in typed} == typed and tab.form.is_dirty()
    assert tab.form.uid == uid and tab.form.record_id is None
    _start_on(cluster.bindir, data.parent, data, cluster.port)
    assert _stored(store) == ([], 0)  # nothing half-written
    assert tab.form.save_button.isEnabled()
    with qtbot.waitSignal(tab.form.saved, timeout=10_000):
        tab.form.save()
    assert _stored(store) == ([uid], 1)
    assert tab.form.record_id is not None and not tab.form.is_dirty()


def test_a_page_that_arrives_after_the_clerk_asked_for_another_is_dropped(
    pg_store, pg_cluster, qtbot, open_tab
):
    _patent(pg_store, "一种液压装置")
    _patent(pg_store, "传感器")
    tab = open_tab(pg_store, "patents")
    # The word index alone is locked: the search waits, the list without a search comes at once.
    other = _locked(pg_cluster, pg_store.url.database, words_table("patents"))
    try:
        tab.search.setText("液压")
        tab.apply_filters()
        tab.clear_filters()
        qtbot.waitUntil(lambda: not tab.model.reading, timeout=10_000)
        other.rollback()
        qtbot.waitUntil(lambda: not _waiting_on_a_lock(pg_cluster, pg_store.url.database))
        tasks.store_pool().waitForDone()
        qtbot.wait(100)  # the search's answer, for a list no longer asked for, has reached the GUI thread
    finally:
        other.close()
    assert sorted(column_values(tab, "title")) == ["一种液压装置", "传感器"] and tab.query().search == ""
