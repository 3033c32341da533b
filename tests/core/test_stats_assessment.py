"""The assessment indicators (DESIGN §5, "Every county") against a hand-counted file, and 失效日's checks."""

import datetime as dt
from decimal import Decimal

import pytest

from db.database import open_data_file
from kejiju_desktop import cli, fields, messages
from kejiju_desktop.services import checkup, records, stats
from kejiju_desktop.validation import make_app_no


@pytest.fixture
def data(engine_store):
    """Every test here that takes `data` or `session` runs on a data file and on a PostgreSQL server."""
    return engine_store


def save(session, entity, **raw):
    return records.save_record(session, entity, raw, operator="测试", confirm_warnings=True)


def invention(session, serial, granted=None, lapsed=None, status=None, kind_digit=1):
    raw = {"granted_on": granted, "lapsed_on": lapsed, "legal_status": status}
    return save(session, fields.PATENTS, app_no=make_app_no(2010, kind_digit, serial), title=f"专利{serial}",
                applicant="甲", applicant_type="企业", filed_on="2010-03-01",
                **{k: v for k, v in raw.items() if v})  # fmt: skip


@pytest.fixture
def counted(session):
    """Each patent's comment says in which years' 有效发明专利 it counts."""
    invention(session, 1, "2011-06-01", "2012-03-01", "已失效")  # 2011 only: granted 2011, lapsed in 2012
    invention(session, 2, "2011-09-01", status="已授权")  # 2011, 2012, 2013
    invention(session, 3, "2012-05-01")  # 2012, 2013
    invention(session, 4, "2010-11-01", status="已失效")  # never: 已失效 with no 失效日
    invention(session, 5, "2012-02-01", kind_digit=2)  # never: a 实用新型 (a grant of 2012 all the same)
    invention(session, 6, "2012-12-31", "2013-01-01", "已失效")  # 2012: lapsed after its end
    invention(session, 7, "2012-07-01", "2012-12-31", "已失效")  # never: lapsed on the last day of 2012
    invention(session, 8)  # never: not granted
    gone = invention(session, 9, "2012-01-10")
    records.delete_record(session, fields.PATENTS, gone.id)
    save(session, fields.TARGETS, year=2012, indicator=fields.INDICATOR_POPULATION, actual_value="12.5")
    session.flush()
    return session


def values(session, year):
    return {i.name: i for i in stats.indicators(session, year)}


def test_a_patent_granted_in_one_year_and_lapsed_in_the_next_counts_only_in_the_first(counted):
    assert [stats.patent_figures(counted, y).valid_inventions for y in (2010, 2011, 2012, 2013)] == [
        0,
        2,
        3,
        2,
    ]
    found = values(counted, 2012)[fields.INDICATOR_VALID_INVENTIONS]
    assert (found.value, found.previous, found.change) == (3, 2, Decimal("50.0"))


def test_invention_grants_count_only_inventions_granted_in_the_year(counted):
    found = values(counted, 2012)
    assert found[fields.INDICATOR_PATENT_GRANTS].value == 4
    grants = found[fields.INDICATOR_INVENTION_GRANTS]
    assert (grants.value, grants.previous, grants.change) == (3, 2, Decimal("50.0"))


def test_per_10k_residents_uses_the_population_row_of_the_year(counted):
    found = values(counted, 2012)[fields.INDICATOR_INVENTIONS_PER_10K]
    assert found.value == Decimal("0.24")  # 3 / 12.5万人
    assert found.previous is None and found.change is None and found.notice == ""  # 2011 has no population


def test_per_10k_residents_without_a_population_is_left_out_with_a_notice(counted):
    found = values(counted, 2011)[fields.INDICATOR_INVENTIONS_PER_10K]
    assert found.value is None
    assert found.notice == messages.NO_POPULATION.format(
        year=2011, indicator=fields.INDICATOR_INVENTIONS_PER_10K, population=fields.INDICATOR_POPULATION
    )
    assert "2011年" in found.notice and "年末常住人口(万人)" in found.notice
    # A year with no valid invention patent has nothing to state, so nothing to ask for.
    assert values(counted, 2010)[fields.INDICATOR_INVENTIONS_PER_10K].notice == ""


def test_a_population_entered_as_0_is_said_to_be_0_not_missing(counted):
    save(counted, fields.TARGETS, year=2011, indicator=fields.INDICATOR_POPULATION, actual_value="0")
    found = values(counted, 2011)[fields.INDICATOR_INVENTIONS_PER_10K]
    assert found.value is None
    assert "没有录入" not in found.notice and "录入为0" in found.notice
    assert found.notice == messages.ZERO_POPULATION.format(
        year=2011, indicator=fields.INDICATOR_INVENTIONS_PER_10K, population=fields.INDICATOR_POPULATION
    )
    # A row with no 实际值 is still one not entered.
    save(counted, fields.TARGETS, year=2013, indicator=fields.INDICATOR_POPULATION, target_value="13")
    assert "没有录入" in values(counted, 2013)[fields.INDICATOR_INVENTIONS_PER_10K].notice


def test_the_population_is_a_manual_indicator_of_its_year(counted):
    population = values(counted, 2012)[fields.INDICATOR_POPULATION]
    assert population.manual and population.value == Decimal("12.50")
    assert fields.INDICATOR_POPULATION not in fields.COMPUTED_INDICATORS


def test_an_undated_lapsed_patent_is_a_check_notice_naming_it(counted):
    report = checkup.check_session(counted, today=dt.date(2013, 6, 1))
    lapsed = [f for f in report.notices if "没有填写失效日" in f.message]
    assert [f.message for f in lapsed] == [
        messages.CHECK_LAPSED_UNDATED.format(
            title="专利4", number=messages.CHECK_LAPSED_NUMBER.format(app_no=make_app_no(2010, 1, 4))
        )
    ]
    assert lapsed[0].message.startswith("专利“专利4”（申请号 201010000004.1）的法律状态为“已失效”")
    assert report.ok  # a notice, not a problem


@pytest.fixture
def small_tech(session):
    units = {k: save(session, fields.ENTERPRISES, name=f"单位{k}").id for k in "ABCD"}

    def certify(unit, year, certified, until=None, status="已认定", category="科技型中小企业"):
        save(session, fields.QUALIFICATIONS, unit_id=units[unit], category=category, level="省", year=year,
             certified_on=certified, valid_until=until, status=status)  # fmt: skip

    certify("A", 2011, "2011-04-01", "2012-03-31")  # valid at the end of 2011, not of 2012
    certify("A", 2012, "2012-04-01", "2013-03-31")  # A again in 2012: one unit
    certify("B", 2012, "2012-05-01")
    certify("C", 2012, None)  # no date: 认定年度 decides
    certify("D", 2012, None, status="申报中")  # not counted
    certify("B", 2011, "2011-01-01", "2013-12-31", category="高新技术企业")
    session.flush()
    return session


def test_valid_small_tech_enterprises_are_distinct_units_with_a_year_on_year_change(small_tech):
    found = values(small_tech, 2012)
    small = found[fields.INDICATOR_VALID_SMALL_TECH]
    assert (small.value, small.previous, small.change) == (3, 1, Decimal("200.0"))
    high = found[fields.INDICATOR_VALID_HIGH_TECH]
    assert (high.value, high.previous, high.change) == (1, 1, Decimal("0.0"))


def test_lapse_date_may_not_come_before_the_grant_or_the_filing(session):
    with pytest.raises(records.ValidationFailed) as caught:
        invention(session, 20, "2011-06-01", "2011-05-31", "已失效")
    assert "失效日不能早于授权日。" in str(caught.value)
    with pytest.raises(records.ValidationFailed) as caught:
        invention(session, 21, lapsed="2010-02-28", status="已失效")
    assert "失效日不能早于申请日。" in str(caught.value)
    assert invention(session, 22, "2011-06-01", "2011-06-01", "已失效").lapsed_on == dt.date(2011, 6, 1)


def test_check_command_lists_the_undated_lapse_as_a_notice_and_exits_0(db_file, capsys):
    """On a data file only: `check` takes files only (docs/ARCHITECTURE.md)."""
    data = open_data_file(db_file, take_lock=False)
    with data.writer() as s:
        invention(s, 4, "2010-11-01", status="已失效")
    data.close()
    assert cli.main(["check", "--db", str(db_file)]) == 0
    assert (
        "  提示：专利“专利4”（申请号 201010000004.1）的法律状态为“已失效”，但没有填写失效日"
        in capsys.readouterr().out
    )


def test_figures_round_half_up_as_a_clerks_report_does():
    assert stats.per_10k(1, Decimal("8")) == Decimal("0.13")  # 0.125 per 10,000 (half to even: 0.12)
    beaten = stats.Indicator(fields.INDICATOR_PATENT_APPLICATIONS, 17, Decimal("16"), 16)
    assert (beaten.completion, beaten.change) == (Decimal("106.3"), Decimal("6.3"))  # 106.25%, 6.25%
    assert stats.half_up(2.5, 0) == Decimal("3") and stats.half_up(0.125, 2) == Decimal("0.13")
