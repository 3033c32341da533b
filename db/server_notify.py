"""Live updates on a server: each record table's statement trigger NOTIFYs its name; a listener hears them."""

from __future__ import annotations

import logging
import select

from sqlalchemy import text
from sqlalchemy.engine import URL, Connection

log = logging.getLogger(__name__)

CHANNEL = "kejiju_changes"
FUNCTION = "notify_change"
TRIGGER_SUFFIX = "notify"


def record_tables() -> list[str]:
    """The tables whose rows clerks edit (db.models.Entity): the ones an open tab may show."""
    from db.models import Base, Entity

    return sorted(
        mapper.class_.__tablename__ for mapper in Base.registry.mappers if issubclass(mapper.class_, Entity)
    )


def install(conn: Connection) -> None:
    """Create (or replace) the function and, on every record table, the trigger that after any INSERT,
    UPDATE or DELETE statement sends NOTIFY kejiju_changes with the table's name: a hint only (payloads
    are capped at 8,000 bytes, and any role may notify), listeners read the rows themselves. One NOTIFY
    per statement, and PostgreSQL folds equal ones of a transaction, so an import sends one per table."""
    conn.exec_driver_sql(
        f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql "
        f"SET search_path = pg_catalog, pg_temp AS $$ BEGIN "
        f"PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME); RETURN NULL; END $$"
    )
    for table in record_tables():
        conn.exec_driver_sql(
            f"CREATE OR REPLACE TRIGGER {table}_{TRIGGER_SUFFIX} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
        )


def installed(conn: Connection) -> bool:
    """True when every record table has its trigger (a server set up by an older program has none)."""
    names = [f"{table}_{TRIGGER_SUFFIX}" for table in record_tables()]
    found = conn.execute(
        text("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgname = ANY(:names)"),
        {"names": names},
    ).scalar()
    return found == len(names)


def change_stamp(store, table: str) -> tuple:
    """What moves whenever a clerk writes a record of `table`: its latest updated_at (the server's clock,
    set by its triggers on every write) and its highest id (a new row), each read off an index. A hint of
    a change that left it where it was is a forged one (or a superuser's write of an older time)."""
    if table not in record_tables():
        raise ValueError(table)
    with store.sessions() as session:
        return tuple(
            session.execute(
                text(f"SELECT (SELECT max(updated_at) FROM {table}), (SELECT max(id) FROM {table})")
            ).one()
        )


class ListenerLost(Exception):
    """The listener's connection is gone (the server restarted, the network dropped)."""


class ChangeListener:
    """Its own autocommit connection LISTENing on CHANNEL. `fileno()` is its socket (readable when a
    notification may have come); `poll()` returns the table names heard since, without waiting."""

    def __init__(self, url: URL):
        import psycopg

        self._tables = frozenset(record_tables())
        self._connection = psycopg.connect(_conninfo(url), autocommit=True)
        self._connection.execute(f"LISTEN {CHANNEL}")

    def fileno(self) -> int:
        return self._connection.fileno()

    def poll(self) -> set[str]:
        """The table names notified so far (empty when none); a lost connection: ListenerLost. Any role
        may notify our channel with any payload: only our record tables' names are kept."""
        import psycopg

        try:
            heard = {notice.payload for notice in self._connection.notifies(timeout=0)}
        except psycopg.Error as exc:
            raise ListenerLost(str(exc)) from exc
        return heard & self._tables

    def wait(self, seconds: float) -> set[str]:
        """Wait up to `seconds` for a notification, then poll (for a background thread or a test)."""
        select.select([self.fileno()], [], [], seconds)
        return self.poll()

    def close(self) -> None:
        """Close its connection (LISTEN ends with it)."""
        self._connection.close()


def _conninfo(url: URL) -> str:
    """libpq's connection string of the store's URL: the same host, account, password and options."""
    import psycopg

    given = {"host": url.host, "port": url.port, "dbname": url.database, "user": url.username,
             "password": url.password, **url.query}  # fmt: skip
    return psycopg.conninfo.make_conninfo(**{key: value for key, value in given.items() if value})
