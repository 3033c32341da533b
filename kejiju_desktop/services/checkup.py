"""检查数据文件: integrity, references, duplicate keys, rows failing today's checks, expired certificates."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db import store
from db.models import Patent, Qualification, utc_now
from kejiju_desktop import fields, messages, validation
from kejiju_desktop.services import records
from kejiju_desktop.services import settings as settings_service
from kejiju_desktop.services.entity_models import model_of

DAMAGE, INVALID, DUPLICATE, NOTICE = "damage", "invalid", "duplicate", "notice"

SEARCH_INDEX_WHAT = {
    store.MISSING_TRIGGERS: messages.CHECK_INDEX_NO_TRIGGERS,
    store.MISSING_QUEUE: messages.CHECK_INDEX_NO_QUEUE,
    store.OUT_OF_STEP: messages.CHECK_INDEX_OUT_OF_STEP,
}


@dataclass
class Finding:
    """One thing `check` found: its kind (damage/invalid/duplicate/notice) and the sentence."""

    kind: str
    message: str
    table: str = ""
    record_id: int | None = None
    repairable: bool = False  # 修复 can put it right without deleting anything


@dataclass
class CheckReport:
    """Everything one check found: problems (exit 1) and notices (exit 0), some of them repairable."""

    findings: list[Finding] = field(default_factory=list)
    server: str | None = None  # the server database's display_name; None for a data file

    @property
    def problems(self) -> list[Finding]:
        return [f for f in self.findings if f.kind != NOTICE]

    @property
    def notices(self) -> list[Finding]:
        return [f for f in self.findings if f.kind == NOTICE]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def repairable(self) -> list[Finding]:
        return [f for f in self.findings if f.repairable]

    def text(self, name: str) -> str:
        """The plain-language report, as printed by `check` and saved from the dialog."""
        lines = [messages.CHECK_HEAD.format(name=name)]
        lines += [messages.CHECK_PROBLEM_LINE.format(message=f.message) for f in self.problems]
        lines += [messages.CHECK_NOTICE_LINE.format(message=f.message) for f in self.notices]
        lines += self.summary()
        return "\n".join(lines) + "\n"

    def summary(self) -> list[str]:
        """The closing sentences: how many problems and notices, and how many 修复 can put right."""
        if self.problems:
            lines = [messages.CHECK_PROBLEMS.format(n=len(self.problems), m=len(self.notices))]
        elif self.notices:
            lines = [messages.CHECK_NOTICES.format(m=len(self.notices))]
        else:
            lines = [messages.CHECK_OK_SERVER.format(name=self.server) if self.server else messages.CHECK_OK]
        if self.repairable:
            lines.append(messages.CHECK_CAN_REPAIR.format(n=len(self.repairable)))
        return lines


def server_of(data: store.Store) -> str | None:
    """What the report calls a store that is no data file (a server database's display_name); None for
    a file, whose sentences say 文件."""
    return data.display_name if data.capabilities.file_path is None else None


def iter_check(
    session: Session, today: dt.date | None = None, server: str | None = None
) -> Iterator[tuple[int, int, Finding | None]]:
    """Run every check, yielding (done, total, finding or None) so a caller can show progress.
    `server`: server_of the store checked."""
    integrity = functools.partial(_integrity, server=server)
    steps = [integrity, _foreign_keys, _search_index, _duplicates, _invalid_rows, _expired, _lapsed_undated]
    for done, step in enumerate(steps, 1):
        found = list(step(session, today or dt.date.today()))
        for finding in found:
            yield done, len(steps), finding
        yield done, len(steps), None


def check_session(session: Session, today: dt.date | None = None, server: str | None = None) -> CheckReport:
    """All findings at once (`server`: as for iter_check)."""
    report = CheckReport(server=server)
    for _done, _total, finding in iter_check(session, today, server):
        if finding is not None:
            report.findings.append(finding)
    return report


def _integrity(session: Session, _today, server: str | None) -> Iterator[Finding]:
    # Index entries out of step with their rows are rebuilt by 修复 (rebuild_indexes); other damage is not.
    for detail in store.checks_for(session).integrity_problems(session)[:20]:
        if server is None:
            message = messages.CHECK_INTEGRITY.format(detail=detail)
        else:
            message = messages.CHECK_INTEGRITY_SERVER.format(name=server, detail=detail)
        yield Finding(DAMAGE, message, repairable=_index_damage(detail))


def _index_damage(detail: str) -> bool:
    return "index" in detail and "page" not in detail


def _foreign_keys(session: Session, _today) -> Iterator[Finding]:
    for table, n in store.checks_for(session).broken_references(session).items():
        label = fields.ENTITIES[table].label if table in fields.ENTITIES else table
        yield Finding(DAMAGE, messages.CHECK_FOREIGN_KEY.format(table=label, n=n), table)


def _search_index(session: Session, _today) -> Iterator[Finding]:
    for table, problems in store.checks_for(session).search_index_problems(session).items():
        what = "、".join(SEARCH_INDEX_WHAT[p] for p in problems)
        message = messages.CHECK_SEARCH_INDEX.format(entity=fields.ENTITIES[table].label, what=what)
        yield Finding(DAMAGE, message, table, repairable=True)


def _duplicates(session: Session, _today) -> Iterator[Finding]:
    for entity in fields.ENTITIES.values():
        for key in entity.unique_key_sets:
            yield from _duplicate_key(session, entity, key)


def _duplicate_key(session: Session, entity: fields.EntitySpec, key: tuple[str, ...]) -> Iterator[Finding]:
    model = model_of(entity)
    columns = [getattr(model, k) for k in key]
    stmt = (
        select(*columns, func.count())
        .where(model.deleted_at.is_(None), *(c.is_not(None) for c in columns))
        .group_by(*columns)
        .having(func.count() > 1)
    )
    labels = "、".join(entity.field(k).label for k in key)
    for row in session.execute(stmt):
        value = "、".join(str(x) for x in row[:-1])
        msg = messages.CHECK_DUPLICATE.format(entity=entity.label, labels=labels, value=value, n=row[-1])
        yield Finding(DUPLICATE, msg, entity.table)


def _invalid_rows(session: Session, _today) -> Iterator[Finding]:
    for entity in fields.ENTITIES.values():
        model = model_of(entity)
        stmt = select(model).where(model.deleted_at.is_(None)).execution_options(yield_per=2000)
        for record in session.scalars(stmt):
            yield from _row_findings(session, entity, record)


def _row_findings(session: Session, entity: fields.EntitySpec, record) -> Iterator[Finding]:
    values = records.record_values(record)
    raw = {k: _as_input(val) for k, val in values.items()}
    _parsed, problems = records.parse_values(session, entity, raw)
    # Uniqueness is reported once per key by _duplicates, not once per row.
    problems += records.check_values(session, entity, values, record.id, unique=False)
    confirmed = set(filter(None, record.confirmed_warnings.split(",")))
    name = values.get(entity.display_key) or ""
    for problem in _distinct(problems):
        kind = INVALID if problem.is_error or problem.field not in confirmed else NOTICE
        msg = messages.CHECK_ROW.format(entity=entity.label, id=record.id, name=name, message=problem.message)
        yield Finding(kind, msg, entity.table, record.id)


def _distinct(problems: list[validation.Problem]) -> list[validation.Problem]:
    seen: set[str] = set()
    return [p for p in problems if not (p.message in seen or seen.add(p.message))]


def _as_input(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def _expired(session: Session, today: dt.date) -> Iterator[Finding]:
    for q in session.scalars(expired_statement(today).order_by(Qualification.valid_until)):
        unit = records.unit_name(session, q.unit_id) or messages.CHECK_UNKNOWN_UNIT
        msg = messages.CHECK_EXPIRED.format(unit=unit, category=q.category, until=_date_text(q.valid_until))
        yield Finding(NOTICE, msg, fields.QUALIFICATIONS.table, q.id, repairable=True)


def _lapsed_undated(session: Session, _today) -> Iterator[Finding]:
    # Counted as lapsed in every year (stats.valid_invention_clause), so a past year's figure may be too low.
    stmt = select(Patent).where(
        Patent.deleted_at.is_(None), Patent.legal_status == fields.PATENT_LAPSED, Patent.lapsed_on.is_(None)
    )
    for patent in session.scalars(stmt.order_by(Patent.filed_on, Patent.id)):
        number = messages.CHECK_LAPSED_NUMBER.format(app_no=patent.app_no) if patent.app_no else ""
        msg = messages.CHECK_LAPSED_UNDATED.format(title=patent.title, number=number)
        yield Finding(NOTICE, msg, fields.PATENTS.table, patent.id)


def expired_statement(today: dt.date):
    """Certifications past 有效期至 on `today` still marked 已认定 (a notice of check, a 工作台 item)."""
    return select(Qualification).where(
        Qualification.deleted_at.is_(None),
        Qualification.status == fields.QUALIFICATION_CERTIFIED,
        Qualification.valid_until < today,
    )


def mark_expired(session: Session, today: dt.date | None = None, operator: str | None = None) -> int:
    """修复: set 已过期 on certifications past 有效期至 still marked 已认定 (a change-log line each)."""
    today = today or dt.date.today()
    operator = operator if operator is not None else settings_service.operator(session)
    changed = 0
    for q in session.scalars(expired_statement(today)):
        kept = {"status": [q.status, fields.QUALIFICATION_EXPIRED]}
        q.status = fields.QUALIFICATION_EXPIRED
        q.updated_at, q.updated_by = utc_now(), operator
        records.log_change(
            session, fields.QUALIFICATIONS.table, q.uid, "update", operator, ["status"], changes=kept
        )
        changed += 1
    return changed


def _date_text(day: dt.date) -> str:
    return messages.DATE_TEXT.format(year=day.year, month=day.month, day=day.day)
