"""年度目标 of a year for the targets dialog: list, save (validated, change-logged), delete."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from kejiju_desktop import fields
from kejiju_desktop.services import records, stats
from kejiju_desktop.services.entity_models import model_of

TARGETS = fields.ENTITIES["targets"]
LIMIT = 500


@dataclass
class TargetRow:
    """One 指标 of the year as the dialog edits it (id None for a new one)."""

    id: int | None
    indicator: str
    target: Decimal | None
    actual: Decimal | None
    note: str = ""
    version: int | None = None  # as read: saving over another clerk's later change is refused

    @property
    def computed(self) -> bool:
        """A 指标 whose value the program counts from the records (实际值 is not entered)."""
        return self.indicator in fields.COMPUTED_INDICATORS


def list_targets(session: Session, year: int) -> list[TargetRow]:
    """The year's live targets, computed 指标 first in their standard order, then the manual ones."""
    keys = [spec.key for spec in TARGETS.fields]
    rows = []
    for row in records.list_page(session, TARGETS, records.Query(year=year), 0, LIMIT):
        values = dict(zip(keys, row[1:], strict=True))
        rows.append(
            TargetRow(row[0], values["indicator"] or "", values["target_value"], values["actual_value"],
                      values["note"] or "")
        )  # fmt: skip
    versions = _versions(session, [row.id for row in rows])
    for row in rows:
        row.version = versions.get(row.id)
    order = {name: i for i, name in enumerate(fields.COMPUTED_INDICATORS)}
    rows.sort(key=lambda r: (order.get(r.indicator, len(order)), r.indicator))
    return rows


def _versions(session: Session, ids: list[int]) -> dict[int, int]:
    model = model_of(TARGETS)
    return dict(session.execute(select(model.id, model.version).where(model.id.in_(ids))).all())


def computed_values(session: Session, year: int) -> dict[str, Decimal | int]:
    """What the records give for each computed 指标 of the year (shown beside the targets)."""
    return stats.computed_indicators(stats.year_figures(session, year))


def save_targets(session: Session, year: int, rows: list[TargetRow], removed: list[int]) -> None:
    """Write the dialog's rows and delete the removed ones; raises records.ValidationFailed, or
    records.RecordChangedError for a row another clerk saved after it was listed."""
    for record_id in removed:
        records.delete_record(session, TARGETS, record_id)
    session.flush()
    for row in rows:
        if row.id is not None and _unchanged(session, row):
            continue  # an untouched row keeps its updated_at, so merges do not see a change
        raw = {
            "year": str(year),
            "indicator": row.indicator.strip(),
            "target_value": "" if row.target is None else str(row.target),
            "actual_value": "" if row.computed or row.actual is None else str(row.actual),
            "note": row.note,
        }
        records.save_record(session, TARGETS, raw, record_id=row.id, seen_version=row.version)


def _unchanged(session: Session, row: TargetRow) -> bool:
    record = session.get(model_of(TARGETS), row.id)
    if record is None:
        return False
    actual = None if row.computed else row.actual
    return (record.indicator, record.target_value, record.actual_value, record.note or "") == (
        row.indicator.strip(),
        _cents(row.target),
        _cents(actual),
        row.note,
    )


def _cents(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))
