"""Figures of a year against a small hand-counted file (DESIGN §5, "Which records count for year Y")."""

from decimal import Decimal

import pytest

from kejiju_desktop import fields
from kejiju_desktop.services import records, stats
from kejiju_desktop.validation import make_app_no


@pytest.fixture
def session(engine_session):
    """Every test here runs on a data file and on a PostgreSQL server."""
    return engine_session


def save(session, entity, **raw):
    return records.save_record(session, entity, raw, operator="测试", confirm_warnings=True)


@pytest.fixture
def counted(session):
    """The hand-counted file; comments give what each record counts for."""
    units = {k: save(session, fields.ENTERPRISES, name=f"单位{k}").id for k in "ABCDE"}

    def hightech(unit, year, certified, until, status):
        save(session, fields.QUALIFICATIONS, unit_id=units[unit], category="高新技术企业", level="国家", year=year,
             certified_on=certified, valid_until=until, status=status)  # fmt: skip

    hightech("A", 2009, "2009-05-01", "2012-04-30", "已认定")  # expired in 2012, still marked 已认定
    hightech("A", 2012, "2012-10-15", "2015-10-14", "已认定")  # A's renewal: new in 2012
    hightech("B", 2012, "2012-11-01", "2015-10-31", "已认定")  # new in 2012
    hightech("C", 2012, None, None, "申报中")  # applying, not counted
    hightech("D", 2012, "2012-03-01", "2015-02-28", "已认定")  # D twice in 2012: one unit
    hightech("D", 2012, "2012-03-02", "2015-03-01", "已过期")
    hightech("E", 2010, "2010-06-01", "2013-05-31", "已过期")  # dates say valid at the end of 2012
    save(session, fields.QUALIFICATIONS, unit_id=units["B"], category="科普基地", level="县", year=2012,
         certified_on="2012-06-01")  # fmt: skip

    def project(name, apply_year, status, **kw):
        save(
            session,
            fields.PROJECTS,
            name=name,
            level=kw.pop("level", "县"),
            apply_year=apply_year,
            status=status,
            **kw,
        )

    project(
        "P1",
        2011,
        "已验收",
        approved_on="2011-06-01",
        accepted_on="2012-09-01",
        funding="50",
        unit_id=units["E"],
    )
    project("P2", 2012, "实施中", approved_on="2012-05-01", funding="120.5", level="省", unit_id=units["A"],
            plan_category="重大科技成果转化专项")  # fmt: skip
    project(
        "P3", 2012, "已立项", funding="30", level="市", unit_id=units["B"], plan_category="企业自主创新项目"
    )
    project("P4", 2012, "未立项", level="国家", unit_id=units["C"])
    project("P5", 2011, "实施中", approved_on="2012-02-01", midterm_on="2012-11-01", funding="10",
            tech_field="农业", unit_id=units["D"], plan_category="企业自主创新项目")  # fmt: skip

    def patent(serial, year, kind_digit, filed, applicant_type="企业", granted=None):
        save(session, fields.PATENTS, app_no=make_app_no(year, kind_digit, serial), title=f"专利{serial}", applicant="甲",
             applicant_type=applicant_type, filed_on=filed, granted_on=granted)  # fmt: skip

    patent(1, 2012, 1, "2012-01-05")
    patent(2, 2012, 1, "2012-12-31")
    patent(3, 2012, 3, "2012-07-01", "个人")
    patent(4, 2011, 2, "2011-03-01", granted="2012-01-20")
    patent(5, 2011, 2, "2011-04-01")
    patent(6, 2011, 1, "2011-05-01", "个人")
    patent(7, 2011, 3, "2011-06-01")
    gone = save(
        session,
        fields.PATENTS,
        app_no=make_app_no(2012, 2, 8),
        title="已删除",
        applicant="甲",
        filed_on="2012-05-05",
    )
    records.delete_record(session, fields.PATENTS, gone.id)

    for level, name, grade in (
        ("省", "科学技术进步奖", "三等奖"),
        ("省", "科学技术进步奖", "三等奖"),
        ("市", "专利奖", "优秀奖"),
    ):
        save(
            session,
            fields.AWARDS,
            title=f"成果{level}{grade}",
            award_name=name,
            level=level,
            grade=grade,
            year=2012,
        )
    for i in range(5):
        save(session, fields.AWARDS, title=f"旧成果{i}", level="县", grade="不分等级", year=2011)

    save(
        session,
        fields.EVENTS,
        name="科技活动周",
        event_type="科技活动周",
        start_on="2012-05-20",
        participants="100",
        works="5",
    )
    save(session, fields.EVENTS, name="动漫比赛", event_type="竞赛评比", start_on="2012-12-01", works="10")
    save(
        session,
        fields.EVENTS,
        name="去年活动",
        event_type="科普活动",
        start_on="2011-12-31",
        participants="40",
    )

    save(session, fields.TARGETS, year=2012, indicator="专利申请量", target_value="2")
    save(session, fields.TARGETS, year=2012, indicator="立项项目数", target_value="5")
    save(
        session,
        fields.TARGETS,
        year=2012,
        indicator="技术交易额(万元)",
        target_value="100",
        actual_value="120",
    )
    save(
        session, fields.TARGETS, year=2011, indicator="技术交易额(万元)", target_value="80", actual_value="90"
    )
    session.flush()
    return session


def test_patent_figures(counted):
    figures = stats.patent_figures(counted, 2012)
    assert figures.applications == 3  # the deleted one does not count
    assert figures.by_type == {"发明": 2, "外观设计": 1}
    assert figures.enterprise == 2
    assert figures.grants == 1 and figures.grants_by_type == {"实用新型": 1}


def test_new_certifications_are_distinct_units_of_the_year(counted):
    figures = stats.qualification_figures(counted, 2012)
    assert figures.new["高新技术企业"].count == 3
    assert figures.new["高新技术企业"].names == ["单位A", "单位B", "单位D"]
    assert figures.applying["高新技术企业"].count == 1
    assert figures.new["科普基地"].count == 1


def test_valid_at_year_end_follows_the_dates_not_the_state(counted):
    assert stats.qualification_figures(counted, 2012).valid["高新技术企业"].names == [
        "单位A",
        "单位B",
        "单位D",
        "单位E",
    ]
    assert stats.qualification_figures(counted, 2011).valid["高新技术企业"].names == ["单位A", "单位E"]
    assert stats.qualification_figures(counted, 2013).valid["高新技术企业"].names == [
        "单位A",
        "单位B",
        "单位D",
    ]


def test_project_figures_approved_in_one_year_accepted_in_the_next(counted):
    now = stats.project_figures(counted, 2012)
    assert now.applied.count == 3
    assert {k: g.count for k, g in now.applied_by_level.items()} == {"省": 1, "市": 1, "国家": 1}
    assert now.approved.count == 3  # P2 dated, P3 undated with 申报年度 2012, P5 applied 2011 approved 2012
    assert now.approved.amount == Decimal("160.50")
    assert now.approved.names == ["单位A", "单位B", "单位D"]  # largest funding first
    assert now.approved_by_category["企业自主创新项目"].names == ["单位B", "单位D"]
    assert now.accepted.count == 1 and now.midterm.count == 1
    before = stats.project_figures(counted, 2011)
    assert (before.applied.count, before.approved.count, before.approved.amount) == (2, 1, Decimal("50.00"))
    agri = stats.year_figures(counted, 2012).agri_projects
    assert (agri.approved.count, agri.midterm.count, agri.accepted.count) == (1, 1, 0)


def test_award_and_event_figures(counted):
    awards = stats.award_figures(counted, 2012)
    assert awards.total == 3
    assert {k: g.count for k, g in awards.by_level.items()} == {"省": 2, "市": 1}
    assert awards.by_level_name_grade == {
        ("省", "科学技术进步奖", "三等奖"): 2,
        ("市", "专利奖", "优秀奖"): 1,
    }
    events = stats.event_figures(counted, 2012)
    assert (events.count, events.participants, events.works) == (2, 100, 15)
    assert events.by_type["竞赛评比"].count == 1


def test_indicators_stand_beside_their_targets_and_last_year(counted):
    table = {i.name: i for i in stats.indicators(counted, 2012)}
    assert [i for i in table][: len(fields.COMPUTED_INDICATORS)] == list(fields.COMPUTED_INDICATORS)
    patents = table["专利申请量"]
    assert (patents.value, patents.target, patents.previous) == (3, Decimal("2.00"), 4)
    assert patents.completion == Decimal("150.0") and patents.change == Decimal("-25.0")
    approved = table["立项项目数"]
    assert (approved.value, approved.previous, approved.completion) == (3, 1, Decimal("60.0"))
    assert table["争取项目资金(万元)"].value == Decimal("160.50")
    assert table["新认定高新技术企业"].value == 3 and table["新认定高新技术企业"].target is None
    manual = table["技术交易额(万元)"]
    assert manual.manual and (manual.value, manual.target, manual.previous) == (
        Decimal("120.00"), Decimal("100.00"), Decimal("90.00"),
    )  # fmt: skip


def test_no_change_is_stated_when_last_year_was_zero():
    assert stats.Indicator("科技奖励数", 3, None, 0).change is None
    assert stats.Indicator("科技奖励数", 3, None, None).change is None
    assert stats.Indicator("科技奖励数", 0, Decimal(0), 2).completion is None
