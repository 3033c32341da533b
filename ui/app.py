"""GUI entry: Qt application, Chinese translations, log file, error hook, first file, --screenshot, SIGTERM."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import sys
import time
import traceback
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QSocketNotifier, QTimer, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from db.database import DataFileError
from db.server import is_server_url
from kejiju_desktop import APP_ID, APP_NAME, fields, paths
from kejiju_desktop.logs import setup_logging
from kejiju_desktop.options import EXIT_OK, EXIT_PROBLEMS, build_window_parser
from ui import credentials, messages
from ui.dialogs.server_dialog import ServerDialog, ServerLogin, login_of

log = logging.getLogger("kejiju")
SCREENSHOT_SIZE = (1280, 800)
SCREENSHOT_WAIT_S = 10


def make_excepthook(log_path: Path, *, quiet: bool = False):
    """sys.excepthook: the traceback goes to the log, the clerk sees a short sentence with its path."""

    def hook(kind, value, tb) -> None:
        log.error("unexpected error\n%s", "".join(traceback.format_exception(kind, value, tb)))
        if quiet or QApplication.instance() is None:
            print(messages.ERROR_TEXT.format(path=log_path), file=sys.stderr)
            return
        QMessageBox.critical(None, messages.ERROR_TITLE, messages.ERROR_TEXT.format(path=log_path))

    return hook


def load_translations(app: QApplication) -> None:
    """Qt's own dialogs and buttons in Chinese: qtbase_zh_CN.qm shipped with PySide6, then ours for the
    labels it leaves in English (the file dialog's "Look in:", "Files of type:"), asked first."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ours = str(paths.resources_dir() / "i18n")
    for name, folder in (("qtbase_zh_CN", qt_folder), ("kejiju_qt_zh_CN", ours)):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)  # the one installed last is asked first
        else:
            log.warning("%s.qm not found in %s", name, folder)


def make_application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else APP_ID])
    app.setOrganizationName(APP_ID)
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    # Title bar and taskbar: Qt does not use the .exe's own icon (build.spec) for its windows.
    app.setWindowIcon(QIcon(str(paths.resources_dir() / "icons" / "kejiju.png")))
    load_translations(app)
    return app


def run_gui(argv: list[str]) -> int:
    """Open the main window (or render it to a PNG with --screenshot); returns the exit code."""
    started = start_window(argv)
    if isinstance(started, int):
        return started
    app, window, args = started
    if args.screenshot:
        return take_screenshot(app, window, Path(args.screenshot), args.tab or fields.TAB_TABLES[0])
    return app.exec()


def start_window(argv: list[str]):
    """Everything up to the window shown with its tab filled: (app, window, args), or an exit code."""
    parser = build_window_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    log_path = setup_logging()
    sys.excepthook = make_excepthook(log_path, quiet=bool(args.screenshot))
    if args.screenshot:
        # Renders off screen as its help says, with or without a display; read when the application is made.
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = make_application()
    from ui.main_window import MainWindow

    window = MainWindow(screenshot=bool(args.screenshot), defer_extensions=not args.screenshot)
    window.asks_operator = not args.screenshot
    if not args.screenshot:
        ShutdownWatcher(app, window)  # before a file opens: from then on SIGTERM closes it cleanly
        window.restore_from_settings()
    if args.tab:
        window.select_tab(args.tab)  # before the file opens, so only the tab shown reads rows
    if not open_first_file(window, args.db):
        return EXIT_PROBLEMS
    if not args.screenshot:
        window.show()
    return app, window, args


def open_first_file(window, db: str | None) -> bool:
    """The file named by --db, else the default one (created on first run); offer 新建/打开 on failure."""
    if db and is_server_url(db):
        return open_first_server(window, db)
    if db:
        path = Path(db)
    else:
        path = paths.default_data_file()
        if not path.exists() and not window.create_and_open(path):
            return False
    if window.data_file is not None or window.open_file(path):
        return True
    return not window.screenshot_mode and offer_another_file(window, path)


def open_first_server(window, given: str) -> bool:
    """--db postgresql://…: connect before the window is shown (so nothing on screen waits; at most 5 s),
    with the password from the credential store or PGPASSWORD, else asked for."""
    from ui.window_server import open_and_listen

    try:
        login = login_of(given)
    except DataFileError as exc:
        return window.on_server_opened(ServerLogin(), exc)
    login.password = credentials.remembered(login.name) or ""
    login.remember = bool(login.password)
    if not login.password and not os.environ.get("PGPASSWORD") and not window.screenshot_mode:
        dialog = ServerDialog(login, window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        login = dialog.login()
    try:
        opened = open_and_listen(login)
    except Exception as exc:  # noqa: BLE001 - said as the window's own connecting says it (logged there)
        opened = exc
    return window.on_server_opened(login, opened)


def offer_another_file(window, failed: Path | None = None) -> bool:
    """No file could be opened: let the clerk restore a backup of it, create one, choose another, or quit."""
    from kejiju_desktop.services.portability.backups import list_backups

    while window.data_file is None:
        box = QMessageBox(QMessageBox.Icon.Warning, messages.NO_FILE_TITLE, messages.NO_FILE_TEXT)
        restore = None
        if failed is not None and list_backups(failed):
            restore = box.addButton(messages.ACT_RESTORE, QMessageBox.ButtonRole.ActionRole)
        new = box.addButton(messages.NEW_FILE_TITLE, QMessageBox.ButtonRole.AcceptRole)
        choose = box.addButton(messages.NO_FILE_OPEN, QMessageBox.ButtonRole.ActionRole)
        box.addButton(messages.ACT_QUIT, QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if restore is not None and box.clickedButton() is restore:
            from ui.portability_actions import restore_without_window_file

            restore_without_window_file(window, failed)
        elif box.clickedButton() is new:
            window.new_data_file()
        elif box.clickedButton() is choose:
            window.choose_file()
        else:
            return False
    return True


def take_screenshot(app: QApplication, window, out: Path, tab: str) -> int:
    """Render the window at 1280×800 with `tab` shown and filled, save the PNG, close."""
    window.resize(*SCREENSHOT_SIZE)
    window.select_tab(tab)
    window.show()
    current = window.current_tab()
    if current is not None and current.model.rowCount() > 0:
        current.table.selectRow(0)
    _wait_until_filled(app, window)
    out.parent.mkdir(parents=True, exist_ok=True)
    saved = window.grab().save(str(out), "PNG")
    window.close()
    return EXIT_OK if saved else EXIT_PROBLEMS


def _is_filled(window) -> bool:
    """An editor tab has its count; a pane with `facts_ready` (the report composer) has its figures."""
    tab = window.current_tab()
    if tab is not None:
        return tab.model.matching_count is not None
    ready = getattr(window.tab_widget.currentWidget(), "facts_ready", None)
    return ready is None or ready()


def _wait_until_filled(app: QApplication, window) -> None:
    deadline = time.monotonic() + SCREENSHOT_WAIT_S
    while time.monotonic() < deadline:
        app.processEvents()
        if _is_filled(window):
            break
        time.sleep(0.01)
    for _ in range(5):
        app.processEvents()


class ShutdownWatcher(QObject):
    """SIGTERM and the end of the desktop session close the data file cleanly (lock removed, marked clean).

    Windows sends a GUI no SIGTERM: logoff and shutdown arrive as commitDataRequest instead.
    """

    def __init__(self, app: QApplication, window):
        super().__init__(app)  # the app keeps it, with its sockets, alive
        self._app, self._window = app, window
        app.commitDataRequest.connect(self._on_app_commit_data_request)
        # Python runs a signal handler only when it next gets control, which Qt's loop does not give it:
        # the C handler writes to a socket Qt watches, and reading that socket lets the handler run.
        self._reader, self._writer = socket.socketpair()
        for sock in (self._reader, self._writer):
            sock.setblocking(False)
        signal.set_wakeup_fd(self._writer.fileno())
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_notifier_activated)
        signal.signal(signal.SIGTERM, self._on_sigterm)

    def _on_notifier_activated(self) -> None:
        with contextlib.suppress(OSError):
            self._reader.recv(64)

    def _on_sigterm(self, _signum, _frame) -> None:
        QTimer.singleShot(0, self._terminate)  # the handler may run mid-slot: close from the loop

    def _terminate(self) -> None:
        log.info("SIGTERM: closing the data file and quitting")
        self._window.end_session()
        self._app.exit(0)

    def _on_app_commit_data_request(self, manager) -> None:
        end_desktop_session(self._window, manager)


def end_desktop_session(window, manager=None) -> None:
    """Logoff or shutdown: ask about unsaved edits where the session manager allows it, then close the file.

    Qt says not to quit here (the logoff may yet be cancelled by another program); the file is closed.
    """
    if manager is not None and manager.allowsInteraction():
        stay = not window.confirm_leave_all()
        manager.release()
        if stay:
            manager.cancel()
            return
    window.end_session()
