"""Moving a bureau's data file into an empty server: every table copied, or nothing when a value is too long."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from db.models import ENTITY_MODELS
from db.server_transfer import NotEmptyError, TooLong, TooLongError, holds_data, move_into, too_long
from db.store import Store
from kejiju_desktop import fields, messages
from kejiju_desktop.services.portability import merge as merge_service


class MoveRefused(Exception):
    """Nothing was moved; `str()` is the sentence, `lines` what stands in the way (one line per value)."""

    def __init__(self, sentence: str, lines: list[str] | None = None):
        super().__init__(sentence)
        self.lines = lines or []


def is_empty(store: Store) -> bool:
    """True when the store holds no record, draft, change-log line or merge mark (only its settings)."""
    with store.sessions() as session:
        return not holds_data(session.connection())


def file_counts(path: Path | str) -> dict[str, int]:
    """Records per kind in the file to be moved (all of them, the recycle bin's too), for the preview."""
    incoming = merge_service.open_incoming(None, path)
    try:
        with incoming.data.sessions() as session:
            return {
                table: session.scalar(select(func.count()).select_from(model))
                for table, model in ENTITY_MODELS.items()
            }
    finally:
        incoming.close()


def too_long_lines(path: Path | str) -> list[str]:
    """Each value of the file at `path` longer than a server's column allows, one line each."""
    incoming = merge_service.open_incoming(None, path)
    try:
        with incoming.data.engine.connect() as source:
            return [too_long_line(found) for found in too_long(source)]
    finally:
        incoming.close()


def move_file(store: Store, path: Path | str) -> None:
    """Copy the whole file at `path` into the empty `store` in one transaction; raises MoveRefused (with
    every value the server's columns are too short for) or merge_service.MergeRefused, nothing written."""
    incoming = merge_service.open_incoming(None, path)
    try:
        with incoming.data.engine.connect() as source:
            move_into(store, source)
    except TooLongError as exc:
        raise MoveRefused(exc.message, [too_long_line(found) for found in exc.too_long]) from exc
    except NotEmptyError as exc:
        raise MoveRefused(exc.message) from exc
    finally:
        incoming.close()


def too_long_line(found: TooLong) -> str:
    """One value too long, as the clerk finds it: the kind of record, its uid, the field's label."""
    entity = fields.ENTITIES.get(found.table)
    kind = entity.label if entity else found.table
    label = entity.field(found.column).label if entity and entity.has_field(found.column) else found.column
    return messages.MOVE_TOO_LONG_LINE.format(
        kind=kind, uid=found.uid, label=label, length=found.length, limit=found.limit
    )
