"""More of the window's questions to a server wait off the GUI thread: a locked table never freezes it."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog
from sqlalchemy import text

from kejiju_desktop import fields
from kejiju_desktop.services import records
from kejiju_desktop.services import settings as settings_service
from tests.ui.helpers import type_into
from tests.ui.test_server_waits import (  # noqa: F401 - open_tab is a fixture
    LOCK_HELD_S,
    TICK_MS,
    _locked,
    _release_later,
    _timer_ticks,
    open_tab,
)
from ui import messages, tasks
from ui.qualification_panel import QualificationPanel

QUALIFICATIONS = fields.entity("qualifications")
CATEGORY = QUALIFICATIONS.field("category").choices[0]


def _unit(store, name: str) -> int:
    with store.writer() as session:
        saved = records.save_record(session, fields.ENTERPRISES, {"name": name}, confirm_warnings=True)
        return saved.id


def _while_locked(cluster, store, table: str, act, answered, qtbot) -> int:
    """`act()` with `table` locked by another connection for LOCK_HELD_S; once released, wait until
    `answered()`. The ticks a QTimer made while the lock was held (none had the GUI thread waited)."""
    other = _locked(cluster, store.url.database, table)
    timer, ticks = _timer_ticks()
    seen: list[int] = []
    releaser = _release_later(other, ticks, seen)
    try:
        act()
        qtbot.waitUntil(answered, timeout=10_000)
    finally:
        releaser.join()
        other.close()
        timer.stop()
    return seen[0]


def _turned(ticks: int) -> bool:
    return ticks >= LOCK_HELD_S * 1000 / TICK_MS / 3


def test_the_unit_picker_suggests_and_resolves_while_the_units_are_locked(
    pg_store, pg_cluster, qtbot, open_tab
):
    unit_id = _unit(pg_store, "甲液压有限公司")
    tab = open_tab(pg_store, "patents")
    tab.new_record()
    picker = tab.form.editors["unit_id"]
    qtbot.waitUntil(lambda: not tab.model.reading)

    def typed() -> None:
        type_into(qtbot, tab.form, "unit_id", "甲液压有限公司")
        assert picker.unit_id is None  # the answer is still on its way

    ticks = _while_locked(
        pg_cluster, pg_store, "enterprises", typed, lambda: picker.unit_id is not None, qtbot
    )
    assert _turned(ticks)
    assert picker.unit_id == unit_id and not picker.unresolved
    assert picker._names.stringList() == ["甲液压有限公司"]


def test_a_stored_unit_is_named_once_the_locked_units_are_released(pg_store, pg_cluster, qtbot, open_tab):
    unit_id = _unit(pg_store, "乙公司")
    tab = open_tab(pg_store, "patents")
    tab.new_record()
    picker = tab.form.editors["unit_id"]
    ticks = _while_locked(
        pg_cluster,
        pg_store,
        "enterprises",
        lambda: picker.set_value(unit_id),
        lambda: picker.widget.text() != "",
        qtbot,
    )
    assert _turned(ticks) and picker.widget.text() == "乙公司" and picker.raw() == unit_id


def test_the_choice_list_is_read_and_written_while_the_settings_are_locked(
    pg_store, pg_cluster, qtbot, open_tab, monkeypatch
):
    tab = open_tab(pg_store, "projects")
    tab.new_record()
    combo = tab.form.editors["plan_category"].widget
    spec = fields.PROJECTS.field("plan_category")
    shown: list[str] = []

    def edited(_parent, _title, _hint, current):
        shown.append(current)
        return current + "\n乡村振兴科技专项", True

    monkeypatch.setattr(QInputDialog, "getMultiLineText", staticmethod(edited))
    ticks = _while_locked(
        pg_cluster,
        pg_store,
        "settings",
        lambda: tab.form.edit_choice_list(spec),
        lambda: combo.findText("乡村振兴科技专项") > 0,
        qtbot,
    )
    assert _turned(ticks) and shown and shown[0].splitlines() == list(spec.choices)
    with pg_store.sessions() as session:
        assert "乡村振兴科技专项" in settings_service.get_choice_list(session, spec.choice_list, ())


def test_a_qualification_is_deleted_while_the_table_is_locked(pg_store, pg_cluster, qtbot, boxes):
    unit_id = _unit(pg_store, "丙公司")
    with pg_store.writer() as session:
        raw = {"unit_id": unit_id, "category": CATEGORY, "year": "2025"}
        records.save_record(session, QUALIFICATIONS, raw, confirm_warnings=True)
    panel = QualificationPanel(fields.ENTERPRISES.children[0])
    qtbot.addWidget(panel)
    panel.set_data_file(pg_store)
    panel.show_parent(unit_id)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1 and panel.unit_name == "丙公司")
    panel.table.selectRow(0)

    def deleted() -> bool:
        with pg_store.sessions() as session:
            return session.execute(text("SELECT deleted_at FROM qualifications")).scalar_one() is not None

    ticks = _while_locked(
        pg_cluster,
        pg_store,
        "qualifications",
        panel.delete_current,
        lambda: panel.model.rowCount() == 0,
        qtbot,
    )
    tasks.store_pool().waitForDone()
    assert (
        _turned(ticks)
        and deleted()
        and boxes.shown == [messages.DELETE_TEXT.format(label=QUALIFICATIONS.label, name=CATEGORY)]
    )
