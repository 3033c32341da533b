"""Low-level OOXML that python-docx does not offer: East Asian fonts, character indents, fields, tables."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

# Characters XML 1.0 cannot hold (control characters pasted from other programs).
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
TWIPS_PER_PT = 20


def clean(text: str) -> str:
    """Text without the control characters that would make the document unreadable."""
    return _INVALID_XML.sub("", text or "")


def set_fonts(rpr, font: str) -> None:
    """Name `font` for every script (w:eastAsia included) and drop theme fonts that would override it."""
    fonts = rpr.get_or_add_rFonts()
    for attr in THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)
    fonts.set(qn("w:hint"), "eastAsia")


def set_size(rpr, points: float) -> None:
    """Font size for Latin and complex scripts alike (w:sz, then w:szCs right after it)."""
    half_points = str(int(points * 2))
    size = rpr.get_or_add_sz()
    size.set(qn("w:val"), half_points)
    complex_size = rpr.find(qn("w:szCs"))
    if complex_size is None:
        complex_size = OxmlElement("w:szCs")
        size.addnext(complex_size)
    complex_size.set(qn("w:val"), half_points)


def clear_colour_and_bold(rpr) -> None:
    """Remove the template's heading colour and bold, which official documents do not use."""
    for tag in ("w:color", "w:b", "w:bCs", "w:i", "w:iCs"):
        for found in rpr.findall(qn(tag)):
            rpr.remove(found)


def _cleared(element):
    for attr in list(element.attrib):
        element.attrib.pop(attr)
    return element


def indent_chars(ppr, first_line: int = 0, left: int = 0, right: int = 0, size_pt: float = 16) -> None:
    """Indents counted in characters (w:*Chars, what Word shows) with the twips equivalent."""
    ind = _cleared(ppr.get_or_add_ind())
    char = int(size_pt * TWIPS_PER_PT)
    for name, chars in (("firstLine", first_line), ("left", left), ("right", right)):
        ind.set(qn(f"w:{name}Chars"), str(chars * 100))
        ind.set(qn(f"w:{name}"), str(chars * char))


def add_page_field(paragraph) -> None:
    """A PAGE field (begin / instruction / separate / result / end) appended to the paragraph."""
    parts = [("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)]
    for kind, text in parts:
        run = paragraph.add_run()
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text


def fix_doc_defaults(styles_element, font: str) -> None:
    """Replace the template's theme fonts in w:docDefaults with `font`."""
    defaults = styles_element.find(qn("w:docDefaults"))
    if defaults is None:
        return
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if rpr is not None:
        set_fonts(rpr, font)
        lang = rpr.find(qn("w:lang"))
        if lang is not None:
            lang.set(qn("w:eastAsia"), "zh-CN")


def remove_borders(ppr) -> None:
    for found in ppr.findall(qn("w:pBdr")):
        ppr.remove(found)


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _cell(text: str, width: int, style: str, align: str) -> str:
    jc = f'<w:jc w:val="{align}"/>' if align else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{jc}</w:pPr>'
        f'<w:r><w:t xml:space="preserve">{escape(clean(text))}</w:t></w:r></w:p></w:tc>'
    )


def table_xml(spec, widths: list[int], table_style: str, cell_style: str, header_style: str) -> str:
    """A w:tbl: fixed column widths, centred, header row repeated on every page and never split."""
    aligns = [_column_alignment(spec.rows, i) for i in range(len(spec.headers))]
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    head = "".join(_cell(t, w, header_style, "center") for t, w in zip(spec.headers, widths, strict=True))
    rows = [f"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{head}</w:tr>"]
    for values in spec.rows:
        cells = "".join(_cell(t, w, cell_style, a) for t, w, a in zip(values, widths, aligns, strict=True))
        rows.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{cells}</w:tr>")
    return (
        f'<w:tbl xmlns:w="{W_NS}"><w:tblPr><w:tblStyle w:val="{table_style}"/>'
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
        f'<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
        f'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>'
    )


def _column_alignment(rows: list[list[str]], index: int) -> str:
    """Amounts to the right, short codes centred, text left (the cell style's own)."""
    sample = [row[index] for row in rows[:50] if row[index]]
    if not sample:
        return ""
    numeric = [x for x in sample if _is_number(x)]
    if len(numeric) >= len(sample) - 1 and any("." in x or len(x) > 3 for x in numeric):
        return "right"
    if max(len(x) for x in sample) <= 3 or len(numeric) >= len(sample) - 1:
        return "center"
    return ""


def _is_number(text: str) -> bool:
    """ "12", "2865.5", "108.6%", "-5.0%": a figure, set like one."""
    return text.removeprefix("-").removesuffix("%").replace(".", "", 1).isdigit()
