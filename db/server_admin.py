"""`server init`: the schema, its NOLOGIN owner and the three group roles, with rights the server enforces."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from db import messages, server_accounts, server_search
from db.models import ENTITY_MODELS
from db.server import (
    PUBLIC_MAY_LOCK,
    SCHEMA,
    ServerError,
    ServerRefusedError,
    ServerStore,
    can_upgrade,
    create_schema,
    grant_maintenance,
    is_superuser,
    make_server_engine,
)

# Tables that are not records: what a viewer reads and an editor writes alongside the records.
OTHER_TABLES = ("settings", "report_drafts", "report_sections", "merge_marks")
# The word index: read by all, written by whoever may save only through its functions (a sync), which
# check what they are given (db/server_search.py).
INDEXED_TABLES = ("enterprises", "projects", "patents", "awards", "events")
INDEX_TABLES = tuple(server_search.words_table(t) for t in INDEXED_TABLES)
UTF8 = "UTF8"


@dataclass(frozen=True)
class Roles:
    """The roles of one database (roles are cluster-wide, so each name carries the database's)."""

    owner: str
    admin: str
    editor: str
    viewer: str

    @property
    def groups(self) -> tuple[str, str, str]:
        return (self.admin, self.editor, self.viewer)


def roles_of(database: str) -> Roles:
    """The owner and group roles of `database`: 科技局_所有者, 科技局_管理员, 科技局_录入员, 科技局_查看."""
    return Roles(*(f"{database}_{word}" for word in server_accounts.ROLE_WORDS))


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def check_locale(conn: Connection, name: str) -> None:
    """Refuse a database that cannot hold Chinese text as UTF-8 (then every record and search would be)."""
    encoding, ctype = conn.execute(
        text(
            "SELECT pg_encoding_to_char(encoding), datctype FROM pg_database WHERE datname = current_database()"
        )
    ).one()
    if encoding != UTF8:
        raise ServerError(name, messages.SERVER_BAD_LOCALE.format(name=name, encoding=encoding, ctype=ctype))


def init_server(store: ServerStore) -> Roles:
    """Create the owner and group roles, the schema owned by the owner, the tables (migrations run as the
    owner, under its write lock) and the groups' rights. Run by a superuser; running it again is harmless.
    Run by a member of the owner role on a server whose roles exist, it upgrades what the owner may
    (upgrade_as_owner), its notices saying what it could not."""
    database = store.url.database
    roles = roles_of(database)
    if max(len(role.encode()) for role in (roles.owner, *roles.groups)) > server_accounts.NAME_BYTES:
        raise ServerError(store.display_name, messages.SERVER_NAME_TOO_LONG.format(database=database))
    with store.engine.connect() as conn:
        owners_only = not is_superuser(conn) and can_upgrade(conn, store.url)
    if owners_only:
        store.notices.extend(upgrade_as_owner(store))
        return roles
    with store.engine.begin() as conn:
        check_locale(conn, store.display_name)
        _create_roles(conn, roles)
        conn.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA} AUTHORIZATION {_quoted(roles.owner)}")
        _adopt_schema(conn, roles.owner)
        conn.exec_driver_sql(f"REVOKE ALL ON SCHEMA {SCHEMA} FROM PUBLIC")
        _keep_locks_from_viewers(conn, roles)
    upgrade_as_owner(store)
    return roles


def upgrade_as_owner(store: ServerStore) -> list[str]:
    """Bring the schema to the head revision as its owner (migrations under its write lock), then the
    groups' rights, the account functions and the install level again: what `server init` does once the
    roles exist, so an account that is a member of the owner role may upgrade without being a superuser.
    All but keeping advisory locks from PUBLIC (only a superuser may: _keep_locks_from_viewers): the
    sentences returned say so when that is still to do."""
    roles = roles_of(store.url.database)
    owner_engine = make_server_engine(store.url)
    event.listen(owner_engine, "connect", _set_role(roles.owner))
    try:
        create_schema(owner_engine, lambda conn: _grant_all(conn, roles))
        with owner_engine.connect() as conn:
            open_locks = conn.execute(text(PUBLIC_MAY_LOCK)).scalar()
    finally:
        owner_engine.dispose()
    return [messages.SERVER_LOCKS_NEED_SUPERUSER.format(name=store.display_name)] if open_locks else []


def _grant_all(conn: Connection, roles: Roles) -> None:
    """The groups' rights, the account functions and the 管理员's maintenance."""
    _grant(conn, roles)
    server_accounts.create_functions(conn, roles.owner, roles.groups)
    grant_maintenance(conn, roles.admin)


def _set_role(role: str):
    def on_connect(dbapi_conn, _record) -> None:
        with dbapi_conn.cursor() as cursor:
            cursor.execute(f"SET ROLE {_quoted(role)}")
        dbapi_conn.commit()

    return on_connect


def _create_roles(conn: Connection, roles: Roles) -> None:
    """The roles, none of which can log in. Only the owner may create roles, which only its account
    functions use (db/server_accounts.py); it holds the groups WITH ADMIN OPTION to grant them (16+)."""
    existing = set(conn.execute(text("SELECT rolname FROM pg_roles")).scalars())
    _refuse_strangers(conn, roles)
    try:
        for role in (roles.owner, *roles.groups):
            if role not in existing:
                conn.exec_driver_sql(f"CREATE ROLE {_quoted(role)} NOLOGIN")
        conn.exec_driver_sql(f"ALTER ROLE {_quoted(roles.owner)} NOLOGIN CREATEROLE")
        for group in roles.groups:
            conn.exec_driver_sql(f"GRANT {_quoted(group)} TO {_quoted(roles.owner)} WITH ADMIN OPTION")
    except DBAPIError as exc:
        raise ServerRefusedError(roles.owner, messages.SERVER_INIT_NOT_ALLOWED) from exc


# What in our schema belongs to a role other than the owner: tables, sequences, views, and functions.
_STRAYS = (
    "SELECT CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' ELSE 'TABLE' END, "
    "format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = :schema AND c.relkind IN ('r', 'p', 'S', 'v') AND c.relowner <> CAST(:owner AS regrole) "
    # a table's own sequence (serial, identity) goes with its table
    "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid "
    "AND d.deptype IN ('a', 'i')) "
    "UNION ALL SELECT 'FUNCTION', p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n "
    "ON n.oid = p.pronamespace WHERE n.nspname = :schema AND p.proowner <> CAST(:owner AS regrole)"
)


def _adopt_schema(conn: Connection, owner: str) -> None:
    """Give the owner role our schema and all in it that another role owns: a database restored without
    its roles (pg_restore --no-owner), or whose schema a superuser made, holds tables the owner's
    migrations cannot alter and SECURITY DEFINER functions that would run with that role's rights."""
    conn.exec_driver_sql(f"ALTER SCHEMA {SCHEMA} OWNER TO {_quoted(owner)}")
    strays = conn.execute(text(_STRAYS), {"schema": SCHEMA, "owner": _quoted(owner)}).all()
    for kind, name in strays:
        conn.exec_driver_sql(f"ALTER {kind} {name} OWNER TO {_quoted(owner)}")


def _keep_locks_from_viewers(conn: Connection, roles: Roles) -> None:
    """Only the owner and the groups that write may take an advisory lock in this database: any role may
    by default, and a 查看 holding the write lock (db/server.WRITE_LOCK) from psql would keep every writer
    out for as long as it stays logged in. A snapshot waits for writers through WAIT_FUNCTION instead."""
    takers = ", ".join(_quoted(role) for role in (roles.owner, roles.admin, roles.editor))
    functions = conn.execute(
        text(
            "SELECT p.oid::regprocedure::text FROM pg_proc p WHERE p.pronamespace = 'pg_catalog'::regnamespace "
            "AND p.proname ~ '^pg_(try_)?advisory_(xact_)?lock' ORDER BY 1"
        )
    ).scalars()
    for function in functions:
        conn.exec_driver_sql(f"REVOKE EXECUTE ON FUNCTION pg_catalog.{function} FROM PUBLIC")
        conn.exec_driver_sql(f"GRANT EXECUTE ON FUNCTION pg_catalog.{function} TO {takers}")


def _refuse_strangers(conn: Connection, roles: Roles) -> None:
    """Refuse to adopt a role of ours that someone else made first: one that can log in or is a member
    of another role (a clerk of another database named like our owner would become it, CREATEROLE and
    all, and could be given a password again by their own 管理员)."""
    ours = [roles.owner, *roles.groups]
    stranger = conn.execute(
        text(
            "SELECT r.rolname FROM pg_roles r WHERE r.rolname = ANY(:ours) AND (r.rolcanlogin OR r.rolsuper "
            "OR EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
            "WHERE m.member = r.oid AND g.rolname <> ALL(:ours))) ORDER BY 1 LIMIT 1"
        ),
        {"ours": ours},
    ).scalar()
    if stranger is not None:
        raise ServerRefusedError(stranger, messages.SERVER_ROLE_TAKEN.format(role=stranger))


def _grant(conn: Connection, roles: Roles) -> None:
    """查看 reads; 录入员 also adds and changes; 管理员 also deletes, but no record: a record leaves only by
    being emptied (永久删除), which keeps its tombstone and its history. The change log is read only:
    its lines are the server's own, written by the records' triggers (db/server_history.py); the rights
    an older server init gave on it are taken back."""
    admin, editor, viewer = (_quoted(r) for r in roles.groups)
    records = ", ".join((*ENTITY_MODELS, *OTHER_TABLES))
    for sql in (
        f"GRANT USAGE ON SCHEMA {SCHEMA} TO {admin}, {editor}, {viewer}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {SCHEMA} TO {admin}, {editor}, {viewer}",
        f"GRANT INSERT, UPDATE ON {records} TO {admin}, {editor}",
        f"GRANT DELETE ON {', '.join(OTHER_TABLES)} TO {admin}",
        f"REVOKE DELETE ON {', '.join(ENTITY_MODELS)} FROM {admin}",  # granted by an older server init
        f"GRANT DELETE ON report_sections TO {editor}",  # a draft's sections are written anew on saving it
        f"REVOKE INSERT, UPDATE, DELETE ON change_log FROM {admin}, {editor}, {viewer}",
        f"REVOKE UPDATE (changes) ON change_log FROM {admin}",
        # granted by an older server init: a clerk could empty the index and the queue, hiding rows
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {', '.join(INDEX_TABLES)}, {server_search.QUEUE} "
        f"FROM {admin}, {editor}, {viewer}",
        f"GRANT EXECUTE ON FUNCTION {', '.join(map(server_search.put_signature, INDEXED_TABLES))} TO {admin}, {editor}",
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {SCHEMA} TO {admin}, {editor}",
        f"REVOKE ALL ON SEQUENCE {SCHEMA}.change_log_id_seq FROM {admin}, {editor}, {viewer}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {SCHEMA} GRANT SELECT ON TABLES TO {admin}, {editor}, {viewer}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {SCHEMA} GRANT USAGE ON SEQUENCES TO {admin}, {editor}",
    ):
        conn.exec_driver_sql(sql)
