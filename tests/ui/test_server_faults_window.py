"""Faults of a server database in the window, on a real PostgreSQL: one message box each, nothing opened;
an older server offered for upgrade to an account that may; a 查看 account's window read-only."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from db import messages as db_messages
from db import server_accounts
from db.schema import SCHEMA_HEAD
from tests.fixtures.server_states import (  # noqa: F401 - bureau: the fixture
    OLDER,
    add_account,
    bureau,
    earlier_build_server,
    older_server,
    owner_member,
    revision_of,
)
from ui import messages
from ui.dialogs.server_dialog import ServerLogin

pytest.importorskip("psycopg")  # in CI it is installed (requirements.txt) and the server tests run


def login_to(cluster, database: str, account: str, password: str) -> ServerLogin:
    login = ServerLogin(host=cluster.host, port=cluster.port, database=database, account=account)
    login.password = password
    return login


def refused(qtbot, window, boxes, login: ServerLogin, expected: str) -> None:
    """Connect; the one box says `expected`, and no database is open."""
    window.open_server_login(login)
    qtbot.waitUntil(lambda: window.act_connect.isEnabled() and bool(boxes.shown), timeout=6000)
    assert boxes.shown == [expected]
    assert window.data_file is None


def test_a_wrong_password_is_one_box(qtbot, make_window, boxes, bureau):  # noqa: F811 - the fixture
    cluster, database = bureau
    login = login_to(cluster, database, "postgres", "not-the-password")
    refused(qtbot, make_window(), boxes, login, db_messages.SERVER_WRONG_PASSWORD.format(account="postgres"))


def test_a_disabled_account_is_one_box(qtbot, make_window, boxes, bureau):  # noqa: F811 - the fixture
    cluster, database = bureau
    clerk = add_account(cluster, database, server_accounts.EDITOR)
    with cluster.connect(database) as conn:
        conn.execute(f"ALTER ROLE {clerk} NOLOGIN")
    login = login_to(cluster, database, clerk, "pw")
    expected = db_messages.SERVER_ACCOUNT_DISABLED.format(account=clerk, name=login.name)
    refused(qtbot, make_window(), boxes, login, expected)


def test_no_such_database_is_one_box(qtbot, make_window, boxes, pg_cluster):
    login = login_to(pg_cluster, "kj_no_such_database", "postgres", pg_cluster.password)
    expected = db_messages.SERVER_NO_DATABASE.format(host="127.0.0.1", database="kj_no_such_database")
    refused(qtbot, make_window(), boxes, login, expected)


def test_a_database_without_our_schema_is_one_box(qtbot, make_window, boxes, pg_cluster, pg_database):
    login = login_to(pg_cluster, pg_database, "postgres", pg_cluster.password)
    refused(qtbot, make_window(), boxes, login, db_messages.SERVER_NOT_OURS.format(name=login.name))


def test_a_newer_server_is_one_box(qtbot, make_window, boxes, pg_store, pg_cluster):
    with pg_store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099_from_the_future'"))
    login = login_to(pg_cluster, pg_store.url.database, "postgres", pg_cluster.password)
    refused(qtbot, make_window(), boxes, login, db_messages.SERVER_NEWER.format(name=login.name))


def test_an_older_server_is_upgraded_when_the_account_that_may_says_yes(
    qtbot, make_window, boxes, pg_cluster, pg_database
):
    older_server(pg_cluster, pg_database)
    window = make_window()
    login = login_to(pg_cluster, pg_database, "postgres", pg_cluster.password)
    window.open_server_login(login)
    qtbot.waitUntil(lambda: window.data_file is not None, timeout=20000)
    older = db_messages.SERVER_OLDER.format(name=login.name)
    assert boxes.shown[0] == messages.SERVER_UPGRADE_ASK.format(reason=older)
    assert revision_of(pg_cluster, pg_database) == SCHEMA_HEAD
    assert not window.data_file.read_only
    window.close_file()


def test_an_owners_upgrade_of_an_earlier_builds_server_is_asked_and_told_what_needs_a_superuser(
    qtbot, make_window, boxes, pg_cluster, pg_database
):
    earlier_build_server(pg_cluster, pg_database)
    it = owner_member(pg_cluster, pg_database)
    window = make_window()
    login = login_to(pg_cluster, pg_database, it, "pw")
    window.open_server_login(login)
    qtbot.waitUntil(lambda: window.data_file is not None, timeout=20000)
    older = db_messages.SERVER_OLDER.format(name=login.name)
    assert boxes.shown == [
        messages.SERVER_UPGRADE_ASK.format(reason=older) + "\n\n" + messages.SERVER_UPGRADE_NOT_ALL,
        db_messages.SERVER_LOCKS_NEED_SUPERUSER.format(name=login.name),
    ]
    window.close_file()


def test_an_older_server_stays_as_it_was_when_the_account_says_no(
    qtbot, make_window, boxes, pg_cluster, pg_database
):
    older_server(pg_cluster, pg_database)
    boxes.question = boxes.question.No
    window = make_window()
    login = login_to(pg_cluster, pg_database, "postgres", pg_cluster.password)
    window.open_server_login(login)
    qtbot.waitUntil(lambda: window.act_connect.isEnabled() and bool(boxes.shown), timeout=6000)
    qtbot.wait(300)  # no upgrade is started
    older = db_messages.SERVER_OLDER.format(name=login.name)
    assert boxes.shown == [messages.SERVER_UPGRADE_ASK.format(reason=older)]
    assert window.data_file is None and revision_of(pg_cluster, pg_database) == OLDER


def test_an_older_server_is_only_refused_to_a_clerk_who_may_not_upgrade(
    qtbot, make_window, boxes, pg_cluster, pg_database
):
    older_server(pg_cluster, pg_database)
    clerk = f"clerk_{pg_database[-8:]}"
    with pg_cluster.connect(pg_database) as conn:
        conn.execute(f"CREATE ROLE {clerk} LOGIN PASSWORD 'pw'")
        conn.execute(f"GRANT USAGE ON SCHEMA kejiju TO {clerk}")
        conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA kejiju TO {clerk}")
    login = login_to(pg_cluster, pg_database, clerk, "pw")
    refused(qtbot, make_window(), boxes, login, db_messages.SERVER_OLDER.format(name=login.name))


def test_a_viewers_window_is_read_only_and_says_so(qtbot, make_window, boxes, bureau):  # noqa: F811
    cluster, database = bureau
    viewer = add_account(cluster, database, server_accounts.VIEWER)
    window = make_window()
    window.open_server_login(login_to(cluster, database, viewer, "pw"))
    qtbot.waitUntil(lambda: window.data_file is not None, timeout=6000)
    assert window.data_file.read_only
    qtbot.waitUntil(lambda: db_messages.SERVER_VIEWER in boxes.shown, timeout=3000)
    assert (
        window.windowTitle().endswith(messages.TITLE_READ_ONLY)
        or messages.TITLE_READ_ONLY in window.windowTitle()
    )
    tab = window.entity_tab("events")
    assert tab.form.read_only
    window.close_file()


def test_a_purge_the_server_refuses_an_editor_is_one_box_and_nothing_changes(
    qtbot,
    make_window,
    boxes,
    bureau,  # noqa: F811 - the fixture
):
    from ui.dialogs.recycle_bin import RecycleBinDialog

    cluster, database = bureau
    with cluster.connect(database) as conn:
        conn.execute("UPDATE kejiju.events SET deleted_at = now()")  # in the recycle bin
    editor = add_account(cluster, database, server_accounts.EDITOR)
    window = make_window()
    window.open_server_login(login_to(cluster, database, editor, "pw"))
    qtbot.waitUntil(lambda: window.data_file is not None, timeout=6000)
    dialog = RecycleBinDialog(window.data_file, window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.view.model().rowCount() > 0, timeout=6000)  # read on the runner
    dialog.view.selectRow(0)
    assert dialog.purge_selected() == 0  # emptying a record: the server's trigger refuses a 录入员
    refusal = db_messages.SERVER_PURGE_NOT_ALLOWED
    qtbot.waitUntil(lambda: refusal in boxes.shown, timeout=6000)  # answered on the runner, on a server
    with cluster.connect(database) as conn:
        assert conn.execute("SELECT name FROM kejiju.events").fetchall() == [("科普日",)]
    window.close_file()
