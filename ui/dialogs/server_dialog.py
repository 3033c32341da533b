"""连接服务器数据库…: host, port, database, account, password, 记住密码 (credential store only), SSL 要求."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
)

from db.server import server_url
from ui import credentials, messages

DEFAULT_PORT = 5432
REQUIRE = "require"
URL_SIGNS = set("@:/?#%&=+ ")


@dataclass
class ServerLogin:
    """What the dialog asks; `url` is the --db URL, which never holds the password."""

    host: str = ""
    port: int = DEFAULT_PORT
    database: str = ""
    account: str = ""
    password: str = ""
    remember: bool = False
    require_ssl: bool = False

    @property
    def url(self) -> str:
        """postgresql://account@host:port/database (?sslmode=require when asked), quoted as URLs need."""
        query = f"?sslmode={REQUIRE}" if self.require_ssl else ""
        return f"postgresql://{_quoted(self.account)}@{self.host}:{self.port}/{_quoted(self.database)}{query}"

    @property
    def name(self) -> str:
        """account@host:port/database: what the credential store files the password under."""
        return f"{self.account}@{self.host}:{self.port}/{self.database}"


def _quoted(part: str) -> str:
    # Chinese account names stay readable in the recent list; only what a URL gives a meaning is escaped.
    return quote(part, safe="") if URL_SIGNS & set(part) else part


def login_of(given: str) -> ServerLogin:
    """The fields of a --db URL; one that is not usable (or holds a password): ServerError, a sentence."""
    url = server_url(given)
    return ServerLogin(
        host=url.host or "",
        port=url.port or DEFAULT_PORT,
        database=url.database or "",
        account=url.username or "",
        require_ssl=url.query.get("sslmode") == REQUIRE,
    )


class ServerDialog(QDialog):
    """Asks for a server database and its account; `login()` is what the clerk entered."""

    def __init__(self, given: ServerLogin | None = None, parent=None):
        super().__init__(parent)
        self.setWindowTitle(messages.SERVER_TITLE)
        self._build_ui()
        self._show(given or ServerLogin())

    def _build_ui(self) -> None:
        self.host, self.database, self.account = QLineEdit(self), QLineEdit(self), QLineEdit(self)
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(messages.SERVER_REMEMBER, self)
        self.require_ssl = QCheckBox(messages.SERVER_SSL, self)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        form = QFormLayout()
        for label, widget in (
            (messages.SERVER_HOST, self.host),
            (messages.SERVER_PORT, self.port),
            (messages.SERVER_DATABASE, self.database),
            (messages.SERVER_ACCOUNT, self.account),
            (messages.SERVER_PASSWORD, self.password),
        ):
            form.addRow(label, widget)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        for widget in (self.remember, self.require_ssl, self.note, self.buttons):
            layout.addWidget(widget)

    def _show(self, given: ServerLogin) -> None:
        self.host.setText(given.host)
        self.port.setValue(given.port)
        self.database.setText(given.database)
        self.account.setText(given.account)
        self.password.setText(given.password)
        self.require_ssl.setChecked(given.require_ssl)
        # Without a credential store there is nowhere safe to keep a password: never in settings.
        can_remember = credentials.available()
        self.remember.setEnabled(can_remember)
        self.remember.setChecked(can_remember and given.remember)
        self.note.setText("" if can_remember else messages.SERVER_REMEMBER_UNAVAILABLE)
        self.note.setVisible(not can_remember)
        (self.password if given.host and given.account else self.host).setFocus()

    def login(self) -> ServerLogin:
        """The fields as entered (host, database and account trimmed)."""
        return ServerLogin(
            host=self.host.text().strip(),
            port=self.port.value(),
            database=self.database.text().strip(),
            account=self.account.text().strip(),
            password=self.password.text(),
            remember=self.remember.isChecked(),
            require_ssl=self.require_ssl.isChecked(),
        )

    def _on_buttons_accepted(self) -> None:
        login = self.login()
        if not (login.host and login.database and login.account):
            self.note.setText(messages.SERVER_FILL_IN)
            self.note.setVisible(True)
            return
        self.accept()
