"""Run Alembic migrations on an engine (imported only when an upgrade is due)."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine
from sqlalchemy.engine import URL, Engine

from db.engine import outside_transaction

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    """An Alembic config pointing at our migrations, with no alembic.ini needed."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def script_revisions() -> list[str]:
    """Revision ids of the migration scripts, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def upgrade_to_head(engine: Engine) -> None:
    """Upgrade with foreign keys off (batch migrations copy tables), then verify references. A server is
    upgraded in one transaction (PostgreSQL's DDL is transactional) holding the write lock."""
    if engine.dialect.name == "postgresql":
        _upgrade_server(engine)
        return
    cfg = alembic_config()
    with engine.connect() as conn:
        outside_transaction(conn, "PRAGMA foreign_keys=OFF")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        conn.commit()
        problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        outside_transaction(conn, "PRAGMA foreign_keys=ON")
    if problems:
        raise RuntimeError(f"foreign_key_check after upgrade: {problems[:5]}")


def _upgrade_server(engine: Engine) -> None:
    # No PRAGMAs, no try-and-continue: a failed statement aborts the whole upgrade, which leaves nothing.
    from db import search, server_notify, server_search, server_triggers
    from db.server import display_of, take_write_lock

    cfg = alembic_config()
    with engine.connect() as conn:
        # Waits LOCK_WAIT for a writer as a save does, then is told (it waited for ever); the timeout stays
        # for the DDL's table locks too: a reader holding one makes it say busy rather than hang.
        take_write_lock(conn, display_of(engine.url), keep_timeout=True)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        server_notify.install(conn)  # live updates: replaced on every upgrade, so an older server gains them
        server_triggers.install(conn)  # the rights its triggers enforce: the same
        search.restore_triggers(conn)  # the word index's triggers and the functions writing it: the same
        server_search.install_walks(conn, search.WALKED, search.INDEXED)  # quick search pages: the same
        conn.commit()


def upgrade_to(engine: Engine, revision: str) -> None:
    """Migrate `engine`'s database to exactly `revision`, nothing around it (an old version's shape)."""
    with engine.connect() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        conn.commit()


def shape_at(revision: str) -> dict[str, list[str]]:
    """The tables and columns of an empty file migrated to exactly `revision` (see db/schema.py)."""
    from db.schema import read_shape

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "shape.kjdb"
        engine = create_engine(URL.create("sqlite", database=str(path)))
        try:
            upgrade_to(engine, revision)
        finally:
            engine.dispose()
        conn = sqlite3.connect(path)
        try:
            return read_shape(conn)
        finally:
            conn.close()
