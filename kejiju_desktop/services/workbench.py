"""工作台: what needs the clerk today — certificates, project milestones, data quality, this year's targets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import Session

from db.models import Enterprise, Project, Qualification
from kejiju_desktop import fields, messages
from kejiju_desktop.services import checkup, stats, targets
from kejiju_desktop.services import settings as settings_service
from kejiju_desktop.services.entity_models import model_of

# Projects that have ended one way or another (or never began) have no milestones left.
SETTLED_PROJECTS = (fields.PROJECT_ENDED, fields.PROJECT_NOT_APPROVED, fields.PROJECT_ACCEPTED)
DRIVEN_LIMIT = 1000  # records lacking an earlier duplicate key, up to which the search starts from them


@dataclass(frozen=True)
class Item:
    """One reminder: its words, the records it names (`table`, `ids`) and where they open.

    Records without a tab of their own (资质认定) open in their holder's tab: `open_table` and
    `open_ids` are the holders (the units), `ids` the records to select beside them.
    """

    group: str
    label: str
    table: str
    ids: tuple[int, ...]
    open_table: str
    open_ids: tuple[int, ...]

    @property
    def count(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class TargetLine:
    """One 指标 with a target this year: done as of today, and last year's value to set beside it."""

    indicator: stats.Indicator
    full_year: bool  # `previous` is last year's whole year (上年全年), not last year at this date

    @property
    def previous_label(self) -> str:
        return messages.WORKBENCH_FULL_YEAR if self.full_year else messages.WORKBENCH_SAME_DATE


@dataclass
class Workbench:
    """Everything the 工作台 shows for one day."""

    today: dt.date
    days: int
    items: list[Item] = field(default_factory=list)
    targets: list[TargetLine] = field(default_factory=list)
    months: list[int] = field(default_factory=list)  # 专利申请量 per month this year
    months_before: list[int] = field(default_factory=list)  # and last year

    def group(self, name: str) -> list[Item]:
        """The items of one group (证书到期, 项目节点, 数据质量) that name any record."""
        return [item for item in self.items if item.group == name and item.count]


def gather(session: Session, today: dt.date, days: int | None = None) -> Workbench:
    """The 工作台 of `today`, reminding `days` ahead (default: the file's 证书到期提醒天数)."""
    days = settings_service.reminder_days(session) if days is None else days
    bench = Workbench(today, days)
    bench.items = certificate_items(session, today, days) + project_items(session, today, days)
    bench.items += quality_items(session)
    bench.targets = target_lines(session, today)
    months = stats.patent_applications_by_month(session, today.year - 1, today.year)
    bench.months, bench.months_before = months[today.year], months[today.year - 1]
    return bench


def _item(session: Session, group: str, label: str, entity: fields.EntitySpec, ids) -> Item:
    ids = tuple(dict.fromkeys(ids))
    holder = _holder(entity)
    if holder is None:
        return Item(group, label, entity.table, ids, entity.table, ids)
    parent, child = holder
    model, parent_model = model_of(entity), model_of(parent)
    holder_of = {}
    if ids:
        # A record whose holder is in the recycle bin cannot be opened beside it: it waits with it.
        stmt = select(model.id, parent_model.id).join(
            parent_model, parent_model.id == getattr(model, child.key)
        )
        stmt = stmt.where(model.id.in_(ids), parent_model.deleted_at.is_(None))
        holder_of = dict(session.execute(stmt).all())
    ids = tuple(record_id for record_id in ids if record_id in holder_of)
    holders = tuple(dict.fromkeys(holder_of[record_id] for record_id in ids))  # in the items' order
    return Item(group, label, entity.table, ids, parent.table, holders)


def _holder(entity: fields.EntitySpec) -> tuple[fields.EntitySpec, fields.ChildSpec] | None:
    """The tab's entity listing this kind of record beside its form, when it has no tab of its own."""
    if entity.table in fields.TAB_TABLES:
        return None
    for table in fields.TAB_TABLES:
        for child in fields.ENTITIES[table].children:
            if child.table == entity.table:
                return fields.ENTITIES[table], child
    return None


def _opened_entities() -> Iterator[fields.EntitySpec]:
    """The kinds of record a 工作台 item can open: those with a tab, and the children shown in one."""
    for entity in fields.ENTITIES.values():
        if entity.table in fields.TAB_TABLES or _holder(entity) is not None:
            yield entity


# --- 证书到期 ---------------------------------------------------------------------------------------


def certificate_items(session: Session, today: dt.date, days: int) -> list[Item]:
    """已认定 certificates whose 有效期至 is within `days` from today (both ends counted), and those past it."""
    certified = and_(
        Qualification.deleted_at.is_(None), Qualification.status == fields.QUALIFICATION_CERTIFIED
    )
    soon = select(Qualification.id).where(
        certified, Qualification.valid_until >= today, Qualification.valid_until <= today + dt.timedelta(days)
    )
    expired = checkup.expired_statement(today).with_only_columns(Qualification.id)
    group, entity = messages.WORKBENCH_CERTIFICATES, fields.QUALIFICATIONS
    return [
        _item(session, group, messages.WORKBENCH_EXPIRING.format(days=days), entity, _ids(session, soon)),
        _item(session, group, messages.WORKBENCH_EXPIRED, entity, _ids(session, expired)),
    ]


def _ids(session: Session, stmt) -> list[int]:
    """The certificates a statement selects, soonest first (_item leaves out those of a unit in the bin)."""
    return list(session.scalars(stmt.order_by(Qualification.valid_until, Qualification.id)))


# --- 项目节点 ---------------------------------------------------------------------------------------


def _open_projects():
    return and_(
        Project.deleted_at.is_(None),
        or_(Project.status.is_(None), Project.status.not_in(SETTLED_PROJECTS)),
    )


def project_items(session: Session, today: dt.date, days: int) -> list[Item]:
    """Past 结束日期 without 验收日期; mid-term due within `days`; still 申报中 from an earlier year."""
    overdue = select(Project.id).where(
        _open_projects(), Project.end_on < today, Project.accepted_on.is_(None)
    )
    applying = select(Project.id).where(
        _open_projects(), Project.status == fields.PROJECT_APPLYING, Project.apply_year < today.year
    )
    group, entity = messages.WORKBENCH_PROJECTS, fields.PROJECTS
    order = (Project.end_on, Project.id)
    return [
        _item(session, group, messages.WORKBENCH_OVERDUE, entity, session.scalars(overdue.order_by(*order))),
        _item(session, group, messages.WORKBENCH_MIDTERM_DUE, entity, midterm_due(session, today, days)),
        _item(
            session,
            group,
            messages.WORKBENCH_STILL_APPLYING,
            entity,
            session.scalars(applying.order_by(Project.id)),
        ),
    ]


def midterm_due(session: Session, today: dt.date, days: int) -> list[int]:
    """Projects with no 中期检查日期 whose halfway day (开始日期 to 结束日期) is past or within `days`."""
    stmt = select(Project.id, Project.start_on, Project.end_on).where(
        _open_projects(),
        Project.midterm_on.is_(None),
        Project.start_on.is_not(None),
        Project.end_on.is_not(None),
    )
    # The halfway day is worked out here: date arithmetic in SQL differs from engine to engine.
    due = today + dt.timedelta(days)
    found = [(start + (end - start) / 2, record_id) for record_id, start, end in session.execute(stmt)]
    return [record_id for halfway, record_id in sorted(found) if halfway <= due]


# --- 数据质量 ---------------------------------------------------------------------------------------


def quality_items(session: Session) -> list[Item]:
    """Per kind of record: saved with a confirmed warning, suspected duplicates; then units nothing refers to."""
    group, found = messages.WORKBENCH_QUALITY, []
    for entity in _opened_entities():
        model = model_of(entity)
        warned = select(model.id).where(model.deleted_at.is_(None), model.confirmed_warnings != "")
        warned = warned.order_by(model.id)
        label = messages.WORKBENCH_CONFIRMED.format(entity=entity.label)
        found.append(_item(session, group, label, entity, session.scalars(warned)))
        label = messages.WORKBENCH_DUPLICATES.format(entity=entity.label)
        found.append(_item(session, group, label, entity, suspected_duplicates(session, entity)))
    found.append(_item(session, group, messages.WORKBENCH_UNUSED_UNITS, fields.UNITS, unused_units(session)))
    return found


def suspected_duplicates(
    session: Session, entity: fields.EntitySpec, driven_limit: int = DRIVEN_LIMIT
) -> list[int]:
    """Live records sharing a suspected-duplicate key (DESIGN §3) as merge matches them.

    As in merge, a later key does not match two records that both have an earlier one (two projects of
    one name and year but different 项目编号 are two projects). A key unique among live records cannot
    repeat (every save refuses it; `check` reports a file where it does). `driven_limit`: up to this
    many records lacking an earlier key, the search starts from them.
    """
    found: set[int] = set()
    earlier: list[tuple[str, ...]] = []
    for key in entity.duplicate_keys:
        if key not in entity.unique_key_sets:
            found |= _sharing(session, entity, key, earlier, driven_limit)
        earlier.append(key)
    return sorted(found)


def _sharing(session: Session, entity: fields.EntitySpec, key, earlier, driven_limit: int) -> set[int]:
    """Ids of live records whose `key` another live record repeats, unless both have an `earlier` key."""
    model = model_of(entity)
    columns = [getattr(model, k) for k in key]
    live = [model.deleted_at.is_(None), *(c.is_not(None) for c in columns)]
    if not earlier:
        wanted = select(*columns).where(*live).group_by(*columns).having(func.count() > 1)
    else:
        lacking = select(func.count()).select_from(model).where(*live, _lacks(model, earlier[0]))
        if session.scalar(lacking) > driven_limit:
            return _windowed(session, entity, key, earlier)
        # Only values held by a record lacking the first earlier key can match: few, found by that
        # key's index (50,000 patents in 10 ms, where counting within every value took 0.7 s).
        wanted = select(*columns).where(*live, _lacks(model, earlier[0])).distinct()
    wanted = wanted.subquery()
    names = ["id", *key, *_other_keys(key, earlier)]
    stmt = select(*(getattr(model, name) for name in names)).where(*live)
    stmt = stmt.join(wanted, and_(*(c == wanted.c[c.key] for c in columns)))
    return _matching(session.execute(stmt), names, key, earlier)


def _windowed(session: Session, entity: fields.EntitySpec, key, earlier) -> set[int]:
    # Many records lack the earlier key: one pass counting within each value of the key, where a
    # join back to that many values walked 50,000 patents once per value (11 s).
    model = model_of(entity)
    columns = [getattr(model, k) for k in key]
    names = ["id", *key, *_other_keys(key, earlier)]
    window = {"partition_by": columns}
    lacking = case((_lacks(model, earlier[0]), 1), else_=0)
    ranked = select(
        *(getattr(model, name) for name in names),
        func.count().over(**window).label("shared"), func.sum(lacking).over(**window).label("lacking"),
    ).where(model.deleted_at.is_(None), *(c.is_not(None) for c in columns)).subquery()  # fmt: skip
    stmt = select(*(ranked.c[name] for name in names)).where(ranked.c.shared > 1, ranked.c.lacking > 0)
    return _matching(session.execute(stmt), names, key, earlier)


def _other_keys(key: tuple[str, ...], earlier) -> list[str]:
    return sorted({k for before in earlier for k in before} - set(key))


def _matching(rows, names: list[str], key: tuple[str, ...], earlier) -> set[int]:
    """Of rows sharing a key's value, the ids that have a match (merge's rule for earlier keys)."""
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        values = dict(zip(names, row, strict=True))
        groups.setdefault(tuple(values[k] for k in key), []).append(values)
    return {row["id"] for group in groups.values() for row in group if _pairs(row, group, earlier)}


def _pairs(row: dict, rows: list[dict], earlier) -> bool:
    """Whether another record of the group matches this one: not both holding any earlier key."""

    def has(values: dict, key) -> bool:
        return all(values[k] not in (None, "") for k in key)

    return any(other is not row and not any(has(row, e) and has(other, e) for e in earlier) for other in rows)


def _lacks(model, key: tuple[str, ...]):
    return or_(*(getattr(model, k).is_(None) for k in key))


def unused_units(session: Session) -> list[int]:
    """Live units no live record refers to (no 资质认定, project, patent or award names them)."""
    referred = []
    for entity in fields.ENTITIES.values():
        model = model_of(entity)
        for spec in entity.unit_fields:
            column = getattr(model, spec.key)
            referred.append(exists().where(column == Enterprise.id, model.deleted_at.is_(None)))
    stmt = select(Enterprise.id).where(Enterprise.deleted_at.is_(None), *(~clause for clause in referred))
    return list(session.scalars(stmt.order_by(Enterprise.name_sort, Enterprise.id)))


# --- 年度目标 ---------------------------------------------------------------------------------------


def target_lines(session: Session, today: dt.date) -> list[TargetLine]:
    """This year's 指标 with a target: the value as of today beside last year's at the same date.

    A 指标 counted by a year alone, or entered by hand, has no value at a date: last year's whole
    year stands beside it (上年全年).
    """
    rows = [row for row in targets.list_targets(session, today.year) if row.target is not None]
    if not rows:
        return []
    year = today.year
    now = stats.computed_indicators(stats.year_figures(session, year, through=today))
    same_date = stats.computed_indicators(
        stats.year_figures(session, year - 1, through=_a_year_before(today))
    )
    whole = stats.computed_indicators(stats.year_figures(session, year - 1))
    entered = {row.indicator: row.actual for row in targets.list_targets(session, year - 1)}
    lines = []
    for row in rows:
        dated = row.computed and row.indicator in stats.DATED_INDICATORS
        if row.computed:
            value, previous = now[row.indicator], (same_date if dated else whole)[row.indicator]
        else:
            value, previous = row.actual, entered.get(row.indicator)
        indicator = stats.Indicator(row.indicator, value, row.target, previous, manual=not row.computed)
        lines.append(TargetLine(indicator, full_year=not dated))
    return lines


def _a_year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February: last year's February ended on the 28th
        return day.replace(year=day.year - 1, day=28)


def record_names(session: Session, item: Item, limit: int = 10) -> list[str]:
    """What the first `limit` records of an item are called; a certificate is named with its holder."""
    entity = fields.ENTITIES[item.table]
    model, ids = model_of(entity), item.ids[:limit]
    if not ids:
        return []
    columns = [model.id, getattr(model, entity.display_key)]
    holder = _holder(entity)
    if holder is not None:
        parent = model_of(holder[0])
        columns.append(getattr(parent, holder[0].display_key))
    stmt = select(*columns).where(model.id.in_(ids))
    if holder is not None:
        stmt = stmt.join(parent, parent.id == getattr(model, holder[1].key))
    found = {row[0]: messages.WORKBENCH_HELD.format(holder=row[2], name=row[1]) if holder else row[1]
             for row in session.execute(stmt)}  # fmt: skip
    return [str(found.get(record_id) or "") for record_id in ids]
