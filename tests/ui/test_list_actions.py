"""导出当前列表 / 打印当前列表: in 文件 and on every tab; the export holds exactly the rows the tab shows."""

from PySide6.QtWidgets import QFileDialog, QToolButton
from python_calamine import CalamineWorkbook

from kejiju_desktop import fields
from kejiju_desktop.services import records
from tests.ui.helpers import click_header, wait_counted
from ui import messages as ui_messages


def tab_button(tab, action) -> QToolButton:
    return next(button for button in tab.findChildren(QToolButton) if button.defaultAction() is action)


def test_both_actions_are_in_the_file_menu_and_on_every_tab(demo_window):
    texts = [action.text() for action in demo_window.menu(ui_messages.MENU_FILE).actions()]
    assert {ui_messages.ACT_EXPORT_LIST, ui_messages.ACT_PRINT_LIST} <= set(texts)
    for table in fields.TAB_TABLES:
        tab = demo_window.entity_tab(table)
        assert [tab_button(tab, action).text() for action in demo_window.list_actions] == [
            ui_messages.TOOL_EXPORT_LIST,
            ui_messages.TOOL_PRINT_LIST,
        ]


def test_export_current_list_writes_exactly_the_filtered_searched_sorted_rows(
    qtbot, demo_window, boxes, tmp_path, monkeypatch
):
    demo_window.select_tab("patents")
    tab = demo_window.current_tab()
    tab.year_filter.setCurrentIndex(tab.year_filter.findData(2012))
    tab.choice_filters["patent_type"].setCurrentIndex(tab.choice_filters["patent_type"].findData("实用新型"))
    tab.search.setText("一种")
    tab.apply_filters()
    click_header(qtbot, tab, "applicant")
    wait_counted(qtbot, tab)
    query = tab.query()
    assert query.sort == "applicant" and query.search == "一种" and query.year == 2012
    with demo_window.data_file.sessions() as session:
        shown = records.list_page(session, fields.PATENTS, query, 0, 100_000)
    out = tmp_path / "当前列表.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    tab_button(tab, demo_window.list_actions[0]).click()
    qtbot.waitUntil(lambda: "已导出" in boxes.texts(), timeout=20000)
    sheet = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    assert sheet[0][:2] == ["申请号", "专利名称"]
    assert [row[0] for row in sheet[1:]] == [row[1] for row in shown] and 10 < len(shown) < 1060
    assert {row[2] for row in sheet[1:]} == {"实用新型"}


def test_on_a_pane_the_clerk_is_told_to_pick_a_list(demo_window, boxes):
    demo_window.select_tab("report")
    demo_window.list_actions[1].trigger()
    demo_window.list_actions[0].trigger()
    assert boxes.shown == [ui_messages.LIST_NO_TAB, ui_messages.LIST_NO_TAB]
