"""Checks and parsers for credit codes, patent numbers, certificates, dates, amounts -> Chinese messages."""

from __future__ import annotations

import datetime as dt
import itertools
import operator
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

ERROR = "error"
WARNING = "warning"

# Wording of every failure, in one place. {label} is the field's label.
MSG_REQUIRED = "{label}不能为空。"
MSG_TEXT_BROKEN = "{label}中有残缺的字符（常见于损坏的表格或粘贴的内容），无法保存，请删除后重新输入。"
MSG_CHOICE = "{label}“{value}”不是可选的值，应为：{choices}。"
MSG_INT = "{label}应为整数，“{value}”不是。"
MSG_INT_NEGATIVE = "{label}不能为负数。"
MSG_YEAR = "{label}应为 1949 到 2100 之间的四位年份，“{value}”不是。"
MSG_DATE = "{label}“{value}”不是有效日期（如 2012-03-05 或 2012年3月5日）。"
MSG_DATE_RANGE = "{label}“{value}”超出合理范围（1949 年至 2100 年）。"
MSG_MONEY = "{label}应为金额（万元），“{value}”不是数字。"
MSG_MONEY_NEGATIVE = "{label}不能为负数。"
MSG_MONEY_PLACES = "{label}最多保留 2 位小数。"
MSG_CREDIT_LENGTH = "{label}应为 18 位，“{value}”是 {n} 位。"
MSG_CREDIT_CHARS = "{label}“{value}”含有不允许的字符“{bad}”（不使用 I、O、S、V、Z）。"
MSG_CREDIT_CHECK = "{label}“{value}”的校验位应为“{expected}”，请核对（早期试点代码可确认后保存）。"
MSG_APP_FORM = "{label}“{value}”格式不对，应为 12 位数字加校验位（如 201710601862.3）或 8 位数字加校验位。"
MSG_APP_CHECK = "{label}“{value}”的校验位应为“{expected}”，请核对号码。"
MSG_APP_TYPE = "{label}“{value}”的类型位表示{expected}，与专利类型“{actual}”不一致。"
MSG_APP_TYPE_DIGIT = "{label}“{value}”的第 {pos} 位（专利类型位）“{digit}”无效。"
MSG_CERT_FORM = "{label}“{value}”不是常见格式（GR 或 GF + 年份 4 位 + 省份 2 位 + 6 位序号），请核对。"
MSG_DATE_ORDER = "{later}不能早于{earlier}。"
MSG_TEXT_LONG = "{label}太长（最多 {n} 个字）。"
MSG_CONTROL_CHARS = "{label}含有看不见的控制字符（如响铃符、退格符），请删除后再保存。"
MSG_MONEY_LARGE = "{label}“{value}”超出合理范围（最多 {n} 万元）。"

CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = [pow(3, i, 31) for i in range(17)]
PATENT_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9)
PATENT_TYPE_BY_DIGIT = {"1": "发明", "8": "发明", "2": "实用新型", "9": "实用新型", "3": "外观设计"}
MIN_YEAR, MAX_YEAR = 1949, 2100
# 2千万万元 = 2千亿元: more than any county project or award is worth, and within what a server keeps (the
# amount as integer hundredths in a 32-bit column: at most 21,474,836.47 万元).
MAX_MONEY = Decimal("20000000")
# Control characters (Unicode Cc); a memo keeps its tabs and line breaks.
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_MEMO_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Problem:
    """One failed check: which field, how bad, and the sentence for the clerk."""

    field: str
    severity: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def printable(text: str) -> str:
    """`text` without control characters, to quote in a sentence: an ESC sequence would steer the terminal."""
    return _CONTROL_RE.sub("", text)


class Invalid(ValueError):
    """A value that cannot be parsed or fails an error-severity check."""

    def __init__(self, message: str, severity: str = ERROR):
        message = printable(message)
        super().__init__(message)
        self.message = message
        self.severity = severity


_LONE_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def check_storable(value: object, label: str) -> None:
    """Raise Invalid for text holding half of a UTF-16 pair (a lone surrogate), which no file can store."""
    if isinstance(value, str) and _LONE_SURROGATE_RE.search(value):
        raise Invalid(MSG_TEXT_BROKEN.format(label=label))


def normalize_text(value: object) -> str:
    """Full-width to half-width (NFKC) and outer spaces removed; None -> ""."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


def check_length(text: str, label: str, limit: int) -> None:
    """Raises Invalid when `text` has more than `limit` characters (cheap: run it before other work)."""
    if len(text) > limit:
        raise Invalid(MSG_TEXT_LONG.format(label=label, n=limit))


def check_control_chars(text: str, label: str, *, multiline: bool = False) -> None:
    """Raises Invalid when `text` holds a control character (tab and line breaks allowed when multiline)."""
    pattern = _CONTROL_IN_MEMO_RE if multiline else _CONTROL_RE
    if pattern.search(text):
        raise Invalid(MSG_CONTROL_CHARS.format(label=label))


# --- 统一社会信用代码 (GB 32100-2015) ------------------------------------------------------


def credit_check_char(first17: str) -> str:
    """The 18th character of a credit code whose first 17 characters are given."""
    total = sum(CREDIT_CHARSET.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARSET[(31 - total % 31) % 31]


def check_credit_code(value: str, label: str = "统一社会信用代码") -> str:
    """Normalised code; raises Invalid (error for form, warning for a failing check character)."""
    code = normalize_text(value).upper().replace(" ", "")
    if len(code) != 18:
        raise Invalid(MSG_CREDIT_LENGTH.format(label=label, value=code, n=len(code)))
    bad = [c for c in code if c not in CREDIT_CHARSET]
    if bad:
        raise Invalid(MSG_CREDIT_CHARS.format(label=label, value=code, bad=bad[0]))
    expected = credit_check_char(code[:17])
    if code[17] != expected:
        raise Invalid(MSG_CREDIT_CHECK.format(label=label, value=code, expected=expected), WARNING)
    return code


# --- 专利申请号 ----------------------------------------------------------------------------

_APP_RE = re.compile(r"^(?:ZL|CN)?(\d{8}|\d{12})\.?([0-9X])$")


def patent_check_char(digits: str) -> str:
    """The check character (0-9 or X) of an application number's digits."""
    total = sum(map(operator.mul, map(int, digits), itertools.cycle(PATENT_WEIGHTS)))
    rest = total % 11
    return "X" if rest == 10 else str(rest)


def patent_type_of(app_no: str) -> str | None:
    """专利类型 from a normalised application number's type digit, or None."""
    digits = app_no.split(".")[0]
    digit = digits[4] if len(digits) == 12 else digits[2]
    return PATENT_TYPE_BY_DIGIT.get(digit)


def check_app_no(value: str, label: str = "申请号") -> str:
    """Normalised application number (`ZL` prefix dropped, dot added); raises Invalid."""
    text = normalize_text(value).upper().replace(" ", "")
    match = _APP_RE.match(text)
    if not match:
        raise Invalid(MSG_APP_FORM.format(label=label, value=text))
    digits, check = match.groups()
    normal = f"{digits}.{check}"
    expected = patent_check_char(digits)
    if check != expected:
        raise Invalid(MSG_APP_CHECK.format(label=label, value=normal, expected=expected))
    if patent_type_of(normal) is None:
        pos = 5 if len(digits) == 12 else 3
        digit = digits[pos - 1]
        raise Invalid(MSG_APP_TYPE_DIGIT.format(label=label, value=normal, pos=pos, digit=digit))
    return normal


def make_app_no(year: int, type_digit: int, serial: int) -> str:
    """A valid post-2003 application number (used by demo data and tests)."""
    digits = f"{year:04d}{type_digit}{serial:07d}"
    return f"{digits}.{patent_check_char(digits)}"


def make_credit_code(body17: str) -> str:
    """A valid credit code from its first 17 characters."""
    return body17 + credit_check_char(body17)


# --- 高企证书编号 ---------------------------------------------------------------------------

_CERT_RE = re.compile(r"^G[RF]\d{4}\d{2}\d{6}$")


def check_cert_no(value: str, label: str = "证书编号") -> str:
    """Normalised certificate number; an unexpected form is a warning."""
    text = normalize_text(value).upper().replace(" ", "")
    if not _CERT_RE.match(text):
        raise Invalid(MSG_CERT_FORM.format(label=label, value=text), WARNING)
    return text


# --- dates, numbers ------------------------------------------------------------------------

_DATE_RE = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$")
_COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_date(value: object, label: str = "日期") -> dt.date | None:
    """A real calendar date from a date, datetime or text in the usual Chinese forms."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return _date_in_range(value.date(), label)
    if isinstance(value, dt.date):
        return _date_in_range(value, label)
    text = normalize_text(value)
    if not text:
        return None
    match = _DATE_RE.match(text) or _COMPACT_DATE_RE.match(text)
    if not match:
        raise Invalid(MSG_DATE.format(label=label, value=text))
    try:
        day = dt.date(*(int(g) for g in match.groups()))
    except ValueError as exc:
        raise Invalid(MSG_DATE.format(label=label, value=text)) from exc
    return _date_in_range(day, label)


def _date_in_range(day: dt.date, label: str) -> dt.date:
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise Invalid(MSG_DATE_RANGE.format(label=label, value=day.isoformat()))
    return day


def parse_int(value: object, label: str) -> int | None:
    """A non-negative integer from int, whole float or text; None for empty."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise Invalid(MSG_INT.format(label=label, value=value))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = normalize_text(value).replace(",", "")
    if not re.fullmatch(r"-?\d+", text):
        raise Invalid(MSG_INT.format(label=label, value=text))
    number = int(text)
    if number < 0:
        raise Invalid(MSG_INT_NEGATIVE.format(label=label))
    return number


def parse_year(value: object, label: str) -> int | None:
    """A four-digit year between 1949 and 2100 ("2012", "2012年", 2012.0)."""
    if isinstance(value, str):
        value = normalize_text(value).removesuffix("年")
    try:
        year = parse_int(value, label)
    except Invalid as exc:
        raise Invalid(MSG_YEAR.format(label=label, value=normalize_text(value))) from exc
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        raise Invalid(MSG_YEAR.format(label=label, value=year))
    return year


def parse_money(value: object, label: str) -> Decimal | None:
    """An amount in 万元: a number >= 0 with at most 2 decimal places."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise Invalid(MSG_MONEY.format(label=label, value=value))
    if isinstance(value, float):
        value = repr(round(value, 6))
    text = normalize_text(value).replace(",", "").removesuffix("万元")
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise Invalid(MSG_MONEY.format(label=label, value=text)) from exc
    if not amount.is_finite():
        raise Invalid(MSG_MONEY.format(label=label, value=text))
    if amount < 0:
        raise Invalid(MSG_MONEY_NEGATIVE.format(label=label))
    if amount > MAX_MONEY:
        raise Invalid(MSG_MONEY_LARGE.format(label=label, value=text, n=MAX_MONEY))
    if amount != amount.quantize(Decimal("0.01")):
        raise Invalid(MSG_MONEY_PLACES.format(label=label))
    return amount.quantize(Decimal("0.01"))


def check_date_order(earlier: dt.date | None, later: dt.date | None) -> bool:
    """True when both dates are known and `later` comes before `earlier`."""
    return earlier is not None and later is not None and later < earlier
