"""Live fields in the clerk's text (【专利申请量·同比】) filled in from the year's 指标, in the document too."""

import datetime as dt
from decimal import Decimal

from docx import Document

from db.models import Patent, Target
from kejiju_desktop import cli
from kejiju_desktop.report import export, live_fields
from kejiju_desktop.services import drafts
from kejiju_desktop.services.stats import Indicator

# The small file's 2012 (tests/report/conftest.py): 5 patent applications (3 发明), 4 in 2011, target 4;
# 2 awards against 3 in 2011; no new 高新技术企业 either year.
EVERY_SUFFIX = (
    "全年专利申请【专利申请量】，上年【专利申请量·上年】，【专利申请量·同比】；"
    "目标【专利申请量·目标】，完成率【专利申请量·完成率】。"
)
EVERY_SUFFIX_FILLED = "全年专利申请5件，上年4件，同比增长25.0%；目标4件，完成率125.0%。"


def _indicators(*found: Indicator) -> dict[str, Indicator]:
    return {indicator.name: indicator for indicator in found}


def _paragraphs(path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def _signed_on(path) -> str:
    return [p.text for p in Document(str(path)).paragraphs if p.style.name == "落款"][-1]


def _export(data, year, path, **options):
    with data.sessions() as s:
        return export.export(s, year, path, **options)


def test_a_field_shows_the_value_with_the_unit_of_its_indicator():
    found = _indicators(Indicator("技术交易额(万元)", Decimal("3187.50"), None, None, manual=True))
    assert live_fields.render("成交【技术交易额(万元)】。", found) == ("成交3187.5万元。", [])


def test_a_decline_reads_xiajiang_and_no_change_reads_chiping():
    found = _indicators(Indicator("甲", 96, None, 100), Indicator("乙", 7, None, 7))
    text, problems = live_fields.render("【甲·同比】，【乙·同比】", found)
    assert (text, problems) == ("同比下降4.0%，与上年持平", [])


def test_a_change_from_nothing_last_year_has_no_percentage_and_takes_its_comma_along():
    found = _indicators(Indicator("甲", 5, None, 0))
    assert live_fields.render("新增【甲】，【甲·同比】。", found) == ("新增5。", [])
    assert live_fields.render("【甲·同比】，继续努力", found)[0] == "，继续努力"


def test_an_unknown_field_and_a_missing_value_stay_as_written_with_a_problem_each():
    found = _indicators(Indicator("甲", None, Decimal(10), None, manual=True))
    text, problems = live_fields.render("【乙】和【甲】，目标【甲·目标】，【甲·环比】。", found)
    assert text == "【乙】和【甲】，目标10，【甲·环比】。"
    assert [(p.field, p.missing) for p in problems] == [
        ("【乙】", ""),
        ("【甲】", "本年数值"),
        ("【甲·环比】", ""),
    ]
    assert problems[0].sentence("开篇", 2013).startswith("“开篇”中的【乙】不是 2013 年的指标")
    assert "缺少本年数值" in problems[1].sentence("开篇", 2013)


def test_other_middle_dots_read_as_the_separator():
    assert live_fields.split_field("专利申请量・同比") == ("专利申请量", live_fields.BY_NAME["同比"])
    assert live_fields.field_text("专利申请量", live_fields.BY_NAME["同比"]) == "【专利申请量·同比】"


def test_every_suffix_is_filled_in_in_the_document(small_data, tmp_path):
    with small_data.sessions.begin() as s:
        drafts.update_section(s, 2012, "ip", clerk_text=EVERY_SUFFIX)
        drafts.update_section(s, 2012, "awards", clerk_text="获奖【科技奖励数】，【科技奖励数·同比】。")
    done = _export(small_data, 2012, tmp_path / "r.docx")
    paragraphs = _paragraphs(tmp_path / "r.docx")
    assert EVERY_SUFFIX_FILLED in paragraphs
    assert "获奖2项，同比下降33.3%。" in paragraphs
    assert not any("【" in p for p in paragraphs)
    assert done.warnings == []


def test_an_unknown_field_stays_in_the_document_and_the_command_prints_it(small_file, tmp_path, capsys):
    from db.database import open_data_file

    data = open_data_file(small_file, take_lock=False)
    with data.sessions.begin() as s:
        drafts.update_section(s, 2012, "plans", clerk_text="力争专利申请【专利申请两】。")
        s.add(Target(year=2012, indicator="技术交易额(万元)", target_value=Decimal(100)))
        drafts.update_section(s, 2012, "intro", clerk_text="技术交易【技术交易额(万元)】。")
    data.close()
    out = tmp_path / "r.docx"
    assert cli.main(["report", "--db", str(small_file), "--year", "2012", "-o", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert "力争专利申请【专利申请两】。" in _paragraphs(out)
    assert "技术交易【技术交易额(万元)】。" in _paragraphs(out)
    assert printed[1:] == [
        "“开篇（总体情况）”中的【技术交易额(万元)】缺少本年数值，文中原样保留。",
        "“下一年工作要点”中的【专利申请两】不是 2012 年的指标（名称有误，或这一年还没有该指标），文中原样保留。",
    ]


def test_last_years_text_fills_itself_in_with_this_years_figures(small_data, tmp_path):
    with small_data.sessions.begin() as s:
        drafts.update_section(s, 2012, "ip", clerk_text=EVERY_SUFFIX)
        for day in (dt.date(2013, 2, 1), dt.date(2013, 3, 1)):
            s.add(
                Patent(
                    title="新专利", patent_type="发明", applicant="甲", applicant_type="企业", filed_on=day
                )
            )
        s.add(Target(year=2013, indicator="专利申请量", target_value=Decimal(8)))
    with small_data.sessions.begin() as s:
        assert drafts.copy_previous_text(s, 2013) == 1
    with small_data.sessions() as s:
        assert drafts.load_draft(s, 2013).section("ip").clerk_text == EVERY_SUFFIX
    _export(small_data, 2013, tmp_path / "2013.docx")
    filled = "全年专利申请2件，上年5件，同比下降60.0%；目标8件，完成率25.0%。"
    assert filled in _paragraphs(tmp_path / "2013.docx")


def test_copying_last_years_text_never_overwrites_this_years_and_adds_the_clerks_sections(small_data):
    with small_data.sessions.begin() as s:
        drafts.update_section(s, 2012, "ip", clerk_text="旧知识产权")
        drafts.update_section(s, 2012, "plans", clerk_text="旧要点")
        key = drafts.add_section(s, 2012, "专家服务")
        drafts.update_section(s, 2012, key, clerk_text="旧专家")
        drafts.update_section(s, 2013, "plans", clerk_text="新要点")
    with small_data.sessions.begin() as s:
        assert drafts.copy_previous_text(s, 2013) == 2
    with small_data.sessions() as s:
        draft = drafts.load_draft(s, 2013)
    assert draft.section("ip").clerk_text == "旧知识产权"
    assert draft.section("plans").clerk_text == "新要点"
    assert [(x.heading, x.clerk_text) for x in draft.sections if x.custom] == [("专家服务", "旧专家")]
    assert draft.section("plans").heading == "2014年工作要点"


def test_the_signature_carries_the_drafts_date_or_else_the_export_day(small_data, tmp_path):
    _export(small_data, 2012, tmp_path / "today.docx", today=dt.date(2013, 1, 5))
    assert _signed_on(tmp_path / "today.docx") == "2013年1月5日"
    with small_data.sessions.begin() as s:
        drafts.update_draft(s, 2012, issued_on=dt.date(2012, 12, 28))
    _export(small_data, 2012, tmp_path / "set.docx", today=dt.date(2013, 1, 5))
    assert _signed_on(tmp_path / "set.docx") == "2012年12月28日"
    with small_data.sessions.begin() as s:
        drafts.update_draft(s, 2012, title="新标题")  # the date set stays
    with small_data.sessions() as s:
        assert drafts.load_draft(s, 2012).issued_on == dt.date(2012, 12, 28)
    with small_data.sessions.begin() as s:
        drafts.update_draft(s, 2012, issued_on=None)
    _export(small_data, 2012, tmp_path / "cleared.docx", today=dt.date(2013, 1, 6))
    assert _signed_on(tmp_path / "cleared.docx") == "2013年1月6日"


def test_full_width_and_ascii_dots_read_as_the_separator_and_a_name_keeps_its_own_dots():
    found = _indicators(
        Indicator("专利申请量", 5, None, 4), Indicator("R.D投入(万元)", 3, None, None, manual=True)
    )
    for dot in ("．", ".", "･", "⋅", "∙", "•"):
        assert live_fields.render(f"【专利申请量{dot}同比】", found) == ("同比增长25.0%", [])
    # A dot that is no separator before a suffix is part of the name, as the clerk entered it.
    assert live_fields.render("【R.D投入(万元)】", found) == ("3万元", [])
    assert live_fields.render("【甲・乙】", _indicators(Indicator("甲・乙", 2, None, None))) == ("2", [])


def test_an_unclosed_bracket_stays_as_written_with_a_problem_in_text_order():
    found = _indicators(Indicator("甲", 5, None, None))
    text = "申请【甲件，同比增长【甲】。\n另起【】一行【甲"
    shown, problems = live_fields.render(text, found)
    assert shown == "申请【甲件，同比增长5。\n另起【】一行【甲"
    assert [(p.field, p.unclosed) for p in problems] == [("【甲件，同比增长", True), ("【甲", True)]
    assert problems[0].sentence("开篇", 2013) == (
        "“开篇”中“【甲件，同比增长”的“【”没有配对的“】”，不会填入数字，文中原样保留。"
    )


def test_the_command_prints_an_unclosed_bracket_before_the_export(small_file, tmp_path, capsys):
    from db.database import open_data_file

    data = open_data_file(small_file, take_lock=False)
    with data.sessions.begin() as s:
        drafts.update_section(s, 2012, "plans", clerk_text="力争专利申请【专利申请量·目标件以上。")
    data.close()
    out = tmp_path / "r.docx"
    assert cli.main(["report", "--db", str(small_file), "--year", "2012", "-o", str(out)]) == 0
    assert "力争专利申请【专利申请量·目标件以上。" in _paragraphs(out)
    assert capsys.readouterr().out.splitlines()[1:] == [
        "“下一年工作要点”中“【专利申请量·目标件以上。”的“【”没有配对的“】”，不会填入数字，文中原样保留。"
    ]
