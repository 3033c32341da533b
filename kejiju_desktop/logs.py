"""The program's log file: a rotating kejiju.log in the user data folder, for the window and the command line."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from logging.handlers import RotatingFileHandler
from pathlib import Path

from kejiju_desktop import paths

LOG_NAME = "kejiju.log"


def _log_path() -> Path:
    return paths.log_dir() / LOG_NAME


def _is_ours(handler: logging.Handler, path: Path) -> bool:
    return getattr(handler, "baseFilename", None) == str(path)


def _add_handler(path: Path) -> logging.Handler:
    handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return handler


def setup_logging() -> Path:
    """Log to the file for the rest of the process (the window); returns its path."""
    path = _log_path()
    if not any(_is_ours(h, path) for h in logging.getLogger().handlers):
        _add_handler(path)
    return path


@contextlib.contextmanager
def logging_to_file() -> Iterator[Path]:
    """Log to the file while one command runs, tracebacks included, never to the terminal.

    The handler is closed afterwards: tests run many commands in one process, each with its own folder.
    """
    path = _log_path()
    root = logging.getLogger()
    if any(_is_ours(h, path) for h in root.handlers):
        yield path
        return
    level = root.level
    handler = _add_handler(path)
    try:
        yield path
    finally:
        root.removeHandler(handler)
        handler.close()
        root.setLevel(level)
