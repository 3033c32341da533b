"""No command writes over the data file it uses, nor over a data file's journal or lock (DESIGN §4)."""

from __future__ import annotations

import os
from pathlib import Path

from db import database
from kejiju_desktop import messages


class OutputRefused(Exception):
    """The output path must not be written; `str()` is the sentence to show. Nothing was written."""


def check_output(target: Path | str, data_path: Path | str | None = None) -> None:
    """Refuse a folder, the data file `data_path` under any spelling or hard link, or any data file's journal or lock."""
    target = Path(target)
    if target.is_dir():
        raise OutputRefused(messages.OUTPUT_IS_FOLDER.format(path=target))
    if data_path is not None and same_file(target, data_path):
        raise OutputRefused(messages.OUTPUT_IS_DATA_FILE.format(path=target, name=Path(data_path).name))
    owner = _companion_of(target, data_path)
    if owner is not None:
        raise OutputRefused(messages.OUTPUT_IS_COMPANION.format(path=target, name=owner.name))


def same_file(a: Path | str, b: Path | str) -> bool:
    """True when two paths name one file: the same path once resolved, or the same device and inode (a hard link)."""
    if os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b)):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist
        return False


def _companion_of(target: Path, data_path: Path | str | None) -> Path | None:
    """The data file whose journal or lock `target` is: the one in use, or any existing one named so."""
    if data_path is not None:
        # The engine names the journal after the resolved path; the lock follows the path as given.
        for data in {Path(data_path), Path(os.path.realpath(data_path))}:
            if any(same_file(target, companion) for companion in database.paths_of(data)[1:]):
                return Path(data_path)
    for named in (target, Path(os.path.realpath(target))):
        owner = database.companion_owner(named)
        if owner is not None and owner.is_file():
            return owner
    return None
