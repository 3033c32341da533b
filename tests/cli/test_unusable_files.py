"""Damaged pages and altered schemas: every command says so in one Chinese line, exits 2, writes nothing.

In-process through cli.main, every command against every such file (merge with it on either side).
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from db.database import APPLICATION_ID
from kejiju_desktop import cli
from tests.fixtures.files import digest, run_sql
from tests.fixtures.xlsx.sheets import PATENT_HEADERS, patent_row, write_sheet


def _damage_page(path: Path, table: str) -> Path:
    """Overwrite the cells of `table`'s root b-tree page, as a bad sector would; the header stays sound."""
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name=?", (table,)).fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    raw = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    cells = int.from_bytes(raw[start + 5 : start + 7], "big")  # where the page's cell content begins
    raw[start + cells : start + page_size] = b"\xa5" * (page_size - cells)
    path.write_bytes(bytes(raw))
    return path


def _bare(path: Path, *statements: str) -> Path:
    return run_sql(path, f"PRAGMA application_id={APPLICATION_ID}", *statements)


# kind -> (how to make it from a copy of the demo file, the phrase the sentence holds)
CASES = {
    "damaged page": (lambda p: _damage_page(p, "patents"), "已损坏"),
    "column renamed": (
        lambda p: run_sql(p, "ALTER TABLE patents RENAME COLUMN title TO name"),
        "内部结构不完整",
    ),
    "column dropped": (lambda p: run_sql(p, "ALTER TABLE events DROP COLUMN works"), "内部结构不完整"),
    "table dropped": (lambda p: run_sql(p, "DROP TABLE awards"), "内部结构不完整"),
    "our id, none of our tables": (
        lambda p: _bare(p.with_name("bare.kjdb"), "CREATE TABLE t(x)"),
        "内部结构不完整",
    ),
    "settings, empty version": (
        lambda p: _bare(
            p.with_name("half.kjdb"),
            "CREATE TABLE settings(key, value)",
            "CREATE TABLE alembic_version(version_num)",
        ),
        "内部结构不完整",
    ),  # fmt: skip
}


@pytest.fixture(params=sorted(CASES))
def unusable(request, demo_file, tmp_path) -> tuple[Path, str]:
    make, phrase = CASES[request.param]
    copy = tmp_path / "files" / "data.kjdb"
    copy.parent.mkdir()
    shutil.copy(demo_file, copy)
    path = make(copy)
    return path, phrase


def _commands(path: Path, tmp_path: Path, good: Path, sheet: Path) -> dict[str, list]:
    return {
        "check": ["check", "--db", path],
        "check --repair": ["check", "--repair", "--db", path],
        "report": ["report", "--db", path, "--year", "2012", "-o", tmp_path / "r.docx"],
        "export": ["export", "--db", path, "--table", "patents", "-o", tmp_path / "e.xlsx"],
        "import --dry-run": ["import", "--db", path, "--table", "patents", sheet, "--dry-run"],
        "import": ["import", "--db", path, "--table", "patents", sheet],
        "backup": ["backup", "--db", path, "-o", tmp_path / "copy.kjdb"],
        "merge into it": ["merge", "--db", path, good],
        "merge it in": ["merge", "--db", good, path],
    }


COMMANDS = list(_commands(Path(), Path(), Path(), Path()))


@pytest.mark.parametrize("command", COMMANDS)
def test_command_refuses_an_unusable_file_in_one_sentence_and_leaves_it_as_it_was(
    command, unusable, tmp_path, db_file, capsys
):
    path, phrase = unusable
    sheet = write_sheet(tmp_path / "p.xlsx", [PATENT_HEADERS, patent_row(900)])
    args = _commands(path, tmp_path, db_file, sheet)[command]
    before, good_before, names = digest(path), digest(db_file), sorted(path.parent.iterdir())
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    # An incoming file that cannot be used is a refused merge (1); our own unusable file is 2.
    assert code == (cli.EXIT_PROBLEMS if command == "merge it in" else cli.EXIT_UNUSABLE), out + err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and phrase in lines[0] and "Error" not in err and "Traceback" not in err, err
    assert out == ""
    writes_marker = command == "import" and phrase == "已损坏"  # opened for writing before the page was met
    assert writes_marker or digest(path) == before
    assert digest(db_file) == good_before
    assert sorted(path.parent.iterdir()) == names  # no journal, lock or half-made file left beside it
