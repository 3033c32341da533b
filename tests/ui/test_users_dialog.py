"""文件 → 用户管理… on a real server: a 管理员 lists, adds, moves, stops and resets accounts through the
owner's account functions, off the GUI thread; anyone else finds the entry disabled, told why."""

import socket
import time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit

from db import messages as db_messages
from db import server_accounts
from db.server import open_server
from kejiju_desktop import cli
from kejiju_desktop.logs import logging_to_file
from tests.ui.helpers import type_text
from ui import messages
from ui.dialogs.server_dialog import ServerLogin
from ui.dialogs.users_dialog import AccountDialog, UsersDialog

psycopg = pytest.importorskip("psycopg")  # in CI it is installed (requirements.txt) and the server tests run
PASSWORD = "s3cret-Pw-42"  # typed as key presses (a password field takes no input method)


@pytest.fixture
def server(pg_cluster, pg_database):
    """An initialised database (`server init`) with a 管理员 and a 查看 account named after it."""
    assert cli.main(["server", "init", "--db", pg_cluster.url(pg_database)]) == 0
    store = open_server(pg_cluster.url(pg_database))
    with store.sessions.begin() as session:
        server_accounts.add_account(session, named(pg_database, "管理"), server_accounts.ADMIN, "admin-pw")
        server_accounts.add_account(session, named(pg_database, "看看"), server_accounts.VIEWER, "view-pw")
    store.close()
    return pg_cluster, pg_database


def named(database: str, base: str) -> str:
    """An account name of this test's database (roles are cluster-wide)."""
    return f"{base}{database[-6:]}"


@pytest.fixture
def admin_store(server):
    cluster, database = server
    store = open_server(cluster.url(database, user=named(database, "管理")), "admin-pw")
    yield store
    store.close()


@pytest.fixture
def users_dialog(admin_store, qtbot):
    dialog = UsersDialog(admin_store)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle(qtbot, dialog)
    return dialog


def wait_idle(qtbot, dialog, timeout=6000):
    qtbot.waitUntil(lambda: not dialog.busy, timeout=timeout)


def shown(dialog) -> list[tuple[str, str, str]]:
    table = dialog.table
    return [tuple(table.item(row, column).text() for column in range(3)) for row in range(table.rowCount())]


def answer_next_dialog(qtbot, fill) -> None:
    """When the next modal dialog opens (the AccountDialog), `fill` it by keyboard."""

    def act():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, AccountDialog)
        try:
            fill(dialog)
        finally:
            if dialog.isVisible():
                dialog.reject()  # a failed fill must not leave the test waiting on a modal dialog

    QTimer.singleShot(0, act)


def type_and_enter(qtbot, dialog, name=None, kind=None, password=None, again=None):
    if name is not None:
        type_text(qtbot, dialog.name_edit, name)
    if kind is not None:
        dialog.kind_box.setCurrentIndex(server_accounts.KINDS.index(kind))
    if password is not None:
        qtbot.keyClicks(dialog.password_edit, password)
        qtbot.keyClicks(dialog.again_edit, password if again is None else again)
    qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)  # Enter is OK


def select(dialog, name: str) -> None:
    dialog.table.selectRow([account.name for account in dialog.accounts].index(name))


def test_an_administrator_adds_moves_resets_and_stops_an_account(users_dialog, server, qtbot, boxes):
    cluster, database = server
    dialog = users_dialog
    admin, viewer, clerk = named(database, "管理"), named(database, "看看"), named(database, "张三")
    assert shown(dialog) == [(admin, "管理员", "可以登录"), (viewer, "查看", "可以登录")]
    answer_next_dialog(
        qtbot, lambda asked: type_and_enter(qtbot, asked, clerk, server_accounts.EDITOR, PASSWORD)
    )
    dialog.add_button.click()
    wait_idle(qtbot, dialog)
    assert messages.USERS_ADDED.format(name=clerk, group="录入员") in dialog.note.text()
    assert (clerk, "录入员", "可以登录") in shown(dialog)
    cluster.connect(database, user=clerk, password=PASSWORD).close()

    select(dialog, clerk)
    answer_next_dialog(qtbot, lambda asked: type_and_enter(qtbot, asked, kind=server_accounts.VIEWER))
    dialog.role_button.click()
    wait_idle(qtbot, dialog)
    assert (clerk, "查看", "可以登录") in shown(dialog)

    dialog.disable_button.click()  # the question is answered 是 (the boxes fixture)
    wait_idle(qtbot, dialog)
    assert (clerk, "查看", "已停用") in shown(dialog)
    assert dialog.note.text().startswith(messages.USERS_STOPPED.format(name=clerk))
    with pytest.raises(psycopg.OperationalError):
        cluster.connect(database, user=clerk, password=PASSWORD)

    answer_next_dialog(qtbot, lambda asked: type_and_enter(qtbot, asked, password="new-pw-2"))
    dialog.password_button.click()
    wait_idle(qtbot, dialog)
    assert (clerk, "查看", "可以登录") in shown(dialog)
    cluster.connect(database, user=clerk, password="new-pw-2").close()
    assert dialog.chosen().name == clerk  # the list read again keeps the account chosen


def test_each_refusal_of_the_server_is_shown_as_its_sentence(users_dialog, server, qtbot):
    _cluster, database = server
    dialog = users_dialog
    viewer = named(database, "看看")
    answer_next_dialog(
        qtbot, lambda asked: type_and_enter(qtbot, asked, viewer, server_accounts.EDITOR, "pw")
    )
    dialog.add_button.click()
    wait_idle(qtbot, dialog)
    assert dialog.note.text() == db_messages.ACCOUNT_EXISTS.format(name=viewer)
    answer_next_dialog(
        qtbot, lambda asked: type_and_enter(qtbot, asked, "pg_坏名字", server_accounts.EDITOR, "pw")
    )
    dialog.add_button.click()
    wait_idle(qtbot, dialog)
    assert dialog.note.text() == db_messages.ACCOUNT_RESERVED.format(name="pg_坏名字")
    assert dialog.add_button.isEnabled()


def test_a_viewer_opening_the_dialog_is_told_by_the_server_it_is_no_administrator(server, qtbot):
    cluster, database = server
    store = open_server(cluster.url(database, user=named(database, "看看")), "view-pw")
    try:
        dialog = UsersDialog(store)
        qtbot.addWidget(dialog)
        wait_idle(qtbot, dialog)
        assert dialog.note.text() == db_messages.ACCOUNT_NOT_ALLOWED
        assert dialog.table.rowCount() == 0
    finally:
        store.close()


def _connect_window(qtbot, make_window, cluster, database, account, password):
    window = make_window()
    login = ServerLogin(cluster.host, cluster.port, database, account, password)
    window.open_server_login(login)
    qtbot.waitUntil(lambda: window.data_file is not None, timeout=6000)
    return window


def test_the_menu_entry_is_enabled_for_an_administrator_only_and_says_why_not(
    server, qtbot, make_window, db_file
):
    cluster, database = server
    on_file = make_window(db_file)
    assert not on_file.act_users.isEnabled()
    assert on_file.act_users.toolTip() == messages.USERS_NOT_ON_SERVER
    assert on_file.act_users in on_file.menu(messages.MENU_FILE).actions()
    viewer = _connect_window(qtbot, make_window, cluster, database, named(database, "看看"), "view-pw")
    qtbot.waitUntil(lambda: viewer.act_users.toolTip() == messages.USERS_NOT_ADMIN, timeout=6000)
    assert not viewer.act_users.isEnabled()
    admin = _connect_window(qtbot, make_window, cluster, database, named(database, "管理"), "admin-pw")
    qtbot.waitUntil(admin.act_users.isEnabled, timeout=6000)
    assert admin.act_users.statusTip() == "" and admin.act_users.toolTip() == messages.USERS_TITLE
    assert admin.open_file(db_file)  # back to a file: disabled again
    assert not admin.act_users.isEnabled()
    assert admin.act_users.toolTip() == messages.USERS_NOT_ON_SERVER


def test_a_password_is_never_shown_nor_logged(users_dialog, server, qtbot, user_home, caplog):
    _cluster, database = server
    dialog = users_dialog
    caplog.set_level("DEBUG")
    clerk = named(database, "李四")

    def fill(asked):
        assert asked.password_edit.echoMode() == QLineEdit.EchoMode.Password
        assert asked.again_edit.echoMode() == QLineEdit.EchoMode.Password
        type_and_enter(qtbot, asked, clerk, server_accounts.EDITOR, PASSWORD)

    with logging_to_file():
        answer_next_dialog(qtbot, fill)
        dialog.add_button.click()
        wait_idle(qtbot, dialog)
        answer_next_dialog(
            qtbot, lambda asked: type_and_enter(qtbot, asked, clerk, server_accounts.EDITOR, PASSWORD)
        )
        dialog.add_button.click()  # refused (the name is taken): the refusal is not logged with the password
        wait_idle(qtbot, dialog)
    assert dialog.note.text() == db_messages.ACCOUNT_EXISTS.format(name=clerk)
    written = "".join(path.read_text(encoding="utf-8", errors="replace") for path in user_home.rglob("*.*"))
    assert PASSWORD not in written + caplog.text + dialog.note.text()
    assert "SCRAM-SHA-256" not in written + caplog.text  # nor the verifier sent in its place


def test_the_account_dialog_keeps_mismatched_passwords_and_answers_escape(qtbot):
    asked = AccountDialog("add")
    qtbot.addWidget(asked)
    asked.show()
    qtbot.waitExposed(asked)
    assert asked.focusWidget() is asked.name_edit
    order = [asked.name_edit, asked.kind_box, asked.password_edit, asked.again_edit]
    for here, there in zip(order, order[1:], strict=False):
        assert here.nextInFocusChain() is there
    type_text(qtbot, asked.name_edit, "王五")
    qtbot.keyClicks(asked.password_edit, "one")
    qtbot.keyClicks(asked.again_edit, "two")
    qtbot.keyClick(asked.again_edit, Qt.Key.Key_Return)
    assert asked.isVisible() and asked.note.text() == messages.ACCOUNT_PASSWORD_MISMATCH
    assert asked.again_edit.text() == "" and asked.focusWidget() is asked.password_edit
    qtbot.keyClick(asked.password_edit, Qt.Key.Key_Escape)
    assert not asked.isVisible() and asked.result() == asked.DialogCode.Rejected


@pytest.fixture
def silent_server():
    """A port that accepts connections and never answers: a server hung, or a firewall swallowing them."""
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen(8)
        yield listening.getsockname()[1]


def test_a_server_that_never_answers_leaves_the_dialog_answering_and_is_told(qtbot, silent_server):
    store = open_server(f"postgresql://admin@127.0.0.1:{silent_server}/kejiju", "pw")
    try:
        started = time.monotonic()
        dialog = UsersDialog(store)
        qtbot.addWidget(dialog)
        assert time.monotonic() - started < 0.5  # the list is read off the GUI thread
        assert dialog.busy and not dialog.add_button.isEnabled()
        assert dialog.note.text() == messages.USERS_LOADING
        wait_idle(qtbot, dialog, timeout=7000)
        assert dialog.note.text() == messages.USERS_FAILED
    finally:
        store.close()


def test_the_keyboard_alone_moves_an_account_and_closes_the_dialog(users_dialog, server, qtbot):
    _cluster, database = server
    dialog = users_dialog
    order = [
        dialog.table,
        dialog.add_button,
        dialog.role_button,
        dialog.password_button,
        dialog.disable_button,
    ]
    viewer = named(database, "看看")
    select(dialog, viewer)  # the buttons for one account are enabled, so Tab stops at them
    dialog.activateWindow()
    order[0].setFocus()
    for there in order[1:]:
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)  # the list passes Tab on, not from cell to cell
        assert dialog.focusWidget() is there
    dialog.table.setFocus()
    answer_next_dialog(qtbot, lambda asked: type_and_enter(qtbot, asked, kind=server_accounts.EDITOR))
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)  # Enter on an account: 更改用户组…
    wait_idle(qtbot, dialog)
    assert (viewer, "录入员", "可以登录") in shown(dialog)
    assert dialog.isVisible()  # the Enter that opened the change did not also close the list
    answered = []
    answer_next_dialog(
        qtbot, lambda asked: answered.append(qtbot.keyClick(asked.name_edit, Qt.Key.Key_Escape))
    )
    dialog.add_button.setFocus()
    qtbot.keyClick(dialog.add_button, Qt.Key.Key_Return)  # Enter on a button presses that button
    assert answered and dialog.isVisible()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_an_administrator_is_told_it_cannot_stop_or_demote_its_own_login(users_dialog, server, qtbot, boxes):
    _cluster, database = server
    dialog = users_dialog
    admin = named(database, "管理")
    select(dialog, admin)
    dialog.disable_button.click()
    assert boxes.shown == []  # told at once, not asked first and refused after
    assert dialog.note.text() == db_messages.ACCOUNT_SELF_DISABLE.format(name=admin)
    answer_next_dialog(qtbot, lambda asked: type_and_enter(qtbot, asked, kind=server_accounts.EDITOR))
    dialog.role_button.click()
    wait_idle(qtbot, dialog)
    assert dialog.note.text() == db_messages.ACCOUNT_SELF_DEMOTE.format(name=admin)
    dialog.reload()
    wait_idle(qtbot, dialog)
    assert (admin, "管理员", "可以登录") in shown(dialog)


def _open_file_menu(qtbot, window) -> None:
    """The 文件 menu shown, as a click on it shows it, then closed again."""
    menu = window.menu(messages.MENU_FILE)
    menu.popup(window.mapToGlobal(window.rect().topLeft()))
    qtbot.waitUntil(menu.isVisible, timeout=3000)
    menu.hide()


def test_the_entry_asks_again_each_time_the_menu_opens(server, qtbot, make_window):
    cluster, database = server
    clerk = named(database, "后来")
    store = open_server(cluster.url(database))
    with store.sessions.begin() as session:
        server_accounts.add_account(session, clerk, server_accounts.EDITOR, "pw")
    window = _connect_window(qtbot, make_window, cluster, database, clerk, "pw")
    qtbot.waitUntil(lambda: window.act_users.toolTip() == messages.USERS_NOT_ADMIN, timeout=6000)
    try:
        with store.sessions.begin() as session:  # made 管理员 meanwhile, by another administrator
            server_accounts.set_kind(session, clerk, server_accounts.ADMIN)
        _open_file_menu(qtbot, window)
        qtbot.waitUntil(window.act_users.isEnabled, timeout=6000)
        with store.sessions.begin() as session:  # and demoted again
            server_accounts.set_kind(session, clerk, server_accounts.VIEWER)
        _open_file_menu(qtbot, window)
        qtbot.waitUntil(lambda: not window.act_users.isEnabled(), timeout=6000)
        assert window.act_users.toolTip() == messages.USERS_NOT_ADMIN
    finally:
        store.close()
