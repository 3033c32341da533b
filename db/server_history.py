"""A server writes each record's change-log line itself: a SECURITY DEFINER trigger reads it off the row."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import Date, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from db import messages
from db.models import (
    ENTITY_MODELS,
    LINE_AS_STORED,
    LINE_DELETED_AT,
    LINE_PURGED,
    LINE_THEIR_OPERATOR,
    Money,
    SortKey,
)
from db.server import SCHEMA
from db.server_accounts import _literal
from db.server_triggers import (
    CLOCK,
    NAME_COLUMN,
    PIN,
    audit_columns,
    filled_count,
    is_admin,
    referenced_tables,
)

# How a line shows a column's value (what kejiju_desktop/services/records/changes.field_text does to
# the field of that kind; a test checks the two agree): a unit by its name, a date as 2012-03-05,
# 万元 (kept as hundredths) with 2 decimals, anything else as its text.
TEXT, DATE, MONEY, UNIT = "text", "date", "money", "unit"
# What only the program knows of a line, passed as transaction-local settings the trigger reads. They
# only annotate the line the trigger writes of a row: never a line more, never other values. Any login
# can set them (from psql), so a merge's are heeded from a 管理员 or a superuser only (a merge into a
# server is a 管理员's), the operator and OFF from a superuser only.
ACTION = "kejiju.line_action"  # a merge's action: one of MERGE_ACTIONS
THEIR_OPERATOR = "kejiju.line_their_operator"  # a merge line: who made the change in the other office
AS_STORED = "kejiju.line_as_stored"  # "on": an import's create line, read back from the record
OPERATOR = "kejiju.line_operator"  # a superuser's line: whom it names (a clerk's names their login)
OFF = "kejiju.history_off"  # "on", a superuser's only: no lines (a bureau moved in with its history)
MERGE_ACTIONS = {"INSERT": ("merge-new",), "UPDATE": ("merge-update", "merge-delete")}
NOTES = {"action": ACTION, "their_operator": THEIR_OPERATOR, "as_stored": AS_STORED, "operator": OPERATOR}
PURGED_TEXT = f'{{"{LINE_PURGED}": true}}'  # what 永久删除 leaves of each earlier line of the record
# A superuser's login (db/server_triggers.TRUSTED is the current role's, which in a SECURITY DEFINER
# function is its owner's): trusted with the operator it names, and with writing no lines at all.
TRUSTED_LOGIN = "coalesce((SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = session_user), false)"


def _setting(name: str) -> str:
    return f"coalesce(current_setting('{name}', true), '')"


def line_columns(table: str) -> list[tuple[str, str]]:
    """(column, TEXT/DATE/MONEY/UNIT) of each field a line of `table` keeps, in the table's order."""
    audit = set(audit_columns())
    found = []
    for column in ENTITY_MODELS[table].__table__.c:
        if column.name in audit or isinstance(column.type, SortKey):
            continue
        kinds = [(column.foreign_keys, UNIT), (isinstance(column.type, Date), DATE)]
        kinds.append((isinstance(column.type, Money), MONEY))
        found.append((column.name, next((kind for test, kind in kinds if test), TEXT)))
    return found


def unit_table() -> str:
    """The record table other records point at (units), whose name stands in their lines."""
    (table,) = referenced_tables()
    return table


def _shown(kind: str, value: str) -> str:
    """SQL: a column's value as its line shows it ("" for none)."""
    if kind == UNIT:
        return f"coalesce((SELECT u.{NAME_COLUMN} FROM {unit_table()} u WHERE u.id = {value}), '')"
    if kind == DATE:
        return f"coalesce(to_char({value}, 'YYYY-MM-DD'), '')"
    if kind == MONEY:
        return f"coalesce(({value}::numeric / 100)::numeric(30, 2)::text, '')"
    return f"coalesce({value}::text, '')"


def _pair(key: str, old: str, new: str) -> str:
    # As Python's json writes a line on a file: no spaces ("unit_id":["",""]), which some readers match.
    return f"parts := parts || ('\"{key}\":[' || to_json({old}::text) || ',' || to_json({new}::text) || ']');"


def _created_sql(table: str) -> str:
    """Each filled field of NEW against "" (an import's create line: only that it is as stored)."""
    names = [
        f"IF NEW.{key} IS NOT NULL AND NEW.{key}::text <> '' THEN names := names || '\"{key}\"'::text; END IF;"
        for key, _kind in sorted(line_columns(table))
    ]
    empty = "''"
    parts = [
        f"n := {_shown(kind, f'NEW.{key}')}; IF n <> '' THEN {_pair(key, empty, 'n')} END IF;"
        for key, kind in line_columns(table)
    ]
    as_stored = f"parts := ARRAY['\"{LINE_AS_STORED}\": true'];"
    return (
        f"{' '.join(names)} IF {_setting(AS_STORED)} = 'on' THEN {as_stored} ELSE {' '.join(parts)} END IF;"
    )


def _updated_sql(table: str) -> str:
    """Each field whose value differs between OLD and NEW, with both texts where those differ."""
    names = [
        f"IF OLD.{key} IS DISTINCT FROM NEW.{key} THEN names := names || '\"{key}\"'::text; END IF;"
        for key, _kind in sorted(line_columns(table))
    ]
    parts = [
        f"IF OLD.{key} IS DISTINCT FROM NEW.{key} THEN o := {_shown(kind, f'OLD.{key}')}; "
        f"n := {_shown(kind, f'NEW.{key}')}; IF o <> n THEN {_pair(key, 'o', 'n')} END IF; END IF;"
        for key, kind in line_columns(table)
    ]
    return " ".join(names + parts)


def _state(table: str, row: str) -> str:
    return (
        f"CASE WHEN {row}.deleted_at IS NULL THEN {_literal(messages.STATE_LIVE)} "
        f"WHEN {filled_count(table, row)} = 0 THEN {_literal(messages.STATE_PURGED)} "
        f"ELSE {_literal(messages.STATE_DELETED)} END"
    )


def _action_sql(table: str) -> str:
    """An UPDATE's action as the program names it: 永久删除 (the content emptied: the earlier lines
    blanked first), to the bin, back from it, else an edit; a merge's own name when it gives one (then
    `their_purge`: the other office's 永久删除, whose line keeps only the state and says it was purged)."""
    unit = table == unit_table()
    blank_unit = f"PERFORM {SCHEMA}.blank_unit_name(OLD.{NAME_COLUMN}, OLD.uid); " if unit else ""
    asked = ", ".join(_literal(action) for action in MERGE_ACTIONS["UPDATE"])
    return (
        f"IF {filled_count(table, 'OLD')} > 0 AND {filled_count(table, 'NEW')} = 0 THEN act := 'purge'; "
        f"{blank_unit}UPDATE change_log SET changes = {_literal(PURGED_TEXT)} "
        "WHERE table_name = TG_TABLE_NAME AND uid = NEW.uid; "
        "ELSIF OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL THEN act := 'delete'; "
        "ELSIF OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL THEN act := 'restore'; "
        "ELSE act := 'update'; END IF; "
        f"IF asked IN ({asked}) THEN their_purge := act = 'purge'; act := asked; END IF;"
    )


def _watched(table: str, row: str) -> str:
    """What a file's save compares to decide that a line is due: the fields, the recycle-bin state and
    the confirmed warnings (a sort key rewritten alone is no change of the record)."""
    columns = [key for key, _kind in line_columns(table)] + ["deleted_at", "confirmed_warnings"]
    return f"ROW({', '.join(f'{row}.{column}' for column in columns)})"


def _heeded_sql(admin: str) -> str:
    """Whose notes are heeded: a superuser's all (OFF: no line; the operator it names), a 管理员's a
    merge's, no one else's. The login is looked up only when a note is set: a row is signed by its
    login already (the record guard writes session_user to updated_by unless a superuser writes it)."""
    return (
        f"IF {_setting(OFF)} = 'on' OR {_setting(OPERATOR)} <> '' OR asked <> '' THEN "
        f"IF {TRUSTED_LOGIN} THEN IF {_setting(OFF)} = 'on' THEN RETURN NULL; END IF; "
        f"who := coalesce(nullif({_setting(OPERATOR)}, ''), who); "
        f"ELSIF NOT {is_admin(admin)} THEN asked := ''; END IF; END IF; "
    )


def _trigger_function_sql(table: str, admin: str) -> str:
    """The AFTER row trigger of one record table: the line of the row just written, signed by the login
    (a superuser's: the operator the program names) and the server's clock."""
    merge_new = _literal(MERGE_ACTIONS["INSERT"][0])
    deleted = f'"{LINE_DELETED_AT}"'
    return (
        f"CREATE OR REPLACE FUNCTION {table}_history() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
        f"{PIN} AS $$ DECLARE parts text[] := '{{}}'; names text[] := '{{}}'; o text; n text; act text; "
        f"their_purge boolean := false; asked text := {_setting(ACTION)}; "
        f"who text := coalesce(NEW.updated_by, ''); BEGIN {_heeded_sql(admin)}"
        f"IF TG_OP = 'INSERT' THEN act := CASE WHEN asked = {merge_new} THEN asked ELSE 'create' END; "
        f"{_created_sql(table)} IF act = {merge_new} THEN names := '{{}}'; END IF; "
        f"ELSE IF {_watched(table, 'OLD')} IS NOT DISTINCT FROM {_watched(table, 'NEW')} THEN RETURN NULL; END IF; "
        f"{_action_sql(table)} "
        f"IF act = 'purge' THEN names := '{{}}'; ELSIF NOT their_purge THEN {_updated_sql(table)} END IF; "
        f"IF act LIKE 'merge-%' AND OLD.deleted_at IS DISTINCT FROM NEW.deleted_at THEN "
        f"names := names || '{deleted}'::text; END IF; "
        f"IF act = 'purge' OR their_purge OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at THEN "
        f"{_pair(LINE_DELETED_AT, _state(table, 'OLD'), _state(table, 'NEW'))} END IF; "
        f"IF their_purge THEN parts := parts || '\"{LINE_PURGED}\": true'::text; END IF; END IF; "
        f"IF act LIKE 'merge-%' THEN parts := parts || ('\"{LINE_THEIR_OPERATOR}\":' || "
        f"to_json({_setting(THEIR_OPERATOR)})::text); END IF; "
        "INSERT INTO change_log (table_name, uid, action, at, operator, fields, changes) VALUES "
        f"(TG_TABLE_NAME, NEW.uid, act, {CLOCK}, who, '[' || array_to_string(names, ', ') || ']', "
        "CASE WHEN cardinality(parts) = 0 THEN '' ELSE '{' || array_to_string(parts, ',') || '}' END); "
        "RETURN NULL; END $$"
    )


def _unit_keys() -> dict[str, list[str]]:
    """Per record table pointing at units, the columns that do (a line holds the unit's name there)."""
    found = {table: [key for key, kind in line_columns(table) if kind == UNIT] for table in ENTITY_MODELS}
    return {table: keys for table, keys in found.items() if keys}


def _blanking_sql() -> list[str]:
    """blank_unit_name(name, uid): 永久删除 of a unit takes its name out of what the lines of the records
    pointing at it say of them (changes._blank_unit_name on a file), unless another unit holds that name
    too; blanked_names: one line so blanked, its other keys and their order kept. Neither is SECURITY
    DEFINER: called by a clerk, they may change no line (only the trigger, as the owner, may)."""
    keys = " ".join(
        f"WHEN {_literal(table)} THEN ARRAY[{', '.join(map(_literal, found))}]"
        for table, found in _unit_keys().items()
    )
    tables = ", ".join(map(_literal, _unit_keys()))
    named = "json_typeof(e) = 'string' AND e #>> '{}' = unit_name"
    return [
        "CREATE OR REPLACE FUNCTION blanked_names(changes text, unit_name text, keys text[]) RETURNS text "
        "LANGUAGE plpgsql IMMUTABLE AS $$ DECLARE parts text[] := '{}'; k text; v json; items text[]; "
        "touched boolean := false; BEGIN "
        "BEGIN IF json_typeof(changes::json) <> 'object' THEN RETURN changes; END IF; "
        "EXCEPTION WHEN others THEN RETURN changes; END; "
        "FOR k, v IN SELECT * FROM json_each(changes::json) LOOP "
        "IF k = ANY(keys) AND json_typeof(v) = 'array' "
        f"AND EXISTS (SELECT 1 FROM json_array_elements(v) e WHERE {named}) THEN "
        f"SELECT array_agg(CASE WHEN {named} THEN '\"\"' ELSE e::text END ORDER BY i) INTO items "
        "FROM json_array_elements(v) WITH ORDINALITY a(e, i); "
        "parts := parts || (to_json(k)::text || ':[' || array_to_string(items, ',') || ']'); "
        "touched := true; ELSE parts := parts || (to_json(k)::text || ':' || v::text); END IF; END LOOP; "
        "IF NOT touched THEN RETURN changes; END IF; RETURN '{' || array_to_string(parts, ',') || '}'; END $$",
        f"CREATE OR REPLACE FUNCTION blank_unit_name(unit_name text, unit_uid text) RETURNS void "
        f"LANGUAGE plpgsql {PIN} AS $$ DECLARE line record; kept text; BEGIN "
        f"IF coalesce(unit_name, '') = '' OR EXISTS (SELECT 1 FROM {unit_table()} "
        f"WHERE {NAME_COLUMN} = unit_name AND uid <> unit_uid) THEN RETURN; END IF; "
        f"FOR line IN SELECT id, table_name, changes FROM change_log WHERE table_name IN ({tables}) "
        "AND strpos(changes, to_json(unit_name)::text) > 0 LOOP "
        f"kept := blanked_names(line.changes, unit_name, CASE line.table_name {keys} END); "
        "IF kept IS DISTINCT FROM line.changes THEN "
        "UPDATE change_log SET changes = kept WHERE id = line.id; END IF; END LOOP; END $$",
    ]


# The change log's triggers and functions of older servers, which let a clerk's own lines in.
RETIRED_TRIGGERS = ("change_log_stamp", "change_log_scrub", "change_log_written", "change_log_scrubbed")
RETIRED_FUNCTIONS = (
    "change_log_stamp()",
    "change_log_scrub()",
    "change_log_written()",
    "change_log_scrubbed()",
    "note_purged_name()",
    "purged_names()",
    "names_blanked(text, text, text[])",
    "scrub_of(text, text)",
    "blanked(jsonb, jsonb)",
    "record_written_here(text, text)",
    "record_is_tombstone(text, text)",
    "written_here(xid)",
)


def _retired_sql() -> list[str]:
    return [
        *(f"DROP TRIGGER IF EXISTS {name} ON change_log" for name in RETIRED_TRIGGERS),
        *(f"DROP TRIGGER IF EXISTS {table}_purged ON {table}" for table in referenced_tables()),
        *(f"DROP FUNCTION IF EXISTS {function}" for function in RETIRED_FUNCTIONS),
    ]


def install_sql(admin: str) -> list[str]:
    """The statements making (or replacing) every record table's history trigger and its helpers, and
    dropping what older servers had in their place (db/server_triggers.install runs them; `admin` is
    the 管理员 group, whose merges' notes are heeded). No group may EXECUTE the trigger functions: with
    it, a clerk could put one on a temporary table of a record table's name and write any line, as
    the owner, or blank a record's lines with a forged 永久删除 (a trigger fires without the right)."""
    functions = ["blanked_names(text, text, text[])", "blank_unit_name(text, text)"]
    functions += [f"{table}_history()" for table in ENTITY_MODELS]
    return [
        *_retired_sql(),
        *_blanking_sql(),
        *(_trigger_function_sql(table, admin) for table in ENTITY_MODELS),
        *(f"REVOKE EXECUTE ON FUNCTION {function} FROM PUBLIC" for function in functions),
        *(
            f"CREATE OR REPLACE TRIGGER {table}_history AFTER INSERT OR UPDATE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_history()"
            for table in ENTITY_MODELS
        ),
    ]


@contextmanager
def noted(session: Session, notes: dict[str, str | bool]):
    """db.store.history_notes on a server: the NOTES settings for the block, cleared at its end."""
    _note(session, {NOTES[key]: ("on" if value is True else value or "") for key, value in notes.items()})
    try:
        yield
    finally:
        _note(session, {NOTES[key]: "" for key in notes})


def _note(session: Session, settings: dict[str, str]) -> None:
    calls = [func.set_config(name, value, True) for name, value in settings.items()]
    session.execute(select(*calls))


def history_off(conn: Connection) -> None:
    """A superuser's transaction writes no lines from here on (a bureau moved in with its history)."""
    conn.execute(select(func.set_config(OFF, "on", True)))
