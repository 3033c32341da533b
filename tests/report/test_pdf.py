"""The exported document opened by an independent program: LibreOffice converts it, pdftotext reads it."""

import re

import pytest

from db.database import open_data_file
from kejiju_desktop.report import export

pytestmark = pytest.mark.slow


def test_libreoffice_converts_the_report_and_the_pdf_holds_the_key_figures(
    demo_file, tmp_path, soffice, pdftotext
):
    out = tmp_path / "report.docx"
    data = open_data_file(demo_file, read_only=True)
    with data.sessions() as s:
        export.export(s, 2012, out)
    data.close()
    text = pdftotext(soffice(out, "pdf"))
    assert "—1—" in text and "—2—" in text
    flat = re.sub(r"—\d+—", "", "".join(text.split()))  # a page break may fall inside a sentence
    for figure in ("专利申请量380件", "发明专利81件", "超额完成专利申请350件", "获批立项33项", "2865.5万元",
                   "获得各级科技奖励34项", "图1", "附件1"):  # fmt: skip
        assert figure in flat, figure
