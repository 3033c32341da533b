"""Wording rules of DESIGN §5: exact figures, units without spaces, names then 等, change, targets."""

from decimal import Decimal

from kejiju_desktop.report import wording
from kejiju_desktop.services.stats import Indicator


def test_numbers_are_exact_with_at_most_two_decimals():
    assert wording.count(921, "件") == "921件"
    assert wording.count(Decimal("3187.00"), "万元") == "3187万元"
    assert wording.count(Decimal("2865.50"), "万元") == "2865.5万元"
    assert wording.count(Decimal("0.05"), "万元") == "0.05万元"


def test_at_most_three_names_then_deng():
    assert wording.named(["甲", "乙", "丙", "丁"], 8, "家", "企业") == "甲、乙、丙等8家企业"
    assert wording.named(["甲", "乙"], 2, "家", "企业") == "甲、乙2家企业"
    assert wording.named(["甲"], 1, "家", "单位") == "甲"
    assert wording.named([], 5, "家", "企业") == "5家企业"


def test_change_from_last_year_is_left_out_when_last_year_was_zero():
    assert wording.change(130, 120) == "同比增长8.3%"
    assert wording.change(90, 100) == "同比下降10.0%"
    assert wording.change(5, 0) == "" and wording.change(5, None) == ""
    assert wording.with_change("专利申请量5件", 5, 0) == "专利申请量5件"


def test_target_outcomes():
    beaten = Indicator("专利申请量", 921, Decimal("823"), None)
    assert wording.target_clause(beaten) == "超额完成专利申请823件的目标任务，完成率111.9%"
    met = Indicator("立项项目数", 30, Decimal("30"), None)
    assert wording.target_clause(met) == "完成科技计划项目立项30项的目标任务"
    short = Indicator("技术交易额(万元)", Decimal("7800"), Decimal("8000"), None, manual=True)
    assert wording.target_clause(short) == "完成技术交易额8000万元目标任务的97.5%"
    assert wording.target_clause(Indicator("科技奖励数", 3, None, None)) == ""


def test_short_names_drop_county_and_legal_form_only():
    assert wording.short_name("示范县四星液压有限公司", "示范县") == "四星液压"
    assert wording.short_name("示范县成客股份有限公司", "示范县") == "成客股份"
    assert wording.short_name("示范县人民医院", "示范县") == "人民医院"
    assert wording.short_name("有限公司", "") == "有限公司"


def test_clauses_leave_out_zero_items_and_use_full_width_punctuation():
    assert wording.breakdown([("发明专利", 3), ("外观设计专利", 0)], "件") == "其中发明专利3件"
    assert wording.breakdown([("外观设计专利", 0)], "件") == ""
    assert wording.sentence("甲", "", "乙") == "甲，乙。"
    assert wording.series("甲", "乙") == "甲；乙。"
    assert wording.chinese_ordinal(12) == "十二" and wording.chinese_ordinal(20) == "二十"


def test_figures_and_percentages_round_half_up():
    assert wording.number(Decimal("0.125")) == "0.13" and wording.count(2.675, "万元") == "2.68万元"
    assert wording.percent(Decimal("6.25")) == "6.3%"
    assert wording.change(17, 16) == "同比增长6.3%" and wording.change(15, 16) == "同比下降6.3%"
    beaten = Indicator("专利申请量", 17, Decimal("16"), None)
    assert wording.target_clause(beaten) == "超额完成专利申请16件的目标任务，完成率106.3%"
