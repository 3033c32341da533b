"""Import a sheet into one table: every row parsed by the field specs and written with records.save_record."""

from __future__ import annotations

import itertools
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from kejiju_desktop import fields, messages, validation
from kejiju_desktop.progress import run_to_end
from kejiju_desktop.services import records
from kejiju_desktop.services import settings as settings_service
from kejiju_desktop.services.entity_models import model_of
from kejiju_desktop.services.exchange import lookups, reader, sheet

SKIP, UPDATE = "skip", "update"
NOTICE = "notice"
PROGRESS_EVERY = 250


@dataclass
class ImportOptions:
    """The clerk's choices (DESIGN §7); the defaults are the safe ones."""

    sheet: str | None = None
    on_duplicate: str = SKIP
    create_units: bool = False
    good_rows_only: bool = False
    accept_warnings: bool = False
    dry_run: bool = False  # check every row, write nothing (works on a read-only file)
    columns: dict[str, str] = field(default_factory=dict)  # header -> column key the clerk gave it


@dataclass
class RowIssue:
    """One problem of one row: Excel row number, column label and position, the sentence, its severity."""

    row: int
    column: str
    message: str
    severity: str = validation.ERROR
    position: int | None = None

    def line(self) -> str:
        tag = messages.WARNING_TAG if self.severity == validation.WARNING else ""
        if self.column:
            return messages.ROW_LINE.format(row=self.row, column=self.column, message=tag + self.message)
        return messages.ROW_LINE_NO_COLUMN.format(row=self.row, message=tag + self.message)


@dataclass
class ImportResult:
    """Counts and problems of one import; `refused` means the caller must not commit."""

    plan: sheet.SheetPlan
    options: ImportOptions
    rows_read: int = 0
    imported: int = 0
    updated: int = 0
    skipped: int = 0
    units_created: int = 0
    new_choices: dict[str, list[str]] = field(default_factory=dict)  # list label -> values kept rows add
    refusal: str | None = None  # a sentence refusing the whole import (a shifted column)
    unknown_unit_rows: set[int] = field(default_factory=set)  # rows an option adding units would take
    issues: list[RowIssue] = field(default_factory=list)
    error_rows: set[int] = field(default_factory=set)
    warning_rows: set[int] = field(default_factory=set)  # rows refused for warnings alone

    @property
    def bad_rows(self) -> set[int]:
        return self.error_rows | self.warning_rows

    @property
    def refused(self) -> bool:
        return self.refusal is not None or (bool(self.bad_rows) and not self.options.good_rows_only)

    @property
    def written(self) -> int:
        return self.imported + self.updated + self.units_created


def iter_import(
    session: Session, entity: fields.EntitySpec, path: Path | str, options: ImportOptions | None = None
) -> Generator[tuple[int, int], None, ImportResult]:
    """Import a sheet, yielding (done, total); returns the ImportResult. Raises reader.UnusableFile.

    The caller owns the transaction: commit when `not result.refused` (and not a dry run), else roll back.
    """
    options = options or ImportOptions()
    path = Path(path)
    with reader.open_sheet(path, options.sheet) as worksheet:
        plan = sheet.plan_sheet(entity, worksheet, options.columns)
        rows = _RowImporter(session, entity, options, plan)
        try:
            with rows.saver:  # left by an exception: nothing pending is inserted
                done = yield from _take_rows(session, rows, plan, worksheet)
        except lookups.ShiftedColumn as exc:
            rows.result.refusal, done = exc.message, rows.result.rows_read
        yield done, done
        return rows.finish()


def _take_rows(session: Session, rows: _RowImporter, plan: sheet.SheetPlan, worksheet) -> Generator:
    sheet_rows = sheet.iter_rows_with_formulas(plan, worksheet)
    done = 0
    while True:
        start = done
        # Rows are checked against caches and written with the transaction: no flush per lookup (asked
        # once per PROGRESS_EVERY rows, not per row: 100,000 rows spent ~0.5 s entering it).
        with session.no_autoflush:
            for number, cells, uncached in itertools.islice(sheet_rows, PROGRESS_EVERY):
                rows.take(number, cells, uncached)
                done += 1
        if done - start < PROGRESS_EVERY:
            return done
        yield done, max(plan.estimated_rows, done)


def check_file(
    entity: fields.EntitySpec, path: Path | str, sheet_name: str | None = None, columns=None, *, partial=False
) -> sheet.SheetPlan:
    """Open the sheet and check its header without touching any data; raises reader.UnusableFile.

    `columns`, `partial`: as sheet.plan_sheet's `mapped` and `partial`.
    """
    path = Path(path)
    with reader.open_sheet(path, sheet_name) as worksheet:
        return sheet.plan_sheet(entity, worksheet, columns, partial=partial)


def import_file(session: Session, entity: fields.EntitySpec, path: Path | str, options=None) -> ImportResult:
    """iter_import run to its end."""
    return run_to_end(iter_import(session, entity, path, options))


class _RowImporter:
    """Parses, checks and writes one row at a time, with lookups prepared once per import."""

    def __init__(
        self, session: Session, entity: fields.EntitySpec, options: ImportOptions, plan: sheet.SheetPlan
    ):
        self.session, self.entity, self.options = session, entity, options
        self.result = ImportResult(plan, options)
        self.columns = sorted(plan.match.positions.items())
        self.position_of = {c.key: i for i, c in plan.match.positions.items()}
        self.label_of = {c.key: c.header for c in plan.match.positions.values()}
        self.saver = records.BulkSave(session)
        self.units = lookups.UnitResolver(session, self.saver)
        self.keys = lookups.KeyIndex(session, entity)
        # The same checks as a save, asking this import's caches instead of the file.
        self.check = records.RecordCheck(
            session, entity, unit_named=self._unit_named, key_holder=self.keys.holder
        )
        self.lists = lookups.OpenLists(session, entity, self.check)
        self.operator = settings_service.operator(session)

    def finish(self) -> ImportResult:
        """The result, with the units and list values the import adds (kept in the file when written)."""
        result = self.result
        result.units_created = self.units.created + len(self.units.planned)
        result.new_choices = self.lists.kept()
        if not (result.refused or self.options.dry_run):
            self.lists.store_kept()
        return result

    # --- one row -------------------------------------------------------------------------------

    def take(self, number: int, cells: tuple, uncached: set[int]) -> None:
        """Handle one sheet row (an empty row is ignored)."""
        if uncached:  # ignored columns don't count
            uncached = {i for i in uncached if i in self.result.plan.match.positions}
        raw = self._raw(cells, uncached)
        if raw is None:
            return
        self.result.rows_read += 1
        problems = [
            validation.Problem(self._key_at(i), validation.ERROR, self._formula_message(i)) for i in uncached
        ]
        for problem in problems:
            raw.pop(problem.field, None)
        problems += self.lists.admit(raw, write=not self.options.dry_run)
        values, parse_problems = self.check.parse(raw, units_named=True)  # looked up below
        problems += parse_problems
        problems += self._resolve_units(number, values, raw, {p.field for p in parse_problems})
        derived = dict(
            values
        )  # what is written for a new record; an update keeps what the sheet leaves empty
        self.check.derive(derived)
        problems += self.check.check(derived, unique=False, refused={p.field for p in problems})
        duplicate = None if _errors(problems) else self.keys.duplicate_of(derived)
        if duplicate is None:
            problems += self.check.unique_problems(derived)
        if self._refuse(number, problems):
            return
        if duplicate is not None and not self._use_duplicate(number, duplicate):
            return
        record_id = self._id_of(duplicate[1]) if duplicate else None
        self._write(number, values, derived, record_id, problems)

    def _id_of(self, record_or_id) -> int:
        # Rows written by this import are flushed with the transaction; an update of one needs its id now.
        if isinstance(record_or_id, int):
            return record_or_id
        return self.saver.id_of(record_or_id)

    def _raw(self, cells: tuple, uncached: set[int]) -> dict[str, Any] | None:
        raw: dict[str, Any] = {}
        for index, column in self.columns:
            value = cells[index] if index < len(cells) else None
            raw[column.key] = sheet.cell_value(column.spec, value)
        if all(x is None for x in raw.values()) and not uncached:
            return None
        return raw

    def _key_at(self, position: int) -> str:
        return self.result.plan.match.positions[position].key

    def _formula_message(self, position: int) -> str:
        return messages.FORMULA_NO_VALUE.format(label=self.result.plan.match.positions[position].header)

    def _resolve_units(
        self, number: int, values: dict[str, Any], raw: dict[str, Any], failed: set[str]
    ) -> list[validation.Problem]:
        problems: list[validation.Problem] = []
        for spec in self.entity.unit_fields:
            if spec.key in failed:
                continue
            name = str(raw[spec.key]).strip() if raw.get(spec.key) is not None else None
            code, code_problem = _unit_code(raw.get(f"{spec.key}:code"), f"{spec.key}:code")
            if code_problem is not None:
                problems.append(code_problem)
                continue
            if name is None and code is None:
                continue
            unit_id = self.units.find(name, code)
            if unit_id is not None:
                values[spec.key] = unit_id
            elif self.options.create_units and name:
                values[spec.key] = lookups.new_unit(name, code)
            else:
                problems.append(
                    validation.Problem(spec.key, validation.ERROR, _unknown_unit(spec, name, code))
                )
                if name:
                    self.result.unknown_unit_rows.add(number)
        return problems

    def _unit_named(self, name: str) -> int | None:
        return self.units.find(name, None)

    def _refuse(self, number: int, problems: list[validation.Problem]) -> bool:
        errors = _errors(problems)
        warnings = [p for p in problems if not p.is_error]
        if errors:
            self._report(number, errors + warnings)
            self.result.error_rows.add(number)
            return True
        if warnings and not self.options.accept_warnings:
            self._report(number, warnings)
            self.result.warning_rows.add(number)
            return True
        return False

    def _use_duplicate(self, number: int, duplicate: tuple) -> bool:
        key, _record_id, sheet_row = duplicate
        if sheet_row is not None:
            labels = "、".join(self.entity.field(k).label for k in key)
            message = messages.DUPLICATE_IN_SHEET.format(row=sheet_row, labels=labels)
            self.result.issues.append(RowIssue(number, "", message, NOTICE))
        if self.options.on_duplicate == UPDATE:
            return True
        self.result.skipped += 1
        return False

    def _write(
        self, number: int, values: dict[str, Any], derived: dict[str, Any], record_id, problems
    ) -> None:
        if self.options.dry_run or self.result.refused:  # nothing will be kept: check, don't write
            self.units.plan(derived)
            self._count(number, derived, record_id, -number)
            return
        try:
            self._create_units(derived)
            if record_id is None:
                record = self.saver.save(
                    self.entity,
                    derived,
                    operator=self.operator,
                    confirm_warnings=self.options.accept_warnings,
                    parsed=True,
                    checked=problems,
                )
            else:
                seen = self.session.get(model_of(self.entity), record_id).version
                record = self._update(values, derived, record_id, problems)
                if record.version == seen:  # the row holds what is stored: nothing was written
                    self.lists.use(derived)
                    self.result.skipped += 1
                    return
        except records.ValidationFailed as exc:
            self._refuse(number, exc.problems)
            return
        self._count(number, derived, record_id, record)

    def _update(self, values: dict[str, Any], derived: dict[str, Any], record_id: int, problems):
        # The stored record keeps what the sheet leaves empty, derived values too, but takes the units
        # the row names or links (申请人 naming a unit), as the row was checked.
        data = {k: x for k, x in values.items() if x is not None}
        data |= {s.key: derived[s.key] for s in self.entity.unit_fields if derived.get(s.key) is not None}
        return self.saver.save(
            self.entity,
            data,
            record_id=record_id,
            operator=self.operator,
            confirm_warnings=self.options.accept_warnings,
            parsed=not any(not p.is_error for p in problems),  # re-parsed when warned: stored as confirmed
        )

    def _count(self, number: int, values: dict[str, Any], record_id: int | None, new) -> None:
        self.lists.use(values)
        if record_id is None:
            self.result.imported += 1
            self.keys.add(values, new, number)
        else:
            self.result.updated += 1

    def _create_units(self, values: dict[str, Any]) -> None:
        for spec in self.entity.unit_fields:
            pending = values.get(spec.key)
            if isinstance(pending, lookups.NewUnit):
                found = self.units.find(str(pending), pending.code)
                values[spec.key] = found or self.units.create(
                    str(pending), pending.code, self.operator, self.options.accept_warnings
                )

    def _report(self, number: int, problems: list[validation.Problem]) -> None:
        seen: set[tuple[str, str]] = set()
        for p in problems:
            if (p.field, p.message) in seen:
                continue
            seen.add((p.field, p.message))
            label = self.label_of.get(p.field) or _field_label(self.entity, p.field)
            issue = RowIssue(number, label, p.message, p.severity, self.position_of.get(p.field))
            self.result.issues.append(issue)


def _errors(problems: list[validation.Problem]) -> list[validation.Problem]:
    return [p for p in problems if p.is_error]


def _field_label(entity: fields.EntitySpec, key: str) -> str:
    return entity.field(key).label if entity.has_field(key) else ""


def _unit_code(raw: Any, key: str) -> tuple[str | None, validation.Problem | None]:
    if raw is None:
        return None, None
    try:
        return validation.check_credit_code(str(raw)), None
    except validation.Invalid as exc:
        if exc.severity == validation.WARNING:  # an early pilot code still names its unit
            return validation.normalize_text(raw).upper().replace(" ", ""), None
        return None, validation.Problem(key, validation.ERROR, exc.message)


def _unknown_unit(spec: fields.FieldSpec, name: str | None, code: str | None) -> str:
    if name:
        return messages.UNKNOWN_UNIT.format(label=spec.label, value=name)
    return messages.UNKNOWN_UNIT_CODE.format(code=code)


@dataclass(frozen=True)
class OptionWords:
    """How a front end names its own options in a summary: the command line its flags, the wizard its
    ticks. Each is a sentence taking {n}, the rows the option concerns."""

    refused_errors: str
    refused_warnings: str
    unknown_units: str


def summary_lines(result: ImportResult, words: OptionWords) -> list[str]:
    """The Chinese summary: counts, values added to lists, whether anything was written, and what the
    front end's options would change, in its own words. A file refused as a whole (a shifted column) gets
    its reason alone: counts of what it would have added only mislead."""
    if result.refusal is not None:
        return [result.refusal]
    written = not (result.options.dry_run or result.refused)
    counts = messages.SUMMARY if written else messages.SUMMARY_NOT_WRITTEN
    lines = [
        counts.format(
            read=result.rows_read,
            imported=result.imported,
            updated=result.updated,
            skipped=result.skipped,
            units=result.units_created,
            errors=len(result.error_rows),
            warnings=len(result.warning_rows),
        )
    ]
    added = messages.NEW_CHOICES if written else messages.NEW_CHOICES_NOT_WRITTEN
    for label, values in result.new_choices.items():
        lines.append(added.format(label=label, values="、".join(values), n=len(values)))
    lines += _outcome_lines(result, words)
    if result.unknown_unit_rows and not result.options.create_units:
        lines.append(words.unknown_units.format(n=len(result.unknown_unit_rows)))
    if result.warning_rows and not result.options.accept_warnings:
        lines.append(words.refused_warnings.format(n=len(result.warning_rows)))
    if not result.plan.formulas_checked:
        lines.append(messages.FORMULAS_NOT_CHECKED.format(kind="." + result.plan.kind))
    return lines


def _outcome_lines(result: ImportResult, words: OptionWords) -> list[str]:
    if result.options.dry_run:
        refused = [messages.DRY_RUN_REFUSED.format(n=len(result.bad_rows))] if result.refused else []
        return [messages.DRY_RUN, *refused]
    if result.refused:
        return [words.refused_errors.format(n=len(result.bad_rows))]
    if result.bad_rows:
        return [messages.DONE_PARTIAL.format(n=len(result.bad_rows))]
    return [messages.DONE if result.written else messages.NOTHING_TO_DO]
