"""Open and save dialogs that start in the folder last used for that kind of file, and Qt's own dialog made to fit."""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSize
from PySide6.QtWidgets import QApplication, QFileDialog, QListView, QTreeView, QWidget

from ui.app_settings import AppSettings

# Kinds of file, each with its own remembered folder (a clerk keeps reports, sheets and copies apart).
REPORTS, SPREADSHEETS, COPIES, DATA_FILES = "reports", "spreadsheets", "copies", "data_files"
DIALOG_SIZE = QSize(820, 520)  # Qt's own dialog opens at 632 × 408: the side bar's 计算机 was cut
SCREEN_MARGIN = QSize(40, 80)  # room for the dialog's title bar and the taskbar
SIDEBAR_SPARE = 24  # the side bar's item margins and focus frame beside its widest place name
NAME_COLUMN = 320  # the detail view's 名称 column, wide enough for a report's file name


def ask_save_path(parent: QWidget, kind: str, title: str, suggested: Path, file_filter: str) -> str:
    """Ask where to save (the dialog confirms replacing); it opens in the last folder used for `kind`,
    else in the suggested file's own. Returns the chosen path, "" when cancelled."""
    settings = AppSettings()
    folder = settings.last_folder(kind) or suggested.parent
    with _fitted_file_dialogs():
        chosen, _filter = QFileDialog.getSaveFileName(
            parent, title, str(folder / suggested.name), file_filter
        )
    if chosen:
        settings.set_last_folder(kind, Path(chosen).parent)
    return chosen


def ask_open_path(
    parent: QWidget, title: str, kind: str, file_filter: str, fallback: Path | None = None
) -> str:
    """Ask which file to open; the dialog opens in the last folder used for `kind`, else in `fallback`
    (else Qt's default). Returns the chosen path, "" when cancelled."""
    settings = AppSettings()
    folder = settings.last_folder(kind) or fallback
    with _fitted_file_dialogs():
        chosen, _filter = QFileDialog.getOpenFileName(parent, title, str(folder or ""), file_filter)
    if chosen:
        settings.set_last_folder(kind, Path(chosen).parent)
    return chosen


def fit_file_dialog(dialog: QFileDialog) -> None:
    """Qt's own dialog (Linux without a desktop's): a size that shows the side bar's places and the names."""
    room = dialog.screen().availableGeometry().size() - SCREEN_MARGIN
    dialog.resize(DIALOG_SIZE.boundedTo(room))
    sidebar = dialog.findChild(QListView, "sidebar")
    if sidebar is not None:  # a minimum, not splitter sizes: the window manager's resize comes later
        sidebar.setMinimumWidth(sidebar.sizeHintForColumn(0) + 2 * sidebar.frameWidth() + SIDEBAR_SPARE)
    tree = dialog.findChild(QTreeView, "treeView")
    if tree is not None:
        tree.header().resizeSection(0, NAME_COLUMN)


class _FileDialogFitter(QObject):
    """Fits each of Qt's own file dialogs as it is shown (the static functions build it out of reach)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QFileDialog):
            fit_file_dialog(watched)
        return False


@contextlib.contextmanager
def _fitted_file_dialogs():
    # Watching every event costs a Python call each: only while a file dialog is open.
    app = QApplication.instance()
    fitter = _FileDialogFitter()
    app.installEventFilter(fitter)
    try:
        yield
    finally:
        app.removeEventFilter(fitter)
