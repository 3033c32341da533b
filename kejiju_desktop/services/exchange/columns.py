"""Sheet columns of a table, from its field specs: headers for export, header matching for import."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from kejiju_desktop import fields

# A unit reference may be backed by the unit's credit code (DESIGN §3); that column's own spec.
CODE_SPEC = fields.ENTERPRISES.field("credit_code")


@dataclass(frozen=True)
class Column:
    """One sheet column: its header and the field it carries (or the credit code of a unit field)."""

    header: str
    spec: fields.FieldSpec
    code_of: str | None = None  # key of the unit field whose credit code this column holds

    @property
    def key(self) -> str:
        return f"{self.code_of}:code" if self.code_of else self.spec.key


def code_header(entity: fields.EntitySpec, unit_spec: fields.FieldSpec) -> str:
    """统一社会信用代码 column of a unit field; prefixed by the field label when a table has several."""
    if len(entity.unit_fields) == 1:
        return CODE_SPEC.label
    return unit_spec.label + CODE_SPEC.label


def sheet_columns(entity: fields.EntitySpec) -> list[Column]:
    """Every field in spec order, each unit field followed by its credit code column."""
    columns = []
    for spec in entity.fields:
        columns.append(Column(spec.label, spec))
        if spec.kind == fields.UNIT:
            columns.append(Column(code_header(entity, spec), CODE_SPEC, code_of=spec.key))
    return columns


def normalize_header(text: object) -> str:
    """A header as compared: full-width to half-width, no spaces or line breaks, brackets unified."""
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text))
    folded = re.sub(r"\s+", "", folded).replace("[", "(").replace("]", ")")
    return folded.removesuffix("*").lower()  # templates often star required columns


def _names(entity: fields.EntitySpec, column: Column) -> list[str]:
    if column.code_of is None:
        return [column.spec.label, *column.spec.header_synonyms]
    unit_label = entity.field(column.code_of).label
    names = [column.header, unit_label + CODE_SPEC.label]
    if len(entity.unit_fields) == 1:
        names += list(CODE_SPEC.header_synonyms)
    return names


def header_lookup(entity: fields.EntitySpec, mapped: Mapping[str, str] | None = None) -> dict[str, Column]:
    """Normalised header (label or synonym) -> column; labels win over another field's synonym.

    `mapped`: headers the clerk gave a field (header -> column key), over everything else.
    """
    lookup: dict[str, Column] = {}
    columns = sheet_columns(entity)
    for column in columns:
        lookup[normalize_header(column.header)] = column
    for column in columns:
        for name in _names(entity, column):
            lookup.setdefault(normalize_header(name), column)
    by_key = {column.key: column for column in columns}
    for header, key in (mapped or {}).items():
        if key in by_key:
            lookup[normalize_header(header)] = by_key[key]
    return lookup


@dataclass
class HeaderMatch:
    """What a header row says: sheet position -> column, the unknown headers, the missing required fields."""

    positions: dict[int, Column] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    repeated: tuple[str, int, int] | None = None

    @property
    def matched(self) -> list[Column]:
        return [self.positions[i] for i in sorted(self.positions)]

    def has(self, key: str) -> bool:
        return any(c.key == key for c in self.positions.values())


def match_headers(
    entity: fields.EntitySpec, cells: tuple, mapped: Mapping[str, str] | None = None
) -> HeaderMatch:
    """Match one row of header cells against the table's labels and synonyms (and the clerk's `mapped`)."""
    lookup = header_lookup(entity, mapped)
    match = HeaderMatch()
    seen: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = normalize_header(cell)
        if not name:
            continue
        column = lookup.get(name)
        if column is None:
            match.unknown.append(str(cell).strip())
            continue
        if column.key in seen:
            match.repeated = match.repeated or (column.header, seen[column.key] + 1, index + 1)
            continue
        seen[column.key] = index
        match.positions[index] = column
    return match


def missing_required(entity: fields.EntitySpec, match: HeaderMatch) -> list[str]:
    """Labels of required fields the sheet has no column for, nor for what they are derived from."""
    missing = []
    for spec in entity.fields:
        if not spec.required or match.has(spec.key):
            continue
        if spec.kind == fields.UNIT and match.has(f"{spec.key}:code"):
            continue
        if any(rule.key == spec.key and all(map(match.has, rule.sources)) for rule in entity.derive):
            continue
        missing.append(spec.label)
    return missing
