"""Files that cannot be imported: each gets one Chinese sentence and the data file is left as it was."""

import hashlib
import zipfile

import pytest

from kejiju_desktop import fields
from kejiju_desktop.services.exchange import importer
from kejiju_desktop.services.exchange.reader import UnusableFile
from tests.fixtures.xlsx.sheets import PATENT_HEADERS, cfb_file, patent_row, write_sheet

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused(data, path, **options) -> str:
    """The refusal's sentence, the data file's bytes unchanged. On a data file only: the refusal comes from
    reading the spreadsheet before the store is reached, and what is checked is the file's own bytes."""
    data.engine.dispose()
    before = digest(data.path)
    with data.sessions() as s, pytest.raises(UnusableFile) as caught:
        importer.import_file(s, fields.PATENTS, path, importer.ImportOptions(**options))
    data.engine.dispose()
    assert digest(data.path) == before
    return caught.value.message


def test_a_text_file_renamed_is_not_an_excel_file(data, tmp_path):
    path = tmp_path / "list.xlsx"
    path.write_text("申请号,专利名称\n", encoding="utf-8")
    assert "不是 Excel 表格" in refused(data, path)


def test_a_picture_renamed_is_not_an_excel_file(data, tmp_path):
    path = tmp_path / "photo.xlsx"
    path.write_bytes(PNG)
    assert "不是 Excel 表格" in refused(data, path)


def test_a_word_document_renamed_is_not_an_excel_file(data, tmp_path):
    path = tmp_path / "doc.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    assert "不是 Excel 表格" in refused(data, path)


def test_a_password_protected_file_says_so(data, tmp_path):
    assert "密码" in refused(data, cfb_file(tmp_path / "locked.xlsx", encrypted=True))


def test_an_xls_without_a_worksheet_is_refused_in_a_sentence(data, tmp_path):
    # .xls is read now (issue 12); an OLE file that holds no workbook stream is not one.
    assert "没有可读取的工作表" in refused(data, cfb_file(tmp_path / "old.xls", encrypted=False))


def test_an_empty_file(data, tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    assert "空的" in refused(data, path)


def test_a_missing_file(data, tmp_path):
    assert "找不到" in refused(data, tmp_path / "nowhere.xlsx")


def test_a_damaged_zip(data, tmp_path):
    good = write_sheet(tmp_path / "good.xlsx", [PATENT_HEADERS, patent_row(1)])
    path = tmp_path / "cut.xlsx"
    path.write_bytes(good.read_bytes()[:300])
    assert "损坏" in refused(data, path) or "不是 Excel" in refused(data, path)


def test_an_empty_sheet(data, tmp_path):
    assert "是空的" in refused(data, write_sheet(tmp_path / "e.xlsx", []))


def test_a_sheet_without_a_header_row(data, tmp_path):
    rows = [("甲", "乙", "丙"), (1, 2, 3)]
    message = refused(data, write_sheet(tmp_path / "n.xlsx", rows))
    assert "找不到表头" in message and "申请号" in message


def test_merged_header_cells(data, tmp_path):
    rows = [("申请号", "专利名称", None, "申请人", "申请日"), ("", "中文", "英文", "", "")]
    message = refused(data, write_sheet(tmp_path / "m.xlsx", rows, merges=["B1:C1"]))
    assert "合并单元格" in message and "B1:C1" in message


def test_a_missing_required_column(data, tmp_path):
    rows = [("申请号", "专利名称"), patent_row(1)[:2]]
    message = refused(data, write_sheet(tmp_path / "r.xlsx", rows))
    assert "缺少必填列" in message and "申请人" in message


def test_a_sheet_name_that_does_not_exist(data, tmp_path):
    path = write_sheet(tmp_path / "s.xlsx", [PATENT_HEADERS], title="专利")
    message = refused(data, path, sheet="奖励")
    assert "奖励" in message and "专利" in message


def test_the_named_sheet_is_read(data, tmp_path):
    path = write_sheet(
        tmp_path / "s.xlsx", [("说明",)], extra_sheets={"专利": [PATENT_HEADERS, patent_row(1)]}
    )
    with data.sessions() as s:
        result = importer.import_file(
            s, fields.PATENTS, path, importer.ImportOptions(sheet="专利", dry_run=True)
        )
    assert result.imported == 1 and result.plan.sheet_names == ["Sheet1", "专利"]


def test_a_repeated_header(data, tmp_path):
    rows = [(*PATENT_HEADERS, "申请日期"), (*patent_row(1), None)]
    assert "不止一次" in refused(data, write_sheet(tmp_path / "d.xlsx", rows))
