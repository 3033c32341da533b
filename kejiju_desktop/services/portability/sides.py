"""Read one side of a merge: every record by uid (references as the unit's uid), office id and marks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import ENTITY_MODELS, MergeMark
from kejiju_desktop import fields
from kejiju_desktop.services import settings as settings_service

UNITS = fields.UNITS.table  # the records others point at: duplicates remap them, refusals carry over
# Tables in the order a merge must write them: units first, so references can be remapped.
ORDER = (UNITS,) + tuple(t for t in ENTITY_MODELS if t != UNITS)


@dataclass(frozen=True)
class Mark:
    """What one file remembers of its last merge from another office."""

    their_latest: dt.datetime | None
    merged_at: dt.datetime | None


@dataclass
class Side:
    """All records of one file keyed by table then uid; `unit_id` holds the unit's uid, not its local id."""

    office_id: str
    office_name: str
    rows: dict[str, dict[str, dict]] = field(default_factory=dict)
    marks: dict[str, Mark] = field(default_factory=dict)
    latest: dt.datetime | None = None
    choice_lists: dict[str, list[str]] = field(default_factory=dict)
    # (table, uid) of records whose unit reference points at no unit of the file (the link is lost).
    lost_units: set[tuple[str, str]] = field(default_factory=set)
    # (table, uid) -> why the record may not be merged (filled by merge_screen for the other file).
    refused: dict[tuple[str, str], list[str]] = field(default_factory=dict)


def editable_lists() -> dict[str, tuple[str, ...]]:
    """The editable choice lists kept in a file (name -> default values), from the field specs."""
    return {
        spec.choice_list: spec.choices
        for entity in fields.ENTITIES.values()
        for spec in entity.fields
        if spec.choice_list
    }


def read_side(session: Session, progress=None) -> Side:
    """Every record of every entity table, plus the file's office id, name and merge marks."""
    side = Side(
        office_id=settings_service.get(session, settings_service.OFFICE_ID),
        office_name=settings_service.get(session, settings_service.BUREAU_NAME),
    )
    for name, default in editable_lists().items():
        side.choice_lists[name] = settings_service.get_choice_list(session, name, default)
    for mark in session.scalars(select(MergeMark)):
        side.marks[mark.office_id] = Mark(mark.their_latest, mark.merged_at)
    unit_uids: dict[int, str] = {}
    for done, table in enumerate(ORDER, 1):
        rows = _read_table(session, table, unit_uids, side.lost_units)
        side.rows[table] = rows
        if table == UNITS:
            unit_uids = {row["id"]: uid for uid, row in rows.items()}
        side.latest = _later(
            side.latest, max((r["updated_at"] for r in rows.values() if r["updated_at"]), default=None)
        )
        if progress is not None:
            progress(done, len(ORDER))
    return side


def _read_table(session: Session, table: str, unit_uids: dict[int, str], lost: set) -> dict[str, dict]:
    model_table = ENTITY_MODELS[table].__table__
    has_unit = bool(fields.ENTITIES[table].unit_fields)
    rows: dict[str, dict] = {}
    result = session.execute(select(model_table))
    keys = list(result.keys())
    for row in result:
        values = dict(zip(keys, row, strict=True))
        if not values["uid"]:  # a row without identity cannot be matched or carried
            continue
        if has_unit and values["unit_id"] is not None:
            values["unit_id"] = unit_uids.get(values["unit_id"])
            if values["unit_id"] is None:
                lost.add((table, values["uid"]))
        rows[values["uid"]] = values
    return rows


def _later(a: dt.datetime | None, b: dt.datetime | None) -> dt.datetime | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)
