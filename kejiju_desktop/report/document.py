"""What a report is made of before it is written: paragraphs, charts and tables per section."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class Para:
    """A paragraph: generated text may carry a run-in subheading (`lead`, numbered （一） when written)."""

    text: str
    lead: str = ""
    generated: bool = True


@dataclass
class ChartSpec:
    """A bar chart: categories along the bottom, one bar per series, values with their unit."""

    title: str
    categories: list[str]
    series: list[tuple[str, list[float]]]
    unit: str

    @property
    def empty(self) -> bool:
        return not any(v for _label, values in self.series for v in values)


@dataclass
class TableSpec:
    """A table with a header row that repeats on every page, and relative column widths."""

    title: str
    headers: list[str]
    rows: list[list[str]]
    widths: list[int] = field(default_factory=list)


@dataclass
class SectionBody:
    """One section as it goes into the document."""

    key: str
    heading: str
    paragraphs: list[Para] = field(default_factory=list)
    chart: ChartSpec | None = None
    table: TableSpec | None = None
    visuals_after: int | None = None  # chart and table follow this many paragraphs (None: the last)
    warnings: list[str] = field(default_factory=list)  # live fields of the clerk's text left as written

    @property
    def empty(self) -> bool:
        return not self.paragraphs and self.chart is None and self.table is None


@dataclass
class Report:
    """The whole document: title, issuing unit and date, and the sections in order."""

    year: int
    title: str
    issuer: str
    issued_on: dt.date
    sections: list[SectionBody] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        """Every section's live fields left as written, in the document's order."""
        return [warning for section in self.sections for warning in section.warnings]
