"""Saving a record: one path to parse, derive and check its values (RecordCheck), then write and log it."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from db.models import ChangeLog, new_uid, utc_now
from db.store import writes_history
from kejiju_desktop import fields, messages, validation
from kejiju_desktop.services import settings as settings_service
from kejiju_desktop.services.entity_models import model_of
from kejiju_desktop.services.records import changes as change_values
from kejiju_desktop.services.records.query import find_unit, record_values
from kejiju_desktop.sorting import sort_key_for


class ValidationFailed(Exception):
    """A save refused: the errors, or warnings the clerk has not confirmed."""

    def __init__(self, problems: list[validation.Problem]):
        super().__init__("；".join(p.message for p in problems))
        self.problems = problems

    @property
    def only_warnings(self) -> bool:
        return all(not p.is_error for p in self.problems)


def local_time(stamp) -> str:
    """A stored UTC time as the clerk's local time ("" when unknown)."""
    if stamp is None:
        return ""
    return stamp.replace(tzinfo=dt.UTC).astimezone().strftime(messages.TIME_FORMAT)


class RecordChangedError(Exception):
    """Another clerk (or program) saved the record after this one read it: nothing was written.

    `version`, `updated_by`, `updated_at` and `values` are the stored version now (None when the
    write found out at its UPDATE and could not read it again: ask `changed_since`). `str()` is
    the sentence to show.
    """

    def __init__(self, entity: fields.EntitySpec, record_id: int, record=None):
        self.entity, self.record_id = entity, record_id
        self.version = record.version if record is not None else None
        self.updated_by = (record.updated_by if record is not None else "") or messages.ANOTHER_OPERATOR
        self.updated_at = record.updated_at if record is not None else None
        self.values = record_values(record) if record is not None else None
        sentence = messages.RECORD_CHANGED.format(operator=self.updated_by, time=local_time(self.updated_at))
        super().__init__(sentence if record is not None else messages.RECORD_CHANGED_UNREAD)


class RecordDeletedError(ValidationFailed):
    """The record was moved to the recycle bin (or purged) by another clerk after it was read."""

    def __init__(self, record):
        self.updated_by = record.updated_by or messages.ANOTHER_OPERATOR
        self.updated_at = record.updated_at
        sentence = messages.RECORD_DELETED_BY.format(
            operator=self.updated_by, time=local_time(self.updated_at)
        )
        super().__init__([validation.Problem("", validation.ERROR, sentence)])


def changed_since(session: Session, entity: fields.EntitySpec, record_id: int) -> RecordChangedError:
    """The conflict with the record as stored now; raises RecordDeletedError when it is gone."""
    return RecordChangedError(entity, record_id, stored_record(session, entity, record_id))


def flush_checked(session: Session, entity: fields.EntitySpec, record) -> None:
    """Flush a record's changes; its UPDATE found another version (StaleDataError): RecordChangedError."""
    record_id = record.id  # unreadable once the failed flush has ended the transaction
    try:
        session.flush()
    except StaleDataError as exc:  # the session's transaction is lost: the caller's block rolls back
        raise RecordChangedError(entity, record_id) from exc


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
        entity: fields.EntitySpec,
        *,
        unit_named: fields.UnitNamed = None,
        key_holder: KeyHolder | None = None,
    ):
        self.session, self.entity = session, entity
        self.unit_named = unit_named or functools.partial(_unit_id_named, session)
        self.key_holder = key_holder or functools.partial(_live_holder, session, entity)

    @functools.cached_property
    def choices(self) -> dict[str, tuple[str, ...] | None]:
        # Read once per check: editable lists (计划类别) come from the file.
        return {spec.key: choice_values(self.session, spec) for spec in self.entity.fields}

    def allow_choice(self, key: str, value: str) -> None:
        """Accept one more value of an editable list for the rest of this check (an import adding one)."""
        self.choices[key] = (*self.choices[key], value)

    def parse(
        self, raw: Mapping[str, Any], *, units_named: bool = False
    ) -> tuple[dict[str, Any], list[validation.Problem]]:
        """Typed values from raw input (form text or cells) and the problems found per field.

        `units_named`: unit fields hold names (a sheet's cells), only checked here; the caller looks
        them up (they are ids from a form).
        """
        values: dict[str, Any] = {}
        problems: list[validation.Problem] = []
        for spec in self.entity.fields:
            if spec.key not in raw:
                continue
            try:
                if units_named and spec.kind == fields.UNIT:
                    validation.check_storable(raw[spec.key], spec.label)
                else:
                    values[spec.key] = spec.parse(raw[spec.key], self.choices[spec.key])
            except validation.Invalid as exc:
                problems.append(validation.Problem(spec.key, exc.severity, exc.message))
                if exc.severity == validation.WARNING:
                    values[spec.key] = validation.normalize_text(raw[spec.key]).upper()
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
    ) -> list[validation.Problem]:
        """Required fields, cross-field rules and (unless told not to) live-unique keys.

        `refused`: fields that already have a problem (a date that could not be read), not reported
        empty or out of order as well.
        """
        problems = []
        for spec in self.entity.fields:
            if spec.required and values.get(spec.key) in (None, ""):
                problems.append(
                    validation.Problem(
                        spec.key, validation.ERROR, validation.MSG_REQUIRED.format(label=spec.label)
                    )
                )
        for rule in self.entity.rules:
            problems.extend(rule(self.entity, values))
        if refused:
            problems = [p for p in problems if p.field not in refused]
        if unique:
            problems.extend(self.unique_problems(values, record_id))
        return problems

    def unique_problems(
        self, values: Mapping[str, Any], record_id: int | None = None
    ) -> list[validation.Problem]:
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


def _duplicate_problem(
    entity: fields.EntitySpec, key: tuple[str, ...], found: tuple, other: str
) -> validation.Problem:
    if len(key) == 1:
        label = entity.field(key[0]).label
        return validation.Problem(
            key[0],
            validation.ERROR,
            messages.DUPLICATE_VALUE.format(label=label, value=found[0], other=other),
        )
    labels = "、".join(entity.field(k).label for k in key)
    shown = "、".join(str(x) for x in found)
    return validation.Problem(
        key[-1], validation.ERROR, messages.DUPLICATE_KEY.format(labels=labels, value=shown)
    )


def _live_holder(session: Session, entity: fields.EntitySpec, key, found: tuple, record_id) -> str | None:
    model = model_of(entity)
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
    session: Session, entity: fields.EntitySpec, raw: Mapping[str, Any]
) -> tuple[dict[str, Any], list[validation.Problem]]:
    """Typed values from raw input (form text or cells) and the problems found per field."""
    return RecordCheck(session, entity).parse(raw)


def choice_values(session: Session, spec: fields.FieldSpec) -> tuple[str, ...] | None:
    """The allowed values of a choice field, from the file for editable lists."""
    if spec.choice_list is None:
        return None
    return tuple(settings_service.get_choice_list(session, spec.choice_list, spec.choices))


def check_values(
    session: Session,
    entity: fields.EntitySpec,
    values: Mapping[str, Any],
    record_id: int | None = None,
    *,
    unique: bool = True,
) -> list[validation.Problem]:
    """Required fields, cross-field rules and (unless told not to) live-unique keys."""
    return RecordCheck(session, entity).check(values, record_id, unique=unique)


# --- writing -----------------------------------------------------------------------------------


def save_record(
    session: Session,
    entity: fields.EntitySpec,
    raw: Mapping[str, Any],
    *,
    record_id: int | None = None,
    operator: str | None = None,
    confirm_warnings: bool = False,
    parsed: bool = False,
    seen_version: int | None = None,
    uid: str | None = None,
):
    """Validate and write one record; raises ValidationFailed. Returns the model object.

    `parsed`: the values are typed already. `seen_version`: the version the clerk's values were
    edited from; another one stored raises RecordChangedError, the record in the recycle bin
    RecordDeletedError. `uid`: a new record's identity, made when its form started; a record already
    stored under it (the same save tried again after a lost connection) is updated as seen in the
    version that first save wrote, never inserted twice.
    """
    options = _SaveOptions(record_id, operator, confirm_warnings, parsed, seen_version=seen_version, uid=uid)
    return _save(session, entity, raw, options, None)


@dataclass(slots=True)
class _SaveOptions:
    record_id: int | None = None
    operator: str | None = None
    confirm_warnings: bool = False
    parsed: bool = False
    checked: list[validation.Problem] | None = None  # the caller's RecordCheck derived and checked the values
    seen_version: int | None = None
    uid: str | None = None


FIRST_VERSION = 1  # what an insert writes (db.models.Entity.version)


def _save(session: Session, entity: fields.EntitySpec, raw: Mapping[str, Any], options: _SaveOptions, bulk):
    if options.record_id is None and options.uid is not None:
        _adopt_earlier_attempt(session, entity, options)
    record, values, problems = _validated(session, entity, raw, options)
    warned = {p.field for p in problems if not p.is_error}
    operator = options.operator if options.operator is not None else settings_service.operator(session)
    if record is not None:
        return _update(session, entity, record, values, warned, operator, bulk)
    row = _new_row(session, entity, values, warned, operator, bulk, options.uid)
    if bulk is not None and options.checked is not None:
        return bulk.queue(entity, row)
    record = model_of(entity)(**row)
    session.add(record)
    session.flush()
    return _as_stamped(session, record, bulk)


def _validated(session: Session, entity: fields.EntitySpec, raw: Mapping[str, Any], options: _SaveOptions):
    """The stored record (None for a new one), the values to write and their acceptable problems."""
    needed = not options.parsed or options.checked is None
    check = RecordCheck(session, entity) if needed else None
    values, problems = (dict(raw), []) if options.parsed else check.parse(raw)
    record = _stored(session, entity, options.record_id, options.seen_version)
    values = _completed(entity, record, values)
    if options.checked is None:
        check.derive(values)
        problems += check.check(values, options.record_id, refused={p.field for p in problems})
    else:
        problems += options.checked
    confirmed = set(filter(None, (record.confirmed_warnings if record else "").split(",")))
    _raise_unless_acceptable(problems, options.confirm_warnings, confirmed)
    return record, values, problems


def id_of_uid(session: Session, entity: fields.EntitySpec, uid: str) -> int | None:
    """The id of the record stored under a uid (an earlier attempt of a new record's save), or None."""
    model = model_of(entity)
    return session.scalar(select(model.id).where(model.uid == uid))


def _adopt_earlier_attempt(session: Session, entity: fields.EntitySpec, options: _SaveOptions) -> None:
    found = id_of_uid(session, entity, options.uid)
    if found is not None:  # unless the clerk saw a later version of it (仍然保存 after a conflict)
        options.record_id, options.seen_version = found, options.seen_version or FIRST_VERSION


def _stored(session: Session, entity: fields.EntitySpec, record_id: int | None, seen_version=None):
    return None if record_id is None else stored_record(session, entity, record_id, seen_version)


def stored_record(session: Session, entity: fields.EntitySpec, record_id: int, seen_version=None):
    """The live record; raises RecordDeletedError when it is in the recycle bin (or purged),
    ValidationFailed when there is no such record, RecordChangedError when it is stored in another
    version than `seen_version` (unless None)."""
    record = session.get(model_of(entity), record_id)
    if record is None:
        raise ValidationFailed([validation.Problem("", validation.ERROR, messages.RECORD_NOT_FOUND)])
    if record.deleted_at is not None:
        raise RecordDeletedError(record)
    if seen_version is not None and record.version != seen_version:
        raise RecordChangedError(entity, record_id, record)
    return record


def _completed(entity: fields.EntitySpec, record, values: dict[str, Any]) -> dict[str, Any]:
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


def _columns(entity: fields.EntitySpec, values, warned: set[str], operator: str, now) -> dict[str, Any]:
    row = {spec.key: values.get(spec.key) for spec in entity.fields}
    for spec in entity.fields:
        if spec.sort_key:
            row[spec.sort_key] = sort_key_for(values.get(spec.key))
    row.update(confirmed_warnings=",".join(sorted(warned)), updated_at=now, updated_by=operator)
    return row


def _new_row(session, entity, values, warned: set[str], operator: str, bulk, uid=None) -> dict[str, Any]:
    now = utc_now()
    row = _columns(entity, values, warned, operator, now) | {"uid": uid or new_uid(), "created_at": now}
    changed = sorted(k for k, val in values.items() if val not in (None, ""))
    if bulk is not None:  # an import: the record holds these values, the 历史记录 reads them from it
        kept = change_values.AS_STORED_CHANGES
    else:
        kept = change_values.created_of(entity, values, _unit_texts(session, bulk))
    log_change(session, entity.table, row["uid"], "create", operator, changed, changes=kept, bulk=bulk)
    return row


def _update(session, entity, record, values, warned: set[str], operator: str, bulk):
    now = utc_now()
    changed = sorted(k for k, val in values.items() if getattr(record, k) != val)
    kept = change_values.changes_of(entity, record_values(record), values, _unit_texts(session, bulk))
    columns = _columns(entity, values, warned, operator, now)
    if not changed and record.confirmed_warnings == columns["confirmed_warnings"]:
        return record  # nothing to write: a new version would make every other open form stale
    for key, value in columns.items():
        setattr(record, key, value)
    flush_checked(session, entity, record)
    log_change(session, entity.table, record.uid, "update", operator, changed, changes=kept, bulk=bulk)
    return _as_stamped(session, record, bulk)


STAMPED = ("updated_by", "updated_at")  # what a server's trigger stamps itself (db/server_triggers.py)


def _as_stamped(session: Session, record, bulk):
    """The record with the author and time the store kept: a server's trigger writes the login and its
    own clock over what this PC sent, and what is shown from the saved record must say so (on a file
    the same values come back). An import's rows (`bulk`) are not read back: nothing shows them."""
    if bulk is None:
        session.refresh(record, STAMPED)
    return record


def _unit_texts(session, bulk) -> change_values.UnitTexts:
    return bulk.unit_texts if bulk is not None else change_values.UnitTexts(session)


def log_change(
    session, table: str, uid: str, action: str, operator: str, changed=(), *, changes=None, bulk=None
) -> None:
    """Append one line to change_log (collected by `bulk`, a BulkSave, and written at its end).

    `changes`: {field key: [old text, new text]} (records.changes), kept for the record's 历史记录.
    Nothing on a store that writes each line itself from the row written (a server: no clerk may).
    """
    if writes_history(session):
        return
    line = {
        "table_name": table,
        "uid": uid,
        "action": action,
        "at": utc_now(),
        "operator": operator,
        "fields": change_values.encode_names(changed),
        "changes": change_values.encode(changes),
    }
    if bulk is not None:
        bulk.lines.append(line)
    else:
        session.add(ChangeLog(**line))
