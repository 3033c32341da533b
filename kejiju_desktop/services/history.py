"""A record's 历史记录: its change-log lines newest first with each field's old → new; 恢复此值."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import ChangeLog
from kejiju_desktop import fields, messages, validation
from kejiju_desktop.services import records
from kejiju_desktop.services.entity_models import model_of
from kejiju_desktop.services.records import changes as change_values


@dataclass(frozen=True)
class FieldChange:
    """One field of a change: its label and the old and new value as the form shows them.

    `old` and `new` are None when the line kept only the field's name (written before the change log kept
    values, or blanked by 永久删除).
    """

    key: str
    label: str
    old: str | None = None
    new: str | None = None

    @property
    def has_values(self) -> bool:
        return self.old is not None


@dataclass(frozen=True)
class HistoryLine:
    """One change-log line of a record: when, who, what, and each field changed."""

    at: dt.datetime
    operator: str
    action: str
    fields: tuple[FieldChange, ...]
    their_operator: str = ""  # a merge line: who made the change in the other office's file
    purged: bool = False  # 永久删除 blanked the values this line kept
    as_stored: bool = False  # an import's create line, its values still to be read from the record

    @property
    def action_label(self) -> str:
        return messages.HISTORY_ACTIONS.get(self.action, self.action)

    @property
    def creates(self) -> bool:
        """Whether this line made the record (its old values are no earlier values to go back to)."""
        return self.action in ("create", "merge-new")


def list_history(session: Session, entity: fields.EntitySpec, record_id: int) -> list[HistoryLine]:
    """The record's change-log lines, newest first ([] for a record that is not there)."""
    model = model_of(entity)
    uid = session.scalar(select(model.uid).where(model.id == record_id))
    if uid is None:
        return []
    rows = session.execute(
        select(ChangeLog.at, ChangeLog.operator, ChangeLog.action, ChangeLog.fields, ChangeLog.changes)
        .where(ChangeLog.table_name == entity.table, ChangeLog.uid == uid)
        .order_by(ChangeLog.at.desc(), ChangeLog.id.desc())
    )
    lines = [_line(entity, *row) for row in rows]
    if any(line.as_stored for line in lines):
        record = session.get(model, record_id)
        stored = change_values.changes_of(
            entity, {}, records.record_values(record), change_values.UnitTexts(session)
        )
        lines = [_filled(line, lines[:index], stored) for index, line in enumerate(lines)]
    return lines


def _filled(line: HistoryLine, later: list[HistoryLine], stored: dict[str, list[str]]) -> HistoryLine:
    """An imported record's create line with its values: each field's old value in the earliest later line
    that changed it, else the value the record holds now."""
    if not line.as_stored:
        return line
    first_old = {}
    for newer in later:  # newest first: the last one seen is the earliest
        first_old |= {change.key: change.old for change in newer.fields if change.has_values}
    changed = []
    for change in line.fields:
        value = first_old.get(change.key, stored.get(change.key, ["", ""])[1])
        changed.append(FieldChange(change.key, change.label, "", value or ""))
    return dataclasses.replace(line, fields=tuple(changed), as_stored=False)


def _line(entity: fields.EntitySpec, at, operator, action, names: str, changes: str) -> HistoryLine:
    kept = change_values.decode(changes)
    their_operator = kept.pop(change_values.THEIR_OPERATOR, "")
    purged = bool(kept.pop(change_values.PURGED, False))
    as_stored = bool(kept.pop(change_values.AS_STORED, False))
    if kept:  # in the form's order, whichever order the line was written in (a server's: the table's)
        ordered = sorted(kept.items(), key=lambda pair: _position(entity, pair[0]))
        changed = tuple(FieldChange(key, _label(entity, key), *_pair(value)) for key, value in ordered)
    else:  # an older line, or one 永久删除 blanked: the field names are all there is
        keys = sorted(_names(names), key=lambda key: _position(entity, key))
        changed = tuple(FieldChange(key, _label(entity, key)) for key in keys)
    return HistoryLine(at, operator or "", action, changed, str(their_operator or ""), purged, as_stored)


def _position(entity: fields.EntitySpec, key: str) -> int:
    """Where a key of a line stands: a field's place in the form; the recycle-bin state and any key no
    longer a field after them, as written."""
    keys = [spec.key for spec in entity.fields]
    return keys.index(key) if key in keys else len(keys)


def _pair(value) -> tuple[str, str]:
    if isinstance(value, list) and len(value) == 2:
        return str(value[0] or ""), str(value[1] or "")
    return "", ""


def _names(text: str | None) -> list[str]:
    try:
        found = json.loads(text or "[]")
    except ValueError:
        return []
    return [str(key) for key in found] if isinstance(found, list) else []


def _label(entity: fields.EntitySpec, key: str) -> str:
    if key == change_values.DELETED_AT:
        return messages.FIELD_DELETED
    return entity.field(key).label if entity.has_field(key) else key


def restore_value(
    session: Session,
    entity: fields.EntitySpec,
    record_id: int,
    field_key: str,
    value: str,
    operator: str | None = None,
    *,
    confirm_warnings: bool = False,
):
    """恢复此值: put an earlier value (its text as the history shows it) back, as a new change.

    The value goes through the form's save path and checks; raises records.ValidationFailed with the
    sentence (an unknown unit, the value already there, a key another record now holds…), nothing written.
    """
    if not entity.has_field(field_key):
        _refuse(field_key, messages.HISTORY_FIELD_GONE.format(key=field_key))
    spec = entity.field(field_key)
    record = session.get(model_of(entity), record_id)
    if record is not None and record.deleted_at is None:
        current = change_values.field_text(spec, getattr(record, field_key), change_values.UnitTexts(session))
        if current == value:
            _refuse(field_key, messages.HISTORY_SAME_VALUE.format(label=spec.label, value=value))
    raw = {field_key: _unit_id(session, spec, value) if spec.kind == fields.UNIT else value}
    return records.save_record(
        session, entity, raw, record_id=record_id, operator=operator, confirm_warnings=confirm_warnings
    )


def _unit_id(session: Session, spec: fields.FieldSpec, name: str) -> int | None:
    if not name:
        return None
    unit = records.find_unit(session, name=name)
    if unit is None:
        _refuse(spec.key, messages.HISTORY_UNIT_GONE.format(label=spec.label, name=name))
    return unit.id


def _refuse(key: str, message: str) -> None:
    raise records.ValidationFailed([validation.Problem(key, validation.ERROR, message)])
