"""The command line as a clerk's script sees it: real processes, exit codes, Chinese messages."""

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kejiju_desktop import __version__

ROOT = Path(__file__).resolve().parents[2]


def run(*args, home=None):
    env = os.environ | {"PYTHONIOENCODING": "utf-8"}
    if home is not None:
        env["KEJIJU_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *map(str, args)],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=120, cwd=ROOT,
    )  # fmt: skip


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_version():
    result = run("--version")
    assert result.returncode == 0
    assert __version__ in result.stdout and "科技局桌面数据管理" in result.stdout


def test_init_then_check_and_refuse_to_overwrite(tmp_path):
    path = tmp_path / "new.kjdb"
    result = run("init", "--db", path)
    assert result.returncode == 0 and "已新建数据文件" in result.stdout
    before = digest(path)
    again = run("init", "--db", path)
    assert again.returncode == 1 and "--force" in again.stderr
    assert digest(path) == before
    assert run("init", "--db", path, "--force").returncode == 0
    check = run("check", "--db", path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "未发现问题" in check.stdout


def test_db_may_stand_before_the_sub_command(tmp_path):
    path = tmp_path / "before.kjdb"
    assert run("--db", path, "init").returncode == 0
    assert path.exists()


def test_demo_then_check_exits_zero(tmp_path):
    path = tmp_path / "d.kjdb"
    result = run("demo", "--db", path)
    assert result.returncode == 0, result.stderr
    assert "专利" in result.stdout
    check = run("check", "--db", path)
    assert check.returncode == 0, check.stdout
    assert "问题：" not in check.stdout
    # Certificates expired long ago but still marked 已认定 are notices, not problems.
    assert "提示：" in check.stdout


def test_demo_is_deterministic(tmp_path):
    a, b = tmp_path / "a.kjdb", tmp_path / "b.kjdb"
    assert run("demo", "--db", a).returncode == 0
    assert run("demo", "--db", b).returncode == 0
    dump = []
    for path in (a, b):
        conn = sqlite3.connect(path)
        rows = conn.execute("SELECT uid, app_no, title, filed_on FROM patents ORDER BY id").fetchall()
        rows += conn.execute("SELECT uid, name, funding, approved_on FROM projects ORDER BY id").fetchall()
        conn.close()
        dump.append(rows)
    assert dump[0] == dump[1] and len(dump[0]) > 100


def _hostile(tmp_path, kind, good: Path) -> Path:
    path = tmp_path / f"{kind}.kjdb"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "random":
        path.write_bytes(os.urandom(3000))
    elif kind == "png":
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(500))
    elif kind == "truncated":
        data = good.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif kind == "foreign":
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE songs(title TEXT)")
        conn.commit()
        conn.close()
    elif kind == "newer":
        shutil.copy(good, path)
        conn = sqlite3.connect(path)
        conn.execute("UPDATE alembic_version SET version_num='9999_future'")
        conn.commit()
        conn.close()
    return path


@pytest.mark.parametrize("kind", ["empty", "random", "png", "truncated", "foreign", "newer"])
def test_check_refuses_hostile_files_with_one_chinese_line(tmp_path, demo_file, kind):
    path = _hostile(tmp_path, kind, demo_file)
    before = digest(path)
    result = run("check", "--db", path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and path.name in lines[0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in lines[0])
    assert "Traceback" not in result.stderr
    assert digest(path) == before


def test_check_reports_invalid_stored_rows_with_exit_one(tmp_path, db_file):
    conn = sqlite3.connect(db_file)
    conn.execute(
        "INSERT INTO patents(uid, created_at, updated_at, updated_by, confirmed_warnings, app_no, title, "
        "patent_type, applicant, filed_on) VALUES ('u1', '2012-01-01', '2012-01-01', '', '', "
        "'201710601862.4', '坏号码', '发明', '甲', '2012-01-01')"
    )
    conn.commit()
    conn.close()
    result = run("check", "--db", db_file)
    assert result.returncode == 1
    assert "校验位" in result.stdout and "坏号码" in result.stdout


def test_missing_db_and_unknown_options_are_usage_errors(tmp_path):
    missing = run("check")
    assert missing.returncode == 3 and "缺少 --db" in missing.stderr
    unknown = run("check", "--db", tmp_path / "x.kjdb", "--frob")
    assert unknown.returncode == 3 and "无法识别的参数" in unknown.stderr
    bad_table = run("export", "--db", tmp_path / "x.kjdb", "--table", "people", "-o", tmp_path / "o.xlsx")
    assert bad_table.returncode == 3 and "无效的选项" in bad_table.stderr


def test_missing_file_is_unusable(tmp_path):
    result = run("check", "--db", tmp_path / "nothing.kjdb")
    assert result.returncode == 2 and "找不到数据文件" in result.stderr


@pytest.mark.parametrize(
    ("argv", "cli"),
    [
        (["--db", "f.kjdb", "--screenshot", "o.png", "--tab", "report"], False),
        (["--db", "report", "--screenshot", "o.png"], False),
        (["--tab=report", "--screenshot", "o.png"], False),
        ([], False),
        (["report", "--db", "f", "--year", "2012", "-o", "o.docx"], True),
        (["--db", "f", "check"], True),
        (["--version"], True),
    ],
)
def test_window_options_are_told_from_sub_commands(argv, cli):
    from kejiju_desktop.cli import wants_cli

    assert wants_cli(argv) is cli
