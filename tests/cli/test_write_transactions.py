"""Writers hold the file for their whole transaction: a refused or killed import keeps the word index
machinery, and an import and a merge started together never double records."""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

from db import messages
from db.database import open_data_file
from kejiju_desktop import cli, fields
from kejiju_desktop.services import records
from tests.fixtures.xlsx.sheets import PATENT_HEADERS, patent_row, patents_sheet, write_sheet

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "main.py"
CLI = (sys.executable, str(MAIN))
SAME_PATENTS = 1000


# Marking the file in use journals 2 pages (8.7 KB); the import's rows some 25 pages (100 KB).
WRITING_JOURNAL = 32 * 1024


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def triggers(db_file) -> set[str]:
    conn = sqlite3.connect(db_file)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    finally:
        conn.close()


def found_by_search(db_file, entity, words) -> int:
    opened = open_data_file(db_file)
    try:
        with opened.sessions() as s:
            return records.count(s, entity, records.Query(search=words))
    finally:
        opened.close()


def save_patent(db_file, title: str) -> None:
    opened = open_data_file(db_file)
    try:
        with opened.sessions.begin() as s:
            raw = {"title": title, "patent_type": "发明", "applicant": "个人甲", "filed_on": "2012-03-05"}
            records.save_record(s, fields.PATENTS, raw, operator="张三")
    finally:
        opened.close()


def test_refused_import_keeps_every_search_trigger_and_later_records_are_found(db_file, tmp_path, capsys):
    before = triggers(db_file)
    assert {"patents_search_ai", "patents_search_au", "patents_search_ad"} <= before
    rows = [PATENT_HEADERS, patent_row(1), patent_row(2, 申请日="2012-02-30")]
    sheet = write_sheet(tmp_path / "p.xlsx", rows)
    assert cli.main(["import", "--db", str(db_file), "--table", "patents", str(sheet)]) == 1
    assert "未写入任何数据" in capsys.readouterr().out
    assert triggers(db_file) == before
    save_patent(db_file, "一种太阳能热水器")
    assert found_by_search(db_file, fields.PATENTS, "热水器") == 1


def test_import_killed_while_writing_leaves_the_search_triggers_in_place(db_file, tmp_path):
    before = triggers(db_file)
    sheet = patents_sheet(tmp_path / "many.xlsx", 2000)
    command = [*CLI, "import", "--db", str(db_file), "--table", "patents", str(sheet)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    journal = db_file.with_name(db_file.name + "-journal")
    deadline = time.monotonic() + 60
    while _size(journal) < WRITING_JOURNAL and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    assert process.poll() is None, "the import ended before it was caught writing"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert found_by_search(db_file, fields.PATENTS, "测试装置") == 0  # reopening rolled the import back
    assert triggers(db_file) == before
    save_patent(db_file, "一种太阳能热水器")
    assert found_by_search(db_file, fields.PATENTS, "热水器") == 1


def _fresh_file(template: Path, path: Path) -> Path:
    shutil.copyfile(template, path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE settings SET value=? WHERE key='office_id'", (str(uuid.uuid4()),))
    conn.close()
    return path


def _patent_count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM patents WHERE deleted_at IS NULL").fetchone()[0]
    finally:
        conn.close()


def test_import_and_merge_started_together_never_double_the_patents(empty_template, tmp_path):
    sheet = patents_sheet(tmp_path / "same.xlsx", SAME_PATENTS)
    other = _fresh_file(empty_template, tmp_path / "乙科室.kjdb")
    assert cli.main(["import", "--db", str(other), "--table", "patents", str(sheet)]) == 0
    for attempt in range(3):
        ours = _fresh_file(empty_template, tmp_path / f"本科室{attempt}.kjdb")
        import_ = [*CLI, "import", "--db", str(ours), "--table", "patents", str(sheet)]
        merge = [*CLI, "merge", "--db", str(ours), str(other)]
        running = [
            subprocess.Popen(c, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for c in (import_, merge)
        ]
        outcomes = [(p.communicate(timeout=60)[1].decode(), p.returncode) for p in running]
        # One after the other, the second finds the first one's patents as duplicates.
        assert _patent_count(ours) == SAME_PATENTS, outcomes
        for err, code in outcomes:
            assert code == 0 or (code == 1 and messages.BUSY in err), outcomes


def test_import_while_another_program_writes_waits_then_says_busy_and_changes_nothing(
    db_file, tmp_path, capsys
):
    sheet = patents_sheet(tmp_path / "p.xlsx", 3)
    holder = sqlite3.connect(db_file, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program in the middle of its write
    try:
        before = db_file.read_bytes()
        started = time.monotonic()
        assert (
            cli.main(["import", "--db", str(db_file), "--table", "patents", str(sheet)]) == cli.EXIT_PROBLEMS
        )
        assert time.monotonic() - started >= 4  # it waited for the other writer first
        assert db_file.read_bytes() == before
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    captured = capsys.readouterr()
    assert messages.BUSY in captured.err and "Traceback" not in captured.err + captured.out
    assert not db_file.with_name(db_file.name + ".lock").exists()
    assert _patent_count(db_file) == 0


def test_merge_planned_before_an_import_plans_again_and_writes_no_doubles(empty_template, tmp_path, capsys):
    from kejiju_desktop.services.portability import merge as merge_service

    sheet = patents_sheet(tmp_path / "same.xlsx", 20)
    other = _fresh_file(empty_template, tmp_path / "乙科室.kjdb")
    ours = _fresh_file(empty_template, tmp_path / "本科室.kjdb")
    assert cli.main(["import", "--db", str(other), "--table", "patents", str(sheet)]) == 0
    data = open_data_file(ours, take_lock=False)
    try:
        plan = merge_service.plan_files(data, other)  # the preview: 20 new patents
        assert cli.main(["import", "--db", str(ours), "--table", "patents", str(sheet)]) == 0
        result = merge_service.merge(data, plan)
    finally:
        data.close()
    capsys.readouterr()
    assert _patent_count(ours) == 20
    assert plan.counts["new"] == 20 and result.replanned and result.total == 0
