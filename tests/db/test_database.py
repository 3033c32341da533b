"""Creating and opening data files: pragmas, migrations, hostile files, read-only, lock file."""

import hashlib
import os
import shutil
import sqlite3
import stat

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from db import database, search
from db.database import (
    APPLICATION_ID,
    DamagedFileError,
    FileMissingError,
    ForeignFileError,
    NewerVersionError,
    NotSQLiteError,
    create_data_file,
    open_data_file,
    probe,
)
from db.lock import lock_path_for
from db.migrate import script_revisions, upgrade_to_head
from db.models import Base
from db.schema import KNOWN_REVISIONS, SCHEMA_HEAD

PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_file_carries_our_id_and_the_head_revision(db_file):
    conn = sqlite3.connect(db_file)
    try:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == SCHEMA_HEAD
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        conn.close()


def test_connections_have_the_pragmas_of_the_design(data):
    with data.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA trusted_schema").scalar() == 0
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"


def test_known_revisions_match_the_migration_scripts():
    assert tuple(script_revisions()) == KNOWN_REVISIONS


def test_empty_database_migrates_to_head_and_matches_the_models(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    upgrade_to_head(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": search.include_name})
        diffs = compare_metadata(context, Base.metadata)
        tables = set(inspect(conn).get_table_names())
    engine.dispose()
    assert diffs == []
    assert {"enterprises", "qualifications", "projects", "patents", "awards", "events", "targets"} <= tables
    assert {"settings", "report_drafts", "report_sections", "change_log", "merge_marks"} <= tables


def test_create_refuses_to_overwrite(db_file):
    before = digest(db_file)
    with pytest.raises(database.CannotWriteError, match="已存在"):
        create_data_file(db_file)
    assert digest(db_file) == before


def _make_truncated(tmp_path, demo_file):
    path = tmp_path / "truncated.kjdb"
    data = demo_file.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path


def _make_foreign(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts(name TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('张三')")
    conn.commit()
    conn.close()
    return path


def _make_newer(tmp_path, db_file):
    path = tmp_path / "newer.kjdb"
    shutil.copy(db_file, path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num='9999_future'")
    conn.commit()
    conn.close()
    return path


HOSTILE = {
    "empty": (lambda tmp, db, demo: (tmp / "empty.kjdb", b""), NotSQLiteError, "空文件"),
    "random": (lambda tmp, db, demo: (tmp / "random.kjdb", os.urandom(4096)), NotSQLiteError, "不是本程序"),
    "png": (lambda tmp, db, demo: (tmp / "picture.kjdb", PNG_HEADER), NotSQLiteError, "不是本程序"),
}


def hostile_file(kind, tmp_path, db_file, demo_file):
    if kind in HOSTILE:
        path, content = HOSTILE[kind][0](tmp_path, db_file, demo_file)
        path.write_bytes(content)
        return path
    return {
        "truncated": lambda: _make_truncated(tmp_path, demo_file),
        "foreign": lambda: _make_foreign(tmp_path),
        "newer": lambda: _make_newer(tmp_path, db_file),
    }[kind]()


EXPECTED = {
    "empty": (NotSQLiteError, "空文件"),
    "random": (NotSQLiteError, "不是本程序的数据文件"),
    "png": (NotSQLiteError, "不是本程序的数据文件"),
    "truncated": (DamagedFileError, "已损坏"),
    "foreign": (ForeignFileError, "其他程序"),
    "newer": (NewerVersionError, "更新版本"),
}


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_hostile_file_is_refused_with_its_own_sentence_and_left_unchanged(kind, tmp_path, db_file, demo_file):
    path = hostile_file(kind, tmp_path, db_file, demo_file)
    before = digest(path)
    error_type, fragment = EXPECTED[kind]
    with pytest.raises(error_type) as info:
        open_data_file(path)
    assert fragment in info.value.message
    assert type(info.value) is error_type
    assert digest(path) == before
    assert not lock_path_for(path).exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(path.name)) == [path.name]


def test_truncated_file_points_to_restoring_a_backup(tmp_path, demo_file):
    path = _make_truncated(tmp_path, demo_file)
    with pytest.raises(DamagedFileError, match="恢复备份"):
        probe(path, full_check=True)


def test_missing_file(tmp_path):
    with pytest.raises(FileMissingError, match="找不到"):
        open_data_file(tmp_path / "nothing.kjdb")


def test_read_only_copy_opens_read_only_with_a_notice(tmp_path, db_file):
    path = tmp_path / "ro.kjdb"
    shutil.copy(db_file, path)
    os.chmod(path, stat.S_IREAD)
    before = digest(path)
    opened = open_data_file(path)
    try:
        assert opened.read_only
        assert any("只读" in n for n in opened.notices)
        with opened.sessions() as s:
            assert s.execute(Base.metadata.tables["settings"].select()).first() is not None
    finally:
        opened.close()
    assert digest(path) == before
    assert not lock_path_for(path).exists()


def _write_a_setting(opened, value: str, *, commit: bool = True) -> None:
    with opened.writer() as s:
        s.execute(Base.metadata.tables["settings"].insert().values(key="test", value=value))
        if not commit:
            s.rollback()


def test_unclean_close_is_detected_and_cleared(db_file):
    opened = open_data_file(db_file)
    _write_a_setting(opened, "1")
    assert not probe(db_file).clean_close  # written, open and not yet closed
    opened.close()
    assert probe(db_file).clean_close


def test_opening_and_closing_without_a_write_leaves_the_file_byte_for_byte(db_file):
    before = digest(db_file)
    opened = open_data_file(db_file)
    assert probe(db_file).clean_close  # nothing written yet: nothing to check after a crash
    _write_a_setting(opened, "rolled back", commit=False)
    opened.close()
    assert digest(db_file) == before


def test_a_server_at_head_matches_the_models_but_for_its_search_index(pg_store):
    with pg_store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": search.include_name})
        diffs = compare_metadata(context, Base.metadata)
    assert diffs == []  # the word tables and walk indexes are kept by hand, as a file's FTS5 tables are
