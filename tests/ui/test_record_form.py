"""The record form: create, edit, validate inline, confirm warnings, unit picker, unsaved changes."""

from sqlalchemy import select

from db.models import Enterprise, Patent, Project
from kejiju_desktop import fields, validation
from tests.ui.helpers import type_into, wait_counted, wait_validated
from ui import messages

GOOD_APP_NO = validation.make_app_no(2012, 1, 1234567)
GOOD_CREDIT = validation.make_credit_code("91510124MA6CXXXX1")


def _wrong_check(code: str, charset: str) -> str:
    return code[:-1] + next(c for c in charset if c != code[-1])


def _new_patent(qtbot, window, app_no=GOOD_APP_NO):
    window.select_tab("patents")
    tab = window.current_tab()
    window.act_new.trigger()
    form = tab.form
    type_into(qtbot, form, "app_no", app_no)
    type_into(qtbot, form, "title", "一种液压缸密封装置")
    type_into(qtbot, form, "applicant", "张三")
    type_into(qtbot, form, "filed_on", "2012-03-05")
    wait_validated(qtbot, form)
    return tab, form


def test_new_patent_is_saved_and_shown(qtbot, window):
    tab, form = _new_patent(qtbot, window)
    assert form.editors["patent_type"].raw() == "发明"  # from the number's type digit
    assert form.save_button.isEnabled()
    window.act_save.trigger()
    wait_counted(qtbot, tab)
    assert tab.model.rowCount() == 1
    assert tab.model.value(0, "title") == "一种液压缸密封装置"
    with window.data_file.sessions() as s:
        patent = s.scalars(select(Patent)).one()
        assert (patent.app_no, str(patent.filed_on)) == (GOOD_APP_NO, "2012-03-05")
    assert not form.is_dirty()
    assert "共 1 条" in window.status.count_label.text()


def test_wrong_patent_check_character_shows_its_message_and_blocks_save(qtbot, window):
    bad = _wrong_check(GOOD_APP_NO, "0123456789X")
    tab, form = _new_patent(qtbot, window, app_no=bad)
    assert "校验位" in form.message("app_no")
    assert not form.save_button.isEnabled()
    assert not window.act_save.isEnabled()
    assert not form.save()
    with window.data_file.sessions() as s:
        assert s.scalars(select(Patent)).first() is None


def test_bad_date_and_date_order_messages_appear_beside_their_fields(qtbot, window):
    _tab, form = _new_patent(qtbot, window)
    type_into(qtbot, form, "granted_on", "2011-01-01")
    wait_validated(qtbot, form)
    assert "授权日不能早于申请日" in form.message("granted_on")
    type_into(qtbot, form, "granted_on", "2012-13-45")
    wait_validated(qtbot, form)
    assert "不是有效日期" in form.message("granted_on")
    assert not form.save_button.isEnabled()
    type_into(qtbot, form, "granted_on", "")
    wait_validated(qtbot, form)
    assert form.message("granted_on") == ""
    assert form.save_button.isEnabled()


def _new_unit_with_credit_code(qtbot, window, code):
    window.select_tab("enterprises")
    tab = window.current_tab()
    tab.new_record()
    type_into(qtbot, tab.form, "name", "示范县新星科技有限公司")
    type_into(qtbot, tab.form, "credit_code", code)
    wait_validated(qtbot, tab.form)
    return tab


def test_wrong_credit_code_check_character_saves_only_when_confirmed(qtbot, window, boxes):
    tab = _new_unit_with_credit_code(qtbot, window, _wrong_check(GOOD_CREDIT, validation.CREDIT_CHARSET))
    assert "校验位" in tab.form.message("credit_code")
    assert tab.form.save_button.isEnabled()  # a warning, not an error
    boxes.answer = messages.BTN_NO
    assert not tab.form.save()
    assert "确认无误并保存吗" in boxes.texts()
    with window.data_file.sessions() as s:
        assert s.scalars(select(Enterprise)).first() is None
    boxes.answer = messages.BTN_YES
    assert tab.form.save()
    with window.data_file.sessions() as s:
        unit = s.scalars(select(Enterprise)).one()
        assert unit.confirmed_warnings == "credit_code"


def test_editing_a_record_changes_the_row(qtbot, demo_window):
    demo_window.select_tab("awards")
    tab = demo_window.current_tab()
    wait_counted(qtbot, tab)
    tab.table.selectRow(0)
    record_id = tab.form.record_id
    assert record_id == tab.model.record_id(0)
    type_into(qtbot, tab.form, "title", "新型节能装置研发与应用")
    wait_validated(qtbot, tab.form)
    qtbot.keyClick(tab.form.editors["title"].widget, "s", modifier=qtbot_ctrl())
    assert tab.model.value(tab.model.row_of(record_id), "title") == "新型节能装置研发与应用"


def qtbot_ctrl():
    from PySide6.QtCore import Qt

    return Qt.KeyboardModifier.ControlModifier


def test_unit_picker_completes_names_and_links_the_record(qtbot, demo_window):
    demo_window.select_tab("projects")
    tab = demo_window.current_tab()
    tab.new_record()
    form = tab.form
    type_into(qtbot, form, "name", "液压元件关键技术研究")
    type_into(qtbot, form, "level", "县")
    type_into(qtbot, form, "apply_year", "2013")
    picker = form.editors["unit_id"]
    type_into(qtbot, form, "unit_id", "四星")
    names = picker.completer.model().stringList()
    assert names and all("四星" in name for name in names)
    picker.completer.activated[str].emit(names[0])
    wait_validated(qtbot, form)
    assert form.message("unit_id") == ""
    assert form.save()
    with demo_window.data_file.sessions() as s:
        project = s.scalars(select(Project).where(Project.name == "液压元件关键技术研究")).one()
        unit = s.get(Enterprise, project.unit_id)
        assert unit.name == names[0]


def test_unknown_unit_name_is_an_error_beside_the_field(qtbot, demo_window):
    demo_window.select_tab("projects")
    tab = demo_window.current_tab()
    tab.new_record()
    type_into(qtbot, tab.form, "unit_id", "不存在的单位")
    wait_validated(qtbot, tab.form)
    assert "不在单位列表中" in tab.form.message("unit_id")


def test_leaving_a_changed_record_asks_first(qtbot, demo_window, boxes):
    demo_window.select_tab("events")
    tab = demo_window.current_tab()
    wait_counted(qtbot, tab)
    tab.table.selectRow(0)
    first = tab.form.record_id
    type_into(qtbot, tab.form, "place", "示范县会展中心")
    boxes.answer = messages.BTN_CANCEL
    tab.table.selectRow(1)
    assert "未保存的修改" in boxes.texts()
    assert tab.form.record_id == first and tab.form.is_dirty()
    boxes.answer = messages.BTN_DISCARD
    tab.table.selectRow(1)
    assert tab.form.record_id == tab.model.record_id(1)
    assert not tab.form.is_dirty()
    type_into(qtbot, tab.form, "place", "示范县会展中心")
    boxes.answer = messages.ACT_SAVE
    second = tab.form.record_id
    tab.table.selectRow(2)
    with demo_window.data_file.sessions() as s:
        from db.models import Event

        assert s.get(Event, second).place == "示范县会展中心"
        assert s.get(Event, first).place != "示范县会展中心"


def test_escape_reverts_the_form(qtbot, demo_window):
    demo_window.select_tab("patents")
    tab = demo_window.current_tab()
    wait_counted(qtbot, tab)
    tab.table.selectRow(0)
    before = tab.form.editors["title"].raw()
    type_into(qtbot, tab.form, "title", "改过的名称")
    assert tab.form.is_dirty()
    from PySide6.QtCore import Qt

    qtbot.keyClick(tab.form.editors["title"].widget, Qt.Key.Key_Escape)
    assert tab.form.editors["title"].raw() == before
    assert not tab.form.is_dirty()


def test_enter_moves_to_the_next_field(qtbot, window):
    window.select_tab("patents")
    tab = window.current_tab()
    tab.new_record()
    from PySide6.QtCore import Qt

    first = tab.form.editors["app_no"].widget
    first.setFocus()
    qtbot.keyClick(first, Qt.Key.Key_Return)
    assert window.focusWidget() is tab.form.editors["title"].widget
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
    assert window.focusWidget() is tab.form.editors["patent_type"].widget


def test_a_new_record_waits_for_the_clerk_before_asking_for_required_fields(qtbot, window):
    window.select_tab("patents")
    tab = window.current_tab()
    tab.new_record()
    wait_validated(qtbot, tab.form)
    assert tab.form.message("title") == ""
    assert not tab.form.save_button.isEnabled()
    type_into(qtbot, tab.form, "title", "一种阀门")
    type_into(qtbot, tab.form, "title", "")
    wait_validated(qtbot, tab.form)
    assert tab.form.message("title") == "专利名称不能为空。"


def test_keyboard_new_find_and_delete(qtbot, demo_window, boxes):
    from PySide6.QtCore import Qt

    ctrl = Qt.KeyboardModifier.ControlModifier
    demo_window.select_tab("awards")
    tab = demo_window.current_tab()
    wait_counted(qtbot, tab)
    qtbot.keyClick(tab.table, Qt.Key.Key_F, modifier=ctrl)
    assert demo_window.focusWidget() is tab.search
    qtbot.keyClick(tab.table, Qt.Key.Key_N, modifier=ctrl)
    assert tab.form.title.text() == messages.FORM_NEW.format(label="奖励")
    tab.form.revert()
    tab.table.selectRow(0)
    tab.table.setFocus()
    boxes.question = boxes.question.No
    qtbot.keyClick(tab.table, Qt.Key.Key_Delete)
    assert "删除奖励" in boxes.texts()
    assert tab.form.record_id == tab.model.record_id(0)  # not deleted: the clerk said no


def test_the_plan_category_list_is_editable_from_the_form(qtbot, demo_window, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    demo_window.select_tab("projects")
    tab = demo_window.current_tab()
    tab.new_record()
    combo = tab.form.editors["plan_category"].widget
    current = [combo.itemText(i) for i in range(1, combo.count())]
    new_list = "\n".join([*current, "乡村振兴科技专项"])
    monkeypatch.setattr(QInputDialog, "getMultiLineText", staticmethod(lambda *a, **k: (new_list, True)))
    tab.form.edit_choice_list(fields.PROJECTS.field("plan_category"))
    assert combo.findText("乡村振兴科技专项") > 0
    type_into(qtbot, tab.form, "name", "乡村振兴示范")
    type_into(qtbot, tab.form, "level", "县")
    type_into(qtbot, tab.form, "apply_year", "2013")
    type_into(qtbot, tab.form, "plan_category", "乡村振兴科技专项")
    assert tab.form.save()
    with demo_window.data_file.sessions() as s:
        saved = s.scalars(select(Project).where(Project.name == "乡村振兴示范")).one()
        assert saved.plan_category == "乡村振兴科技专项"


def test_saving_while_another_program_writes_says_so_and_saves_later(qtbot, window, boxes):
    import sqlite3

    from db import messages as db_messages

    tab, form = _new_patent(qtbot, window)
    other = sqlite3.connect(window.data_file.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program in the middle of writing the same file
    try:
        window.act_save.trigger()
        assert db_messages.BUSY in boxes.texts()
        with window.data_file.sessions() as s:
            assert s.scalars(select(Patent)).all() == []
        assert form.is_dirty()  # the clerk's typing is still there
    finally:
        other.execute("ROLLBACK")
        other.close()
    window.act_save.trigger()
    wait_counted(qtbot, tab)
    with window.data_file.sessions() as s:
        assert [p.title for p in s.scalars(select(Patent))] == ["一种液压缸密封装置"]
