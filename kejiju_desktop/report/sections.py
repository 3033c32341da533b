"""Generated sentences of each default section (DESIGN §5), in the register of the reference report."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from kejiju_desktop import fields as F
from kejiju_desktop.report import wording as W
from kejiju_desktop.report.document import Para
from kejiju_desktop.report.facts import Facts, level_word
from kejiju_desktop.services.stats import Group

HIGH_TECH, INNOVATIVE, SMALL_TECH = "高新技术企业", "创新型企业", "科技型中小企业"
CARRIER_KINDS = ("工程技术研究中心", "产学研联合实验室", "技术创新联盟", "院士工作站", "科技企业孵化器")
UPPER_LEVELS = ("国家", "省", "市")
CONTEST, EXPERT, LECTURE = "竞赛评比", "专家咨询", "讲座培训"
POPULAR_BASE, IP_PILOT = "科普基地", "知识产权试点示范"
PATENT_TYPES = ("发明", "实用新型", "外观设计")
NO_GRADE = "不分等级"


def _group(groups: dict[str, Group], key: str) -> Group:
    return groups.get(key) or Group()


def examples(names: list[str], total: int | None = None) -> str:
    """ "甲、乙、丙等" (or just the names when they are all)."""
    shown = [n for n in names if n][: W.MAX_NAMES]
    total = len(names) if total is None else total
    if not shown:
        return ""
    return "、".join(shown) + ("等" if total > len(shown) else "")


# --- 开篇 ---------------------------------------------------------------------------------------


def intro(f: Facts) -> list[Para]:
    """The opening sentence with the year's headline figures."""
    n = f.now
    figures = [
        f"专利申请{W.count(n.patents.applications, '件')}" if n.patents.applications else "",
        _new_high_tech_phrase(f),
        _approved_phrase(n.projects.approved),
        f"获得各级科技奖励{W.count(n.awards.total, '项')}" if n.awards.total else "",
        f"开展科普与科技活动{W.count(n.events.count, '次')}" if n.events.count else "",
    ]
    figures = [x for x in figures if x]
    if not figures:
        return []
    text = f"{f.year}年，全县{'，'.join(figures)}。现将全年主要工作情况报告如下。"
    return [Para(text)]


def _new_high_tech_phrase(f: Facts) -> str:
    new = _group(f.now.qualifications.new, HIGH_TECH)
    return f"新认定高新技术企业{W.count(new.count, '家')}" if new.count else ""


def _approved_phrase(approved: Group) -> str:
    if not approved.count:
        return ""
    money = f"，争取财政资助资金{W.count(approved.amount, '万元')}" if approved.amount else ""
    return f"获批立项各级科技计划项目{W.count(approved.count, '项')}{money}"


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
    q, before = f.now.qualifications, f.before.qualifications
    applied, new = _group(q.applied, HIGH_TECH), _group(q.new, HIGH_TECH)
    applying = _group(q.applying, HIGH_TECH)
    first = ""
    if applied.count:
        first = f"组织{W.named(f.short(applied.names), applied.count, '家', '企业')}申报高新技术企业"
    outcome = ""
    if new.count and new.count == applied.count:
        outcome = "全部通过认定"
    elif new.count:
        outcome = "其中" + "、".join(
            x
            for x in (f"{W.count(new.count, '家')}通过认定", f"{W.count(applying.count, '家')}正在评审")
            if not x.startswith("0")
        )
    indicator = f.indicator("新认定高新技术企业")
    target = W.target_clause(indicator) if indicator else ""
    valid, valid_before = _group(q.valid, HIGH_TECH).count, _group(before.valid, HIGH_TECH).count
    total = W.with_change(f"截至年底，全县有效高新技术企业{W.count(valid, '家')}", valid, valid_before)
    return W.sentence(first, outcome, target) + (W.sentence(total) if valid else "")


def _innovative(f: Facts) -> str:
    q = f.now.qualifications
    parts = []
    for level, group in sorted(q.new_by_level.get(INNOVATIVE, {}).items(), key=_level_rank):
        noun = f"{level_word(level)}{INNOVATIVE}"
        parts.append(f"{W.named(f.short(group.names), group.count, '家', '企业')}获批{noun}")
    valid = _group(q.valid, INNOVATIVE).count
    if valid:
        parts.append(f"全县累计有效创新型企业{W.count(valid, '家')}")
    small_new, small_valid = _group(q.new, SMALL_TECH).count, _group(q.valid, SMALL_TECH).count
    small = ""
    if small_new:
        small = f"新增科技型中小企业{W.count(small_new, '家')}"
    if small_valid:
        small = W.sentence(small, f"全县有效科技型中小企业达{W.count(small_valid, '家')}")
    return W.sentence(*parts) + (W.sentence(small) if small else "")


def _level_rank(item) -> int:
    level = item[0]
    return F.LEVELS.index(level) if level in F.LEVELS else len(F.LEVELS)


def _carrier_kinds(f: Facts) -> str:
    q = f.now.qualifications
    clauses = []
    for kind in CARRIER_KINDS:
        for level, group in sorted(q.new_by_level.get(kind, {}).items(), key=_level_rank):
            names = examples(f.short(group.names), group.count)
            clauses.append(f"依托{names}新建{level_word(level)}{kind}{W.count(group.count, '个')}")
    kinds, total = [], 0
    for kind in CARRIER_KINDS:
        by_level = q.valid_by_level.get(kind, {})
        n = sum(by_level[level].count for level in UPPER_LEVELS if level in by_level)
        if n:
            kinds.append(kind)
            total += n
    if total:
        listed = "、".join(kinds[:3]) + ("等" if len(kinds) > 3 else "")
        clauses.append(f"全县市级以上{listed}各类创新载体累计达{W.count(total, '个')}")
    return W.series(*clauses)


# --- 科技计划项目 ------------------------------------------------------------------------------------


def projects(f: Facts) -> list[Para]:
    """Projects applied for by level, approved with funding by 计划类别, checks, manual 指标."""
    paras = [
        Para(_applied(f), "组织申报科技计划项目。"),
        Para(_approved(f), "争取项目立项支持。"),
        Para(W.series(*_by_category(f, f.now.projects.approved_by_category))),
        Para(_checked(f.now.projects, "科技计划项目"), "加强项目过程管理。"),
        Para(_manual(f), "推动科技成果转化。"),
    ]
    return [p for p in paras if p.text]


def _level_items(groups: dict[str, Group]) -> list[tuple[str, int]]:
    return [(level_word(level), groups[level].count) for level in F.LEVELS if level in groups]


def _targets(f: Facts, *names: str) -> list[str]:
    return [W.target_clause(f.indicators[n]) for n in names if n in f.indicators]


def _applied(f: Facts) -> str:
    p, before = f.now.projects, f.before.projects
    if not p.applied.count:
        return ""
    who = examples(f.short(p.applied.names), len(p.applied.names))
    who = f"组织{who}单位" if who.endswith("等") else (f"组织{who}" if who else "全年")
    head = f"{who}申报各级科技计划项目{W.count(p.applied.count, '项')}"
    return W.sentence(
        W.with_change(head, p.applied.count, before.applied.count),
        W.breakdown(_level_items(p.applied_by_level), "项"),
        *_targets(f, "申报项目数"),
    )


def _approved(f: Facts) -> str:
    p, before = f.now.projects, f.before.projects
    if not p.approved.count:
        return ""
    head = f"全年获批立项{W.count(p.approved.count, '项')}"
    money = ""
    if p.approved.amount:
        money = W.with_change(
            f"争取财政资助资金{W.count(p.approved.amount, '万元')}", p.approved.amount, before.approved.amount
        )
    return W.sentence(
        head, W.breakdown(_level_items(p.approved_by_level), "项"), money,
        *_targets(f, "立项项目数", "争取项目资金(万元)"),
    )  # fmt: skip


def _by_category(f: Facts, groups: dict[str, Group]) -> list[str]:
    clauses = []
    ranked = sorted(groups.items(), key=lambda kv: (-kv[1].amount, -kv[1].count, kv[0] or ""))
    for category, group in ranked:
        if not category:
            continue
        units = len(group.names)
        who = W.named(f.short(group.names), units, "家", "单位")
        extra = "" if units == group.count else W.count(group.count, "项")
        money = f"，资助资金{W.count(group.amount, '万元')}" if group.amount else ""
        clauses.append(f"{who}获{category}立项支持{extra}{money}")
    return clauses


def _checked(p, noun: str) -> str:
    parts = []
    if p.accepted.count:
        parts.append(f"{W.count(p.accepted.count, '个')}{noun}的验收")
    if p.midterm.count:
        parts.append(f"{W.count(p.midterm.count, '个')}项目的中期检查")
    return f"组织完成{W.join(parts, '和')}工作。" if parts else ""


def _manual(f: Facts) -> str:
    clauses = []
    for indicator in f.manual_indicators:
        if indicator.value is None:
            continue
        noun, unit = W.indicator_words(indicator.name)
        head = W.with_change(
            f"{noun}实现{W.count(indicator.value, unit)}", indicator.value, indicator.previous
        )
        clauses.append(W.sentence(head, W.target_clause(indicator)))
    return "".join(clauses)


# --- 农业科技 -------------------------------------------------------------------------------------


def agriculture(f: Facts) -> list[Para]:
    """Projects of 技术领域 农业: applied, approved with funding by 计划类别, acceptances and checks."""
    p, before = f.now.agri_projects, f.before.agri_projects
    first = ""
    if p.applied.count:
        first = W.sentence(
            f"全年组织申报农业类科技计划项目{W.count(p.applied.count, '项')}",
            f"获批立项{W.count(p.approved.count, '项')}" if p.approved.count else "",
            W.with_change(
                f"争取资金{W.count(p.approved.amount, '万元')}", p.approved.amount, before.approved.amount
            )
            if p.approved.amount
            else "",
        )
    second = W.series(*_by_category(f, p.approved_by_category))
    checked = _checked(p, "农业科技项目")
    return [Para(t) for t in (first + second, checked) if t]


# --- 科技奖励 -------------------------------------------------------------------------------------


def awards(f: Facts) -> list[Para]:
    """Awards of the year by level, then award name and grade."""
    a = f.now.awards
    if not a.total:
        return []
    names = []
    for level in F.LEVELS:
        names += [n for n in f.short(_group(a.by_level, level).names) if n not in names]
    who = examples(names, len(names))
    head = f"{who}单位" if who.endswith("等") else who
    first = W.sentence(
        W.with_change(f"全年{head}获得各级科技奖励{W.count(a.total, '项')}", a.total, f.before.awards.total),
        *_targets(f, "科技奖励数"),
    )
    levels = [_award_level(a, level) for level in F.LEVELS if level in a.by_level]
    return [Para(first + ("其中，" + W.series(*levels) if levels else ""))]


def _award_level(a, level: str) -> str:
    items = [(name, grade, n) for (lv, name, grade), n in a.by_level_name_grade.items() if lv == level]
    items.sort(key=lambda x: (_rank(AWARD_NAMES, x[0]), _rank(GRADES, x[1])))
    total = a.by_level[level].count
    word = level_word(level)
    if len(items) == 1:
        name, grade, n = items[0]
        return f"{word}{name}{_grade(grade)}{W.count(n, '项')}"
    parts, last_name = [], None
    for name, grade, n in items:
        parts.append(f"{name if name != last_name else ''}{_grade(grade)}{W.count(n, '项')}")
        last_name = name
    return f"{word}科技奖励{W.count(total, '项')}，包括{'、'.join(parts)}"


GRADES = F.ENTITIES["awards"].field("grade").choices
AWARD_NAMES = F.ENTITIES["awards"].field("award_name").choices


def _rank(order: tuple[str, ...], value: str) -> int:
    return order.index(value) if value in order else len(order)


def _grade(grade: str) -> str:
    return "" if grade in ("", NO_GRADE) else grade


# --- 知识产权 -------------------------------------------------------------------------------------


def intellectual_property(f: Facts) -> list[Para]:
    """Patent applications and grants with their targets, IP programmes and pilot units."""
    paras = [Para(_patents(f), "专利创造。"), Para(_ip_programmes(f), "知识产权运用。")]
    return [p for p in paras if p.text]


def _patents(f: Facts) -> str:
    p, before = f.now.patents, f.before.patents
    apps = ""
    if p.applications:
        apps = W.sentence(
            W.with_change(
                f"全年专利申请量{W.count(p.applications, '件')}", p.applications, before.applications
            ),
            W.breakdown([(f"{k}专利", p.by_type.get(k, 0)) for k in PATENT_TYPES], "件"),
            f"企业专利申请{W.count(p.enterprise, '件')}" if p.enterprise else "",
        )
    grants = ""
    if p.grants:
        grants = W.sentence(
            W.with_change(f"专利授权量{W.count(p.grants, '件')}", p.grants, before.grants),
            W.breakdown([(f"{k}专利", p.grants_by_type.get(k, 0)) for k in PATENT_TYPES[:1]], "件"),
        )
    return apps + grants + W.sentence(*_patent_targets(f))


def _patent_targets(f: Facts) -> list[str]:
    main = f.indicator("专利申请量")
    subs = [f.indicators[n] for n in ("发明专利申请量", "企业专利申请量") if n in f.indicators]
    subs = [s for s in subs if s.target]
    beaten = main is not None and main.target and all(_reached(s) for s in [main, *subs])
    clauses = []
    if beaten and subs:
        inner = "、".join(f"{W.indicator_words(s.name)[0][:-2]}{W.count(s.target, '件')}" for s in subs)
        clauses.append(W.target_clause(main, f"（{inner}）"))
    else:
        clauses += [W.target_clause(s) for s in [main, *subs] if s is not None]
    clauses += _targets(f, "专利授权量")
    return clauses


def _reached(indicator) -> bool:
    return indicator.value is not None and Decimal(indicator.value) >= Decimal(indicator.target)


def _ip_programmes(f: Facts) -> str:
    p = f.ip_now
    parts = []
    if p.applied.count:
        parts.append(f"组织企业申报知识产权类项目{W.count(p.applied.count, '项')}")
    if p.approved.count:
        money = f"，项目资金{W.count(p.approved.amount, '万元')}" if p.approved.amount else ""
        parts.append(f"获得立项{W.count(p.approved.count, '项')}{money}")
    pilots = []
    for level, group in sorted(f.now.qualifications.new_by_level.get(IP_PILOT, {}).items(), key=_level_rank):
        who = W.named(f.short(group.names), group.count, "家", "单位")
        pilots.append(f"{who}获批{level_word(level)}知识产权试点示范单位")
    return W.sentence(*parts) + W.sentence(*pilots)


# --- 科普与科技活动 ----------------------------------------------------------------------------------


def events(f: Facts) -> list[Para]:
    """Events by type with 人次, contests with entries, expert activities, new 科普基地."""
    paras = [
        Para(_events_total(f), "科普与科技活动。"),
        Para(_contests_and_experts(f), "竞赛评比与专家咨询。"),
        Para(_bases(f), "科普基地建设。"),
    ]
    return [p for p in paras if p.text]


def _events_total(f: Facts) -> str:
    e = f.now.events
    if not e.count:
        return ""
    kinds = sorted(e.by_type.items(), key=lambda kv: (-kv[1].count, kv[0] or ""))
    head = f"全年组织开展各类科普与科技活动{W.count(e.count, '次')}"
    people = f"参与{W.count(e.participants, '人次')}" if e.participants else ""
    return W.sentence(
        W.with_change(head, e.count, f.before.events.count),
        people,
        W.breakdown([(k or "其他", g.count) for k, g in kinds], "次"),
        *_targets(f, "科技活动次数"),
    )


def _contests_and_experts(f: Facts) -> str:
    e = f.now.events
    clauses = []
    contest = e.by_type.get(CONTEST)
    if contest:
        works = e.works_by_type.get(CONTEST, 0)
        names = "、".join(f"“{n}”" for n in contest.names[:2]) + ("等" if contest.count > 2 else "")
        entries = f"，收到参赛作品{W.count(works, '份')}" if works else ""
        clauses.append(f"举办{names}竞赛评比活动{W.count(contest.count, '次')}{entries}")
    for kind, verb in ((EXPERT, "邀请专家开展献计献策和咨询活动"), (LECTURE, "举办专题讲座和培训")):
        group = e.by_type.get(kind)
        if group:
            people = e.participants_by_type.get(kind, 0)
            tail = f"，参与{W.count(people, '人次')}" if people else ""
            clauses.append(f"{verb}{W.count(group.count, '次')}{tail}")
    return W.series(*clauses)


def _bases(f: Facts) -> str:
    q = f.now.qualifications
    new, valid = _group(q.new, POPULAR_BASE), _group(q.valid, POPULAR_BASE)
    first = ""
    if new.count:
        first = f"在{examples(f.short(new.names), new.count)}新建科普基地{W.count(new.count, '个')}"
    total = f"全县科普基地达{W.count(valid.count, '个')}" if valid.count > new.count else ""
    return W.sentence(first, total) if first else ""


GENERATORS: dict[str, Callable[[Facts], list[Para]]] = {
    "intro": intro,
    "carriers": carriers,
    "projects": projects,
    "awards": awards,
    "ip": intellectual_property,
    "events": events,
    "agri": agriculture,
}
