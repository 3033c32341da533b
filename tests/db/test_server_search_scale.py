"""How a server searches by how common the words are: a word in many rows is found by LIKE walking the sort
order (the token table's matches would all be looked up first), a rare one through the token table; and a
word without case, searched with plain LIKE, leaves the next search folding case as before."""

from sqlalchemy import create_engine, insert, text

from db import search
from db.models import Patent, new_uid
from kejiju_desktop import fields
from kejiju_desktop.services import records
from kejiju_desktop.services.records import Query

COMMON = 2_500  # past search.DENSE_MIN: more rows than the token table's matches are looked up for
# Past SERVER_DENSE_MIN, in fewer than half the rows: a planner multiplying its bigrams' shares reckons it rare.
WIDESPREAD, OTHERS = 2_300, 2_500


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


def _vacuumed(store) -> None:
    """What autovacuum does in time: the statistics, and the pages marked all-visible for index-only scans."""
    engine = create_engine(store.engine.url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql("VACUUM (ANALYZE) patents, patents_words")
    engine.dispose()


def test_a_three_character_word_in_many_rows_is_walked_not_taken_for_rare(pg_store):
    _add_patents(
        pg_store, [f"压力传感器{n:04d}" for n in range(WIDESPREAD)] + [f"阀门{n}" for n in range(OTHERS)]
    )
    with pg_store.sessions.begin() as session:
        assert search.sync(session.connection(), "patents")
    _vacuumed(pg_store)
    with pg_store.sessions.begin() as session:
        found = search.candidates(session.connection(), "patents", Patent.id, "传感器")
        page = records.list_page(session, fields.PATENTS, Query(search="传感器", sort="title"), 0, 200)
    assert found is None  # 传感 and 感器 are each in 2,300 rows, so both are: not 2,300 × 2,300 / 4,800
    assert [_title(row) for row in page] == [f"压力传感器{n:04d}" for n in range(200)]


def test_a_search_page_on_a_server_finds_its_ids_in_the_walk_index_alone(pg_store):
    _add_patents(
        pg_store, [f"一种液压缸{n:04d}" for n in range(COMMON)] + [f"阀门{n}" for n in range(COMMON)]
    )
    _vacuumed(pg_store)
    with pg_store.sessions.begin() as session:
        statement = records.query._searched_page(session, fields.PATENTS, Query(search="液压"), 0, 200)
        sql = statement.compile(session.bind, compile_kwargs={"literal_binds": True})
        plan = "\n".join(row[0] for row in session.execute(text(f"EXPLAIN {sql}")))
        page = records.list_page(session, fields.PATENTS, Query(search="液压", descending=True), 0, 3)
    assert "Index Only Scan" in plan and "patents_search_walk" in plan
    assert [_title(row) for row in page] == [
        f"一种液压缸{n:04d}" for n in (COMMON - 1, COMMON - 2, COMMON - 3)
    ]


def test_a_patent_too_long_for_the_walk_index_is_saved_and_found_in_its_place(pg_store):
    rare = "".join(
        chr(0x20000 + n) for n in range(290)
    )  # 4 bytes each: the searched columns pass 2,704 bytes
    long_patent = {"uid": new_uid(), "title": f"液压{rare}", "inventors": rare[:300], "applicant": rare[:200]}
    with pg_store.writer() as session:
        session.execute(
            insert(Patent), [{"uid": new_uid(), "title": f"一种液压缸{n:04d}"} for n in range(COMMON)]
        )
        session.execute(
            insert(Patent), [long_patent]
        )  # the last id: last in the first sort order, first reversed
    _vacuumed(pg_store)
    with pg_store.sessions.begin() as session:
        first = records.list_page(session, fields.PATENTS, Query(search="液压", descending=True), 0, 2)
        counted = records.count(session, fields.PATENTS, Query(search="液压"))
    assert [_title(row) for row in first] == [long_patent["title"], f"一种液压缸{COMMON - 1:04d}"]
    assert counted == COMMON + 1
