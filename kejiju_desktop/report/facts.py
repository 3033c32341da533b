"""The figures a year's report states, with last year's beside them, gathered in one pass."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from kejiju_desktop import fields
from kejiju_desktop.report import wording
from kejiju_desktop.services import settings, stats


@dataclass
class Facts:
    """Year Y and Y−1 figures, the 指标 of Y, the IP programmes, and the county's name."""

    year: int
    now: stats.YearFigures
    before: stats.YearFigures
    indicators: dict[str, stats.Indicator]
    ip_now: stats.ProjectFigures
    ip_before: stats.ProjectFigures
    county: str
    bureau: str
    division: str = fields.DIVISION_COUNTY

    @property
    def whole(self) -> str:
        """全县, 全区 or 全市: the county as a whole, in the file's 行政区划."""
        return wording.whole_of(self.division)

    def level_word(self, level: str | None) -> str:
        """国家 → 国家级, 省 → 省级 …, named for the file's 行政区划 (other text as it is)."""
        return wording.level_words(self.division).get(level or "", level or "")

    def short(self, names: list[str]) -> list[str]:
        """Units' everyday names, as the report writes them."""
        return [wording.short_name(n, self.county) for n in names]

    def indicator(self, name: str) -> stats.Indicator | None:
        return self.indicators.get(name)

    @property
    def manual_indicators(self) -> list[stats.Indicator]:
        return [i for i in self.indicators.values() if i.manual]


def gather(session: Session, year: int) -> Facts:
    """Every figure of year Y (and Y−1 for comparisons) the report needs."""
    now = stats.year_figures(session, year)
    before = stats.year_figures(session, year - 1)
    found = stats.indicators(session, year, now, before)
    return Facts(
        year=year,
        now=now,
        before=before,
        indicators={i.name: i for i in found},
        ip_now=stats.ip_project_figures(session, year),
        ip_before=stats.ip_project_figures(session, year - 1),
        county=settings.get(session, settings.COUNTY_NAME),
        bureau=settings.bureau_name(session),
        division=settings.division(session),
    )
