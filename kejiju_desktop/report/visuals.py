"""The chart and the table a section may carry, as specs the writer and the preview draw."""

from __future__ import annotations

from kejiju_desktop import fields
from kejiju_desktop.report import wording
from kejiju_desktop.report.document import ChartSpec, TableSpec
from kejiju_desktop.report.facts import Facts
from kejiju_desktop.services.stats import Indicator, ProjectFigures

PROJECT_HEADERS = ["序号", "项目名称", "承担单位", "级别", "财政资助（万元）"]
PROJECT_WIDTHS = [9, 41, 24, 12, 16]
TOTAL_ROW = "合计"


def _years(f: Facts) -> tuple[str, str]:
    return f"{f.year - 1}年", f"{f.year}年"


def patents_chart(f: Facts) -> ChartSpec:
    before, now = _years(f)
    return ChartSpec(
        title=f"{f.year - 1}—{f.year}年专利申请量（按专利类型）",
        categories=[f"{k}专利" for k in fields.PATENT_TYPES],
        series=[
            (before, [f.before.patents.by_type.get(k, 0) for k in fields.PATENT_TYPES]),
            (now, [f.now.patents.by_type.get(k, 0) for k in fields.PATENT_TYPES]),
        ],
        unit="件",
    )


def projects_chart(f: Facts) -> ChartSpec:
    p = f.now.projects
    return ChartSpec(
        title=f"{f.year}年各级科技计划项目申报与立项情况",
        categories=[f.level_word(level) for level in fields.LEVELS],
        series=[
            ("申报", [p.applied_by_level[x].count if x in p.applied_by_level else 0 for x in fields.LEVELS]),
            (
                "立项",
                [p.approved_by_level[x].count if x in p.approved_by_level else 0 for x in fields.LEVELS],
            ),
        ],
        unit="项",
    )


def awards_chart(f: Facts) -> ChartSpec:
    before, now = _years(f)

    def counts(figures) -> list[float]:
        return [figures.by_level[x].count if x in figures.by_level else 0 for x in fields.LEVELS]

    return ChartSpec(
        title=f"{f.year - 1}—{f.year}年各级科技奖励数量",
        categories=[f.level_word(level) for level in fields.LEVELS],
        series=[(before, counts(f.before.awards)), (now, counts(f.now.awards))],
        unit="项",
    )


def events_chart(f: Facts) -> ChartSpec:
    kinds = sorted(f.now.events.by_type.items(), key=lambda kv: (-kv[1].count, kv[0] or ""))[:8]
    return ChartSpec(
        title=f"{f.year}年科普与科技活动（按活动类型）",
        categories=[k or fields.EVENT_OTHER for k, _g in kinds],
        series=[("活动次数", [g.count for _k, g in kinds])],
        unit="次",
    )


def carriers_chart(f: Facts) -> ChartSpec:
    kinds = (
        fields.CATEGORY_HIGH_TECH, fields.CATEGORY_INNOVATIVE, fields.CATEGORY_SMALL_TECH, fields.CATEGORY_ENGINEERING_CENTRE,
        fields.CATEGORY_RESEARCH_LAB,
    )  # fmt: skip
    before, now = _years(f)
    q_before, q_now = f.before.qualifications, f.now.qualifications
    return ChartSpec(
        title=f"{f.year - 1}—{f.year}年末有效创新主体与载体数量",
        categories=list(kinds),
        series=[
            (before, [q_before.valid[k].count if k in q_before.valid else 0 for k in kinds]),
            (now, [q_now.valid[k].count if k in q_now.valid else 0 for k in kinds]),
        ],
        unit="家（个）",
    )


CHARTS = {
    "ip": patents_chart,
    "projects": projects_chart,
    "awards": awards_chart,
    "events": events_chart,
    "carriers": carriers_chart,
}


def project_table(f: Facts, figures: ProjectFigures, title: str) -> TableSpec | None:
    """The projects approved in the year with their 财政资助, largest first, and a total row."""
    if not figures.approved_list:
        return None
    rows = []
    for i, (name, unit, level, funding) in enumerate(figures.approved_list, start=1):
        money = wording.number(funding) if funding is not None else ""
        rows.append([str(i), name, wording.short_name(unit, f.county), f.level_word(level), money])
    rows.append([TOTAL_ROW, "", "", "", wording.number(figures.approved.amount)])
    return TableSpec(title, PROJECT_HEADERS, rows, PROJECT_WIDTHS)


def projects_table(f: Facts) -> TableSpec | None:
    return project_table(f, f.now.projects, f"{f.year}年立项科技计划项目及财政资助情况")


def agri_table(f: Facts) -> TableSpec | None:
    return project_table(f, f.now.agri_projects, f"{f.year}年立项农业科技项目及财政资助情况")


INDICATOR_HEADERS = ["指标", "单位", "目标", "完成", "完成率", "上年", "同比"]
INDICATOR_WIDTHS = [24, 8, 14, 14, 13, 14, 13]  # a figure like 1234.56 or -17.7% on one line


def _figure(value) -> str:
    return "" if value is None else wording.number(value)


def _percent(value) -> str:
    """ "108.6%"; a decline keeps its sign, "-5.0%" (the table's register; sentences say 下降)."""
    return "" if value is None else wording.percent(value)


def indicator_row(indicator: Indicator) -> list[str]:
    """One 指标 as the table states it: name, unit, target, outcome, completion, last year, change."""
    unit = wording.indicator_words(indicator.name)[1]
    name = indicator.name
    for bracketed in (f"({unit})", f"（{unit}）"):  # the unit has a column of its own
        if unit and name.endswith(bracketed):
            name = name.removesuffix(bracketed)
    return [
        name, unit, _figure(indicator.target), _figure(indicator.value), _percent(indicator.completion),
        _figure(indicator.previous), _percent(indicator.change),
    ]  # fmt: skip


def indicators_table(f: Facts) -> TableSpec | None:
    """附件 主要科技指标完成情况表: every 指标 with a target or a last year's figure; none without a target.

    A last year's 0 is no figure (a computed 指标 is 0 when nothing was recorded), as in the sentences.
    """
    found = list(f.indicators.values())
    if not any(i.target is not None for i in found):
        return None
    # An input the clerk enters (年末常住人口) is no indicator the bureau achieves.
    counted = [i for i in found if i.name not in fields.INPUT_INDICATORS]
    rows = [indicator_row(i) for i in counted if i.target is not None or i.previous]
    return TableSpec(f"{f.year}年主要科技指标完成情况表", INDICATOR_HEADERS, rows, INDICATOR_WIDTHS)


INDICATOR_TABLE = "indicators"  # the section that is this table alone
TABLES = {"projects": projects_table, "agri": agri_table, INDICATOR_TABLE: indicators_table}
