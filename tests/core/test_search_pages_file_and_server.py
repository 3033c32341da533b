"""A search on a server answers the rows a data file answers, in the same order: every sort in both
directions (ties, empty values), deep pages, years, choices, the recycle bin, words with case, quotes, %, _
and \\, rows too long for the server's walk index, and rows changed after the server's last VACUUM."""

import datetime as dt

import pytest
from sqlalchemy import create_engine, insert, update

from db import search
from db.models import Patent
from kejiju_desktop import fields
from kejiju_desktop.services import records
from kejiju_desktop.services.portability import server_move
from kejiju_desktop.services.records import DEEP_OFFSET, Query
from kejiju_desktop.sorting import sort_key_for

ROWS = 3_300  # 液压 in two rows of three: past search.SERVER_DENSE_MIN, so a server walks its walk index
LONG = "".join(chr(0x20000 + n) for n in range(290))  # 4 bytes each: past the walk index's entry
WORDS = ("液压", "ABC", "abc", "50%", "a_b", "\\", "'", '"', "液压 abc")
# Not by 发明人, which some rows leave empty: a server puts empty values last going up, a file first (the
# review's report); every other column is filled, ties and all.
SORTS = [spec.key for spec in fields.PATENTS.fields if spec.in_table and spec.key != "inventors"]


def _title(number: int) -> str:
    odd = ("ABC型", "abc", "50%", "a_b", "c\\d", "O'Neil", '"引号"', "", "5000")[number % 9]
    return f"一种液压缸{odd}{number % 11}" if number % 3 else f"阀门{odd}{number % 5}"


def _row(number: int) -> dict:
    long = number % 401 == 7
    title = f"液压{LONG}" if long else _title(number)
    return {
        "id": number + 1, "uid": f"u{number}", "title": title, "title_sort": sort_key_for(title),
        "app_no": f"CN2012{number % 300:05d}",
        "patent_type": fields.PATENT_TYPES[number % len(fields.PATENT_TYPES)],
        "applicant": LONG[:200] if long else f"申请人{number % 13}",
        "applicant_type": fields.APPLICANT_TYPES[number % 3],
        "filed_on": dt.date(2011, 1, 1) + dt.timedelta(days=(number % 60) * 9),
        "granted_on": dt.date(2014, 1, 1) + dt.timedelta(days=number % 23),
        "legal_status": fields.PATENT_STATES[number % len(fields.PATENT_STATES)],
        "inventors": LONG[:300] if long else (None if number % 7 == 0 else f"发明人{number % 19}"),
        "deleted_at": dt.datetime(2013, 1, 1) if number % 97 == 0 else None,
    }  # fmt: skip


@pytest.fixture
def stores(data, pg_store):
    """A data file and a server holding the same patents (the same ids)."""
    rows = [_row(number) for number in range(ROWS)]
    for store in (data, pg_store):
        with store.writer() as session:
            session.execute(insert(Patent), rows)
    _vacuum(pg_store)
    with pg_store.sessions.begin() as session:
        assert search.candidates(session.connection(), "patents", Patent.id, "液压") is None  # walked
    return data, pg_store


def _vacuum(store) -> None:
    """What autovacuum does in time: statistics, and pages marked all-visible (index-only scans)."""
    engine = create_engine(store.engine.url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql("VACUUM (ANALYZE) patents")
    engine.dispose()


def _pages(store, query: Query) -> tuple[list, list, list]:
    """The whole list, a page past DEEP_OFFSET, and each listed row's position (a sample of them)."""
    with store.sessions.begin() as session:
        whole = records.list_page(session, fields.PATENTS, query, 0, 10_000)
        deep = records.list_page(session, fields.PATENTS, query, DEEP_OFFSET + 100, 50)
        ids = [row[0] for row in whole]
        places = [records.position_of(session, fields.PATENTS, query, ids[n]) for n in range(0, len(ids), 97)]
    return whole, deep, places


def _assert_alike(stores, query: Query) -> None:
    file_pages, server_pages = (_pages(store, query) for store in stores)
    file_ids, server_ids = ([row[0] for row in pages[0]] for pages in (file_pages, server_pages))
    assert server_ids == file_ids, query
    assert server_pages == file_pages, query
    whole, deep, places = server_pages
    assert deep == whole[DEEP_OFFSET + 100 : DEEP_OFFSET + 150], query
    assert places == list(range(0, len(whole), 97)), query


@pytest.mark.parametrize("sort", SORTS)
def test_every_sort_of_a_search_is_the_files_on_a_server(stores, sort):
    for descending in (False, True):
        _assert_alike(stores, Query(search="液压", sort=sort, descending=descending))


@pytest.mark.parametrize("words", WORDS)
def test_every_kind_of_word_finds_the_files_rows_on_a_server(stores, words):
    for sort, descending in (("filed_on", True), ("filed_on", False), ("title", False)):
        _assert_alike(stores, Query(search=words, sort=sort, descending=descending))


def test_years_choices_and_the_recycle_bin_on_a_server_are_the_files(stores):
    for query in (
        Query(search="液压", year=2011, descending=True),
        Query(search="液压", filters={"patent_type": fields.PATENT_TYPES[0]}, descending=True),
        Query(search="液压", filters={"applicant_type": fields.APPLICANT_TYPES[1]}, sort="title"),
        Query(search="液压", deleted=True, descending=True),
        Query(search="阀门", deleted=True, sort="applicant"),
    ):
        _assert_alike(stores, query)


def test_rows_changed_after_the_servers_vacuum_are_found_as_in_the_file(stores):
    for store in stores:
        with store.writer() as session:
            session.execute(
                update(Patent).where(Patent.id % 10 == 3).values(title="阀门改", title_sort="fa men")
            )
            session.execute(
                update(Patent).where(Patent.id % 10 == 4).values(title="液压改", title_sort="ye ya")
            )
            session.execute(update(Patent).where(Patent.id % 50 == 5).values(inventors=LONG[:300]))
            session.execute(
                update(Patent).where(Patent.id % 13 == 6).values(deleted_at=dt.datetime(2014, 2, 2))
            )
            session.execute(update(Patent).where(Patent.id % 401 == 8).values(title="液压短", inventors=None))
    for query in (
        Query(search="液压", descending=True),
        Query(search="液压"),
        Query(search="液压", deleted=True),
    ):
        _assert_alike(stores, query)


def test_a_300_character_title_is_saved_and_sorted_on_either_engine(engine_store):
    title = ("一种用于高温高压环境下液压缸的密封结构" * 16)[:300]  # its syllables: some 1,500 characters
    rows = [{"title": title, "patent_type": fields.PATENT_TYPES[0], "applicant": "某公司"}]
    rows.append({**rows[0], "title": "阿胶制备方法"})
    with engine_store.writer() as session:
        for row in rows:
            records.save_record(
                session, fields.PATENTS, {**row, "filed_on": "2020-01-01"}, confirm_warnings=True
            )
    with engine_store.sessions.begin() as session:
        found = records.list_page(session, fields.PATENTS, Query(search="液压缸", sort="title"), 0, 10)
        listed = records.list_page(session, fields.PATENTS, Query(sort="title", descending=True), 0, 10)
    assert [row[2] for row in found] == [title]
    assert [row[2] for row in listed] == [title, "阿胶制备方法"]  # yi before a, going down


def test_a_file_with_a_300_character_title_moves_to_a_server(data, db_file, pg_store):
    title = ("一种用于高温高压环境下液压缸的密封结构" * 16)[:300]
    row = {
        "title": title,
        "patent_type": fields.PATENT_TYPES[0],
        "applicant": "某公司",
        "filed_on": "2020-01-01",
    }
    with data.writer() as session:
        records.save_record(session, fields.PATENTS, row, confirm_warnings=True)
    data.close()
    server_move.move_file(pg_store, db_file)
    with pg_store.sessions.begin() as session:
        found = records.list_page(session, fields.PATENTS, Query(search="密封结构", sort="title"), 0, 10)
    assert [row[2] for row in found] == [title]
