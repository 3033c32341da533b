"""The recycle bin: delete into it, list it, restore from it, purge to a tombstone."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import search as search_index
from db.models import utc_now
from kejiju_desktop import fields, messages, validation
from kejiju_desktop.services import settings as settings_service
from kejiju_desktop.services.entity_models import model_of
from kejiju_desktop.services.records.changes import DELETED_AT, blank_history
from kejiju_desktop.services.records.query import Query, record_values, where_clauses
from kejiju_desktop.services.records.save import (
    RecordCheck,
    ValidationFailed,
    flush_checked,
    log_change,
    stored_record,
)


def list_deleted(session: Session, entity: fields.EntitySpec, limit: int = 2000) -> list[tuple]:
    """The recycle bin of one table, newest first: (id, display text, deleted_at, updated_by)."""
    model = model_of(entity)
    stmt = (
        select(model.id, getattr(model, entity.display_key), model.deleted_at, model.updated_by)
        .where(*where_clauses(entity, Query(deleted=True)))
        .order_by(model.deleted_at.desc(), model.id.desc())
        .limit(limit)
    )
    return [tuple(row) for row in session.execute(stmt)]


def _touch(session, entity, record, action: str, operator: str | None, state: list[str]) -> None:
    operator = operator if operator is not None else settings_service.operator(session)
    record.updated_at = utc_now()
    record.updated_by = operator
    flush_checked(session, entity, record)  # its UPDATE checks and bumps the version
    log_change(session, entity.table, record.uid, action, operator, changes={DELETED_AT: state})


def delete_record(
    session: Session, entity: fields.EntitySpec, record_id: int, operator=None, *, seen_version=None
) -> None:
    """Move a record to the recycle bin (its children stay, pointing at it). `seen_version`: the
    version the clerk looked at; another one stored raises RecordChangedError."""
    record = stored_record(session, entity, record_id, seen_version)
    record.deleted_at = utc_now()
    _touch(session, entity, record, "delete", operator, [messages.STATE_LIVE, messages.STATE_DELETED])


def restore_record(session: Session, entity: fields.EntitySpec, record_id: int, operator=None) -> None:
    """Bring a record back from the recycle bin, if its keys are still free."""
    record = session.get(model_of(entity), record_id)
    if record is None or record.deleted_at is None:
        raise ValidationFailed([validation.Problem("", validation.ERROR, messages.RECORD_NOT_FOUND)])
    problems = RecordCheck(session, entity).unique_problems(record_values(record), record_id)
    if problems:
        raise ValidationFailed(problems)
    record.deleted_at = None
    _touch(session, entity, record, "restore", operator, [messages.STATE_DELETED, messages.STATE_LIVE])


def purge_record(session: Session, entity: fields.EntitySpec, record_id: int, operator=None) -> None:
    """永久删除: empty the content, keep uid and deleted_at as a tombstone for merges."""
    record = session.get(model_of(entity), record_id)
    if record is None or record.deleted_at is None:
        raise ValidationFailed([validation.Problem("", validation.ERROR, messages.RECORD_NOT_FOUND)])
    for spec in entity.fields:
        setattr(record, spec.key, None)
        if spec.sort_key:
            setattr(record, spec.sort_key, None)
    with session.no_autoflush:  # the record is written once, by _touch: one UPDATE, one version
        blank_history(session, entity.table, record.uid)  # DESIGN §4: the history must not keep the content
    _touch(session, entity, record, "purge", operator, [messages.STATE_DELETED, messages.STATE_PURGED])
    session.flush()
    search_index.sync(session.connection(), entity.table)  # nor the word index's queue of old texts
