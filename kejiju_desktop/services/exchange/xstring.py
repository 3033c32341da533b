"""OOXML's escapes of text (ST_Xstring, `_xHHHH_`), read and written the way Excel does."""

from __future__ import annotations

import re

_ESCAPE_RE = re.compile(r"_x([0-9A-Fa-f]{4})_")
# Characters XML 1.0 cannot hold, and \r (XML readers turn it into \n): written as _xHHHH_.
_UNWRITABLE = (*range(0x00, 0x09), 0x0B, 0x0C, 0x0D, *range(0x0E, 0x20), 0xFFFE, 0xFFFF)
ESCAPES = {c: f"_x{c:04X}_" for c in _UNWRITABLE}  # a str.translate table
# An underscore a reader would take for the start of an escape: followed by xHHHH and then "_" or a
# character about to be written as an escape (which starts with "_"). It is written as _x005F_.
_UNWRITABLE_CLASS = "".join(f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}" for c in _UNWRITABLE)
_LOOKS_ESCAPED_RE = re.compile(f"_(?=x[0-9A-Fa-f]{{4}}(?:_|[{_UNWRITABLE_CLASS}]))")


def decode(text: str) -> str:
    """The text Excel shows for what a cell holds: "_x000D_" is "\\r", "_x005F_x0001_" is "_x0001_"."""
    if "_x" not in text:
        return text
    return _ESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)), text)


def escape_underscores(text: str) -> str:
    """`text` with each underscore a reader would take for an escape written as _x005F_.

    Then ESCAPES applied to it gives what `decode` (and Excel, and LibreOffice) read back exactly.
    """
    return _LOOKS_ESCAPED_RE.sub("_x005F_", text)
