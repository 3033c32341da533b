"""全局搜索 on the real window: Ctrl+K and the toolbar box, results grouped by tab, arrows and Enter open a record."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from db.database import open_data_file
from kejiju_desktop import fields
from kejiju_desktop.services import records
from kejiju_desktop.services.global_search import Hit
from tests.ui.helpers import type_text
from ui import global_search
from ui import messages as ui_messages
from ui.table_model import count_pool

PATENTS = 25  # more than the first rows shown


def fill(path) -> dict[str, list[int]]:
    """Records of three kinds holding 电机, and one that does not."""
    opened = open_data_file(path)
    ids: dict[str, list[int]] = {"projects": [], "patents": [], "events": []}
    with opened.sessions.begin() as session:
        raw = {"name": "永磁电机研发", "level": "县", "apply_year": "2012"}
        ids["projects"].append(records.save_record(session, fields.PROJECTS, raw).id)
        for n in range(PATENTS):
            raw = {"title": f"一种电机{n:02d}", "applicant": "个人甲", "filed_on": f"2012-01-{n + 1:02d}"}
            ids["patents"].append(
                records.save_record(session, fields.PATENTS, raw | {"patent_type": "发明"}).id
            )
        raw = {"name": "电机讲座", "start_on": "2012-05-01"}
        ids["events"].append(records.save_record(session, fields.EVENTS, raw).id)
        raw = {"title": "一种电池", "applicant": "个人甲", "filed_on": "2012-02-01", "patent_type": "发明"}
        records.save_record(session, fields.PATENTS, raw)
    opened.close()
    return ids


def groups(dialog) -> dict[str, list[str]]:
    tree = dialog.results
    found = {}
    for group in map(tree.topLevelItem, range(tree.topLevelItemCount())):
        found[group.text(0)] = [group.child(i).text(0) for i in range(group.childCount())]
    return found


def wait_for_results(qtbot, dialog) -> None:
    qtbot.waitUntil(lambda: dialog.results.topLevelItemCount() > 0, timeout=5000)


def test_ctrl_k_finds_every_kind_and_enter_opens_the_record_in_its_tab(qtbot, make_window, db_file):
    ids = fill(db_file)
    window = make_window(db_file)
    window.select_tab("projects")  # the window opens on the 工作台; Ctrl+K from a list, as a clerk would
    qtbot.keyClick(window.current_tab().table, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    dialog = window.global_search
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.edit, timeout=3000)
    type_text(qtbot, dialog.edit, "电机")
    qtbot.waitUntil(lambda: "专利（25 条）" in groups(dialog), timeout=5000)
    found = groups(dialog)
    assert list(found) == ["项目（1 条）", "专利（25 条）", "活动（1 条）"]  # the tabs' order
    assert found["项目（1 条）"] == ["永磁电机研发"] and found["活动（1 条）"] == ["电机讲座"]
    assert found["专利（25 条）"][:2] == ["一种电机24", "一种电机23"]  # newest first, as the tab
    assert found["专利（25 条）"][-1] == ui_messages.GLOBAL_SEARCH_SHOW_ALL.format(label="专利", n=PATENTS)
    assert dialog.results.currentItem().text(0) == "永磁电机研发"  # the first record is chosen at once
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Down)
    assert dialog.results.currentItem().text(0) == "一种电机23"
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)
    tab = window.current_tab()
    assert tab.entity is fields.PATENTS and not dialog.isVisible()
    assert tab.form.record_id == ids["patents"][23] and tab.search.text() == "电机"
    qtbot.waitUntil(lambda: tab.table.currentIndex().isValid(), timeout=5000)
    assert tab.model.record_id(tab.table.currentIndex().row()) == ids["patents"][23]


def test_show_all_opens_the_tab_with_every_record_holding_the_words(qtbot, make_window, db_file):
    fill(db_file)
    window = make_window(db_file)
    window.select_tab("patents")
    tab = window.current_tab()
    tab.choice_filters["legal_status"].setCurrentIndex(2)  # a filter the clerk left set is cleared
    dialog = global_search.open_search(window, "电机")
    show_all = ui_messages.GLOBAL_SEARCH_SHOW_ALL.format(label="专利", n=PATENTS)
    qtbot.waitUntil(lambda: show_all in groups(dialog).get("专利（25 条）", []), timeout=5000)
    item = dialog.results.findItems(show_all, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)[0]
    dialog.results.setCurrentItem(item)
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Enter)
    qtbot.waitUntil(lambda: tab.model.matching_count is not None, timeout=5000)
    assert tab.query().search == "电机" and tab.query().filters == {} and tab.model.matching_count == PATENTS


def test_the_toolbar_box_opens_the_search_with_what_was_typed(qtbot, make_window, db_file):
    fill(db_file)
    window = make_window(db_file)
    type_text(qtbot, window.global_search_box, "讲座")
    dialog = window.global_search
    assert dialog.isVisible() and dialog.edit.text() == "讲座" and window.global_search_box.text() == ""
    wait_for_results(qtbot, dialog)
    assert groups(dialog) == {"活动（1 条）": ["电机讲座"]}


def test_an_answer_to_words_the_clerk_has_typed_past_is_dropped(qtbot, make_window, db_file):
    fill(db_file)
    window = make_window(db_file)
    dialog = global_search.open_search(window, "电池")  # asked at once
    dialog.edit.setText("讲座")  # typed on before the answer came: the next search waits for a pause
    count_pool().waitForDone()
    qtbot.wait(50)  # the first answer is delivered now, and dropped
    assert dialog.results.topLevelItemCount() == 0
    wait_for_results(qtbot, dialog)
    assert groups(dialog) == {"活动（1 条）": ["电机讲座"]}


def test_nothing_found_is_said_in_words(qtbot, make_window, db_file):
    fill(db_file)
    window = make_window(db_file)
    dialog = global_search.open_search(window, "100%")
    expected = ui_messages.GLOBAL_SEARCH_NONE.format(words="100%")
    qtbot.waitUntil(lambda: dialog.status.text() == expected, timeout=5000)
    assert dialog.results.topLevelItemCount() == 0


def test_the_words_are_marked_in_each_hit():
    hit = Hit(1, "示范县电机厂", (("申请人", "电机之家"),))
    assert global_search.hit_segments(hit, "电机") == (
        ("示范县", False, False),
        ("电机", True, False),
        ("厂", False, False),
        ("　申请人：", False, True),
        ("电机", True, True),
        ("之家", False, True),
    )
