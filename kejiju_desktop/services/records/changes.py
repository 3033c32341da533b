"""What a change-log line keeps of a change: each field's old and new value as the form shows it."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db.models import LINE_AS_STORED, LINE_DELETED_AT, LINE_PURGED, LINE_THEIR_OPERATOR, ChangeLog
from db.store import writes_history
from kejiju_desktop import fields
from kejiju_desktop.services.entity_models import model_of

# Keys of `change_log.changes` beside the field keys (db/models.py: a server's triggers write them too).
THEIR_OPERATOR = LINE_THEIR_OPERATOR  # a merge line: who made the change in the other office
PURGED = LINE_PURGED  # 永久删除 blanked this line's values
PURGED_TEXT = json.dumps({PURGED: True})
# An imported record's create line: its values are those the record was written with, read back by the
# 历史记录 from the record and the later lines' old values (10,000 rows: 0.1 s of JSON not written).
AS_STORED = LINE_AS_STORED
AS_STORED_CHANGES = {AS_STORED: True}
AS_STORED_TEXT = json.dumps(AS_STORED_CHANGES)
DELETED_AT = (
    LINE_DELETED_AT  # the recycle-bin state, kept like a field (未删除 → 已删除) by the bin and merges
)


def field_text(spec: fields.FieldSpec, value, unit_names: Mapping) -> str:
    """A stored value as the form shows it: dates as 2012-03-05, 万元 with 2 decimals, a unit by its name."""
    if value is None:
        return ""
    if spec.kind == fields.UNIT:
        return unit_names.get(value) or ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if spec.kind == fields.MONEY:
        return f"{Decimal(value):.2f}"
    return str(value)


class UnitTexts:
    """Unit id -> its name, asked of the file once per unit (an import names the same units again)."""

    def __init__(self, session: Session):
        self.session = session
        self.names: dict[int, str] = {}

    def get(self, unit_id: int) -> str:
        if unit_id not in self.names:
            unit = self.session.get(model_of(fields.UNITS), unit_id)
            self.names[unit_id] = (getattr(unit, fields.UNITS.display_key) or "") if unit is not None else ""
        return self.names[unit_id]


def changes_of(
    entity: fields.EntitySpec, before: Mapping[str, Any], after: Mapping[str, Any], unit_names: Mapping
) -> dict[str, list[str]]:
    """{field key: [old text, new text]} of each field whose shown value differs (a new record: before {})."""
    found = {}
    for spec in entity.fields:
        old, new = before.get(spec.key), after.get(spec.key)
        if old == new:
            continue
        old_text, new_text = field_text(spec, old, unit_names), field_text(spec, new, unit_names)
        if old_text != new_text:
            found[spec.key] = [old_text, new_text]
    return found


def created_of(
    entity: fields.EntitySpec, after: Mapping[str, Any], unit_names: Mapping
) -> dict[str, list[str]]:
    """`changes_of` for a new record, each filled field against "": one text per field, not two (an
    import of 100,000 rows spent about 1 s comparing with an empty record)."""
    found = {}
    for spec in entity.fields:
        value = after.get(spec.key)
        if value is None:
            continue
        text = field_text(spec, value, unit_names)
        if text:
            found[spec.key] = ["", text]
    return found


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # made once, not per line


def encode(changes: Mapping[str, Any] | None) -> str:
    """The text stored in `change_log.changes` ("" when there is nothing to keep)."""
    if changes is AS_STORED_CHANGES:
        return AS_STORED_TEXT
    return _ENCODER.encode(changes) if changes else ""


def encode_names(keys) -> str:
    """The field names of a line (`change_log.fields`), as every line has kept them: a JSON list."""
    return _NAMES_ENCODER.encode(list(keys))


_NAMES_ENCODER = json.JSONEncoder(ensure_ascii=False)  # json.dumps's own separators, as before


def decode(text: str | None) -> dict[str, Any]:
    """`change_log.changes` read back ({} for an older line, which kept only the field names)."""
    if not text:
        return {}
    try:
        found = json.loads(text)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def blank_history(session: Session, table: str, uid: str) -> None:
    """永久删除: every line of the record keeps that it happened and which fields, no longer their values.

    A unit's name leaves the lines of the records that pointed at it too (as the form shows a reference to
    a purged unit: empty). Call it before the record's content is written away: the name is read here.
    A store writing its lines itself (a server) blanks them itself, as the record is emptied.
    """
    if writes_history(session):
        return
    if table == fields.UNITS.table:
        _blank_unit_name(session, uid)
    session.execute(
        update(ChangeLog)
        .where(ChangeLog.table_name == table, ChangeLog.uid == uid)
        .values(changes=PURGED_TEXT)
    )


def _blank_unit_name(session: Session, uid: str) -> None:
    """The purged unit's name, as an old or new value of a unit reference, becomes "" in every line.

    A name another unit still holds stays: the lines cannot tell which of the two they meant, and the name
    is no purged content while that unit has it.
    """
    model = model_of(fields.UNITS)
    name_column = getattr(model, fields.UNITS.display_key)
    name = session.scalar(select(name_column).where(model.uid == uid))
    if not name or session.scalar(select(model.id).where(name_column == name, model.uid != uid).limit(1)):
        return
    keys = {entity.table: [spec.key for spec in entity.unit_fields] for entity in fields.ENTITIES.values()}
    keys = {table: found for table, found in keys.items() if found}
    quoted = _ENCODER.encode(name)  # in its quotes, as a line holds it: no longer name holding it matches
    rows = session.execute(
        select(ChangeLog.id, ChangeLog.table_name, ChangeLog.changes).where(
            ChangeLog.table_name.in_(keys), ChangeLog.changes.contains(quoted, autoescape=True)
        )
    )  # one pass over the lines: 58,500 of them, a unit of 46 patents: 0.06–0.22 s per purge (measured)
    for line_id, table, text in rows.all():
        _blank_name_in_line(session, line_id, decode(text), keys[table], name)


def _blank_name_in_line(session: Session, line_id: int, kept: dict, keys: list[str], name: str) -> None:
    blanked = {
        key: ["" if value == name else value for value in kept[key]]
        for key in keys
        if isinstance(kept.get(key), list) and name in kept[key]
    }
    if blanked:  # the name may stand in another field, a 备注 say, which is that record's own text
        session.execute(
            update(ChangeLog).where(ChangeLog.id == line_id).values(changes=encode(kept | blanked))
        )
