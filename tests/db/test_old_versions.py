"""Files written by earlier versions (one frozen file per past schema) open, upgrade and stay intact."""

import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from db.database import open_data_file, probe
from db.schema import KNOWN_REVISIONS, SCHEMA_HEAD, expected_shape, read_shape
from db.uri import file_uri
from tests.fixtures.data.make_old_versions import frozen_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "data"
OLD_FILES = sorted(FIXTURES.glob("v*.kjdb"))
ROOT = Path(__file__).resolve().parents[2]


def live_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(file_uri(path, mode="ro"), uri=True)
    try:
        tables = ("enterprises", "qualifications", "projects", "patents", "awards", "events", "targets")
        return {
            t: conn.execute(f"SELECT count(*) FROM {t} WHERE deleted_at IS NULL").fetchone()[0]
            for t in tables
        }
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_there_is_a_frozen_file_for_every_past_revision():
    assert [p.name for p in OLD_FILES] == [frozen_file(r).name for r in KNOWN_REVISIONS[:-1]]


def all_rows(path: Path, shape: dict[str, list[str]]) -> dict[str, list[tuple]]:
    """Every row of every table in `shape`, its columns only, in key order."""
    conn = sqlite3.connect(file_uri(path, mode="ro"), uri=True)
    try:
        return {
            table: conn.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY rowid").fetchall()
            for table, columns in shape.items()
            if table != "alembic_version"
        }
    finally:
        conn.close()


@pytest.mark.parametrize("old", OLD_FILES, ids=lambda p: p.stem)
def test_old_file_upgraded_to_head_keeps_every_value_and_has_the_shape_of_head(old, tmp_path):
    path = tmp_path / "old.kjdb"
    shutil.copy(old, path)
    old_shape = expected_shape(probe(path).revision)
    before = all_rows(path, old_shape)
    open_data_file(path).close()
    assert probe(path).revision == SCHEMA_HEAD
    assert all_rows(path, old_shape) == before and sum(map(len, before.values())) > 100
    conn = sqlite3.connect(path)
    try:
        shape = {table: sorted(columns) for table, columns in read_shape(conn).items()}
    finally:
        conn.close()
    assert shape == {table: sorted(columns) for table, columns in expected_shape(SCHEMA_HEAD).items()}


@pytest.mark.parametrize("old", OLD_FILES, ids=lambda p: p.stem)
def test_old_file_is_backed_up_then_upgraded_with_every_record(old, tmp_path):
    path = tmp_path / "old.kjdb"
    shutil.copy(old, path)
    before = live_counts(path)
    backups = []

    def backup(p: Path) -> None:
        copy = tmp_path / f"backup-{len(backups)}.kjdb"
        shutil.copy(p, copy)
        backups.append(copy)

    opened = open_data_file(path, before_upgrade=backup)
    opened.close()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == SCHEMA_HEAD
    conn.close()
    assert live_counts(path) == before and sum(before.values()) > 100
    assert len(backups) == 1 and digest(backups[0]) == digest(old)


@pytest.mark.parametrize("old", OLD_FILES, ids=lambda p: p.stem)
def test_read_only_old_file_is_read_through_an_upgraded_copy(old, tmp_path):
    path = tmp_path / "old-ro.kjdb"
    shutil.copy(old, path)
    os.chmod(path, stat.S_IREAD)
    before = digest(path)
    opened = open_data_file(path)
    try:
        assert opened.read_only
        assert any("旧版本" in n and "原文件未改动" in n for n in opened.notices)
        from kejiju_desktop import fields
        from kejiju_desktop.services import records

        with opened.sessions() as s:
            assert records.count(s, fields.PATENTS, records.Query()) == live_counts(path)["patents"]
    finally:
        opened.close()
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old-ro.kjdb"]


@pytest.mark.parametrize("old", OLD_FILES, ids=lambda p: p.stem)
def test_check_and_report_work_on_a_read_only_old_file(old, tmp_path):
    path = tmp_path / "old-cli.kjdb"
    shutil.copy(old, path)
    os.chmod(path, stat.S_IREAD)
    before = digest(path)
    env = os.environ | {"PYTHONIOENCODING": "utf-8"}
    check = subprocess.run([sys.executable, str(ROOT / "main.py"), "check", "--db", str(path)],
                           capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr
    out = tmp_path / "r.docx"
    report = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "report", "--db", str(path), "--year", "2012", "-o", str(out)],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=120,
    )  # fmt: skip
    assert report.returncode == 0, report.stdout + report.stderr
    assert out.stat().st_size > 10_000
    assert digest(path) == before
