"""`remind --db FILE [--days N]`: the 工作台 as text, exit 0; a file that cannot be used, exit 2."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from db.database import open_data_file
from kejiju_desktop import cli, fields
from kejiju_desktop.commands.remind import remind_lines
from kejiju_desktop.services import records

ROOT = Path(__file__).resolve().parents[2]


def _run(*argv: str) -> subprocess.CompletedProcess:
    command = [sys.executable, str(ROOT / "main.py"), *argv]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=dict(os.environ))


def _fill(path: Path, today: dt.date) -> None:
    """Two units, one certificate expiring in 30 days and one in 120, one project past its end."""
    data = open_data_file(path)
    with data.writer() as session:
        first = records.save_record(session, fields.ENTERPRISES, {"name": "四星液压"}).id
        second = records.save_record(session, fields.ENTERPRISES, {"name": "红光机械"}).id
        for unit, days in ((first, 30), (second, 120)):
            until = (today + dt.timedelta(days=days)).isoformat()
            records.save_record(session, fields.QUALIFICATIONS, {
                "unit_id": unit, "category": "科技型中小企业", "year": "2012", "certified_on": "2012-01-01",
                "valid_until": until, "status": "已认定"})  # fmt: skip
        records.save_record(session, fields.PROJECTS, {
            "name": "液压元件研发", "level": "县", "apply_year": str(today.year - 2), "status": "实施中",
            "unit_id": first, "start_on": "2010-01-01", "end_on": (today - dt.timedelta(days=1)).isoformat(),
            "midterm_on": "2011-01-01"})  # fmt: skip
        records.save_record(session, fields.TARGETS, {
            "year": str(today.year), "indicator": "专利申请量", "target_value": "200"})  # fmt: skip
    data.close()


def test_remind_prints_the_workbench_items_with_their_records(db_file):
    _fill(db_file, dt.date.today())
    result = _run("remind", "--db", str(db_file))
    assert result.returncode == cli.EXIT_OK, result.stderr
    lines = result.stdout.splitlines()
    assert "  证书90天内到期：1 条" in lines and "    · 四星液压：科技型中小企业" in lines
    assert "  已过结束日期尚未验收的项目：1 条" in lines and "    · 液压元件研发" in lines
    assert "【数据质量】" in lines and lines[lines.index("【数据质量】") + 1] == "  无"
    assert any(line.startswith("  专利申请量：完成 0，目标 200，完成率 0.0%；去年同期 0") for line in lines)
    assert (
        sum(line.startswith("  20") and "1月" in line for line in lines) == 2
    )  # this year and last, by month
    result = _run("remind", "--db", str(db_file), "--days", "150")
    assert "  证书150天内到期：2 条" in result.stdout.splitlines()


def test_remind_lines_of_a_pinned_day(db_file):
    today = dt.date(2013, 6, 30)
    _fill(db_file, today)
    data = open_data_file(db_file, read_only=True)
    with data.sessions() as session:
        lines = remind_lines(session, today, 30)
    data.close()
    assert lines[0] == "工作台：2013年6月30日（证书到期提前 30 天提醒）"
    assert "  证书30天内到期：1 条" in lines
    assert (
        "  2013年：1月 0，2月 0，3月 0，4月 0，5月 0，6月 0，7月 0，8月 0，9月 0，10月 0，11月 0，12月 0"
        in lines
    )


def test_remind_refuses_a_file_that_is_not_ours_with_exit_2(tmp_path, capsys):
    foreign = tmp_path / "notes.kjdb"
    foreign.write_text("这不是数据文件", encoding="utf-8")
    assert cli.main(["remind", "--db", str(foreign)]) == cli.EXIT_UNUSABLE
    out, err = capsys.readouterr()
    assert out == "" and "notes.kjdb" in err and "Traceback" not in err


def test_remind_refuses_days_out_of_range_as_wrong_usage(db_file, capsys):
    assert cli.main(["remind", "--db", str(db_file), "--days", "0"]) == cli.EXIT_USAGE
    assert "证书到期提醒天数" in capsys.readouterr().err
