"""The reader: sheets opened by content, CSV encodings and separators, hidden sheets, positions from A1,
and each file it cannot read refused with one sentence by `import`, the data file left byte-identical."""

import zipfile

import pytest
from openpyxl import Workbook

from kejiju_desktop import cli, fields
from kejiju_desktop.services.exchange import importer, sheet
from tests.fixtures.files import digest
from tests.fixtures.xlsx.sheets import PATENT_HEADERS, cfb_file, patent_row, write_sheet


@pytest.fixture
def data(engine_store):
    """Every test here that takes `data` or `session` runs on a data file and on a PostgreSQL server."""
    return engine_store


ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"


def at_c3(path, rows):
    """An .xlsx whose rows start at C3: two empty rows and two empty columns before them."""
    workbook = Workbook()
    for number, row in enumerate(rows, 3):
        for column, value in enumerate(row, 3):
            workbook.active.cell(row=number, column=column, value=value)
    workbook.save(path)
    return path


def test_row_and_column_numbers_count_from_a1_when_the_header_is_at_c3(data, tmp_path):
    rows = [PATENT_HEADERS, patent_row(1), patent_row(2, 申请日="2012-02-30")]
    with data.sessions() as s:
        result = importer.import_file(
            s, fields.PATENTS, at_c3(tmp_path / "c3.xlsx", rows), importer.ImportOptions(dry_run=True)
        )
    assert result.plan.header_row == 3 and result.imported == 1
    assert [(i.row, i.column) for i in result.issues] == [(5, "申请日")]
    assert result.issues[0].position == 2 + PATENT_HEADERS.index("申请日")


def test_a_repeated_header_at_c3_names_columns_counted_from_a(data, tmp_path):
    path = at_c3(tmp_path / "c3.xlsx", [(*PATENT_HEADERS, "申请日期"), (*patent_row(1), None)])
    with pytest.raises(importer.reader.UnusableFile) as caught:
        importer.check_file(fields.PATENTS, path)
    assert "第 8 列和第 11 列" in caught.value.message


def hidden_first(path):
    """A workbook whose first sheet is hidden (an old list) before the visible 专利 sheet."""
    workbook = Workbook()
    workbook.active.title = "旧表"
    for row in (PATENT_HEADERS, patent_row(1), patent_row(2)):
        workbook.active.append(row)
    workbook.active.sheet_state = "hidden"
    visible = workbook.create_sheet("专利")
    for row in (PATENT_HEADERS, patent_row(3)):
        visible.append(row)
    workbook.save(path)
    return path


def test_the_first_visible_sheet_is_read_and_a_hidden_one_only_when_named(data, tmp_path):
    path = hidden_first(tmp_path / "h.xlsx")
    with data.sessions() as s:
        default = importer.import_file(s, fields.PATENTS, path, importer.ImportOptions(dry_run=True))
        named = importer.import_file(
            s, fields.PATENTS, path, importer.ImportOptions(sheet="旧表", dry_run=True)
        )
    assert (default.plan.sheet, default.imported) == ("专利", 1)
    assert (named.plan.sheet, named.imported) == ("旧表", 2)
    assert sheet.list_sheets(path) == ["专利"]


def csv_text(rows, separator=",") -> str:
    return "\r\n".join(separator.join("" if c is None else str(c) for c in row) for row in rows) + "\r\n"


@pytest.mark.parametrize(("separator", "encoding"), [(";", "utf-8"), ("\t", "gb18030"), (",", "utf-8-sig")])
def test_a_csv_is_read_with_its_separator_and_encoding(data, tmp_path, separator, encoding):
    rows = [("2012年专利申请台账",), (), PATENT_HEADERS, patent_row(1), patent_row(2, 申请人="甲；乙,丙")]
    path = tmp_path / "p.csv"
    path.write_text(csv_text(rows, separator).replace("甲；乙,丙", '"甲；乙,丙"'), encoding=encoding)
    with data.sessions() as s:
        result = importer.import_file(
            s, fields.PATENTS, path, importer.ImportOptions(dry_run=True, create_units=True)
        )
    assert (result.plan.header_row, result.imported, result.issues) == (3, 2, [])
    assert result.plan.sheet_names == ["p"]


def test_utf8_chinese_without_a_bom_is_not_read_as_gb18030(data, tmp_path):
    path = tmp_path / "p.txt"
    path.write_text(csv_text([PATENT_HEADERS, patent_row(1, 专利名称="一种节能灶")]), encoding="utf-8")
    with data.sessions() as s:
        result = importer.import_file(s, fields.PATENTS, path, importer.ImportOptions(create_units=True))
        assert result.imported == 1
        assert [
            r[2] for r in importer.records.list_page(s, fields.PATENTS, importer.records.Query(), 0, 5)
        ] == ["一种节能灶"]


def html_as_xls(path):
    path.write_text("<html><body><table><tr><td>申请号</td></tr></table></body></html>", encoding="utf-8")
    return path


def xml_as_xls(path):
    path.write_text('<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>')
    return path


def text_as_xls(path):
    path.write_text(csv_text([PATENT_HEADERS, patent_row(1)], "\t"), encoding="utf-8")
    return path


def ods_bomb(path):
    """An .ods whose content.xml unpacks from a few kB to 21 MB."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODS_MIMETYPE)
        archive.writestr("content.xml", "<office:document-content>" + "科" * (7 << 20))
    return path


def undecidable_csv(path):
    path.write_bytes(
        csv_text([PATENT_HEADERS]).encode("utf-8") + b"\x80\xff\x80\r\n"
    )  # neither UTF-8 nor GB18030
    return path


def empty_sheet(path):
    return write_sheet(path, [])


BAD_FILES = [
    ("page.xls", html_as_xls, "其实是网页（HTML），不是 Excel 表格"),
    ("data.xls", xml_as_xls, "其实是XML 文本，不是 Excel 表格"),
    ("list.xls", text_as_xls, "其实是纯文本，不是 Excel 表格"),
    ("locked.xlsx", lambda p: cfb_file(p, encrypted=True), "设置了打开密码"),
    ("bomb.ods", ods_bomb, "不像正常的 Excel 表格"),
    ("ledger.csv", undecidable_csv, "既不是 UTF-8，也不是 GB18030（GBK）编码"),
    ("empty.xlsx", empty_sheet, "是空的，没有可导入的数据"),
]


@pytest.mark.parametrize(("name", "make", "says"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_file_that_cannot_be_read_gets_one_sentence_exit_1_and_an_unchanged_data_file(
    db_file, tmp_path, capsys, name, make, says
):
    """On a data file only: the spreadsheet is refused before the store is reached; the file's bytes are checked."""
    path = make(tmp_path / name)
    before = digest(db_file)
    assert cli.main(["import", "--db", str(db_file), "--table", "patents", str(path)]) == 1
    printed = capsys.readouterr()
    assert printed.err.count("\n") == 1 and says in printed.err and not printed.out
    assert digest(db_file) == before
