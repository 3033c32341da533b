"""Generated sentences of each default section (DESIGN §5), in the register of the reference report."""

from __future__ import annotations

from kejiju_desktop import fields
from kejiju_desktop.report import wording
from kejiju_desktop.report.document import Para
from kejiju_desktop.report.facts import Facts
from kejiju_desktop.services.stats import Group

CARRIER_KINDS = (
    fields.CATEGORY_ENGINEERING_CENTRE, fields.CATEGORY_RESEARCH_LAB, fields.CATEGORY_ALLIANCE, fields.CATEGORY_ACADEMICIAN,
    fields.CATEGORY_INCUBATOR,
)  # fmt: skip
UPPER_LEVELS = (fields.LEVEL_NATIONAL, fields.LEVEL_PROVINCE, fields.LEVEL_CITY)


def group_of(groups: dict[str, Group], key: str) -> Group:
    """The group of `key`, or an empty one."""
    return groups.get(key) or Group()


def examples(names: list[str], total: int | None = None) -> str:
    """Named examples without a count: 甲、乙、丙等 (just the names when they are all)."""
    shown = [n for n in names if n][: wording.MAX_NAMES]
    total = len(names) if total is None else total
    if not shown:
        return ""
    return "、".join(shown) + ("等" if total > len(shown) else "")


# --- 开篇 ---------------------------------------------------------------------------------------


def intro(f: Facts) -> list[Para]:
    """The opening sentence with the year's headline figures."""
    n = f.now
    figures = [
        f"专利申请{wording.count(n.patents.applications, '件')}" if n.patents.applications else "",
        _new_high_tech_phrase(f),
        _approved_phrase(n.projects.approved),
        f"获得各级科技奖励{wording.count(n.awards.total, '项')}" if n.awards.total else "",
        f"开展科普与科技活动{wording.count(n.events.count, '次')}" if n.events.count else "",
    ]
    figures = [x for x in figures if x]
    if not figures:
        return []
    text = f"{f.year}年，{f.whole}{'，'.join(figures)}。现将全年主要工作情况报告如下。"
    return [Para(text)]


def _new_high_tech_phrase(f: Facts) -> str:
    new = group_of(f.now.qualifications.new, fields.CATEGORY_HIGH_TECH)
    return f"新认定高新技术企业{wording.count(new.count, '家')}" if new.count else ""


def _approved_phrase(approved: Group) -> str:
    if not approved.count:
        return ""
    money = f"，争取财政资助资金{wording.count(approved.amount, '万元')}" if approved.amount else ""
    return f"获批立项各级科技计划项目{wording.count(approved.count, '项')}{money}"


# --- 创新主体与载体 ---------------------------------------------------------------------------------


def carriers(f: Facts) -> list[Para]:
    """High-tech and innovative enterprises, then engineering centres, labs, alliances and the like."""
    return [
        p
        for p in (
            Para(_high_tech(f), "培育高新技术企业。"),
            Para(_innovative(f), "培育创新型企业。"),
            Para(_carrier_kinds(f), "建设科技创新载体。"),
        )
        if p.text
    ]


def _high_tech(f: Facts) -> str:
    q = f.now.qualifications
    applied, new = group_of(q.applied, fields.CATEGORY_HIGH_TECH), group_of(q.new, fields.CATEGORY_HIGH_TECH)
    applying = group_of(q.applying, fields.CATEGORY_HIGH_TECH)
    first = ""
    if applied.count:
        first = f"组织{wording.named(f.short(applied.names), applied.count, '家', '企业')}申报高新技术企业"
    outcome = ""
    if new.count and new.count == applied.count:
        outcome = "全部通过认定"
    elif new.count:
        outcome = "其中" + "、".join(
            x
            for x in (
                f"{wording.count(new.count, '家')}通过认定",
                f"{wording.count(applying.count, '家')}正在评审",
            )
            if not x.startswith("0")
        )
    indicator = f.indicator(fields.INDICATOR_NEW_HIGH_TECH)
    target = wording.target_clause(indicator) if indicator else ""
    total = indicator_clause(f, fields.INDICATOR_VALID_HIGH_TECH, f"截至年底，{f.whole}")
    return wording.sentence(first, outcome, target) + _with_targets(
        f, total, fields.INDICATOR_VALID_HIGH_TECH
    )


def indicator_clause(f: Facts, name: str, head: str = "") -> str:
    """ "{head}有效发明专利120件，同比增长8.3%" for a computed 指标; empty when it is 0 or missing."""
    indicator = f.indicator(name)
    if indicator is None or not indicator.value:
        return ""
    noun, unit = wording.indicator_words(name)
    text = f"{head}{noun}{wording.count(indicator.value, unit)}"
    return wording.with_change(text, indicator.value, indicator.previous)


def _with_targets(f: Facts, clause: str, *names: str) -> str:
    """A sentence of `clause` and the target outcomes of `names`; empty when the clause is."""
    return wording.sentence(clause, *target_clauses(f, *names)) if clause else ""


def _innovative(f: Facts) -> str:
    q = f.now.qualifications
    parts = []
    for level, group in sorted(q.new_by_level.get(fields.CATEGORY_INNOVATIVE, {}).items(), key=level_rank):
        noun = f"{f.level_word(level)}{fields.CATEGORY_INNOVATIVE}"
        parts.append(f"{wording.named(f.short(group.names), group.count, '家', '企业')}获批{noun}")
    valid = group_of(q.valid, fields.CATEGORY_INNOVATIVE).count
    if valid:
        parts.append(f"{f.whole}累计有效创新型企业{wording.count(valid, '家')}")
    small_new = group_of(q.new, fields.CATEGORY_SMALL_TECH).count
    small = wording.sentence(
        f"新增科技型中小企业{wording.count(small_new, '家')}" if small_new else "",
        indicator_clause(f, fields.INDICATOR_VALID_SMALL_TECH, f.whole),
        *target_clauses(f, fields.INDICATOR_VALID_SMALL_TECH),
    )
    return wording.sentence(*parts) + small


def level_rank(item) -> int:
    """Sort key of a (级别, …) pair: 国家, 省, 市, 县, then anything else."""
    level = item[0]
    return fields.LEVELS.index(level) if level in fields.LEVELS else len(fields.LEVELS)


def _carrier_kinds(f: Facts) -> str:
    q = f.now.qualifications
    clauses = []
    for kind in CARRIER_KINDS:
        for level, group in sorted(q.new_by_level.get(kind, {}).items(), key=level_rank):
            names = examples(f.short(group.names), group.count)
            clauses.append(f"依托{names}新建{f.level_word(level)}{kind}{wording.count(group.count, '个')}")
    kinds, total = [], 0
    for kind in CARRIER_KINDS:
        by_level = q.valid_by_level.get(kind, {})
        n = sum(by_level[level].count for level in UPPER_LEVELS if level in by_level)
        if n:
            kinds.append(kind)
            total += n
    if total:
        listed = "、".join(kinds[:3]) + ("等" if len(kinds) > 3 else "")
        clauses.append(
            f"{f.whole}{f.level_word(fields.LEVEL_CITY)}以上{listed}各类创新载体累计达{wording.count(total, '个')}"
        )
    return wording.series(*clauses)


# --- 科技计划项目 ------------------------------------------------------------------------------------


def projects(f: Facts) -> list[Para]:
    """Projects applied for by level, approved with funding by 计划类别, checks, manual 指标."""
    paras = [
        Para(_applied(f), "组织申报科技计划项目。"),
        Para(_approved(f), "争取项目立项支持。"),
        Para(wording.series(*_by_category(f, f.now.projects.approved_by_category))),
        Para(_checked(f.now.projects, "科技计划项目"), "加强项目过程管理。"),
        Para(_manual(f), "推动科技成果转化。"),
    ]
    return [p for p in paras if p.text]


def _level_items(f: Facts, groups: dict[str, Group]) -> list[tuple[str, int]]:
    return [(f.level_word(level), groups[level].count) for level in fields.LEVELS if level in groups]


def target_clauses(f: Facts, *names: str) -> list[str]:
    """The target outcome of each named 指标 that has one."""
    return [wording.target_clause(f.indicators[n]) for n in names if n in f.indicators]


def _applied(f: Facts) -> str:
    p, before = f.now.projects, f.before.projects
    if not p.applied.count:
        return ""
    who = examples(f.short(p.applied.names), len(p.applied.names))
    who = f"组织{who}单位" if who.endswith("等") else (f"组织{who}" if who else "全年")
    head = f"{who}申报各级科技计划项目{wording.count(p.applied.count, '项')}"
    return wording.sentence(
        wording.with_change(head, p.applied.count, before.applied.count),
        wording.breakdown(_level_items(f, p.applied_by_level), "项"),
        *target_clauses(f, fields.INDICATOR_PROJECTS_APPLIED),
    )


def _approved(f: Facts) -> str:
    p, before = f.now.projects, f.before.projects
    if not p.approved.count:
        return ""
    head = f"全年获批立项{wording.count(p.approved.count, '项')}"
    money = ""
    if p.approved.amount:
        money = wording.with_change(
            f"争取财政资助资金{wording.count(p.approved.amount, '万元')}",
            p.approved.amount,
            before.approved.amount,
        )
    return wording.sentence(
        head, wording.breakdown(_level_items(f, p.approved_by_level), "项"), money,
        *target_clauses(f, fields.INDICATOR_PROJECTS_APPROVED, fields.INDICATOR_PROJECT_FUNDING),
    )  # fmt: skip


def _by_category(f: Facts, groups: dict[str, Group]) -> list[str]:
    clauses = []
    ranked = sorted(groups.items(), key=lambda kv: (-kv[1].amount, -kv[1].count, kv[0] or ""))
    for category, group in ranked:
        if not category:
            continue
        units = len(group.names)
        who = wording.named(f.short(group.names), units, "家", "单位") if units else ""
        extra = "" if units == group.count else wording.count(group.count, "项")
        money = f"，资助资金{wording.count(group.amount, '万元')}" if group.amount else ""
        clauses.append(f"{who}获{category}立项支持{extra}{money}")
    return clauses


def _checked(p, noun: str) -> str:
    parts = []
    if p.accepted.count:
        parts.append(f"{wording.count(p.accepted.count, '个')}{noun}的验收")
    if p.midterm.count:
        parts.append(f"{wording.count(p.midterm.count, '个')}项目的中期检查")
    return f"组织完成{wording.join(parts, '和')}工作。" if parts else ""


def _manual(f: Facts) -> str:
    clauses = []
    for indicator in f.manual_indicators:
        if indicator.value is None or indicator.name in fields.INPUT_INDICATORS:
            continue  # an input (年末常住人口) is stated through the figure it serves
        noun, unit = wording.indicator_words(indicator.name)
        head = wording.with_change(
            f"{noun}实现{wording.count(indicator.value, unit)}", indicator.value, indicator.previous
        )
        clauses.append(wording.sentence(head, wording.target_clause(indicator)))
    return "".join(clauses)


# --- 农业科技 -------------------------------------------------------------------------------------


def agriculture(f: Facts) -> list[Para]:
    """Projects of 技术领域 农业: applied, approved with funding by 计划类别, acceptances and checks."""
    p, before = f.now.agri_projects, f.before.agri_projects
    first = ""
    if p.applied.count:
        first = wording.sentence(
            f"全年组织申报农业类科技计划项目{wording.count(p.applied.count, '项')}",
            f"获批立项{wording.count(p.approved.count, '项')}" if p.approved.count else "",
            wording.with_change(
                f"争取资金{wording.count(p.approved.amount, '万元')}",
                p.approved.amount,
                before.approved.amount,
            )
            if p.approved.amount
            else "",
        )
    second = wording.series(*_by_category(f, p.approved_by_category))
    checked = _checked(p, "农业科技项目")
    return [Para(t) for t in (first + second, checked) if t]
