"""Test helpers for a store of either engine: the same store opened again, and the demo moved to a server."""

from __future__ import annotations

from db.database import open_data_file
from db.server import open_server


def reopened(store):
    """A new handle on the same store, as the next program has it: a data file opened again, a server
    connected to again (its password from PGPASSWORD, as the fixtures set it)."""
    path = store.capabilities.file_path
    return open_data_file(path) if path is not None else open_server(db_argument(store))


def db_argument(store) -> str:
    """What `--db` says for the store: the data file's path, or the server's URL without a password."""
    path = store.capabilities.file_path
    if path is not None:
        return str(path)
    url = store.url
    return f"postgresql://{url.username}@{url.host}:{url.port}/{url.database}"
