"""文件 → 用户管理…: a 管理员 lists a server's accounts, adds one, changes its group, stops it, sets its password."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)
from sqlalchemy.exc import SQLAlchemyError

from db import messages as db_messages
from db import server_accounts
from db.database import DataFileError
from db.server import ServerError, ServerStore, account_of
from kejiju_desktop.sorting import sort_key_for
from ui import messages, tasks

log = logging.getLogger(__name__)
GROUP_OF = dict(zip(server_accounts.KINDS, messages.USERS_KIND_NAMES, strict=True))
ADD, ROLE, PASSWORD = "add", "role", "password"  # what an AccountDialog asks for
TITLES = {
    ADD: messages.ACCOUNT_ADD_TITLE,
    ROLE: messages.ACCOUNT_ROLE_TITLE,
    PASSWORD: messages.ACCOUNT_PASSWORD_TITLE,
}


def in_session(store: ServerStore, work: Callable):
    """Off the GUI thread: `work(session)` in one transaction. A refusal comes back as the ServerError
    saying it (told, not logged as a fault); another failure is logged without the statement's
    parameters, which hold a password's SCRAM verifier, and comes back as a sentence."""
    try:
        with store.sessions.begin() as session:
            return work(session)
    except ServerError as exc:
        return exc
    except SQLAlchemyError as exc:
        diagnosis = getattr(getattr(exc, "orig", None), "diag", None)
        said = getattr(diagnosis, "message_primary", None) or type(exc).__name__
        log.error("managing accounts on %s failed: %s", store.display_name, said)
        return ServerError(store.display_name, messages.USERS_FAILED)


def _accounts_by_pinyin(session) -> list[server_accounts.Account]:
    # The server sorts by code point (看 before 管); clerks look names up as in the tabs' lists.
    return sorted(server_accounts.list_accounts(session), key=lambda account: sort_key_for(account.name))


class UsersAction(QAction):
    """文件 → 用户管理…: enabled only on a server and for an account that may manage accounts (a 管理员 or
    a superuser, asked off the GUI thread when a store is opened and again each time the menu opens: another
    administrator may have moved the account meanwhile); disabled otherwise, its tip saying why."""

    def __init__(self, window):
        super().__init__(messages.ACT_USERS, window)
        self.main_window = window
        self.store = None
        self.asking = None  # the store asked, until its answer comes
        self.triggered.connect(self._on_triggered)
        self._refuse(messages.USERS_NOT_ON_SERVER)

    def follow(self, store) -> None:
        """The store the window has open now (called with every update of the window's actions)."""
        if store is self.store:
            return
        self.store = store
        if not isinstance(store, ServerStore):
            self._refuse(messages.USERS_NOT_ON_SERVER)
            return
        self._refuse(messages.USERS_CHECKING)
        self.ask_again()

    def ask_again(self) -> None:
        """Ask the server once more whether the account may manage accounts (the menu is about to show);
        the entry keeps its state until the answer comes."""
        store = self.store
        if not isinstance(store, ServerStore) or self.asking is store:
            return
        self.asking = store
        tasks.call(
            store,
            lambda: in_session(store, server_accounts.may_manage),
            lambda allowed: self._on_checked(store, allowed),
            receiver=self,
            description="asking whether the account may manage accounts",
        )

    def _on_checked(self, store: ServerStore, allowed) -> None:
        if self.asking is store:
            self.asking = None
        if store is not self.store:
            return  # another store was opened meanwhile
        if allowed is True:
            self.setEnabled(True)
            self._tip("")
        else:
            self._refuse(
                messages.USERS_CHECK_FAILED if isinstance(allowed, Exception) else messages.USERS_NOT_ADMIN
            )

    def _refuse(self, why: str) -> None:
        self.setEnabled(False)
        self._tip(why)

    def _tip(self, text: str) -> None:
        # The status bar shows a menu entry's status tip as the pointer rests on it, enabled or not.
        self.setToolTip(text)
        self.setStatusTip(text)

    def _on_triggered(self) -> None:
        dialog = UsersDialog(self.store, self.main_window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # a child of the window: gone once closed
        dialog.exec()


class UsersDialog(QDialog):
    """The accounts of one server database; every call to the server runs off the GUI thread."""

    def __init__(self, store: ServerStore, parent=None):
        super().__init__(parent)
        self.store = store
        self.accounts: list[server_accounts.Account] = []
        self.busy = False
        self.setWindowTitle(messages.USERS_TITLE)
        self._build_ui()
        self.resize(620, 420)
        self.reload()

    def _build_ui(self) -> None:
        self.table = QTableWidget(0, len(messages.USERS_HEADERS), self)
        self.table.setHorizontalHeaderLabels(messages.USERS_HEADERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setTabKeyNavigation(False)  # Tab goes on to the buttons instead of from cell to cell
        header = self.table.horizontalHeader()
        for column in range(len(messages.USERS_HEADERS)):
            mode = QHeaderView.ResizeMode.Stretch if column == 0 else QHeaderView.ResizeMode.ResizeToContents
            header.setSectionResizeMode(column, mode)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(self.change_role)
        self.table.installEventFilter(self)  # Enter on an account, see eventFilter
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.add_button = QPushButton(messages.USERS_ADD, self)
        self.role_button = QPushButton(messages.USERS_ROLE, self)
        self.password_button = QPushButton(messages.USERS_PASSWORD, self)
        self.disable_button = QPushButton(messages.USERS_DISABLE, self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        for button, slot in (
            (self.add_button, self.add_account),
            (self.role_button, self.change_role),
            (self.password_button, self.set_password),
            (self.disable_button, self.disable_account),
        ):
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.note)
        layout.addLayout(row)

    def eventFilter(self, watched, event) -> bool:
        # Enter on an account changes its group; the list would pass the key on to the dialog as well,
        # whose default button would then close it.
        enter = event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if watched is self.table and enter:
            self.change_role()
            return True
        return super().eventFilter(watched, event)

    # --- the list ------------------------------------------------------------------------------------

    def reload(self, said: str = "") -> None:
        """Read the accounts again (off the GUI thread); `said` stays shown above the count."""
        self._start(messages.USERS_LOADING, _accounts_by_pinyin, lambda result: self._show(result, said))

    def _show(self, result, said: str) -> None:
        if isinstance(result, Exception):
            self._finish(result)
            return
        chosen = self.chosen()
        self.accounts = result
        self.table.setRowCount(len(result))
        for row, account in enumerate(result):
            cells = (account.name, GROUP_OF[account.kind], messages.USERS_STATES[account.can_login])
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        names = [account.name for account in result]
        if chosen is not None and chosen.name in names:
            self.table.selectRow(names.index(chosen.name))
        count = messages.USERS_COUNT.format(n=len(result)) if result else messages.USERS_NONE
        self._finish(None, "\n".join(text for text in (said, count) if text))

    def chosen(self) -> server_accounts.Account | None:
        """The account selected in the list, or None."""
        rows = self.table.selectionModel().selectedRows()
        return self.accounts[rows[0].row()] if rows and rows[0].row() < len(self.accounts) else None

    # --- the changes ---------------------------------------------------------------------------------

    def add_account(self) -> None:
        """新建账号…: a name, a group and a password (twice)."""
        asked = AccountDialog(ADD, parent=self)
        if asked.exec() != QDialog.DialogCode.Accepted:
            return
        name, kind, password = asked.name(), asked.kind(), asked.password()
        said = messages.USERS_ADDED.format(name=name, group=GROUP_OF[kind])
        self._change(lambda session: server_accounts.add_account(session, name, kind, password), said)

    def change_role(self) -> None:
        """更改用户组… of the selected account."""
        account = self.chosen()
        if account is None or not self.role_button.isEnabled():
            return
        asked = AccountDialog(ROLE, account, self)
        if asked.exec() != QDialog.DialogCode.Accepted or asked.kind() == account.kind:
            return
        kind = asked.kind()
        said = messages.USERS_MOVED.format(name=account.name, group=GROUP_OF[kind])
        self._change(lambda session: server_accounts.set_kind(session, account.name, kind), said)

    def set_password(self) -> None:
        """设置密码… of the selected account (which may then log in again)."""
        account = self.chosen()
        if account is None:
            return
        asked = AccountDialog(PASSWORD, account, self)
        if asked.exec() != QDialog.DialogCode.Accepted:
            return
        password = asked.password()
        said = messages.USERS_PASSWORD_SET.format(name=account.name)
        self._change(lambda session: server_accounts.set_password(session, account.name, password), said)

    def disable_account(self) -> None:
        """停用账号, once the administrator has confirmed it; the account logged in is refused at once (the
        server's check, db/server_accounts, says the same: asking first would only be refused after)."""
        account = self.chosen()
        if account is None:
            return
        if account.name == account_of(self.store.url):
            self.note.setText(db_messages.ACCOUNT_SELF_DISABLE.format(name=account.name))
            return
        asked = QMessageBox.question(
            self, messages.USERS_DISABLE_TITLE, messages.USERS_DISABLE_ASK.format(name=account.name)
        )
        if asked != QMessageBox.StandardButton.Yes:
            return
        said = messages.USERS_STOPPED.format(name=account.name)
        self._change(lambda session: server_accounts.disable_account(session, account.name), said)

    def _change(self, work: Callable, said: str) -> None:
        self._start(messages.USERS_WORKING, work, lambda result: self._on_changed(result, said))

    def _on_changed(self, result, said: str) -> None:
        if isinstance(result, Exception):
            self._finish(result)
        else:
            self.reload(said)

    # --- running on the server -----------------------------------------------------------------------

    def _start(self, doing: str, work: Callable, on_done: Callable) -> None:
        self._set_busy(True)
        self.note.setText(doing)
        store = self.store
        tasks.start(lambda: in_session(store, work), on_done, receiver=self, description="managing accounts")

    def _finish(self, failure: Exception | None, text: str = "") -> None:
        """The buttons back; the note says `text`, or why the server refused (its sentence)."""
        if failure is not None:
            known = isinstance(failure, DataFileError)
            text = failure.message if known else messages.USERS_FAILED
        self.note.setText(text)
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.add_button.setEnabled(not busy)
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = not self.busy and self.chosen() is not None
        for button in (self.role_button, self.password_button, self.disable_button):
            button.setEnabled(chosen)


class AccountDialog(QDialog):
    """What 新建账号… (name, group, password twice), 更改用户组… or 设置密码… asks; the password is never shown."""

    def __init__(self, asks: str, account: server_accounts.Account | None = None, parent=None):
        super().__init__(parent)
        self.asks = asks
        self.setWindowTitle(TITLES[asks])
        self._build_ui(account)

    def _build_ui(self, account: server_accounts.Account | None) -> None:
        self.name_edit = QLineEdit(account.name if account else "", self)
        if account is not None:  # the account changed is shown, not edited: Tab passes it by
            self.name_edit.setReadOnly(True)
            self.name_edit.setFrame(False)
            self.name_edit.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.kind_box = QComboBox(self)
        for kind in server_accounts.KINDS:
            self.kind_box.addItem(GROUP_OF[kind], kind)
        self.kind_box.setCurrentIndex(
            server_accounts.KINDS.index(account.kind if account else server_accounts.EDITOR)
        )
        self.password_edit, self.again_edit = QLineEdit(self), QLineEdit(self)
        for edit in (self.password_edit, self.again_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(messages.ACCOUNT_NAME, self.name_edit)
        if self.asks != PASSWORD:
            form.addRow(messages.ACCOUNT_KIND, self.kind_box)
        if self.asks != ROLE:
            form.addRow(messages.SERVER_PASSWORD, self.password_edit)
            form.addRow(messages.ACCOUNT_PASSWORD_AGAIN, self.again_edit)
        for widget in (self.kind_box, self.password_edit, self.again_edit):
            if form.indexOf(widget) < 0:
                widget.hide()  # not asked for this change
        hints = {
            ADD: (messages.ACCOUNT_KIND_HINT, messages.ACCOUNT_NAME_HINT),
            ROLE: (messages.ACCOUNT_KIND_HINT,),
        }
        self.note = QLabel("\n".join(hints.get(self.asks, ())), self)
        self.note.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        first = {ADD: self.name_edit, ROLE: self.kind_box, PASSWORD: self.password_edit}[self.asks]
        first.setFocus(Qt.FocusReason.OtherFocusReason)

    def name(self) -> str:
        """The account's name as entered (trimmed)."""
        return self.name_edit.text().strip()

    def kind(self) -> str:
        """The group chosen (server_accounts.KINDS)."""
        return self.kind_box.currentData()

    def password(self) -> str:
        """The password as entered (never trimmed: spaces are part of it)."""
        return self.password_edit.text()

    def problem(self) -> str | None:
        """Why the fields cannot be sent yet, or None."""
        if not self.name():
            return messages.ACCOUNT_NAME_EMPTY
        if self.asks == ROLE:
            return None
        if not self.password():
            return messages.ACCOUNT_PASSWORD_EMPTY
        if self.password() != self.again_edit.text():
            return messages.ACCOUNT_PASSWORD_MISMATCH
        return None

    def _on_buttons_accepted(self) -> None:
        problem = self.problem()
        if problem is None:
            self.accept()
            return
        self.note.setText(problem)
        if problem == messages.ACCOUNT_PASSWORD_MISMATCH:
            self.again_edit.clear()
            self.password_edit.selectAll()
            self.password_edit.setFocus()
