"""Search pages and counts equal a plain filter over the rows, whichever way the index answers a word."""

import datetime as dt
import random
import shutil

import pytest
from sqlalchemy import insert, select

from db import search
from db.database import open_data_file
from db.models import Patent
from kejiju_desktop import fields
from kejiju_desktop.services import records
from kejiju_desktop.services.records import Query
from kejiju_desktop.sorting import sort_key_for

ROWS = 5000
WORDS = ("传感器", "液压缸", "过滤器", "散热器", "阀门", "茶叶", "模具", "饲料")
WEIGHTS = (22, 12, 3, 3, 15, 15, 15, 15)  # 传感器 and 器 reach deep pages, 器 in under 30% of rows
SEARCHED = ("传感器", "量子纠缠", "液压", "器", "一种", "abc", "液压 abc", "一种 器")
SEARCHED_COLUMNS = ("app_no", "title", "applicant", "inventors")
ORDERS = [(spec.key, down) for spec in fields.PATENTS.table_fields for down in (False, True)]


def _rows() -> list[dict]:
    rng = random.Random(10)
    rows = []
    for i in range(ROWS):
        word = "量子纠缠" if i % 1000 == 3 else rng.choices(WORDS, WEIGHTS)[0]
        title = ("一种" if rng.random() < 0.9 else "新型") + word
        applicant = rng.choice(("Abc精密有限公司", "ABC机械", "北方液压", "南方照明", "东海电子", "西山茶业"))
        rows.append({
            "uid": f"u{i}", "title": title, "title_sort": sort_key_for(title), "patent_type": "发明",
            "applicant": applicant if rng.random() < 0.5 else f"申请人{i % 37}", "inventors": "王明",
            "filed_on": dt.date(2012, 1, 1) + dt.timedelta(days=rng.randrange(400)),
            "deleted_at": dt.datetime(2013, 1, 1) if i % 41 == 0 else None,
        })  # fmt: skip
    return rows


@pytest.fixture(scope="module")
def built(tmp_path_factory, empty_template):
    """A file of 5,000 patents, and the ids of its live rows in each order of the table (unsearched)."""
    path = tmp_path_factory.mktemp("many") / "many.kjdb"
    shutil.copyfile(empty_template, path)
    opened = open_data_file(path)
    with opened.sessions.begin() as s:
        s.execute(insert(Patent), _rows())
    with opened.sessions.begin() as s:
        records.prepare_search(s)
        orders = {order: _paged(s, Query(sort=order[0], descending=order[1])) for order in ORDERS}
    yield opened, orders
    opened.close()


@pytest.fixture
def many(built, monkeypatch):
    monkeypatch.setattr(search, "DENSE_MIN", 50)  # 500,000 patents' thresholds would send every word to LIKE
    return built


def _plain_filter(session, words: str) -> set[int]:
    """The live rows holding every word in one of the searched columns (ASCII letters in either case)."""
    columns = [getattr(Patent, key) for key in SEARCHED_COLUMNS]
    found = set()
    for row in session.execute(select(Patent.id, *columns).where(Patent.deleted_at.is_(None))):
        values = [(value or "").lower() for value in row[1:]]
        if all(any(word.lower() in value for value in values) for word in words.split()):
            found.add(row[0])
    return found


def _paged(session, query: Query) -> list[int]:
    ids, offset = [], 0
    while block := records.list_page(session, fields.PATENTS, query, offset, 200):
        ids += [row[0] for row in block]
        offset += len(block)
    return ids


def test_every_way_the_index_answers_is_exercised(many):
    data, _orders = many
    with data.sessions.begin() as s:
        conn, ids = s.connection(), Patent.id
        assert search.candidates(conn, "patents", ids, "量子纠缠").decides  # rare: looked up, sorted
        assert "+" in str(search.candidates(conn, "patents", ids, "传感器").clause)  # common: probed in order
        assert not search.candidates(conn, "patents", ids, "abc").decides  # letters with case: LIKE confirms
        assert search.candidates(conn, "patents", ids, "一种") is None  # in most rows: LIKE alone


@pytest.mark.parametrize("words", SEARCHED)
def test_pages_and_count_equal_a_plain_filter_in_every_order(many, words):
    data, orders = many
    with data.sessions.begin() as s:
        expected = _plain_filter(s, words)
        assert records.count(s, fields.PATENTS, Query(search=words)) == len(expected)
        for (key, descending), unsearched in orders.items():
            paged = _paged(s, Query(search=words, sort=key, descending=descending))
            assert paged == [i for i in unsearched if i in expected], (key, descending)
