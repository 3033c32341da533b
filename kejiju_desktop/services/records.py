"""Records of every table: page/sort/filter/search in SQL, validated save, recycle bin, change log."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, and_, func, insert, or_, select
from sqlalchemy.orm import Session, aliased

from db import search as search_index
from db.models import ChangeLog, Enterprise, new_uid, utc_now
from kejiju_desktop import fields as F
from kejiju_desktop import validation as v
from kejiju_desktop.services import settings as settings_service
from kejiju_desktop.sorting import sort_key_for

MSG_DUPLICATE = "{label}“{value}”已存在（{other}），不能重复。"
MSG_DUPLICATE_PAIR = "{labels}为“{value}”的记录已存在，不能重复。"
MSG_UNKNOWN_UNIT = "{label}“{value}”不在单位列表中，请先在“企业”页新增该单位。"
MSG_NOT_FOUND = "记录已不存在（可能已被删除）。"


class ValidationFailed(Exception):
    """A save refused: the errors, or warnings the clerk has not confirmed."""

    def __init__(self, problems: list[v.Problem]):
        super().__init__("；".join(p.message for p in problems))
        self.problems = problems

    @property
    def only_warnings(self) -> bool:
        return all(not p.is_error for p in self.problems)


@dataclass
class Query:
    """What a tab shows: search words, year, choice filters, sort, recycle bin or live rows."""

    search: str = ""
    year: int | None = None
    filters: dict[str, Any] = field(default_factory=dict)
    sort: str | None = None
    descending: bool = False
    deleted: bool = False


# --- reading ---------------------------------------------------------------------------------


def _unit_joins(entity: F.EntitySpec) -> dict[str, Any]:
    return {spec.key: aliased(Enterprise) for spec in entity.unit_fields}


def _year_clause(entity: F.EntitySpec, year: int):
    column = getattr(entity.model, entity.year_key)
    if entity.field(entity.year_key).kind == F.DATE:
        return and_(column >= dt.date(year, 1, 1), column < dt.date(year + 1, 1, 1))
    return column == year


def search_clause(entity: F.EntitySpec, text: str, session: Session | None = None):
    """Every word must appear in one of the searchable text columns (the file's index, else LIKE)."""
    return _search(entity, text, session)[0]


def _search(entity: F.EntitySpec, text: str, session: Session | None, counting: bool = False):
    """The search condition, and what the index found (None: LIKE alone) to shape a count with."""
    found = None
    if session is not None:
        found = search_index.candidates(session.connection(), entity.table, entity.model.id, text, counting)
        if found is not None and found.decides:
            return found.clause, found
    clauses = [] if found is None else [found.clause]
    for word in text.split():
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        columns = [getattr(entity.model, f.key) for f in entity.search_fields if f.kind != F.UNIT]
        clauses.append(or_(*(c.like(pattern, escape="\\") for c in columns)))
    return and_(*clauses), found


def where_clauses(entity: F.EntitySpec, query: Query, session: Session | None = None) -> list:
    """SQL conditions for a query (shared by page, count and export)."""
    model = entity.model
    clauses = [model.deleted_at.is_not(None) if query.deleted else model.deleted_at.is_(None)]
    if query.deleted:
        clauses.append(_not_purged(entity))
    if query.year is not None and entity.year_key:
        clauses.append(_year_clause(entity, query.year))
    for key, value in query.filters.items():
        if value not in (None, ""):
            clauses.append(getattr(model, key) == value)
    if query.search.strip():
        clauses.append(search_clause(entity, query.search, session))
    return clauses


def _not_purged(entity: F.EntitySpec):
    # A purged record keeps only uid and deleted_at; its display field is emptied.
    return getattr(entity.model, entity.display_key).is_not(None)


def _order_by(entity: F.EntitySpec, query: Query, joins: Mapping[str, Any] | None = None) -> list:
    key = query.sort or entity.default_sort
    spec = entity.field(key)
    if spec.kind == F.UNIT and joins:
        column = joins[key].name_sort  # a unit column sorts by the unit's name, in pinyin order
    else:
        column = getattr(entity.model, spec.sort_key or key)
    primary = column.desc() if query.descending else column.asc()
    tie = entity.model.id.desc() if query.descending else entity.model.id.asc()
    return [primary, tie]


def page_statement(entity: F.EntitySpec, query: Query, session: Session | None = None) -> Select:
    """SELECT id + every table field (unit fields as the unit's name), filtered and ordered."""
    model = entity.model
    joins = _unit_joins(entity)
    columns = [model.id]
    for spec in entity.fields:
        columns.append(joins[spec.key].name if spec.kind == F.UNIT else getattr(model, spec.key))
    stmt = select(*columns)
    for key, alias in joins.items():
        stmt = stmt.outerjoin(alias, alias.id == getattr(model, key))
    return stmt.where(*where_clauses(entity, query, session)).order_by(*_order_by(entity, query, joins))


DEEP_OFFSET = 1000  # from here a page first picks its ids, walking the sort index alone


def list_page(session: Session, entity: F.EntitySpec, query: Query, offset: int, limit: int) -> list[tuple]:
    """One page of rows: (id, value per field in spec order)."""
    sort = entity.field(query.sort or entity.default_sort)
    if offset < DEEP_OFFSET or sort.kind == F.UNIT:
        stmt = page_statement(entity, query, session).offset(offset).limit(limit)
    else:
        # Skipping rows costs little in the index but a lot when every skipped row is joined
        # and read: 500,000 patents scrolled to the end take 20 ms this way instead of 1.8 s.
        ids = select(entity.model.id).where(*where_clauses(entity, query, session))
        ids = ids.order_by(*_order_by(entity, query)).offset(offset).limit(limit)
        stmt = page_statement(entity, query, session).where(entity.model.id.in_(ids.scalar_subquery()))
    return [tuple(row) for row in session.execute(stmt)]


def count(session: Session, entity: F.EntitySpec, query: Query) -> int:
    """How many rows the query matches."""
    if _all_live(query):
        return session.scalar(_live_count(entity)) or 0
    # The search is counted its own way: the index's matches looked up rather than walked in order.
    rest = dataclasses.replace(query, search="")
    clauses = where_clauses(entity, rest, session)
    if query.search.strip():
        clause, found = _search(entity, query.search, session, counting=True)
        counted = None
        if found is not None and _all_live(rest):
            counted = search_index.count_live(session.connection(), entity.table, found)
        if counted is not None:
            return counted
        clauses.append(clause)
    return session.scalar(select(func.count()).select_from(entity.model).where(*clauses)) or 0


def _all_live(query: Query) -> bool:
    filtered = any(value not in (None, "") for value in query.filters.values())
    return not (query.deleted or query.search.strip() or query.year is not None or filtered)


def _live_count(entity: F.EntitySpec) -> Select:
    # Every row less the few in the recycle bin: counting a whole table tests nothing row by row
    # (500,000 patents: 20 ms instead of 47 ms on a loaded machine). One statement, one snapshot.
    model = entity.model
    rows = select(func.count()).select_from(model).scalar_subquery()
    binned = select(func.count()).select_from(model).where(model.deleted_at.is_not(None)).scalar_subquery()
    return select(rows - binned)


def prepare_search(session: Session) -> None:
    """Bring the word index and the planner's statistics up to date (after opening a file)."""
    connection = session.connection()
    for table in F.TAB_TABLES:
        search_index.sync(connection, table)
    search_index.ensure_statistics(connection)


def list_deleted(session: Session, entity: F.EntitySpec, limit: int = 2000) -> list[tuple]:
    """The recycle bin of one table, newest first: (id, display text, deleted_at, updated_by)."""
    model = entity.model
    stmt = (
        select(model.id, getattr(model, entity.display_key), model.deleted_at, model.updated_by)
        .where(*where_clauses(entity, Query(deleted=True)))
        .order_by(model.deleted_at.desc(), model.id.desc())
        .limit(limit)
    )
    return [tuple(row) for row in session.execute(stmt)]


def get_record(session: Session, entity: F.EntitySpec, record_id: int):
    """The model object, or None."""
    return session.get(entity.model, record_id)


def record_values(record) -> dict[str, Any]:
    """Field values of a model object keyed by field key."""
    entity = entity_of(record)
    return {spec.key: getattr(record, spec.key) for spec in entity.fields}


def entity_of(record) -> F.EntitySpec:
    return F.ENTITIES[record.__tablename__]


def list_years(session: Session, entity: F.EntitySpec) -> list[int]:
    """Years present in the table's year column, newest first, for the year filter."""
    if not entity.year_key:
        return []
    # The first and last year, then one indexed probe per year between: quick on any table size,
    # where reading every row's year takes a noticeable moment at 500,000 patents.
    model, column = entity.model, getattr(entity.model, entity.year_key)
    live = [model.deleted_at.is_(None), column.is_not(None)]
    first = session.scalar(select(column).where(*live).order_by(column.asc()).limit(1))
    last = session.scalar(select(column).where(*live).order_by(column.desc()).limit(1))
    if first is None or last is None:
        return []
    is_date = entity.field(entity.year_key).kind == F.DATE
    low, high = (first.year, last.year) if is_date else (int(first), int(last))
    years = []
    for year in range(high, low - 1, -1):
        probe = select(model.id).where(model.deleted_at.is_(None), _year_clause(entity, year)).limit(1)
        if session.execute(probe).first() is not None:
            years.append(year)
    return years


# --- units -------------------------------------------------------------------------------------


def find_unit(session: Session, name: str | None = None, credit_code: str | None = None):
    """A live unit by credit code (first) or exact name, or None."""
    live = Enterprise.deleted_at.is_(None)
    if credit_code:
        unit = session.scalars(select(Enterprise).where(live, Enterprise.credit_code == credit_code)).first()
        if unit is not None:
            return unit
    if name:
        return session.scalars(select(Enterprise).where(live, Enterprise.name == name.strip())).first()
    return None


def list_unit_names(session: Session, prefix: str = "", limit: int = 50) -> list[tuple[int, str]]:
    """(id, name) of live units whose name contains `prefix`, in pinyin order, for completion."""
    stmt = select(Enterprise.id, Enterprise.name).where(Enterprise.deleted_at.is_(None))
    if prefix:
        stmt = stmt.where(Enterprise.name.contains(prefix))
    stmt = stmt.order_by(Enterprise.name_sort).limit(limit)
    return [(row.id, row.name) for row in session.execute(stmt)]


def unit_name(session: Session, unit_id: int | None) -> str | None:
    if unit_id is None:
        return None
    unit = session.get(Enterprise, unit_id)
    return unit.name if unit is not None else None


# --- validation --------------------------------------------------------------------------------

# Who else holds a live-unique key: (key fields, their values, the record being saved or None) ->
# the other live record's display text, or None when the key is free.
KeyHolder = Callable[[tuple[str, ...], tuple, int | None], str | None]


class RecordCheck:
    """The one way a record's values are read and checked, for the form, a save and every import row.

    What it asks the file (units by name, holders of unique keys) is given by the caller: queries by
    default, an import's caches for thousands of rows.
    """

    def __init__(
        self,
        session: Session,
        entity: F.EntitySpec,
        *,
        unit_named: F.UnitNamed = None,
        key_holder: KeyHolder | None = None,
    ):
        self.session, self.entity = session, entity
        self.unit_named = unit_named or functools.partial(_unit_id_named, session)
        self.key_holder = key_holder or functools.partial(_live_holder, session, entity)

    @functools.cached_property
    def choices(self) -> dict[str, tuple[str, ...] | None]:
        # Read once per check: editable lists (计划类别) come from the file.
        return {spec.key: choice_values(self.session, spec) for spec in self.entity.fields}

    def parse(
        self, raw: Mapping[str, Any], *, units_named: bool = False
    ) -> tuple[dict[str, Any], list[v.Problem]]:
        """Typed values from raw input (form text or cells) and the problems found per field.

        `units_named`: unit fields hold names (a sheet's cells), only checked here; the caller looks
        them up (they are ids from a form).
        """
        values: dict[str, Any] = {}
        problems: list[v.Problem] = []
        for spec in self.entity.fields:
            if spec.key not in raw:
                continue
            try:
                if units_named and spec.kind == F.UNIT:
                    v.check_storable(raw[spec.key], spec.label)
                else:
                    values[spec.key] = spec.parse(raw[spec.key], self.choices[spec.key])
            except v.Invalid as exc:
                problems.append(v.Problem(spec.key, exc.severity, exc.message))
                if exc.severity == v.WARNING:
                    values[spec.key] = v.normalize_text(raw[spec.key]).upper()
        return values, problems

    def derive(self, values: dict[str, Any]) -> None:
        """Fill what the clerk need not type (the spec's derive hook), units looked up as given."""
        self.entity.fill_derived(values, self.unit_named)

    def check(
        self,
        values: Mapping[str, Any],
        record_id: int | None = None,
        *,
        unique: bool = True,
        refused: Collection[str] = (),
    ) -> list[v.Problem]:
        """Required fields, cross-field rules and (unless told not to) live-unique keys.

        `refused`: fields that already have a problem (a date that could not be read), not reported
        empty or out of order as well.
        """
        problems = []
        for spec in self.entity.fields:
            if spec.required and values.get(spec.key) in (None, ""):
                problems.append(v.Problem(spec.key, v.ERROR, v.MSG_REQUIRED.format(label=spec.label)))
        for rule in self.entity.rules:
            problems.extend(rule(self.entity, values))
        if refused:
            problems = [p for p in problems if p.field not in refused]
        if unique:
            problems.extend(self.unique_problems(values, record_id))
        return problems

    def unique_problems(self, values: Mapping[str, Any], record_id: int | None = None) -> list[v.Problem]:
        """Live-unique keys of these values that another live record holds."""
        problems = []
        for key in self.entity.unique_key_sets:
            found = key_value(values, key)
            other = self.key_holder(key, found, record_id) if found is not None else None
            if other is not None:
                problems.append(_duplicate_problem(self.entity, key, found, other))
        return problems


def key_value(values: Mapping[str, Any], key: tuple[str, ...]) -> tuple | None:
    """The values of a key's fields, or None when one of them is empty."""
    found = tuple(values.get(k) for k in key)
    return None if any(x in (None, "") for x in found) else found


def _duplicate_problem(entity: F.EntitySpec, key: tuple[str, ...], found: tuple, other: str) -> v.Problem:
    if len(key) == 1:
        label = entity.field(key[0]).label
        return v.Problem(key[0], v.ERROR, MSG_DUPLICATE.format(label=label, value=found[0], other=other))
    labels = "、".join(entity.field(k).label for k in key)
    shown = "、".join(str(x) for x in found)
    return v.Problem(key[-1], v.ERROR, MSG_DUPLICATE_PAIR.format(labels=labels, value=shown))


def _live_holder(session: Session, entity: F.EntitySpec, key, found: tuple, record_id) -> str | None:
    model = entity.model
    stmt = select(getattr(model, entity.display_key)).where(
        model.deleted_at.is_(None), *(getattr(model, k) == x for k, x in zip(key, found, strict=True))
    )
    if record_id is not None:
        stmt = stmt.where(model.id != record_id)
    row = session.execute(stmt.limit(1)).first()
    return None if row is None else (row[0] or "")


def _unit_id_named(session: Session, name: str) -> int | None:
    unit = find_unit(session, name=name)
    return unit.id if unit is not None else None


def parse_values(
    session: Session, entity: F.EntitySpec, raw: Mapping[str, Any]
) -> tuple[dict[str, Any], list[v.Problem]]:
    """Typed values from raw input (form text or cells) and the problems found per field."""
    return RecordCheck(session, entity).parse(raw)


def choice_values(session: Session, spec: F.FieldSpec) -> tuple[str, ...] | None:
    """The allowed values of a choice field, from the file for editable lists."""
    if spec.choice_list is None:
        return None
    return tuple(settings_service.get_choice_list(session, spec.choice_list, spec.choices))


def check_values(
    session: Session,
    entity: F.EntitySpec,
    values: Mapping[str, Any],
    record_id: int | None = None,
    *,
    unique: bool = True,
) -> list[v.Problem]:
    """Required fields, cross-field rules and (unless told not to) live-unique keys."""
    return RecordCheck(session, entity).check(values, record_id, unique=unique)


# --- writing -----------------------------------------------------------------------------------


def save_record(
    session: Session,
    entity: F.EntitySpec,
    raw: Mapping[str, Any],
    *,
    record_id: int | None = None,
    operator: str | None = None,
    confirm_warnings: bool = False,
    parsed: bool = False,
):
    """Validate and write one record; raises ValidationFailed. Returns the model object.

    `parsed`: the values are typed already.
    """
    options = _SaveOptions(record_id, operator, confirm_warnings, parsed)
    return _save(session, entity, raw, options, None)


@dataclass(slots=True)
class _SaveOptions:
    record_id: int | None = None
    operator: str | None = None
    confirm_warnings: bool = False
    parsed: bool = False
    checked: list[v.Problem] | None = None  # the caller's RecordCheck derived and checked the values


def _save(session: Session, entity: F.EntitySpec, raw: Mapping[str, Any], options: _SaveOptions, bulk):
    record, values, problems = _validated(session, entity, raw, options)
    warned = {p.field for p in problems if not p.is_error}
    operator = options.operator if options.operator is not None else settings_service.operator(session)
    if record is not None:
        return _update(session, entity, record, values, warned, operator, bulk)
    row = _new_row(session, entity, values, warned, operator, bulk)
    if bulk is not None and options.checked is not None:
        return bulk.queue(entity, row)
    record = entity.model(**row)
    session.add(record)
    session.flush()
    return record


def _validated(session: Session, entity: F.EntitySpec, raw: Mapping[str, Any], options: _SaveOptions):
    """The stored record (None for a new one), the values to write and their acceptable problems."""
    needed = not options.parsed or options.checked is None
    check = RecordCheck(session, entity) if needed else None
    values, problems = (dict(raw), []) if options.parsed else check.parse(raw)
    record = _stored(session, entity, options.record_id)
    values = _completed(entity, record, values)
    if options.checked is None:
        check.derive(values)
        problems += check.check(values, options.record_id, refused={p.field for p in problems})
    else:
        problems += options.checked
    confirmed = set(filter(None, (record.confirmed_warnings if record else "").split(",")))
    _raise_unless_acceptable(problems, options.confirm_warnings, confirmed)
    return record, values, problems


def _stored(session: Session, entity: F.EntitySpec, record_id: int | None):
    if record_id is None:
        return None
    record = session.get(entity.model, record_id)
    if record is None or record.deleted_at is not None:
        raise ValidationFailed([v.Problem("", v.ERROR, MSG_NOT_FOUND)])
    return record


def _completed(entity: F.EntitySpec, record, values: dict[str, Any]) -> dict[str, Any]:
    """An update's values over the stored ones; a new record's empty fields take their defaults."""
    if record is not None:
        return record_values(record) | values
    for spec in entity.fields:
        if values.get(spec.key) is None and spec.default is not None:
            values[spec.key] = spec.default
    return values


def _raise_unless_acceptable(problems, confirm_warnings: bool, confirmed: set[str]) -> None:
    errors = [p for p in problems if p.is_error]
    if errors:
        raise ValidationFailed(errors)
    pending = [p for p in problems if p.field not in confirmed]
    if pending and not confirm_warnings:
        raise ValidationFailed(pending)


def _columns(entity: F.EntitySpec, values, warned: set[str], operator: str, now) -> dict[str, Any]:
    row = {spec.key: values.get(spec.key) for spec in entity.fields}
    for spec in entity.fields:
        if spec.sort_key:
            row[spec.sort_key] = sort_key_for(values.get(spec.key))
    row.update(confirmed_warnings=",".join(sorted(warned)), updated_at=now, updated_by=operator)
    return row


def _new_row(session, entity, values, warned: set[str], operator: str, bulk) -> dict[str, Any]:
    now = utc_now()
    row = _columns(entity, values, warned, operator, now) | {"uid": new_uid(), "created_at": now}
    changed = sorted(k for k, val in values.items() if val not in (None, ""))
    log_change(session, entity.table, row["uid"], "create", operator, changed, bulk=bulk)
    return row


def _update(session, entity, record, values, warned: set[str], operator: str, bulk):
    now = utc_now()
    changed = sorted(k for k, val in values.items() if getattr(record, k) != val)
    for key, value in _columns(entity, values, warned, operator, now).items():
        setattr(record, key, value)
    session.flush()
    log_change(session, entity.table, record.uid, "update", operator, changed, bulk=bulk)
    return record


@dataclass(frozen=True)
class PendingRecord:
    """A record created through `BulkSave`: inserted with the others at its end (see `BulkSave.id_of`)."""

    model: type
    uid: str


def log_change(session, table: str, uid: str, action: str, operator: str, changed=(), *, bulk=None) -> None:
    """Append one line to change_log (collected by `bulk`, a BulkSave, and written at its end)."""
    line = {
        "table_name": table,
        "uid": uid,
        "action": action,
        "at": utc_now(),
        "operator": operator,
        "fields": json.dumps(list(changed), ensure_ascii=False),
    }
    if bulk is not None:
        bulk.lines.append(line)
    else:
        session.add(ChangeLog(**line))


class BulkSave:
    """Many writes in one go (an import), held by the caller: new rows the caller checked and every
    change-log line are inserted in a few multi-row statements at the end of its `with` block, instead
    of one ORM flush per record. Leaving the block by an exception inserts nothing pending."""

    def __init__(self, session: Session):
        self.session = session
        self.lines: list[dict[str, Any]] = []
        self.rows: dict[type, list[dict[str, Any]]] = {}

    def __enter__(self) -> BulkSave:
        return self

    def __exit__(self, exc_type, _exc, _traceback) -> None:
        if exc_type is None:
            self.insert_pending()

    def save(self, entity: F.EntitySpec, raw: Mapping[str, Any], *, checked=None, **options):
        """save_record inside the bulk. `checked`: the problems the caller's RecordCheck found on these
        derived values; a new record is then written without further queries and inserted at the end
        (a PendingRecord is returned: see `id_of`)."""
        return _save(self.session, entity, raw, _SaveOptions(checked=checked, **options), self)

    def queue(self, entity: F.EntitySpec, row: dict[str, Any]) -> PendingRecord:
        """Keep a new row for the multi-row insert at the end."""
        self.rows.setdefault(entity.model, []).append(row)
        return PendingRecord(entity.model, row["uid"])

    def insert_pending(self) -> None:
        """Insert the rows and change-log lines kept so far."""
        for model, rows in self.rows.items():
            if rows:
                with search_index.bulk_insert(self.session.connection(), model.__tablename__):
                    self.session.execute(insert(model), rows)
                rows.clear()
        if self.lines:
            self.session.execute(insert(ChangeLog), self.lines)
            self.lines.clear()

    def id_of(self, record) -> int:
        """A record's id; a pending one is inserted first (with what else is pending)."""
        if isinstance(record, PendingRecord):
            self.insert_pending()
            return self.session.scalar(select(record.model.id).where(record.model.uid == record.uid))
        return record.id


def _touch(session, entity, record, action: str, operator: str | None) -> None:
    operator = operator if operator is not None else settings_service.operator(session)
    record.updated_at = utc_now()
    record.updated_by = operator
    log_change(session, entity.table, record.uid, action, operator)


def delete_record(session: Session, entity: F.EntitySpec, record_id: int, operator=None) -> None:
    """Move a record to the recycle bin (its children stay, pointing at it)."""
    record = session.get(entity.model, record_id)
    if record is None or record.deleted_at is not None:
        raise ValidationFailed([v.Problem("", v.ERROR, MSG_NOT_FOUND)])
    record.deleted_at = utc_now()
    _touch(session, entity, record, "delete", operator)


def restore_record(session: Session, entity: F.EntitySpec, record_id: int, operator=None) -> None:
    """Bring a record back from the recycle bin, if its keys are still free."""
    record = session.get(entity.model, record_id)
    if record is None or record.deleted_at is None:
        raise ValidationFailed([v.Problem("", v.ERROR, MSG_NOT_FOUND)])
    problems = RecordCheck(session, entity).unique_problems(record_values(record), record_id)
    if problems:
        raise ValidationFailed(problems)
    record.deleted_at = None
    _touch(session, entity, record, "restore", operator)


def purge_record(session: Session, entity: F.EntitySpec, record_id: int, operator=None) -> None:
    """永久删除: empty the content, keep uid and deleted_at as a tombstone for merges."""
    record = session.get(entity.model, record_id)
    if record is None or record.deleted_at is None:
        raise ValidationFailed([v.Problem("", v.ERROR, MSG_NOT_FOUND)])
    for spec in entity.fields:
        setattr(record, spec.key, None)
        if spec.sort_key:
            setattr(record, spec.sort_key, None)
    _touch(session, entity, record, "purge", operator)
