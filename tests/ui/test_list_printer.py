"""打印当前列表: a tab's rows painted through QPrinter to a PDF file, read back with poppler."""

import datetime as dt
import re
import shutil
import subprocess
import unicodedata

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QMessageBox

from db.database import open_data_file
from kejiju_desktop import fields
from kejiju_desktop.progress import run_to_end
from kejiju_desktop.services import current_list, records
from ui import list_actions, list_printer
from ui import messages as ui_messages

TODAY = dt.date(2013, 1, 5)
ROWS = 130  # about 28 rows a page: five pages


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


def pdf_pages(path) -> list[str]:
    """Each page's text (NFKC: a font may map a glyph to a compatibility character)."""
    text = subprocess.run(
        [_tool("pdftotext"), "-layout", str(path), "-"], check=True, capture_output=True, text=True
    )
    return [unicodedata.normalize("NFKC", page) for page in text.stdout.split("\f")[:-1]]


def pdf_page_count(path) -> int:
    info = subprocess.run([_tool("pdfinfo"), str(path)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


@pytest.fixture
def many_patents(db_file):
    """ROWS granted inventions of 2012 holding 电机, with a long title now and then, and some others."""
    opened = open_data_file(db_file)
    with opened.sessions.begin() as session:
        for n in range(ROWS):
            title = f"一种电机{n:03d}" + ("，带有很长的说明文字用来检查换行" * 3 if n % 9 == 0 else "")
            raw = {
                "title": title,
                "applicant": f"示范县第{n}电机厂",
                "filed_on": f"2012-{1 + n % 12:02d}-{1 + n % 28:02d}",
            }
            raw |= {"patent_type": "发明", "legal_status": "已授权", "granted_on": "2013-01-02"}
            records.save_record(session, fields.PATENTS, raw, operator="张三")
        for n in range(5):
            raw = {
                "title": f"一种电池{n}",
                "applicant": "个人乙",
                "filed_on": "2012-06-01",
                "patent_type": "发明",
            }
            records.save_record(session, fields.PATENTS, raw, operator="张三")
    opened.close()
    return db_file


QUERY = records.Query(
    search="电机",
    year=2012,
    filters={"patent_type": "发明", "legal_status": "已授权"},
    sort="filed_on",
    descending=True,
)


def pdf_printer(path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    list_printer.set_up(printer)
    return printer


def test_the_sheet_holds_the_tab_rows_in_its_order_and_its_filter_in_words(many_patents):
    opened = open_data_file(many_patents, read_only=True)
    with opened.sessions() as session:
        sheet = run_to_end(current_list.iter_list_sheet(session, fields.PATENTS, QUERY, TODAY))
        shown = records.list_page(session, fields.PATENTS, QUERY, 0, 1000)
    opened.close()
    assert sheet.title == "专利列表"
    assert sheet.filter_words == "2012年 · 发明 · 已授权 · 搜索“电机”"
    assert sheet.summary == f"共 {ROWS} 条　打印于2013年1月5日"
    assert [row[0] for row in sheet.rows] == [row[1] for row in shown] and len(shown) == ROWS
    assert [spec.key for spec in sheet.columns] == [spec.key for spec in fields.PATENTS.table_fields]


def test_a_long_list_prints_on_a4_landscape_pages_each_with_title_filter_header_and_page_number(
    qtbot, many_patents, tmp_path
):
    opened = open_data_file(many_patents, read_only=True)
    with opened.sessions() as session:
        sheet = run_to_end(current_list.iter_list_sheet(session, fields.PATENTS, QUERY, TODAY))
    opened.close()
    out = tmp_path / "list.pdf"
    pages = list_printer.paint_list(pdf_printer(out), sheet)
    assert pages >= 3 and pdf_page_count(out) == pages
    texts = pdf_pages(out)
    assert len(texts) == pages
    for number, text in enumerate(texts, 1):
        assert "专利列表" in text and "2012年 · 发明 · 已授权 · 搜索“电机”" in text
        assert all(spec.label in text for spec in fields.PATENTS.table_fields)
        assert f"第{number}页/共{pages}页" in "".join(text.split())  # pdftotext drops spaces beside CJK
    printed = re.findall(r"一种电机\d{3}", "".join(texts))
    assert printed == [row[1][:7] for row in sheet.rows]  # every row once, in the tab's order
    info = subprocess.run([_tool("pdfinfo"), str(out)], check=True, capture_output=True, text=True).stdout
    assert "842 x 595 pts (A4)" in info  # landscape


def test_an_empty_list_prints_one_page_with_its_header(qtbot, db_file, tmp_path):
    opened = open_data_file(db_file, read_only=True)
    with opened.sessions() as session:
        sheet = run_to_end(current_list.iter_list_sheet(session, fields.AWARDS, records.Query(), TODAY))
    opened.close()
    out = tmp_path / "empty.pdf"
    assert list_printer.paint_list(pdf_printer(out), sheet) == 1
    [text] = pdf_pages(out)
    assert (
        "奖励列表" in text
        and "全部记录" in text
        and "成果名称" in text
        and "第1页/共1页" in "".join(text.split())
    )


def test_ctrl_p_prints_what_the_tab_shows(qtbot, make_window, many_patents, tmp_path, monkeypatch):
    out = tmp_path / "from-window.pdf"
    printed = []

    def print_instead_of_previewing(dialog):
        printed.append(dialog.windowTitle())
        dialog.paintRequested.emit(pdf_printer(out))
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", print_instead_of_previewing)
    window = make_window(many_patents)
    window.select_tab("patents")
    tab = window.current_tab()
    tab.search.setText("电池")
    tab.apply_filters()
    assert window.list_actions[1].shortcut().toString() == "Ctrl+P"
    qtbot.keyClick(tab.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(printed), timeout=10000)
    assert printed == [ui_messages.PRINT_PREVIEW_TITLE.format(title="专利列表")]
    [text] = pdf_pages(out)
    assert "搜索“电池”" in text and text.count("一种电池") == 5 and "一种电机" not in text


def test_a_list_of_hundreds_of_pages_is_printed_only_when_the_clerk_says_so(
    qtbot, make_window, many_patents, monkeypatch, boxes
):
    monkeypatch.setattr(list_actions, "ASK_ABOVE_ROWS", 100)
    previewed = []
    monkeypatch.setattr(QPrintPreviewDialog, "exec", lambda dialog: previewed.append(dialog) or 0)
    window = make_window(many_patents)
    window.select_tab("patents")
    tab = window.current_tab()
    qtbot.waitUntil(lambda: tab.model.matching_count == ROWS + 5, timeout=5000)
    boxes.question = QMessageBox.StandardButton.No
    window.list_actions[1].trigger()
    assert boxes.shown == [ui_messages.PRINT_LONG.format(n=ROWS + 5, pages=6)]
    window.tasks.wait()
    qtbot.wait(50)
    assert previewed == []
    boxes.question = QMessageBox.StandardButton.Yes
    window.list_actions[1].trigger()
    qtbot.waitUntil(lambda: bool(previewed), timeout=10000)
