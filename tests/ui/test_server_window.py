"""The window on a PostgreSQL server: 连接服务器数据库… off the GUI thread, 记住密码, and live updates."""

import socket
import time

import pytest
from PySide6.QtCore import QTimer

from db import messages as db_messages
from db.server import open_server
from kejiju_desktop import fields
from kejiju_desktop.logs import logging_to_file
from kejiju_desktop.services import records
from tests.ui.helpers import column_values, type_into, wait_counted, wait_validated
from ui import messages
from ui.app_settings import AppSettings
from ui.dialogs.server_dialog import ServerDialog, ServerLogin, login_of
from ui.window_server import recent_url

keyring = pytest.importorskip("keyring")  # requirements.txt; a venv without it still runs the rest
from keyring.backend import KeyringBackend  # noqa: E402 - after the skip above
from keyring.backends import fail  # noqa: E402 - after the skip above

SEEN_WITHIN_MS = 2000


class MemoryKeyring(KeyringBackend):
    """A credential store in memory, in place of Windows Credential Manager (keyring's own API)."""

    priority = 1

    def __init__(self):
        super().__init__()
        self.kept = {}

    def get_password(self, service, username):
        return self.kept.get((service, username))

    def set_password(self, service, username, password):
        self.kept[(service, username)] = password

    def delete_password(self, service, username):
        self.kept.pop((service, username), None)


@pytest.fixture
def credential_store():
    """Which credential store keyring answers with during a test (the machine's own afterwards)."""
    before = keyring.get_keyring()
    yield keyring.set_keyring
    keyring.set_keyring(before)


@pytest.fixture
def server_window(pg_store, make_window):
    """A window for a server database, closed before the database is dropped."""
    window = make_window()
    yield window
    window.close()


def _login(pg_store, pg_cluster, **given) -> ServerLogin:
    login = login_of(recent_url(pg_store))
    login.password = pg_cluster.password
    for key, value in given.items():
        setattr(login, key, value)
    return login


def _connected(qtbot, window, login: ServerLogin):
    window.open_server_login(login)
    qtbot.waitUntil(lambda: window.data_file is not None, timeout=6000)
    tab = window.entity_tab("enterprises")
    window.select_tab("enterprises")
    wait_counted(qtbot, tab)
    return tab


def _save_elsewhere(pg_store, name: str) -> None:
    """Another clerk's program (its own store, its own connections) saves an enterprise."""
    with pg_store.writer() as session:
        records.save_record(session, fields.entity("enterprises"), {"name": name}, confirm_warnings=True)


def test_a_save_by_another_client_reaches_the_open_tab_within_two_seconds(
    pg_store, pg_cluster, qtbot, server_window
):
    window = server_window
    tab = _connected(qtbot, window, _login(pg_store, pg_cluster))
    assert window.windowTitle() == messages.TITLE.format(name=pg_store.display_name)
    other = open_server(recent_url(pg_store))
    try:
        _save_elsewhere(other, "远方科技有限公司")
        qtbot.waitUntil(lambda: "远方科技有限公司" in column_values(tab, "name"), timeout=SEEN_WITHIN_MS)
    finally:
        other.close()


def test_a_refresh_from_another_clerk_leaves_the_form_being_edited_alone(
    pg_store, pg_cluster, qtbot, server_window
):
    _save_elsewhere(pg_store, "甲公司")
    window = server_window
    tab = _connected(qtbot, window, _login(pg_store, pg_cluster))
    tab.table.selectRow(0)
    qtbot.waitUntil(lambda: tab.form.record_id is not None)  # read off the GUI thread on a server
    record_id = tab.form.record_id
    type_into(qtbot, tab.form, "name", "甲公司（改了一半")
    _save_elsewhere(pg_store, "乙公司")
    qtbot.waitUntil(lambda: "乙公司" in column_values(tab, "name"), timeout=SEEN_WITHIN_MS)
    assert tab.form.record_id == record_id and tab.form.is_dirty()
    assert tab.form.editors["name"].widget.text() == "甲公司（改了一半"
    tab.form.revert()  # before the database is dropped: the form's pending check would find it gone
    wait_validated(qtbot, tab.form)


def test_without_a_credential_store_remember_is_disabled_and_the_password_is_kept_nowhere(
    pg_store, pg_cluster, qtbot, server_window, credential_store, user_home, caplog
):
    credential_store(fail.Keyring())
    dialog = ServerDialog(ServerLogin(host="h", account="a", database="d", remember=True))
    qtbot.addWidget(dialog)
    assert not dialog.remember.isEnabled() and not dialog.remember.isChecked()
    assert dialog.note.text() == messages.SERVER_REMEMBER_UNAVAILABLE
    caplog.set_level("DEBUG")
    window = server_window
    with logging_to_file():
        _connected(qtbot, window, _login(pg_store, pg_cluster, remember=True))
        window.close()
    written = "".join(path.read_text(encoding="utf-8", errors="replace") for path in user_home.rglob("*.*"))
    assert recent_url(pg_store) in AppSettings().recent_files()
    assert pg_cluster.password not in written + caplog.text + window.windowTitle()


def test_remember_keeps_the_password_in_the_credential_store_only_and_the_recent_entry_uses_it(
    pg_store, pg_cluster, qtbot, server_window, make_window, credential_store, user_home, monkeypatch
):
    memory = MemoryKeyring()
    credential_store(memory)
    login = _login(pg_store, pg_cluster, remember=True)
    _connected(qtbot, server_window, login)
    assert memory.kept == {("kejiju-desktop", login.name): pg_cluster.password}
    server_window.close()
    written = "".join(path.read_text(encoding="utf-8", errors="replace") for path in user_home.rglob("*.*"))
    assert pg_cluster.password not in written
    monkeypatch.delenv("PGPASSWORD")  # only the credential store knows it now
    later = make_window()
    later._open_recent(AppSettings().recent_files()[0])
    qtbot.waitUntil(lambda: later.data_file is not None, timeout=6000)
    assert later.data_file.display_name == pg_store.display_name
    later.close()


@pytest.fixture
def silent_server():
    """A port that accepts connections and never answers: a server hung, or a firewall swallowing them."""
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen(8)
        yield listening.getsockname()[1]


@pytest.mark.parametrize("kind", ["closed port", "silent server"])
def test_an_unreachable_server_is_answered_within_five_seconds_and_the_window_keeps_answering(
    qtbot, make_window, boxes, silent_server, kind
):
    window = make_window()
    ticks = []
    timer = QTimer(window)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(100)
    port = 1 if kind == "closed port" else silent_server
    login = ServerLogin(host="127.0.0.1", port=port, database="kejiju", account="张三")
    started = time.monotonic()
    window.open_server_login(login)
    expected = db_messages.SERVER_UNREACHABLE.format(name=login.name)
    qtbot.waitUntil(lambda: expected in boxes.texts(), timeout=6500)
    elapsed = time.monotonic() - started
    assert elapsed < 6.0  # libpq's connect_timeout=5, and the thread's hand-over
    assert len(ticks) >= int(elapsed * 10 * 0.6)  # the event loop kept turning: the window never froze
    assert window.data_file is None and window.act_connect.isEnabled()


def test_db_with_a_server_url_opens_the_window_on_it_at_start_up(pg_store, server_window):
    from ui.app import open_first_file

    assert open_first_file(server_window, recent_url(pg_store))  # the password from PGPASSWORD
    assert server_window.data_file.display_name == pg_store.display_name
    assert server_window._listener is not None


def test_on_a_server_without_the_notify_triggers_the_window_says_changes_need_refresh(
    pg_store, pg_cluster, qtbot, server_window
):
    with pg_store.engine.begin() as conn:  # as a server set up by an older program, not yet upgraded
        conn.exec_driver_sql("DROP TRIGGER enterprises_notify ON enterprises")
    _connected(qtbot, server_window, _login(pg_store, pg_cluster))
    expected = messages.LIVE_UNAVAILABLE.format(name=pg_store.display_name)
    assert server_window.statusBar().currentMessage() == expected
    assert server_window._listener is None
