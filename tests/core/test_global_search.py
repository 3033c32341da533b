"""全局搜索 in the core: every kind with a tab searched through the tabs' own search, first rows then counts."""

import pytest

from kejiju_desktop import fields
from kejiju_desktop.services import records
from kejiju_desktop.services.global_search import FIRST_ROWS, count_hits, first_hits, marked_spans


@pytest.fixture
def data(engine_store):
    """Every test here that takes `data` or `session` runs on a data file and on a PostgreSQL server."""
    return engine_store


REQUIRED = {
    "projects": {"level": "县", "apply_year": "2012"},
    "enterprises": {},
    "patents": {"applicant": "个人甲", "filed_on": "2012-03-05", "patent_type": "发明"},
    "awards": {"level": "县", "year": "2012"},
    "events": {"start_on": "2012-05-01"},
}


def add(session, table: str, name: str, **raw):
    entity = fields.ENTITIES[table]
    values = {entity.display_key: name, **REQUIRED[table], **raw}
    return records.save_record(session, entity, values, operator="张三").id


def found(session, words: str) -> dict[str, set[int]]:
    return {kind.table: {hit.record_id for hit in kind.hits} for kind in first_hits(session, words)}


def test_one_search_finds_the_records_of_every_kind_holding_the_words_and_only_those(session):
    wanted = {
        "projects": {add(session, "projects", "永磁电机研发")},
        "enterprises": {add(session, "enterprises", "示范县电机有限公司")},
        "patents": {
            add(session, "patents", "一种电机外壳"),
            add(session, "patents", "一种风扇", applicant="电机厂"),
        },
        "awards": {add(session, "awards", "高效电机")},
        "events": {add(session, "events", "电机技术讲座")},
    }
    add(session, "patents", "一种电池")
    add(session, "projects", "机电一体化")  # 机电 is not 电机
    add(session, "events", "电 机")  # the word's characters apart
    session.flush()
    assert found(session, "电机") == wanted
    assert count_hits(session, "电机", list(wanted)) == {table: len(ids) for table, ids in wanted.items()}
    assert found(session, "电机 外壳") == {"patents": set(wanted["patents"]) - {max(wanted["patents"])}}


def test_a_hit_names_its_record_and_the_other_searched_texts_that_hold_the_word(session):
    add(session, "patents", "一种风扇", applicant="示范县电机厂", inventors="王明")
    session.flush()
    [kind] = first_hits(session, "电机")
    assert kind.table == "patents" and not kind.more
    assert kind.hits[0].name == "一种风扇" and kind.hits[0].details == (("申请人", "示范县电机厂"),)


def test_first_rows_come_newest_first_and_say_there_are_more(session):
    for day in range(1, FIRST_ROWS + 6):
        add(session, "patents", f"一种阀门{day}", filed_on=f"2012-03-{day:02d}")
    session.flush()
    [kind] = first_hits(session, "阀门")
    assert kind.more and len(kind.hits) == FIRST_ROWS
    assert [hit.name for hit in kind.hits[:2]] == [f"一种阀门{FIRST_ROWS + 5}", f"一种阀门{FIRST_ROWS + 4}"]
    assert count_hits(session, "阀门", ["patents"]) == {"patents": FIRST_ROWS + 5}


def test_records_in_the_recycle_bin_are_not_found(session):
    kept = add(session, "awards", "节能技术")
    binned = add(session, "awards", "节能装置")
    records.delete_record(session, fields.AWARDS, binned, operator="张三")
    session.flush()
    assert found(session, "节能") == {"awards": {kept}}


@pytest.mark.parametrize(
    ("word", "named"),
    [
        ("100%", "含量100%的饲料"),
        ("a_b", "a_b型阀门"),
        ("\\", "路径C:\\盘"),
        ('"优质"', '"优质"茶叶'),
        ("’", "王’s工作室"),
    ],
)
def test_a_word_with_quotes_percent_underscore_or_backslash_finds_exactly_the_rows_it_names(
    session, word, named
):
    decoys = ["含量100的饲料", "含量1000饲料", "axb型阀门", "ab型阀门", "路径C:盘", "优质茶叶", "王s工作室"]
    ids = {add(session, "projects", name) for name in decoys}
    wanted = add(session, "projects", named)
    session.flush()
    assert wanted not in ids
    assert found(session, word) == {"projects": {wanted}}


def test_no_words_search_nothing(session):
    add(session, "projects", "任何项目")
    assert first_hits(session, "  ") == []


def test_marked_spans_ignore_case_and_merge_overlaps():
    assert marked_spans("ABC精密abc", "abc") == [(0, 3), (5, 8)]
    assert marked_spans("液压缸 液压", "液压 压缸") == [(0, 3), (4, 6)]
    assert marked_spans("无关", "液压") == []
