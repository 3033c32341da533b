"""Ledgers written by LibreOffice from our own export (.xls, .ods, GBK and UTF-8-BOM CSV, UTF-16 text),
imported through the `import` command and compared field by field with the records they came from."""

import shutil

import pytest
from openpyxl import load_workbook

from kejiju_desktop import cli
from tests.fixtures.files import digest
from tests.fixtures.ledgers import convert, exported, sheet_rows

pytestmark = pytest.mark.slow
CASES = [
    ("patents.xls", "patents", []),
    ("patents.ods", "patents", []),
    ("projects.xls", "projects", []),
    ("projects.ods", "projects", []),
    ("patents-gbk.csv", "patents", []),
    ("projects-gbk.csv", "projects", []),
    ("patents-utf16.txt", "patents", []),
    ("projects-bom.csv", "projects", []),
    ("titled.xlsx", "patents", []),
    ("titled.xls", "patents", []),
    ("titled.ods", "patents", []),
    ("second.xlsx", "patents", ["--sheet", "专利台账"]),
    ("second.xls", "patents", ["--sheet", "专利台账"]),
    ("second.ods", "patents", ["--sheet", "专利台账"]),
]


@pytest.mark.parametrize(("name", "table", "extra"), CASES, ids=[c[0] for c in CASES])
def test_a_ledger_written_by_libreoffice_imports_every_field_as_exported(
    ledgers, name, table, extra, db_file, tmp_path, capsys
):
    source = ledgers[f"{table}.xlsx"]
    command = ["import", "--db", str(db_file), "--table", table, str(ledgers[name]), "--create-units", *extra]
    assert cli.main(command) == 0, capsys.readouterr()
    out = capsys.readouterr().out
    assert "导入完成" in out
    back = sheet_rows(exported(db_file, table, tmp_path / "back.xlsx"))
    expected = sheet_rows(source)
    assert back[0] == expected[0]
    assert sorted(back[1:], key=repr) == sorted(expected[1:], key=repr)


@pytest.mark.parametrize("name", ["patents.xls", "patents.ods"])
def test_the_summary_says_formulas_were_not_checked_in_xls_and_ods(ledgers, name, db_file, capsys):
    command = [
        "import",
        "--db",
        str(db_file),
        "--table",
        "patents",
        str(ledgers[name]),
        "--create-units",
        "--dry-run",
    ]
    assert cli.main(command) == 0
    assert f".{name.split('.')[1]} 文件无法检查公式" in capsys.readouterr().out


def test_a_merged_header_in_an_ods_is_refused_with_its_range(ledgers, tmp_path, db_file, capsys):
    source = ledgers["patents.xlsx"]
    workbook = load_workbook(source)
    workbook.active.merge_cells("B1:C1")
    workbook.save(tmp_path / "merged.xlsx")
    program = shutil.which("soffice")
    out = convert(program, (tmp_path / "lo").as_uri(), [tmp_path / "merged.xlsx"], "ods", tmp_path / "ods")
    before = digest(db_file)
    assert cli.main(["import", "--db", str(db_file), "--table", "patents", str(out / "merged.ods")]) == 1
    assert "表头（第 1 行）有合并单元格 B1:C1" in capsys.readouterr().err
    assert digest(db_file) == before
