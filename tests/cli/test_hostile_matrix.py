"""Every command x every hostile data file: one Chinese sentence, no traceback, the file's bytes unchanged."""

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kejiju_desktop import cli
from tests.fixtures.files import digest, run_sql
from tests.fixtures.xlsx.sheets import PATENT_HEADERS, patent_row, write_sheet

ROOT = Path(__file__).resolve().parents[2]
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)


def _copy(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target


def _damaged_page(demo: Path, target: Path) -> Path:
    _copy(demo, target)
    conn = sqlite3.connect(target)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name='patents'").fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with target.open("r+b") as fh:  # scribble over the middle of the patents table's root page
        fh.seek((root - 1) * page_size + 8)
        fh.write(os.urandom(page_size - 16))
    return target


def _foreign_journal(demo: Path, target: Path, tmp: Path) -> Path:
    """A healthy copy of ours with the hot journal of a different file (a killed writer's) beside it."""
    _copy(demo, target)
    other = _copy(demo, tmp / "other-office.kjdb")
    # Another office's file: the same kind of records, laid out on other pages.
    run_sql(other, "DELETE FROM events", "DELETE FROM awards", "VACUUM")
    script = (
        "import os, sqlite3, sys\n"
        "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "conn.execute('PRAGMA journal_mode=DELETE')\n"
        "conn.execute('PRAGMA cache_size=1')\n"
        "conn.execute('BEGIN IMMEDIATE')\n"
        "conn.execute(\"UPDATE patents SET title = title || '改'\")\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(other)], check=True)
    journal = other.with_name(other.name + "-journal")
    assert journal.exists() and journal.stat().st_size > 0
    shutil.copyfile(journal, target.with_name(target.name + "-journal"))
    return target


def hostile(kind: str, tmp: Path, empty: Path, demo: Path) -> Path:
    """A data file of `kind`, written into tmp."""
    target = tmp / f"{kind}.kjdb"
    makers = {
        "empty": lambda: target.write_bytes(b""),
        "random": lambda: target.write_bytes(os.urandom(8192)),
        "png": lambda: target.write_bytes(PNG_HEADER),
        "truncated": lambda: target.write_bytes(demo.read_bytes()[: demo.stat().st_size // 3]),
        "other_program": lambda: run_sql(target, "CREATE TABLE contacts(name TEXT)"),
        "newer": lambda: run_sql(
            _copy(empty, target), "UPDATE alembic_version SET version_num='9999_future'"
        ),
        "damaged_page": lambda: _damaged_page(demo, target),
        "our_id_no_tables": lambda: run_sql(target, "PRAGMA application_id=1263159857", "CREATE TABLE t(x)"),
        "empty_alembic_version": lambda: run_sql(
            target,
            "PRAGMA application_id=1263159857",
            "CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT)",
            "CREATE TABLE alembic_version(version_num VARCHAR(32) NOT NULL)",
        ),
        "column_renamed": lambda: run_sql(
            _copy(demo, target), "ALTER TABLE patents RENAME COLUMN title TO name2"
        ),
        "column_dropped": lambda: run_sql(
            _copy(demo, target),
            "DROP TRIGGER awards_search_au",
            "DROP TRIGGER awards_search_ad",
            "ALTER TABLE awards DROP COLUMN winners",
        ),
        "table_dropped": lambda: run_sql(_copy(demo, target), "DROP TABLE events"),
        "foreign_journal": lambda: _foreign_journal(demo, target, tmp),
        "folder": lambda: target.mkdir(),
    }
    makers[kind]()
    return target


KINDS = (
    "empty",
    "random",
    "png",
    "truncated",
    "other_program",
    "newer",
    "damaged_page",
    "our_id_no_tables",
    "empty_alembic_version",
    "column_renamed",
    "column_dropped",
    "table_dropped",
    "foreign_journal",
    "folder",
)


def commands(db: Path, work: Path, good: Path, sheet: Path) -> dict[str, list[str]]:
    """Each command of DESIGN §7 that reads or writes an existing data file."""
    return {
        "check": ["check", "--db", str(db)],
        "check_repair": ["check", "--db", str(db), "--repair"],
        "report": ["report", "--db", str(db), "--year", "2012", "-o", str(work / "r.docx")],
        "export": ["export", "--db", str(db), "--table", "patents", "-o", str(work / "p.xlsx")],
        "import": ["import", "--db", str(db), "--table", "patents", str(sheet)],
        "import_dry_run": ["import", "--db", str(db), "--table", "patents", str(sheet), "--dry-run"],
        "backup": ["backup", "--db", str(db), "-o", str(work / "copy.kjdb")],
        "merge_into": ["merge", "--db", str(db), str(good)],
        "merge_from": ["merge", "--db", str(good), str(db)],
        "merge_from_dry_run": ["merge", "--db", str(good), str(db), "--dry-run"],
        "settings": ["settings", "--db", str(db)],
        "settings_set": ["settings", "--db", str(db), "行政区划", "区"],
        "remind": ["remind", "--db", str(db)],
    }


def snapshot(folder: Path) -> dict[str, str]:
    """Name -> digest of every file in the folder (folders as a marker)."""
    return {p.name: ("<dir>" if p.is_dir() else digest(p)) for p in folder.iterdir()}


@pytest.fixture
def sheet(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sheet")
    return write_sheet(folder / "in.xlsx", [PATENT_HEADERS, patent_row(1), patent_row(2)])


@pytest.mark.parametrize("kind", KINDS)
def test_every_command_refuses_a_hostile_file_in_a_sentence_and_changes_nothing(
    kind, tmp_path, empty_template, demo_file, sheet, capsys
):
    files = tmp_path / "files"
    files.mkdir()
    bad = hostile(kind, files, empty_template, demo_file)
    good = _copy(demo_file, tmp_path / "good.kjdb")
    work = tmp_path / "out"
    work.mkdir()
    for name, argv in commands(bad, work, good, sheet).items():
        before, good_before = snapshot(files), digest(good)
        code = cli.main(argv)
        out, err = capsys.readouterr()
        where = f"{kind} × {name}"
        assert code in (cli.EXIT_PROBLEMS, cli.EXIT_UNUSABLE), f"{where}: exit {code}\n{out}{err}"
        assert "Traceback" not in out + err, where
        assert err.strip(), f"{where}: no reason given"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in err), f"{where}: reason not in Chinese: {err}"
        assert snapshot(files) == before, f"{where}: the hostile file or its folder changed"
        assert digest(good) == good_before, f"{where}: our good file changed"
        assert list(work.iterdir()) == [], f"{where}: left {list(work.iterdir())}"
