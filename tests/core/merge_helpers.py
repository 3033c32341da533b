"""Helpers for merge tests: small real data files of two offices, edited through the services."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from db.database import create_data_file, open_data_file
from kejiju_desktop import fields
from kejiju_desktop.services import records, settings
from kejiju_desktop.services.entity_models import model_of
from kejiju_desktop.services.portability import merge as merge_service
from kejiju_desktop.services.portability.merge_apply import Choices

CODE_A = "91510124MA61XY0A1N"


def office_file(folder: Path, name: str) -> Path:
    """A new empty data file of its own office, named after it."""
    path = folder / f"{name}.kjdb"
    create_data_file(path)
    data = open_data_file(path, take_lock=False)
    with data.sessions.begin() as s:
        settings.put(s, settings.BUREAU_NAME, name)
    data.close()
    return path


def save(path: Path, table: str, raw: dict, uid: str | None = None) -> str:
    """Create (or, given a uid, update) one record through records.save_record; returns its uid."""
    data = open_data_file(path, take_lock=False)
    try:
        with data.sessions.begin() as s:
            entity = fields.entity(table)
            record_id = _id(s, table, uid) if uid else None
            record = records.save_record(s, entity, raw, record_id=record_id, confirm_warnings=True)
            return record.uid
    finally:
        data.close()


def delete(path: Path, table: str, uid: str, purge: bool = False) -> None:
    data = open_data_file(path, take_lock=False)
    try:
        with data.sessions.begin() as s:
            records.delete_record(s, fields.entity(table), _id(s, table, uid))
            if purge:
                records.purge_record(s, fields.entity(table), _id(s, table, uid))
    finally:
        data.close()


def _id(session, table: str, uid: str) -> int:
    model = model_of(fields.entity(table))
    return session.scalar(select(model.id).where(model.uid == uid))


def merge(into: Path, other: Path, choices: Choices | None = None, *, dry_run: bool = False):
    """Plan and (unless dry_run) apply a merge of `other` into `into`; returns (plan, result)."""
    data = open_data_file(into, take_lock=False, read_only=dry_run)
    try:
        plan = merge_service.plan_files(data, other)
        result = None if dry_run else merge_service.merge(data, plan, choices)
        return plan, result
    finally:
        data.close()


def live(path: Path, table: str, key: str | None = None) -> dict[str, object]:
    """uid -> display value (or `key`) of live records."""
    data = open_data_file(path, read_only=True)
    try:
        with data.sessions() as s:
            entity = fields.entity(table)
            model = model_of(entity)
            column = getattr(model, key or entity.display_key)
            rows = s.execute(select(model.uid, column).where(model.deleted_at.is_(None)))
            return {uid: value for uid, value in rows}
    finally:
        data.close()


def row(path: Path, table: str, uid: str) -> dict:
    """Every column of one record, unit_id as the unit's name."""
    data = open_data_file(path, read_only=True)
    try:
        with data.sessions() as s:
            model = model_of(fields.entity(table))
            record = s.scalars(select(model).where(model.uid == uid)).one()
            values = {c.key: getattr(record, c.key) for c in model.__table__.columns}
            if "unit_id" in values:
                values["unit_name"] = records.unit_name(s, values["unit_id"])
            return values
    finally:
        data.close()
