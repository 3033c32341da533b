"""What a clerk's write may store on a server, enforced by its own triggers: author, time and version of
a record, 永久删除 by 管理员 only; its change-log lines are the server's own (db/server_history.py)."""

from __future__ import annotations

from sqlalchemy.engine import Connection
from sqlalchemy.orm import MappedColumn

from db import messages
from db.models import ENTITY_MODELS, Entity
from db.server import SCHEMA
from db.server_accounts import _literal

# The server's own UTC clock at the moment of the write, not the transaction's start: a writer may wait
# for the write lock after beginning, and its edits must not be stamped before another's it waited for.
CLOCK = "clock_timestamp() AT TIME ZONE 'utc'"
# Superusers are trusted with what they write (they can switch triggers off anyway): `server init`'s
# migrations, a bureau moved in whole with its history, the tests' own store. `is_superuser` is the
# current role's, set by the server; no client can change it.
TRUSTED = "current_setting('is_superuser') = 'on'"
OFFICE_ID = "office_id"  # the settings key of this store's office (db/server.create_schema writes it)
REFUSED = "42501"  # insufficient_privilege: the SQLSTATE of every refusal below, as for a missing grant
# On the functions that name a table: a clerk's own temporary table of that name (pg_temp comes first
# unless placed last) must not be the one looked at.
PIN = f"SET search_path = {SCHEMA}, pg_temp"
NAME_COLUMN = "name"  # what a line of a record pointing at a unit holds of it (fields.UNITS.display_key)
# How far ahead of the server's clock a new record's created_at may be: a clerk's PC a little fast.
BIRTH_SKEW_S = 300


def audit_columns() -> list[str]:
    """The columns db.models.Entity gives every record table: the rest of a record is its content (not
    merely the columns all tables share: every table has a 备注 `note`, which is content)."""
    return sorted(key for key, value in vars(Entity).items() if isinstance(value, MappedColumn))


def content_columns(table: str) -> list[str]:
    """The columns 永久删除 empties: a record's fields and their sort keys."""
    audit = set(audit_columns())
    return [column.name for column in ENTITY_MODELS[table].__table__.c if column.name not in audit]


def _refusal(sentence: str) -> str:
    return f"RAISE EXCEPTION USING ERRCODE = '{REFUSED}', MESSAGE = {_literal(sentence)};"


def filled_count(table: str, row: str) -> str:
    """SQL counting the content columns of `row` (NEW, OLD or a table alias) that hold a value."""
    return f"num_nonnulls({', '.join(f'{row}.{column}' for column in content_columns(table))})"


def is_admin(admin: str) -> str:
    """SQL: whether the login is a member of the 管理员 group `admin` (no such group: false)."""
    group = f"(SELECT oid FROM pg_catalog.pg_roles WHERE rolname = {_literal(admin)})"  # none: NULL
    return f"coalesce(pg_has_role(session_user, {group}, 'MEMBER'), false)"


def _settings_sql(admin: str) -> list[str]:
    """office_id tells other offices' merges which marks are this server's: 管理员's to change only."""
    return [
        "CREATE OR REPLACE FUNCTION settings_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF OLD.key = {_literal(OFFICE_ID)} AND NOT {TRUSTED} AND NOT {is_admin(admin)} THEN "
        f"{_refusal(messages.SERVER_OFFICE_ID_FIXED)} END IF; "
        "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$",
        "CREATE OR REPLACE TRIGGER settings_guard BEFORE UPDATE OR DELETE ON settings "
        "FOR EACH ROW EXECUTE FUNCTION settings_guard()",
    ]


def _guard_sql(table: str, admin: str) -> str:
    """The BEFORE trigger function of one record table: the version always goes up by one (what the ORM's
    `WHERE version = :seen` writes anyway, and a raw UPDATE too); a clerk's row is stamped with their
    login and the server's clock, its uid and created_at never change (the uid ties it to its history,
    merges and tombstone), and emptying a record (永久删除) is refused unless they are 管理员."""
    admin_login = is_admin(admin)
    return (
        f"CREATE OR REPLACE FUNCTION {table}_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP = 'UPDATE' THEN NEW.version := OLD.version + 1; END IF; "
        f"IF {TRUSTED} THEN RETURN NEW; END IF; "
        "IF TG_OP = 'INSERT' THEN NEW.version := 1; "
        "ELSIF NEW.uid IS DISTINCT FROM OLD.uid OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN "
        f"{_refusal(messages.SERVER_IDENTITY_FIXED)} "
        f"ELSIF {filled_count(table, 'OLD')} > 0 AND {filled_count(table, 'NEW')} = 0 AND NOT {admin_login} THEN "
        f"{_refusal(messages.SERVER_PURGE_NOT_ALLOWED)} END IF; "
        f"NEW.updated_by := session_user; NEW.updated_at := {CLOCK}; RETURN NEW; END $$"
    )


def referenced_tables() -> list[str]:
    """The record tables other records point at (units): their names stand in those records' lines."""
    targets = {
        key.column.table.name for model in ENTITY_MODELS.values() for key in model.__table__.foreign_keys
    }
    return sorted(targets & set(ENTITY_MODELS))


def _triggers_sql() -> list[str]:
    guards = [
        f"CREATE OR REPLACE TRIGGER {table}_guard BEFORE INSERT OR UPDATE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_guard()"
        for table in ENTITY_MODELS
    ]
    return guards


def _merge_marks_sql(admin: str) -> list[str]:
    """A merge mark says how much of another office's file is merged here: moved forward, the next merge
    of that file would take its later edits as seen and keep ours over them, silently. No record of a
    merge can prove to the server what the file held, so only 管理员 (or a superuser) writes the marks."""
    return [
        "CREATE OR REPLACE FUNCTION merge_marks_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF NOT {TRUSTED} AND NOT {is_admin(admin)} THEN {_refusal(messages.SERVER_MARKS_ADMIN_ONLY)} END IF; "
        "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$",
        "CREATE OR REPLACE TRIGGER merge_marks_guard BEFORE INSERT OR UPDATE OR DELETE ON merge_marks "
        "FOR EACH ROW EXECUTE FUNCTION merge_marks_guard()",
    ]


def _birth_sql() -> list[str]:
    """A record's created_at on INSERT: the server cannot tell a clerk's new record from another office's
    merged in with its own birth, so any past time stands; one later than the server's clock (past
    BIRTH_SKEW_S), or none, becomes that clock. Once written it never changes (the guard)."""
    ahead = f"{CLOCK} + interval '{BIRTH_SKEW_S} seconds'"
    return [
        "CREATE OR REPLACE FUNCTION record_born() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF NOT {TRUSTED} AND (NEW.created_at IS NULL OR NEW.created_at > {ahead}) THEN "
        f"NEW.created_at := {CLOCK}; END IF; RETURN NEW; END $$",
        *(
            f"CREATE OR REPLACE TRIGGER {table}_born BEFORE INSERT ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION record_born()"
            for table in ENTITY_MODELS
        ),
    ]


def install(conn: Connection) -> None:
    """Create (or replace) the functions and triggers; run on every upgrade of a server (db/migrate.py),
    so a server set up by an older program gains them and a new record column is counted as content."""
    from db import server_history
    from db.server_admin import roles_of

    admin = roles_of(conn.exec_driver_sql("SELECT current_database()").scalar()).admin
    statements = [
        *(_guard_sql(table, admin) for table in ENTITY_MODELS),
        *_triggers_sql(),
        *server_history.install_sql(admin),
        *_settings_sql(admin),
        *_birth_sql(),
        *_merge_marks_sql(admin),
    ]
    for sql in statements:
        conn.exec_driver_sql(sql.replace("%", "%%"))  # the driver reads % as its placeholders
