"""Merge: the other file's records pass the checks of a typed record before anything is planned."""

from __future__ import annotations

from sqlalchemy.orm import Session

from db.models import MergeMark
from kejiju_desktop import fields, messages, validation
from kejiju_desktop.services import records
from kejiju_desktop.services.entity_models import model_of
from kejiju_desktop.services.portability.merge_plan import compared_keys
from kejiju_desktop.services.portability.sides import Side

# Columns carried from their file besides the fields; they must fit our columns too.
AUDIT_COLUMNS = ("uid", "updated_by", "confirmed_warnings")


def screen_side(session: Session, theirs: Side, ours: Side) -> None:
    """Fill `theirs.refused` with why each of its records may not be merged; `session` is their file's.

    Texts are measured first and an overlong one is cut in memory (its record is refused anyway), so
    no later step (duplicate keys, pinyin, the preview) works on ten million characters. A record
    equal to ours is in our file already and a tombstone has no content: neither is checked further.
    Their office id and name are settings like any other: an id no uuid can be refuses the file
    (ValueError), the name is shown and kept printable and cut to the column that keeps it.
    """
    marks = MergeMark.__table__.c
    if len(theirs.office_id or "") > marks.office_id.type.length:
        raise ValueError("their office id is no id this program writes")
    name = "".join(ch for ch in theirs.office_name or "" if ch.isprintable())
    theirs.office_name = name[: marks.office_name.type.length]
    for table, rows in theirs.rows.items():
        entity = fields.ENTITIES[table]
        for uid, row in rows.items():
            if _is_tombstone(entity, row):
                continue
            reasons = _text_problems(entity, row)
            if not reasons and _same(entity, row, ours.rows[table].get(uid)):
                continue
            reasons += _typed_problems(session, entity, row)
            if reasons:
                theirs.refused[(table, uid)] = list(dict.fromkeys(reasons))
    _screen_lists(theirs)


def _is_tombstone(entity: fields.EntitySpec, row: dict) -> bool:
    return row["deleted_at"] is not None and all(row.get(spec.key) is None for spec in entity.fields)


def _same(entity: fields.EntitySpec, row: dict, our_row: dict | None) -> bool:
    return our_row is not None and all(row.get(k) == our_row.get(k) for k in compared_keys(entity))


def _text_problems(entity: fields.EntitySpec, row: dict) -> list[str]:
    """Type, length and control characters of every text, before any other work; overlong texts are cut."""
    reasons = []
    for spec in entity.fields:
        value = row.get(spec.key)
        if isinstance(value, bytes):  # a BLOB where text belongs: later steps get readable text instead
            reasons.append(messages.REASON_NOT_TEXT.format(label=spec.label))
            value = row[spec.key] = value.decode("utf-8", "replace")
        if isinstance(value, str):
            try:
                _check_text(spec, value)
            except validation.Invalid as exc:
                reasons.append(exc.message)
                row[spec.key] = value[: spec.max_length]
    columns = model_of(entity).__table__.c
    if any(len(row.get(k) or "") > columns[k].type.length for k in AUDIT_COLUMNS):
        reasons.append(messages.REASON_BAD_AUDIT)
    return reasons


def _check_text(spec: fields.FieldSpec, value: str) -> None:
    validation.check_length(value, spec.label, spec.max_length)
    validation.check_control_chars(value, spec.label, multiline=spec.kind == fields.MEMO)


def _typed_problems(session: Session, entity: fields.EntitySpec, row: dict) -> list[str]:
    """What saving the record in the form would say; a warning confirmed in their file stays confirmed."""
    raw = {spec.key: row.get(spec.key) for spec in entity.fields}
    values, problems = records.parse_values(session, entity, raw)
    # A field refused above keeps its own value here, so it is not reported "empty" as well.
    problems += records.check_values(session, entity, {**raw, **values}, unique=False)
    confirmed = set(filter(None, (row.get("confirmed_warnings") or "").split(",")))
    return [p.message for p in problems if p.is_error or p.field not in confirmed]


def _screen_lists(theirs: Side) -> None:
    """Values of their editable lists (计划类别) join ours only when they would pass as typed."""
    specs = {s.choice_list: s for e in fields.ENTITIES.values() for s in e.fields if s.choice_list}
    for name, values in theirs.choice_lists.items():
        theirs.choice_lists[name] = [x for x in values if name in specs and _fits(specs[name], x)]


def _fits(spec: fields.FieldSpec, value: object) -> bool:
    try:
        _check_text(spec, value if isinstance(value, str) else "")
    except validation.Invalid:
        return False
    return isinstance(value, str) and value != ""
