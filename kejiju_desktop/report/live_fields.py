"""Live figures in the clerk's text: 【指标名】 and 【指标名·同比】 filled in with the year's 指标 (DESIGN §5)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from kejiju_desktop import messages
from kejiju_desktop.report import wording
from kejiju_desktop.services.stats import Indicator

OPEN, CLOSE, SEPARATOR = "【", "】", "·"
# Input methods type the middle dot in more than one way, and a clerk may type a full stop: each is
# read as · where it stands before a suffix.
OTHER_SEPARATORS = ("・", "•", "‧", "．", ".", "･", "⋅", "∙")
FIELD = re.compile(f"{OPEN}([^{OPEN}{CLOSE}\\n]+){CLOSE}")
# Outside the fields, a 【 is one the clerk did not close: what follows it up to the next 【, line or end.
UNCLOSED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}\\n]*(?=[{OPEN}\\n]|$)")
SHOWN_AFTER_OPEN = 12  # characters after an unclosed 【 the warning quotes, enough to find it in the text
# The last separator of a field and what follows it (the suffix, if it is one).
LAST_SEPARATOR = re.compile(f"(.*)[{re.escape(SEPARATOR + ''.join(OTHER_SEPARATORS))}](.*)", re.DOTALL)
# A field that reads as nothing (同比 when last year was 0) takes the 、，； before it along when the
# sentence goes on with punctuation, so "申请921件，【专利申请量·同比】。" reads "申请921件。".
DANGLING, CLOSING = "，、；", "，、；。！？"


def _amount(value, indicator: Indicator) -> str | None:
    return None if value is None else wording.count(value, wording.indicator_words(indicator.name)[1])


def _change(indicator: Indicator) -> str | None:
    """ "同比增长31.6%" / "同比下降4.2%" / "与上年持平"; empty when last year was 0 (no percentage)."""
    if indicator.value is None or indicator.previous is None:
        return None
    return wording.change(indicator.value, indicator.previous)


def _completion(indicator: Indicator) -> str | None:
    rate = indicator.completion
    return None if rate is None else wording.percent(rate)


@dataclass(frozen=True)
class Suffix:
    """What a field with this suffix shows of its 指标, and what is missing when it shows nothing."""

    name: str  # written after ·; "" for the year's value itself
    column: str  # its column in the list of indicators
    missing: str  # the part of a warning saying what the 指标 lacks
    render: Callable[[Indicator], str | None]  # None: there is no value to show


SUFFIXES: tuple[Suffix, ...] = (
    Suffix("", "本年", "本年数值", lambda indicator: _amount(indicator.value, indicator)),
    Suffix("上年", "上年", "上年数值", lambda indicator: _amount(indicator.previous, indicator)),
    Suffix("同比", "同比", "本年或上年数值", _change),
    Suffix("目标", "目标", "年度目标", lambda indicator: _amount(indicator.target, indicator)),
    Suffix("完成率", "完成率", "年度目标或本年数值", _completion),
)
BY_NAME = {suffix.name: suffix for suffix in SUFFIXES}


@dataclass(frozen=True)
class FieldProblem:
    """A field left as written: no 指标 of that name this year (`missing` empty), or a value it lacks."""

    field: str  # as the clerk wrote it, brackets included (an unclosed one: 【 and what follows it)
    missing: str = ""
    unclosed: bool = False  # a 【 with no 】 after it: no field at all, its text stays as written

    def sentence(self, section: str, year: int) -> str:
        """The warning a clerk reads before the export and the command prints."""
        if self.unclosed:
            return messages.LIVE_FIELD_UNCLOSED.format(section=section, field=self.field)
        if not self.missing:
            return messages.LIVE_FIELD_UNKNOWN.format(section=section, field=self.field, year=year)
        return messages.LIVE_FIELD_MISSING.format(section=section, field=self.field, missing=self.missing)


def field_text(name: str, suffix: Suffix = SUFFIXES[0]) -> str:
    """The field as the clerk's text holds it: 【专利申请量】, 【专利申请量·同比】."""
    return f"{OPEN}{name}{SEPARATOR + suffix.name if suffix.name else ''}{CLOSE}"


def split_field(inside: str) -> tuple[str, Suffix]:
    """The 指标 name and suffix of what stands between 【 and 】 (an unknown suffix stays in the name)."""
    text = inside.strip()
    found = LAST_SEPARATOR.fullmatch(text)
    if found and found.group(2).strip() in BY_NAME:
        return found.group(1).strip(), BY_NAME[found.group(2).strip()]
    return text, SUFFIXES[0]  # any dot in it is the name's own


def _filled(inside: str, indicators: Mapping[str, Indicator]) -> tuple[str | None, str]:
    """(the field's text, "") or (None, what is missing: "" for an unknown 指标)."""
    name, suffix = split_field(inside)
    indicator = indicators.get(name)
    if indicator is None:
        return None, ""
    shown = suffix.render(indicator)
    return (None, suffix.missing) if shown is None else (shown, "")


def render(text: str, indicators: Mapping[str, Indicator]) -> tuple[str, list[FieldProblem]]:
    """The text with every field filled in, and the fields left as written (unknown, or lacking a value)."""
    pieces: list[str] = []
    problems: list[FieldProblem] = []
    last = 0
    for match in FIELD.finditer(text):
        pieces.append(text[last : match.start()])
        problems += _unclosed(pieces[-1])
        last = match.end()
        shown, missing = _filled(match.group(1), indicators)
        if shown is None:
            problems.append(FieldProblem(match.group(0), missing))
            pieces.append(match.group(0))
        elif shown:
            pieces.append(shown)
        elif pieces[-1] and pieces[-1][-1] in DANGLING and text[last : last + 1] in ("", *CLOSING):
            pieces[-1] = pieces[-1][:-1]
    pieces.append(text[last:])
    problems += _unclosed(pieces[-1])
    return "".join(pieces), problems


def _unclosed(between: str) -> list[FieldProblem]:
    """A problem per 【 left open in text between fields, quoting it with the words after it."""
    return [
        FieldProblem(found.group(0)[: SHOWN_AFTER_OPEN + 1], unclosed=True)
        for found in UNCLOSED.finditer(between)
    ]


def cells(indicator: Indicator) -> list[str]:
    """What each suffix shows of the 指标, in the order of SUFFIXES ("" where there is nothing)."""
    return [suffix.render(indicator) or "" for suffix in SUFFIXES]
