"""Per-import caches: unit references, duplicate and unique keys prepared once; editable lists opened."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kejiju_desktop import fields, messages, validation
from kejiju_desktop.services import records
from kejiju_desktop.services import settings as settings_service
from kejiju_desktop.services.entity_models import model_of


class UnitResolver:
    """Unit references by credit code, else exact name (records.find_unit), remembered per import."""

    def __init__(self, session: Session, saver: records.BulkSave):
        self.session, self.saver = session, saver
        self._ids: dict[tuple[str | None, str | None], int | None] = {}
        self.created = 0
        self.planned: set[str] = set()  # units a dry run would have added

    def plan(self, values: dict[str, Any]) -> None:
        """Note the units a row would add (the importer marks them as str subclasses, not ids)."""
        self.planned.update(x for x in values.values() if isinstance(x, NewUnit))

    def find(self, name: str | None, code: str | None) -> int | None:
        """The live unit's id, or None."""
        key = (name, code)
        if key not in self._ids:
            unit = records.find_unit(self.session, name=name, credit_code=code)
            self._ids[key] = unit.id if unit is not None else None
        return self._ids[key]

    def create(self, name: str, code: str | None, operator: str, accept_warnings: bool) -> int:
        """Add a unit named in the sheet; raises records.ValidationFailed."""
        raw = {"name": name, "credit_code": code}
        unit = self.saver.save(fields.ENTERPRISES, raw, operator=operator, confirm_warnings=accept_warnings)
        self._ids[(name, code)] = self._ids[(name, None)] = unit.id
        if code:
            self._ids[(None, code)] = unit.id
        self.created += 1
        return unit.id


class NewUnit(str):
    """A unit the sheet names and --create-units will add once its row proves good."""

    code: str | None = None


def new_unit(name: str, code: str | None) -> NewUnit:
    """A pending unit reference (its name, with the credit code the sheet gave)."""
    pending = NewUnit(name)
    pending.code = code
    return pending


class KeyIndex:
    """Live rows' duplicate keys (EntitySpec.duplicate_keys) and unique keys, plus rows of this sheet."""

    def __init__(self, session: Session, entity: fields.EntitySpec):
        self.entity = entity
        self.duplicate_keys = entity.duplicate_keys
        self.unique_keys = entity.unique_key_sets
        wanted = {k for key in self.duplicate_keys + self.unique_keys for k in key} | {entity.display_key}
        # key -> compact key values -> (record id, or the record this sheet wrote; its sheet row; display
        # text), one entry shared by a row's keys: 100,000 rows are held to the end of the import.
        self._index: dict[tuple[str, ...], dict[Any, tuple[Any, int | None, str]]] = {
            key: {} for key in self.duplicate_keys + self.unique_keys
        }
        # Values repeated across rows (a unit's name, a date) held once; the display text is row's own.
        self._shared: dict[Any, Any] = {}
        self._load(session, sorted(wanted))

    def _load(self, session: Session, keys: list[str]) -> None:
        model = model_of(self.entity)
        stmt = select(model.id, *(getattr(model, k) for k in keys)).where(model.deleted_at.is_(None))
        for row in session.execute(stmt):
            self.add(dict(zip(keys, row[1:], strict=True)), row[0], None)

    def add(self, values: dict[str, Any], record_id: Any, sheet_row: int | None) -> None:
        """Remember a record's keys: its id, or the record itself when this sheet wrote it (sheet_row set)."""
        entry = (record_id, sheet_row, values.get(self.entity.display_key) or "")
        for key, index in self._index.items():
            found = records.key_value(values, key)
            if found is not None:
                index.setdefault(self._stored(key, found), entry)

    def _stored(self, key: tuple[str, ...], found: tuple) -> Any:
        # A one-field key is held as its value, not a 1-tuple; of a combined key the fields other than
        # the display text are held once for all rows (the same dict lookups: equal values, equal keys).
        if len(found) == 1:
            return found[0]
        shared = self._shared
        display = self.entity.display_key
        return tuple(x if k == display else shared.setdefault(x, x) for k, x in zip(key, found, strict=True))

    @staticmethod
    def _compact(found: tuple) -> Any:
        return found[0] if len(found) == 1 else found

    def duplicate_of(self, values: dict[str, Any]) -> tuple[tuple[str, ...], int, int | None] | None:
        """(key, record id, sheet row or None) of the record this row repeats; the first full key decides."""
        for key in self.duplicate_keys:
            found = records.key_value(values, key)
            if found is not None:
                hit = self._index[key].get(self._compact(found))
                return (key, hit[0], hit[1]) if hit else None
        return None

    def holder(self, key: tuple[str, ...], found: tuple, record_id: int | None) -> str | None:
        """The display text of another live record or earlier row holding a unique key (records.KeyHolder)."""
        hit = self._index[key].get(self._compact(found))
        return hit[2] if hit and hit[0] != record_id else None


MAX_NEW_CHOICES = 20  # more new values in one import than this is a shifted column, not new categories
MAX_CHOICE_LENGTH = 100


class ShiftedColumn(Exception):
    """An editable list's column holds what no list would: the import is refused with this sentence."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class OpenLists:
    """Editable choice lists (a spec's `choice_list`, e.g. 计划类别) open on import, as on merge: a value
    not yet in the list joins it, in the import's transaction, when a row using it is kept."""

    def __init__(self, session: Session, entity: fields.EntitySpec, check: records.RecordCheck):
        self.session, self.check = session, check
        self.specs = [spec for spec in entity.fields if spec.choice_list]
        self.new: dict[str, list[str]] = {spec.key: [] for spec in self.specs}  # in order of first use
        self.used: dict[str, set[str]] = {spec.key: set() for spec in self.specs}

    def admit(self, raw: dict[str, Any], *, write: bool) -> list[validation.Problem]:
        """Let the check accept this row's new values (kept in the file at once when `write`, so a save
        that re-reads the list sees them); a value no list may hold is the row's problem, taken out of
        `raw`. Raises ShiftedColumn."""
        problems = []
        for spec in self.specs:
            text = fields.FieldSpec.choice_text(raw.get(spec.key))
            if not text or spec.canonical_choice(text, self.check.choices[spec.key]) is not None:
                continue
            try:
                self._add(spec, text, write)
            except validation.Invalid as exc:
                problems.append(validation.Problem(spec.key, validation.ERROR, exc.message))
                raw.pop(spec.key)
        return problems

    def _add(self, spec: fields.FieldSpec, text: str, write: bool) -> None:
        if len(text) > MAX_CHOICE_LENGTH:
            shown = text[:20] + "……"
            raise ShiftedColumn(
                messages.NEW_CHOICE_TOO_LONG.format(
                    label=spec.label, value=shown, n=len(text), limit=MAX_CHOICE_LENGTH
                )
            )
        validation.check_control_chars(text, spec.label)
        new = self.new[spec.key]
        if len(new) == MAX_NEW_CHOICES:
            examples = "、".join(new[:3])
            raise ShiftedColumn(
                messages.TOO_MANY_NEW_CHOICES.format(
                    label=spec.label, limit=MAX_NEW_CHOICES, examples=examples
                )
            )
        new.append(text)
        self.check.allow_choice(spec.key, text)
        if write:
            self._store(spec, new)

    def use(self, values: dict[str, Any]) -> None:
        """Note the new values a kept row uses."""
        for spec in self.specs:
            if values.get(spec.key) in self.new[spec.key]:
                self.used[spec.key].add(values[spec.key])

    def kept(self) -> dict[str, list[str]]:
        """Label -> the new values kept rows use, in order of first use (lists with none left out)."""
        kept = {
            spec.label: [x for x in self.new[spec.key] if x in self.used[spec.key]] for spec in self.specs
        }
        return {label: values for label, values in kept.items() if values}

    def store_kept(self) -> None:
        """Leave in the file only the new values kept rows use (with --good-rows-only a bad row's go)."""
        for spec in self.specs:
            if self.new[spec.key]:
                self._store(spec, [x for x in self.new[spec.key] if x in self.used[spec.key]])

    def _store(self, spec: fields.FieldSpec, new: list[str]) -> None:
        dropped = [x for x in self.new[spec.key] if x not in new]
        settings_service.add_choices(self.session, spec.choice_list, spec.choices, new, dropped)
        self.session.flush()  # the import reads with autoflush off; a save re-reading the list must see it
