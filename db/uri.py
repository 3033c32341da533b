"""The one place a path becomes an SQLite `file:` URI (DESIGN §4: a path reaches SQLite as that path)."""

from __future__ import annotations

import re
from pathlib import Path, PurePath, PureWindowsPath
from urllib.parse import quote, urlencode


def file_uri(path: PurePath, **query: str) -> str:
    """The `file:` URI naming exactly `path`, with `query` (e.g. mode="ro") as its parameters.

    A concrete path is made absolute first; a pure one must be absolute already. Everything but
    letters, digits, `-._~` and the separators is percent-encoded (UTF-8), so `%41`, `#`, `?`, spaces
    and Chinese stay part of the name. The authority is always empty, as SQLite requires: Windows
    `C:\\x` becomes `file:///C:/x` and the share `\\\\server\\share\\x` becomes `file:////server/share/x`.
    """
    if isinstance(path, Path):
        path = path.absolute()
    if not path.is_absolute():
        raise ValueError(f"not an absolute path: {path}")
    uri = "file://" + _uri_path(path)
    return f"{uri}?{urlencode(query)}" if query else uri


def _uri_path(path: PurePath) -> str:
    text = path.as_posix()  # a UNC path is "//server/share/x" here
    if isinstance(path, PureWindowsPath) and re.fullmatch(r"[A-Za-z]:", path.drive):
        # The drive letter's colon stays literal, as in SQLite's own example file:///C:/Documents...
        return "/" + path.drive + quote(text[len(path.drive) :], safe="/")
    return quote(text, safe="/")
