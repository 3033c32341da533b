"""Number, name and comparison phrases in the register of a county bureau's annual report (DESIGN §5)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from kejiju_desktop import fields, messages
from kejiju_desktop.services.stats import Indicator, change_percent, half_up

CN_NUMERALS = "零一二三四五六七八九十"
MAX_NAMES = 3
LEGAL_SUFFIXES = ("有限责任公司", "有限公司", "集团公司")

# 指标 → (what the target is called in a sentence, its unit).
INDICATOR_WORDS: dict[str, tuple[str, str]] = {
    fields.INDICATOR_PATENT_APPLICATIONS: ("专利申请", "件"),
    fields.INDICATOR_INVENTION_APPLICATIONS: ("发明专利申请", "件"),
    fields.INDICATOR_ENTERPRISE_APPLICATIONS: ("企业专利申请", "件"),
    fields.INDICATOR_PATENT_GRANTS: ("专利授权", "件"),
    fields.INDICATOR_NEW_HIGH_TECH: ("新认定高新技术企业", "家"),
    fields.INDICATOR_PROJECTS_APPLIED: ("申报科技计划项目", "项"),
    fields.INDICATOR_PROJECTS_APPROVED: ("科技计划项目立项", "项"),
    fields.INDICATOR_PROJECT_FUNDING: ("争取项目资金", "万元"),
    fields.INDICATOR_AWARDS: ("获得科技奖励", "项"),
    fields.INDICATOR_EVENTS: ("开展科技活动", "次"),
    fields.INDICATOR_INVENTION_GRANTS: ("发明专利授权", "件"),
    # The assessment indicators are named in a sentence as they are named in the assessment.
    fields.INDICATOR_VALID_INVENTIONS: (fields.INDICATOR_VALID_INVENTIONS, "件"),
    fields.INDICATOR_INVENTIONS_PER_10K: (fields.INDICATOR_INVENTIONS_PER_10K, "件"),
    fields.INDICATOR_VALID_HIGH_TECH: (fields.INDICATOR_VALID_HIGH_TECH, "家"),
    fields.INDICATOR_VALID_SMALL_TECH: (fields.INDICATOR_VALID_SMALL_TECH, "家"),
}


def whole_of(division: str) -> str:
    """全县 / 全区 / 全市."""
    return f"全{division}"


def level_words(division: str) -> dict[str, str]:
    """国家级, 省级, 市级 and the lowest level named after the division (县级/区级/市级).

    In a 市 file the prefecture (stored 市) reads 地市级, so that two levels never share a name.
    """
    words = {level: f"{level}级" for level in fields.LEVELS}
    words[fields.LEVEL_COUNTY] = f"{division}级"
    if division == fields.DIVISION_CITY:
        words[fields.LEVEL_CITY] = "地市级"
    return words


def number(value: Decimal | int | float) -> str:
    """An exact figure: whole numbers without decimals, others with up to 2 (trailing zeros dropped)."""
    amount = half_up(value, 2)
    if amount == amount.to_integral_value():
        return str(int(amount))
    return format(amount.normalize(), "f")


def count(value: Decimal | int, unit: str) -> str:
    """A figure with its unit and no space: "921件", "3187.5万元"."""
    return f"{number(value)}{unit}"


def percent(value: Decimal) -> str:
    """A percentage with one decimal: "8.3%"."""
    return f"{half_up(value, 1)}%"


def chinese_ordinal(n: int) -> str:
    """1 → 一, 12 → 十二, 21 → 二十一 (headings and 一是/二是 up to 99)."""
    if n <= 10:
        return CN_NUMERALS[n]
    tens, ones = divmod(n, 10)
    head = "十" if tens == 1 else CN_NUMERALS[tens] + "十"
    return head + (CN_NUMERALS[ones] if ones else "")


def short_name(name: str, county: str = "") -> str:
    """A unit's everyday name as reports write it: no county prefix, no legal-form suffix."""
    text = name.strip()
    if county and text.startswith(county) and len(text) - len(county) >= 2:
        text = text[len(county) :]
    for suffix in LEGAL_SUFFIXES:
        if text.endswith(suffix) and len(text) - len(suffix) >= 2:
            return text[: -len(suffix)]
    return text


def join(items: Iterable[str], last: str = "、") -> str:
    """Items joined with 、 (the last pair with `last`, e.g. 和)."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return "、".join(items[:-1]) + last + items[-1]


def named(names: Sequence[str], total: int, unit: str, noun: str = "") -> str:
    """Named examples before a count: "甲、乙、丙等8家企业"; all names and no 等 when they are all."""
    shown = [n for n in names if n][:MAX_NAMES]
    if not shown:
        return f"{total}{unit}{noun}"
    if total == 1 and len(names) == 1:
        return shown[0]
    if len(names) == total and total <= MAX_NAMES:
        return f"{'、'.join(shown)}{total}{unit}{noun}"
    return f"{'、'.join(shown)}等{total}{unit}{noun}"


def change(value: Decimal | int | None, previous: Decimal | int | None) -> str:
    """ "同比增长8.3%" / "同比下降5.0%" / "与上年持平"; empty when last year was 0 or unknown."""
    delta = change_percent(value, previous)
    if delta is None:
        return ""
    if delta > 0:
        return f"同比增长{percent(delta)}"
    if delta < 0:
        return f"同比下降{percent(-delta)}"
    return "与上年持平"


def with_change(text: str, value, previous) -> str:
    """`text` followed by its year-on-year change, when there is one."""
    tail = change(value, previous)
    return f"{text}，{tail}" if tail else text


def target_clause(indicator: Indicator, extra: str = "") -> str:
    """The outcome against the year's target: "超额完成专利申请350件的目标任务，完成率108.6%"."""
    if indicator.target in (None, 0) or indicator.value is None:
        return ""
    noun, unit = indicator_words(indicator.name)
    goal = f"{noun}{count(indicator.target, unit)}{extra}"
    rate = indicator.completion
    if Decimal(indicator.value) > Decimal(indicator.target):
        return f"超额完成{goal}的目标任务，完成率{percent(rate)}"
    if Decimal(indicator.value) == Decimal(indicator.target):
        return f"完成{goal}的目标任务"
    return f"完成{goal}目标任务的{percent(rate)}"


def indicator_words(name: str) -> tuple[str, str]:
    """How an 指标 is named in a sentence and its unit; manual ones carry the unit in brackets."""
    if name in INDICATOR_WORDS:
        return INDICATOR_WORDS[name]
    for left, right in (("(", ")"), ("（", "）")):
        if name.endswith(right) and left in name:
            head, _, unit = name[:-1].rpartition(left)
            return head, unit
    return name, ""


def sentence(*clauses: str) -> str:
    """Non-empty clauses joined with ，and closed with 。 (empty when all are empty)."""
    parts = [c.strip("，。；") for c in clauses if c and c.strip("，。；")]
    return "，".join(parts) + "。" if parts else ""


def series(*clauses: str) -> str:
    """Non-empty clauses joined with ；and closed with 。."""
    parts = [c.strip("，。；") for c in clauses if c and c.strip("，。；")]
    return "；".join(parts) + "。" if parts else ""


def breakdown(items: Iterable[tuple[str, Decimal | int]], unit: str, prefix: str = "其中") -> str:
    """ "其中发明专利155件、实用新型专利600件"; zero items left out; empty when nothing remains."""
    parts = [f"{label}{count(n, unit)}" for label, n in items if n]
    return prefix + "、".join(parts) if parts else ""


def date_text(day) -> str:
    """2013年1月5日 (no leading zeros), as official documents date themselves."""
    return messages.DATE_TEXT.format(year=day.year, month=day.month, day=day.day)
