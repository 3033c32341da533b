"""The 工作台 tab on the real window: gathered after the window shows, each item opening exactly its records."""

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressBar

from db.database import open_data_file
from kejiju_desktop import fields
from kejiju_desktop import messages as core_messages
from kejiju_desktop.services import records
from tests.ui.helpers import type_into, wait_counted, wait_validated
from ui import messages
from ui.workbench_tab import ItemButton

TODAY = dt.date(2013, 6, 30)


def _day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


@pytest.fixture
def reminders(db_file):
    """Five units; certificates expiring in 90 and 91 days and today; two projects past their end."""
    data = open_data_file(db_file)
    ids = {}
    with data.writer() as session:

        def save(entity, **raw):
            return records.save_record(session, entity, raw, operator="测试").id

        for name in ("甲公司", "乙公司", "丙公司", "丁公司", "戊公司"):
            ids[name] = save(fields.ENTERPRISES, name=name)
        for key, unit, offset in (("in_90", "甲公司", 90), ("in_91", "乙公司", 91), ("today", "丙公司", 0)):
            ids[key] = save(fields.QUALIFICATIONS, unit_id=ids[unit], category="科技型中小企业", year="2011",
                            certified_on="2011-01-01", valid_until=_day(offset), status="已认定")  # fmt: skip
        ids["other"] = save(fields.QUALIFICATIONS, unit_id=ids["甲公司"], category="科普基地", year="2012",
                            certified_on="2012-01-01", status="已认定")  # fmt: skip
        for key, unit in (("late_1", "丁公司"), ("late_2", "戊公司")):
            ids[key] = save(fields.PROJECTS, name=f"逾期项目{key}", level="县", apply_year="2011", status="实施中",
                            unit_id=ids[unit], start_on="2011-01-01", end_on=_day(-1), midterm_on="2012-01-01")  # fmt: skip
        save(fields.PROJECTS, name="按期项目", level="县", apply_year="2012", status="实施中", unit_id=ids["丁公司"],
             start_on="2012-01-01", end_on="2014-12-31", midterm_on="2013-06-01")  # fmt: skip
    data.close()
    return ids


def _window(make_window, path, today=TODAY):
    window = make_window(path)
    assert window.workbench.bench is None  # opening the file did not wait for the 工作台
    window.workbench.set_today(today)
    return window


def _filled(qtbot, window):
    bench = window.workbench
    qtbot.waitUntil(lambda: bench.bench is not None and bench.facts_ready(), timeout=10000)
    return {button.item.label: button for button in bench.findChildren(ItemButton)}


def _ids(tab):
    return {tab.model.record_id(row) for row in range(tab.model.rowCount())}


def test_the_workbench_is_the_first_tab_and_shown_first(make_window, db_file):
    window = make_window(db_file)
    assert window.tab_widget.tabText(0) == messages.WORKBENCH_TAB
    assert window.tab_widget.currentWidget() is window.workbench


def test_a_certificate_item_opens_its_holders_with_the_certificate_selected(
    qtbot, make_window, db_file, reminders
):
    window = _window(make_window, db_file)
    buttons = _filled(qtbot, window)
    button = buttons[core_messages.WORKBENCH_EXPIRING.format(days=90)]
    assert button.item.count == 2
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.tab_widget.currentWidget() is window.page("enterprises")
    tab = window.entity_tab("enterprises")
    wait_counted(qtbot, tab)
    assert _ids(tab) == {reminders["甲公司"], reminders["丙公司"]}
    assert tab.only_label.isVisible()
    assert tab.only_label.toolTip() == "工作台：证书90天内到期（2）"
    assert tab.only_label.text().startswith("工作台：") and tab.only_label.text().endswith("（2）")
    panel = tab.child_panels["qualifications"]
    assert tab.form.record_id in (reminders["甲公司"], reminders["丙公司"])
    assert panel.current_id() in (reminders["in_90"], reminders["today"])
    qtbot.mouseClick(tab.clear_button, Qt.MouseButton.LeftButton)
    wait_counted(qtbot, tab)
    assert not tab.only_label.isVisible()
    assert tab.model.rowCount() == 5


def test_items_are_reached_with_tab_and_opened_with_enter(qtbot, make_window, db_file, reminders):
    window = _window(make_window, db_file)
    buttons = _filled(qtbot, window)
    first = buttons[core_messages.WORKBENCH_EXPIRING.format(days=90)]
    first.setFocus()
    qtbot.waitUntil(first.hasFocus, timeout=3000)
    qtbot.keyClick(first, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not first, timeout=3000)
    focused = QApplication.focusWidget()
    assert isinstance(focused, ItemButton) and focused.item.label == core_messages.WORKBENCH_OVERDUE
    qtbot.keyClick(focused, Qt.Key.Key_Return)
    tab = window.entity_tab("projects")
    assert window.tab_widget.currentWidget() is window.page("projects")
    wait_counted(qtbot, tab)
    assert _ids(tab) == {reminders["late_1"], reminders["late_2"]}
    assert tab.model.matching_count == 2 and tab.model.total_count == 3


def test_the_workbench_is_gathered_again_when_records_change(qtbot, make_window, db_file, reminders):
    window = _window(make_window, db_file)
    buttons = _filled(qtbot, window)
    qtbot.mouseClick(buttons[core_messages.WORKBENCH_OVERDUE], Qt.MouseButton.LeftButton)
    tab = window.entity_tab("projects")
    wait_counted(qtbot, tab)
    tab.show_record(reminders["late_1"])
    type_into(qtbot, tab.form, "status", fields.PROJECT_ACCEPTED)
    type_into(qtbot, tab.form, "accepted_on", _day(-1))
    wait_validated(qtbot, tab.form)
    assert tab.form.save()
    assert not window.workbench.facts_ready()
    window.select_tab("workbench")
    buttons = _filled(qtbot, window)
    assert buttons[core_messages.WORKBENCH_OVERDUE].item.ids == (reminders["late_2"],)


def test_the_demo_file_in_2013_shows_reminders_targets_and_months(qtbot, make_window, demo_copy):
    window = _window(make_window, demo_copy, dt.date(2013, 10, 15))
    buttons = _filled(qtbot, window)
    assert buttons and all(button.item.count > 0 for button in buttons.values())
    bars = window.workbench.targets_box.findChildren(QProgressBar)
    assert bars and all(bar.text().endswith("%") for bar in bars)
    assert sum(window.workbench.chart.months) > 0 and sum(window.workbench.chart.months_before) > 0


def test_the_screenshot_of_the_workbench_waits_until_it_is_filled(qapp, make_window, demo_copy, tmp_path):
    from ui import app

    window = _window(make_window, demo_copy, dt.date(2013, 10, 15))
    out = tmp_path / "workbench.png"
    assert app.take_screenshot(qapp, window, out, "workbench") == 0
    assert window.workbench.bench is not None and window.workbench.facts_ready()
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_coming_back_to_the_workbench_gathers_what_changed_meanwhile(qtbot, make_window, db_file, reminders):
    window = _window(make_window, db_file)
    _filled(qtbot, window)
    window.select_tab("projects")
    data = window.data_file
    with data.writer() as session:  # as the 设置 dialog saves: the window's tabs are not told
        from kejiju_desktop.services import settings

        settings.update_setting(session, settings.spec_named("证书到期提醒天数"), "200")
    window.select_tab("workbench")
    qtbot.waitUntil(lambda: window.workbench.bench.days == 200, timeout=10000)
    buttons = _filled(qtbot, window)
    assert buttons[core_messages.WORKBENCH_EXPIRING.format(days=200)].item.count == 3


def _save_a_target(monkeypatch, indicator: str, target: str) -> None:
    from ui.dialogs.targets_dialog import COL_NAME, COL_TARGET, TargetsDialog

    def add_and_save(dialog):
        dialog._on_add_clicked()
        row = dialog.table.rowCount() - 1
        dialog.table.cellWidget(row, COL_NAME).setCurrentText(indicator)
        dialog.table.item(row, COL_TARGET).setText(target)
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
        return dialog.result()

    monkeypatch.setattr(TargetsDialog, "exec", add_and_save)


def test_targets_saved_from_the_data_menu_show_on_the_workbench_shown(
    qtbot, make_window, db_file, reminders, monkeypatch
):
    window = _window(make_window, db_file)
    _filled(qtbot, window)
    assert not window.workbench.targets_box.findChildren(QProgressBar)
    composer = window.pane("report")
    composer.year_box.setValue(TODAY.year)
    _save_a_target(monkeypatch, fields.INDICATOR_PATENT_APPLICATIONS, "10")
    composer.targets_action.trigger()
    qtbot.waitUntil(lambda: bool(window.workbench.targets_box.findChildren(QProgressBar)), timeout=10000)
    assert window.tab_widget.currentWidget() is window.workbench


def test_settings_saved_while_the_workbench_is_shown_count_its_reminders_again(
    qtbot, make_window, db_file, reminders, monkeypatch
):
    from ui.dialogs.settings_dialog import SettingsDialog

    window = _window(make_window, db_file)
    _filled(qtbot, window)

    def save_200_days(dialog):
        dialog.editors["证书到期提醒天数"].setValue(200)
        dialog.editors["操作员"].setText("测试")  # the file has none yet
        dialog.save_button.click()
        return dialog.result()

    monkeypatch.setattr(SettingsDialog, "exec", save_200_days)
    window.settings_actions.action.trigger()
    qtbot.waitUntil(lambda: window.workbench.bench.days == 200, timeout=10000)
    buttons = _filled(qtbot, window)
    assert buttons[core_messages.WORKBENCH_EXPIRING.format(days=200)].item.count == 3
