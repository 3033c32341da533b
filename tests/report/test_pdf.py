"""The exported document opened by an independent program: LibreOffice converts it, pdftotext reads it."""

import re
import shutil
import subprocess

import pytest

from db.database import open_data_file
from kejiju_desktop.report import export

pytestmark = pytest.mark.slow


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) or poppler's pdftotext is not installed")  # fmt: skip
def test_libreoffice_converts_the_report_and_the_pdf_holds_the_key_figures(demo_file, tmp_path):
    out = tmp_path / "report.docx"
    data = open_data_file(demo_file, read_only=True)
    with data.sessions() as s:
        export.export(s, 2012, out)
    data.close()
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
         str(tmp_path), str(out)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "report.pdf"), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "—1—" in text and "—2—" in text
    flat = re.sub(r"—\d+—", "", "".join(text.split()))  # a page break may fall inside a sentence
    for figure in ("专利申请量380件", "发明专利81件", "超额完成专利申请350件", "获批立项33项", "2865.5万元",
                   "获得各级科技奖励34项", "图1", "附件1"):  # fmt: skip
        assert figure in flat, figure
