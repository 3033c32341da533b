"""The two font schemes of the report: 公文标准 (GB/T 9704) and the fonts every Chinese Windows has."""

from __future__ import annotations

from dataclasses import dataclass

from kejiju_desktop.services.settings import FONT_SCHEMES, FONT_STANDARD, FONT_WINDOWS


@dataclass(frozen=True)
class FontScheme:
    """Which font each part of the document uses."""

    key: str
    label: str
    title: str
    body: str
    heading1: str
    heading2: str
    heading3: str
    page_number: str
    title_bold: bool = False


# Keys and labels are the 字体方案 setting's choices (services/settings.py).
STANDARD = FontScheme(
    FONT_STANDARD, FONT_SCHEMES[FONT_STANDARD], "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312",
    "仿宋_GB2312", "宋体",
)  # fmt: skip
WINDOWS = FontScheme(
    FONT_WINDOWS, FONT_SCHEMES[FONT_WINDOWS], "宋体", "仿宋", "黑体", "楷体", "仿宋", "宋体", True
)
SCHEMES = {s.key: s for s in (STANDARD, WINDOWS)}


def scheme(key: str | None) -> FontScheme:
    """The scheme named `key` (standard when unknown)."""
    return SCHEMES.get(key or "", STANDARD)
