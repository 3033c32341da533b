"""check and check --repair: exit codes, the plain report, and repairs that never delete a record."""

from __future__ import annotations

import sqlite3

from db.database import open_data_file
from kejiju_desktop import cli, messages
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


def test_an_expired_certificates_date_stands_in_the_sentence_without_spaces(db_file, capsys):
    save(db_file, "enterprises", {"name": "四星液压"})
    raw = {"unit_id": 1, "category": "高新技术企业", "year": 2008, "certified_on": "2008-06-01"}
    save(db_file, "qualifications", dict(raw, status="已认定"))  # valid until 2011-05-31 by default
    assert cli.main(["check", "--db", str(db_file)]) == cli.EXIT_OK
    assert "四星液压的“高新技术企业”已于2011年5月31日到期，状态仍为“已认定”。" in capsys.readouterr().out


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
    assert report.text("data.kjdb") == "检查“data.kjdb”：\n" + messages.CHECK_OK + "\n"


def test_a_reference_to_a_missing_unit_is_reported_as_damage(db_file, capsys):
    save(db_file, "projects", {"name": "项目甲", "level": "县", "apply_year": "2012"})
    conn = sqlite3.connect(db_file)  # foreign_keys is off on this connection, as in another program
    conn.execute("UPDATE projects SET unit_id = 999")
    conn.commit()
    conn.close()
    assert cli.main(["check", "--db", str(db_file)]) == cli.EXIT_PROBLEMS
    assert "“项目”表中有 1 条记录引用了不存在的记录" in capsys.readouterr().out


def _found(path, table: str, words: str) -> int:
    from kejiju_desktop import fields
    from kejiju_desktop.services import records

    data = open_data_file(path)
    try:
        with data.sessions.begin() as s:  # as the window does: the index brought up to date is kept
            return records.count(s, fields.ENTITIES[table], records.Query(search=words))
    finally:
        data.close()


def _sql(path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def test_a_dropped_search_trigger_is_a_problem_and_repair_makes_the_record_findable(db_file, capsys):
    _sql(db_file, "DROP TRIGGER projects_search_ai")
    save(db_file, "projects", {"name": "秸秆还田示范", "level": "省", "apply_year": 2012})
    assert _found(db_file, "projects", "秸秆") == 0
    assert cli.main(["check", "--db", str(db_file)]) == cli.EXIT_PROBLEMS
    assert "项目的检索索引缺少记录变动的触发器" in capsys.readouterr().out
    assert cli.main(["check", "--db", str(db_file), "--repair"]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "已重建项目的检索索引" in out and "数据文件完好" in out
    assert _found(db_file, "projects", "秸秆") == 1


def test_an_index_out_of_step_with_the_rows_is_a_problem_and_repair_rebuilds_it(db_file, capsys):
    save(db_file, "events", {"name": "科技活动周启动仪式", "start_on": "2012-05-01"})
    assert _found(db_file, "events", "启动仪式") == 1  # the queued change is now in the index
    _sql(db_file, "INSERT INTO events_search(events_search) VALUES ('delete-all')")
    assert _found(db_file, "events", "启动仪式") == 0
    assert cli.main(["check", "--db", str(db_file)]) == cli.EXIT_PROBLEMS
    assert "活动的检索索引与记录不一致" in capsys.readouterr().out
    assert cli.main(["check", "--db", str(db_file), "--repair"]) == cli.EXIT_OK
    assert "已重建活动的检索索引" in capsys.readouterr().out
    assert _found(db_file, "events", "启动仪式") == 1


def test_changes_waiting_in_the_queue_and_a_file_without_an_index_are_no_problem(db_file, capsys):
    save(
        db_file,
        "patents",
        {"title": "一种液压缸", "patent_type": "发明", "applicant": "个人甲", "filed_on": "2012-03-05"},
    )
    assert cli.main(["check", "--db", str(db_file)]) == cli.EXIT_OK  # queued, not yet indexed: fine
    capsys.readouterr()
    tables = ("enterprises", "projects", "patents", "awards", "events")
    triggers = [f"DROP TRIGGER {t}_search_{s}" for t in tables for s in ("ai", "au", "ad")]
    indexes = [f"DROP TABLE {t}_search{v}" for t in tables for v in ("_vocab", "")]
    _sql(db_file, *triggers, *indexes)  # as made by an SQLite without FTS5: the queue alone
    assert cli.main(["check", "--db", str(db_file)]) == cli.EXIT_OK
    assert "数据文件完好" in capsys.readouterr().out
