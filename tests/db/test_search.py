"""The word search index: kept current under trusted_schema=OFF, built on upgrade, LIKE when it cannot help."""

import shutil
import sqlite3
import time
from pathlib import Path

from sqlalchemy import text

from db import search
from db.database import open_data_file
from db.schema import SCHEMA_HEAD
from kejiju_desktop import fields, validation
from kejiju_desktop.services import records
from kejiju_desktop.services.records import Query

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "data"


def _patent(session, title, serial, applicant="四星液压有限公司"):
    return records.save_record(
        session,
        fields.PATENTS,
        {"app_no": validation.make_app_no(2012, 1, serial), "title": title, "applicant": applicant,
         "filed_on": "2012-03-05"},
    )  # fmt: skip


def _titles(session, words):
    return sorted(row[2] for row in records.list_page(session, fields.PATENTS, Query(search=words), 0, 50))


def test_indexed_columns_are_the_searchable_fields():
    for table in fields.TAB_TABLES:
        entity = fields.ENTITIES[table]
        assert search.INDEXED[table] == tuple(f.key for f in entity.search_fields if f.kind != fields.UNIT)


def test_a_servers_walked_order_is_each_lists_first_sort():
    for table in fields.TAB_TABLES:
        entity = fields.ENTITIES[table]
        sort = entity.field(entity.default_sort)
        assert search.WALKED[table] == (sort.sort_key or sort.key)


def test_index_answers_long_short_and_single_character_words(data):
    with data.sessions.begin() as s:
        _patent(s, "一种液压缸", 1)
        _patent(s, "节能灯控制系统", 2, applicant="北方照明")
        _patent(s, "缸体", 3, applicant="北方照明")
    with data.sessions.begin() as s:
        assert _titles(s, "液压缸") == ["一种液压缸"]
        assert _titles(s, "液压") == ["一种液压缸"]
        assert _titles(s, "系统") == ["节能灯控制系统"]
        assert _titles(s, "缸") == ["一种液压缸", "缸体"]
        assert _titles(s, "北方 缸") == ["缸体"]
        assert _titles(s, "灯控") == ["节能灯控制系统"]
        assert _titles(s, "缸北方") == []  # words never match across two fields
        queued = s.connection().exec_driver_sql("SELECT count(*) FROM search_queue WHERE tbl='patents'")
        assert queued.scalar() == 0


def test_index_follows_edits_deletes_and_purges(data):
    with data.sessions.begin() as s:
        first = _patent(s, "一种液压缸", 1).id
        _patent(s, "阀门", 2, applicant="南方阀门")
        assert _titles(s, "液压缸") == ["一种液压缸"]
    with data.sessions.begin() as s:
        records.save_record(s, fields.PATENTS, {"title": "一种输送机"}, record_id=first)
        records.save_record(s, fields.PATENTS, {"title": "一种皮带输送机"}, record_id=first)
    with data.sessions.begin() as s:
        assert _titles(s, "液压缸") == []
        assert _titles(s, "皮带") == ["一种皮带输送机"]
        s.connection().exec_driver_sql("DELETE FROM patents WHERE title='阀门'")
        assert _titles(s, "阀门") == []
        s.connection().exec_driver_sql(
            "INSERT INTO patents_search(patents_search) VALUES ('integrity-check')"
        )


def test_connections_keep_trusted_schema_off_while_the_index_is_kept(data):
    with data.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA trusted_schema").scalar() == 0
    with data.sessions.begin() as s:
        _patent(s, "一种液压缸", 1)  # the triggers run with trusted_schema=OFF
        assert _titles(s, "液压") == ["一种液压缸"]


def test_wildcards_and_punctuation_fall_back_to_like(data):
    with data.sessions.begin() as s:
        _patent(s, "含100%_纯度", 1)
        _patent(s, "含100克", 2)
        assert _titles(s, "%") == ["含100%_纯度"]
        assert _titles(s, "100%") == ["含100%_纯度"]
        assert sorted(_titles(s, "100")) == ["含100%_纯度", "含100克"]


def test_read_only_file_with_pending_changes_searches_with_like(db_file):
    opened = open_data_file(db_file)
    with opened.sessions.begin() as s:
        _patent(s, "一种液压缸", 1)
    opened.close()
    reader = open_data_file(db_file, read_only=True)
    try:
        with reader.sessions.begin() as s:
            assert _titles(s, "液压") == ["一种液压缸"]
    finally:
        reader.close()


def test_upgrading_a_0001_file_builds_the_index(tmp_path):
    path = tmp_path / "old.kjdb"
    shutil.copyfile(FIXTURES / "v0001.kjdb", path)  # a file frozen at schema 0001
    conn = sqlite3.connect(path)
    expected = sorted(r[0] for r in conn.execute("SELECT title FROM patents WHERE title LIKE '%控制系统%'"))
    conn.close()
    opened = open_data_file(path)
    try:
        with opened.sessions.begin() as s:
            version = s.execute(text("SELECT version_num FROM alembic_version")).scalar()
            assert version == SCHEMA_HEAD
            assert search.has_index(s.connection(), "patents")
            assert _titles(s, "控制系统") == expected and len(expected) == 2
    finally:
        opened.close()


def test_merging_another_offices_file_keeps_the_index_whole(tmp_path, db_file):
    from db.database import create_data_file
    from kejiju_desktop.services.portability import merge

    other = tmp_path / "其他科室.kjdb"
    create_data_file(other)
    theirs = open_data_file(other)
    with theirs.sessions.begin() as s:
        _patent(s, "一种量子计算装置", 9, applicant="北方研究院")
    theirs.close()
    ours = open_data_file(db_file)
    try:
        with ours.sessions.begin() as s:
            _patent(s, "一种液压缸", 1)
            assert _titles(s, "液压") == ["一种液压缸"]  # our index is current before the merge
        merge.merge(ours, merge.plan_files(ours, other))
        with ours.sessions.begin() as s:
            assert _titles(s, "量子") == ["一种量子计算装置"]
            assert _titles(s, "北方") == ["一种量子计算装置"]
            s.connection().exec_driver_sql(
                "INSERT INTO patents_search(patents_search) VALUES ('integrity-check')"
            )
    finally:
        ours.close()


def test_checking_the_index_beside_a_long_queue_takes_well_under_a_second_per_ten_thousand_rows(db_file):
    # An import of 30,000 patents leaves 30,000 queued changes until the next search: `check` took 42 s,
    # because each row looked for itself in the queue by a scan of the table's whole queue.
    conn = sqlite3.connect(db_file)
    with conn:
        conn.executemany(
            "INSERT INTO patents (title, patent_type, applicant, filed_on, uid, created_at, updated_at,"
            " updated_by, confirmed_warnings) VALUES (?, '发明', '四星液压', '2012-01-01', ?, 0, 0, '', '')",
            [(f"一种装置{i}", f"uid-{i}") for i in range(20_000)],
        )
    conn.close()
    data = open_data_file(db_file, read_only=True, take_lock=False)
    try:
        with data.engine.connect() as connection:
            started = time.perf_counter()
            assert search.index_problems(connection) == {}
            assert time.perf_counter() - started < 3
    finally:
        data.close()
