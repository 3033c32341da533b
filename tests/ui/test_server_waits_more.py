"""More of the window's questions to a server wait off the GUI thread: a locked table never freezes it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QInputDialog
from sqlalchemy import text

from db import messages as db_messages
from db.server import SCHEMA
from db.server_accounts import ADMIN, EDITOR, VIEWER, set_kind
from db.server_search import QUEUE
from kejiju_desktop import fields
from kejiju_desktop import messages as core_messages
from kejiju_desktop.services import drafts, records
from kejiju_desktop.services import settings as settings_service
from kejiju_desktop.services import targets as targets_service
from tests.db.test_server_rights import PASSWORD, server  # noqa: F401 - server is a fixture
from tests.ui.helpers import type_into
from tests.ui.test_server_waits import (  # noqa: F401 - open_tab is a fixture
    LOCK_HELD_S,
    TICK_MS,
    _locked,
    _patent,
    _release_later,
    _timer_ticks,
    open_tab,
)
from tests.ui.test_server_window import _login, server_window  # noqa: F401 - server_window is a fixture
from ui import exchange_actions, file_dialogs, messages, tasks
from ui.dialogs.server_dialog import ServerLogin
from ui.dialogs.settings_dialog import SettingsDialog
from ui.dialogs.targets_dialog import TargetsDialog
from ui.qualification_panel import QualificationDialog, QualificationPanel
from ui.report_composer import ReportComposer
from ui.table_model import count_pool

QUALIFICATIONS = fields.entity("qualifications")
CATEGORY = QUALIFICATIONS.field("category").choices[0]


def _unit(store, name: str) -> int:
    with store.writer() as session:
        saved = records.save_record(session, fields.ENTERPRISES, {"name": name}, confirm_warnings=True)
        return saved.id


def _while_locked(cluster, store, table: str, act, answered, qtbot) -> int:
    """`act()` with `table` locked by another connection for LOCK_HELD_S; wait until it is released and
    `answered()`. The ticks a QTimer made while the lock was held (none had the GUI thread waited)."""
    other = _locked(cluster, store.url.database, table)
    timer, ticks = _timer_ticks()
    seen: list[int] = []
    releaser = _release_later(other, ticks, seen)
    try:
        act()
        qtbot.waitUntil(lambda: bool(seen) and answered(), timeout=10_000)
    finally:
        releaser.join()
        other.close()
        timer.stop()
    return seen[0]


def _turned(ticks: int) -> bool:
    return ticks >= LOCK_HELD_S * 1000 / TICK_MS / 3


def test_the_unit_picker_suggests_and_resolves_while_the_units_are_locked(
    pg_store,
    pg_cluster,
    qtbot,
    open_tab,  # noqa: F811 - the fixture
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


def test_a_stored_unit_is_named_once_the_locked_units_are_released(pg_store, pg_cluster, qtbot, open_tab):  # noqa: F811 - the fixture
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
    pg_store,
    pg_cluster,
    qtbot,
    open_tab,  # noqa: F811 - the fixture
    monkeypatch,
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


def test_the_settings_are_read_and_saved_while_the_settings_table_is_locked(pg_store, pg_cluster, qtbot):
    made: list[SettingsDialog] = []
    ticks = _while_locked(
        pg_cluster,
        pg_store,
        "settings",
        lambda: made.append(SettingsDialog(pg_store)),
        lambda: made[0].save_button.isEnabled(),
        qtbot,
    )
    dialog = made[0]
    qtbot.addWidget(dialog)
    assert _turned(ticks)
    dialog.editors[core_messages.SETTING_OPERATOR].setText("王五")

    def saved() -> bool:
        return dialog.result() == QDialog.DialogCode.Accepted

    ticks = _while_locked(pg_cluster, pg_store, "settings", dialog.save_button.click, saved, qtbot)
    assert _turned(ticks)
    with pg_store.sessions() as session:
        assert settings_service.operator(session) == "王五"


def _save_button(dialog: TargetsDialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Save)


def test_the_years_targets_are_read_while_the_targets_are_locked(pg_store, pg_cluster, qtbot):
    with pg_store.writer() as session:
        row = targets_service.TargetRow(None, fields.INPUT_INDICATORS[0], Decimal(3), None)
        targets_service.save_targets(session, 2025, [row], [])
    made: list[TargetsDialog] = []
    ticks = _while_locked(
        pg_cluster,
        pg_store,
        "targets",
        lambda: made.append(TargetsDialog(pg_store, 2025)),
        lambda: _save_button(made[0]).isEnabled(),
        qtbot,
    )
    qtbot.addWidget(made[0])
    assert _turned(ticks) and made[0].rows()[0].indicator == fields.INPUT_INDICATORS[0]


@pytest.fixture
def editor_store(server):  # noqa: F811 - the fixture
    """A 录入员's store, and the administrator's session to take the rights away."""
    store = server.store(EDITOR)
    yield server, store
    store.close()
    tasks.store_pool().waitForDone()


def _made_viewer(found) -> None:
    admin = found.store(ADMIN)
    try:
        with admin.sessions.begin() as session:
            set_kind(session, found.account(EDITOR), VIEWER)
    finally:
        admin.close()


def _rights_missing(found) -> str:
    return db_messages.SERVER_RIGHTS_MISSING.format(account=found.account(EDITOR))


def test_settings_refused_for_want_of_rights_say_so(editor_store, qtbot):
    found, store = editor_store
    dialog = SettingsDialog(store)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.save_button.isEnabled)
    _made_viewer(found)  # an administrator took the account's rights away meanwhile
    dialog.editors[core_messages.SETTING_OPERATOR].setText("王五")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.message.text() != "", timeout=10_000)
    assert dialog.message.text() == _rights_missing(found) and dialog.save_button.isEnabled()


def test_targets_refused_for_want_of_rights_say_so(editor_store, qtbot, boxes):
    found, store = editor_store
    dialog = TargetsDialog(store, 2025)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(_save_button(dialog).isEnabled)
    _made_viewer(found)
    dialog.add_button.click()
    _save_button(dialog).click()
    qtbot.waitUntil(lambda: bool(boxes.shown), timeout=10_000)
    assert boxes.shown == [_rights_missing(found)] and dialog.result() != QDialog.DialogCode.Accepted


def _renamed(cluster, store, table: str, to: str) -> None:
    with cluster.connect(store.url.database) as conn:
        conn.execute(f"ALTER TABLE {SCHEMA}.{table} RENAME TO {to}")


def test_a_count_that_fails_says_so_in_the_tabs_status(pg_store, pg_cluster, qtbot, open_tab):  # noqa: F811 - the fixture
    _patent(pg_store, "一种液压装置")
    tab = open_tab(pg_store, "patents")
    gone: list[int] = []

    def take_the_table_away() -> None:  # once the first page is shown, before it is counted
        if not gone:
            gone.append(1)
            _renamed(pg_cluster, pg_store, "patents", "patents_gone")

    tab.model.modelReset.connect(take_the_table_away)
    try:
        tab.model.reload()
        qtbot.waitUntil(lambda: tab.busy_label.text() == messages.READ_FAILED, timeout=10_000)
        assert not tab.busy_label.isHidden() and tab.model.rowCount() == 1
    finally:
        tasks.store_pool().waitForDone()
        count_pool().waitForDone()
        _renamed(pg_cluster, pg_store, "patents_gone", "patents")


def test_a_check_while_typing_that_fails_says_so_in_the_tabs_status(pg_store, pg_cluster, qtbot, open_tab):  # noqa: F811 - the fixture
    tab = open_tab(pg_store, "projects")
    tab.new_record()
    _renamed(pg_cluster, pg_store, "settings", "settings_gone")  # the choice lists the check reads
    try:
        type_into(qtbot, tab.form, "name", "乡村振兴示范")
        qtbot.waitUntil(lambda: tab.busy_label.text() == messages.READ_FAILED, timeout=10_000)
    finally:
        tasks.store_pool().waitForDone()
        _renamed(pg_cluster, pg_store, "settings_gone", "settings")
    type_into(qtbot, tab.form, "name", "乡村振兴示范区")
    qtbot.waitUntil(tab.busy_label.isHidden, timeout=10_000)  # a check that succeeds clears it


def test_the_search_index_is_brought_up_to_date_off_the_gui_thread_on_opening_a_server(
    pg_store,
    pg_cluster,
    qtbot,
    server_window,  # noqa: F811 - the fixture
):
    _patent(pg_store, "一种液压装置")
    opened: list[bool] = []

    def connect() -> None:
        server_window.open_server_login(_login(pg_store, pg_cluster))
        qtbot.waitUntil(lambda: server_window.data_file is not None, timeout=6000)
        opened.append(True)  # while the queue of the word index is still locked

    ticks = _while_locked(pg_cluster, pg_store, QUEUE, connect, lambda: bool(opened), qtbot)
    assert _turned(ticks)
    tasks.store_pool().waitForDone()
    with pg_store.sessions() as session:
        assert session.execute(text(f"SELECT count(*) FROM {QUEUE}")).scalar_one() == 0


@pytest.fixture
def composer(qtbot):
    """The 年度报告 pane alone; its counts (on the global pool) end before the database goes."""
    pane = ReportComposer()
    qtbot.addWidget(pane)
    yield pane
    QThreadPool.globalInstance().waitForDone()
    tasks.store_pool().waitForDone()


def test_the_report_draft_is_read_while_the_drafts_are_locked(pg_store, pg_cluster, qtbot, composer):
    ticks = _while_locked(
        pg_cluster,
        pg_store,
        "report_drafts",
        lambda: composer.set_data_file(pg_store),
        lambda: composer.section_list.count() > 0,
        qtbot,
    )
    assert _turned(ticks) and composer.text_edit.isEnabled()


def _clerk_text(store, year: int, key: str) -> str:
    with store.sessions() as session:
        return drafts.load_draft(session, year).section(key).clerk_text


def test_the_clerks_text_is_written_while_the_drafts_are_locked(pg_store, pg_cluster, qtbot, composer):
    composer.set_data_file(pg_store)
    qtbot.waitUntil(lambda: composer.section_list.count() > 0)
    composer.section_list.setCurrentRow(0)
    key, year, typed = composer._current_key(), composer.year(), "今年全县科技工作稳步推进。"
    composer.text_edit.setPlainText(typed)

    def written() -> bool:
        return _clerk_text(pg_store, year, key) == typed

    ticks = _while_locked(pg_cluster, pg_store, "report_drafts", composer.save_pending, written, qtbot)
    tasks.store_pool().waitForDone()
    assert _turned(ticks)


def test_a_template_is_written_while_the_choice_lists_are_locked(
    pg_store,
    pg_cluster,
    qtbot,
    server_window,  # noqa: F811 - the fixture
    boxes,
    monkeypatch,
    tmp_path,
):
    server_window.open_server_login(_login(pg_store, pg_cluster))
    qtbot.waitUntil(lambda: server_window.data_file is not None, timeout=6000)
    server_window.select_tab("projects")
    target = tmp_path / "项目模板.xlsx"
    monkeypatch.setattr(file_dialogs, "ask_save_path", lambda *_args, **_kwargs: str(target))
    done = messages.EXCEL_TEMPLATE_DONE.format(path=target)
    ticks = _while_locked(
        pg_cluster,
        pg_store,
        "settings",
        lambda: exchange_actions.export_template(server_window),
        lambda: done in boxes.shown,
        qtbot,
    )
    assert _turned(ticks) and target.stat().st_size > 0


def _prompts(window) -> list[QInputDialog]:
    return [dialog for dialog in window.findChildren(QInputDialog) if dialog.isVisible()]


def test_a_server_window_asks_no_operator_its_login_signs_every_change(
    server,  # noqa: F811 - the fixture
    make_window,
    qtbot,
    boxes,
):
    """On a server the triggers sign each write with the login (db/server_triggers.py), and the 操作员
    setting is one row shared by every clerk: asking would only write one clerk's name over another's."""
    window = make_window()
    window.asks_operator = True  # as ui/app.py sets it for the real window
    cluster = server.cluster
    login = ServerLogin(
        host=cluster.host, port=cluster.port, database=server.database, account=server.account(EDITOR)
    )
    login.password = PASSWORD
    window.open_server_login(login)
    qtbot.waitUntil(lambda: window.data_file is not None, timeout=6000)
    qtbot.wait(300)  # what would have asked is answered on the runner
    tasks.store_pool().waitForDone()
    qtbot.wait(100)
    assert _prompts(window) == [] and boxes.shown == []


def test_a_qualification_is_saved_from_its_dialog_while_the_table_is_locked(pg_store, pg_cluster, qtbot):
    unit_id = _unit(pg_store, "丁公司")
    dialog = QualificationDialog(fields.ENTERPRISES.children[0], pg_store, unit_id, "丁公司", None)
    qtbot.addWidget(dialog)
    type_into(qtbot, dialog.form, "category", CATEGORY)
    type_into(qtbot, dialog.form, "year", "2025")
    qtbot.waitUntil(dialog.save_button.isEnabled)

    def closed() -> bool:
        return dialog.result() == QDialog.DialogCode.Accepted

    ticks = _while_locked(pg_cluster, pg_store, "qualifications", dialog.save_button.click, closed, qtbot)
    tasks.store_pool().waitForDone()
    assert _turned(ticks)
    with pg_store.sessions() as session:
        assert session.execute(text("SELECT year FROM qualifications")).scalars().all() == [2025]
