"""The window at the screen sizes clerks have: first size, form buttons, columns, sort arrows, file dialogs."""

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QLineEdit, QProgressDialog, QWidget

from db.database import create_data_file
from kejiju_desktop import APP_NAME
from tests.ui.helpers import click_header, type_into, wait_counted, wait_validated
from ui import file_dialogs
from ui import messages as report_messages
from ui.app import load_translations
from ui.dialogs.import_wizard import ImportWizard
from ui.entity_tab import COLUMN_PADDING, MAX_GROWTH, WHOLE_KINDS
from ui.field_editors import TEXT_MARGIN
from ui.main_window import MainWindow, first_size
from ui.tasks import TaskRunner

TITLE_BAR = 30  # the least a window manager's title bar takes
BAD_CREDIT_CODE = "91110000MA00000000"  # its check character is wrong: a warning, not an error


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


def shown_part(widget, window) -> QRect:
    """The part of `widget` not clipped away by its parents (a scroll area's viewport, the window)."""
    shown = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        shown &= QRect(parent.mapTo(window, QPoint(0, 0)), parent.size())
        parent = parent.parentWidget()
    return shown & window.rect()


def show_credit_code_warning(qtbot, window):
    tab = window.entity_tab("enterprises")
    window.select_tab("enterprises")
    wait_counted(qtbot, tab)
    tab.table.selectRow(0)
    type_into(qtbot, tab.form, "credit_code", BAD_CREDIT_CODE)
    wait_validated(qtbot, tab.form)
    assert "校验位" in tab.form.message("credit_code")
    return tab.form


@pytest.mark.parametrize("screen", [QSize(1024, 700), QSize(1280, 800), QSize(1366, 768)])
def test_the_form_buttons_stay_whole_on_screen_with_the_credit_code_warning(qtbot, demo_window, screen):
    demo_window.resize(first_size(screen))
    form = show_credit_code_warning(qtbot, demo_window)
    qtbot.wait(50)
    for button in (form.new_button, form.save_button, form.cancel_button, form.delete_button):
        assert shown_part(button, demo_window).size() == button.size(), button.text()


def test_a_field_beside_a_message_stays_level_with_its_label(qtbot, demo_window):
    demo_window.resize(first_size(QSize(1024, 700)))
    form = show_credit_code_warning(qtbot, demo_window)
    town = form.editors["town"].widget
    label = next(lbl for lbl in form.findChildren(QLabel) if lbl.buddy() is town)
    assert abs(town.mapTo(form, QPoint(0, 0)).y() - label.mapTo(form, QPoint(0, 0)).y()) <= 6


@pytest.mark.parametrize("table", ["projects", "enterprises", "patents", "awards", "events"])
def test_field_boxes_show_the_first_records_values_whole_at_1024(qtbot, demo_window, table):
    demo_window.resize(first_size(QSize(1024, 700)))
    demo_window.select_tab(table)
    tab = demo_window.current_tab()
    wait_counted(qtbot, tab)
    tab.table.selectRow(0)
    qtbot.wait(50)
    for key, editor in tab.form.editors.items():
        box = editor.focus_widget()
        if isinstance(box, QLineEdit) and box.text():
            needed = box.fontMetrics().horizontalAdvance(box.text()) + TEXT_MARGIN - 4
            assert box.width() >= needed, (key, box.text(), box.width())


def test_columns_share_free_width_none_past_twice_its_declared_width(qtbot, demo_window):
    demo_window.resize(first_size(QSize(1366, 768)))
    tab = demo_window.entity_tab("enterprises")
    demo_window.select_tab("enterprises")
    wait_counted(qtbot, tab)
    qtbot.wait(50)
    header = tab.table.horizontalHeader()
    for column, spec in enumerate(tab.model.columns):
        label = header.fontMetrics().horizontalAdvance(spec.label) + COLUMN_PADDING
        assert tab.table.columnWidth(column) <= max(label, spec.width * MAX_GROWTH), spec.label
    assert sum(tab.table.columnWidth(c) for c in range(len(tab.model.columns))) <= header.width()


def test_qts_own_file_dialog_speaks_chinese(qapp):
    load_translations(qapp)
    dialog = QFileDialog(None)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    labels = {label.objectName(): label.text() for label in dialog.findChildren(QLabel)}
    dialog.deleteLater()
    assert labels["lookInLabel"] == "查找范围(&L)："
    assert labels["fileTypeLabel"] == "文件类型(&T)："


def test_a_save_dialog_starts_in_the_folder_last_used_for_that_kind(qtbot, tmp_path, monkeypatch):
    asked = []
    reports, sheets = tmp_path / "报告", tmp_path / "表格"
    reports.mkdir(), sheets.mkdir()
    answers = iter([str(reports / "年报.docx"), str(sheets / "专利.xlsx")])

    def ask(_parent, _title, start, _filter):
        asked.append(Path(start))
        return next(answers, ""), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(ask))
    parent = QWidget()
    qtbot.addWidget(parent)
    elsewhere = tmp_path / "别处" / "x"
    file_dialogs.ask_save_path(parent, file_dialogs.REPORTS, "t", elsewhere / "a.docx", "")
    file_dialogs.ask_save_path(parent, file_dialogs.SPREADSHEETS, "t", elsewhere / "b.xlsx", "")
    file_dialogs.ask_save_path(parent, file_dialogs.REPORTS, "t", elsewhere / "c.docx", "")
    file_dialogs.ask_save_path(parent, file_dialogs.SPREADSHEETS, "t", elsewhere / "d.xlsx", "")
    assert asked == [elsewhere / "a.docx", elsewhere / "b.xlsx", reports / "c.docx", sheets / "d.xlsx"]


def test_an_open_dialog_starts_in_the_folder_last_used_for_that_kind(
    qtbot, make_window, tmp_path, monkeypatch
):
    data_folder, sheets = tmp_path / "数据", tmp_path / "表格"
    data_folder.mkdir(), sheets.mkdir()
    create_data_file(data_folder / "其他.kjdb")
    asked, answers = [], [str(data_folder / "其他.kjdb"), "", str(sheets / "专利.xlsx"), ""]

    def ask(_parent, _title, start, _filter):
        asked.append(start)
        return answers.pop(0), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(ask))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(ask))
    window = make_window()
    assert window.choose_file()  # 文件 → 打开: its folder is the data files' folder
    window.new_data_file()  # 新建数据文件 starts there (cancelled)
    file_dialogs.ask_save_path(window, file_dialogs.SPREADSHEETS, "t", tmp_path / "专利.xlsx", "")
    wizard = ImportWizard(window.data_file, window.run_task, parent=window)
    qtbot.addWidget(wizard)
    wizard._on_browse_button_clicked()  # the import's 选择文件… starts where the export saved
    assert [Path(start) for start in asked[1:]] == [data_folder, tmp_path / "专利.xlsx", sheets]


@pytest.mark.parametrize("table", ["projects", "enterprises", "patents", "events"])
def test_codes_and_dates_keep_their_width_in_a_narrow_window(qtbot, demo_window, table):
    demo_window.resize(first_size(QSize(1024, 700)))
    demo_window.select_tab(table)
    tab = demo_window.current_tab()
    wait_counted(qtbot, tab)
    qtbot.wait(50)
    metrics = tab.table.fontMetrics()
    for column, spec in enumerate(tab.model.columns):
        if spec.kind in WHOLE_KINDS:
            text = tab.model.data(tab.model.index(0, column)) or ""
            assert tab.table.columnWidth(column) >= metrics.horizontalAdvance(text) + 8, spec.label


def test_a_progress_dialog_is_wide_enough_for_its_title_and_the_programs_name(qtbot, qapp):
    qapp.setApplicationDisplayName(APP_NAME)
    parent = QWidget()
    qtbot.addWidget(parent)
    release = threading.Event()

    def slow():
        release.wait(10)
        yield 1, 1

    TaskRunner(parent).run(report_messages.EXPORT_TITLE, slow, lambda _result: None)
    try:
        dialog = parent.findChildren(QProgressDialog)[0]
        title = f"{report_messages.EXPORT_TITLE} — {APP_NAME}"
        assert dialog.minimumWidth() > dialog.fontMetrics().horizontalAdvance(title)
    finally:
        release.set()
