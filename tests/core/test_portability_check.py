"""check and check --repair: exit codes, the plain report, and repairs that never delete a record."""

from __future__ import annotations

import sqlite3

from db.database import open_data_file
from kejiju_desktop import cli
from kejiju_desktop.services import checkup
from kejiju_desktop.services.portability import backups
from tests.core.merge_helpers import live, save


def _break_index(path) -> None:
    """Point an index at another column behind SQLite's back: its entries no longer match the rows."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema=ON")
    conn.execute(
        "UPDATE sqlite_master SET sql=replace(sql, '(start_on)', '(name)') WHERE name='ix_events_start_on'"
    )
    conn.commit()
    conn.close()


def test_index_damage_is_found_and_repaired(db_file, capsys):
    for day in range(1, 6):
        save(db_file, "events", {"name": f"活动{day}", "start_on": f"2012-05-0{day}"})
    _break_index(db_file)
    assert cli.main(["check", "--db", str(db_file)]) == cli.EXIT_PROBLEMS
    assert "内部结构有错误" in capsys.readouterr().out
    assert cli.main(["check", "--db", str(db_file), "--repair"]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "已重建索引" in out and "数据文件完好" in out
    assert len(live(db_file, "events")) == 5
    assert [b.reason for b in backups.list_backups(db_file)] == ["repair"]


def test_expired_certificates_are_a_notice_and_repair_marks_them(db_file, capsys):
    unit = save(db_file, "enterprises", {"name": "四星液压"})
    data = open_data_file(db_file)
    with data.sessions() as s:
        from kejiju_desktop.services.records import find_unit

        unit_id = find_unit(s, name="四星液压").id
    data.close()
    raw = {"unit_id": unit_id, "category": "高新技术企业", "year": 2008, "certified_on": "2008-06-01"}
    cert = save(db_file, "qualifications", dict(raw, status="已认定"))
    assert unit and cert
    assert cli.main(["check", "--db", str(db_file)]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "提示" in out and "已认定" in out and "可以自动修复" in out
    assert cli.main(["check", "--db", str(db_file), "--repair"]) == cli.EXIT_OK
    assert "1 条过了有效期" in capsys.readouterr().out
    assert live(db_file, "qualifications", "status") == {cert: "已过期"}


def test_duplicates_exit_1_and_repair_deletes_nothing(db_file, capsys):
    for name in ("甲活动", "乙活动"):
        save(db_file, "projects", {"name": name, "level": "县", "apply_year": 2012, "code": f"X-{name}"})
    conn = sqlite3.connect(db_file)
    conn.execute("UPDATE projects SET code='KJ2012-01'")
    conn.commit()
    conn.close()
    assert cli.main(["check", "--db", str(db_file)]) == cli.EXIT_PROBLEMS
    assert "重复" in capsys.readouterr().out
    assert cli.main(["check", "--db", str(db_file), "--repair"]) == cli.EXIT_PROBLEMS
    assert "不能自动修复" in capsys.readouterr().out
    assert len(live(db_file, "projects")) == 2


def test_report_text_is_plain_chinese(db_file):
    data = open_data_file(db_file, read_only=True)
    with data.sessions() as s:
        report = checkup.check_session(s)
    data.close()
    assert report.text("data.kjdb") == "检查“data.kjdb”：\n" + checkup.MSG_OK + "\n"


def test_a_reference_to_a_missing_unit_is_reported_as_damage(db_file, capsys):
    save(db_file, "projects", {"name": "项目甲", "level": "县", "apply_year": "2012"})
    conn = sqlite3.connect(db_file)  # foreign_keys is off on this connection, as in another program
    conn.execute("UPDATE projects SET unit_id = 999")
    conn.commit()
    conn.close()
    assert cli.main(["check", "--db", str(db_file)]) == cli.EXIT_PROBLEMS
    assert "“项目”表中有 1 条记录引用了不存在的记录" in capsys.readouterr().out
