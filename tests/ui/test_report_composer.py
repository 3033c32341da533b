"""The 年度报告 pane in a window that keeps the extension contract: ticks, order, clerk's text, export."""

import shutil
import threading

import pytest
from docx import Document
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QTabWidget

from db.database import open_data_file
from kejiju_desktop.report.document import ChartSpec, Para, SectionBody
from tests.ui.helpers import type_text
from ui import report_composer
from ui.dialogs.targets_dialog import TargetsDialog
from ui.report_preview import ReportPreview
from ui.tasks import run_here


class ContractWindow(QMainWindow):
    """The smallest window offering what ui/extensions.py modules may use."""

    data_file_changed = Signal(object)
    figures_changed = Signal()

    def __init__(self, data):
        super().__init__()
        self.data_file = data
        self.tabs = QTabWidget(self)
        self.setCentralWidget(self.tabs)
        self.panes, self._menus = {}, {}

    def menu(self, name):
        if name not in self._menus:
            self._menus[name] = self.menuBar().addMenu(name)
        return self._menus[name]

    def add_pane(self, key, widget, title):
        self.panes[key] = widget
        self.tabs.addTab(widget, title)

    def run_task(self, title, factory, on_done):
        run_here(title, factory, on_done)

    def recount(self):
        self.figures_changed.emit()


@pytest.fixture
def demo_copy(demo_file, tmp_path):
    path = tmp_path / "demo.kjdb"
    shutil.copy(demo_file, path)
    return path


@pytest.fixture
def opened(demo_copy):
    data = open_data_file(demo_copy)
    yield data
    data.close()


@pytest.fixture
def composer(qtbot, opened, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    window = ContractWindow(opened)
    qtbot.addWidget(window)
    pane = report_composer.install(window)
    window.show()
    return pane


def _headings(path):
    return [p.text for p in Document(str(path)).paragraphs if p.style.name == "Heading 1"]


def _select(pane, key):
    pane.section_list.setCurrentRow(pane.section_keys().index(key))


def test_install_adds_the_pane_and_the_menu_actions(composer):
    window = composer.window()
    assert window.tabs.tabText(0) == "年度报告" and window.panes["report"] is composer
    assert composer.export_action.text() == "一键导出年度报告"
    assert composer.export_action.shortcut().toString() == "Ctrl+E"
    assert composer.targets_action in window.menu("数据").actions()
    assert composer.year() == 2013  # the latest year with records
    assert composer.section_keys()[:3] == ["intro", "carriers", "projects"]


def test_unticking_a_section_leaves_it_out_of_the_document(composer, tmp_path):
    composer.year_box.setValue(2012)
    composer.write_report(tmp_path / "all.docx")
    assert "三、积极组织科技奖励申报" in _headings(tmp_path / "all.docx")
    item = composer.section_list.item(composer.section_keys().index("awards"))
    item.setCheckState(Qt.CheckState.Unchecked)
    composer.write_report(tmp_path / "less.docx")
    headings = _headings(tmp_path / "less.docx")
    assert not any("科技奖励" in h for h in headings)
    assert headings[2] == "三、知识产权工作取得新成效"


def test_moving_a_section_changes_the_order_in_the_document(composer, qtbot, tmp_path):
    composer.year_box.setValue(2012)
    _select(composer, "ip")
    qtbot.mouseClick(composer.up_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(composer.up_button, Qt.MouseButton.LeftButton)
    assert composer.section_keys()[2] == "ip"
    composer.section_list.model().moveRow(
        composer.section_list.rootIndex(), 6, composer.section_list.rootIndex(), 1
    )
    composer.write_report(tmp_path / "moved.docx")
    headings = _headings(tmp_path / "moved.docx")
    assert headings[0] == "一、深化农业科技服务"
    assert headings[2] == "三、知识产权工作取得新成效"


def test_clerk_text_survives_closing_and_reopening_the_file(qtbot, demo_copy, monkeypatch):
    data = open_data_file(demo_copy)
    window = ContractWindow(data)
    qtbot.addWidget(window)
    pane = report_composer.install(window)
    pane.year_box.setValue(2013)
    _select(pane, "plans")
    pane.text_edit.setFocus()
    pane.text_edit.insertPlainText("2013年，继续抓好科技项目申报。")  # QTest cannot type Chinese
    _select(pane, "intro")  # leaving the section saves it
    pane.add_section("七、获评先进集体")
    window.close()
    data.close()

    reopened = open_data_file(demo_copy)
    try:
        window2 = ContractWindow(reopened)
        qtbot.addWidget(window2)
        pane2 = report_composer.install(window2)
        pane2.year_box.setValue(2013)
        _select(pane2, "plans")
        assert pane2.text_edit.toPlainText() == "2013年，继续抓好科技项目申报。"
        assert pane2.section_list.item(pane2.section_list.count() - 1).text() == "七、获评先进集体"
    finally:
        reopened.close()


def test_preview_shows_generated_sentences_of_the_selected_section(composer, qtbot):
    composer.year_box.setValue(2012)
    _select(composer, "ip")
    # The year's figures are counted on the thread pool; until then the preview says so.
    assert composer.facts_ready() or "正在统计 2012 年的数据" in composer.preview_text()
    qtbot.waitUntil(composer.facts_ready, timeout=10_000)
    assert "全年专利申请量380件" in composer.preview_text()
    assert composer.title_edit.placeholderText() == "示范县科学技术局2012年工作总结"
    composer.chart_check.setChecked(False)
    composer.chart_check.setChecked(True)
    assert composer.chart_check.isVisible()


def test_ctrl_e_asks_where_and_writes_the_report(composer, qtbot, tmp_path, monkeypatch):
    target = tmp_path / "年度报告"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    done = []
    composer.exported.connect(done.append)
    composer.year_box.setValue(2012)
    composer.export_action.trigger()
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)  # the year is counted first (its live fields checked)
    assert done == [str(target) + ".docx"]
    assert _headings(done[0])[0] == "一、加强创新主体与载体建设"


def test_targets_dialog_saves_a_manual_indicator_with_its_actual_value(qtbot, opened):
    dialog = TargetsDialog(opened, 2013)
    qtbot.addWidget(dialog)
    before = dialog.table.rowCount()
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    row = dialog.table.rowCount() - 1
    assert row == before
    dialog.table.cellWidget(row, 0).setCurrentText("知识产权质押融资(万元)")
    dialog.table.item(row, 1).setText("1500")
    dialog.table.item(row, 2).setText("1600")
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert dialog.result() == TargetsDialog.DialogCode.Accepted
    from kejiju_desktop.services import targets

    with opened.sessions() as s:
        saved = {r.indicator: r for r in targets.list_targets(s, 2013)}
    assert saved["知识产权质押融资(万元)"].actual == 1600
    assert saved["知识产权质押融资(万元)"].target == 1500


def test_targets_dialog_refuses_a_figure_that_is_not_a_number(qtbot, opened, monkeypatch):
    told = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: told.append(a[2]))
    dialog = TargetsDialog(opened, 2012)
    qtbot.addWidget(dialog)
    dialog.table.item(0, 1).setText("很多")
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert told and "不是数字" in told[0]
    with opened.sessions() as s:
        from kejiju_desktop.services import targets

        assert targets.list_targets(s, 2012)[0].target == 350


def test_read_only_file_can_be_exported_but_not_edited(qtbot, demo_copy, tmp_path, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    data = open_data_file(demo_copy, read_only=True)
    try:
        window = ContractWindow(data)
        qtbot.addWidget(window)
        pane = report_composer.install(window)
        assert not pane.text_edit.isEnabled() and not pane.add_button.isEnabled()
        assert "只读" in pane.note_label.text()
        pane.year_box.setValue(2012)
        pane.write_report(tmp_path / "ro.docx")
        assert _headings(tmp_path / "ro.docx")[0] == "一、加强创新主体与载体建设"
    finally:
        data.close()


def test_export_to_a_missing_folder_tells_the_clerk_and_writes_nothing(composer, tmp_path, monkeypatch):
    told = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: told.append(a[2]))
    composer.write_report(tmp_path / "nowhere" / "r.docx")
    assert told and "不存在" in told[0]
    assert not (tmp_path / "nowhere").exists()


def test_main_window_exports_off_the_gui_thread_with_ctrl_e(demo_window, boxes, qtbot, tmp_path, monkeypatch):
    boxes.question = QMessageBox.StandardButton.No
    target = tmp_path / "主窗口导出.docx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert demo_window.select_tab("report")
    pane = demo_window.tab_widget.currentWidget()
    pane.year_box.setValue(2012)
    action = next(a for a in demo_window.menu("报告").actions() if a.text() == "一键导出年度报告")
    with qtbot.waitSignal(pane.exported, timeout=60000) as blocker:
        action.trigger()
    assert blocker.args == [str(target)]
    assert _headings(target)[-1] == "九、2013年工作要点"
    assert any("是否现在打开" in text for text in boxes.shown)


def test_the_preview_follows_the_clerks_typing(composer, qtbot):
    composer.year_box.setValue(2012)
    _select(composer, "ip")
    qtbot.waitUntil(composer.facts_ready, timeout=10_000)
    composer.text_edit.setFocus()
    type_text(qtbot, composer.text_edit, "新建知识产权服务站一个。")
    assert "新建知识产权服务站" not in composer.preview_text()  # not at every key: after a pause
    qtbot.waitUntil(lambda: "新建知识产权服务站一个。" in composer.preview_text(), timeout=5000)
    assert "全年专利申请量380件" in composer.preview_text()
    composer.heading_edit.setFocus()
    type_text(qtbot, composer.heading_edit, "（知识产权）")
    qtbot.waitUntil(lambda: "（知识产权）" in composer.preview_text(), timeout=5000)


def test_a_preview_built_for_older_text_is_dropped(qtbot):
    preview = ReportPreview()
    qtbot.addWidget(preview)
    release = threading.Event()

    def slow():
        release.wait(5)
        return SectionBody("ip", "旧的标题")

    preview.build_and_show(slow)
    preview.build_and_show(lambda: SectionBody("ip", "新的标题"))
    qtbot.waitUntil(lambda: "新的标题" in preview.text(), timeout=5000)
    release.set()
    qtbot.waitUntil(lambda: not preview.is_building(), timeout=5000)
    qtbot.wait(100)  # the older body arrives meanwhile, and is dropped
    assert "新的标题" in preview.text() and "旧的标题" not in preview.text()


def test_the_report_year_chosen_last_returns_after_a_restart(qtbot, composer, opened):
    assert composer.year() == 2013  # at first: the latest year with records
    composer.year_box.setValue(2011)
    window = ContractWindow(opened)
    qtbot.addWidget(window)
    again = report_composer.install(window)  # as the next start of the program builds it
    assert again.year() == 2011


def test_the_preview_shows_the_chart_small_where_the_document_has_it(composer, qtbot):
    composer.year_box.setValue(2012)
    _select(composer, "ip")
    composer.text_edit.setPlainText("新建知识产权服务站一个。")
    preview = composer.preview_panel
    qtbot.waitUntil(lambda: preview.chart_image() is not None, timeout=20_000)
    qtbot.waitUntil(lambda: "新建知识产权服务站一个。" in preview.text(), timeout=5000)
    assert preview.chart_image() is not None  # still there after the text changed: the figures did not
    assert preview.chart_image().width() <= 0.45 * max(preview.browser.viewport().width(), 400)
    lines = preview.text().splitlines()
    caption = next(i for i, line in enumerate(lines) if line.endswith("年专利申请量（按专利类型）"))
    assert lines[caption].startswith("图") and lines[caption - 1] == "\ufffc"  # the picture's place
    assert any("全年专利申请量380件" in line for line in lines[:caption])
    assert any("新建知识产权服务站一个。" in line for line in lines[caption:])


def _chart(categories=("发明专利", "实用新型专利")):
    return ChartSpec("两年专利", list(categories), [("2012年", [3.0, 2.0])], "件")


def test_the_same_figures_show_the_chart_drawn_before_at_once(qtbot):
    preview = ReportPreview()
    qtbot.addWidget(preview)
    preview.show_body(SectionBody("ip", "", [Para("第一稿。")], chart=_chart()))
    assert preview.chart_image() is None and "正在绘制图表" in preview.text()
    qtbot.waitUntil(lambda: preview.chart_image() is not None, timeout=20_000)
    preview.show_body(SectionBody("ip", "", [Para("第二稿。")], chart=_chart()))  # typed on: same figures
    assert preview.chart_image() is not None and "第二稿。" in preview.text()


def test_a_chart_matplotlib_cannot_draw_leaves_the_text_and_a_note(qtbot):
    preview = ReportPreview()
    qtbot.addWidget(preview)
    broken = _chart(categories=("发明专利", "实用新型专利", "外观设计专利"))  # 3 bars, 2 values: ValueError
    preview.show_body(SectionBody("ip", "知识产权", [Para("全年专利申请量5件。")], chart=broken))
    qtbot.waitUntil(lambda: "图表未能绘制" in preview.text(), timeout=20_000)
    assert "全年专利申请量5件。" in preview.text() and "知识产权" in preview.text()
    assert preview.chart_image() is None


def test_the_preview_shows_the_indicator_table_and_says_when_there_is_none(composer, qtbot):
    composer.year_box.setValue(2012)
    _select(composer, "indicators")
    qtbot.waitUntil(composer.facts_ready, timeout=10_000)
    html = composer.preview_panel.browser.toHtml()
    assert "<table" in html and "主要科技指标完成情况表" in composer.preview_text()
    for header in ("指标", "单位", "目标", "完成", "完成率", "上年", "同比"):
        assert f">{header}<" in html, header
    assert "专利申请量" in composer.preview_text()
    bare = ReportPreview()
    qtbot.addWidget(bare)
    bare.show_body(SectionBody("indicators", ""))
    assert "尚未设定年度目标" in bare.text()


def test_text_typed_just_before_the_year_is_changed_is_kept_in_its_own_year(composer, opened):
    composer.year_box.setValue(2012)
    _select(composer, "ip")
    composer.text_edit.setPlainText("二〇一二年的文字。")  # saved after a pause, or when the year changes
    composer.year_box.setValue(2013)
    from kejiju_desktop.services import drafts

    with opened.sessions() as s:
        assert drafts.load_draft(s, 2012).section("ip").clerk_text == "二〇一二年的文字。"
        assert drafts.load_draft(s, 2013).section("ip").clerk_text == ""


def test_the_preview_shown_follows_records_the_window_reads_again(demo_window, qtbot):
    from kejiju_desktop import fields
    from kejiju_desktop.services import records

    assert demo_window.select_tab("report")
    pane = demo_window.pane("report")
    pane.year_box.setValue(2012)
    _select(pane, "ip")
    qtbot.waitUntil(pane.facts_ready, timeout=10_000)
    assert "全年专利申请量380件" in pane.preview_text()
    with demo_window.data_file.writer() as session:  # as an import or a merge writes them
        raw = {"title": "新导入的专利", "patent_type": fields.PATENT_TYPES[0], "applicant": "示范公司",
               "applicant_type": fields.APPLICANT_TYPES[0], "filed_on": "2012-05-01"}  # fmt: skip
        records.save_record(session, fields.PATENTS, raw)
    demo_window.refresh()
    qtbot.waitUntil(
        lambda: pane.facts_ready() and "全年专利申请量381件" in pane.preview_text(), timeout=10_000
    )
