"""The assessment indicators in the report's register, on the small hand-built file plus counted patents."""

import datetime as dt
from decimal import Decimal

import pytest
from docx import Document

from db.database import open_data_file
from db.models import Patent, Qualification, Target
from kejiju_desktop import cli, fields, messages
from kejiju_desktop.report import compose, export, facts
from kejiju_desktop.services import drafts

D = dt.date


def _invention(title, granted, lapsed=None, status=fields.PATENT_GRANTED) -> Patent:
    return Patent(title=title, patent_type=fields.PATENT_INVENTION, applicant="甲", filed_on=D(2010, 2, 1),
                  granted_on=granted, lapsed_on=lapsed, legal_status=status)  # fmt: skip


@pytest.fixture
def assessed(small_file):
    """Filed in 2010, so 2011's and 2012's applications stay as the small file has them.

    有效发明专利: 2011 — 老一, 老二 (2); 2012 — 老一, 新一, 新二 (3). 发明专利授权量: 2011 — 3, 2012 — 2.
    """
    data = open_data_file(small_file, take_lock=False)
    with data.writer() as s:
        s.add_all([
            _invention("老一", D(2011, 8, 1)),
            _invention("老二", D(2011, 10, 1), D(2012, 6, 1), fields.PATENT_LAPSED),  # lapsed in 2012
            _invention("新一", D(2012, 5, 1)),
            _invention("新二", D(2012, 9, 1)),
            _invention("无日期", D(2011, 3, 1), status=fields.PATENT_LAPSED),  # lapsed in every year
        ])  # fmt: skip
        for year, people in ((2011, "12"), (2012, "12.5")):
            s.add(Target(year=year, indicator=fields.INDICATOR_POPULATION, actual_value=Decimal(people)))
    data.close()
    return small_file


def _texts(path, key):
    data = open_data_file(path, read_only=True)
    with data.sessions() as s:
        body = compose.build_section(facts.gather(s, 2012), drafts.load_draft(s, 2012).section(key))
    data.close()
    return [p.text for p in body.paragraphs]


VALID_SENTENCE = "截至年底，全县有效发明专利3件，同比增长50.0%，每万人口发明专利拥有量0.24件，同比增长41.2%。"


def test_ip_section_states_grants_valid_inventions_and_per_10k_with_year_on_year_change(assessed):
    assert _texts(assessed, "ip") == [
        "全年专利申请量5件，同比增长25.0%，其中发明专利3件、实用新型专利2件，企业专利申请4件。"
        "专利授权量2件，同比下降33.3%，其中发明专利授权2件，同比下降33.3%。"
        + VALID_SENTENCE
        + "超额完成专利申请4件的目标任务，完成率125.0%。"
    ]


def test_without_the_population_row_per_10k_is_left_out_and_the_command_says_why(assessed, tmp_path, capsys):
    data = open_data_file(assessed, take_lock=False)
    with data.writer() as s:
        s.query(Target).filter(Target.indicator == fields.INDICATOR_POPULATION, Target.year == 2012).delete()
    data.close()
    text = _texts(assessed, "ip")[0]
    assert "截至年底，全县有效发明专利3件，同比增长50.0%。" in text
    assert "每万人口" not in text and "0件" not in text
    out = tmp_path / "r.docx"
    assert cli.main(["report", "--db", str(assessed), "--year", "2012", "-o", str(out)]) == 0
    notice = messages.NO_POPULATION.format(
        year=2012, indicator=fields.INDICATOR_INVENTIONS_PER_10K, population=fields.INDICATOR_POPULATION
    )
    assert notice in capsys.readouterr().out
    assert "每万人口" not in "".join(p.text for p in Document(str(out)).paragraphs)


def test_no_valid_invention_leaves_the_clause_out(small_file):
    assert "有效发明专利" not in "".join(_texts(small_file, "ip"))


def test_carriers_section_states_valid_small_tech_enterprises_with_year_on_year_change(small_file):
    data = open_data_file(small_file, take_lock=False)
    with data.writer() as s:
        for unit_id, year in ((1, 2011), (1, 2012), (2, 2012)):
            s.add(Qualification(unit_id=unit_id, category=fields.CATEGORY_SMALL_TECH, level=fields.LEVEL_PROVINCE,
                                year=year, status=fields.QUALIFICATION_CERTIFIED))  # fmt: skip
    data.close()
    assert _texts(small_file, "carriers") == [
        "新增科技型中小企业2家，全县有效科技型中小企业2家，同比增长100.0%。"
    ]


def test_exported_report_carries_the_new_sentences(assessed, tmp_path):
    out = tmp_path / "2012.docx"
    data = open_data_file(assessed, read_only=True)
    with data.sessions() as s:
        export.export(s, 2012, out, today=D(2013, 1, 5))
    data.close()
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert VALID_SENTENCE in text
    assert "其中发明专利授权2件，同比下降33.3%" in text
    assert "年末常住人口" not in text  # an input, stated through the figure it serves


def test_demo_report_states_the_assessment_indicators(demo_file):
    data = open_data_file(demo_file, read_only=True)
    with data.sessions() as s:
        report = compose.build_report(s, 2013, D(2014, 1, 5))
    data.close()
    text = "".join(p.text for section in report.sections for p in section.paragraphs)
    assert "截至年底，全县有效发明专利29件，同比增长866.7%，每万人口发明专利拥有量0.49件" in text
    assert "全县有效科技型中小企业29家，同比增长45.0%" in text
    assert "其中发明专利授权26件" in text


def test_a_target_on_an_assessment_indicator_is_stated_after_its_figure(assessed):
    data = open_data_file(assessed, take_lock=False)
    with data.writer() as s:
        s.add(Target(year=2012, indicator=fields.INDICATOR_VALID_INVENTIONS, target_value=Decimal(4)))
    data.close()
    assert VALID_SENTENCE[:-1] + "，完成有效发明专利4件目标任务的75.0%。" in _texts(assessed, "ip")[0]
