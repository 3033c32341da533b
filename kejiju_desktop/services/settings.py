"""Settings kept in the data file: the registry a clerk and IT change (设置, `settings`), office id, choice lists."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Setting
from kejiju_desktop import fields, messages, validation

BUREAU_NAME = "bureau_name"
COUNTY_NAME = "county_name"
DIVISION = "division"
OFFICE_ID = "office_id"
OPERATOR = "operator"
FONT_SCHEME = "font_scheme"
REMINDER_DAYS = "reminder_days"
FONT_STANDARD, FONT_WINDOWS = "standard", "windows"
FONT_SCHEMES = {FONT_STANDARD: messages.FONT_STANDARD_LABEL, FONT_WINDOWS: messages.FONT_WINDOWS_LABEL}


class InvalidSetting(ValueError):
    """A setting's name or value is not allowed; `str()` is the sentence to show."""


@dataclass(frozen=True)
class SettingSpec:
    """One setting a clerk or IT may change, declared once: the dialog and the command read it."""

    name: str  # as the 设置 dialog and the `settings` command name it
    key: str  # its row in the settings table
    default: str = ""
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, what the clerk reads)
    max_length: int = 40
    required: bool = False
    number_range: tuple[int, int] | None = None

    @property
    def rule(self) -> str:
        """The sentence that says which values are allowed."""
        if self.choices:
            return messages.SETTING_CHOICE_RULE.format(name=self.name, choices="、".join(self.labels))
        if self.number_range:
            low, high = self.number_range
            return messages.SETTING_NUMBER_RULE.format(name=self.name, low=low, high=high)
        rule = messages.SETTING_REQUIRED_RULE if self.required else messages.SETTING_TEXT_RULE
        return rule.format(name=self.name, n=self.max_length)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(label for _value, label in self.choices)

    def parse(self, raw: str) -> str:
        """The value to store for what was typed (a choice by its value or its label); InvalidSetting if not allowed."""
        text = validation.normalize_text(raw)
        if self.choices:
            found = [value for value, label in self.choices if text in (value, label)]
            if found:
                return found[0]
        elif self.number_range:
            low, high = self.number_range
            if text.isdigit() and low <= int(text) <= high:
                return str(int(text))
        elif _is_plain_text(text, self.max_length) and (text or not self.required):
            return text
        raise InvalidSetting(self.rule)

    def shown(self, value: str) -> str:
        """A stored value as the clerk reads it (a choice's label)."""
        return dict(self.choices).get(value, value)


def _is_plain_text(text: str, limit: int) -> bool:
    try:
        validation.check_length(text, "", limit)
        validation.check_control_chars(text, "")
    except validation.Invalid:
        return False
    return True


REGISTRY = (
    SettingSpec(messages.SETTING_OPERATOR, OPERATOR, required=True, max_length=20),
    SettingSpec(messages.SETTING_BUREAU, BUREAU_NAME),
    SettingSpec(messages.SETTING_COUNTY, COUNTY_NAME, max_length=20),
    SettingSpec(
        messages.SETTING_DIVISION, DIVISION, fields.DIVISION_COUNTY, tuple((d, d) for d in fields.DIVISIONS)
    ),
    SettingSpec(messages.SETTING_FONTS, FONT_SCHEME, FONT_STANDARD, tuple(FONT_SCHEMES.items())),
    SettingSpec(messages.SETTING_REMINDER_DAYS, REMINDER_DAYS, "90", number_range=(1, 730)),
)
SETTINGS = {spec.name: spec for spec in REGISTRY}
_BY_KEY = {spec.key: spec for spec in REGISTRY}


def spec_named(name: str) -> SettingSpec:
    """The setting a clerk names in Chinese; InvalidSetting naming those there are."""
    spec = SETTINGS.get(validation.normalize_text(name))
    if spec is None:
        raise InvalidSetting(messages.SETTING_UNKNOWN.format(name=name, names="、".join(SETTINGS)))
    return spec


def current_value(session: Session, spec: SettingSpec) -> str:
    """A registry setting's stored value, or its default."""
    return get(session, spec.key) or spec.default


def update_setting(session: Session, spec: SettingSpec, raw: str) -> str:
    """Check and store a registry setting (the caller owns the transaction); returns the stored value."""
    value = spec.parse(raw)
    put(session, spec.key, value)
    return value


def division(session: Session) -> str:
    """县, 区 or 市: the word the report says 全县/全区/全市 with."""
    return current_value(session, _BY_KEY[DIVISION])


def bureau_name(session: Session) -> str:
    """单位名称, or ××县科学技术局 (with the file's 行政区划) while it is not set."""
    return get(session, BUREAU_NAME) or messages.BUREAU_TEMPLATE.format(division=division(session))


def font_scheme(session: Session) -> str:
    """The report's font scheme key (standard or windows)."""
    return current_value(session, _BY_KEY[FONT_SCHEME])


def reminder_days(session: Session) -> int:
    """How many days before a certificate expires the program reminds of it."""
    return int(current_value(session, _BY_KEY[REMINDER_DAYS]))


def has_operator(session: Session) -> bool:
    """True when someone has said who works on this file (the window asks once otherwise)."""
    return bool(get(session, OPERATOR))


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
    return get(session, OPERATOR, messages.DEFAULT_OPERATOR) or messages.DEFAULT_OPERATOR


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


def add_choices(session: Session, name: str, default, added: list[str], removed=()) -> None:
    """Add values to an editable choice list (and take out `removed`, this action's own additions it no
    longer uses), the list read again under a row lock: two imports adding values at once keep both."""
    locked = select(Setting).where(Setting.key == f"choices.{name}").with_for_update()
    # A data file has one writer at a time anyway: there the engine leaves FOR UPDATE out.
    session.scalars(locked.execution_options(populate_existing=True)).first()
    current = [v for v in get_choice_list(session, name, default) if v not in removed]
    put_choice_list(session, name, current + [v for v in added if v not in current])


def put_choice_list(session: Session, name: str, values: list[str]) -> None:
    """Replace an editable choice list."""
    cleaned = [v.strip() for v in values if v and v.strip()]
    put(session, f"choices.{name}", json.dumps(cleaned, ensure_ascii=False))
