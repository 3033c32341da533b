"""What a clerk's write may store on a server, enforced by its own triggers: author, time and version of
a record, 永久删除 by 管理员 only, change-log lines only as the program writes them."""

from __future__ import annotations

from sqlalchemy.engine import Connection

from db import messages
from db.models import ENTITY_MODELS
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
# unless placed last) must not be the one looked at. Calls between our functions name the schema; the
# other functions go without, as setting search_path costs each call (10,000 lines: 3 calls a line).
PIN = f"SET search_path = {SCHEMA}, pg_temp"
# The names of the units emptied in this transaction, for the lines of the records that pointed at them
# (changes.blank_history): a temporary table the owner makes and alone writes, emptied at commit, after
# the change log's deferred checks have read it. A clerk's own table of that name is never taken for it.
PURGED_NAMES = "pg_temp.kejiju_purged_names"
NAME_COLUMN = "name"  # what a line of a record pointing at a unit holds of it (fields.UNITS.display_key)
# How far ahead of the server's clock a new record's created_at may be: a clerk's PC a little fast.
BIRTH_SKEW_S = 300


def audit_columns() -> list[str]:
    """The columns every record table has (db.models.Entity): the rest of a record is its content."""
    common = set.intersection(*(set(model.__table__.c.keys()) for model in ENTITY_MODELS.values()))
    return sorted(common)


def content_columns(table: str) -> list[str]:
    """The columns 永久删除 empties: a record's fields and their sort keys."""
    audit = set(audit_columns())
    return [column.name for column in ENTITY_MODELS[table].__table__.c if column.name not in audit]


def _refusal(sentence: str) -> str:
    return f"RAISE EXCEPTION USING ERRCODE = '{REFUSED}', MESSAGE = {_literal(sentence)};"


def _filled(table: str, row: str) -> str:
    """SQL counting the content columns of `row` (NEW, OLD or a table alias) that hold a value."""
    return f"num_nonnulls({', '.join(f'{row}.{column}' for column in content_columns(table))})"


def _is_admin(admin: str) -> str:
    """SQL: whether the login is a member of the 管理员 group `admin` (no such group: false)."""
    group = f"(SELECT oid FROM pg_catalog.pg_roles WHERE rolname = {_literal(admin)})"  # none: NULL
    return f"coalesce(pg_has_role(session_user, {group}, 'MEMBER'), false)"


def _settings_sql(admin: str) -> list[str]:
    """office_id tells other offices' merges which marks are this server's: 管理员's to change only."""
    return [
        "CREATE OR REPLACE FUNCTION settings_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF OLD.key = {_literal(OFFICE_ID)} AND NOT {TRUSTED} AND NOT {_is_admin(admin)} THEN "
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
    is_admin = _is_admin(admin)
    return (
        f"CREATE OR REPLACE FUNCTION {table}_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP = 'UPDATE' THEN NEW.version := OLD.version + 1; END IF; "
        f"IF {TRUSTED} THEN RETURN NEW; END IF; "
        "IF TG_OP = 'INSERT' THEN NEW.version := 1; "
        "ELSIF NEW.uid IS DISTINCT FROM OLD.uid OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN "
        f"{_refusal(messages.SERVER_IDENTITY_FIXED)} "
        f"ELSIF {_filled(table, 'OLD')} > 0 AND {_filled(table, 'NEW')} = 0 AND NOT {is_admin} THEN "
        f"{_refusal(messages.SERVER_PURGE_NOT_ALLOWED)} END IF; "
        f"NEW.updated_by := session_user; NEW.updated_at := {CLOCK}; RETURN NEW; END $$"
    )


def _by_table(query: str) -> str:
    """A plpgsql IF chain running `query` (with {table} in it) on the record table named `t` (static SQL
    per table: planned once per session, unlike EXECUTE's), `answer` left NULL for any other name."""
    branches = [
        f"t = {_literal(table)} THEN {query.format(table=table, filled=_filled(table, table))}"
        for table in ENTITY_MODELS
    ]
    return f"IF {' ELSIF '.join(branches)} END IF;"


def _helpers_sql() -> list[str]:
    """written_here(xid): whether a row's xmin is this transaction's (or one of its subtransactions'):
    a row another transaction has in progress is invisible, so a visible row whose xmin is in progress is
    ours. record_written_here / record_is_tombstone: the same, and 永久删除's mark, of a record by uid."""
    mine = (
        "CREATE OR REPLACE FUNCTION written_here(x xid) RETURNS boolean LANGUAGE plpgsql "
        "AS $$ DECLARE top bigint := pg_current_xact_id()::text::bigint; "
        "full_id bigint := ((top >> 32) << 32) + x::text::bigint; BEGIN "
        "IF full_id > top THEN full_id := full_id - 4294967296; END IF; "
        "RETURN full_id > 0 AND coalesce(pg_xact_status(full_id::text::xid8) = 'in progress', false); END $$"
    )
    written = _by_table(f"SELECT {SCHEMA}.written_here(xmin) INTO answer FROM {{table}} WHERE uid = u;")
    tombstone = _by_table(
        "SELECT deleted_at IS NOT NULL AND {filled} = 0 INTO answer FROM {table} WHERE uid = u;"
    )
    return [
        mine,
        "CREATE OR REPLACE FUNCTION record_written_here(t text, u text) RETURNS boolean LANGUAGE plpgsql "
        f"{PIN} AS $$ DECLARE answer boolean; BEGIN {written} RETURN coalesce(answer, false); END $$",
        "CREATE OR REPLACE FUNCTION record_is_tombstone(t text, u text) RETURNS boolean LANGUAGE plpgsql "
        f"{PIN} AS $$ DECLARE answer boolean; BEGIN {tombstone} RETURN coalesce(answer, false); END $$",
    ]


def referenced_tables() -> list[str]:
    """The record tables other records point at (units): their names stand in those records' lines."""
    targets = {
        key.column.table.name for model in ENTITY_MODELS.values() for key in model.__table__.foreign_keys
    }
    return sorted(targets & set(ENTITY_MODELS))


def _purged_names_sql(admin: str) -> list[str]:
    """note_purged_name: the AFTER trigger (the owner's) keeping an emptied unit's name in PURGED_NAMES;
    purged_names(): those names, or none when PURGED_NAMES is not that function's owner's (a clerk's)."""
    owner = (
        f"(SELECT proowner FROM pg_catalog.pg_proc WHERE oid = '{SCHEMA}.note_purged_name()'::regprocedure)"
    )
    ours = f"(SELECT relowner FROM pg_catalog.pg_class WHERE oid = t) IS NOT DISTINCT FROM {owner}"
    return [
        "CREATE OR REPLACE FUNCTION note_purged_name() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
        f"{PIN} AS $$ DECLARE t regclass; BEGIN "
        f"CREATE TEMP TABLE IF NOT EXISTS kejiju_purged_names (name text) ON COMMIT DELETE ROWS; "
        f"t := to_regclass('{PURGED_NAMES}'); IF NOT {ours} THEN "
        f"{_refusal(messages.SERVER_HISTORY_FORGED)} END IF; "
        f"IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = {_literal(admin)}) THEN "
        f"EXECUTE format('GRANT SELECT ON {PURGED_NAMES} TO %I', {_literal(admin)}); END IF; "
        f"INSERT INTO {PURGED_NAMES} VALUES (OLD.{NAME_COLUMN}); RETURN NULL; END $$",
        f"CREATE OR REPLACE FUNCTION purged_names() RETURNS text[] LANGUAGE plpgsql {PIN} AS $$ "
        f"DECLARE t regclass := to_regclass('{PURGED_NAMES}'); answer text[]; BEGIN "
        f"IF t IS NULL OR NOT {ours} THEN RETURN '{{}}'; END IF; "
        f"SELECT array_agg(name) INTO answer FROM {PURGED_NAMES}; RETURN coalesce(answer, '{{}}'); END $$",
        "CREATE OR REPLACE FUNCTION names_blanked(old text, new text, names text[]) RETURNS boolean "
        "LANGUAGE plpgsql AS $$ DECLARE o jsonb; n jsonb; k text; v jsonb; BEGIN "
        "IF coalesce(array_length(names, 1), 0) = 0 THEN RETURN false; END IF; "
        "BEGIN n := new::jsonb; o := old::jsonb; EXCEPTION WHEN others THEN RETURN false; END; "
        "IF jsonb_typeof(n) <> 'object' OR jsonb_typeof(o) <> 'object' "
        "OR EXISTS (SELECT 1 FROM jsonb_object_keys(o) key WHERE NOT n ? key) THEN RETURN false; END IF; "
        "FOR k, v IN SELECT * FROM jsonb_each(n) LOOP "
        "IF NOT o ? k OR jsonb_typeof(v) <> 'array' OR jsonb_typeof(o -> k) <> 'array' "
        "OR jsonb_array_length(v) <> jsonb_array_length(o -> k) THEN "
        "IF v IS DISTINCT FROM o -> k THEN RETURN false; END IF; CONTINUE; END IF; "
        "IF EXISTS (SELECT 1 FROM jsonb_array_elements(v) WITH ORDINALITY e(x, i) "
        "WHERE e.x <> o -> k -> (e.i::int - 1) AND NOT (e.x = '\"\"'::jsonb "
        "AND (o -> k -> (e.i::int - 1)) #>> '{}' = ANY(names))) THEN RETURN false; END IF; "
        "END LOOP; RETURN true; END $$",
    ]


def _scrub_sql() -> list[str]:
    """blanked(old, new): `new` keeps nothing `old` did not, only texts emptied ("" or null), keys left
    out, or the 永久删除 mark {"_purged": true} added. scrub_of: the same of two `change_log.changes`."""
    blank = "('\"\"'::jsonb, 'null'::jsonb)"
    return [
        "CREATE OR REPLACE FUNCTION blanked(o jsonb, n jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE "
        f"AS $$ SELECT n = o OR n IN {blank} OR (jsonb_typeof(n) = 'array' "
        "AND jsonb_typeof(o) = 'array' AND jsonb_array_length(n) = jsonb_array_length(o) AND NOT EXISTS "
        "(SELECT 1 FROM jsonb_array_elements(n) WITH ORDINALITY e(v, i) "
        f"WHERE e.v <> o -> (e.i::int - 1) AND e.v NOT IN {blank})) $$",
        "CREATE OR REPLACE FUNCTION scrub_of(old text, new text) RETURNS boolean LANGUAGE plpgsql "
        "AS $$ DECLARE o jsonb; n jsonb; k text; v jsonb; BEGIN "
        "IF new IS NOT DISTINCT FROM old OR new = '' THEN RETURN true; END IF; "
        "BEGIN n := new::jsonb; o := CASE WHEN coalesce(old, '') = '' THEN '{}' ELSE old::jsonb END; "
        "EXCEPTION WHEN others THEN RETURN false; END; "
        "IF jsonb_typeof(n) <> 'object' THEN RETURN false; END IF; "
        "IF jsonb_typeof(o) <> 'object' THEN o := '{}'; END IF; "
        "FOR k, v IN SELECT * FROM jsonb_each(n) LOOP "
        "IF k = '_purged' THEN IF v <> 'true'::jsonb THEN RETURN false; END IF; "
        f"ELSIF NOT (o ? k) OR NOT {SCHEMA}.blanked(o -> k, v) THEN RETURN false; END IF; END LOOP; "
        "RETURN true; END $$",
    ]


def _change_log_sql() -> list[str]:
    """The change log's triggers. A clerk's line is stamped with their login and the server's clock, and
    at commit must name a record this transaction wrote (a line for anything else: the transaction is
    refused). A line's `changes` may only be blanked (管理员 alone holds UPDATE on that column), and only
    in a transaction that emptied its record (永久删除, or a merge of another office's), or only the name
    of a unit it emptied; checked at commit."""
    purged_here = (
        "(record_is_tombstone(NEW.table_name, NEW.uid) AND record_written_here(NEW.table_name, NEW.uid) "
        "OR names_blanked(OLD.changes, NEW.changes, purged_names()))"
    )
    return [
        "CREATE OR REPLACE FUNCTION change_log_stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF NOT {TRUSTED} THEN NEW.operator := session_user; NEW.at := {CLOCK}; END IF; "
        "RETURN NEW; END $$",
        "CREATE OR REPLACE FUNCTION change_log_written() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF NOT {TRUSTED} AND NOT {SCHEMA}.record_written_here(NEW.table_name, NEW.uid) THEN "
        f"{_refusal(messages.SERVER_HISTORY_FORGED)} END IF; RETURN NULL; END $$",
        "CREATE OR REPLACE FUNCTION change_log_scrub() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF NOT {TRUSTED} AND NOT {SCHEMA}.scrub_of(OLD.changes, NEW.changes) THEN "
        f"{_refusal(messages.SERVER_HISTORY_FORGED)} END IF; RETURN NEW; END $$",
        f"CREATE OR REPLACE FUNCTION change_log_scrubbed() RETURNS trigger LANGUAGE plpgsql {PIN} AS $$ "
        f"BEGIN IF NOT {TRUSTED} AND NOT {purged_here} THEN "
        f"{_refusal(messages.SERVER_HISTORY_FORGED)} END IF; RETURN NULL; END $$",
    ]


def _triggers_sql() -> list[str]:
    guards = [
        f"CREATE OR REPLACE TRIGGER {table}_guard BEFORE INSERT OR UPDATE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_guard()"
        for table in ENTITY_MODELS
    ]
    deferred = "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION"
    noted = [
        f"CREATE OR REPLACE TRIGGER {table}_purged AFTER UPDATE ON {table} FOR EACH ROW "
        f"WHEN ({_filled(table, 'OLD')} > 0 AND {_filled(table, 'NEW')} = 0) EXECUTE FUNCTION note_purged_name()"
        for table in referenced_tables()
    ]
    return [
        *guards,
        *noted,
        "CREATE OR REPLACE TRIGGER change_log_stamp BEFORE INSERT ON change_log "
        "FOR EACH ROW EXECUTE FUNCTION change_log_stamp()",
        "CREATE OR REPLACE TRIGGER change_log_scrub BEFORE UPDATE ON change_log "
        "FOR EACH ROW EXECUTE FUNCTION change_log_scrub()",
        # Constraint triggers cannot be replaced: dropped and made again (in the upgrade's transaction).
        "DROP TRIGGER IF EXISTS change_log_written ON change_log",
        f"CREATE CONSTRAINT TRIGGER change_log_written AFTER INSERT ON change_log {deferred} "
        "change_log_written()",
        "DROP TRIGGER IF EXISTS change_log_scrubbed ON change_log",
        f"CREATE CONSTRAINT TRIGGER change_log_scrubbed AFTER UPDATE ON change_log {deferred} "
        "change_log_scrubbed()",
    ]


def _merge_marks_sql(admin: str) -> list[str]:
    """A merge mark says how much of another office's file is merged here: moved forward, the next merge
    of that file would take its later edits as seen and keep ours over them, silently. No record of a
    merge can prove to the server what the file held, so only 管理员 (or a superuser) writes the marks."""
    return [
        "CREATE OR REPLACE FUNCTION merge_marks_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF NOT {TRUSTED} AND NOT {_is_admin(admin)} THEN {_refusal(messages.SERVER_MARKS_ADMIN_ONLY)} END IF; "
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
    from db.server_admin import roles_of

    admin = roles_of(conn.exec_driver_sql("SELECT current_database()").scalar()).admin
    statements = [
        *_helpers_sql(),
        *_scrub_sql(),
        *_purged_names_sql(admin),
        *(_guard_sql(table, admin) for table in ENTITY_MODELS),
        *_change_log_sql(),
        *_triggers_sql(),
        *_settings_sql(admin),
        *_birth_sql(),
        *_merge_marks_sql(admin),
    ]
    for sql in statements:
        conn.exec_driver_sql(sql.replace("%", "%%"))  # the driver reads % as its placeholders
