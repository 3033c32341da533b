"""附件 主要科技指标完成情况表: its rows against stats on the hand-counted file, on when a target is set."""

from decimal import Decimal

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from db.database import open_data_file
from db.models import Target
from kejiju_desktop import fields
from kejiju_desktop.report import compose, export, visuals, wording
from kejiju_desktop.services import drafts, stats

HEADERS = ["指标", "单位", "目标", "完成", "完成率", "上年", "同比"]
# By hand from tests/report/conftest.py plus the targets below; 0 last year and no target: no row.
ROWS_2012 = [
    ["专利申请量", "件", "4", "5", "125.0%", "4", "25.0%"],
    ["发明专利申请量", "件", "", "3", "", "2", "50.0%"],
    ["企业专利申请量", "件", "", "4", "", "3", "33.3%"],
    ["申报项目数", "项", "", "2", "", "1", "100.0%"],
    ["立项项目数", "项", "2", "1", "50.0%", "1", "0.0%"],
    ["争取项目资金", "万元", "", "50.5", "", "20", "152.5%"],
    ["科技奖励数", "项", "", "2", "", "3", "-33.3%"],
    ["技术交易额", "万元", "1000", "1234.56", "123.5%", "1500", "-17.7%"],
    ["科技特派员人数", "", "30", "", "", "", ""],
]


@pytest.fixture
def annex_data(small_file):
    """The small file with a computed and two manual targets for 2012, and last year's 技术交易额."""
    data = open_data_file(small_file, take_lock=False)
    with data.sessions.begin() as s:
        s.add(Target(year=2012, indicator="立项项目数", target_value=Decimal(2)))
        s.add(Target(year=2012, indicator="技术交易额(万元)", target_value=Decimal(1000),
                     actual_value=Decimal("1234.56")))  # fmt: skip
        s.add(Target(year=2011, indicator="技术交易额(万元)", actual_value=Decimal(1500)))
        s.add(Target(year=2012, indicator="科技特派员人数", target_value=Decimal(30)))
    yield data
    data.close()


def _export(data, path, year=2012):
    with data.sessions() as s:
        export.export(s, year, path)
    return Document(str(path))


def _indicator_table(document):
    found = [t for t in document.tables if [c.text for c in t.rows[0].cells] == HEADERS]
    return [[c.text for c in row.cells] for row in found[0].rows[1:]] if found else None


def test_the_table_reopened_holds_the_hand_counted_figures_of_stats(annex_data, tmp_path):
    rows = _indicator_table(_export(annex_data, tmp_path / "r.docx"))
    assert rows == ROWS_2012
    with annex_data.sessions() as s:
        found = {i.name: i for i in stats.indicators(s, 2012)}
    for row in rows:  # every figure is the one stats gives, in the report's wording
        name = next(n for n in found if n == row[0] or n.startswith(row[0] + "("))
        indicator = found[name]
        assert row[3] == ("" if indicator.value is None else wording.number(indicator.value))
        assert row[2] == ("" if indicator.target is None else wording.number(indicator.target))
        assert row[6] == ("" if indicator.change is None else f"{indicator.change}%")


def test_percentages_and_declines_are_set_right_like_figures(annex_data, tmp_path):
    document = _export(annex_data, tmp_path / "r.docx")
    table = next(t for t in document.tables if t.rows[0].cells[0].text == HEADERS[0])
    for column in (2, 3, 4, 5, 6):  # 目标 … 同比
        assert table.rows[1].cells[column].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_the_table_is_an_attachment_announced_above_the_signature(annex_data, tmp_path):
    texts = [p.text for p in _export(annex_data, tmp_path / "r.docx").paragraphs]
    signed = texts.index("测试县科学技术局")
    assert texts[signed - 3 : signed - 1] == [
        "附件：1．2012年立项科技计划项目及财政资助情况",
        "　　　2．2012年主要科技指标完成情况表",
    ]
    assert texts.index("附件2") > signed
    assert texts[texts.index("附件2") + 2] == "2012年主要科技指标完成情况表"


def test_a_lone_attachment_has_no_number(annex_data, tmp_path):
    with annex_data.sessions.begin() as s:
        drafts.update_section(s, 2012, "projects", with_table=False)
    texts = [p.text for p in _export(annex_data, tmp_path / "r.docx").paragraphs]
    assert "附件：2012年主要科技指标完成情况表" in texts
    assert "附件" in texts[texts.index("测试县科学技术局") :] and "附件1" not in texts


def test_the_table_is_off_without_a_target_and_on_with_one(annex_data, tmp_path):
    assert _indicator_table(_export(annex_data, tmp_path / "2011.docx", 2011)) is None
    with annex_data.sessions.begin() as s:
        s.add(Target(year=2011, indicator="专利申请量", target_value=Decimal(3)))
    assert _indicator_table(_export(annex_data, tmp_path / "2011t.docx", 2011))[0] == [
        "专利申请量", "件", "3", "4", "133.3%", "0", "",
    ]  # fmt: skip


def test_the_clerk_switches_the_table_off(annex_data, tmp_path):
    with annex_data.sessions.begin() as s:
        drafts.update_section(s, 2012, "indicators", with_table=False)
        report = compose.build_report(s, 2012)
    assert "indicators" not in [section.key for section in report.sections]
    assert _indicator_table(_export(annex_data, tmp_path / "off.docx")) is None


def test_the_rows_follow_whatever_indicators_stats_returns():
    new = stats.Indicator("科技新指标", Decimal("3.456"), Decimal(3), None)  # a name no list knows: no unit
    assert visuals.indicator_row(new) == ["科技新指标", "", "3", "3.46", "115.2%", "", ""]
    bracketed = stats.Indicator("R&D经费（亿元）", Decimal(2), None, Decimal(4), manual=True)
    assert visuals.indicator_row(bracketed) == ["R&D经费", "亿元", "", "2", "", "4", "-50.0%"]


@pytest.mark.slow
def test_libreoffice_keeps_the_table_headers_and_figures(annex_data, tmp_path, soffice, pdftotext):
    _export(annex_data, tmp_path / "r.docx")
    text = pdftotext(soffice(tmp_path / "r.docx", "pdf"))
    page = text[text.rindex("附件 2") :]  # pdftotext sets a space between Latin and Chinese
    assert "".join(page.split()).startswith("附件22012年主要科技指标完成情况表")
    words = page.split()  # a figure broken over two lines in its cell would fail here
    for header in HEADERS:
        assert header in words, header
    for figure in ("1234.56", "123.5%", "-17.7%", "-33.3%", "152.5%", "技术交易额", "科技特派员人数"):
        assert figure in words, figure


def test_the_population_the_clerk_enters_is_no_row_of_the_table(annex_data, tmp_path):
    # 年末常住人口(万人) is an input of 每万人口发明专利拥有量, not an indicator the bureau achieves.
    with annex_data.sessions.begin() as s:
        s.add(Target(year=2012, indicator=fields.INDICATOR_POPULATION, actual_value=Decimal("58.6")))
        s.add(Target(year=2011, indicator=fields.INDICATOR_POPULATION, actual_value=Decimal("58.1")))
    rows = _indicator_table(_export(annex_data, tmp_path / "r.docx"))
    assert rows and not [row for row in rows if row[0].startswith("年末常住人口")]
