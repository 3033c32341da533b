"""Dialogs wide enough for their whole title and the program's name Qt adds to it ("正在导出… 据管理" was cut)."""

from __future__ import annotations

from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QSizePolicy, QSpacerItem, QWidget

TITLE_BAR_SPARE = 120  # the window manager's icon and buttons beside a title, and its bolder font
FITTING = "kejiju_fits_dialog_titles"  # an application property: the signal is connected once
FITTED = "kejiju_title_width"  # a message box's property: the width its spacer already holds


def fit_title(dialog: QWidget) -> None:
    """Wide enough for its title and the program's name Qt adds to it ("正在导出… 据管理" was cut)."""
    shown = f"{dialog.windowTitle()} — {QApplication.applicationDisplayName()}"
    needed = dialog.fontMetrics().horizontalAdvance(shown) + TITLE_BAR_SPARE
    if isinstance(dialog, QMessageBox):
        _widen_message_box(dialog, needed)
    else:
        dialog.setMinimumWidth(max(dialog.minimumWidth(), needed))


def _widen_message_box(box: QMessageBox, needed: int) -> None:
    # A message box fixes its size from its layout whenever that changes: a spacer row widens the layout.
    if box.property(FITTED) == needed:
        return
    box.setProperty(FITTED, needed)
    layout = box.layout()
    spacer = QSpacerItem(needed, 0, QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Minimum)
    layout.addItem(spacer, layout.rowCount(), 0, 1, layout.columnCount())


def fit_every_dialog() -> None:
    """Fit each dialog's width to its title as it takes the focus (Qt's static message boxes are out of
    reach before; watching the focus costs nothing while no window opens)."""
    app = QApplication.instance()
    if not app.property(FITTING):
        app.setProperty(FITTING, True)
        app.focusWindowChanged.connect(_fit_focused_dialog)


def _fit_focused_dialog(_window: QWindow | None) -> None:
    dialog = QApplication.activeWindow()
    if isinstance(dialog, QDialog):
        fit_title(dialog)
