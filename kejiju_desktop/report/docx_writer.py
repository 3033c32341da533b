"""Write a Report as a .docx to GB/T 9704: page, fonts, headings, exact spacing, page numbers, captions."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from kejiju_desktop.report import ooxml, wording
from kejiju_desktop.report.document import ChartSpec, Para, Report, SectionBody, TableSpec
from kejiju_desktop.report.fonts import FontScheme

SIZE_TITLE, SIZE_SUBTITLE, SIZE_BODY, SIZE_SMALL, SIZE_TABLE = 22, 18, 16, 14, 12  # 二号 小二 三号 四号 小四
LINE = 28  # exact line spacing of the body, in points
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TEXT_WIDTH_MM = 210 - 28 - 26
PICTURE_WIDTH_MM = 150
ANNEX_MARK, ANNEX_TITLE = "附件标识", "附件标题"
BODY, TITLE, CAPTION, CELL, HEADER_CELL, SIGNATURE = (
    "Normal",
    "报告标题",
    "图表题注",
    "表格文字",
    "表头文字",
    "落款",
)
HEADINGS = ("Heading 1", "Heading 2", "Heading 3")
RUN_IN = re.compile(r"^(（[一二三四五六七八九十]+）|[0-9]+[.．、])")
TOP_HEADING = re.compile(r"^[一二三四五六七八九十]+、")
RUN_IN_MAX = 40  # a run-in heading ends at its first 。 within this many characters

ChartRenderer = Callable[[ChartSpec], bytes]


def _charts_png(spec: ChartSpec) -> bytes:
    from kejiju_desktop.report.charts import render_png

    return render_png(spec)


def iter_document(report: Report, scheme: FontScheme, render: ChartRenderer = _charts_png) -> Iterator:
    """Build the document section by section, yielding (done, total); the last item is the Document."""
    total = len(report.sections) + 1
    doc = Document()
    _setup(doc, scheme)
    _title(doc, report)
    yield 1, total + 1
    numbers = {"heading": 0, "figure": 0, "annexes": []}
    for i, section in enumerate(report.sections, start=2):
        _section(doc, section, scheme, numbers, render)
        yield i, total + 1
    annexes = numbers["annexes"]
    _annex_note(doc, annexes)
    _signature(doc, report)
    for n, table in enumerate(annexes, start=1):
        _annex(doc, n if len(annexes) > 1 else None, table)
    yield doc


# --- page and styles ---------------------------------------------------------------------------------


def _setup(doc, scheme: FontScheme) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side, mm in MARGINS_MM.items():
        setattr(section, f"{side}_margin", Mm(mm))
    section.header_distance, section.footer_distance = Mm(15), Mm(21)
    ooxml.fix_doc_defaults(doc.styles.element, scheme.body)
    _paragraph_style(doc.styles[BODY], scheme.body, SIZE_BODY, first_line=2)
    doc.styles[BODY].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fonts = (scheme.heading1, scheme.heading2, scheme.heading3)
    for name, font in zip(HEADINGS, fonts, strict=True):
        _paragraph_style(doc.styles[name], font, SIZE_BODY, first_line=2)
        doc.styles[name].paragraph_format.keep_with_next = True
    _add_style(doc, TITLE, scheme.title, SIZE_TITLE, bold=scheme.title_bold, line=36)
    _add_style(doc, CAPTION, scheme.body, SIZE_SMALL)
    _add_style(
        doc, CELL, scheme.body, SIZE_TABLE, line=None
    ).paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _add_style(doc, HEADER_CELL, scheme.heading1, SIZE_TABLE, line=None)
    _add_style(doc, SIGNATURE, scheme.body, SIZE_BODY)
    _add_style(
        doc, ANNEX_MARK, scheme.heading1, SIZE_BODY
    ).paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _add_style(doc, ANNEX_TITLE, scheme.title, SIZE_SUBTITLE, bold=scheme.title_bold, line=30)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_numbers(doc, scheme)


def _paragraph_style(style, font: str, size: float, first_line: int = 0, line: float | None = LINE) -> None:
    rpr = style.element.get_or_add_rPr()
    ooxml.clear_colour_and_bold(rpr)
    ooxml.set_fonts(rpr, font)
    ooxml.set_size(rpr, size)
    ppr = style.element.get_or_add_pPr()
    ooxml.remove_borders(ppr)
    _line_spacing(style.paragraph_format, line)
    ooxml.indent_chars(ppr, first_line=first_line, size_pt=size)


def _line_spacing(paragraph_format, line: float | None) -> None:
    """No space before or after; `line` points exactly, or automatic single spacing when None."""
    paragraph_format.space_before = paragraph_format.space_after = Pt(0)
    if line is None:  # a picture must not sit in an exact-height line
        paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        paragraph_format.line_spacing = Pt(line)  # a length means lineRule="exact"


def _add_style(doc, name: str, font: str, size: float, bold: bool = False, line: float | None = LINE):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles[BODY]
    _paragraph_style(style, font, size, line=line)
    style.font.bold = bold
    style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return style


def _page_numbers(doc, scheme: FontScheme) -> None:
    """ "— N —" in 宋体 四号: odd pages on the right, even pages on the left, one character in."""
    section = doc.sections[0]
    for footer, align, side in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        _line_spacing(paragraph.paragraph_format, None)
        ooxml.indent_chars(paragraph._p.get_or_add_pPr(), **{side: 1}, size_pt=SIZE_SMALL)
        paragraph.add_run("— ")
        ooxml.add_page_field(paragraph)
        paragraph.add_run(" —")
        for run in paragraph.runs:
            rpr = run._r.get_or_add_rPr()
            ooxml.set_fonts(rpr, scheme.page_number)
            ooxml.set_size(rpr, SIZE_SMALL)


# --- content -------------------------------------------------------------------------------------------


def _title(doc, report: Report) -> None:
    _add(doc, report.title, TITLE)
    _add(doc, "", BODY)


def _section(doc, section: SectionBody, scheme: FontScheme, numbers: dict, render: ChartRenderer) -> None:
    if section.heading:
        numbers["heading"] += 1
        _add(doc, f"{wording.chinese_ordinal(numbers['heading'])}、{section.heading}", HEADINGS[0])
    lead_number = 0
    after = len(section.paragraphs) if section.visuals_after is None else section.visuals_after
    for index, para in enumerate(section.paragraphs):
        if index == after:
            _visuals(doc, section, numbers, render)
        if para.lead:
            lead_number += 1
            _run_in(doc, f"（{wording.chinese_ordinal(lead_number)}）{para.lead}", para.text, scheme.heading2)
        else:
            _paragraph(doc, para, scheme)
    if after >= len(section.paragraphs):
        _visuals(doc, section, numbers, render)


def _visuals(doc, section: SectionBody, numbers: dict, render: ChartRenderer) -> None:
    if section.chart is not None:
        numbers["figure"] += 1
        _figure(doc, render(section.chart), f"图{numbers['figure']}　{section.chart.title}")
    if section.table is not None:  # tables go to the end as 附件, as official documents do
        numbers["annexes"].append(section.table)


def _add(doc, text: str = "", style: str = BODY):
    """doc.add_paragraph with the style set by id (python-docx's lookup by name is slow per call)."""
    paragraph = doc.add_paragraph(ooxml.clean(text))
    if style != BODY:
        paragraph._p.style = _style_id(doc, style)
    return paragraph


def _style_id(doc, name: str) -> str:
    cache = doc.__dict__.setdefault("_kejiju_style_ids", {})
    if name not in cache:
        cache[name] = doc.styles[name].style_id
    return cache[name]


def _run_in(doc, lead: str, text: str, font: str) -> None:
    paragraph = _add(doc)
    run = paragraph.add_run(ooxml.clean(lead))
    ooxml.set_fonts(run._r.get_or_add_rPr(), font)
    paragraph.add_run(ooxml.clean(text))


def _paragraph(doc, para: Para, scheme: FontScheme) -> None:
    """A body paragraph; the clerk's lines that start like 一、 / （一） / 1. get heading fonts."""
    text = para.text
    if not para.generated and TOP_HEADING.match(text) and len(text) <= RUN_IN_MAX:
        _add(doc, text, HEADINGS[0])
        return
    match = None if para.generated else RUN_IN.match(text)
    if match is None:
        _add(doc, text, BODY)
        return
    font = scheme.heading2 if text.startswith("（") else scheme.heading3
    stop = text.find("。")
    if 0 < stop < RUN_IN_MAX:
        _run_in(doc, text[: stop + 1], text[stop + 1 :], font)
    elif len(text) <= RUN_IN_MAX:
        _add(doc, text, HEADINGS[1] if text.startswith("（") else HEADINGS[2])
    else:
        _add(doc, text, BODY)


def _figure(doc, png: bytes, caption: str) -> None:
    paragraph = _add(doc, "", CAPTION)
    _line_spacing(paragraph.paragraph_format, None)
    paragraph.paragraph_format.keep_with_next = True
    paragraph.add_run().add_picture(io.BytesIO(png), width=Mm(PICTURE_WIDTH_MM))
    _add(doc, caption, CAPTION)


def _annex_note(doc, tables: list[TableSpec]) -> None:
    """附件说明 below the text: "附件：title" for one, "附件：1．title" and the next aligned under it for more."""
    if not tables:
        return
    _add(doc, "", BODY)
    for n, table in enumerate(tables, start=1):
        prefix = "附件：" if n == 1 else "　　　"
        number = f"{n}．" if len(tables) > 1 else ""  # GB/T 9704 7.3.4: a lone attachment has no number
        _add(doc, f"{prefix}{number}{table.title}", BODY)


def _annex(doc, number: int | None, spec: TableSpec) -> None:
    """An attachment on a new page: 附件N (附件 alone when it is the only one) in 黑体, its title, the table."""
    mark = _add(doc, f"附件{number or ''}", ANNEX_MARK)
    mark.paragraph_format.page_break_before = True
    _add(doc, "", BODY)
    title = _add(doc, spec.title, ANNEX_TITLE)
    title.paragraph_format.keep_with_next = True
    _add(doc, "", CAPTION).paragraph_format.keep_with_next = True
    _table(doc, spec)


def _table(doc, spec: TableSpec) -> None:
    """The table as one piece of XML (python-docx's cell API costs ~2 ms a row on big tables)."""
    ids = {name: _style_id(doc, name) for name in (CELL, HEADER_CELL)}
    xml = ooxml.table_xml(spec, _widths(spec), doc.styles["Table Grid"].style_id, ids[CELL], ids[HEADER_CELL])
    doc.element.body.find(qn("w:sectPr")).addprevious(parse_xml(xml))


def _widths(spec: TableSpec) -> list[int]:
    """Column widths in twips, shared out over the text width."""
    shares = spec.widths or [1] * len(spec.headers)
    total = sum(shares)
    return [int(TEXT_WIDTH_MM * share / total / 25.4 * 1440) for share in shares]


def _signature(doc, report: Report) -> None:
    """Issuing unit and date at the end, right-aligned four characters in (GB/T 9704 7.3.5)."""
    _add(doc, "", BODY)
    for text in (report.issuer, wording.date_text(report.issued_on)):
        paragraph = _add(doc, text, SIGNATURE)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        ooxml.indent_chars(paragraph._p.get_or_add_pPr(), right=4, size_pt=SIZE_BODY)
