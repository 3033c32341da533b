"""export command: writes the sheet, refuses to overwrite without --force, template, exit codes."""

import hashlib

from openpyxl import load_workbook

from kejiju_desktop import cli


def test_export_writes_every_patent(demo_file, tmp_path, capsys):
    out = tmp_path / "p.xlsx"
    assert cli.main(["export", "--db", str(demo_file), "--table", "patents", "-o", str(out)]) == 0
    assert "已导出 1060 条专利记录" in capsys.readouterr().out
    wb = load_workbook(out, read_only=True)
    assert sum(1 for _ in wb.active.iter_rows(min_row=2)) == 1060
    wb.close()
    assert [p.name for p in tmp_path.iterdir()] == ["p.xlsx"]  # no temporary file left


def test_export_refuses_to_overwrite_without_force(demo_file, tmp_path, capsys):
    out = tmp_path / "p.xlsx"
    out.write_bytes(b"keep me")
    assert cli.main(["export", "--db", str(demo_file), "--table", "awards", "-o", str(out)]) == 1
    assert "已存在" in capsys.readouterr().err and out.read_bytes() == b"keep me"
    assert cli.main(["export", "--db", str(demo_file), "--table", "awards", "-o", str(out), "--force"]) == 0
    assert out.read_bytes()[:2] == b"PK"


def test_export_template_has_headers_only(db_file, tmp_path, capsys):
    out = tmp_path / "t.xlsx"
    assert (
        cli.main(["export", "--db", str(db_file), "--table", "qualifications", "-o", str(out), "--template"])
        == 0
    )
    assert "空白模板" in capsys.readouterr().out
    ws = load_workbook(out).active
    assert ws.max_row == 1 and ws["A1"].value == "单位名称" and ws.data_validations.dataValidation


def test_export_leaves_the_data_file_untouched(demo_file, tmp_path):
    before = hashlib.sha256(demo_file.read_bytes()).hexdigest()
    cli.main(["export", "--db", str(demo_file), "--table", "events", "-o", str(tmp_path / "e.xlsx")])
    assert hashlib.sha256(demo_file.read_bytes()).hexdigest() == before


def test_export_of_an_unusable_data_file_exits_2(tmp_path, capsys):
    bad = tmp_path / "bad.kjdb"
    bad.write_bytes(b"not sqlite at all" * 10)
    assert cli.main(["export", "--db", str(bad), "--table", "events", "-o", str(tmp_path / "e.xlsx")]) == 2
    assert capsys.readouterr().err.strip()
    assert not (tmp_path / "e.xlsx").exists()


def test_export_to_an_unwritable_place_exits_1(demo_file, tmp_path, capsys):
    out = tmp_path / "no-such-folder" / "e.xlsx"
    assert cli.main(["export", "--db", str(demo_file), "--table", "events", "-o", str(out)]) == 1
    assert "无法写入" in capsys.readouterr().err


def test_export_to_a_name_that_is_not_xlsx_is_refused_and_writes_nothing(demo_file, tmp_path, capsys):
    out = tmp_path / "p.csv"  # an .xlsx workbook under a .csv name opens as garbage in Excel
    assert cli.main(["export", "--db", str(demo_file), "--table", "patents", "-o", str(out)]) == 1
    assert ".xlsx" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
