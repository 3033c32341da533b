"""A PostgreSQL server as a store (db/store.py): its --db URL, its engine, opening it, its checks."""

from __future__ import annotations

import contextlib
import getpass
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from db import messages, search
from db.database import DataFileError, FileBusyError
from db.schema import KNOWN_REVISIONS, SCHEMA_HEAD
from db.store import INTEGRITY_AMCHECK, WORD_INDEX_SERVER_BIGRAMS, Capabilities, StoreChecks

log = logging.getLogger(__name__)

SCHEMES = ("postgresql", "postgres")
DRIVER = "postgresql+psycopg"  # plain postgresql:// would make SQLAlchemy look for psycopg2
SCHEMA = "kejiju"  # the schema our tables live in; its owner is the NOLOGIN owner role (server init)
# What every connection asks of libpq: an unreachable server answered within 5 s, a dead peer noticed by
# TCP keepalives, TLS when the server offers it (sslmode=require may be given in the URL), our schema.
CONNECT_OPTIONS = {
    "connect_timeout": "5",
    "keepalives": "1",
    "keepalives_idle": "30",
    "keepalives_interval": "10",
    "keepalives_count": "3",
    "sslmode": "prefer",
    "application_name": "kejiju",
    "client_encoding": "UTF8",  # text comes back as str even from a database that is not UTF-8 (refused)
    "options": f"-c search_path={SCHEMA}",
}
# Held by each writer's transaction (pg_advisory_xact_lock): one writer at a time, as on a file.
WRITE_LOCK = 0x4B4A4A31
LOCK_NOT_AVAILABLE = "55P03"  # SQLSTATE of a lock not granted within lock_timeout
LOCK_WAIT = "5s"  # as a file's busy_timeout: a writer waits this long for another, then is told so
INSUFFICIENT_PRIVILEGE = "42501"  # SQLSTATE of a statement the account has no right to
WRONG_PASSWORD, ACCOUNT_DISABLED, NO_DATABASE = "28P01", "28000", "3D000"  # SQLSTATEs of a refused login
# libpq gives no SQLSTATE for a login the server refused, only the server's message in its own language
# (lc_messages: English on Debian, Chinese from the Windows installer). PostgreSQL's own wording of each,
# in both (zh_CN from its postgres-15.mo); {account} and {database} are filled in before matching.
LOGIN_FAULTS = (
    (WRONG_PASSWORD, ("password authentication failed", "Password 认证失败")),
    (WRONG_PASSWORD, ('role "{account}" does not exist', '角色 "{account}" 不存在')),  # trust or peer
    (ACCOUNT_DISABLED, ("is not permitted to log in", "进行登录")),
    (NO_DATABASE, ('database "{database}" does not exist', '数据库 "{database}" 不存在')),
)
RIGHTS_PROBE = f"{SCHEMA}.settings"  # every group that may change records may change settings too
CORRUPTED = ("XX001", "XX002")  # SQLSTATEs of damaged data and a damaged index (what amcheck raises)
# REINDEX of our tables as the schema's owner, for 修复: REINDEX SCHEMA needs the owner (and no transaction),
# so the owner's SECURITY DEFINER function does it, callable by the 管理员 group alone (db/server_admin.py).
REINDEX_FUNCTION = f"{SCHEMA}.reindex_records()"
# Whether this login may empty a record, as the records' triggers decide it (db/server_triggers.py).
MAY_PURGE = (
    "SELECT current_setting('is_superuser') = 'on' OR coalesce(pg_has_role(session_user, "
    "(SELECT oid FROM pg_catalog.pg_roles WHERE rolname = :admin), 'MEMBER'), false)"
)
# Our tables, and per table whether this account may VACUUM it (PostgreSQL 15: its owner's privileges,
# which a superuser has, or the database owner's).
VACUUMABLE = (
    "SELECT array_agg(quote_ident(n.nspname) || '.' || quote_ident(c.relname) ORDER BY c.relname), "
    "array_agg(pg_has_role(current_user, c.relowner, 'USAGE') OR pg_has_role(current_user, "
    "(SELECT datdba FROM pg_database WHERE datname = current_database()), 'USAGE') ORDER BY c.relname) "
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = :schema "
    "AND c.relkind = 'r'"
)
# Waits until no writer holds WRITE_LOCK, holding it only while it waits: the owner's, callable by every
# group, since a 查看 may not take advisory locks itself (server_admin._keep_locks_from_viewers).
WAIT_FUNCTION = f"{SCHEMA}.wait_for_writer()"
# How much of `server init`'s install (functions, triggers, rights) a server has, kept by the server as
# a function the schema's owner writes last (a clerk may not replace it; a settings row a 录入员 could).
# Raise it whenever `server init` installs something new: a server at the program's revision but a lower
# level (or none: an earlier build set it up) is refused as older, and an upgrade installs the rest.
INSTALL_LEVEL = 2
LEVEL_FUNCTION = f"{SCHEMA}.install_level()"
# Whether PUBLIC may still take advisory locks here (server_admin._keep_locks_from_viewers undoes it,
# which only a superuser can: the functions belong to the bootstrap superuser).
PUBLIC_MAY_LOCK = "SELECT has_function_privilege('public', 'pg_catalog.pg_advisory_lock(bigint)', 'EXECUTE')"


# What the server's own triggers refuse with (SQLSTATE 42501 too): said to the clerk as written.
TRIGGER_SENTENCES = frozenset(
    (
        messages.SERVER_PURGE_NOT_ALLOWED,
        messages.SERVER_IDENTITY_FIXED,
        messages.SERVER_OFFICE_ID_FIXED,
        messages.SERVER_MARKS_ADMIN_ONLY,
        messages.SERVER_SEARCH_FORGED,
    )
)


class ServerError(DataFileError):
    """A server that cannot be used as given; `str()` is a sentence a clerk understands."""


class ServerRefusedError(ServerError):
    """The server refused the account (wrong password, disabled, no rights) or what it asked for (an account
    change, a password written in the URL): the database is fine (exit 1, DESIGN §7's "refused")."""

    exit_code = 1


class RightsMissingError(ServerRefusedError, SQLAlchemyError):
    """A write the server refused for want of rights (SQLSTATE 42501): nothing of it was written. Also an
    SQLAlchemyError, as the ProgrammingError it replaces was: a handler knowing only those still catches it."""


class ServerOlderError(ServerError):
    """Our schema at an older revision or install level than this program's; `can_upgrade` when this
    account may upgrade it (a superuser, or a member of the database's owner role), `needs_superuser`
    when part of what is missing only a superuser may install and this account is none (keeping advisory
    locks from PUBLIC), `url` the --db of `server init` doing it."""

    def __init__(self, name: str, message: str, can_upgrade: bool, needs_superuser: bool = False):
        super().__init__(name, message)
        self.can_upgrade = can_upgrade
        self.needs_superuser = needs_superuser
        self.url = f"{SCHEMES[0]}://{name}"


def is_server_url(text_value: str) -> bool:
    """True when `--db` names a server (postgresql://…) rather than a data file."""
    scheme, separator, _rest = str(text_value).partition("://")
    return bool(separator) and scheme.lower() in SCHEMES


def server_url(given: str, password: str | None = None) -> URL:
    """The engine's URL for `given` (postgresql://user@host:port/dbname): psycopg as its driver, the
    connect options above (a `?sslmode=` in `given` wins), the password from `password` or PGPASSWORD.
    A password written inside `given` is refused: it would stay in shell history and the recent list."""
    try:
        url = make_url(given)
    except ArgumentError as exc:
        raise ServerError(given, messages.SERVER_URL_BAD.format(url=given)) from exc
    if url.password is not None:
        raise ServerRefusedError(display_of(url), messages.SERVER_PASSWORD_IN_URL)
    if url.drivername.lower() not in SCHEMES or not url.host or not url.database:
        raise ServerError(given, messages.SERVER_URL_BAD.format(url=given))
    secret = password if password is not None else os.environ.get("PGPASSWORD")
    query = {**CONNECT_OPTIONS, **url.query}
    return url.set(drivername=DRIVER, password=secret, query=query)


def display_of(url: URL) -> str:
    """What a sentence calls a server database: account@host:port/database, never a password."""
    account = f"{url.username}@" if url.username else ""
    port = f":{url.port}" if url.port else ""
    return f"{account}{url.host}{port}/{url.database}"


def make_server_engine(url: URL) -> Engine:
    """An engine whose pooled connections are tested before use (a restarted server is reconnected)."""
    return create_engine(url, pool_pre_ping=True)


class ServerChecks:
    """PostgreSQL's consistency checks: amcheck's B-tree checks where the extension is installed; the
    server enforces references itself; the word index's tokens (db/server_search.py)."""

    def integrity_problems(self, session: Session) -> list[str]:
        schema = amcheck_schema(session)
        if schema is None:
            log.info(messages.SERVER_NO_AMCHECK)
            return []
        problems = []
        for index in _btree_indexes(session):
            try:
                with session.begin_nested():  # amcheck reports damage as an error: keep the transaction
                    session.execute(
                        text(f"SELECT {schema}.bt_index_check(CAST(:index AS regclass))"), {"index": index}
                    )
            except DBAPIError as exc:
                if getattr(exc.orig, "sqlstate", None) not in CORRUPTED:
                    raise
                problems.append(f"{index}: {str(exc.orig).splitlines()[0]}")
        return problems

    def broken_references(self, session: Session) -> dict[str, int]:
        return {}  # foreign keys are enforced by the server on every statement, with no switch to turn off

    def search_index_problems(self, session: Session) -> dict[str, list[str]]:
        return search.index_problems(session.connection())

    def repair_search_index(self, session: Session) -> list[str]:
        return search.repair_index(session.connection())


SERVER_CHECKS = ServerChecks()


def has_amcheck(session: Session) -> bool:
    """True when the database has the amcheck extension installed (CREATE EXTENSION needs a superuser)
    and this account may run its checks (its functions are not PUBLIC's)."""
    return amcheck_schema(session) is not None


def amcheck_schema(session: Session) -> str | None:
    """The quoted schema amcheck was installed in (our connections search only ours), None when it is
    not installed or this account may not run bt_index_check."""
    schema = session.execute(
        text(
            "SELECT quote_ident(n.nspname) FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'amcheck'"
        )
    ).scalar()
    if schema is None:
        return None
    allowed = session.execute(
        text("SELECT has_function_privilege(CAST(:function AS regprocedure), 'EXECUTE')"),
        {"function": f"{schema}.bt_index_check(regclass)"},
    ).scalar()
    return schema if allowed else None


def _btree_indexes(session: Session) -> list[str]:
    rows = session.execute(
        text(
            "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            "JOIN pg_am a ON a.oid = c.relam WHERE n.nspname = :schema AND a.amname = 'btree' ORDER BY 1"
        ),
        {"schema": SCHEMA},
    )
    return list(rows.scalars())


@dataclass
class ServerStore:
    """An open server database: the Store of db/store.py on PostgreSQL."""

    url: URL
    engine: Engine
    sessions: sessionmaker[Session]
    read_only: bool = False
    notices: list[str] = field(default_factory=list)
    closed: bool = False

    @property
    def display_name(self) -> str:
        """account@host:port/database (no password)."""
        return display_of(self.url)

    @property
    def capabilities(self) -> Capabilities:
        """No file, no backup API; the token index; amcheck when the database has it; 永久删除 and merging
        another office's file in as the triggers allow them (db/server_triggers.py: a 管理员, or a
        superuser, for both)."""
        from db.server_admin import roles_of

        with self.sessions() as session:
            check = INTEGRITY_AMCHECK if has_amcheck(session) else None
            may_purge = session.execute(
                text(MAY_PURGE), {"admin": roles_of(self.url.database).admin}
            ).scalar()
        return Capabilities(
            "postgresql",
            None,
            False,
            WORD_INDEX_SERVER_BIGRAMS,
            check,
            may_purge,
            may_merge=may_purge,
            writes_history=True,
        )

    @property
    def checks(self) -> StoreChecks:
        return SERVER_CHECKS

    @contextlib.contextmanager
    def writer(self) -> Iterator[Session]:
        """The session of one action that writes, holding the database's write lock (a transaction-level
        advisory lock) until it commits or rolls back. Services plan and write in one transaction as on a
        file, where one writer at a time is what makes that plan still true when it is written (two
        imports planning the same new keys at once would both insert them); a plain transaction would
        not keep another writer out between the reads and the writes. Waits LOCK_WAIT at most.
        A statement the account has no right to rolls it all back: RightsMissingError, a sentence."""
        try:
            with self.sessions() as session, session.begin():
                self._take_write_lock(session)
                yield session
        except DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", None) != INSUFFICIENT_PRIVILEGE:
                raise
            refusal = self._refusal(exc)
            log.info("%s refused a write: %s", self.display_name, refusal)  # expected of a role: no traceback
            raise RightsMissingError(self.display_name, refusal) from exc

    def _refusal(self, exc: DBAPIError) -> str:
        """Our own triggers' sentence (db/server_triggers.py) when one refused; else the missing grant's."""
        said = getattr(getattr(exc.orig, "diag", None), "message_primary", None)
        if said in TRIGGER_SENTENCES:
            return said
        return messages.SERVER_RIGHTS_MISSING.format(account=account_of(self.url))

    def _take_write_lock(self, session: Session) -> None:
        """Wait LOCK_WAIT for the write lock; another writer holding it longer: FileBusyError."""
        take_write_lock(session, self.display_name)

    def backup_to(self, target: Path, *, overwrite: bool = False) -> None:
        """A consistent snapshot as a new data file (db/server_transfer.py)."""
        from db.server_transfer import backup_server

        backup_server(self, target, overwrite=overwrite)

    def rebuild_indexes(self) -> None:
        """Rebuild every index of our tables through the owner's function (a 管理员's right, see
        REINDEX_FUNCTION), under the write lock."""
        with self.writer() as session:
            session.execute(text(f"SELECT {REINDEX_FUNCTION}"))

    def compact(self) -> bool:
        """VACUUM (ANALYZE) our tables outside a transaction: space of deleted rows reused, statistics
        refreshed. PostgreSQL vacuums only a table's owner's (or the database owner's, or a superuser's)
        and merely warns for the others, so an account that may not vacuum all of ours (a 管理员: they
        belong to the NOLOGIN owner) vacuums none and is answered False."""
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            tables, allowed = conn.execute(text(VACUUMABLE), {"schema": SCHEMA}).one()
            if not tables or not all(allowed):
                return False
            conn.exec_driver_sql(f"VACUUM (ANALYZE) {', '.join(tables)}")
        return True

    def close(self) -> None:
        """Close every pooled connection. A question still out (the window's runner) gives its connection
        back later: closed on its return (_close_if_store_closed), not kept in a pool nobody disposes."""
        self.closed = True
        self.engine.dispose()


def take_write_lock(executor, name: str, *, keep_timeout: bool = False) -> None:
    """Take the write lock in `executor`'s transaction (a Session or Connection), waiting LOCK_WAIT at most;
    another writer holding it longer: FileBusyError naming `name`. `keep_timeout` leaves LOCK_WAIT on
    every later lock of the transaction (an upgrade's DDL), else it is lifted."""
    executor.execute(text(f"SET LOCAL lock_timeout = '{LOCK_WAIT}'"))
    try:
        executor.execute(text("SELECT pg_advisory_xact_lock(:lock)"), {"lock": WRITE_LOCK})
    except OperationalError as exc:
        if getattr(exc.orig, "sqlstate", None) != LOCK_NOT_AVAILABLE:
            raise
        raise FileBusyError(name, messages.SERVER_BUSY.format(name=name)) from exc
    if not keep_timeout:
        executor.execute(text("SET LOCAL lock_timeout = 0"))


def open_server(given: str, password: str | None = None) -> ServerStore:
    """Open the server database `given` names (its schema must be at this program's head)."""
    url = server_url(given, password)
    engine = make_server_engine(url)
    store = ServerStore(url, engine, sessionmaker(engine, expire_on_commit=False))
    event.listen(engine, "checkin", _close_if_store_closed(store))
    return store


def _close_if_store_closed(store: ServerStore):
    def on_checkin(dbapi_connection, _record) -> None:
        if store.closed and dbapi_connection is not None:
            dbapi_connection.close()

    return on_checkin


def create_schema(engine: Engine, rights: Callable[[Connection], None] | None = None) -> None:
    """Create our schema if missing, bring it to the head revision (db/migrate.py), install the maintenance
    functions and `rights(conn)` (server init's grants), and last the install level: in one transaction,
    so a server stamped at INSTALL_LEVEL holds everything before it."""
    from db.migrate import upgrade_to_head
    from db.models import Setting, new_uid

    with engine.begin() as conn:
        # Asked first: even CREATE SCHEMA IF NOT EXISTS needs the right to create one, which the owner
        # role of `server init` lacks on the database (the schema is made for it).
        known = conn.execute(
            text("SELECT 1 FROM pg_namespace WHERE nspname = :name"), {"name": SCHEMA}
        ).first()
        if known is None:
            conn.exec_driver_sql(f"CREATE SCHEMA {SCHEMA}")
    upgrade_to_head(engine)
    with engine.begin() as conn:
        install_maintenance(conn)
        if rights is not None:
            rights(conn)
        conn.exec_driver_sql(
            f"CREATE OR REPLACE FUNCTION {LEVEL_FUNCTION} RETURNS integer LANGUAGE sql IMMUTABLE "
            f"AS 'SELECT {INSTALL_LEVEL}'"
        )
    with Session(engine) as session, session.begin():
        if session.get(Setting, "office_id") is None:
            session.add(Setting(key="office_id", value=new_uid()))


def install_maintenance(conn) -> None:
    """Create (or replace) REINDEX_FUNCTION, owned by whoever runs it (server init: the owner), EXECUTE
    revoked from PUBLIC (server init grants it to the 管理员 group: grant_maintenance); and WAIT_FUNCTION
    (PUBLIC's: only the groups may use our schema)."""
    conn.exec_driver_sql(
        f"CREATE OR REPLACE FUNCTION {REINDEX_FUNCTION} RETURNS void LANGUAGE plpgsql SECURITY DEFINER "
        f"SET search_path = {SCHEMA}, pg_temp AS $$ DECLARE t text; BEGIN FOR t IN SELECT tablename "
        f"FROM pg_tables WHERE schemaname = '{SCHEMA}' ORDER BY 1 LOOP "
        f"EXECUTE format('REINDEX TABLE {SCHEMA}.%%I', t); END LOOP; END $$"  # %% : the driver's placeholders
    )
    conn.exec_driver_sql(f"REVOKE EXECUTE ON FUNCTION {REINDEX_FUNCTION} FROM PUBLIC")
    conn.exec_driver_sql(
        f"CREATE OR REPLACE FUNCTION {WAIT_FUNCTION} RETURNS void LANGUAGE plpgsql SECURITY DEFINER "
        f"SET search_path = pg_catalog, pg_temp AS $$ BEGIN PERFORM pg_advisory_lock({WRITE_LOCK}); "
        f"PERFORM pg_advisory_unlock({WRITE_LOCK}); END $$"
    )


def grant_maintenance(conn, admin_group: str) -> None:
    """Let the 管理员 group rebuild the indexes (修复)."""
    quoted = '"' + admin_group.replace('"', '""') + '"'
    conn.exec_driver_sql(f"GRANT EXECUTE ON FUNCTION {REINDEX_FUNCTION} TO {quoted}")


def refuse_repair_without_rights(store: ServerStore) -> None:
    """RightsMissingError unless this account may repair (rebuild the indexes: a 管理员 or a superuser),
    said before anything is written."""
    with store.sessions() as session:
        allowed = session.execute(
            text(
                "SELECT CASE WHEN to_regprocedure(:function) IS NULL THEN false "
                "ELSE has_function_privilege(to_regprocedure(:function), 'EXECUTE') END"
            ),
            {"function": REINDEX_FUNCTION},
        ).scalar()
    if not allowed:
        message = messages.SERVER_REPAIR_NOT_ALLOWED.format(account=account_of(store.url))
        raise RightsMissingError(store.display_name, message)


def reachable(store: ServerStore, *, ours: bool = True) -> None:
    """Connect once. A server that cannot be reached, or refuses the account, is a ServerError with its
    sentence (ServerRefusedError for the account's faults). With `ours` (all but `server init`) the
    database must hold our schema at this program's head (else ServerOlderError, newer or not ours), and
    an account that may not change records opens it read-only, with the notice saying so."""
    try:
        with store.engine.connect() as conn:
            revision = _revision(store, conn)
            if revision is not None and revision not in KNOWN_REVISIONS:  # not even `server init` touches it
                raise ServerError(store.display_name, messages.SERVER_NEWER.format(name=store.display_name))
            if ours:
                _check_schema(store, conn, revision)
    except DBAPIError as exc:
        if not _is_login(exc):
            raise
        raise _login_error(store, exc) from exc


def _is_login(exc: DBAPIError) -> bool:
    # A failure to connect carries no SQLSTATE (see LOGIN_FAULTS); one met by a statement does.
    return getattr(exc.orig, "sqlstate", None) in (None, WRONG_PASSWORD, ACCOUNT_DISABLED, NO_DATABASE)


def account_of(url: URL) -> str:
    """The account a connection logs in as: the URL's, else libpq's default (the system user's name)."""
    return url.username or getpass.getuser()


def login_fault(reason: str, url: URL) -> str | None:
    """The SQLSTATE of a refused login, read from the server's message `reason` (LOGIN_FAULTS)."""
    for code, phrases in LOGIN_FAULTS:
        wanted = (p.format(account=account_of(url), database=url.database) for p in phrases)
        if any(phrase in reason for phrase in wanted):
            return code
    return None


def _login_error(store: ServerStore, exc: DBAPIError) -> ServerError:
    log.info("cannot connect to %s", store.display_name, exc_info=True)
    url, name = store.url, store.display_name
    code = getattr(exc.orig, "sqlstate", None) or login_fault(str(exc.orig), url)
    if code == WRONG_PASSWORD:
        return ServerRefusedError(name, messages.SERVER_WRONG_PASSWORD.format(account=account_of(url)))
    if code == ACCOUNT_DISABLED:
        return ServerRefusedError(
            name, messages.SERVER_ACCOUNT_DISABLED.format(account=account_of(url), name=name)
        )
    if code == NO_DATABASE:
        return ServerError(name, messages.SERVER_NO_DATABASE.format(host=url.host, database=url.database))
    return ServerError(name, messages.SERVER_UNREACHABLE.format(name=name))


def _check_schema(store: ServerStore, conn, revision: str | None) -> None:
    """Refuse a database without our schema, or with it at an older revision; note a read-only account."""
    name = store.display_name
    if revision is None:
        raise ServerError(name, messages.SERVER_NOT_OURS.format(name=name))
    if revision != SCHEMA_HEAD or install_level(conn) < INSTALL_LEVEL:
        needs_superuser = not is_superuser(conn) and conn.execute(text(PUBLIC_MAY_LOCK)).scalar()
        older = messages.SERVER_OLDER.format(name=name)
        raise ServerOlderError(name, older, can_upgrade(conn, store.url), needs_superuser)
    may_write = conn.execute(text("SELECT has_table_privilege(:table, 'UPDATE')"), {"table": RIGHTS_PROBE})
    if not may_write.scalar() and not store.read_only:
        store.read_only = True
        store.notices.append(messages.SERVER_VIEWER)


def _revision(store: ServerStore, conn) -> str | None:
    """Our schema's revision (alembic_version), None without one; an account in no group: a sentence."""
    known = conn.execute(
        text(
            "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = :schema AND c.relname = 'alembic_version'"
        ),
        {"schema": SCHEMA},
    ).first()
    if known is None:
        return None
    try:
        return conn.execute(text(f"SELECT version_num FROM {SCHEMA}.alembic_version")).scalar()
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) != INSUFFICIENT_PRIVILEGE:
            raise
        message = messages.SERVER_NO_GROUP.format(account=account_of(store.url), name=store.display_name)
        raise ServerRefusedError(store.display_name, message) from exc


def install_level(conn) -> int:
    """The level of `server init`'s install this server holds (LEVEL_FUNCTION), 0 for none."""
    # Asked in two statements: a call of a missing function fails as it is parsed, whatever guards it.
    known = conn.execute(text("SELECT to_regprocedure(:function)"), {"function": LEVEL_FUNCTION}).scalar()
    level = conn.execute(text(f"SELECT {LEVEL_FUNCTION}")).scalar() if known is not None else 0
    return level or 0


def is_superuser(conn) -> bool:
    """True when this connection's role is a superuser."""
    return conn.execute(text("SELECT current_setting('is_superuser') = 'on'")).scalar()


def can_upgrade(conn, url: URL) -> bool:
    """True when the account may upgrade the schema: a superuser, or a member of its owner role."""
    from db.server_admin import roles_of  # server_admin builds on this module

    owner = roles_of(url.database).owner
    allowed = conn.execute(
        text(
            "SELECT rolsuper OR EXISTS (SELECT 1 FROM pg_roles o WHERE o.rolname = :owner "
            "AND pg_has_role(current_user, o.oid, 'MEMBER')) FROM pg_roles WHERE rolname = current_user"
        ),
        {"owner": owner},
    )
    return bool(allowed.scalar())
