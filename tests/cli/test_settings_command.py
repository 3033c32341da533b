"""`settings --db FILE [KEY VALUE]`: list the settings, set one, refuse an unknown key or a value not allowed."""

import os
import subprocess
import sys
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

from db.database import open_data_file
from kejiju_desktop import cli
from kejiju_desktop.services import settings
from tests.core.store_helpers import db_argument
from tests.fixtures.files import digest

ROOT = Path(__file__).resolve().parents[2]


def _run(*argv: str) -> subprocess.CompletedProcess:
    command = [sys.executable, str(ROOT / "main.py"), *argv]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=dict(os.environ))


def test_settings_lists_every_setting_by_its_chinese_name_with_defaults(db_file):
    result = _run("settings", "--db", str(db_file))
    assert result.returncode == cli.EXIT_OK, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split("：")[0] for line in lines] == list(settings.SETTINGS)
    assert "行政区划：县（可选：县、区、市）" in lines
    assert "证书到期提醒天数：90" in lines and "操作员：（未设置）" in lines


def test_settings_sets_one_value_that_the_data_file_keeps(db_file, capsys):
    assert cli.main(["settings", "--db", str(db_file), "行政区划", "区"]) == cli.EXIT_OK
    assert cli.main(["settings", "--db", str(db_file), "操作员", "张晓梅"]) == cli.EXIT_OK
    assert cli.main(["settings", "--db", str(db_file), "字体方案", "Windows 系统自带字体"]) == cli.EXIT_OK
    assert "已设置 行政区划：区" in capsys.readouterr().out
    data = open_data_file(db_file, read_only=True)
    with data.sessions() as session:
        assert settings.division(session) == "区"
        assert settings.operator(session) == "张晓梅"
        assert settings.font_scheme(session) == settings.FONT_WINDOWS
        assert settings.bureau_name(session) == "××区科学技术局"
    data.close()
    assert cli.main(["settings", "--db", str(db_file), "行政区划"]) == cli.EXIT_OK
    assert capsys.readouterr().out.strip() == "行政区划：区（可选：县、区、市）"


def test_an_unknown_key_is_refused_in_a_sentence_and_the_file_is_unchanged(db_file):
    before = digest(db_file)
    result = _run("settings", "--db", str(db_file), "地址", "人民路1号")
    assert result.returncode == cli.EXIT_PROBLEMS
    assert result.stderr.strip().startswith("没有名为“地址”的设置；可以设置的有：操作员、单位名称")
    assert "Traceback" not in result.stderr and digest(db_file) == before


def test_a_value_not_allowed_is_refused_with_the_rule_and_the_file_is_unchanged(db_file, capsys):
    before = digest(db_file)
    for key, value, rule in (
        ("行政区划", "州", "行政区划只能是：县、区、市。"),
        ("证书到期提醒天数", "0", "证书到期提醒天数应为1—730之间的整数。"),
        ("操作员", "", "操作员不能为空，最多20个字，不能含换行等控制字符。"),
        ("县名", "很" * 21, "县名最多20个字，不能含换行等控制字符。"),
    ):
        assert cli.main(["settings", "--db", str(db_file), key, value]) == cli.EXIT_PROBLEMS
        assert capsys.readouterr().err.strip() == rule
    assert digest(db_file) == before


def test_the_report_takes_its_font_scheme_from_the_setting(demo_file, tmp_path):
    path = tmp_path / "demo.kjdb"
    path.write_bytes(demo_file.read_bytes())
    assert cli.main(["settings", "--db", str(path), "字体方案", "windows"]) == cli.EXIT_OK
    out = tmp_path / "r.docx"
    assert cli.main(["report", "--db", str(path), "--year", "2012", "-o", str(out)]) == cli.EXIT_OK
    body = Document(str(out)).styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert body.get(qn("w:eastAsia")) == "仿宋"


def test_settings_are_set_and_listed_alike_on_a_file_and_on_a_server(engine_store, capsys):
    where = db_argument(engine_store)
    assert cli.main(["settings", "--db", where, "行政区划", "区"]) == cli.EXIT_OK
    assert cli.main(["settings", "--db", where, "操作员", "张晓梅"]) == cli.EXIT_OK
    capsys.readouterr()
    assert cli.main(["settings", "--db", where]) == cli.EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("：")[0] for line in lines] == list(settings.SETTINGS)
    assert "行政区划：区（可选：县、区、市）" in lines and "操作员：张晓梅" in lines
    with engine_store.sessions() as session:
        assert settings.division(session) == "区" and settings.operator(session) == "张晓梅"
