"""Pinyin sort keys, so names sort as clerks expect (阿 before 北 before 中)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _lazy_pinyin():
    from pypinyin import Style, lazy_pinyin

    return lambda text: lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: list(chars))


@lru_cache(maxsize=8192)
def sort_key_for(text: str | None) -> str | None:
    """Lower-case pinyin syllables joined by spaces, then the text itself to break ties."""
    if not text:
        return None
    syllables = _lazy_pinyin()(text)
    return " ".join(s.lower() for s in syllables) + "\x00" + text
