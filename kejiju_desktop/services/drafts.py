"""The clerk's report draft of a year: which sections, in what order, headings and own text, in the file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import ReportDraft, ReportSection, utc_now
from kejiju_desktop import messages

CUSTOM_PREFIX = "custom-"


@dataclass(frozen=True)
class SectionDef:
    """A default section of DESIGN §5: its key, list label, default heading and options."""

    key: str
    label: str
    heading: str
    chart_available: bool = False
    table_available: bool = False
    chart: bool = False
    table: bool = False
    clerk_first: bool = False  # the clerk's text comes before the generated sentences


DEFAULT_SECTIONS: tuple[SectionDef, ...] = (
    SectionDef("intro", "开篇（总体情况）", "", clerk_first=True),
    SectionDef("carriers", "创新主体与载体", "加强创新主体与载体建设", chart_available=True),
    SectionDef("projects", "科技计划项目", "大力实施科技计划项目", True, True, chart=True, table=True),
    SectionDef("awards", "科技奖励", "积极组织科技奖励申报", True, chart=True),
    SectionDef("ip", "知识产权", "知识产权工作取得新成效", True, chart=True),
    SectionDef("events", "科普与科技活动", "深入开展科普与科技活动", True),
    SectionDef("agri", "农业科技", "深化农业科技服务", table_available=True),
    SectionDef("plans", "下一年工作要点", "{next_year}年工作要点"),
    # No heading and no sentences: its table is the 附件 after the signature (only when a target is set).
    SectionDef("indicators", "附件：主要科技指标完成情况表", "", table_available=True, table=True),
)
SECTION_DEFS = {d.key: d for d in DEFAULT_SECTIONS}


@dataclass
class SectionState:
    """One section of a year's draft as the composer shows it and the report uses it."""

    key: str
    label: str
    heading: str
    enabled: bool = True
    clerk_text: str = ""
    with_chart: bool = False
    with_table: bool = False

    @property
    def custom(self) -> bool:
        """A section of the clerk's text alone, added by the clerk."""
        return self.key.startswith(CUSTOM_PREFIX)

    @property
    def definition(self) -> SectionDef | None:
        return SECTION_DEFS.get(self.key)


@dataclass
class Draft:
    """A year's draft: title, issue date and the sections in order."""

    year: int
    title: str = ""
    issued_on: dt.date | None = None
    sections: list[SectionState] = field(default_factory=list)

    def section(self, key: str) -> SectionState | None:
        return next((s for s in self.sections if s.key == key), None)


def default_state(definition: SectionDef, year: int) -> SectionState:
    """A default section as it starts in a new year's draft."""
    heading = definition.heading.format(next_year=year + 1)
    return SectionState(
        definition.key, definition.label, heading, True, "", definition.chart, definition.table
    )


def _state_of(row: ReportSection, year: int) -> SectionState:
    definition = SECTION_DEFS.get(row.key)
    label = definition.label if definition else (row.heading or messages.NEW_SECTION_HEADING)
    heading = row.heading
    if definition and not row.heading and definition.heading:
        heading = definition.heading.format(next_year=year + 1)
    return SectionState(
        row.key, label, heading, bool(row.enabled), row.clerk_text or "", bool(row.with_chart),
        bool(row.with_table),
    )  # fmt: skip


def load_draft(session: Session, year: int) -> Draft:
    """The year's draft; defaults for whatever the file does not hold yet (nothing is written)."""
    row = session.scalars(select(ReportDraft).where(ReportDraft.year == year)).first()
    if row is None:
        return Draft(year, sections=[default_state(d, year) for d in DEFAULT_SECTIONS])
    stored = session.scalars(
        select(ReportSection).where(ReportSection.draft_id == row.id).order_by(ReportSection.position)
    ).all()
    sections = [_state_of(s, year) for s in stored]
    known = {s.key for s in sections}
    sections += [default_state(d, year) for d in DEFAULT_SECTIONS if d.key not in known]
    return Draft(year, row.title or "", row.issued_on, sections)


def _ensure(session: Session, year: int) -> ReportDraft:
    """The year's draft row with a row per section (created from the defaults on first write)."""
    row = session.scalars(select(ReportDraft).where(ReportDraft.year == year)).first()
    if row is None:
        row = ReportDraft(year=year)
        session.add(row)
        session.flush()
    draft = load_draft(session, year)
    existing = {s.key: s for s in _rows(session, row)}
    for position, state in enumerate(draft.sections):
        if state.key not in existing:
            session.add(_new_row(row, state, position))
    session.flush()
    return row


def _new_row(draft: ReportDraft, state: SectionState, position: int) -> ReportSection:
    return ReportSection(
        draft_id=draft.id, key=state.key, position=position, enabled=state.enabled, heading=state.heading,
        clerk_text=state.clerk_text, with_chart=state.with_chart, with_table=state.with_table,
    )  # fmt: skip


def _rows(session: Session, draft: ReportDraft) -> list[ReportSection]:
    stmt = select(ReportSection).where(ReportSection.draft_id == draft.id).order_by(ReportSection.position)
    return list(session.scalars(stmt))


def _row(session: Session, year: int, key: str) -> ReportSection:
    draft = _ensure(session, year)
    row = next((r for r in _rows(session, draft) if r.key == key), None)
    if row is None:
        raise KeyError(key)
    draft.updated_at = utc_now()
    return row


def update_section(session: Session, year: int, key: str, **changes) -> None:
    """Change a section's heading, enabled, clerk_text, with_chart or with_table."""
    allowed = {"heading", "enabled", "clerk_text", "with_chart", "with_table"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"unknown section fields: {sorted(unknown)}")
    row = _row(session, year, key)
    for name, value in changes.items():
        setattr(row, name, value)
    session.flush()


def set_order(session: Session, year: int, keys: list[str]) -> None:
    """Put the sections in the order of `keys` (keys not named keep their turn after them)."""
    draft = _ensure(session, year)
    rows = _rows(session, draft)
    rank = {key: i for i, key in enumerate(keys)}
    rows.sort(key=lambda r: (rank.get(r.key, len(rank)), r.position))
    for position, row in enumerate(rows):
        row.position = position
    draft.updated_at = utc_now()
    session.flush()


def add_section(session: Session, year: int, heading: str = messages.NEW_SECTION_HEADING) -> str:
    """Add a section of the clerk's text alone at the end; returns its key."""
    draft = _ensure(session, year)
    rows = _rows(session, draft)
    numbers = [int(r.key[len(CUSTOM_PREFIX) :]) for r in rows if r.key.startswith(CUSTOM_PREFIX)]
    key = f"{CUSTOM_PREFIX}{max(numbers, default=0) + 1}"
    last = session.scalar(select(func.max(ReportSection.position)).where(ReportSection.draft_id == draft.id))
    state = SectionState(key, heading, heading.strip() or messages.NEW_SECTION_HEADING)
    session.add(_new_row(draft, state, (last or 0) + 1))
    session.flush()
    return key


def remove_section(session: Session, year: int, key: str) -> None:
    """Delete a section the clerk added (default sections are switched off, not deleted)."""
    if not key.startswith(CUSTOM_PREFIX):
        raise ValueError(key)
    session.delete(_row(session, year, key))
    session.flush()


KEEP = object()  # update_draft's issued_on: leave the date as it is


def update_draft(session: Session, year: int, *, title: str | None = None, issued_on=KEEP) -> None:
    """Set the report's title (None leaves it) and date of issue (None: the export day; KEEP leaves it)."""
    draft = _ensure(session, year)
    if title is not None:
        draft.title = title.strip()
    if issued_on is not KEEP:
        draft.issued_on = issued_on
    draft.updated_at = utc_now()
    session.flush()


def has_clerk_text(draft: Draft) -> bool:
    """True when any section of the draft holds text the clerk wrote."""
    return any(state.clerk_text.strip() for state in draft.sections)


def copy_previous_text(session: Session, year: int) -> int:
    """Last year's clerk text, fields included, into this year's sections that have none; how many got one."""
    current = load_draft(session, year)
    copied = 0
    for state in load_draft(session, year - 1).sections:
        key = _counterpart(session, current, state) if state.clerk_text.strip() else None
        if key is not None:
            update_section(session, year, key, clerk_text=state.clerk_text)
            copied += 1
    return copied


def _counterpart(session: Session, current: Draft, state: SectionState) -> str | None:
    """The section of `current` taking `state`'s text (a section of the clerk's is matched by heading, or
    added); None when it has text of its own, which is never overwritten."""
    if not state.custom:
        match = current.section(state.key)
        return None if match is not None and match.clerk_text.strip() else state.key
    match = next((s for s in current.sections if s.custom and s.heading == state.heading), None)
    if match is None:
        return add_section(session, current.year, state.heading)
    return None if match.clerk_text.strip() else match.key


def enabled_sections(draft: Draft) -> list[SectionState]:
    """The sections switched on, in order (copies the caller may change)."""
    return [replace(s) for s in draft.sections if s.enabled]
