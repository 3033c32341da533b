"""No writing command puts its output over the data file, its journal or its lock, however the path is spelt."""

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from db.database import paths_of
from kejiju_desktop import cli

ROOT = Path(__file__).resolve().parents[2]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _symlink(data: Path) -> Path:
    link = data.with_name("link.kjdb")
    try:
        link.symlink_to(data)
    except OSError:  # Windows without the right to make symbolic links
        pytest.skip("symbolic links cannot be made here")
    return link


def _hard_link(data: Path) -> Path:
    link = data.with_name("hard.kjdb")
    os.link(data, link)
    return link


SPELLINGS = {
    "itself": lambda data: data,
    "through ..": lambda data: data.parent / "x" / ".." / data.name,
    "a symbolic link": _symlink,
    "a hard link": _hard_link,
    "its journal": lambda data: paths_of(data)[1],
    "its lock": lambda data: paths_of(data)[2],
}
WRITERS = {
    "report": lambda db, out: ["report", "--db", db, "--year", "2012", "-o", out, "--force"],
    "export": lambda db, out: ["export", "--db", db, "--table", "patents", "-o", out, "--force"],
    "backup": lambda db, out: ["backup", "--db", db, "-o", out, "--force"],
}


@pytest.mark.parametrize("spelling", SPELLINGS)
@pytest.mark.parametrize("command", WRITERS)
def test_output_over_the_data_file_or_its_companions_is_refused(
    tmp_path, demo_file, capsys, command, spelling
):
    data = tmp_path / "data.kjdb"
    shutil.copyfile(demo_file, data)
    target = SPELLINGS[spelling](data)
    before = digest(data)
    assert cli.main([str(a) for a in WRITERS[command](data, target)]) == cli.EXIT_PROBLEMS
    err = capsys.readouterr().err
    assert "未写入" in err and "data.kjdb" in err
    assert digest(data) == before
    _, journal, lock = paths_of(data)
    assert not journal.exists() and not lock.exists()


@pytest.mark.parametrize("command", ["init", "demo"])
def test_a_new_file_is_never_made_as_the_journal_of_another(tmp_path, db_file, capsys, command):
    journal = paths_of(db_file)[1]
    before = digest(db_file)
    assert cli.main([command, "--db", str(journal), "--force"]) == cli.EXIT_PROBLEMS
    assert "日志或锁文件" in capsys.readouterr().err
    assert not journal.exists() and digest(db_file) == before


def test_output_named_as_the_journal_of_another_data_file_is_refused(tmp_path, db_file, demo_file, capsys):
    other = tmp_path / "other.kjdb"
    shutil.copyfile(demo_file, other)
    journal = paths_of(other)[1]
    assert cli.main(["backup", "--db", str(db_file), "-o", str(journal)]) == cli.EXIT_PROBLEMS
    assert "other.kjdb" in capsys.readouterr().err and not journal.exists()


def test_a_folder_as_output_is_called_a_folder(tmp_path, db_file, capsys):
    folder = tmp_path / "out"
    folder.mkdir()
    assert cli.main(["export", "--db", str(db_file), "--table", "events", "-o", str(folder), "--force"]) == 1
    assert "是一个文件夹" in capsys.readouterr().err


def test_merge_into_a_read_only_file_is_one_chinese_line(tmp_path, db_file, demo_file):
    # The read-only mark is honoured even for an administrator (root here), so no skip is needed.
    os.chmod(db_file, stat.S_IREAD)
    before = digest(db_file)
    try:
        result = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "merge", "--db", str(db_file), str(demo_file)],
            capture_output=True, text=True, encoding="utf-8", timeout=120, cwd=ROOT,
            env=os.environ | {"PYTHONIOENCODING": "utf-8"},
        )  # fmt: skip
    finally:
        os.chmod(db_file, stat.S_IREAD | stat.S_IWRITE)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "只读" in lines[0], result.stderr
    assert "Traceback" not in result.stderr and "Error" not in result.stderr
    assert digest(db_file) == before


THROUGH_A_FILE = {
    "export": lambda db, out: ["export", "--db", db, "--table", "events", "-o", out / "e.xlsx"],
    "report": lambda db, out: ["report", "--db", db, "--year", "2012", "-o", out / "r.docx"],
    "backup": lambda db, out: ["backup", "--db", db, "-o", out / "c.kjdb"],
    "init": lambda db, out: ["init", "--db", out / "n.kjdb"],
    "demo": lambda db, out: ["demo", "--db", out / "d.kjdb"],
}


@pytest.mark.parametrize("command", THROUGH_A_FILE)
def test_a_path_through_a_file_is_refused_in_chinese_naming_the_file_asked_for(
    tmp_path, db_file, capsys, command
):
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    assert cli.main([str(a) for a in THROUGH_A_FILE[command](db_file, plain)]) == cli.EXIT_PROBLEMS
    err = capsys.readouterr().err
    assert str(plain) in err
    assert not any(word in err for word in ("Errno", "directory", "exists", "Error", "unable"))
    assert ".creating" not in err and "demo-tmp" not in err and ".copying" not in err


@pytest.mark.skipif(
    not Path("/proc/self").is_dir(), reason="needs Linux's /proc, where SQLite cannot create a file"
)
def test_sqlite_refusing_to_create_the_copy_is_said_in_chinese(db_file, capsys):
    assert cli.main(["backup", "--db", str(db_file), "-o", "/proc/copy.kjdb"]) == cli.EXIT_PROBLEMS
    err = capsys.readouterr().err
    assert "无法写入“/proc/copy.kjdb”" in err and "unable to open" not in err


def test_check_repair_of_a_read_only_file_is_one_chinese_line(tmp_path, demo_file, capsys):
    data = tmp_path / "只读.kjdb"
    shutil.copyfile(demo_file, data)  # the demo has expired certificates to repair
    os.chmod(data, stat.S_IREAD)
    before = digest(data)
    try:
        code = cli.main(["check", "--repair", "--db", str(data)])
    finally:
        os.chmod(data, stat.S_IREAD | stat.S_IWRITE)
    assert code == cli.EXIT_PROBLEMS
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "只读" in err and "不能修复" in err, err
    assert digest(data) == before


@pytest.mark.parametrize("command", ["init", "demo"])
def test_force_does_not_replace_a_data_file_another_program_has_open(command, db_file, capsys):
    lock = {"host": "别的电脑", "user": "张三", "pid": 4242, "since": "2026-12-01T09:00:00", "token": "t"}
    lock_file = paths_of(db_file)[2]
    lock_file.write_text(json.dumps(lock, ensure_ascii=False), encoding="utf-8")
    before = digest(db_file)
    assert cli.main([command, "--db", str(db_file), "--force"]) == cli.EXIT_PROBLEMS
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "别的电脑" in err and "不能覆盖" in err, err
    assert digest(db_file) == before and lock_file.is_file()
