"""import command: exit codes 0/1/2/3, the Chinese summary, --dry-run leaving the file byte for byte."""

import hashlib

from db.database import open_data_file
from kejiju_desktop import cli, fields
from kejiju_desktop.services import records
from tests.fixtures.xlsx.sheets import PATENT_HEADERS, patent_row, write_sheet


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def patent_count(db_file) -> int:
    opened = open_data_file(db_file, read_only=True)
    with opened.sessions() as s:
        n = records.count(s, fields.PATENTS, records.Query())
    opened.close()
    return n


def run(db_file, sheet, *extra) -> int:
    return cli.main(["import", "--db", str(db_file), "--table", "patents", str(sheet), *extra])


def test_import_of_good_rows_exits_0_with_a_summary(db_file, tmp_path, capsys):
    sheet = write_sheet(tmp_path / "p.xlsx", [PATENT_HEADERS, patent_row(1), patent_row(2)])
    assert run(db_file, sheet) == 0
    out = capsys.readouterr().out
    assert "共读取 2 行：新增 2 条" in out and "导入完成" in out
    assert run(db_file, sheet) == 0
    assert "跳过重复 2 条" in capsys.readouterr().out


def test_bad_rows_exit_1_list_each_row_and_write_nothing(db_file, tmp_path, capsys):
    rows = [PATENT_HEADERS, patent_row(1), patent_row(2, 申请日="2012-02-30")]
    assert run(db_file, write_sheet(tmp_path / "p.xlsx", rows)) == 1
    out = capsys.readouterr().out
    assert "第 3 行【申请日】" in out and "未写入任何数据" in out
    assert patent_count(db_file) == 0


def test_good_rows_only_imports_the_rest_and_still_exits_1(db_file, tmp_path, capsys):
    rows = [PATENT_HEADERS, patent_row(1), patent_row(2, 申请日="2012-02-30")]
    assert run(db_file, write_sheet(tmp_path / "p.xlsx", rows), "--good-rows-only") == 1
    assert "新增 1 条" in capsys.readouterr().out
    assert run(db_file, write_sheet(tmp_path / "q.xlsx", [PATENT_HEADERS, patent_row(1)])) == 0
    assert "跳过重复 1 条" in capsys.readouterr().out


def test_dry_run_leaves_the_file_byte_for_byte(db_file, tmp_path, capsys):
    before = digest(db_file)
    sheet = write_sheet(tmp_path / "p.xlsx", [PATENT_HEADERS, patent_row(1)])
    assert run(db_file, sheet, "--dry-run") == 0
    assert "试运行" in capsys.readouterr().out
    assert digest(db_file) == before
    assert not (db_file.parent / (db_file.name + ".lock")).exists()


def test_an_unusable_sheet_is_refused_with_exit_1(db_file, tmp_path, capsys):
    picture = tmp_path / "pic.xlsx"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    before = digest(db_file)
    assert run(db_file, picture) == 1  # 2 is for a data file that cannot be used (DESIGN §7)
    assert "不是 Excel 表格" in capsys.readouterr().err
    assert digest(db_file) == before


def test_wrong_usage_exits_3(db_file, tmp_path, capsys):
    sheet = write_sheet(tmp_path / "p.xlsx", [PATENT_HEADERS])
    assert cli.main(["import", "--db", str(db_file), str(sheet)]) == 3
    assert run(db_file, sheet, "--on-duplicate", "merge") == 3
    assert "错误" in capsys.readouterr().err


def test_update_and_accept_warnings_flags_reach_the_importer(db_file, tmp_path, capsys):
    run(db_file, write_sheet(tmp_path / "a.xlsx", [PATENT_HEADERS, patent_row(1)]))
    capsys.readouterr()
    changed = write_sheet(tmp_path / "b.xlsx", [PATENT_HEADERS, patent_row(1, 法律状态="已授权")])
    assert run(db_file, changed, "--on-duplicate", "update", "--accept-warnings") == 0
    assert "更新 1 条" in capsys.readouterr().out


def test_unknown_units_are_errors_unless_create_units(db_file, tmp_path, capsys):
    rows = [(*PATENT_HEADERS, "关联单位"), (*patent_row(1), "新公司")]
    sheet = write_sheet(tmp_path / "u.xlsx", rows)
    assert run(db_file, sheet) == 1
    assert "不在单位列表中" in capsys.readouterr().out
    assert run(db_file, sheet, "--create-units") == 0
    assert "新增单位 1 个" in capsys.readouterr().out


def test_sheet_option_picks_the_sheet(db_file, tmp_path, capsys):
    sheet = write_sheet(
        tmp_path / "s.xlsx", [("说明",)], extra_sheets={"专利": [PATENT_HEADERS, patent_row(1)]}
    )
    assert run(db_file, sheet) == 1
    assert "找不到表头" in capsys.readouterr().err
    assert run(db_file, sheet, "--sheet", "专利") == 0
    assert patent_count(db_file) == 1


def test_dry_run_with_a_bad_row_says_the_import_would_be_refused(db_file, tmp_path, capsys):
    rows = [PATENT_HEADERS, patent_row(1), patent_row(2, 申请日="2012-02-30")]
    assert run(db_file, write_sheet(tmp_path / "p.xlsx", rows), "--dry-run") == 1
    assert "将全部不导入" in capsys.readouterr().out


def test_a_refused_value_is_quoted_without_its_control_characters(db_file, tmp_path, capsys):
    # Excel's _x001B_ escape is an ESC once read: quoted as it was, "ESC [2J" cleared the clerk's terminal.
    sheet = write_sheet(tmp_path / "p.xlsx", [PATENT_HEADERS, patent_row(1, 申请日="_x001B_[2J2012-01-01")])
    assert cli.main(["import", "--db", str(db_file), "--table", "patents", str(sheet)]) == cli.EXIT_PROBLEMS
    out = capsys.readouterr().out
    assert "[2J2012-01-01" in out and "\x1b" not in out


def test_an_ignored_column_is_named_without_its_control_characters(db_file, tmp_path, capsys):
    sheet = write_sheet(tmp_path / "p.xlsx", [[*PATENT_HEADERS, "_x001B_[2J坏列"], [*patent_row(1), "a"]])
    assert cli.main(["import", "--db", str(db_file), "--table", "patents", str(sheet), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "[2J坏列" in out and "\x1b" not in out


def test_a_folder_given_as_the_sheet_is_called_a_folder(db_file, tmp_path, capsys):
    folder = tmp_path / "台账.xlsx"
    folder.mkdir()
    before = digest(db_file)
    assert run(db_file, folder) == 1
    err = capsys.readouterr().err
    assert "文件夹" in err and "找不到" not in err
    assert digest(db_file) == before


def test_a_refused_import_leaves_the_data_file_byte_for_byte(db_file, tmp_path, capsys):
    # A 30 February refuses the whole sheet: nothing is written, not even the in-use mark of an open.
    before = digest(db_file)
    rows = [PATENT_HEADERS, patent_row(1), patent_row(2, 申请日="2012-02-30")]
    assert run(db_file, write_sheet(tmp_path / "p.xlsx", rows)) == 1
    assert digest(db_file) == before


def test_an_import_of_nothing_new_leaves_the_data_file_byte_for_byte(db_file, tmp_path, capsys):
    sheet = write_sheet(tmp_path / "p.xlsx", [PATENT_HEADERS, patent_row(1)])
    assert run(db_file, sheet) == 0
    before = digest(db_file)
    assert run(db_file, sheet) == 0  # every row a duplicate, skipped
    assert "跳过重复 1 条" in capsys.readouterr().out
    assert digest(db_file) == before
