"""Reading records: page/sort/filter/search in SQL, counts, years, single records and unit lookups."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, and_, func, or_, select, union_all
from sqlalchemy.orm import Session, aliased

from db import search as search_index
from db.models import Enterprise
from kejiju_desktop import fields
from kejiju_desktop.services.entity_models import model_of


@dataclass
class Query:
    """What a tab shows: search words, year, choice filters, sort, recycle bin or live rows."""

    search: str = ""
    year: int | None = None
    filters: dict[str, Any] = field(default_factory=dict)
    sort: str | None = None
    descending: bool = False
    deleted: bool = False
    ids: tuple[int, ...] | None = None  # only these records (a 工作台 item's), whatever else is set


def newest_first(entity: fields.EntitySpec) -> bool:
    """Whether a list first shows the newest rows: it sorts by a year or a date (names go in pinyin order)."""
    return entity.field(entity.default_sort).kind in (fields.YEAR, fields.DATE)


# --- reading ---------------------------------------------------------------------------------


def _unit_joins(entity: fields.EntitySpec) -> dict[str, Any]:
    return {spec.key: aliased(Enterprise) for spec in entity.unit_fields}


def _year_clause(entity: fields.EntitySpec, year: int):
    column = getattr(model_of(entity), entity.year_key)
    if entity.field(entity.year_key).kind == fields.DATE:
        return and_(column >= dt.date(year, 1, 1), column < dt.date(year + 1, 1, 1))
    return column == year


def search_clause(entity: fields.EntitySpec, text: str, session: Session | None = None):
    """Every word must appear in one of the searchable text columns (the file's index, else LIKE)."""
    return _search(entity, text, session)[0]


def _search(entity: fields.EntitySpec, text: str, session: Session | None, counting: bool = False):
    """The search condition, and what the index found (None: LIKE alone) to shape a count with."""
    found = None
    if session is not None:
        found = search_index.candidates(
            session.connection(), entity.table, model_of(entity).id, text, counting
        )
        if found is not None and found.decides:
            return found.clause, found
    clauses = [] if found is None else [found.clause]
    for word in text.split():
        columns = [getattr(model_of(entity), f.key) for f in entity.search_fields if f.kind != fields.UNIT]
        clauses.append(or_(*(search_index.contains(c, word) for c in columns)))
    return and_(*clauses), found


def where_clauses(entity: fields.EntitySpec, query: Query, session: Session | None = None) -> list:
    """SQL conditions for a query (shared by page, count and export)."""
    model = model_of(entity)
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
    if query.ids is not None:
        clauses.append(model.id.in_(query.ids))
    return clauses


def _not_purged(entity: fields.EntitySpec):
    # A purged record keeps only uid and deleted_at; its display field is emptied.
    return getattr(model_of(entity), entity.display_key).is_not(None)


def _order_by(entity: fields.EntitySpec, query: Query, joins: Mapping[str, Any] | None = None) -> list:
    key = query.sort or entity.default_sort
    spec = entity.field(key)
    if spec.kind == fields.UNIT and joins:
        column = joins[key].name_sort  # a unit column sorts by the unit's name, in pinyin order
    else:
        column = getattr(model_of(entity), spec.sort_key or key)
    primary = column.desc() if query.descending else column.asc()
    tie = model_of(entity).id.desc() if query.descending else model_of(entity).id.asc()
    return [primary, tie]


def page_statement(
    entity: fields.EntitySpec, query: Query, session: Session | None = None, clauses: list | None = None
) -> Select:
    """SELECT id + every table field (unit fields as the unit's name), filtered (by `clauses` when given,
    else by the query) and ordered."""
    model = model_of(entity)
    joins = _unit_joins(entity)
    columns = [model.id]
    for spec in entity.fields:
        columns.append(joins[spec.key].name if spec.kind == fields.UNIT else getattr(model, spec.key))
    stmt = select(*columns)
    for key, alias in joins.items():
        stmt = stmt.outerjoin(alias, alias.id == getattr(model, key))
    if clauses is None:
        clauses = where_clauses(entity, query, session)
    return stmt.where(*clauses).order_by(*_order_by(entity, query, joins))


DEEP_OFFSET = 1000  # from here a page first picks its ids, walking the sort index alone


def list_page(
    session: Session, entity: fields.EntitySpec, query: Query, offset: int, limit: int
) -> list[tuple]:
    """One page of rows: (id, value per field in spec order)."""
    sort = entity.field(query.sort or entity.default_sort)
    if sort.kind != fields.UNIT and _searched_by_ids(session, query):
        stmt = _searched_page(session, entity, query, offset, limit)
    elif offset < DEEP_OFFSET or sort.kind == fields.UNIT:
        stmt = page_statement(entity, query, session).offset(offset).limit(limit)
    else:
        # Skipping rows costs little in the index but a lot when every skipped row is joined
        # and read: 500,000 patents scrolled to the end take 20 ms this way instead of 1.8 s.
        ids = select(model_of(entity).id).where(*where_clauses(entity, query, session))
        ids = ids.order_by(*_order_by(entity, query)).offset(offset).limit(limit)
        stmt = page_statement(entity, query, session).where(model_of(entity).id.in_(ids.scalar_subquery()))
    return [tuple(row) for row in session.execute(stmt)]


def _searched_by_ids(session: Session, query: Query) -> bool:
    return bool(query.search.strip()) and search_index.picks_ids_first(session.connection())


def _searched_page(session: Session, entity: fields.EntitySpec, query: Query, offset: int, limit: int):
    """A search's page where the store finds its ids by the sort order alone (db/search.picks_ids_first):
    the ids first, conditions asked once, then only those rows read and joined."""
    model = model_of(entity)
    spec = entity.field(query.sort or entity.default_sort)
    ids = select(model.id).where(*where_clauses(entity, query, session)).order_by(*_order_by(entity, query))
    parts = search_index.page_parts(
        session.connection(), entity.table, spec.sort_key or spec.key, ids, offset + limit
    )
    found = union_all(*(select(part.subquery().c.id) for part in parts))
    return page_statement(entity, query, clauses=[model.id.in_(found)]).offset(offset).limit(limit)


def position_of(session: Session, entity: fields.EntitySpec, query: Query, record_id: int) -> int | None:
    """Where a record stands (from 0) in the query's rows, or None when the query leaves it out."""
    model = model_of(entity)
    joins = _unit_joins(entity)
    place = func.row_number().over(order_by=_order_by(entity, query, joins)).label("place")
    ranked = select(model.id, place)
    for key, alias in joins.items():
        ranked = ranked.outerjoin(alias, alias.id == getattr(model, key))
    ranked = ranked.where(*where_clauses(entity, query, session)).subquery()
    found = session.scalar(select(ranked.c.place).where(ranked.c.id == record_id))
    return None if found is None else found - 1


def count(session: Session, entity: fields.EntitySpec, query: Query) -> int:
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
    return session.scalar(select(func.count()).select_from(model_of(entity)).where(*clauses)) or 0


def _all_live(query: Query) -> bool:
    filtered = any(value not in (None, "") for value in query.filters.values())
    return not (
        query.deleted or query.search.strip() or query.year is not None or filtered or query.ids is not None
    )


def _live_count(entity: fields.EntitySpec) -> Select:
    # Every row less the few in the recycle bin: counting a whole table tests nothing row by row
    # (500,000 patents: 20 ms instead of 47 ms on a loaded machine). One statement, one snapshot.
    model = model_of(entity)
    rows = select(func.count()).select_from(model).scalar_subquery()
    binned = select(func.count()).select_from(model).where(model.deleted_at.is_not(None)).scalar_subquery()
    return select(rows - binned)


def prepare_search(session: Session) -> None:
    """Bring the word index and the planner's statistics up to date (after opening a file)."""
    connection = session.connection()
    for table in fields.TAB_TABLES:
        search_index.sync(connection, table)
    search_index.ensure_statistics(connection)


def get_record(session: Session, entity: fields.EntitySpec, record_id: int):
    """The model object, or None."""
    return session.get(model_of(entity), record_id)


def record_values(record) -> dict[str, Any]:
    """Field values of a model object keyed by field key."""
    entity = entity_of(record)
    return {spec.key: getattr(record, spec.key) for spec in entity.fields}


def entity_of(record) -> fields.EntitySpec:
    return fields.ENTITIES[record.__tablename__]


def list_years(session: Session, entity: fields.EntitySpec) -> list[int]:
    """Years present in the table's year column, newest first, for the year filter."""
    if not entity.year_key:
        return []
    # The first and last year, then one indexed probe per year between: quick on any table size,
    # where reading every row's year takes a noticeable moment at 500,000 patents.
    model, column = model_of(entity), getattr(model_of(entity), entity.year_key)
    live = [model.deleted_at.is_(None), column.is_not(None)]
    first = session.scalar(select(column).where(*live).order_by(column.asc()).limit(1))
    last = session.scalar(select(column).where(*live).order_by(column.desc()).limit(1))
    if first is None or last is None:
        return []
    is_date = entity.field(entity.year_key).kind == fields.DATE
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
