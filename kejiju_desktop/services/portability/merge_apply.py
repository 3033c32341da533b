"""Merge, step two: write a confirmed plan into our file in the caller's one transaction."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from db.models import ENTITY_MODELS, ChangeLog, MergeMark, utc_now
from db.store import history_notes, writes_history
from kejiju_desktop import fields, messages
from kejiju_desktop.progress import run_to_end
from kejiju_desktop.services import records
from kejiju_desktop.services import settings as settings_service
from kejiju_desktop.services.entity_models import model_of
from kejiju_desktop.services.portability.merge_plan import MergeItem, MergePlan, is_purged
from kejiju_desktop.services.portability.sides import ORDER, UNITS, editable_lists
from kejiju_desktop.services.records import changes as change_values
from kejiju_desktop.sorting import sort_key_for

# Columns copied from their version besides the field values: identity, audit and recycle-bin state.
CARRIED = ("uid", "created_at", "updated_at", "updated_by", "deleted_at", "confirmed_warnings")
AUDIT = ("updated_at", "updated_by")
ACTIONS = {
    messages.KIND_NEW: "merge-new",
    messages.KIND_UPDATED: "merge-update",
    messages.KIND_DELETED: "merge-delete",
}


@dataclass
class Choices:
    """The clerk's decisions in the preview: records left out, and conflicts settled the other way."""

    excluded: set[tuple[str, str]] = field(default_factory=set)
    take_theirs: dict[tuple[str, str], bool] = field(default_factory=dict)

    def wants(self, item: MergeItem) -> bool:
        """Whether the item's version from the other file is written."""
        if item.key in self.excluded or item.kind == messages.KIND_DUPLICATE:
            return False
        if item.kind == messages.KIND_CONFLICT:
            return self.takes_theirs(item)
        return True

    def takes_theirs(self, item: MergeItem) -> bool:
        """For a conflict: whether the clerk's choice (else the default, the newer side) is their version."""
        return self.take_theirs.get(item.key, item.take_theirs)


@dataclass
class MergeResult:
    """What apply() wrote per kind, and notes on items (skipped as stale, or written without their unit)."""

    written: dict[str, int] = field(default_factory=dict)
    notes: list[tuple[MergeItem, str]] = field(default_factory=list)
    replanned: bool = False  # our file changed after the preview: the merge was planned again first
    backup: Path | None = None  # the copy taken before writing (a file's: one of its automatic backups)

    @property
    def total(self) -> int:
        return sum(self.written.values())


def apply_merge(
    session: Session, plan: MergePlan, choices: Choices | None = None, operator: str | None = None
):
    """Write the plan; returns a MergeResult. The caller owns the transaction (one for the whole merge)."""
    return run_to_end(iter_apply(session, plan, choices, operator))


def iter_apply(
    session: Session, plan: MergePlan, choices: Choices | None = None, operator: str | None = None
) -> Iterator[tuple[int, int]]:
    """apply_merge as a generator yielding (done, total) per table; its return value is the MergeResult."""
    choices = choices or Choices()
    operator = operator if operator is not None else settings_service.operator(session)
    result = MergeResult()
    by_table: dict[str, list[MergeItem]] = {t: [] for t in ORDER}
    for item in plan.items:
        if choices.wants(item):
            by_table[item.table].append(item)
    unit_ids = _ids(session, UNITS)
    for done, table in enumerate(ORDER, 1):
        _apply_table(session, fields.ENTITIES[table], by_table[table], unit_ids, operator, result)
        if table == UNITS:
            unit_ids = _ids(session, UNITS)
        yield done, len(ORDER) + 1
    _write_mark(session, plan)
    _extend_choice_lists(session, plan)
    yield len(ORDER) + 1, len(ORDER) + 1
    return result


def _ids(session: Session, table: str) -> dict[str, int]:
    model = ENTITY_MODELS[table]
    return {uid: rid for uid, rid in session.execute(select(model.uid, model.id))}


def _apply_table(session, entity, items, unit_ids, operator, result: MergeResult) -> None:
    if not items:
        return
    table = model_of(entity).__table__
    current = {
        uid: (rid, at, version)
        for uid, rid, at, version in session.execute(
            select(table.c.uid, table.c.id, table.c.updated_at, table.c.version)
        )
    }
    inserts, updates, logs = [], {}, []
    unit_names = _unit_names(session, entity, items)
    for item in items:
        now = current.get(item.uid)
        kind = item.kind if item.kind != messages.KIND_CONFLICT else _conflict_kind(item)
        said = (ACTIONS.get(kind, ""), item.theirs.get("updated_by") or "")  # what a server's line is told
        if item.kind == messages.KIND_NEW and now is None:
            inserts.append((said, _values(entity, item, unit_ids, result)))
        elif (
            item.kind != messages.KIND_NEW
            and now is not None
            and item.ours
            and (now[1], now[2]) == (item.ours["updated_at"], item.ours["version"])
        ):
            values = _values(entity, item, unit_ids, result)
            updates.setdefault((frozenset(values), said), []).append(
                dict(values, b_id=now[0], b_version=now[2])
            )
        else:
            result.notes.append((item, messages.DETAIL_STALE))
            continue
        result.written[kind] = result.written.get(kind, 0) + 1
        logs.append(_log_row(entity, item, kind, operator, unit_names))
        if is_purged(entity, item.theirs):  # their 永久删除 empties our record: its history too
            change_values.blank_history(session, entity.table, item.uid)
    _write_rows(session, entity, table, inserts, updates, operator)
    if logs and not writes_history(session):
        session.execute(insert(ChangeLog.__table__), logs)


def _write_rows(session: Session, entity: fields.EntitySpec, table, inserts, updates, operator: str) -> None:
    """The inserts (in their order) and updates, each run of rows whose lines a server is told the same
    (the merge's action, the other office's operator) in one statement."""
    for said, run in itertools.groupby(inserts, key=lambda pair: pair[0]):
        with _told(session, said, operator):
            session.execute(insert(table), [values for _said, values in run])
    for (keys, said), rows in updates.items():
        with _told(session, said, operator):
            _update_checked(session, entity, table, keys, rows)


def _told(session: Session, said: tuple[str, str], operator: str):
    action, their_operator = said
    return history_notes(session, action=action, their_operator=their_operator, operator=operator)


def _update_checked(session: Session, entity: fields.EntitySpec, table, keys, rows: list[dict]) -> None:
    """UPDATE … WHERE id = :id AND version = :seen, version + 1; a row another program changed since
    it was read here is not matched, and the whole merge stops (RecordChangedError) before writing it."""
    stmt = (
        update(table)
        .where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_version"))
        .values({k: bindparam(k) for k in keys} | {"version": table.c.version + 1})
    )
    if session.execute(stmt, rows).rowcount != len(rows):
        raise _first_moved(session, entity, table, rows)


def _first_moved(session: Session, entity: fields.EntitySpec, table, rows: list[dict]):
    written = {row["b_id"]: row["b_version"] + 1 for row in rows}
    stored = session.execute(select(table.c.id, table.c.version).where(table.c.id.in_(list(written))))
    moved = next((rid for rid, version in stored if version != written[rid]), None)
    record = session.get(model_of(entity), moved) if moved is not None else None
    return records.RecordChangedError(entity, moved, record)


def _values(
    entity: fields.EntitySpec, item: MergeItem, unit_ids: dict[str, int], result: MergeResult
) -> dict:
    """Columns to write: everything for a new record; for an update only what differs, plus the audit columns.

    Sort keys in their file are not trusted: computed again from the name (or kept, when the name is ours).
    """
    theirs = item.theirs
    keys = (
        [spec.key for spec in entity.fields]
        if item.ours is None
        else [k for k in item.changed if k != "deleted_at"]
    )
    if item.ours is None:
        values = {k: theirs.get(k) for k in CARRIED}
    else:  # columns left out of an UPDATE keep their indexes untouched
        values = {k: theirs.get(k) for k in CARRIED if k in AUDIT or theirs.get(k) != item.ours.get(k)}
    for key in keys:
        spec = entity.field(key)
        values[key] = theirs.get(key)
        if spec.kind == fields.UNIT:
            values[key] = unit_ids.get(theirs[key]) if theirs.get(key) is not None else None
            if theirs.get(key) is not None and values[key] is None:
                result.notes.append((item, messages.DETAIL_NO_UNIT))
        if spec.sort_key:
            values[spec.sort_key] = sort_key_for(theirs.get(key))
    return values


def _conflict_kind(item: MergeItem) -> str:
    if item.theirs["deleted_at"] is not None and item.ours and item.ours["deleted_at"] is None:
        return messages.KIND_DELETED
    return messages.KIND_UPDATED


def _log_row(entity: fields.EntitySpec, item: MergeItem, kind: str, operator: str, unit_names) -> dict:
    return {
        "table_name": entity.table,
        "uid": item.uid,
        "action": ACTIONS[kind],
        "at": utc_now(),
        "operator": operator,
        "fields": json.dumps(list(item.changed), ensure_ascii=False),
        "changes": change_values.encode(_kept(entity, item, unit_names)),
    }


def _kept(entity: fields.EntitySpec, item: MergeItem, unit_names) -> dict:
    """Both sides' values of each field the merge writes, and who changed it in the other office."""
    if item.ours is None:
        kept: dict = change_values.changes_of(entity, {}, item.theirs, unit_names)
    else:  # as the preview showed them (a tombstone's: only its state)
        kept = {d.key: [d.ours, d.theirs] for d in item.differences}
    if is_purged(entity, item.theirs):
        kept[change_values.PURGED] = True
    return kept | {change_values.THEIR_OPERATOR: item.theirs.get("updated_by") or ""}


def _unit_names(session: Session, entity: fields.EntitySpec, items: list[MergeItem]) -> dict[str, str]:
    """Unit uid -> name in our file (their units written already), for new records' references."""
    if not entity.unit_fields or all(item.ours is not None for item in items):
        return {}
    model = ENTITY_MODELS[UNITS]
    rows = session.execute(select(model.uid, getattr(model, fields.UNITS.display_key)))
    return {uid: name or "" for uid, name in rows}


def _extend_choice_lists(session: Session, plan: MergePlan) -> None:
    """Values the other office added to an editable list (e.g. 计划类别) join ours, so merged records stay valid."""
    defaults = editable_lists()
    for name, extra in plan.new_choices.items():
        settings_service.add_choices(session, name, defaults.get(name, ()), list(extra))


def _write_mark(session: Session, plan: MergePlan) -> None:
    """Remember their latest change merged, and a sync point no earlier than anything now in our file."""
    latest = [session.scalar(select(func.max(m.updated_at))) for m in ENTITY_MODELS.values()]
    merged_at = max([utc_now()] + [d for d in latest if d is not None])
    mark = session.get(MergeMark, plan.their_office)
    if mark is None:
        mark = MergeMark(office_id=plan.their_office)
        session.add(mark)
    mark.office_name = plan.their_name
    if plan.their_latest is not None and (mark.their_latest is None or plan.their_latest > mark.their_latest):
        mark.their_latest = plan.their_latest
    mark.merged_at = merged_at
