"""stats.ip_project_figures (added for the report): projects of an IP 计划类别 only."""

import datetime as dt
from decimal import Decimal

import pytest

from db.models import Project
from kejiju_desktop.services import stats


@pytest.fixture
def data(engine_store):
    """Every test here that takes `data` or `session` runs on a data file and on a PostgreSQL server."""
    return engine_store


def test_ip_programme_projects_are_counted_apart_from_the_rest(session):
    session.add_all([
        Project(name="甲", level="省", plan_category="专利实施与促进专项", apply_year=2012, status="实施中",
                approved_on=dt.date(2012, 5, 1), funding=Decimal(10)),
        Project(name="乙", level="省", plan_category="知识产权运用项目", apply_year=2012, status="未立项"),
        Project(name="丙", level="市", plan_category="企业自主创新项目", apply_year=2012, status="实施中",
                approved_on=dt.date(2012, 5, 1), funding=Decimal(30)),
    ])  # fmt: skip
    session.flush()
    figures = stats.ip_project_figures(session, 2012)
    assert (figures.applied.count, figures.approved.count, figures.approved.amount) == (
        2,
        1,
        Decimal("10.00"),
    )
    assert stats.ip_project_figures(session, 2011).applied.count == 0
