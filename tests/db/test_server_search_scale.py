"""How a server searches by how common the words are: a word in many rows is found by LIKE walking the sort
order (the token table's matches would all be looked up first), a rare one through the token table; and a
word without case, searched with plain LIKE, leaves the next search folding case as before."""

from sqlalchemy import insert

from db import search
from db.models import Patent, new_uid
from kejiju_desktop import fields
from kejiju_desktop.services import records
from kejiju_desktop.services.records import Query

COMMON = 2_500  # past search.DENSE_MIN: more rows than the token table's matches are looked up for


def _title(row) -> str:
    return row[1 + [spec.key for spec in fields.PATENTS.fields].index("title")]


def _add_patents(store, titles: list[str]) -> None:
    with store.writer() as session:
        session.execute(insert(Patent), [{"uid": new_uid(), "title": title} for title in titles])


def test_a_word_in_many_rows_is_left_to_like_and_a_rare_one_goes_through_the_token_table(pg_store):
    _add_patents(pg_store, [f"一种液压缸{number:04d}" for number in range(COMMON)] + ["量子纠缠装置"] * 3)
    with pg_store.sessions.begin() as session:
        conn = session.connection()
        assert search.sync(conn, "patents")  # indexes the rows and gathers the tokens' statistics
        common = search.candidates(conn, "patents", Patent.id, "液压")
        rare = search.candidates(conn, "patents", Patent.id, "量子纠缠")
        counted = records.count(session, fields.PATENTS, Query(search="液压"))
        page = records.list_page(session, fields.PATENTS, Query(search="液压", sort="title"), 0, 200)
        found = records.count(session, fields.PATENTS, Query(search="量子纠缠"))
    assert common is None
    assert rare is not None
    assert counted == COMMON
    assert [_title(row) for row in page] == [f"一种液压缸{number:04d}" for number in range(200)]
    assert found == 3


def test_a_search_without_case_leaves_the_next_one_folding_case(engine_store):
    _add_patents(engine_store, ["ABC阀门", "2012型液压缸"])
    with engine_store.sessions.begin() as session:  # digits and letters: the same type of SQL literal
        first = records.list_page(session, fields.PATENTS, Query(search="2012"), 0, 10)
        second = records.list_page(session, fields.PATENTS, Query(search="abc"), 0, 10)
        counted = records.count(session, fields.PATENTS, Query(search="aBc"))
    assert [_title(row) for row in first] == ["2012型液压缸"]
    assert [_title(row) for row in second] == ["ABC阀门"]
    assert counted == 1
