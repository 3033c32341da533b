"""Bulk saving (an import): checked new rows and change-log lines inserted in batches of multi-row statements."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from db import search as search_index
from db.models import ChangeLog
from db.store import history_notes
from kejiju_desktop import fields
from kejiju_desktop.services.entity_models import model_of
from kejiju_desktop.services.records.changes import UnitTexts
from kejiju_desktop.services.records.save import _save, _SaveOptions

# Rows kept before they are inserted: 100,000 patents held to the end took ~250 MB more memory.
BATCH_ROWS = 2_000


@dataclass(frozen=True, slots=True)  # one per new row, held by the import's key index
class PendingRecord:
    """A record created through `BulkSave`: inserted with the others at its end (see `BulkSave.id_of`)."""

    model: type
    uid: str


class BulkSave:
    """Many writes in one go (an import), held by the caller: new rows the caller checked and every
    change-log line are inserted in multi-row statements of BATCH_ROWS rows and at the end of its `with`
    block, instead of one ORM flush per record. Leaving the block by an exception inserts nothing more
    (what was inserted goes with the caller's transaction)."""

    def __init__(self, session: Session):
        self.session = session
        self.lines: list[dict[str, Any]] = []
        self.rows: dict[type, list[dict[str, Any]]] = {}
        self.unit_texts = UnitTexts(session)  # the units' names the change-log lines show

    def __enter__(self) -> BulkSave:
        return self

    def __exit__(self, exc_type, _exc, _traceback) -> None:
        if exc_type is None:
            self.insert_pending()

    def save(self, entity: fields.EntitySpec, raw: Mapping[str, Any], *, checked=None, **options):
        """save_record inside the bulk. `checked`: the problems the caller's RecordCheck found on these
        derived values; a new record is then written without further queries and inserted at the end
        (a PendingRecord is returned: see `id_of`)."""
        return _save(self.session, entity, raw, _SaveOptions(checked=checked, **options), self)

    def queue(self, entity: fields.EntitySpec, row: dict[str, Any]) -> PendingRecord:
        """Keep a new row for the next multi-row insert."""
        pending = self.rows.setdefault(model_of(entity), [])
        pending.append(row)
        if len(pending) >= BATCH_ROWS:
            self.insert_pending()
        return PendingRecord(model_of(entity), row["uid"])

    def insert_pending(self) -> None:
        """Insert the rows and change-log lines kept so far."""
        for model, rows in self.rows.items():
            if rows:
                with (
                    search_index.bulk_insert(self.session.connection(), model.__tablename__),
                    history_notes(self.session, as_stored=True),  # a server's create lines, as here
                ):
                    # Core's executemany: one statement for every row. The ORM's bulk insert splits the
                    # rows wherever the set of empty columns changes (10,000 patents: ~5,000 statements).
                    self.session.execute(insert(model.__table__), rows)
                rows.clear()
        if self.lines:
            self.session.execute(insert(ChangeLog.__table__), self.lines)
            self.lines.clear()

    def id_of(self, record) -> int:
        """A record's id; a pending one is inserted first (with what else is pending)."""
        if isinstance(record, PendingRecord):
            self.insert_pending()
            return self.session.scalar(select(record.model.id).where(record.model.uid == record.uid))
        return record.id
