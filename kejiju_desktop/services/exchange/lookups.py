"""Per-import caches: unit references, duplicate and unique keys prepared once."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kejiju_desktop import fields
from kejiju_desktop.services import records
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
        # key -> key values -> (record id, or the record this sheet wrote; its sheet row; display text)
        self._index: dict[tuple[str, ...], dict[tuple, tuple[Any, int | None, str]]] = {
            key: {} for key in self.duplicate_keys + self.unique_keys
        }
        self._load(session, sorted(wanted))

    def _load(self, session: Session, keys: list[str]) -> None:
        model = model_of(self.entity)
        stmt = select(model.id, *(getattr(model, k) for k in keys)).where(model.deleted_at.is_(None))
        for row in session.execute(stmt):
            self.add(dict(zip(keys, row[1:], strict=True)), row[0], None)

    def add(self, values: dict[str, Any], record_id: Any, sheet_row: int | None) -> None:
        """Remember a record's keys: its id, or the record itself when this sheet wrote it (sheet_row set)."""
        shown = values.get(self.entity.display_key) or ""
        for key, index in self._index.items():
            found = records.key_value(values, key)
            if found is not None:
                index.setdefault(found, (record_id, sheet_row, shown))

    def duplicate_of(self, values: dict[str, Any]) -> tuple[tuple[str, ...], int, int | None] | None:
        """(key, record id, sheet row or None) of the record this row repeats; the first full key decides."""
        for key in self.duplicate_keys:
            found = records.key_value(values, key)
            if found is not None:
                hit = self._index[key].get(found)
                return (key, hit[0], hit[1]) if hit else None
        return None

    def holder(self, key: tuple[str, ...], found: tuple, record_id: int | None) -> str | None:
        """The display text of another live record or earlier row holding a unique key (records.KeyHolder)."""
        hit = self._index[key].get(found)
        return hit[2] if hit and hit[0] != record_id else None
