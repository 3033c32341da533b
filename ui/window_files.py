"""The main window's data files: open, create, recent files, close; notices after the first paint."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QThreadPool
from sqlalchemy.exc import SQLAlchemyError

from db.database import DataFileError, create_data_file, open_data_file
from db.journal import probe_data_file
from db.schema import SCHEMA_HEAD
from kejiju_desktop.services import records
from ui import file_dialogs, messages, tasks
from ui.stores import file_of
from ui.table_model import count_pool
from ui.window_server import recent_url

log = logging.getLogger(__name__)


class WindowFiles:
    """Mixed into MainWindow: everything about which data file is open."""

    def open_file(self, path) -> bool:
        """Open a data file; on failure say why and keep the file that was open."""
        if not self.confirm_leave_all():
            return False
        if self._extensions_pending and self._upgrade_due(Path(path)):
            self._install_extensions()  # the backup before an upgrade is an extension's
        try:
            # The window holds the file for hours: it takes the lock even from another holder, and says so.
            opened = open_data_file(Path(path), before_upgrade=self.before_upgrade, take_over=True)
        except DataFileError as exc:
            self._warn(messages.OPEN_FAILED_TITLE, exc.message)
            return False
        except (OSError, SQLAlchemyError):
            log.exception("opening %s failed", path)
            self._warn(messages.OPEN_FAILED_TITLE, messages.OPEN_ERROR.format(name=Path(path).name))
            return False
        self._switch_to(opened)
        return True

    def _switch_to(self, opened) -> None:
        self.close_file()
        self.data_file = opened
        self.last_deleted = None
        self._prepare_search()
        self.settings.add_recent(file_of(opened) or recent_url(opened))
        for tab in self._tabs.values():
            tab.set_data_file(opened)
        self.workbench.set_data_file(opened)
        self.current_tab()
        self._update_title()
        self._update_actions()
        self._update_counts()
        if self.isVisible():
            self._announce_file()
        else:  # at start-up: extensions do their opening work once the window is on screen
            self._file_to_announce = True

    @staticmethod
    def _upgrade_due(path: Path) -> bool:
        try:
            return probe_data_file(path).revision != SCHEMA_HEAD
        except DataFileError:
            return False  # opening will say what is wrong

    def _prepare_search(self) -> None:
        """Bring the word index up to date (from a server off the GUI thread: the tabs read meanwhile)."""
        if self.data_file is None or self.data_file.read_only:
            return
        opened = self.data_file
        tasks.call(
            opened,
            lambda: _prepared(opened),
            _on_search_prepared,
            receiver=self,
            description=f"preparing the search index of {opened.display_name}",
        )

    def close_file(self) -> None:
        """Close the open data file (after background counts end)."""
        self.stop_listening()
        if self.data_file is None:
            return
        count_pool().waitForDone()
        # The report pane's figures are read on the global pool: a store closed under a read would leave
        # that connection open (on a server, a session) until the garbage collector finds it.
        QThreadPool.globalInstance().waitForDone()
        self.tasks.wait()
        self.data_file.close()
        self.data_file = None

    def choose_file(self) -> bool:
        opened = file_of(self.data_file)
        start = opened.parent if opened is not None else None
        path = file_dialogs.ask_open_path(
            self, messages.OPEN_FILE_TITLE, file_dialogs.DATA_FILES, messages.FILE_FILTER, start
        )
        return bool(path) and self.open_file(path)

    def new_data_file(self) -> bool:
        path = file_dialogs.ask_save_path(
            self, file_dialogs.DATA_FILES, messages.NEW_FILE_TITLE, Path(""), messages.FILE_FILTER
        )
        if not path:
            return False
        return self.create_and_open(Path(path))

    def create_and_open(self, path: Path) -> bool:
        """Create an empty data file (the save dialog has asked about replacing one) and open it."""
        opened = file_of(self.data_file)
        if opened is not None and path.resolve() == opened.resolve():
            self._warn(messages.NEW_FILE_TITLE, messages.REPLACE_OPEN_FILE.format(name=path.name))
            return False
        if path.suffix == "":
            path = path.with_suffix(".kjdb")
        try:
            create_data_file(path, overwrite=path.exists())
        except DataFileError as exc:
            self._warn(messages.NEW_FILE_TITLE, exc.message)
            return False
        return self.open_file(path)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_files()
        if not recent:
            self.recent_menu.addAction(messages.ACT_RECENT_NONE).setEnabled(False)
        for path in recent:
            self.recent_menu.addAction(str(path), lambda p=path: self._open_recent(p))

    def _open_recent(self, path: Path | str) -> None:
        if isinstance(path, str):  # a server database's URL
            self.open_server_url(path)
            return
        if not path.exists():
            self.settings.remove_recent(path)
            self._warn(messages.OPEN_FAILED_TITLE, messages.RECENT_MISSING.format(path=path))
            return
        self.open_file(path)


def _prepared(opened) -> None:
    with opened.writer() as session:
        records.prepare_search(session)


def _on_search_prepared(answer) -> None:
    # A busy file or a server gone is logged (the search still answers, more slowly); anything else is a defect.
    if isinstance(answer, Exception) and not isinstance(answer, SQLAlchemyError | DataFileError):
        raise answer
