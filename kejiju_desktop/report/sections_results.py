"""Generated sentences of the results sections: awards, intellectual property, popularisation events."""

from __future__ import annotations

from decimal import Decimal

from kejiju_desktop import fields
from kejiju_desktop.report import wording
from kejiju_desktop.report.document import Para
from kejiju_desktop.report.facts import Facts
from kejiju_desktop.report.sections import examples, group_of, indicator_clause, level_rank, target_clauses

# --- 科技奖励 -------------------------------------------------------------------------------------


def awards(f: Facts) -> list[Para]:
    """Awards of the year by level, then award name and grade."""
    a = f.now.awards
    if not a.total:
        return []
    names = []
    for level in fields.LEVELS:
        names += [n for n in f.short(group_of(a.by_level, level).names) if n not in names]
    who = examples(names, len(names))
    head = f"{who}单位" if who.endswith("等") else who
    first = wording.sentence(
        wording.with_change(
            f"全年{head}获得各级科技奖励{wording.count(a.total, '项')}", a.total, f.before.awards.total
        ),
        *target_clauses(f, fields.INDICATOR_AWARDS),
    )
    levels = [_award_level(f, a, level) for level in fields.LEVELS if level in a.by_level]
    return [Para(first + ("其中，" + wording.series(*levels) if levels else ""))]


def _award_level(f: Facts, a, level: str) -> str:
    items = [(name, grade, n) for (lv, name, grade), n in a.by_level_name_grade.items() if lv == level]
    items.sort(key=lambda x: (_rank(AWARD_NAMES, x[0]), _rank(GRADES, x[1])))
    total = a.by_level[level].count
    word = f.level_word(level)
    if len(items) == 1:
        name, grade, n = items[0]
        return f"{word}{name}{_grade(grade)}{wording.count(n, '项')}"
    parts, last_name = [], None
    for name, grade, n in items:
        parts.append(f"{name if name != last_name else ''}{_grade(grade)}{wording.count(n, '项')}")
        last_name = name
    return f"{word}科技奖励{wording.count(total, '项')}，包括{'、'.join(parts)}"


GRADES = fields.ENTITIES["awards"].field("grade").choices
AWARD_NAMES = fields.ENTITIES["awards"].field("award_name").choices


def _rank(order: tuple[str, ...], value: str) -> int:
    return order.index(value) if value in order else len(order)


def _grade(grade: str) -> str:
    return "" if grade in ("", fields.GRADE_NONE) else grade


# --- 知识产权 -------------------------------------------------------------------------------------


def intellectual_property(f: Facts) -> list[Para]:
    """Patent applications and grants with their targets, IP programmes and pilot units."""
    paras = [Para(_patents(f), "专利创造。"), Para(_ip_programmes(f), "知识产权运用。")]
    return [p for p in paras if p.text]


def _patents(f: Facts) -> str:
    p, before = f.now.patents, f.before.patents
    apps = ""
    if p.applications:
        apps = wording.sentence(
            wording.with_change(
                f"全年专利申请量{wording.count(p.applications, '件')}", p.applications, before.applications
            ),
            wording.breakdown([(f"{k}专利", p.by_type.get(k, 0)) for k in fields.PATENT_TYPES], "件"),
            f"企业专利申请{wording.count(p.enterprise, '件')}" if p.enterprise else "",
        )
    grants = ""
    if p.grants:
        grants = wording.sentence(
            wording.with_change(f"专利授权量{wording.count(p.grants, '件')}", p.grants, before.grants),
            indicator_clause(f, fields.INDICATOR_INVENTION_GRANTS, "其中"),
        )
    return apps + grants + _valid_inventions(f) + wording.sentence(*_patenttarget_clauses(f))


def _valid_inventions(f: Facts) -> str:
    """ "截至年底，全县有效发明专利120件，同比增长8.3%，每万人口发明专利拥有量2.35件" with their targets."""
    valid = indicator_clause(f, fields.INDICATOR_VALID_INVENTIONS, f"截至年底，{f.whole}")
    if not valid:
        return ""
    return wording.sentence(
        valid,
        indicator_clause(f, fields.INDICATOR_INVENTIONS_PER_10K),
        *target_clauses(f, fields.INDICATOR_VALID_INVENTIONS, fields.INDICATOR_INVENTIONS_PER_10K),
    )


def _patenttarget_clauses(f: Facts) -> list[str]:
    main = f.indicator(fields.INDICATOR_PATENT_APPLICATIONS)
    subs = [
        f.indicators[n]
        for n in (fields.INDICATOR_INVENTION_APPLICATIONS, fields.INDICATOR_ENTERPRISE_APPLICATIONS)
        if n in f.indicators
    ]
    subs = [s for s in subs if s.target]
    beaten = main is not None and main.target and all(_reached(s) for s in [main, *subs])
    clauses = []
    if beaten and subs:
        inner = "、".join(
            f"{wording.indicator_words(s.name)[0][:-2]}{wording.count(s.target, '件')}" for s in subs
        )
        clauses.append(wording.target_clause(main, f"（{inner}）"))
    else:
        clauses += [wording.target_clause(s) for s in [main, *subs] if s is not None]
    clauses += target_clauses(f, fields.INDICATOR_PATENT_GRANTS, fields.INDICATOR_INVENTION_GRANTS)
    return clauses


def _reached(indicator) -> bool:
    return indicator.value is not None and Decimal(indicator.value) >= Decimal(indicator.target)


def _ip_programmes(f: Facts) -> str:
    p = f.ip_now
    parts = []
    if p.applied.count:
        parts.append(f"组织企业申报知识产权类项目{wording.count(p.applied.count, '项')}")
    if p.approved.count:
        money = f"，项目资金{wording.count(p.approved.amount, '万元')}" if p.approved.amount else ""
        parts.append(f"获得立项{wording.count(p.approved.count, '项')}{money}")
    pilots = []
    for level, group in sorted(
        f.now.qualifications.new_by_level.get(fields.CATEGORY_IP_PILOT, {}).items(), key=level_rank
    ):
        who = wording.named(f.short(group.names), group.count, "家", "单位")
        pilots.append(f"{who}获批{f.level_word(level)}知识产权试点示范单位")
    return wording.sentence(*parts) + wording.sentence(*pilots)


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
    head = f"全年组织开展各类科普与科技活动{wording.count(e.count, '次')}"
    people = f"参与{wording.count(e.participants, '人次')}" if e.participants else ""
    return wording.sentence(
        wording.with_change(head, e.count, f.before.events.count),
        people,
        wording.breakdown([(k or fields.EVENT_OTHER, g.count) for k, g in kinds], "次"),
        *target_clauses(f, fields.INDICATOR_EVENTS),
    )


def _contests_and_experts(f: Facts) -> str:
    e = f.now.events
    clauses = []
    contest = e.by_type.get(fields.EVENT_CONTEST)
    if contest:
        works = e.works_by_type.get(fields.EVENT_CONTEST, 0)
        names = "、".join(f"“{n}”" for n in contest.names[:2]) + ("等" if contest.count > 2 else "")
        entries = f"，收到参赛作品{wording.count(works, '份')}" if works else ""
        clauses.append(f"举办{names}竞赛评比活动{wording.count(contest.count, '次')}{entries}")
    for kind, verb in (
        (fields.EVENT_EXPERT, "邀请专家开展献计献策和咨询活动"),
        (fields.EVENT_LECTURE, "举办专题讲座和培训"),
    ):
        group = e.by_type.get(kind)
        if group:
            people = e.participants_by_type.get(kind, 0)
            tail = f"，参与{wording.count(people, '人次')}" if people else ""
            clauses.append(f"{verb}{wording.count(group.count, '次')}{tail}")
    return wording.series(*clauses)


def _bases(f: Facts) -> str:
    q = f.now.qualifications
    new, valid = (
        group_of(q.new, fields.CATEGORY_POPULAR_BASE),
        group_of(q.valid, fields.CATEGORY_POPULAR_BASE),
    )
    first = ""
    if new.count:
        first = f"在{examples(f.short(new.names), new.count)}新建科普基地{wording.count(new.count, '个')}"
    total = f"{f.whole}科普基地达{wording.count(valid.count, '个')}" if valid.count > new.count else ""
    return wording.sentence(first, total) if first else ""
