"""Merge, step one: compare two files and plan what would change (pure, read-only)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from kejiju_desktop import fields, messages
from kejiju_desktop.services.portability.sides import ORDER, UNITS, Mark, Side
from kejiju_desktop.services.records.changes import DELETED_AT, field_text  # compared like a field

TAKE, KEEP, CONFLICT = "take", "keep", "conflict"


@dataclass(frozen=True)
class Difference:
    """One field whose value differs between the two versions of a record, each as the form shows it."""

    key: str
    label: str
    ours: str
    theirs: str


@dataclass
class MergeItem:
    """One record the merge would write (or, for a duplicate, leave out), with what the clerk needs to judge it."""

    table: str
    uid: str
    kind: str
    name: str
    theirs: dict
    ours: dict | None = None
    changed: tuple[str, ...] = ()
    take_theirs: bool = True  # for a conflict: the default choice (the newer side)
    match_uid: str | None = None  # for a duplicate: our record it matches
    detail: str = ""  # for a conflict, merge_text.detail() says it, as it depends on the clerk's choice
    unit_note: str = ""  # their unit reference pointed at no unit: what became of the link
    differences: tuple[Difference, ...] = ()  # for a record both files have: each differing field
    basis: str = ""  # for a conflict: what the merge marks tell of who changed it (M.BASIS_*)

    @property
    def key(self) -> tuple[str, str]:
        return self.table, self.uid


@dataclass
class MergePlan:
    """Everything a merge would do; nothing is written until apply()."""

    our_office: str
    their_office: str
    their_name: str
    their_latest: dt.datetime | None
    items: list[MergeItem] = field(default_factory=list)
    refused: list[MergeItem] = field(default_factory=list)  # failed the checks of a typed record
    same: int = 0
    kept: int = 0
    new_choices: dict[str, list[str]] = field(default_factory=dict)  # values their editable lists add

    @property
    def counts(self) -> dict[str, int]:
        result = dict.fromkeys(messages.KIND_LABELS, 0)
        for item in self.items:
            result[item.kind] += 1
        result[messages.KIND_REFUSED] = len(self.refused)
        return result

    @property
    def unit_aliases(self) -> dict[str, str]:
        """Their unit uid -> our matching unit uid, for units found to be duplicates."""
        return {
            i.uid: i.match_uid for i in self.items if i.kind == messages.KIND_DUPLICATE and i.table == UNITS
        }


def compared_keys(entity: fields.EntitySpec) -> tuple[str, ...]:
    """The columns whose difference makes two versions of a record differ."""
    return _compared_keys(entity.table)


@functools.cache
def _compared_keys(table: str) -> tuple[str, ...]:
    return tuple(spec.key for spec in fields.ENTITIES[table].fields) + (DELETED_AT,)


def plan_merge(ours: Side, theirs: Side) -> MergePlan:
    """Compare every record of `theirs` with `ours` by uid and decide, per DESIGN §4."""
    plan = MergePlan(ours.office_id, theirs.office_id, theirs.office_name, theirs.latest)
    our_mark = ours.marks.get(theirs.office_id)
    their_mark = theirs.marks.get(ours.office_id)
    for name, values in theirs.choice_lists.items():
        extra = [v for v in values if v not in ours.choice_lists.get(name, [])]
        if extra:
            plan.new_choices[name] = extra
    aliases: dict[str, str] = {}
    refused_units: dict[str, str] = {}  # their new unit's uid -> its name, for units refused
    names = UnitNames(ours, theirs)
    for table in ORDER:
        entity = fields.ENTITIES[table]
        index = DuplicateIndex(entity, ours.rows[table].values())
        for uid, their_row in theirs.rows[table].items():
            our_row = ours.rows[table].get(uid)
            row, unit_note = _linked(their_row, our_row, aliases, (table, uid) in theirs.lost_units)
            if our_row is None:
                item = _new_item(entity, row, index, ours.rows[table])
            else:
                item = _common_item(plan, entity, our_row, row, our_mark, their_mark)
            if item is None:
                continue
            item.unit_note = unit_note
            if our_row is not None:
                item.differences = differences(entity, our_row, row, item.changed, names)
            reasons = _refusal(theirs, item, refused_units)
            if reasons:
                _refuse(plan, item, reasons, refused_units)
                continue
            plan.items.append(item)
            if item.kind == messages.KIND_DUPLICATE and table == UNITS:
                aliases[uid] = item.match_uid
    return plan


def _linked(row: dict, our_row: dict | None, aliases: dict[str, str], lost: bool) -> tuple[dict, str]:
    """Their row with its unit as our file will know it, and a note when their unit was not there at all.

    A reference to no unit in their file is a broken link, not a decision to unlink: an update keeps
    our unit; a new record comes without one, and says so.
    """
    unit = row.get("unit_id")
    if unit is not None and unit in aliases:
        return dict(row, unit_id=aliases[unit]), ""
    if not lost:
        return row, ""
    if our_row is not None and our_row.get("unit_id") is not None:
        return dict(row, unit_id=our_row["unit_id"]), messages.DETAIL_UNIT_MISSING_KEPT
    return row, messages.DETAIL_UNIT_MISSING


def _refusal(theirs: Side, item: MergeItem, refused_units: dict[str, str]) -> list[str]:
    """Why the item's version from their file may not be written; a duplicate is never written anyway."""
    if item.kind == messages.KIND_DUPLICATE:
        return []
    reasons = list(theirs.refused.get(item.key, ()))
    unit = item.theirs.get("unit_id")
    if unit in refused_units:
        reasons.append(messages.REASON_UNIT_REFUSED.format(name=refused_units[unit]))
    return reasons


def _refuse(plan: MergePlan, item: MergeItem, reasons: list[str], refused_units: dict[str, str]) -> None:
    item.kind, item.detail = messages.KIND_REFUSED, messages.DETAIL_REFUSED.format(reasons="".join(reasons))
    plan.refused.append(item)
    if item.table == UNITS and item.ours is None:
        refused_units[item.uid] = item.name  # its records come only with it, at a later merge


def _name(entity: fields.EntitySpec, row: dict) -> str:
    """The record as the preview names it; one known by its year with its name (年度目标) says the year."""
    value = row.get(entity.display_key)
    if value in (None, ""):
        return row["uid"][:8]
    year = row.get(entity.year_key) if _named_with_year(entity) else None
    return str(value) if year is None else messages.NAME_OF_YEAR.format(year=year, name=value)


def _named_with_year(entity: fields.EntitySpec) -> bool:
    # 年末常住人口(万人) of 2012 and of 2013 are two records of one name: unique only with their year.
    return {entity.year_key, entity.display_key} <= set(entity.unique_together)


def _new_item(entity, row, index: DuplicateIndex, our_rows) -> MergeItem | None:
    if row["deleted_at"] is not None:
        return None  # a tombstone of a record we never had: nothing to bring back
    match = index.find(row)
    if match is None:
        return MergeItem(entity.table, row["uid"], messages.KIND_NEW, _name(entity, row), row)
    match_uid, key = match
    labels = "、".join(entity.field(k).label for k in key)
    detail = messages.DETAIL_DUPLICATE.format(name=_name(entity, our_rows[match_uid]), labels=labels)
    return MergeItem(
        entity.table,
        row["uid"],
        messages.KIND_DUPLICATE,
        _name(entity, row),
        row,
        match_uid=match_uid,
        detail=detail,
    )


def _common_item(plan: MergePlan, entity, ours: dict, theirs: dict, our_mark, their_mark) -> MergeItem | None:
    changed = tuple(k for k in compared_keys(entity) if ours.get(k) != theirs.get(k))
    if not changed:
        plan.same += 1
        return None
    outcome = decide(ours["updated_at"], theirs["updated_at"], our_mark, their_mark)
    newer_theirs = newer(theirs, ours)
    if outcome == CONFLICT and (ours["deleted_at"] is None) != (theirs["deleted_at"] is None):
        outcome = TAKE if newer_theirs else KEEP  # a tombstone applies unless the other side edited later
    if outcome == KEEP:
        plan.kept += 1
        return None
    item = MergeItem(
        entity.table, theirs["uid"], _kind(ours, theirs), _name(entity, theirs), theirs, ours, changed
    )
    if outcome == CONFLICT:
        item.kind, item.take_theirs = messages.KIND_CONFLICT, newer_theirs
        item.basis = conflict_basis(ours["updated_at"], theirs["updated_at"], our_mark, their_mark)
    else:
        item.detail = _detail(entity, ours, theirs, field_labels(entity, changed))
    return item


def field_labels(entity: fields.EntitySpec, keys: tuple[str, ...]) -> str:
    """The labels of the compared columns, as one list (the recycle-bin state by its own name)."""
    return "、".join(label(entity, key) for key in keys)


def label(entity: fields.EntitySpec, key: str) -> str:
    """One compared column's label."""
    return messages.FIELD_DELETED if key == DELETED_AT else entity.field(key).label


class UnitNames:
    """Unit uid -> name on each side, to show a reference as the form does; their side falls back on ours
    (a unit of theirs found to be a duplicate points at our unit)."""

    def __init__(self, ours: Side, theirs: Side):
        key = fields.UNITS.display_key
        self.ours = {uid: row[key] for uid, row in ours.rows[UNITS].items()}
        self.theirs = self.ours | {uid: row[key] for uid, row in theirs.rows[UNITS].items()}


def differences(entity, ours: dict, theirs: dict, changed, names: UnitNames) -> tuple[Difference, ...]:
    """Each changed column with both values as the form shows them; a purged record only as purged."""
    keys = (DELETED_AT,) if is_purged(entity, theirs) and DELETED_AT in changed else changed
    return tuple(
        Difference(
            key,
            label(entity, key),
            _shown(entity, key, ours, names.ours),
            _shown(entity, key, theirs, names.theirs),
        )
        for key in keys
    )


def _shown(entity: fields.EntitySpec, key: str, row: dict, unit_names: Mapping[str, str]) -> str:
    if key == DELETED_AT:
        if row[DELETED_AT] is None:
            return messages.STATE_LIVE
        return messages.STATE_PURGED if is_purged(entity, row) else messages.STATE_DELETED
    return field_text(entity.field(key), row.get(key), unit_names)


def is_purged(entity: fields.EntitySpec, row: dict) -> bool:
    """Whether a record's version is a tombstone (永久删除: deleted, its content gone)."""
    return row[DELETED_AT] is not None and row.get(entity.display_key) is None


def _kind(ours: dict, theirs: dict) -> str:
    if theirs["deleted_at"] is not None and ours["deleted_at"] is None:
        return messages.KIND_DELETED
    return messages.KIND_UPDATED


def _detail(entity, ours: dict, theirs: dict, labels: str) -> str:
    if is_purged(entity, theirs):
        return messages.DETAIL_PURGED
    if ours["deleted_at"] is not None and theirs["deleted_at"] is None:
        return messages.DETAIL_RESTORED
    return messages.DETAIL_FIELDS.format(fields=labels)


def newer(one: dict, other: dict) -> bool:
    """Whether the version `one` was saved after `other` (a version without a time is the older)."""
    return (one["updated_at"] or dt.datetime.min) > (other["updated_at"] or dt.datetime.min)


def decide(ours_at, theirs_at, our_mark: Mark | None, their_mark: Mark | None) -> str:
    """Which side changed since the last merge between the two offices: take theirs, keep ours, or conflict.

    A version "seen" by the other side is older than that side's mark of this office (it was there
    when that side last merged); a side that has seen the other's version and still differs has
    decided. Without either, a version newer than its own side's last merge counts as changed.
    """
    theirs_seen = _at_or_before(theirs_at, our_mark.their_latest if our_mark else None)
    ours_seen = _at_or_before(ours_at, their_mark.their_latest if their_mark else None)
    if theirs_seen != ours_seen:
        return KEEP if theirs_seen else TAKE
    if not theirs_seen:
        our_changed = not _at_or_before(ours_at, our_mark.merged_at if our_mark else None)
        their_changed = not _at_or_before(theirs_at, their_mark.merged_at if their_mark else None)
        if our_changed != their_changed:
            return TAKE if their_changed else KEEP
    return CONFLICT


def _at_or_before(moment, mark) -> bool:
    return moment is not None and mark is not None and moment <= mark


def conflict_basis(ours_at, theirs_at, our_mark: Mark | None, their_mark: Mark | None) -> str:
    """What the marks tell of a conflict: no merge between the files yet, both sides changed since one,
    or too little to say. A side's version has changed since a merge when it is later than that side's
    own last merge, or later than the latest of that side the other file has merged."""
    if our_mark is None and their_mark is None:
        return messages.BASIS_NO_MARK
    ours_changed = _after(ours_at, our_mark, "merged_at") or _after(ours_at, their_mark, "their_latest")
    theirs_changed = _after(theirs_at, their_mark, "merged_at") or _after(theirs_at, our_mark, "their_latest")
    return messages.BASIS_BOTH_CHANGED if ours_changed and theirs_changed else messages.BASIS_UNPROVEN


def _after(moment, mark: Mark | None, point: str) -> bool:
    stamp = getattr(mark, point) if mark is not None else None
    return moment is not None and stamp is not None and moment > stamp


class DuplicateIndex:
    """Our live records by each suspected-duplicate key (DESIGN §3), to spot the same record entered twice."""

    def __init__(self, entity: fields.EntitySpec, our_rows):
        self.entity = entity
        self.keys = _keys(entity)
        self.our_rows = our_rows
        self.by_key: dict[tuple[str, ...], dict[tuple, list[dict]]] = {}

    def _build(self) -> None:
        # Built on the first new record only: most merges bring few new records to many tables.
        self.by_key = {k: {} for k in self.keys}
        for row in self.our_rows:
            if row["deleted_at"] is None:
                for key in self.keys:
                    values = _values(row, key)
                    if values is not None:
                        self.by_key[key].setdefault(values, []).append(row)

    def find(self, row: dict) -> tuple[str, tuple[str, ...]] | None:
        """(our uid, key) of a live record this one duplicates, or None."""
        if not self.by_key:
            self._build()
        for key in self._unique_keys():
            values = _values(row, key)
            if values is not None and values in self.by_key[key]:
                return self.by_key[key][values][0]["uid"], key
        earlier: list[tuple[str, ...]] = []
        for key in self.entity.duplicate_keys:
            values = _values(row, key)
            if values is not None:
                for candidate in self.by_key[key].get(values, []):
                    if not any(_values(row, e) and _values(candidate, e) for e in earlier):
                        return candidate["uid"], key
            earlier.append(key)
        return None

    def _unique_keys(self) -> Iterator[tuple[str, ...]]:
        yield from self.entity.unique_key_sets


def _keys(entity: fields.EntitySpec) -> list[tuple[str, ...]]:
    # Single unique keys first, then the business keys, the combined unique key last (the order matches go in).
    keys = [(k,) for k in entity.unique_keys] + list(entity.duplicate_keys)
    if entity.unique_together:
        keys.append(entity.unique_together)
    return list(dict.fromkeys(keys))


def _values(row: dict, key: tuple[str, ...]) -> tuple | None:
    values = tuple(row.get(k) for k in key)
    return None if any(v in (None, "") for v in values) else values
