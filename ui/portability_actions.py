"""文件 menu: 另存副本, 恢复备份, 检查数据文件, 合并其他数据文件; automatic backups on open, close and while editing."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMessageBox

from db import portable
from db.database import DataFileError, connection_lost
from kejiju_desktop import paths
from kejiju_desktop.services import checkup
from kejiju_desktop.services.portability import backups, repair
from kejiju_desktop.services.portability import merge as merge_service
from ui import file_dialogs, messages, prompts, tasks
from ui.dialogs.check_result import CheckResultDialog
from ui.dialogs.merge_preview import MergePreviewDialog
from ui.dialogs.restore_backup import RestoreBackupDialog
from ui.stores import file_of

log = logging.getLogger(__name__)
OPEN_BACKUP_DELAY_MS = 1500  # after the window has painted: the clerk never waits for a backup
INTERVAL_MS = 30 * 60 * 1000
is_removable_or_network = portable.is_removable_or_network


def install(window) -> PortabilityActions:
    """Add the four 文件 entries and start the automatic backups of whatever file the window opens."""
    controller = PortabilityActions(window)
    window.portability_actions = controller
    return controller


class PortabilityActions(QObject):
    """The window's copy/backup/check/merge entries and its backup timers."""

    backup_finished = Signal(object)

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.pool = tasks.private_pool(self, 1)  # backups one at a time; writes wait for them
        self.current_path: Path | None = None
        self.last_report = ""
        window.before_upgrade = backups.before_upgrade
        self._build_actions()
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self._connect_signals()
        if window.data_file is not None:
            self._on_window_data_file_changed(window.data_file)

    def _build_actions(self) -> None:
        self.actions: dict[str, QAction] = {}
        for text, slot in (
            (messages.ACT_COPY, self.save_copy),
            (messages.ACT_RESTORE, self.restore),
            (messages.ACT_CHECK, self.check),
            (messages.ACT_MERGE, self.merge),
        ):
            action = QAction(text, self.window)
            action.triggered.connect(slot)
            if hasattr(self.window, "add_file_action"):
                self.window.add_file_action(action)
            else:
                self.window.menu(messages.MENU_FILE).addAction(action)
            self.actions[text] = action

    def _connect_signals(self) -> None:
        self.window.data_file_changed.connect(self._on_window_data_file_changed)
        self.timer.timeout.connect(self._on_timer_timeout)
        self.window.installEventFilter(self)

    # --- automatic backups ------------------------------------------------------------------------

    def _quiet(self) -> bool:
        return bool(getattr(self.window, "screenshot_mode", False))

    def _on_window_data_file_changed(self, opened) -> None:
        # A server database has no file: no automatic backups (its administrator runs pg_dump).
        previous, self.current_path = self.current_path, file_of(opened)
        if self._quiet():
            return
        if previous is not None and previous != self.current_path:
            self.start_backup(previous, "close")
        if self.current_path is None:
            return
        if not opened.read_only:
            QTimer.singleShot(OPEN_BACKUP_DELAY_MS, lambda p=opened.path: self._backup_if_open(p, "open"))
            self.timer.start()
        QTimer.singleShot(0, lambda p=opened.path: self._guard_location(p))

    def _backup_if_open(self, path: Path, reason: str) -> None:
        data = self.window.data_file
        if data is not None and file_of(data) == path and not data.read_only:
            self.start_backup(path, reason, backups.MIN_INTERVAL if reason == "interval" else None)

    def _on_timer_timeout(self) -> None:
        if self.current_path is not None:
            self._backup_if_open(self.current_path, "interval")

    def start_backup(self, path: Path, reason: str, min_interval: dt.timedelta | None = None) -> None:
        """Back up `path` in the background when it changed since its newest backup."""
        tasks.start(
            lambda: backups.backup_if_due(path, reason=reason, min_interval=min_interval),
            self._on_backup_finished,  # a failed backup is logged and reported in the status bar
            receiver=self,
            pool=self.pool,
            description=f"automatic backup of {path}",
        )

    def _on_backup_finished(self, result) -> None:
        bar = self.window.statusBar() if hasattr(self.window, "statusBar") else None
        if bar is not None and isinstance(result, backups.BackupInfo):
            bar.showMessage(messages.BACKUP_DONE_STATUS.format(reason=result.reason_label), 8000)
        elif bar is not None and isinstance(result, Exception):
            bar.showMessage(messages.BACKUP_FAILED_STATUS.format(reason=result), 15000)
        self.backup_finished.emit(result)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self._backup_on_close()
        return False

    def _backup_on_close(self) -> None:
        self.pool.waitForDone()
        data = self.window.data_file
        if data is None or data.read_only or self._quiet() or file_of(data) is None:
            return
        try:
            backups.backup_if_due(data.path, reason="close")
        except Exception as exc:  # noqa: BLE001 - closing must go on; the log says why
            log.warning("backup on close of %s failed: %s", data.path, exc)

    # --- guards -----------------------------------------------------------------------------------

    def _guard_location(self, path: Path) -> None:
        data = self.window.data_file
        if data is None or file_of(data) != path or not is_removable_or_network(path):
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning, messages.LOCAL_TITLE, messages.LOCAL_TEXT.format(name=path.name)
        )
        copy_button = box.addButton(messages.LOCAL_COPY, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(messages.LOCAL_KEEP, QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is copy_button:
            self.copy_to_local(path)

    def copy_to_local(self, path: Path) -> bool:
        """复制到本机打开: a consistent copy in the user data folder, opened in place of the original."""
        folder = paths.user_data_dir() / messages.LOCAL_FOLDER
        target = folder / path.name
        if target.exists():
            stamp = dt.datetime.now().strftime(backups.STAMP_FORMAT)
            target = folder / f"{path.stem}-{stamp}{path.suffix}"
        try:
            portable.copy_consistent(path, target)
        except DataFileError as exc:
            QMessageBox.warning(
                self.window, messages.LOCAL_TITLE, messages.LOCAL_FAILED.format(reason=exc.message)
            )
            return False
        return self.window.open_file(target)

    # --- 另存副本 -----------------------------------------------------------------------------------

    def _open_file(self, *, writable: bool = False, needs_file: str = ""):
        """The open store; None (after saying why) when there is none, it is read-only and `writable`,
        or it is a server database and the action `needs_file` is one only a data file has."""
        data = self.window.data_file
        if data is None:
            QMessageBox.information(self.window, messages.COPY_TITLE, messages.NO_FILE)
            return None
        if needs_file and file_of(data) is None:
            text = messages.NOT_ON_SERVER.format(action=needs_file.rstrip("…"), name=data.display_name)
            QMessageBox.information(self.window, messages.SERVER_TITLE, text)
            return None
        if writable and data.read_only:
            QMessageBox.information(self.window, messages.MERGE_TITLE, _read_only(data))
            return None
        return data

    def save_copy(self) -> None:
        """Ask where, then write a consistent copy of the open file there (off the GUI thread)."""
        data = self._open_file(needs_file=messages.ACT_COPY)
        if data is None:
            return
        suggested = data.path.with_name(
            messages.COPY_NAME.format(stem=data.path.stem, suffix=data.path.suffix)
        )
        chosen = file_dialogs.ask_save_path(
            self.window, file_dialogs.COPIES, messages.COPY_TITLE, suggested, messages.FILE_FILTER
        )
        if not chosen:
            return
        target = Path(chosen)
        if prompts.output_refused(self.window, messages.COPY_TITLE, target, data):
            return
        # The file dialog has already asked before replacing an existing file.
        self.window.run_task(messages.COPY_TITLE, lambda: _copy(data.path, target), self._on_copy_done, False)

    def _on_copy_done(self, result) -> None:
        if isinstance(result, Exception):
            reason = result.message if isinstance(result, DataFileError) else str(result)
            QMessageBox.warning(self.window, messages.COPY_TITLE, messages.COPY_FAILED.format(reason=reason))
            return
        QMessageBox.information(self.window, messages.COPY_TITLE, messages.COPY_DONE.format(path=result))

    # --- 恢复备份 -----------------------------------------------------------------------------------

    def restore(self) -> None:
        """List the backups of the open file, or of another one the clerk names (even one that will not open);
        on a server, the copies taken before merges, to save as a data file."""
        if self.window.data_file is not None and file_of(self.window.data_file) is None:
            self._save_server_backup(self.window.data_file)
            return
        path = self.window.data_file.path if self.window.data_file is not None else self._pick_damaged_file()
        if path is None:
            return
        dialog = RestoreBackupDialog(backups.list_backups(path), self.window)
        chosen_path = [path]

        def other_file() -> None:
            other = self._pick_damaged_file()
            if other is not None:
                chosen_path[0] = other
                dialog.set_backups(backups.list_backups(other), other.name)

        dialog.other_file_requested.connect(other_file)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.selected() is None:
            return
        chosen, path = dialog.selected(), chosen_path[0]
        question = messages.RESTORE_CONFIRM.format(
            time=chosen.taken_at.strftime(messages.TIME_FORMAT), name=path.name
        )
        if (
            QMessageBox.question(self.window, messages.RESTORE_TITLE, question)
            != QMessageBox.StandardButton.Yes
        ):
            return
        if not self.window.confirm_leave_all():
            return
        self.restore_backup(chosen, path)

    def _save_server_backup(self, store) -> None:
        dialog = RestoreBackupDialog(backups.list_server_backups(store.display_name), self.window)
        dialog.offer_saving(store.display_name)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.selected() is None:
            return
        chosen = dialog.selected()
        name = messages.RESTORE_SAVE_NAME.format(
            database=store.url.database, stamp=chosen.taken_at.strftime(backups.STAMP_FORMAT)
        )
        title = messages.RESTORE_SAVE_TITLE
        target = file_dialogs.ask_save_path(
            self.window, file_dialogs.COPIES, title, Path.home() / name, messages.FILE_FILTER
        )
        if target:
            self.window.run_task(title, lambda: _copy(chosen.path, Path(target)), self._on_copy_done, False)

    def _pick_damaged_file(self) -> Path | None:
        chosen = file_dialogs.ask_open_path(
            self.window, messages.RESTORE_PICK_FILE, file_dialogs.DATA_FILES, messages.FILE_FILTER
        )
        return Path(chosen) if chosen else None

    def restore_backup(self, chosen: backups.BackupInfo, path: Path) -> bool:
        """Put the backup in place of `path` (backed up first) and open it; the open file is closed if it is `path`."""
        self.pool.waitForDone()
        is_open = self.window.data_file is not None and self.window.data_file.path == path
        if is_open:
            self.window.close_file()
        try:
            notes = backups.restore_backup(chosen, path)
        except DataFileError as exc:
            QMessageBox.warning(
                self.window, messages.RESTORE_TITLE, messages.RESTORE_FAILED.format(reason=exc.message)
            )
            if is_open and path.exists():
                self.window.open_file(path)
            return False
        reopened = self.window.open_file(path)
        QMessageBox.information(self.window, messages.RESTORE_TITLE, "\n".join(notes))
        return reopened

    # --- 检查数据文件 ---------------------------------------------------------------------------------

    def check(self) -> None:
        """Run the check off the GUI thread, then show the report with 修复."""
        data = self._open_file()
        if data is not None:
            self.window.run_task(
                messages.CHECK_TASK, lambda: _check(data), lambda r: self._show_check(data, r)
            )

    def _show_check(self, data, report) -> None:
        if isinstance(report, Exception):
            QMessageBox.warning(self.window, messages.CHECK_TITLE, str(report))
            return
        dialog = CheckResultDialog(report, data.display_name, self.window)
        dialog.repair_requested.connect(lambda: self._repair(data, dialog))
        dialog.save_requested.connect(
            lambda: self._save_text(dialog.report_text(), messages.CHECK_REPORT_NAME)
        )
        self.check_dialog = dialog
        dialog.exec()

    def _repair(self, data, dialog: CheckResultDialog) -> None:
        if data.read_only:
            QMessageBox.information(dialog, messages.CHECK_TITLE, _read_only(data))
            return
        if (
            QMessageBox.question(dialog, messages.CHECK_TITLE, messages.REPAIR_CONFIRM)
            != QMessageBox.StandardButton.Yes
        ):
            return
        self.pool.waitForDone()
        self.window.run_task(
            messages.REPAIR_TASK, lambda: _repair(data), lambda r: self._on_repaired(data, dialog, r), False
        )

    def _on_repaired(self, data, dialog: CheckResultDialog, outcome) -> None:
        if isinstance(outcome, Exception):
            QMessageBox.warning(dialog, messages.CHECK_TITLE, str(outcome))
            return
        dialog.show_report(outcome.after, data.display_name, outcome.done)
        self.window.refresh()

    # --- 合并其他数据文件 -------------------------------------------------------------------------------

    def merge(self) -> None:
        """Pick the other file, plan off the GUI thread, preview, and only on 确认合并 write (after a backup:
        a data file's automatic one, a server's copy in its backup folder)."""
        data = self._open_file(writable=True)
        if data is None:
            return
        ours = file_of(data)
        chosen = file_dialogs.ask_open_path(
            self.window,
            messages.MERGE_PICK,
            file_dialogs.DATA_FILES,
            messages.FILE_FILTER,
            ours.parent if ours is not None else Path.home(),  # not the program's folder
        )
        if chosen:
            self.merge_file(Path(chosen))

    def merge_file(self, other: Path) -> None:
        """Merge `other` into the open file, by way of the preview (checking and reading it off the GUI thread)."""
        data = self.window.data_file
        self.window.run_task(
            messages.MERGE_READING, lambda: _plan(data, other), lambda p: self._preview(data, other, p)
        )

    def _preview(self, data, other: Path, plan) -> None:
        if isinstance(plan, Exception):
            reason = _reason(data, plan)
            QMessageBox.warning(
                self.window, messages.MERGE_TITLE, messages.MERGE_REFUSED.format(reason=reason)
            )
            return
        if not plan.items and not plan.refused:
            QMessageBox.information(self.window, messages.MERGE_TITLE, messages.MERGE_NOTHING)
            return
        dialog = MergePreviewDialog(plan, _name_of(data), other.name, self.window)
        today = dt.date.today().isoformat()
        dialog.save_requested.connect(
            lambda: self._save_text(dialog.report_text(), messages.MERGE_REPORT_NAME.format(date=today))
        )
        self.merge_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.pool.waitForDone()
        work = lambda: merge_service.iter_merge(data, plan, dialog.choices())  # noqa: E731
        done = lambda r: self._on_merged(dialog, r, data)  # noqa: E731
        self.window.run_task(messages.MERGE_WRITING, work, done, False)

    def _on_merged(self, dialog: MergePreviewDialog, result, data) -> None:
        if isinstance(result, Exception):
            reason = _reason(data, result)
            QMessageBox.warning(
                self.window, messages.MERGE_TITLE, messages.MERGE_REFUSED.format(reason=reason)
            )
            return
        self.last_report = dialog.report_text(result)
        self.window.refresh()
        said = messages.SERVER_MERGED if file_of(data) is None else messages.MERGE_DONE
        done = said.format(n=result.total, backup=result.backup)
        box = QMessageBox(QMessageBox.Icon.Information, messages.MERGE_TITLE, done)
        save = box.addButton(messages.MERGE_SAVE, QMessageBox.ButtonRole.ActionRole)
        box.addButton(messages.BTN_CLOSE, QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is save:
            self._save_text(
                self.last_report, messages.MERGE_REPORT_NAME.format(date=dt.date.today().isoformat())
            )

    def _save_text(self, text: str, suggested: str) -> Path | None:
        folder = self.current_path.parent if self.current_path else Path.home()
        chosen = file_dialogs.ask_save_path(
            self.window, file_dialogs.REPORTS, messages.CHECK_SAVE, folder / suggested, messages.REPORT_FILTER
        )
        if not chosen:
            return None
        path = Path(chosen)
        if prompts.output_refused(self.window, messages.CHECK_SAVE, path, self.window.data_file):
            return None
        try:
            path.write_text(text, encoding="utf-8-sig")
        except OSError as exc:
            QMessageBox.warning(self.window, messages.CHECK_SAVE, str(exc))
            return None
        QMessageBox.information(self.window, messages.CHECK_SAVE, messages.REPORT_SAVED.format(path=path))
        return path


def _copy(source: Path, target: Path):
    yield 0, 1
    portable.copy_consistent(source, target, overwrite=True)
    yield 1, 1
    return target


def _reason(data, error: Exception):
    """Why a merge was not done: a server gone away mid-way as its sentence (the server rolled the merge
    back), else the error itself (our refusals are sentences)."""
    lost = connection_lost(error, data.display_name)
    return lost if lost is not None else error


def _name_of(data) -> str:
    """What the preview calls our side: the data file's name, a server database's account@host/database."""
    ours = file_of(data)
    return ours.name if ours is not None else data.display_name


def _plan(data, other: Path):
    incoming = merge_service.open_incoming(file_of(data), other)
    try:
        plan = yield from merge_service.iter_plan(data, incoming)
    finally:
        incoming.close()
    return plan


def _check(data):
    report = checkup.CheckReport(server=checkup.server_of(data))
    with data.sessions() as session:
        for done, total, finding in checkup.iter_check(session, server=report.server):
            if finding is not None:
                report.findings.append(finding)
            yield done, total
    return report


def _repair(data):
    yield 0, 1
    outcome = repair.repair(data)
    yield 1, 1
    return outcome


def restore_without_window_file(window, path: Path) -> bool:
    """At start-up, when `path` would not open: choose one of its backups, put it in place, open it."""
    listed = backups.list_backups(path)
    if not listed:
        return False
    dialog = RestoreBackupDialog(listed, window)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.selected() is None:
        return False
    try:
        notes = backups.restore_backup(dialog.selected(), path)
    except DataFileError as exc:
        QMessageBox.warning(
            window, messages.RESTORE_TITLE, messages.RESTORE_FAILED.format(reason=exc.message)
        )
        return False
    opened = window.open_file(path)
    if opened:
        QMessageBox.information(window, messages.RESTORE_TITLE, "\n".join(notes))
    return opened


def _read_only(data) -> str:
    """Why a read-only store takes no merge or repair: a file opened read-only, or a 查看 on a server."""
    return messages.READ_ONLY if file_of(data) is not None else messages.READ_ONLY_SERVER
