"""The main window on a server database: 连接服务器数据库… off the GUI thread, and other clerks' changes shown live."""

from __future__ import annotations

import logging
import math
import time

from PySide6.QtCore import QSocketNotifier, QTimer
from PySide6.QtWidgets import QDialog, QMessageBox

from db.database import DataFileError
from db.server import ServerOlderError, ServerStore, open_server, reachable
from db.server_admin import upgrade_as_owner
from db.server_notify import ChangeListener, ListenerLost, change_stamp, installed
from ui import credentials, messages, tasks
from ui.dialogs.server_dialog import ServerDialog, ServerLogin, login_of

log = logging.getLogger(__name__)
LIVE_DELAY_MS = 100  # notifications of one import or merge arrive together: one refresh for them
# Any role may notify our channel: a hint whose table's change stamp has not moved since the page was read
# makes it be read again no sooner than this after that read (a storm of them: one read a second), one
# whose stamp moved at once (another clerk's save shows as quickly as it can).
REFRESH_EVERY_S = 1.0
RELISTEN_MS = 5_000  # a lost listener is reopened this long after (the server restarting)


def recent_url(store: ServerStore) -> str:
    """The --db URL of an open server database, as the recent list keeps it (never its password)."""
    url = store.url
    login = ServerLogin(url.host, url.port or 5432, url.database, url.username or "")
    login.require_ssl = url.query.get("sslmode") == "require"
    return login.url


def open_and_listen(login: ServerLogin) -> tuple[ServerStore, ChangeListener | None]:
    """Off the GUI thread: the store (reachable, or ServerError with a sentence within 5 s) and its listener
    (None on a server whose record tables have no NOTIFY trigger yet: an older program set it up)."""
    store = open_server(login.url, login.password or None)
    try:
        reachable(store)
        with store.engine.connect() as conn:
            live = installed(conn)
        return store, (ChangeListener(store.url) if live else None)
    except Exception:
        store.close()
        raise


def upgrade(login: ServerLogin) -> list[str]:
    """Off the GUI thread: bring an older server's schema to this program's head as its owner (what
    `server init` does once its roles exist); a refusal is a ServerError with its sentence. Returns what
    it could not do without a superuser, as sentences."""
    store = open_server(login.url, login.password or None)
    try:
        return upgrade_as_owner(store)
    finally:
        store.close()


class WindowServer:
    """Mixed into MainWindow: which server database is open, and its live updates."""

    _listener: ChangeListener | None = None
    _notifier: QSocketNotifier | None = None
    _show_waiting = False  # a timer is on its way to _show_changes: further hints wait for it
    _stamping = False  # a change stamp is being read: further hints wait for its answer

    def connect_server(self, given: ServerLogin | None = None) -> None:
        """文件 → 连接服务器数据库…: ask for the server and account, then connect in the background."""
        dialog = ServerDialog(given, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.open_server_login(dialog.login())

    def open_server_url(self, given: str) -> None:
        """Connect to `given` (a --db URL) with its remembered password, else ask for one."""
        login = login_of(given)
        remembered = credentials.remembered(login.name)
        if remembered is None:
            self.connect_server(login)
            return
        login.password, login.remember = remembered, True
        self.open_server_login(login)

    def open_server_login(self, login: ServerLogin) -> None:
        """Connect off the GUI thread: the window answers meanwhile, a dead server is told within 5 s."""
        if self.confirm_leave_all():
            self._connect(login)

    def _connect(self, login: ServerLogin) -> None:
        self.statusBar().showMessage(messages.SERVER_CONNECTING.format(name=login.name))
        self.act_connect.setEnabled(False)
        tasks.start(
            lambda: open_and_listen(login),
            lambda result: self.on_server_opened(login, result),
            receiver=self,
            description=f"connecting to {login.name}",
        )

    def on_server_opened(self, login: ServerLogin, result) -> bool:
        """Show the server database opened (or say why not); keep or forget its password as asked."""
        self.act_connect.setEnabled(True)
        self.statusBar().clearMessage()
        if isinstance(result, ServerOlderError) and result.can_upgrade and not self.screenshot_mode:
            self._offer_upgrade(login, result)
            return False
        if isinstance(result, Exception):
            known = isinstance(result, DataFileError)
            self._warn(
                messages.OPEN_FAILED_TITLE,
                result.message if known else messages.SERVER_OPEN_ERROR.format(name=login.name),
            )
            return False
        store, listener = result
        if login.remember and credentials.available():
            credentials.remember(login.name, login.password)
        elif not login.remember:
            credentials.forget(login.name)
        self._switch_to(store)
        self._listen(listener)
        return True

    def _offer_upgrade(self, login: ServerLogin, refusal: ServerOlderError) -> None:
        """An account that may upgrade an older server is asked; yes: upgrade off the GUI thread, then
        connect again."""
        question = messages.SERVER_UPGRADE_ASK.format(reason=refusal.message)
        if refusal.needs_superuser:
            question += "\n\n" + messages.SERVER_UPGRADE_NOT_ALL
        answer = QMessageBox.question(self, messages.SERVER_UPGRADE_TITLE, question)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.statusBar().showMessage(messages.SERVER_UPGRADING.format(name=login.name))
        self.act_connect.setEnabled(False)
        tasks.start(
            lambda: upgrade(login),
            lambda result: self._on_upgraded(login, result),
            receiver=self,
            description=f"upgrading {login.name}",
        )

    def _on_upgraded(self, login: ServerLogin, result) -> None:
        self.act_connect.setEnabled(True)
        self.statusBar().clearMessage()
        if isinstance(result, Exception):
            known = isinstance(result, DataFileError)
            self._warn(
                messages.SERVER_UPGRADE_TITLE,
                result.message if known else messages.SERVER_UPGRADE_FAILED.format(name=login.name),
            )
            return
        for note in result:
            self._warn(messages.SERVER_UPGRADE_TITLE, note)
        self._connect(login)

    # --- live updates -------------------------------------------------------------------------------

    def _listen(self, listener: ChangeListener | None) -> None:
        if listener is None:
            self.statusBar().showMessage(messages.LIVE_UNAVAILABLE.format(name=self.data_file.display_name))
            return
        self._listener = listener
        self._changed: set[str] = set()
        self._refreshed_at: dict[str, float] = {}
        self._stamps: dict[str, tuple] = {}  # each table's change stamp when its page was last read
        self._notifier = QSocketNotifier(listener.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_notifier_activated)

    def stop_listening(self) -> None:
        """Close the listener of the server database being closed."""
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def _on_notifier_activated(self) -> None:
        try:
            self._changed |= self._listener.poll()
        except ListenerLost:
            log.warning(
                "live updates of %s lost; listening again", self.data_file.display_name, exc_info=True
            )
            self.stop_listening()
            QTimer.singleShot(RELISTEN_MS, lambda store=self.data_file: self._listen_again(store))
            return
        if self._changed:
            self._show_soon(LIVE_DELAY_MS)

    def _show_soon(self, delay_ms: int) -> None:
        """One timer at a time: hints coming while it waits are shown by it, not each by a timer of its own."""
        if not self._show_waiting:
            self._show_waiting = True
            QTimer.singleShot(delay_ms, self._on_show_timer)

    def _on_show_timer(self) -> None:
        self._show_waiting = False
        self._show_changes()

    def _listen_again(self, store: ServerStore) -> None:
        if self.data_file is not store or self._listener is not None:
            return
        tasks.start(
            lambda: ChangeListener(store.url),
            lambda listener: self._on_listening_again(store, listener),
            receiver=self,
            description=f"listening again to {store.display_name}",
        )

    def _on_listening_again(self, store: ServerStore, listener) -> None:
        if self.data_file is not store:
            if not isinstance(listener, Exception):
                listener.close()
            return
        if isinstance(listener, Exception):
            QTimer.singleShot(RELISTEN_MS, lambda: self._listen_again(store))
            return
        self._listen(listener)
        self._changed |= {tab.entity.table for tab in self.built_tabs()}  # what changed meanwhile is unknown
        self._show_changes()

    def _show_changes(self) -> None:
        """Read the shown tab again when its table changed; other tabs when next shown. The form keeps
        what the clerk is typing: a refresh reads the list, never the record being edited."""
        if self._listener is None:
            return  # the server database was closed since: its tabs must not read it again
        shown = self.current_tab()
        if self._stamping or shown is None or shown.entity.table not in self._changed:
            return
        table, store = shown.entity.table, self.data_file
        self._changed.discard(table)
        self._stamping = True
        tasks.call(
            store,
            lambda: change_stamp(store, table),
            lambda stamp: self._on_stamp(store, table, stamp),
            receiver=self,
            description=f"reading the change stamp of {table}",
        )

    def _on_stamp(self, store: ServerStore, table: str, stamp) -> None:
        """Read the page again when the stamp moved (or could not be read: the read will say why), else when
        REFRESH_EVERY_S has passed since the last read; meanwhile later hints wait for that."""
        self._stamping = False
        if self.data_file is not store or self._listener is None:
            return
        shown = self.current_tab()
        if shown is None or shown.entity.table != table:
            self._changed.add(table)  # read when its tab is shown again
            self._show_changes()  # the tab shown meanwhile may have waited for this answer
            return
        wait = self._refreshed_at.get(table, -math.inf) + REFRESH_EVERY_S - time.monotonic()
        if wait > 0 and not (isinstance(stamp, Exception) or stamp != self._stamps.get(table)):
            self._changed.add(table)
            self._show_soon(math.ceil(wait * 1000))
            return
        self._changed.discard(table)  # hints come after their commit: the read starting now has them all
        self._stamps[table], self._refreshed_at[table] = stamp, time.monotonic()
        shown.refresh()
        self._update_counts()

    def show_changes_of_tab(self) -> None:
        """The tab just shown: read again if its table changed while it was hidden."""
        if self._listener is not None and self._changed:
            self._show_changes()
