"""Put a year's report together: the draft's sections, generated sentences, clerk's text, charts, tables."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from kejiju_desktop.report import facts, generators, live_fields, visuals
from kejiju_desktop.report.document import Para, Report, SectionBody
from kejiju_desktop.services import drafts

TITLE = "{bureau}{year}年工作总结"


def clerk_paragraphs(text: str) -> list[Para]:
    """The clerk's text as paragraphs: one per non-empty line."""
    return [Para(line.strip(), generated=False) for line in (text or "").splitlines() if line.strip()]


def clerk_text(f: facts.Facts, state: drafts.SectionState) -> tuple[str, list[str]]:
    """The section's own text with its live fields filled in, and a warning per field left as written."""
    text, problems = live_fields.render(state.clerk_text, f.indicators)
    return text, [problem.sentence(state.label, f.year) for problem in problems]


def field_warnings(draft: drafts.Draft, f: facts.Facts) -> list[str]:
    """The warnings of every section the report would hold, in order (nothing else is built)."""
    return [warning for state in drafts.enabled_sections(draft) for warning in clerk_text(f, state)[1]]


def build_section(f: facts.Facts, state: drafts.SectionState) -> SectionBody:
    """One section: generated sentences and the clerk's text in order, chart and table when asked."""
    generator = generators.GENERATORS.get(state.key)
    generated = generator(f) if generator is not None else []
    if len(generated) == 1:
        generated[0].lead = ""
    text, warnings = clerk_text(f, state)
    own = clerk_paragraphs(text)
    definition = state.definition
    clerk_first = definition is not None and definition.clerk_first
    body = SectionBody(state.key, state.heading.strip(), own + generated if clerk_first else generated + own)
    body.warnings = warnings
    # A chart or table belongs to the figures: it follows the generated sentences, before the clerk's text.
    body.visuals_after = len(body.paragraphs) if clerk_first else len(generated)
    if state.with_chart and state.key in visuals.CHARTS and generated:
        chart = visuals.CHARTS[state.key](f)
        body.chart = None if chart.empty else chart
    if state.with_table and state.key in visuals.TABLES:
        body.table = visuals.TABLES[state.key](f)
    return body


def title_of(draft: drafts.Draft, f: facts.Facts) -> str:
    """The draft's title, or the default "××县科学技术局2012年工作总结"."""
    return draft.title or TITLE.format(bureau=f.bureau, year=draft.year)


def signature_date(issued_on: dt.date | None, today: dt.date | None = None) -> dt.date:
    """The date under the signature: the draft's when the clerk set one, otherwise the export day."""
    return issued_on or today or dt.date.today()


def assemble(draft: drafts.Draft, f: facts.Facts, today: dt.date | None = None) -> Report:
    """The report a draft gives with a year's counted figures (nothing is read or written)."""
    report = Report(draft.year, title_of(draft, f), f.bureau, signature_date(draft.issued_on, today))
    for state in drafts.enabled_sections(draft):
        body = build_section(f, state)
        if body.paragraphs or body.table is not None:
            report.sections.append(body)
    return report


def build_report(session: Session, year: int, today: dt.date | None = None) -> Report:
    """The whole report of `year` as the draft in the file describes it (nothing is written)."""
    return assemble(drafts.load_draft(session, year), facts.gather(session, year), today)
