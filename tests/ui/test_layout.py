"""The window at the screen sizes clerks have: first size, form buttons, columns, sort arrows, file dialogs."""

from PySide6.QtCore import Qt

from tests.ui.helpers import click_header, wait_counted
from ui.main_window import MainWindow

TITLE_BAR = 30  # the least a window manager's title bar takes


def test_the_first_window_fits_the_screens_available_geometry(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    available = window.screen().availableGeometry()
    assert window.frameGeometry().width() <= available.width()
    assert window.frameGeometry().height() + TITLE_BAR <= available.height()


def test_the_sort_arrow_points_down_for_newest_first_and_up_after_a_click(qtbot, demo_window):
    tab = demo_window.entity_tab("projects")
    wait_counted(qtbot, tab)
    column = [spec.key for spec in tab.model.columns].index("apply_year")
    header = lambda: tab.model.headerData(column, Qt.Orientation.Horizontal)  # noqa: E731
    assert tab.query().descending
    assert header().endswith("▼")
    click_header(qtbot, tab, "apply_year")
    wait_counted(qtbot, tab)
    assert not tab.query().descending
    assert header().endswith("▲")
