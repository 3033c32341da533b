"""What the window asks of the store it has open: its data file, if it is one (a server has none)."""

from __future__ import annotations

from pathlib import Path

from db.sqlite_store import SQLiteStore


def file_of(store) -> Path | None:
    """The data file of `store`; None for a server database (and for no store)."""
    return store.path if isinstance(store, SQLiteStore) else None
