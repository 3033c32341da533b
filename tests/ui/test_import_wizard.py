"""Excel menu entries and the import wizard, on a minimal window that keeps the main-window contract."""

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from db.database import open_data_file
from kejiju_desktop import fields
from kejiju_desktop.services import records
from tests.fixtures.xlsx.sheets import PATENT_HEADERS, patent_row, write_sheet
from ui import exchange_actions
from ui import messages as ui_messages
from ui.dialogs.import_wizard import ImportWizard
from ui.tasks import TaskRunner


class ContractWindow(QMainWindow):
    """The parts of the main window an extension may use (common contract), nothing more."""

    data_file_changed = Signal(object)

    def __init__(self, data_file, entity=None, query=None):
        super().__init__()
        self.data_file, self.entity, self.query = data_file, entity, query or records.Query()
        self.menus = {name: self.menuBar().addMenu(name) for name in ("文件", "编辑", "数据", "报告", "帮助")}
        self.tasks = TaskRunner(self)
        self.refreshed = 0

    def menu(self, name):
        return self.menus[name]

    def current_entity(self):
        return self.entity

    def current_query(self):
        return self.query

    def refresh(self):
        self.refreshed += 1

    def run_task(self, title, factory, on_done):
        self.tasks.run(title, factory, on_done)


@pytest.fixture
def messages(monkeypatch):
    shown = []
    for name in ("information", "warning"):
        monkeypatch.setattr(QMessageBox, name, lambda _parent, _title, text, *a, **k: shown.append(text))
    return shown


def live_patents(data) -> int:
    with data.sessions() as s:
        return records.count(s, fields.PATENTS, records.Query())


def test_install_adds_the_three_entries_to_the_data_menu(qtbot, data):
    window = ContractWindow(data)
    qtbot.addWidget(window)
    exchange_actions.install(window)
    texts = [a.text() for a in window.menu("数据").actions() if a.text()]
    assert texts[-3:] == [
        ui_messages.ACT_EXPORT_EXCEL,
        ui_messages.ACT_EXPORT_TEMPLATE,
        ui_messages.ACT_IMPORT_EXCEL,
    ]


def test_export_honours_the_tab_filter(qtbot, demo_file, tmp_path, monkeypatch, messages):
    opened = open_data_file(demo_file, read_only=True)
    query = records.Query(year=2013, filters={"patent_type": "外观设计"})
    window = ContractWindow(opened, fields.PATENTS, query)
    qtbot.addWidget(window)
    exchange_actions.install(window)
    out = tmp_path / "外观设计"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    window.exchange_actions[0].trigger()
    qtbot.waitUntil(lambda: bool(messages), timeout=20000)
    with opened.sessions() as s:
        expected = records.count(s, fields.PATENTS, query)
    opened.close()
    wb = load_workbook(out.with_name("外观设计.xlsx"), read_only=True)
    rows = list(wb.active.iter_rows(min_row=2, values_only=True))
    wb.close()
    assert len(rows) == expected > 0 and {r[2] for r in rows} == {"外观设计"}
    assert f"已导出 {expected} 条" in messages[0]


def test_template_entry_writes_a_blank_template(qtbot, data, tmp_path, monkeypatch, messages):
    window = ContractWindow(data, fields.AWARDS)
    qtbot.addWidget(window)
    exchange_actions.install(window)
    out = tmp_path / "奖励模板.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    window.exchange_actions[1].trigger()
    assert load_workbook(out).active["A1"].value == "成果名称"


def open_wizard(qtbot, data, path: Path) -> tuple[ContractWindow, ImportWizard]:
    window = ContractWindow(data, fields.PATENTS)
    qtbot.addWidget(window)
    exchange_actions.install(window)
    wizard = exchange_actions.open_import_wizard(window)
    qtbot.addWidget(wizard)
    wizard.open_path(path)
    return window, wizard


def wait_for_result(qtbot, wizard) -> None:
    qtbot.waitUntil(lambda: wizard.result is not None, timeout=20000)


def test_wizard_shows_columns_and_marks_bad_cells_in_red(qtbot, data, tmp_path):
    rows = [(*PATENT_HEADERS, "序号"), (*patent_row(1), 1), (*patent_row(2, 申请日="2012-02-30"), 2)]
    _window, wizard = open_wizard(qtbot, data, write_sheet(tmp_path / "p.xlsx", rows))
    assert "序号" in wizard.columns_label.text() and "申请号" in wizard.columns_label.text()
    assert wizard.preview.rowCount() == 2 and wizard.preview.item(1, 0).text() == patent_row(2)[0]
    assert wizard.preview.horizontalHeaderItem(len(PATENT_HEADERS)).toolTip() == "未识别的列，导入时忽略"
    assert not wizard.preview.horizontalHeaderItem(0).toolTip()
    wizard.check_button.click()
    wait_for_result(qtbot, wizard)
    bad = wizard.bad_cells()
    assert list(bad) == [(3, PATENT_HEADERS.index("申请日"))] and "不是有效日期" in bad[(3, 5)]
    assert wizard.issues.rowCount() == 1 and wizard.issues.item(0, 0).text() == "3"
    assert live_patents(data) == 0


def test_wizard_imports_with_the_chosen_options_and_refreshes_the_window(qtbot, data, tmp_path):
    rows = [PATENT_HEADERS, patent_row(1), patent_row(2, 申请日="2012-02-30"), patent_row(3)]
    window, wizard = open_wizard(qtbot, data, write_sheet(tmp_path / "p.xlsx", rows))
    wizard.good_rows_box.setChecked(True)
    wizard.import_button.click()
    wait_for_result(qtbot, wizard)
    assert wizard.result.imported == 2 and live_patents(data) == 2
    assert window.refreshed == 1 and "有问题的 1 行未导入" in wizard.status.text()


def test_wizard_refuses_all_rows_by_default(qtbot, data, tmp_path):
    rows = [PATENT_HEADERS, patent_row(1), patent_row(2, 申请号="201210000002.0")]
    window, wizard = open_wizard(qtbot, data, write_sheet(tmp_path / "p.xlsx", rows))
    wizard.import_button.click()
    wait_for_result(qtbot, wizard)
    assert live_patents(data) == 0 and window.refreshed == 0
    assert "未写入任何数据" in wizard.status.text()


def test_wizard_says_why_a_file_cannot_be_used(qtbot, data, tmp_path):
    picture = tmp_path / "pic.xlsx"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    _window, wizard = open_wizard(qtbot, data, picture)
    assert "不是 Excel 表格" in wizard.status.text()
    assert not wizard.import_button.isEnabled() and not wizard.check_button.isEnabled()


def test_wizard_lists_sheets_and_reads_the_chosen_one(qtbot, data, tmp_path):
    path = write_sheet(
        tmp_path / "s.xlsx", [("说明",)], extra_sheets={"专利": [PATENT_HEADERS, patent_row(1)]}
    )
    _window, wizard = open_wizard(qtbot, data, path)
    assert [wizard.sheet_combo.itemText(i) for i in range(wizard.sheet_combo.count())] == ["Sheet1", "专利"]
    assert "找不到表头" in wizard.status.text()
    wizard.sheet_combo.setCurrentIndex(1)
    assert wizard.preview.rowCount() == 1 and wizard.import_button.isEnabled()


def test_the_main_window_exports_its_patents_tab_with_the_year_and_type_filters(
    demo_window, tmp_path, monkeypatch, boxes, qtbot
):
    texts = [a.text() for a in demo_window.menu("数据").actions()]
    assert {
        ui_messages.ACT_EXPORT_EXCEL,
        ui_messages.ACT_EXPORT_TEMPLATE,
        ui_messages.ACT_IMPORT_EXCEL,
    } <= set(texts)
    demo_window.select_tab("patents")
    tab = demo_window.entity_tab("patents")
    tab.year_filter.setCurrentIndex(tab.year_filter.findData(2012))
    tab.choice_filters["patent_type"].setCurrentIndex(tab.choice_filters["patent_type"].findData("发明"))
    query = demo_window.current_query()
    with demo_window.data_file.sessions() as s:
        expected = records.count(s, fields.PATENTS, query)
    out = tmp_path / "tab.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    demo_window.exchange_actions[0].trigger()
    qtbot.waitUntil(lambda: "已导出" in boxes.texts(), timeout=20000)
    wb = load_workbook(out, read_only=True)
    rows = list(wb.active.iter_rows(min_row=2, values_only=True))
    wb.close()
    assert 0 < len(rows) == expected and {(r[2], r[7].year) for r in rows} == {("发明", 2012)}


def test_wizard_follows_the_window_to_another_data_file(qtbot, data, tmp_path):
    from db.database import create_data_file

    other_path = tmp_path / "other.kjdb"
    create_data_file(other_path)
    other = open_data_file(other_path)
    window, wizard = open_wizard(
        qtbot, data, write_sheet(tmp_path / "p.xlsx", [PATENT_HEADERS, patent_row(1)])
    )
    window.data_file = other
    window.data_file_changed.emit(other)
    wizard.import_button.click()
    wait_for_result(qtbot, wizard)
    assert live_patents(other) == 1 and live_patents(data) == 0
    other.close()


def test_the_problem_list_keeps_its_column_widths_and_fits_its_width(qtbot, data, tmp_path):
    long_name = "很长的专利名称" * 12
    rows = [PATENT_HEADERS, patent_row(1, 申请日="2012-02-30", 专利名称=long_name), patent_row(2, 申请号="x")]
    _window, wizard = open_wizard(qtbot, data, write_sheet(tmp_path / "p.xlsx", rows))
    wizard.resize(900, 600)
    wizard.show()
    before = [wizard.issues.columnWidth(c) for c in range(2)]
    wizard.check_button.click()
    wait_for_result(qtbot, wizard)
    assert wizard.issues.rowCount() >= 2
    assert [wizard.issues.columnWidth(c) for c in range(2)] == before
    widths = sum(wizard.issues.columnWidth(c) for c in range(wizard.issues.columnCount()))
    assert widths <= wizard.issues.viewport().width()
    message = wizard.issues.item(0, 2)
    assert message.toolTip() == message.text()


PROJECT_HEADER = ("项目名称", "项目级别", "申报年度", "计划类别")


def test_the_check_page_shows_new_plan_categories_before_anything_is_written(qtbot, data, tmp_path):
    rows = [
        PROJECT_HEADER,
        ("甲项目", "县", 2012, "县级科技特派员专项"),
        ("乙项目", "县", 2012, "软科学研究"),
    ]
    _window, wizard = open_wizard(qtbot, data, write_sheet(tmp_path / "p.xlsx", rows))
    wizard.table_combo.setCurrentIndex(list(fields.ENTITIES).index("projects"))
    wizard.check_button.click()
    wait_for_result(qtbot, wizard)
    assert wizard.new_choices_label.isVisibleTo(wizard)
    assert "计划类别：县级科技特派员专项（共 1 项）" in wizard.new_choices_label.text()
    with data.sessions() as s:
        assert "县级科技特派员专项" not in records.choice_values(s, fields.PROJECTS.field("plan_category"))
    wizard.result = None
    wizard.import_button.click()
    wait_for_result(qtbot, wizard)
    assert not wizard.new_choices_label.isVisibleTo(wizard)
    assert "新增计划类别：县级科技特派员专项（共 1 项）。" in wizard.status.text()
    with data.sessions() as s:
        assert "县级科技特派员专项" in records.choice_values(s, fields.PROJECTS.field("plan_category"))


def test_the_wizard_names_its_own_ticks(qtbot, data, tmp_path):
    rows = [(*PATENT_HEADERS, "关联单位"), (*patent_row(1), "新公司")]
    _window, wizard = open_wizard(qtbot, data, write_sheet(tmp_path / "p.xlsx", rows))
    wizard.check_button.click()
    wait_for_result(qtbot, wizard)
    text = wizard.status.text()
    assert "勾选“自动新增不在单位列表中的单位”" in text and "--" not in text
    assert wizard.create_units_box.text().startswith("自动新增不在单位列表中的单位")


def test_a_column_mapped_by_the_clerk_is_imported_and_remembered_for_the_next_file(qtbot, data, tmp_path):
    headers = tuple("专利名" if h == "专利名称" else h for h in PATENT_HEADERS)
    title_at = PATENT_HEADERS.index("专利名称")
    _window, wizard = open_wizard(qtbot, data, write_sheet(tmp_path / "a.xlsx", [headers, patent_row(1)]))
    assert "缺少必填列：专利名称" in wizard.status.text() and not wizard.check_button.isEnabled()
    combo = wizard.mapping["专利名"]
    combo.setCurrentIndex(combo.findData("title"))
    assert wizard.import_button.isEnabled() and title_at in wizard.plan.match.positions
    wizard.import_button.click()
    wait_for_result(qtbot, wizard)
    assert wizard.result.imported == 1 and live_patents(data) == 1
    wizard.close()
    _window, again = open_wizard(qtbot, data, write_sheet(tmp_path / "b.xlsx", [headers, patent_row(2)]))
    assert again.mapping["专利名"].currentData() == "title" and again.import_button.isEnabled()
    again.import_button.click()
    wait_for_result(qtbot, again)
    assert again.result.imported == 1 and live_patents(data) == 2
    other = tuple([*headers, "备注"])
    _window, third = open_wizard(qtbot, data, write_sheet(tmp_path / "c.xlsx", [other, [*patent_row(3), ""]]))
    assert third.mapping["专利名"].currentData() is None and not third.import_button.isEnabled()
