"""工作台 edge cases found in review: records whose unit is in the recycle bin."""

import datetime as dt

import pytest

from kejiju_desktop import fields, messages
from kejiju_desktop.services import records, workbench


@pytest.fixture
def data(engine_store):
    """Every test here that takes `data` or `session` runs on a data file and on a PostgreSQL server."""
    return engine_store


TODAY = dt.date(2013, 6, 30)


def save(session, entity, **raw):
    return records.save_record(session, entity, raw, operator="测试", confirm_warnings=True).id


def test_certificates_of_a_unit_in_the_bin_are_no_suspected_duplicates(session):
    binned = save(session, fields.ENTERPRISES, name="回收站单位")
    live = save(session, fields.ENTERPRISES, name="在用单位")
    twins = {}
    for unit in (binned, live):
        twins[unit] = [
            save(
                session,
                fields.QUALIFICATIONS,
                unit_id=unit,
                category="科技型中小企业",
                level="省",
                year=2012,
                status="申报中",
            )  # fmt: skip
            for _ in range(2)
        ]
    records.delete_record(session, fields.ENTERPRISES, binned)
    bench = workbench.gather(session, TODAY, 90)
    label = messages.WORKBENCH_DUPLICATES.format(entity=fields.QUALIFICATIONS.label)
    item = next(item for item in bench.items if item.label == label)
    # The unit in the bin cannot be opened in the 企业 tab: its certificates wait with it.
    assert item.ids == tuple(twins[live]) and item.open_ids == (live,)
