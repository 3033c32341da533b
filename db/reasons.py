"""Why a file operation failed, as a short Chinese phrase: from errno or SQLite's result code, never their English."""

from __future__ import annotations

import errno
import logging
import sqlite3

from db import messages

log = logging.getLogger(__name__)


def reason_of(exc: BaseException) -> str:
    """The Chinese reason for an OSError, an sqlite3 error or SQLAlchemy's wrapper of one (logged in full)."""
    log.info("file operation failed: %r", exc)
    cause = getattr(exc, "orig", None) or exc  # SQLAlchemy keeps the driver's error as .orig
    if isinstance(cause, OSError):
        return messages.OS_REASONS.get(errno.errorcode.get(cause.errno or 0, ""), messages.OTHER_REASON)
    if isinstance(cause, sqlite3.Error):
        code = (getattr(cause, "sqlite_errorcode", 0) or 0) & 0xFF  # the primary code under extended ones
        return messages.SQLITE_REASONS.get(code, messages.OTHER_REASON)
    return messages.OTHER_REASON
