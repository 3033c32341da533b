"""import command: its sentences name its own options; new 计划类别 listed by --dry-run, the file untouched."""

import hashlib

from kejiju_desktop import cli, validation
from tests.fixtures.xlsx.sheets import PATENT_HEADERS, patent_row, write_sheet

PROJECT_HEADER = ("项目名称", "项目级别", "申报年度", "计划类别")


def run(db_file, table, sheet, *extra) -> int:
    return cli.main(["import", "--db", str(db_file), "--table", table, str(sheet), *extra])


def test_the_summary_names_the_command_line_options_not_the_wizard_ticks(db_file, tmp_path, capsys):
    rows = [
        (*PATENT_HEADERS, "关联单位"),
        (*patent_row(1), "新公司"),
        (*patent_row(2, 申请日="2012-02-30"), None),
    ]
    assert run(db_file, "patents", write_sheet(tmp_path / "u.xlsx", rows)) == 1
    out = capsys.readouterr().out
    assert "可加 --create-units 自动新增单位" in out
    assert "或加 --good-rows-only 只导入无误的行" in out
    assert "勾选" not in out


def test_warnings_name_accept_warnings(db_file, tmp_path, capsys):
    good = validation.make_credit_code("91510124MA6CXXXX1")
    early_code = good[:17] + ("0" if good[17] != "0" else "1")  # an early pilot code: its check fails
    rows = [("单位名称", "统一社会信用代码"), ("早期试点公司", early_code)]
    assert run(db_file, "enterprises", write_sheet(tmp_path / "e.xlsx", rows)) == 1
    out = capsys.readouterr().out
    assert "可加 --accept-warnings" in out and "勾选" not in out


def test_dry_run_lists_new_plan_categories_and_leaves_the_file_byte_for_byte(db_file, tmp_path, capsys):
    before = hashlib.sha256(db_file.read_bytes()).hexdigest()
    rows = [
        PROJECT_HEADER,
        ("甲项目", "县", 2012, "县级科技特派员专项"),
        ("乙项目", "县", 2012, "乡村振兴专项"),
    ]
    assert run(db_file, "projects", write_sheet(tmp_path / "p.xlsx", rows), "--dry-run") == 0
    assert "需新增计划类别：县级科技特派员专项、乡村振兴专项（共 2 项），未添加。" in capsys.readouterr().out
    assert hashlib.sha256(db_file.read_bytes()).hexdigest() == before


def test_a_shifted_column_is_refused_in_one_sentence_and_exits_1(db_file, tmp_path, capsys):
    rows = [PROJECT_HEADER, *((f"项目{i}", "县", 2012, f"2012-03-{i + 1:02d}") for i in range(25))]
    assert run(db_file, "projects", write_sheet(tmp_path / "p.xlsx", rows)) == 1
    out = capsys.readouterr().out
    assert "列错位" in out and "第 " not in out
    assert run(db_file, "projects", write_sheet(tmp_path / "q.xlsx", rows[:3])) == 0
    assert "新增计划类别：2012-03-01、2012-03-02（共 2 项）。" in capsys.readouterr().out


def test_unknown_columns_are_listed_by_name_and_ignored(db_file, tmp_path, capsys):
    rows = [(*PATENT_HEADERS, "序号", "经办人"), (*patent_row(1), 1, "张三")]
    assert run(db_file, "patents", write_sheet(tmp_path / "p.xlsx", rows)) == 0
    out = capsys.readouterr().out
    assert "以下列未识别，已忽略：序号、经办人。" in out and "新增 1 条" in out
