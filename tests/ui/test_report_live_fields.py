"""The composer's live fields: 插入指标…, the warning before export, 沿用上年文字, the 落款日期 field."""

import datetime as dt

import pytest
from docx import Document
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from kejiju_desktop import fields
from kejiju_desktop import messages as core_messages
from kejiju_desktop.report import wording
from kejiju_desktop.services import drafts, stats
from tests.ui.helpers import type_text
from ui import prompts, report_composer
from ui.main_window import first_size

NAME = fields.INDICATOR_PATENT_APPLICATIONS


@pytest.fixture
def pane(demo_window, qtbot, boxes):
    boxes.question = QMessageBox.StandardButton.No  # do not open the document written
    assert demo_window.select_tab("report")
    composer = demo_window.tab_widget.currentWidget()
    composer.year_box.setValue(2012)
    qtbot.waitUntil(composer.facts_ready, timeout=20_000)
    return composer


def _select(pane, key):
    pane.section_list.setCurrentRow(pane.section_keys().index(key))


def _open_picker(pane, qtbot):
    pane.insert_button.click()
    qtbot.waitUntil(lambda: pane.picker is not None and pane.picker.isVisible(), timeout=5000)
    return pane.picker


def _cell(picker, name, column_header):
    headers = [picker.table.horizontalHeaderItem(c).text() for c in range(picker.table.columnCount())]
    rows = [picker.table.item(r, 0).text() for r in range(picker.table.rowCount())]
    return rows.index(name), headers.index(column_header)


def _export(pane, qtbot, target, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    with qtbot.waitSignal(pane.exported, timeout=60_000):
        pane.export_report()
    return [p.text for p in Document(str(target)).paragraphs]


def _signed_on(path) -> str:
    return [p.text for p in Document(str(path)).paragraphs if p.style.name == "落款"][-1]


def test_the_picker_lists_every_indicator_of_the_year_with_its_figures(pane, qtbot):
    picker = _open_picker(pane, qtbot)
    with pane.window().data_file.sessions() as s:
        found = stats.indicators(s, 2012)
    assert [picker.table.item(r, 0).text() for r in range(picker.table.rowCount())] == [i.name for i in found]
    row, column = _cell(picker, NAME, "本年")
    patents = next(i for i in found if i.name == NAME)
    assert picker.table.item(row, column).text() == f"{patents.value}件"
    assert picker.table.item(row, _cell(picker, NAME, "同比")[1]).text().startswith("同比")


def test_enter_in_the_picker_inserts_the_chosen_column_at_the_cursor(pane, qtbot):
    _select(pane, "ip")
    pane.text_edit.setPlainText("甲乙")
    cursor = pane.text_edit.textCursor()
    cursor.setPosition(1)
    pane.text_edit.setTextCursor(cursor)
    picker = _open_picker(pane, qtbot)
    change = picker.table.item(*_cell(picker, NAME, "同比")).text()
    picker.table.setCurrentCell(*_cell(picker, NAME, "同比"))
    qtbot.keyClick(picker.table, Qt.Key.Key_Return)
    assert not picker.isVisible()
    assert pane.text_edit.toPlainText() == f"甲【{NAME}·同比】乙"
    assert pane.text_edit.hasFocus() and pane.text_edit.textCursor().position() == len(f"甲【{NAME}·同比】")
    qtbot.waitUntil(lambda: f"甲{change}乙" in pane.preview_text(), timeout=5000)


def test_a_double_click_on_the_name_inserts_the_value_field(pane, qtbot):
    _select(pane, "plans")
    pane.text_edit.setPlainText("")
    picker = _open_picker(pane, qtbot)
    row, column = _cell(picker, NAME, picker.table.horizontalHeaderItem(0).text())
    rect = picker.table.visualRect(picker.table.model().index(row, column))
    # A real double-click: a click, then the double-click event (the view acts only on a pressed cell).
    qtbot.mouseClick(picker.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(picker.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert pane.text_edit.toPlainText() == f"【{NAME}】"


def test_an_unknown_field_is_shown_before_export_and_stays_in_the_text(pane, qtbot, tmp_path, monkeypatch):
    _select(pane, "plans")
    pane.text_edit.setPlainText("力争【专利申请两】达到450件。")
    qtbot.waitUntil(
        lambda: "不是 2012 年的指标" in pane.preview_text(), timeout=5000
    )  # the preview says so too
    asked, saved = [], []
    monkeypatch.setattr(prompts, "confirm_field_warnings", lambda _parent, warnings: asked.append(warnings))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: saved.append(a) or ("", ""))
    pane.export_report()
    assert asked == [
        [
            "“下一年工作要点”中的【专利申请两】不是 2012 年的指标（名称有误，或这一年还没有该指标），文中原样保留。"
        ]
    ]
    assert saved == []  # went back: not even asked where
    monkeypatch.setattr(prompts, "confirm_field_warnings", lambda _parent, warnings: True)
    paragraphs = _export(pane, qtbot, tmp_path / "r.docx", monkeypatch)
    assert any("力争【专利申请两】达到450件。" in p for p in paragraphs)


def test_last_years_text_is_copied_once_and_filled_with_this_years_figures(
    pane, qtbot, boxes, tmp_path, monkeypatch
):
    _select(pane, "ip")
    pane.text_edit.setPlainText(f"全年申请【{NAME}】。")
    pane.year_box.setValue(2013)
    assert pane.copy_previous_button.isEnabled()
    boxes.question = QMessageBox.StandardButton.Yes
    pane.copy_previous_button.click()
    assert any("复制到 2013 年" in text for text in boxes.shown)
    assert not pane.copy_previous_button.isEnabled()  # asked once: this year has the clerk's text now
    _select(pane, "ip")
    assert pane.text_edit.toPlainText() == f"全年申请【{NAME}】。"
    with pane.window().data_file.sessions() as s:
        assert drafts.load_draft(s, 2013).section("intro").clerk_text.startswith("2012年，县科学技术局")
        applications = next(i for i in stats.indicators(s, 2013) if i.name == NAME).value
    paragraphs = _export(pane, qtbot, tmp_path / "2013.docx", monkeypatch)
    assert f"全年申请{applications}件。" in paragraphs


def test_the_signature_date_set_or_left_for_the_export_day(pane, qtbot, tmp_path, monkeypatch):
    field = pane.signature_field
    assert field.line.text() == "落款日期：2013年1月5日（已设定）"  # the demo draft's date
    field.editor.edit.setFocus()
    field.editor.edit.selectAll()
    qtbot.keyClick(field.editor.edit, Qt.Key.Key_Backspace)
    today = wording.date_text(dt.date.today())
    assert field.line.text() == f"落款日期：{today}（导出当天）"
    _export(pane, qtbot, tmp_path / "today.docx", monkeypatch)
    assert _signed_on(tmp_path / "today.docx") == today
    qtbot.keyClicks(field.editor.edit, "2012-12-3x")
    assert "不是有效日期" in field.problem.text()
    qtbot.keyClick(field.editor.edit, Qt.Key.Key_Backspace)
    qtbot.keyClick(field.editor.edit, Qt.Key.Key_1)
    assert field.line.text() == "落款日期：2012年12月31日（已设定）" and not field.problem.text()
    _export(pane, qtbot, tmp_path / "set.docx", monkeypatch)
    assert _signed_on(tmp_path / "set.docx") == "2012年12月31日"
    pane.year_box.setValue(2013)
    assert field.line.text() == f"落款日期：{today}（导出当天）"
    pane.year_box.setValue(2012)
    assert field.editor.raw() == "2012-12-31"


def test_the_new_controls_fit_a_1024_by_700_screen(demo_window, qtbot):
    demo_window.resize(first_size(QSize(1024, 700)))
    assert demo_window.select_tab("report")
    pane = demo_window.tab_widget.currentWidget()
    qtbot.wait(50)
    for widget in (pane.insert_button, pane.copy_previous_button, pane.signature_field.editor.widget,
                   pane.signature_field.line):  # fmt: skip
        assert widget.visibleRegion().boundingRect().size() == widget.size()
        assert widget.width() >= widget.minimumSizeHint().width()
        assert (
            widget.fontMetrics().horizontalAdvance(widget.text() if hasattr(widget, "text") else "")
            <= widget.width()
        )


def test_export_goes_on_when_the_figures_could_not_be_counted_for_the_check(
    demo_window, boxes, qtbot, tmp_path, monkeypatch
):
    boxes.question = QMessageBox.StandardButton.No

    def fails(_data, _year):
        raise OSError("counting failed")

    monkeypatch.setattr(report_composer, "_gather", fails)
    assert demo_window.select_tab("report")
    pane = demo_window.tab_widget.currentWidget()
    pane.year_box.setValue(2011)  # not counted yet: the export has to wait for a count that fails
    _export(pane, qtbot, tmp_path / "r.docx", monkeypatch)  # the export says why itself if it cannot write
    assert (tmp_path / "r.docx").exists()


def test_the_indicator_table_section_says_what_it_is_and_offers_no_heading_or_text(pane):
    _select(pane, "ip")
    assert pane.text_edit.isVisible() and pane.heading_edit.isVisible()
    assert not pane.table_only_note.isVisible()
    _select(pane, "indicators")
    assert not pane.heading_edit.isVisible() and not pane.text_edit.isVisible()
    assert not pane.insert_button.isVisible() and not pane.copy_previous_button.isVisible()
    assert pane.table_only_note.isVisible() and "落款之后" in pane.table_only_note.text()
    assert pane.table_check.isVisible()  # the table itself can still be left out


def test_the_preview_shows_the_last_edit_after_an_export(pane, qtbot, tmp_path, monkeypatch):
    _select(pane, "plans")
    qtbot.waitUntil(pane.facts_ready, timeout=5000)
    type_text(qtbot, pane.text_edit, "导出前最后一句。")
    _export(pane, qtbot, tmp_path / "r.docx", monkeypatch)  # at once: before the preview's timer fires
    qtbot.waitUntil(lambda: "导出前最后一句。" in pane.preview_text(), timeout=3000)


def test_an_indicator_left_out_for_a_missing_population_is_told_before_export(
    pane, demo_window, qtbot, monkeypatch
):
    from db.models import Target

    with demo_window.data_file.writer() as session:
        session.query(Target).filter(Target.indicator == fields.INDICATOR_POPULATION).delete()
    demo_window.refresh()
    qtbot.waitUntil(pane.facts_ready, timeout=10_000)
    asked = []
    monkeypatch.setattr(prompts, "confirm_field_warnings", lambda _parent, warnings: asked.append(warnings))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))  # were it not asked
    pane.export_report()
    qtbot.waitUntil(lambda: bool(asked), timeout=10_000)
    assert asked == [[core_messages.NO_POPULATION.format(
        year=2012, indicator=fields.INDICATOR_INVENTIONS_PER_10K, population=fields.INDICATOR_POPULATION
    )]]  # fmt: skip
