"""Settings kept in the data file: bureau name, county, office id, operator, editable choice lists."""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from db.models import Setting

BUREAU_NAME = "bureau_name"
COUNTY_NAME = "county_name"
OFFICE_ID = "office_id"
OPERATOR = "operator"
FONT_SCHEME = "font_scheme"
DEFAULT_BUREAU = "××县科学技术局"
DEFAULT_OPERATOR = "操作员"


def get(session: Session, key: str, default: str = "") -> str:
    """A setting's value, or `default`."""
    row = session.get(Setting, key)
    return row.value if row is not None else default


def put(session: Session, key: str, value: str) -> None:
    """Store a setting (no change log: settings are not merged records)."""
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


def operator(session: Session) -> str:
    """The name written to updated_by."""
    return get(session, OPERATOR, DEFAULT_OPERATOR) or DEFAULT_OPERATOR


def get_choice_list(session: Session, name: str, default: tuple[str, ...]) -> list[str]:
    """An editable choice list (e.g. 计划类别) from the file, or its default."""
    text = get(session, f"choices.{name}")
    if not text:
        return list(default)
    try:
        values = json.loads(text)
    except ValueError:
        return list(default)
    return [str(x) for x in values] or list(default)


def put_choice_list(session: Session, name: str, values: list[str]) -> None:
    """Replace an editable choice list."""
    cleaned = [v.strip() for v in values if v and v.strip()]
    put(session, f"choices.{name}", json.dumps(cleaned, ensure_ascii=False))
