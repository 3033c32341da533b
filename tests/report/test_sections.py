"""Exact sentences for the small hand-built file: zero figures left out, a target beaten, a drop."""

import datetime as dt

from db.database import open_data_file
from db.models import Award, Project
from kejiju_desktop.report import compose, facts
from kejiju_desktop.services import drafts


def _section(data, key):
    with data.sessions() as s:
        f = facts.gather(s, 2012)
        draft = drafts.load_draft(s, 2012)
    return compose.build_section(f, draft.section(key))


def test_patents_sentence_leaves_out_zero_design_patents_and_states_target_beaten(small_data):
    body = _section(small_data, "ip")
    assert [p.text for p in body.paragraphs] == [
        "全年专利申请量5件，同比增长25.0%，其中发明专利3件、实用新型专利2件，企业专利申请4件。"
        "超额完成专利申请4件的目标任务，完成率125.0%。"
    ]
    assert "外观设计" not in body.paragraphs[0].text
    assert "0件" not in body.paragraphs[0].text


def test_awards_sentence_states_the_drop_from_last_year(small_data):
    body = _section(small_data, "awards")
    assert [p.text for p in body.paragraphs] == [
        "全年甲机械、乙化工获得各级科技奖励2项，同比下降33.3%。其中，省级科学技术进步奖三等奖2项。"
    ]


def test_projects_sentences_name_levels_money_and_leave_out_empty_checks(small_data):
    body = _section(small_data, "projects")
    texts = [p.lead + p.text for p in body.paragraphs]
    assert texts == [
        "组织申报科技计划项目。组织甲机械、乙化工申报各级科技计划项目2项，同比增长100.0%，其中省级1项、市级1项。",
        "争取项目立项支持。全年获批立项1项，其中省级1项，争取财政资助资金50.5万元，同比增长152.5%。",
        "甲机械获重大科技成果转化专项立项支持，资助资金50.5万元。",
    ]
    assert body.table.rows == [["1", "甲项目", "甲机械", "省级", "50.5"], ["合计", "", "", "", "50.5"]]


def test_opening_sentence_skips_figures_that_are_zero(small_data):
    body = _section(small_data, "intro")
    assert [p.text for p in body.paragraphs] == [
        "2012年，全县专利申请5件，获批立项各级科技计划项目1项，争取财政资助资金50.5万元，"
        "获得各级科技奖励2项。现将全年主要工作情况报告如下。"
    ]


def test_section_with_neither_figures_nor_text_is_left_out(small_data):
    with small_data.sessions() as s:
        report = compose.build_report(s, 2012)
    keys = [section.key for section in report.sections]
    assert "events" not in keys and "agri" not in keys and "plans" not in keys
    assert keys == ["intro", "projects", "awards", "ip", "indicators"]  # 2012 has a target: the 指标 table


def test_a_record_without_a_unit_adds_no_name_to_the_unit_names(small_file):
    # A project or award with no 承担单位/完成单位 used to put its own name where units are named.
    data = open_data_file(small_file, take_lock=False)
    with data.sessions.begin() as s:
        s.add(Project(name="无单位的丁项目", name_sort="丁", level="省", plan_category="重大科技成果转化专项",
                      tech_field="工业", apply_year=2012, status="已立项", approved_on=dt.date(2012, 7, 1)))  # fmt: skip
        s.add(Award(title="无单位的成果", award_name="科学技术进步奖", level="县", grade="一等奖", year=2012))
    texts = [p.lead + p.text for key in ("projects", "awards") for p in _section(data, key).paragraphs]
    data.close()
    assert not any("无单位的" in t for t in texts)
    assert texts[0].startswith("组织申报科技计划项目。组织甲机械、乙化工申报各级科技计划项目3项")
    assert texts[2] == "甲机械获重大科技成果转化专项立项支持2项，资助资金50.5万元。"
    assert texts[3].startswith("全年甲机械、乙化工获得各级科技奖励3项")


def test_a_plan_category_whose_projects_have_no_unit_names_no_one(small_file):
    data = open_data_file(small_file, take_lock=False)
    with data.sessions.begin() as s:
        s.add(Project(name="无单位的戊项目", name_sort="戊", level="市", plan_category="软科学研究",
                      tech_field="工业", apply_year=2012, status="已立项", approved_on=dt.date(2012, 8, 1)))  # fmt: skip
    texts = [p.text for p in _section(data, "projects").paragraphs]
    data.close()
    assert texts[2] == "甲机械获重大科技成果转化专项立项支持，资助资金50.5万元；获软科学研究立项支持1项。"
