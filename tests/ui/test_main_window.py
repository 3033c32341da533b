"""The main window: tabs, search, filters and sort in SQL, recycle bin, files, extension hooks."""

import os
import shutil
import stat

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMenu
from sqlalchemy import select

from db.models import Patent, Qualification
from kejiju_desktop import fields
from kejiju_desktop.sorting import sort_key_for
from tests.ui.helpers import click_header, column_values, type_text, wait_counted
from ui import messages
from ui.dialogs.recycle_bin import RecycleBinDialog


def _patents(qtbot, window):
    window.select_tab("patents")
    tab = window.current_tab()
    wait_counted(qtbot, tab)
    return tab


def test_window_has_the_menus_tabs_and_file_name(window, db_file):
    assert [window.menu(name).title() for name in messages.MENU_NAMES] == list(messages.MENU_NAMES)
    labels = [window.tab_widget.tabText(i) for i in range(6)]
    assert labels == [messages.WORKBENCH_TAB] + [fields.ENTITIES[t].label for t in fields.TAB_TABLES]
    assert db_file.name in window.windowTitle()
    assert str(db_file) in window.status.path_label.text()


def test_search_as_you_type_filters_rows_and_counts(qtbot, demo_window):
    tab = _patents(qtbot, demo_window)
    total = tab.model.total_count
    tab.search.setFocus()
    type_text(qtbot, tab.search, "液压")
    qtbot.waitUntil(lambda: tab.model.query().search == "液压", timeout=3000)
    wait_counted(qtbot, tab)
    shown = tab.model.rowCount()
    assert 0 < shown < total
    for row in range(shown):
        text = "".join(
            str(tab.model.value(row, key) or "") for key in ("app_no", "title", "applicant", "inventors")
        )
        assert "液压" in text
    assert messages.STATUS_FILTERED.format(total=total, shown=shown) == demo_window.status.count_label.text()
    qtbot.keyClick(tab.search, Qt.Key.Key_Escape)  # Esc clears the search: every row again
    qtbot.waitUntil(lambda: tab.model.query().search == "", timeout=3000)
    wait_counted(qtbot, tab)
    assert tab.model.rowCount() == total


def test_year_and_choice_filters_select_rows(qtbot, demo_window):
    tab = _patents(qtbot, demo_window)
    tab.year_filter.setCurrentIndex(tab.year_filter.findData(2012))
    wait_counted(qtbot, tab)
    assert {d.year for d in column_values(tab, "filed_on")} == {2012}
    combo = tab.choice_filters["patent_type"]
    combo.setCurrentIndex(combo.findData("发明"))
    wait_counted(qtbot, tab)
    assert set(column_values(tab, "patent_type")) == {"发明"}
    assert {d.year for d in column_values(tab, "filed_on")} == {2012}
    tab.clear_button.click()
    wait_counted(qtbot, tab)
    assert tab.model.rowCount() == tab.model.total_count


def test_header_click_sorts_in_pinyin_order(qtbot, demo_window):
    demo_window.select_tab("enterprises")
    tab = demo_window.current_tab()
    wait_counted(qtbot, tab)
    click_header(qtbot, tab, "town")
    wait_counted(qtbot, tab)
    towns = [t for t in column_values(tab, "town") if t]
    assert tab.model.query().sort == "town"
    assert towns == sorted(towns)
    click_header(qtbot, tab, "name")
    names = column_values(tab, "name")
    keys = [sort_key_for(n) for n in names]
    assert keys == sorted(keys) or keys == sorted(keys, reverse=True)
    click_header(qtbot, tab, "name")
    assert column_values(tab, "name") == list(reversed(names))


def test_rows_are_read_in_blocks_as_the_table_scrolls(qtbot, demo_window):
    tab = _patents(qtbot, demo_window)
    model = tab.model
    assert model.rowCount() == model.total_count > 1000
    assert model.blocks_in_memory() == 1  # only the first block was read
    tab.table.scrollToBottom()
    last = model.rowCount() - 1
    assert model.record_id(last) is not None
    assert model.blocks_in_memory() >= 2


def test_delete_then_restore_from_the_recycle_bin(qtbot, demo_window, boxes):
    tab = _patents(qtbot, demo_window)
    tab.table.selectRow(0)
    record_id = tab.form.record_id
    title = tab.form.editors["title"].raw()
    before = tab.model.total_count
    demo_window.act_delete.trigger()
    wait_counted(qtbot, tab)
    assert tab.model.total_count == before - 1
    assert tab.model.row_of(record_id) is None
    bin_dialog = RecycleBinDialog(demo_window.data_file, demo_window)
    qtbot.addWidget(bin_dialog)
    bin_dialog.records_changed.connect(demo_window.refresh)
    names = [bin_dialog.model.item(r, 1).text() for r in range(bin_dialog.model.rowCount())]
    assert title in names
    bin_dialog.view.selectRow(names.index(title))
    assert bin_dialog.restore_selected() == 1
    wait_counted(qtbot, tab)
    assert tab.model.total_count == before
    assert title not in [bin_dialog.model.item(r, 1).text() for r in range(bin_dialog.model.rowCount())]


def test_purge_asks_and_keeps_a_tombstone(qtbot, demo_window, boxes):
    tab = _patents(qtbot, demo_window)
    tab.table.selectRow(0)
    record_id = tab.form.record_id
    demo_window.act_delete.trigger()
    bin_dialog = RecycleBinDialog(demo_window.data_file, demo_window)
    qtbot.addWidget(bin_dialog)
    bin_dialog.select_all()
    boxes.question = boxes.question.No
    assert bin_dialog.purge_selected() == 0
    assert bin_dialog.model.rowCount() == 1
    boxes.question = boxes.question.Yes
    assert bin_dialog.purge_selected() == 1
    assert "永久删除" in boxes.texts()
    assert bin_dialog.model.rowCount() == 0
    with demo_window.data_file.sessions() as s:
        tomb = s.get(Patent, record_id)
        assert tomb.deleted_at is not None and tomb.uid and tomb.title is None


def test_qualifications_are_listed_and_added_under_the_unit(qtbot, demo_window, monkeypatch):
    from ui import qualification_panel

    demo_window.select_tab("enterprises")
    tab = demo_window.current_tab()
    wait_counted(qtbot, tab)
    tab.table.selectRow(0)
    panel = tab.child_panels["qualifications"]
    unit_id = tab.form.record_id
    wait_counted(qtbot, panel)
    with demo_window.data_file.sessions() as s:
        stored = s.scalars(select(Qualification).where(Qualification.unit_id == unit_id)).all()
    assert panel.model.rowCount() == len(stored)

    def fill_and_save(dialog):
        form = dialog.form
        form.editors["category"].set_value("科普基地")
        form.editors["year"].widget.setText("2013")
        assert form.save()
        return 1

    monkeypatch.setattr(qualification_panel.QualificationDialog, "exec", fill_and_save)
    panel.add_button.click()
    wait_counted(qtbot, panel)
    assert panel.model.rowCount() == len(stored) + 1
    assert "科普基地" in column_values(panel, "category")


def test_opening_a_hostile_file_says_why_and_keeps_the_open_file(qtbot, window, db_file, tmp_path, boxes):
    picture = tmp_path / "照片.kjdb"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 500)
    assert not window.open_file(picture)
    assert "不是本程序的数据文件" in boxes.texts()
    assert "Traceback" not in boxes.texts()
    assert window.data_file.path == db_file
    window.select_tab("patents")
    assert window.current_tab().model.rowCount() == 0


def test_read_only_file_is_marked_and_not_editable(qtbot, make_window, demo_copy, boxes):
    os.chmod(demo_copy, stat.S_IREAD)
    try:
        window = make_window(demo_copy)
        assert window.data_file.read_only
        assert messages.STATUS_READ_ONLY in window.status.marker_label.text()
        assert "只读" in boxes.texts()
        assert not window.act_new.isEnabled()
        assert messages.TITLE_READ_ONLY in window.windowTitle()
    finally:
        os.chmod(demo_copy, stat.S_IREAD | stat.S_IWRITE)


def test_recent_files_and_last_tab_are_remembered(qtbot, make_window, db_file, demo_copy):
    first = make_window(db_file)
    first.open_file(demo_copy)
    first.select_tab("awards")
    first.close()
    second = make_window()
    assert second.settings.recent_files()[:2] == [demo_copy.resolve(), db_file.resolve()]
    second.restore_from_settings()
    assert second.tab_widget.currentWidget() is second.page("awards")


def test_extension_hooks(qtbot, window):
    pane = QLabel("报告")
    window.add_pane("test-pane", pane, "测试")
    assert window.select_tab("test-pane")
    assert window.current_entity() is None and window.current_query() is None
    window.select_tab("patents")
    assert window.current_entity() is fields.PATENTS
    assert window.current_query().search == ""
    assert isinstance(window.menu("数据"), QMenu)
    results = []

    def work():
        for i in range(3):
            yield i + 1, 3
        return "完成"

    window.run_task("测试", work, results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=3000)
    assert results == ["完成"]
    window.run_task("测试", lambda: (_ for _ in ()).throw(ValueError("坏")), results.append)
    qtbot.waitUntil(lambda: len(results) == 2, timeout=3000)
    assert isinstance(results[1], ValueError)


def test_a_file_held_by_another_computer_is_marked_and_announced(qtbot, make_window, demo_copy, boxes):
    import json

    lock = demo_copy.with_name(demo_copy.name + ".lock")
    lock.write_text(
        json.dumps({"host": "PC-档案室", "user": "李四", "pid": 1, "since": "2013-01-05T09:00:00"})
    )
    window = make_window(demo_copy)
    assert messages.STATUS_LOCKED in window.status.marker_label.text()
    assert "PC-档案室" in boxes.texts()


def test_extensions_hear_of_the_first_file_once_the_window_is_painted(qtbot, boxes, demo_copy):
    from ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    heard = []
    window.data_file_changed.connect(heard.append)
    assert window.open_file(demo_copy)
    assert heard == []
    with qtbot.waitSignal(window.data_file_changed, timeout=3000):
        window.show()
    assert heard == [window.data_file]
    window.close()


def test_new_data_file_is_created_and_opened(qtbot, window, tmp_path):
    target = tmp_path / "新建" / "二〇一四"
    target.parent.mkdir()
    assert window.create_and_open(target)
    assert window.data_file.path == target.with_suffix(".kjdb")
    assert window.settings.recent_files()[0] == target.with_suffix(".kjdb").resolve()


def test_a_unit_column_sorts_by_the_units_pinyin_name(qtbot, demo_window):
    demo_window.select_tab("projects")
    tab = demo_window.current_tab()
    wait_counted(qtbot, tab)
    click_header(qtbot, tab, "unit_id")
    wait_counted(qtbot, tab)
    names = [n for n in column_values(tab, "unit_id") if n]
    keys = [sort_key_for(n) for n in names]
    assert tab.model.query().sort == "unit_id"
    assert keys == sorted(keys) or keys == sorted(keys, reverse=True)
    assert len(set(names)) > 3


def test_start_up_installs_the_extensions_once_the_window_has_painted(qtbot, boxes, demo_copy):
    pytest.importorskip("ui.report_composer")
    from ui.main_window import MainWindow

    window = MainWindow(defer_extensions=True)
    qtbot.addWidget(window)
    assert not window.select_tab("report")  # asked for before the pane exists
    assert window.open_file(demo_copy)
    assert window.pane("report") is None
    window.show()
    qtbot.waitUntil(lambda: window.pane("report") is not None, timeout=5000)
    assert window.tab_widget.currentWidget() is window.pane("report")
    window.close()


def test_a_file_to_upgrade_gets_the_extensions_first(qtbot, boxes, tmp_path, monkeypatch):
    from tests.db.test_old_versions import OLD_FILES
    from ui import extensions, main_window

    old = tmp_path / "旧版本.kjdb"
    shutil.copyfile(OLD_FILES[0], old)  # a file frozen at schema 0001
    monkeypatch.setattr(extensions, "EXTENSIONS", ())  # the backup hook below stands in for theirs
    window = main_window.MainWindow(defer_extensions=True)
    qtbot.addWidget(window)
    upgraded = []
    window.before_upgrade = upgraded.append
    assert not window.extensions_installed()
    assert window.open_file(old)
    assert window.extensions_installed()
    assert upgraded == [old]
    window.close()


def test_a_broken_extension_is_skipped_and_the_window_opens(qtbot, boxes, monkeypatch, db_file, tmp_path):
    import importlib
    import sys

    from ui import extensions, main_window

    (tmp_path / "kaputt_extension.py").write_text("raise NameError('半成品')\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))

    def install_kaputt(window):
        importlib.import_module("kaputt_extension").install(window)

    def install_missing(window):
        importlib.import_module("no_such_extension").install(window)

    monkeypatch.setattr(extensions, "EXTENSIONS", (install_kaputt, install_missing))
    window = main_window.MainWindow()
    qtbot.addWidget(window)
    assert window.open_file(db_file)
    assert "kaputt_extension" not in sys.modules
    window.close()


def test_an_extension_that_raises_is_logged_and_named_in_the_status_bar(
    qtbot, boxes, monkeypatch, db_file, caplog
):
    from ui import extensions, main_window

    def install_broken(window):
        raise NameError("半成品")

    monkeypatch.setattr(extensions, "EXTENSIONS", (install_broken, *extensions.EXTENSIONS))
    window = main_window.MainWindow()
    qtbot.addWidget(window)
    assert window.open_file(db_file)
    assert window.pane("report") is not None  # the others are installed all the same
    failures = [r for r in caplog.records if r.exc_info and "install_broken" in r.getMessage()]
    assert len(failures) == 1 and "半成品" in str(failures[0].exc_info[1])
    assert window.statusBar().currentMessage() == messages.EXTENSION_FAILED
    window.close()


MENU_ENTRIES = {
    "文件": [
        "新建数据文件…",
        "打开…",
        "连接服务器数据库…",
        "用户管理…",
        "最近打开",
        "另存副本…",
        "恢复备份…",
        "检查数据文件…",
        "合并其他数据文件…",
        "设置…",
        "导出当前列表…",
        "打印当前列表…",
        "退出",
    ],
    "编辑": ["新增", "保存", "删除", "撤销删除", "撤销修改", "查找", "历史记录…", "回收站…", "全局搜索…"],
    "数据": ["刷新", "年度目标…", "导出Excel…", "导出空白模板…", "从Excel导入…"],
    "报告": ["一键导出年度报告"],
    "帮助": ["关于…"],
}


def test_every_menu_entry_is_in_its_menu_in_order(window):
    shown = {
        entry.text(): [action.text() for action in entry.menu().actions() if not action.isSeparator()]
        for entry in window.menuBar().actions()
    }
    assert shown == MENU_ENTRIES
