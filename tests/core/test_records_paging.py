"""Pages deep in a long list (picked through the sort index first) join up with the first ones."""

import datetime as dt

import pytest
from sqlalchemy import insert, select

from db.models import Patent
from kejiju_desktop import fields
from kejiju_desktop.services import records
from kejiju_desktop.services.records import DEEP_OFFSET, Query
from kejiju_desktop.sorting import sort_key_for

TITLES = ("一种阀门", "阿胶制备方法", "中药提取装置", "北方节能灯", "一种阀门")


@pytest.fixture
def session(engine_session):
    """Every test here runs on a data file and on a PostgreSQL server."""
    return engine_session


def _many_patents(session, n):
    rows = []
    for i in range(n):
        title = f"{TITLES[i % len(TITLES)]}{i % 7}"
        rows.append({
            "uid": f"u{i}", "title": title, "title_sort": sort_key_for(title), "patent_type": "发明",
            "applicant": f"申请人{i % 13}", "filed_on": dt.date(2012, 1, 1) + dt.timedelta(days=i % 50),
            "deleted_at": dt.datetime(2013, 1, 1) if i % 97 == 0 else None,
        })  # fmt: skip
    session.execute(insert(Patent), rows)


def test_deep_pages_continue_the_first_ones_in_every_order(session):
    total = DEEP_OFFSET + 300
    _many_patents(session, total + total // 96)
    for sort, descending in (
        ("filed_on", True),
        ("title", False),
        ("applicant", True),
        ("patent_type", False),
    ):
        query = Query(sort=sort, descending=descending)
        whole = records.list_page(session, fields.PATENTS, query, 0, 10_000)
        paged = []
        for offset in range(0, len(whole), 200):
            paged += records.list_page(session, fields.PATENTS, query, offset, 200)
        assert [row[0] for row in paged] == [row[0] for row in whole]
        assert len(whole) == records.count(session, fields.PATENTS, query) > DEEP_OFFSET


def test_position_of_a_record_is_its_place_in_the_pages(session):
    _many_patents(session, 600)
    for query in (
        Query(sort="filed_on", descending=True),
        Query(sort="title"),
        Query(search="阀门", sort="title"),
    ):
        ids = [row[0] for row in records.list_page(session, fields.PATENTS, query, 0, 10_000)]
        for place in (0, 1, len(ids) // 2, len(ids) - 1):
            assert records.position_of(session, fields.PATENTS, query, ids[place]) == place
    binned = session.scalar(select(Patent.id).where(Patent.deleted_at.is_not(None)))
    assert records.position_of(session, fields.PATENTS, Query(), binned) is None
    other = session.scalar(select(Patent.id).where(Patent.title.not_like("%阀门%")))
    assert records.position_of(session, fields.PATENTS, Query(search="阀门"), other) is None
