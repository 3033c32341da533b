"""A small hand-built data file whose report sentences are known exactly."""

import datetime as dt
from decimal import Decimal

import pytest

from db.database import open_data_file
from db.models import Award, Enterprise, Patent, Project, Target
from kejiju_desktop.services import settings

D = dt.date


def _units(s) -> list[Enterprise]:
    names = ("测试县甲机械有限公司", "测试县乙化工有限公司", "测试县丙电子有限公司")
    units = [Enterprise(name=n, name_sort=n, unit_type="企业") for n in names]
    s.add_all(units)
    s.flush()
    return units


def _patents(s, units) -> None:
    rows = [  # 2012: 3 发明 + 2 实用新型 (4 by enterprises), no 外观设计; 2011: 4
        ("发明", "企业", D(2012, 3, 1)), ("发明", "企业", D(2012, 4, 1)), ("发明", "企业", D(2012, 5, 1)),
        ("实用新型", "企业", D(2012, 6, 1)), ("实用新型", "个人", D(2012, 7, 1)),
        ("发明", "企业", D(2011, 3, 1)), ("发明", "企业", D(2011, 4, 1)),
        ("实用新型", "企业", D(2011, 5, 1)), ("外观设计", "个人", D(2011, 6, 1)),
    ]  # fmt: skip
    for i, (kind, who, filed) in enumerate(rows):
        s.add(Patent(title=f"专利{i}", patent_type=kind, applicant="甲", applicant_type=who, filed_on=filed))


def _awards(s, units) -> None:
    for unit in units[:2]:  # 2012: two provincial third prizes; 2011: three → a drop
        s.add(
            Award(
                title="成果",
                award_name="科学技术进步奖",
                level="省",
                grade="三等奖",
                year=2012,
                unit_id=unit.id,
            )
        )
    for unit in units:
        s.add(
            Award(
                title="旧成果",
                award_name="科学技术进步奖",
                level="市",
                grade="二等奖",
                year=2011,
                unit_id=unit.id,
            )
        )


def _projects(s, units) -> None:
    s.add(Project(name="甲项目", level="省", plan_category="重大科技成果转化专项", tech_field="工业",
                  unit_id=units[0].id, apply_year=2012, status="实施中", approved_on=D(2012, 6, 1),
                  funding=Decimal("50.5")))  # fmt: skip
    s.add(Project(name="乙项目", level="市", plan_category="企业自主创新项目", tech_field="工业",
                  unit_id=units[1].id, apply_year=2012, status="未立项"))  # fmt: skip
    s.add(Project(name="旧项目", level="市", plan_category="企业自主创新项目", tech_field="工业",
                  unit_id=units[2].id, apply_year=2011, status="实施中", approved_on=D(2011, 5, 1),
                  funding=Decimal("20")))  # fmt: skip


@pytest.fixture
def small_file(db_file):
    """2011–2012 records small enough to count by hand (see the comments above)."""
    data = open_data_file(db_file, take_lock=False)
    with data.sessions.begin() as s:
        settings.put(s, settings.BUREAU_NAME, "测试县科学技术局")
        settings.put(s, settings.COUNTY_NAME, "测试县")
        units = _units(s)
        _patents(s, units)
        _awards(s, units)
        _projects(s, units)
        s.add(Target(year=2012, indicator="专利申请量", target_value=Decimal(4)))
    data.close()
    return db_file


@pytest.fixture
def small_data(small_file):
    data = open_data_file(small_file, take_lock=False)
    yield data
    data.close()
