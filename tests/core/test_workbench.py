"""工作台 reminders against a hand-made file where each kind has a known count, edge days included."""

import datetime as dt
from decimal import Decimal

import pytest

from kejiju_desktop import fields, messages, validation
from kejiju_desktop.services import records, stats, workbench


@pytest.fixture
def data(engine_store):
    """Every test here that takes `data` or `session` runs on a data file and on a PostgreSQL server."""
    return engine_store


TODAY = dt.date(2013, 6, 30)
DAYS = 90


def day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


def save(session, entity, **raw):
    return records.save_record(session, entity, raw, operator="测试", confirm_warnings=True).id


def bad_credit_code() -> str:
    good = validation.make_credit_code("91510124MA6CXXXX1")
    return good[:17] + ("0" if good[17] != "0" else "1")


@pytest.fixture
def made(session):
    """The hand-made file: the ids each reminder must name, by name."""
    ids = {k: save(session, fields.ENTERPRISES, name=f"单位{k}") for k in "ABCDE"}
    ids["warned"] = save(session, fields.ENTERPRISES, name="单位W", credit_code=bad_credit_code())
    ids["unused"] = save(session, fields.ENTERPRISES, name="单位F")
    ids["binned_user"] = save(session, fields.ENTERPRISES, name="单位G")

    def certificate(key, unit, until, status="已认定", year=2010):
        ids[key] = save(session, fields.QUALIFICATIONS, unit_id=ids[unit], category="科技型中小企业", level="省",
                        year=year, certified_on="2010-07-01", valid_until=until, status=status)  # fmt: skip

    certificate("in_90", "A", day(90))  # expires exactly 90 days ahead: counted
    certificate("in_91", "B", day(91))  # one day later: not yet
    certificate("today", "C", day(0))  # expires today: still valid today, counted
    certificate("yesterday", "D", day(-1))  # expired yesterday, still 已认定
    certificate("marked", "E", day(-1), status="已过期")  # expired and marked so: nothing to do
    certificate("applying", "A", day(10), status="申报中", year=2013)  # not a certificate yet
    _projects(session, ids)
    _patents(session, ids)
    return ids


def _projects(session, ids):
    def project(key, status, **kw):
        ids[key] = save(session, fields.PROJECTS, name=kw.pop("name", key), level="县",
                        apply_year=kw.pop("apply_year", 2011), status=status, unit_id=ids["A"], **kw)  # fmt: skip

    def halfway_at(offset):  # 开始日期 and 结束日期 whose halfway day is `offset` days from today
        start = dt.date(2013, 1, 1)
        half = (TODAY + dt.timedelta(days=offset) - start).days
        return {"start_on": start.isoformat(), "end_on": (start + dt.timedelta(days=2 * half)).isoformat()}

    project("overdue", "实施中", start_on="2011-07-01", end_on=day(-1), midterm_on="2012-07-01")
    project("accepted", "已验收", start_on="2011-01-01", end_on="2013-01-01", midterm_on="2012-01-01",
            accepted_on="2013-02-01")  # fmt: skip
    project("ended", "已终止", start_on="2011-01-01", end_on="2012-12-31")
    project("ends_today", "中期检查", start_on="2011-07-01", end_on=day(0), midterm_on="2012-07-01")
    project("mid_90", "实施中", **halfway_at(90))
    project("mid_91", "实施中", **halfway_at(91))
    project("mid_past", "已立项", **halfway_at(-30))
    project("old_applying", "申报中", apply_year=2012)
    project("new_applying", "申报中", apply_year=2013)
    project("refused", "未立项", apply_year=2011, start_on="2011-01-01", end_on="2012-01-01")
    # Two projects of one name and year, neither with a 项目编号: suspected duplicates.
    project("twin_1", "申报中", name="同名项目", apply_year=2013)
    project("twin_2", "申报中", name="同名项目", apply_year=2013)
    # One name and year but different 项目编号: two projects.
    project("coded_1", "申报中", name="编号不同", apply_year=2013, code="XM-1")
    project("coded_2", "申报中", name="编号不同", apply_year=2013, code="XM-2")
    binned = save(
        session, fields.PROJECTS, name="回收站里的", level="县", apply_year=2013, unit_id=ids["binned_user"]
    )
    records.delete_record(session, fields.PROJECTS, binned)


def _patents(session, ids):
    def patent(key, title, filed_on, app_no=""):
        ids[key] = save(session, fields.PATENTS, title=title, patent_type="实用新型", applicant="单位A",
                        applicant_type="企业", filed_on=filed_on, app_no=app_no)  # fmt: skip

    patent("p2013_a", "甲", "2013-01-15")
    patent("p2013_b", "乙", "2013-03-15")
    patent("p2013_c", "丙", day(0))
    patent("p2013_after", "丁", day(1))  # after today: not yet done as of today
    patent("p2012_a", "戊", "2012-01-10")
    patent("p2012_b", "己", "2012-06-30")  # last year at this very date: counted
    patent("p2012_after", "庚", "2012-07-01")
    # The same 专利名称, 申请人 and 申请日 twice without 申请号: suspected duplicates; a third has one.
    patent("dup_1", "重复专利", "2011-05-05")
    patent("dup_2", "重复专利", "2011-05-05", app_no=validation.make_app_no(2011, 2, 1))
    # The same triple but both with different 申请号: two patents.
    patent("numbered_1", "有号专利", "2011-05-06", app_no=validation.make_app_no(2011, 2, 2))
    patent("numbered_2", "有号专利", "2011-05-06", app_no=validation.make_app_no(2011, 2, 3))
    patent("dup_binned", "重复专利", "2011-05-05")
    records.delete_record(session, fields.PATENTS, ids["dup_binned"])


def _item(bench, label):
    return next(item for item in bench.items if item.label == label)


def test_certificates_expiring_within_the_days_both_ends_counted_and_expired_still_certified(session, made):
    bench = workbench.gather(session, TODAY, DAYS)
    expiring = _item(bench, messages.WORKBENCH_EXPIRING.format(days=DAYS))
    assert expiring.ids == (made["today"], made["in_90"])  # soonest first; in_91 waits for tomorrow
    assert (expiring.table, expiring.open_table) == ("qualifications", "enterprises")
    assert expiring.open_ids == (made["C"], made["A"])
    expired = _item(bench, messages.WORKBENCH_EXPIRED)
    assert expired.ids == (made["yesterday"],) and expired.open_ids == (made["D"],)
    tomorrow = workbench.gather(session, TODAY + dt.timedelta(days=1), DAYS)
    assert _item(tomorrow, messages.WORKBENCH_EXPIRING.format(days=DAYS)).ids == (
        made["in_90"],
        made["in_91"],
    )
    assert set(_item(tomorrow, messages.WORKBENCH_EXPIRED).ids) == {made["yesterday"], made["today"]}


def test_project_milestones_skip_settled_projects(session, made):
    bench = workbench.gather(session, TODAY, DAYS)
    assert _item(bench, messages.WORKBENCH_OVERDUE).ids == (made["overdue"],)
    assert _item(bench, messages.WORKBENCH_MIDTERM_DUE).ids == (made["mid_past"], made["mid_90"])
    applying = _item(bench, messages.WORKBENCH_STILL_APPLYING)
    assert applying.ids == (made["old_applying"],) and applying.open_table == "projects"


def test_data_quality_confirmed_warnings_duplicates_and_unused_units(session, made):
    bench = workbench.gather(session, TODAY, DAYS)
    confirmed = _item(bench, messages.WORKBENCH_CONFIRMED.format(entity="企业"))
    assert confirmed.ids == (made["warned"],)
    assert _item(bench, messages.WORKBENCH_DUPLICATES.format(entity="项目")).ids == (
        made["twin_1"],
        made["twin_2"],
    )
    assert _item(bench, messages.WORKBENCH_DUPLICATES.format(entity="专利")).ids == (
        made["dup_1"],
        made["dup_2"],
    )
    assert _item(bench, messages.WORKBENCH_DUPLICATES.format(entity="企业")).count == 0
    for table in (
        "projects",
        "patents",
    ):  # many records lacking 项目编号 / 申请号: counted in one pass, alike
        entity = fields.ENTITIES[table]
        assert workbench.suspected_duplicates(session, entity, driven_limit=0) == list(
            _item(bench, messages.WORKBENCH_DUPLICATES.format(entity=entity.label)).ids
        )
    # 单位G is named only by a project in the recycle bin; 单位W and 单位F by nothing at all.
    unused = _item(bench, messages.WORKBENCH_UNUSED_UNITS)
    assert set(unused.ids) == {made["unused"], made["binned_user"], made["warned"]}
    assert {item.group for item in bench.items if item.count} == {
        messages.WORKBENCH_CERTIFICATES, messages.WORKBENCH_PROJECTS, messages.WORKBENCH_QUALITY
    }  # fmt: skip


def test_targets_set_done_as_of_today_against_last_year_at_the_same_date(session, made):
    for indicator, target, actual in (
        (fields.INDICATOR_PATENT_APPLICATIONS, "10", ""),
        (fields.INDICATOR_PROJECTS_APPLIED, "8", ""),
        ("技术交易额(万元)", "100", "40"),
    ):
        save(
            session,
            fields.TARGETS,
            year="2013",
            indicator=indicator,
            target_value=target,
            actual_value=actual,
        )
    save(
        session,
        fields.TARGETS,
        year="2012",
        indicator="技术交易额(万元)",
        target_value="80",
        actual_value="90",
    )
    lines = {line.indicator.name: line for line in workbench.target_lines(session, TODAY)}
    patents = lines[fields.INDICATOR_PATENT_APPLICATIONS]
    assert (patents.indicator.value, patents.indicator.previous, patents.full_year) == (3, 2, False)
    assert patents.previous_label == messages.WORKBENCH_SAME_DATE
    assert patents.indicator.completion == Decimal("30.0")
    # 申报项目数 counts by 申报年度 alone: this year so far beside last year's whole year.
    applied = lines[fields.INDICATOR_PROJECTS_APPLIED]
    assert (applied.indicator.value, applied.indicator.previous, applied.full_year) == (5, 1, True)
    manual = lines["技术交易额(万元)"]
    assert (manual.indicator.value, manual.indicator.previous) == (Decimal("40.00"), Decimal("90.00"))
    assert manual.previous_label == messages.WORKBENCH_FULL_YEAR


def test_figures_as_of_a_date_leave_the_whole_year_unchanged(session, made):
    whole = stats.computed_indicators(stats.year_figures(session, 2013))
    as_of = stats.computed_indicators(stats.year_figures(session, 2013, through=TODAY))
    assert whole[fields.INDICATOR_PATENT_APPLICATIONS] == 4
    assert as_of[fields.INDICATOR_PATENT_APPLICATIONS] == 3
    assert as_of[fields.INDICATOR_PROJECTS_APPLIED] == whole[fields.INDICATOR_PROJECTS_APPLIED] == 5


def test_patents_applied_per_month_this_year_and_last(session, made):
    bench = workbench.gather(session, TODAY, DAYS)
    assert bench.months == [1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0]
    assert bench.months_before == [1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]


def test_reminder_days_default_to_the_file_setting(session, made):
    from kejiju_desktop.services import settings

    settings.update_setting(session, settings.spec_named("证书到期提醒天数"), "1")
    bench = workbench.gather(session, TODAY)
    assert bench.days == 1
    assert _item(bench, messages.WORKBENCH_EXPIRING.format(days=1)).ids == (made["today"],)


def test_the_demo_file_in_2013_has_reminders_and_targets(demo_file):
    """The demo file; moved into a server it gives the same 工作台 (test_services_on_a_server.py)."""
    from db.database import open_data_file

    data = open_data_file(demo_file, read_only=True)
    try:
        with data.sessions() as session:
            bench = workbench.gather(session, dt.date(2013, 10, 15))
    finally:
        data.close()
    assert bench.group(messages.WORKBENCH_CERTIFICATES)
    assert bench.targets and all(line.indicator.target for line in bench.targets)
    assert sum(bench.months) > 0 and sum(bench.months_before) > 0
