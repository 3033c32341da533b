"""Wording rules of DESIGN §5: exact figures, units without spaces, names then 等, change, targets."""

from decimal import Decimal

from kejiju_desktop.report import wording as W
from kejiju_desktop.services.stats import Indicator


def test_numbers_are_exact_with_at_most_two_decimals():
    assert W.count(921, "件") == "921件"
    assert W.count(Decimal("3187.00"), "万元") == "3187万元"
    assert W.count(Decimal("2865.50"), "万元") == "2865.5万元"
    assert W.count(Decimal("0.05"), "万元") == "0.05万元"


def test_at_most_three_names_then_deng():
    assert W.named(["甲", "乙", "丙", "丁"], 8, "家", "企业") == "甲、乙、丙等8家企业"
    assert W.named(["甲", "乙"], 2, "家", "企业") == "甲、乙2家企业"
    assert W.named(["甲"], 1, "家", "单位") == "甲"
    assert W.named([], 5, "家", "企业") == "5家企业"


def test_change_from_last_year_is_left_out_when_last_year_was_zero():
    assert W.change(130, 120) == "同比增长8.3%"
    assert W.change(90, 100) == "同比下降10.0%"
    assert W.change(5, 0) == "" and W.change(5, None) == ""
    assert W.with_change("专利申请量5件", 5, 0) == "专利申请量5件"


def test_target_outcomes():
    beaten = Indicator("专利申请量", 921, Decimal("823"), None)
    assert W.target_clause(beaten) == "超额完成专利申请823件的目标任务，完成率111.9%"
    met = Indicator("立项项目数", 30, Decimal("30"), None)
    assert W.target_clause(met) == "完成科技计划项目立项30项的目标任务"
    short = Indicator("技术交易额(万元)", Decimal("7800"), Decimal("8000"), None, manual=True)
    assert W.target_clause(short) == "完成技术交易额8000万元目标任务的97.5%"
    assert W.target_clause(Indicator("科技奖励数", 3, None, None)) == ""


def test_short_names_drop_county_and_legal_form_only():
    assert W.short_name("示范县四星液压有限公司", "示范县") == "四星液压"
    assert W.short_name("示范县成客股份有限公司", "示范县") == "成客股份"
    assert W.short_name("示范县人民医院", "示范县") == "人民医院"
    assert W.short_name("有限公司", "") == "有限公司"


def test_clauses_leave_out_zero_items_and_use_full_width_punctuation():
    assert W.breakdown([("发明专利", 3), ("外观设计专利", 0)], "件") == "其中发明专利3件"
    assert W.breakdown([("外观设计专利", 0)], "件") == ""
    assert W.sentence("甲", "", "乙") == "甲，乙。"
    assert W.series("甲", "乙") == "甲；乙。"
    assert W.chinese_ordinal(12) == "十二" and W.chinese_ordinal(20) == "二十"
