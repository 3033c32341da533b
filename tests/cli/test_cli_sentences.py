"""What the command line says in the cases a new user meets: folders, refusals, repairs, empty years, pipes."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kejiju_desktop import cli
from kejiju_desktop.services.portability import backups
from tests.fixtures.xlsx.sheets import PATENT_HEADERS, patent_row, write_sheet

ROOT = Path(__file__).resolve().parents[2]
OLD_FILE = ROOT / "tests" / "fixtures" / "data" / "v0001.kjdb"


def test_a_folder_as_db_is_called_a_folder(tmp_path, capsys):
    assert cli.main(["check", "--db", str(tmp_path)]) == cli.EXIT_UNUSABLE
    err = capsys.readouterr().err
    assert "是一个文件夹" in err and "找不到" not in err


def test_a_refused_import_does_not_say_it_added_rows(db_file, tmp_path, capsys):
    rows = [PATENT_HEADERS, patent_row(1), patent_row(2), patent_row(3, 申请日="2012-02-30")]
    assert (
        cli.main(
            [
                "import",
                "--db",
                str(db_file),
                "--table",
                "patents",
                str(write_sheet(tmp_path / "p.xlsx", rows)),
            ]
        )
        == 1
    )
    out = capsys.readouterr().out
    assert "共读取 3 行：可新增 2 条" in out and "未写入任何数据" in out
    assert "：新增" not in out


def test_import_backs_up_an_older_file_before_upgrading_it(tmp_path, capsys):
    old = tmp_path / "old.kjdb"
    shutil.copyfile(OLD_FILE, old)
    sheet = write_sheet(tmp_path / "p.xlsx", [PATENT_HEADERS, patent_row(900)])
    assert cli.main(["import", "--db", str(old), "--table", "patents", str(sheet)]) == 0
    assert [b.reason for b in backups.list_backups(old)] == ["upgrade"]


def test_check_says_how_to_repair_what_it_can(tmp_path, demo_file, capsys):
    copy = tmp_path / "demo.kjdb"
    shutil.copyfile(demo_file, copy)  # its 2011–2013 certificates have expired but still say 已认定
    assert cli.main(["check", "--db", str(copy)]) == 0
    assert "可运行 check --repair 自动修复" in capsys.readouterr().out
    assert cli.main(["check", "--db", str(copy), "--repair"]) == 0
    assert "check --repair" not in capsys.readouterr().out


def test_report_of_a_year_without_records_is_written_with_a_notice(tmp_path, demo_file, capsys):
    out = tmp_path / "2020.docx"
    assert cli.main(["report", "--db", str(demo_file), "--year", "2020", "-o", str(out)]) == 0
    assert "没有 2020 年的记录" in capsys.readouterr().out
    assert out.exists()
    assert (
        cli.main(["report", "--db", str(demo_file), "--year", "2012", "-o", str(tmp_path / "2012.docx")]) == 0
    )
    assert "没有 2012 年的记录" not in capsys.readouterr().out


@pytest.mark.skipif(shutil.which("head") is None, reason="needs the head program")
def test_import_piped_into_head_ends_quietly(tmp_path, db_file):
    # One short problem line first, then a line of about 270 KB (the ignored columns): far more than
    # a pipe holds, so the program is still writing when head has gone.
    extra = [f"备用列{i:03d}" + "某" * 300 for i in range(300)]
    sheet = write_sheet(
        tmp_path / "big.xlsx",
        [[*PATENT_HEADERS, *extra], patent_row(1, 申请日="2012-02-30")],
        write_only=True,
    )
    command = [sys.executable, str(ROOT / "main.py"), "import", "--db", str(db_file), "--table", "patents"]
    env = os.environ | {"PYTHONIOENCODING": "utf-8"}
    writer = subprocess.Popen([*command, str(sheet)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    reader = subprocess.Popen(["head", "-1"], stdin=writer.stdout, stdout=subprocess.PIPE)
    writer.stdout.close()  # only head holds the pipe now
    first, _ = reader.communicate(timeout=120)
    err = writer.stderr.read().decode("utf-8")
    writer.wait(timeout=120)
    writer.stderr.close()
    assert "第 2 行【申请日】" in first.decode("utf-8")
    assert "Traceback" not in err and "BrokenPipe" not in err, err


def test_a_year_that_is_not_a_number_is_refused_without_python_type_names(db_file, tmp_path, capsys):
    command = ["report", "--db", str(db_file), "--year", "二〇一二", "-o", str(tmp_path / "r.docx")]
    assert cli.main(command) == cli.EXIT_USAGE
    err = capsys.readouterr().err.splitlines()[-1]
    assert "无效的值" in err and "int" not in err, err
