"""文件 → 导出当前列表… / 打印当前列表… (Ctrl+P), also a button on every tab: the rows the tab shows now."""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QMessageBox

from kejiju_desktop.services import current_list
from ui import exchange_actions, list_printer, messages
from ui.tasks import TaskCancelled

ASK_ABOVE_ROWS = 3000  # about 120 pages
ROWS_A_PAGE = 25  # one-line rows of the printed list


def install(window) -> None:
    """Add both actions to 文件 and as buttons beside every tab's filters."""
    export = QAction(messages.ACT_EXPORT_LIST, window)
    export.setIconText(messages.TOOL_EXPORT_LIST)
    export.triggered.connect(lambda: export_list(window))
    printing = QAction(messages.ACT_PRINT_LIST, window)
    printing.setIconText(messages.TOOL_PRINT_LIST)
    printing.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
    printing.triggered.connect(lambda: print_list(window))
    for action in (export, printing):
        window.add_file_action(action)
        window.add_tab_tool(action)
    window.list_actions = (export, printing)


def _shown_tab(window):
    """The editor tab shown, or None (after telling the clerk to pick one)."""
    tab = window.current_tab() if window.data_file is not None else None
    if tab is None:
        QMessageBox.information(window, messages.ACT_PRINT_LIST, messages.LIST_NO_TAB)
    return tab


def export_list(window) -> None:
    """The tab's rows, filtered, searched and sorted as shown, to .xlsx through the Excel export."""
    if _shown_tab(window) is not None:
        exchange_actions.export_current(window)


def print_list(window) -> None:
    """Read the tab's rows off the GUI thread, then show them in the print preview."""
    tab = _shown_tab(window)
    if tab is None or not _confirm_long(window, tab.model.matching_count):
        return
    sessions, entity, query, today = window.data_file.sessions, tab.entity, tab.query(), dt.date.today()

    def work():
        with sessions() as session:
            return (yield from current_list.iter_list_sheet(session, entity, query, today))

    def done(sheet) -> None:
        if isinstance(sheet, BaseException):  # cancelled, or failed (the reason is in the log)
            if not isinstance(sheet, TaskCancelled):
                QMessageBox.warning(window, messages.ACT_PRINT_LIST, messages.PRINT_FAILED)
        else:
            preview(window, sheet)

    window.run_task(messages.PRINT_TASK, work, done)


def _confirm_long(window, rows: int | None) -> bool:
    """Whether to go on with a list of hundreds of pages (the preview lays out every page first)."""
    if rows is None or rows <= ASK_ABOVE_ROWS:
        return True
    text = messages.PRINT_LONG.format(n=rows, pages=rows // ROWS_A_PAGE + 1)
    return QMessageBox.question(window, messages.ACT_PRINT_LIST, text) == QMessageBox.StandardButton.Yes


def preview(window, sheet: current_list.ListSheet) -> None:
    """Qt's print preview of the list; its 打印 button goes to the printer (or a PDF file)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    list_printer.set_up(printer)
    printer.setDocName(sheet.title)
    dialog = QPrintPreviewDialog(printer, window)
    dialog.setWindowTitle(messages.PRINT_PREVIEW_TITLE.format(title=sheet.title))
    dialog.paintRequested.connect(lambda target: list_printer.paint_list(target, sheet))
    dialog.resize(window.size() * 0.9)
    dialog.exec()
