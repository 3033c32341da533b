"""Untrusted incoming files: refused with a sentence or harmless, and our file's bytes unchanged."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from db import portable
from db.database import APPLICATION_ID
from kejiju_desktop import cli
from kejiju_desktop.services.portability import merge as merge_service
from tests.core.merge_helpers import live, merge, office_file, save


def _hash(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def offices(tmp_path):
    ours = office_file(tmp_path, "本科室")
    save(ours, "events", {"name": "本方活动", "start_on": "2012-05-20"})
    theirs = office_file(tmp_path, "外来科室")
    save(theirs, "events", {"name": "对方活动", "start_on": "2012-06-01"})
    return ours, theirs


def _sql(path, *statements) -> None:
    conn = sqlite3.connect(path)
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()


def _refused(ours, other, capsys, expect: str) -> None:
    before = _hash(ours)
    assert cli.main(["merge", "--db", str(ours), str(other)]) == cli.EXIT_PROBLEMS
    assert expect in capsys.readouterr().err
    assert _hash(ours) == before


def test_trigger_in_incoming_file_never_runs(offices, capsys):
    ours, theirs = offices
    _sql(
        theirs,
        "CREATE TRIGGER wipe AFTER UPDATE ON settings BEGIN DELETE FROM events; END",
        "CREATE TRIGGER wipe2 AFTER INSERT ON merge_marks BEGIN DELETE FROM events; END",
        "CREATE TRIGGER wipe3 AFTER INSERT ON change_log BEGIN DELETE FROM events; END",
    )
    their_bytes = _hash(theirs)
    assert cli.main(["merge", "--db", str(ours), str(theirs)]) == cli.EXIT_OK
    assert sorted(live(ours, "events").values()) == ["对方活动", "本方活动"]
    assert _hash(theirs) == their_bytes
    conn = sqlite3.connect(ours)
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('trigger', 'view')")]
    conn.close()
    assert not any(name.startswith("wipe") for name in names)


def test_view_posing_as_a_table_is_refused(offices, capsys):
    ours, theirs = offices
    _sql(
        theirs, "ALTER TABLE events RENAME TO events_real", "CREATE VIEW events AS SELECT * FROM events_real"
    )
    _refused(ours, theirs, capsys, "结构")


def test_newer_schema_is_refused(offices, capsys):
    ours, theirs = offices
    _sql(theirs, "UPDATE alembic_version SET version_num='9999_future'")
    _refused(ours, theirs, capsys, "更新版本")


def test_foreign_sqlite_file_is_refused(offices, tmp_path, capsys):
    ours, _ = offices
    other = tmp_path / "other.db"
    _sql(other, "CREATE TABLE t(x)")
    _refused(ours, other, capsys, "其他程序")


def test_damaged_file_is_refused(offices, capsys):
    ours, theirs = offices
    raw = bytearray(theirs.read_bytes())
    theirs.write_bytes(bytes(raw[: len(raw) // 2]))
    _refused(ours, theirs, capsys, "损坏")


def test_not_a_database_is_refused(offices, tmp_path, capsys):
    ours, _ = offices
    other = tmp_path / "photo.kjdb"
    other.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    _refused(ours, other, capsys, "不是本程序的数据文件")


def test_garbage_values_are_refused_not_crashed_on(offices, capsys):
    ours, theirs = offices
    _sql(theirs, "UPDATE events SET start_on='not a date'")
    _refused(ours, theirs, capsys, "数据格式不对")


def test_merging_a_file_into_itself_is_refused(offices, capsys):
    ours, _ = offices
    _refused(ours, ours, capsys, "自己")


def _downgrade(path, revision: str) -> None:
    """Make a real file of an older schema, as an older program would have left it."""
    from alembic import command

    from db.engine import make_engine
    from db.migrate import alembic_config

    engine = make_engine(path)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
        conn.commit()
    engine.dispose()


def test_older_schema_is_read_from_an_upgraded_temporary_copy(offices):
    ours, theirs = offices
    _downgrade(theirs, "0001_initial")
    _sql(theirs, "CREATE TRIGGER wipe AFTER UPDATE ON alembic_version BEGIN DELETE FROM events; END")
    before = _hash(theirs)
    incoming = portable.open_untrusted(theirs)
    try:
        assert incoming.upgraded_copy is not None and incoming.upgraded_copy.exists()
        copy = incoming.upgraded_copy
    finally:
        incoming.close()
    assert not copy.exists()
    assert _hash(theirs) == before
    merge(ours, theirs)
    assert "对方活动" in live(ours, "events").values()


def test_application_id_alone_does_not_make_a_file_ours(offices, tmp_path, capsys):
    ours, _ = offices
    other = tmp_path / "fake.kjdb"
    _sql(other, f"PRAGMA application_id={APPLICATION_ID}", "CREATE TABLE events(x)")
    _refused(ours, other, capsys, "")
    with pytest.raises(merge_service.MergeRefused):
        merge_service.open_incoming(ours, other)
