"""The exported .docx reopened with python-docx: GB/T 9704 page, fonts, spacing, page numbers, content."""

import datetime as dt

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from kejiju_desktop.report import export
from kejiju_desktop.services import drafts

TWIPS_28PT = "560"


@pytest.fixture(scope="module")
def demo_docx(demo_file, tmp_path_factory):
    from db.database import open_data_file

    out = tmp_path_factory.mktemp("docx") / "2012.docx"
    data = open_data_file(demo_file, read_only=True)
    with data.sessions() as s:
        done = export.export(s, 2012, out, today=dt.date(2013, 1, 5))
    data.close()
    assert done.charts == 3 and done.tables == 2  # the projects table and the 指标 table
    return out


def _east_asia(style) -> str:
    return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_page_is_a4_with_gbt9704_margins(demo_docx):
    section = Document(str(demo_docx)).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    assert abs(section.top_margin - Mm(37)) < Mm(0.1)


def test_east_asian_fonts_are_written_to_w_east_asia_without_theme_fonts(demo_docx):
    doc = Document(str(demo_docx))
    assert _east_asia(doc.styles["Normal"]) == "仿宋_GB2312"
    assert _east_asia(doc.styles["Heading 1"]) == "黑体"
    assert _east_asia(doc.styles["Heading 2"]) == "楷体_GB2312"
    assert _east_asia(doc.styles["报告标题"]) == "方正小标宋简体"
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3"):
        fonts = doc.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsiaTheme")) is None and fonts.get(qn("w:asciiTheme")) is None
    headings = [p for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert [p.text for p in headings][:3] == [
        "一、加强创新主体与载体建设",
        "二、大力实施科技计划项目",
        "三、积极组织科技奖励申报",
    ]


def test_body_has_exact_28pt_spacing_and_two_character_indent(demo_docx):
    ppr = Document(str(demo_docx)).styles["Normal"].element.pPr
    spacing, ind = ppr.find(qn("w:spacing")), ppr.find(qn("w:ind"))
    assert (spacing.get(qn("w:line")), spacing.get(qn("w:lineRule"))) == (TWIPS_28PT, "exact")
    assert ind.get(qn("w:firstLineChars")) == "200"
    assert Document(str(demo_docx)).styles["Normal"].font.size.pt == 16


def test_page_numbers_are_page_fields_in_odd_and_even_footers(demo_docx):
    doc = Document(str(demo_docx))
    assert doc.settings.odd_and_even_pages_header_footer
    section = doc.sections[0]
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        paragraph = footer.paragraphs[0]
        instructions = [e.text for e in paragraph._p.iter(qn("w:instrText"))]
        assert instructions == [" PAGE "]
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert paragraph._p.pPr.find(qn("w:jc")).get(qn("w:val")) == align
        assert paragraph.runs[0].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "宋体"


def test_pictures_captions_and_table_with_repeating_header(demo_docx):
    doc = Document(str(demo_docx))
    assert len(doc.inline_shapes) == 3
    captions = [p.text for p in doc.paragraphs if p.text.startswith(("图", "表")) and "　" in p.text[:4]]
    assert [c.split("　")[0] for c in captions] == ["图1", "图2", "图3"]
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "序号",
        "项目名称",
        "承担单位",
        "级别",
        "财政资助（万元）",
    ]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert len(table.rows) == 1 + 33 + 1
    assert [c.text for c in table.rows[-1].cells] == ["合计", "", "", "", "2865.5"]


def test_title_issuer_date_and_the_table_as_an_attachment(demo_docx):
    paragraphs = Document(str(demo_docx)).paragraphs
    texts = [p.text for p in paragraphs]
    assert texts[0] == "示范县科学技术局2012年工作总结"
    signed = texts.index("2013年1月5日")
    assert texts[signed - 1] == "示范县科学技术局"
    assert texts[signed - 4] == "附件：1．2012年立项科技计划项目及财政资助情况"
    assert texts[signed - 3] == "　　　2．2012年主要科技指标完成情况表"
    annex = texts.index("附件1")
    assert annex > signed and paragraphs[annex].paragraph_format.page_break_before
    assert texts[annex + 2] == "2012年立项科技计划项目及财政资助情况"


def test_windows_font_scheme_uses_fonts_every_chinese_windows_has(demo_file, tmp_path):
    from db.database import open_data_file

    data = open_data_file(demo_file, read_only=True)
    with data.sessions() as s:
        export.export(s, 2012, tmp_path / "w.docx", fonts="windows")
    data.close()
    doc = Document(str(tmp_path / "w.docx"))
    used = {_east_asia(doc.styles[n]) for n in ("Normal", "Heading 1", "Heading 2", "报告标题")}
    assert used == {"仿宋", "黑体", "楷体", "宋体"}


def test_export_refuses_an_existing_file_and_leaves_it_unchanged(small_data, tmp_path):
    out = tmp_path / "r.docx"
    out.write_bytes(b"keep me")
    with small_data.sessions() as s, pytest.raises(export.ReportError, match="已存在"):
        export.export(s, 2012, out)
    assert out.read_bytes() == b"keep me"
    assert not list(tmp_path.glob("*.tmp"))


def test_clerk_text_lines_become_paragraphs_with_heading_fonts(small_data, tmp_path):
    with small_data.sessions.begin() as s:
        drafts.update_section(
            s, 2012, "plans", clerk_text="（一）抓好项目。全年申报项目50项。\n加强培训。\x0b"
        )
    with small_data.sessions() as s:
        export.export(s, 2012, tmp_path / "p.docx")
    doc = Document(str(tmp_path / "p.docx"))
    paragraph = next(p for p in doc.paragraphs if p.text.startswith("（一）抓好项目"))
    lead = paragraph.runs[0]
    assert lead.text == "（一）抓好项目。"
    assert lead.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "楷体_GB2312"
    assert any(p.text == "加强培训。" for p in doc.paragraphs)
    assert "四、2013年工作要点" in [p.text for p in doc.paragraphs]
