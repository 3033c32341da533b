"""Clerks' accounts on a server, managed only through SECURITY DEFINER functions owned by the NOLOGIN owner.

管理员 gets no CREATEROLE (on PostgreSQL 15 a CREATEROLE role may grant itself pg_execute_server_program
and run commands on the server): the owner has it, nobody logs in as the owner, and its functions only
ever make login roles in one of the three groups, or change roles that are in one. Names reach SQL
through format('%I'), the password as a SCRAM verifier the client computed (never in clear text).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from db import messages
from db.server import SCHEMA, ServerRefusedError

ADMIN, EDITOR, VIEWER = "admin", "editor", "viewer"
KINDS = (ADMIN, EDITOR, VIEWER)
NOT_OURS = "P0002"  # the SQLSTATE the functions raise for a role that is no account of this database
NAME_TOO_LONG = "42622"  # PostgreSQL's own SQLSTATE for a name past NAME_BYTES, raised by the functions
NAME_BYTES = 63  # what PostgreSQL keeps of a name (NAMEDATALEN - 1): a longer one is silently cut
ROLE_NAME = "P0003"  # theirs for a name ending as a database's own roles do (ROLE_WORDS)
# The ends of the names of a database's owner and groups (server_admin.roles_of). Roles are cluster-wide:
# an account named kj2_所有者 would be the owner of database kj2 once IT set it up.
ROLE_WORDS = ("所有者", "管理员", "录入员", "查看")
FUNCTIONS = ("account_list()", "account_add(text, text, text)", "account_role(text, text)",
             "account_disable(text)", "account_password(text, text)")  # fmt: skip
# What the server's refusal means, by SQLSTATE.
REFUSALS = {
    "42710": messages.ACCOUNT_EXISTS,
    "42501": messages.ACCOUNT_NOT_ALLOWED,
    NOT_OURS: messages.ACCOUNT_UNKNOWN,
    "42939": messages.ACCOUNT_RESERVED,  # pg_… names and public belong to PostgreSQL
    ROLE_NAME: messages.ACCOUNT_ROLE_NAME,
    NAME_TOO_LONG: messages.ACCOUNT_TOO_LONG,
}


@dataclass(frozen=True)
class Account:
    """A clerk's login role: its name, its group (KINDS) and whether it may log in."""

    name: str
    kind: str
    can_login: bool


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def functions_sql(owner: str, groups: tuple[str, str, str]) -> list[str]:
    """The account functions of a database whose owner is `owner` and whose 管理员/录入员/查看 groups are
    `groups`. An account is a member of a group that is neither a superuser nor the owner (which holds
    the groups to grant them): the owner can never be given a password or a login."""
    pin = f"SECURITY DEFINER SET search_path = {SCHEMA}, pg_temp"
    kinds = " ".join(f"WHEN {_literal(k)} THEN {_literal(g)}" for k, g in zip(KINDS, groups, strict=True))
    names = ", ".join(_literal(g) for g in groups)
    members = (
        "FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member "
        f"WHERE g.rolname IN ({names}) AND NOT u.rolsuper AND u.rolname <> {_literal(owner)}"
    )
    ours = (
        f"IF NOT EXISTS (SELECT 1 {members} AND u.rolname = who) THEN "
        f"RAISE EXCEPTION 'not an account' USING ERRCODE = '{NOT_OURS}'; END IF;"
    )
    group = (
        f"grp text := CASE kind {kinds} END; BEGIN IF grp IS NULL THEN "
        f"RAISE EXCEPTION 'no such group' USING ERRCODE = '{NOT_OURS}'; END IF;"
    )
    name_checks = (
        f"IF who ~ {_literal('_(' + '|'.join(ROLE_WORDS) + ')$')} THEN "
        f"RAISE EXCEPTION 'a role name' USING ERRCODE = '{ROLE_NAME}'; END IF; "
        f"IF octet_length(who) > {NAME_BYTES} THEN "
        f"RAISE EXCEPTION 'too long' USING ERRCODE = '{NAME_TOO_LONG}'; END IF;"
    )
    kind_of = f"CASE g.rolname {' '.join(f'WHEN {_literal(g)} THEN {_literal(k)}' for k, g in zip(KINDS, groups, strict=True))} END"
    return [
        f"CREATE OR REPLACE FUNCTION account_list() RETURNS TABLE(account text, kind text, can_login boolean) "
        f"LANGUAGE sql STABLE {pin} AS $$ SELECT u.rolname::text, {kind_of}, u.rolcanlogin {members} "
        "ORDER BY 1 $$",
        f"CREATE OR REPLACE FUNCTION account_add(who text, kind text, verifier text) RETURNS void "
        f"LANGUAGE plpgsql {pin} AS $$ DECLARE {group} {name_checks} "
        "EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE %I', who, verifier, grp); END $$",
        f"CREATE OR REPLACE FUNCTION account_role(who text, kind text) RETURNS void "
        f"LANGUAGE plpgsql {pin} AS $$ DECLARE g text; {group} {ours} "
        f"FOREACH g IN ARRAY ARRAY[{names}] LOOP EXECUTE format('REVOKE %I FROM %I', g, who); END LOOP; "
        "EXECUTE format('GRANT %I TO %I', grp, who); END $$",
        f"CREATE OR REPLACE FUNCTION account_disable(who text) RETURNS void LANGUAGE plpgsql {pin} AS $$ "
        f"BEGIN {ours} EXECUTE format('ALTER ROLE %I NOLOGIN', who); END $$",
        f"CREATE OR REPLACE FUNCTION account_password(who text, verifier text) RETURNS void "
        f"LANGUAGE plpgsql {pin} AS $$ BEGIN {ours} "
        "EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L', who, verifier); END $$",
    ]


def create_functions(conn: Connection, owner: str, groups: tuple[str, str, str]) -> None:
    """Write the account functions (as the owner), callable by the 管理员 group only."""
    for sql in functions_sql(owner, groups):
        conn.exec_driver_sql(sql.replace("%", "%%"))  # the driver reads % as its placeholders; format's stay
    admin = '"' + groups[0].replace('"', '""') + '"'
    for function in FUNCTIONS:
        conn.exec_driver_sql(f"REVOKE EXECUTE ON FUNCTION {function} FROM PUBLIC")
        conn.exec_driver_sql(f"GRANT EXECUTE ON FUNCTION {function} TO {admin}")


def _verifier(session: Session, name: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of `password`, computed here: the server never sees the password."""
    pgconn = session.connection().connection.driver_connection.pgconn
    return pgconn.encrypt_password(password.encode(), name.encode(), b"scram-sha-256").decode()


def _call(session: Session, sql: str, params: dict) -> list:
    try:
        with session.begin_nested():
            return session.execute(text(sql), params).all()
    except DBAPIError as exc:
        refusal = REFUSALS.get(getattr(exc.orig, "sqlstate", None))
        if refusal is None:
            raise
        raise ServerRefusedError(params.get("who", ""), refusal.format(name=params.get("who", ""))) from exc


def _refuse_self(session: Session, name: str, refusal: str) -> None:
    # An administrator stopping or demoting their own login would lock themselves out of managing accounts
    # (the only one, often: then only IT's superuser could undo it). Another 管理员 may do it.
    if session.execute(text("SELECT session_user")).scalar() == name:
        raise ServerRefusedError(name, refusal.format(name=name))


def list_accounts(session: Session) -> list[Account]:
    """Every clerk's account of this database, by name."""
    return [Account(*row) for row in _call(session, "SELECT * FROM account_list()", {})]


def add_account(session: Session, name: str, kind: str, password: str) -> None:
    """A new login role `name` in the group of `kind`."""
    verifier = _verifier(session, name, password)
    _call(
        session,
        "SELECT account_add(:who, :kind, :verifier)",
        {"who": name, "kind": kind, "verifier": verifier},
    )


def set_kind(session: Session, name: str, kind: str) -> None:
    """Move an account to the group of `kind`; refused for the account logged in, unless to 管理员."""
    if kind != ADMIN:
        _refuse_self(session, name, messages.ACCOUNT_SELF_DEMOTE)
    _call(session, "SELECT account_role(:who, :kind)", {"who": name, "kind": kind})


def disable_account(session: Session, name: str) -> None:
    """The account may no longer log in (its name stays in the change log); refused for the one logged in."""
    _refuse_self(session, name, messages.ACCOUNT_SELF_DISABLE)
    _call(session, "SELECT account_disable(:who)", {"who": name})


def set_password(session: Session, name: str, password: str) -> None:
    """A new password (and the account may log in again)."""
    verifier = _verifier(session, name, password)
    _call(session, "SELECT account_password(:who, :verifier)", {"who": name, "verifier": verifier})


def may_manage(session: Session) -> bool:
    """True when the session's account may call the account functions (a 管理员, or a superuser);
    False on a database without them (set up before they existed)."""
    probe = f"SELECT has_function_privilege(to_regprocedure('{SCHEMA}.account_list()'), 'EXECUTE')"
    return bool(session.execute(text(probe)).scalar())
