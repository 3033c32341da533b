"""Every command meets a journal beside --db the same way: ours rolled back, another file's refused untouched."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from db import messages
from kejiju_desktop import cli
from tests.core.merge_helpers import office_file, save
from tests.db.crash_helpers import (
    crash_mid_transaction,
    digest,
    journal_of,
    kill_once_spilled,
    plant_foreign_journal,
)
from tests.fixtures.xlsx.sheets import PATENT_HEADERS, patent_row, write_sheet

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(os.name == "nt", reason="the crashed writers are SIGKILLed (POSIX)")

COMMANDS = {
    "check": lambda db, tmp: ["check", "--db", db],
    "check --repair": lambda db, tmp: ["check", "--db", db, "--repair"],
    "report": lambda db, tmp: ["report", "--db", db, "--year", "2012", "-o", str(tmp / "报告.docx")],
    "export": lambda db, tmp: ["export", "--db", db, "--table", "events", "-o", str(tmp / "导出.xlsx")],
    "import --dry-run": lambda db, tmp: [
        "import",
        "--db",
        db,
        "--table",
        "patents",
        _sheet(tmp),
        "--dry-run",
    ],
    "import": lambda db, tmp: ["import", "--db", db, "--table", "patents", _sheet(tmp)],
    "backup": lambda db, tmp: ["backup", "--db", db, "-o", str(tmp / "副本.kjdb")],
    "merge --dry-run": lambda db, tmp: ["merge", "--db", db, _other(tmp), "--dry-run"],
    "merge": lambda db, tmp: ["merge", "--db", db, _other(tmp)],
}


def _sheet(tmp) -> str:
    return str(write_sheet(tmp / "专利.xlsx", [PATENT_HEADERS, patent_row(1)]))


def _other(tmp) -> str:
    path = office_file(tmp, "乙局")
    save(path, "events", {"name": "乙局的活动", "start_on": "2012-06-01"})
    return str(path)


def _names(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return sorted(r[0] for r in conn.execute("SELECT name FROM events"))
    finally:
        conn.close()


@pytest.mark.parametrize("command", COMMANDS)
def test_a_journal_of_another_file_is_refused_by_every_command_leaving_file_and_journal(
    command, tmp_path, demo_file, empty_template, capsys
):
    ours, theirs = tmp_path / "本局.kjdb", tmp_path / "别的.kjdb"
    shutil.copyfile(demo_file, ours)
    shutil.copyfile(empty_template, theirs)
    journal = plant_foreign_journal(ours, theirs)
    argv = COMMANDS[command](str(ours), tmp_path)
    before = digest(ours), digest(journal)
    capsys.readouterr()
    assert cli.main(argv) == cli.EXIT_UNUSABLE
    sentence = messages.FOREIGN_JOURNAL.format(name="本局.kjdb", journal="本局.kjdb-journal")
    assert capsys.readouterr().err.strip() == sentence
    assert (digest(ours), digest(journal)) == before
    assert not any((tmp_path / name).exists() for name in ("报告.docx", "导出.xlsx", "副本.kjdb"))


@pytest.mark.parametrize("command", COMMANDS)
def test_our_own_crash_journal_is_rolled_back_and_every_command_goes_on(command, db_file, tmp_path, capsys):
    ours = db_file
    save(ours, "events", {"name": "已提交的活动", "start_on": "2012-05-20"})
    argv = COMMANDS[command](str(ours), tmp_path)
    crash_mid_transaction(ours)
    capsys.readouterr()
    assert cli.main(argv) == cli.EXIT_OK
    assert capsys.readouterr().err == ""
    assert not journal_of(ours).exists()
    assert "已提交的活动" in _names(ours)
    assert not any(name.startswith("未提交") for name in _names(ours))


def test_export_after_our_crash_holds_the_committed_rows(db_file, tmp_path, capsys):
    ours = db_file
    for name in ("一", "二", "三"):
        save(ours, "events", {"name": f"活动{name}", "start_on": "2012-05-20"})
    crash_mid_transaction(ours)
    assert cli.main(COMMANDS["export"](str(ours), tmp_path)) == cli.EXIT_OK
    assert "已导出 3 条" in capsys.readouterr().out


def test_backup_after_our_crash_copies_the_committed_rows(db_file, tmp_path):
    ours = db_file
    save(ours, "events", {"name": "已提交的活动", "start_on": "2012-05-20"})
    crash_mid_transaction(ours)
    assert cli.main(COMMANDS["backup"](str(ours), tmp_path)) == cli.EXIT_OK
    assert _names(tmp_path / "副本.kjdb") == ["已提交的活动"]


def test_the_terminal_hears_nothing_of_a_rolled_back_crash(db_file, tmp_path):
    save(db_file, "events", {"name": "已提交的活动", "start_on": "2012-05-20"})
    crash_mid_transaction(db_file)
    argv = COMMANDS["export"](str(db_file), tmp_path)
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), *argv], capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (0, "")  # no "已损坏", no log line in English either
    assert "已导出 1 条" in done.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_a_folder_named_as_the_journal_is_said_so_not_called_damage(command, db_file, tmp_path, capsys):
    journal = journal_of(db_file)
    journal.mkdir()  # SQLite cannot make its journal there: the file was called damaged, restore advised
    argv = COMMANDS[command](str(db_file), tmp_path)
    before = digest(db_file)
    capsys.readouterr()
    assert cli.main(argv) == cli.EXIT_UNUSABLE
    sentence = messages.JOURNAL_IS_FOLDER.format(name=db_file.name, journal=journal.name)
    assert capsys.readouterr().err.strip() == sentence
    assert digest(db_file) == before and journal.is_dir()


IMPORT = textwrap.dedent(
    """
    from kejiju_desktop import cli
    sys.exit(cli.main(["import", "--db", sys.argv[2], "--table", "patents", sys.argv[3]]))
    """
)


def test_an_import_of_ten_thousand_rows_killed_while_it_writes_is_rolled_back(db_file, tmp_path):
    save(db_file, "events", {"name": "已提交的活动", "start_on": "2012-05-20"})
    rows = (patent_row(serial) for serial in range(1, 10_001))
    sheet = write_sheet(tmp_path / "一万条专利.xlsx", [PATENT_HEADERS, *rows], write_only=True)
    kill_once_spilled(IMPORT, db_file, str(sheet), grown=True)  # its cache spilled into the file
    assert journal_of(db_file).stat().st_size > 0
    assert (
        cli.main(["check", "--db", str(db_file)]) == cli.EXIT_OK
    )  # (it says the killed import's lock is stale)
    assert not journal_of(db_file).exists()
    assert _names(db_file) == ["已提交的活动"]
    conn = sqlite3.connect(db_file)
    try:
        assert conn.execute("SELECT count(*) FROM patents").fetchone() == (0,)
    finally:
        conn.close()
