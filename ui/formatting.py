"""How values look on screen: dates as 2012-03-05, 万元 with 2 decimals, numbers right-aligned."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from kejiju_desktop import fields
from kejiju_desktop.services import records

NUMERIC_KINDS = (fields.INT, fields.YEAR, fields.MONEY)


def display(spec: fields.FieldSpec, value: Any) -> str:
    """The text a table cell or a form field shows for a stored value."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return local_time(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if spec.kind == fields.MONEY or isinstance(value, Decimal):
        return f"{Decimal(value):.2f}"
    return str(value)


def is_numeric(spec: fields.FieldSpec) -> bool:
    """True for columns shown right-aligned."""
    return spec.kind in NUMERIC_KINDS


def local_time(stamp: dt.datetime | None) -> str:
    """A stored UTC time as the clerk's local time, e.g. 2013-01-05 09:30."""
    return records.local_time(stamp)
