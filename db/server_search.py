"""The word index on a PostgreSQL server: the bigram tokens of db/search.py in a text[] per row, GIN-indexed.

Triggers only note which rows changed (in `search_queue`, as on a file); `sync` computes their tokens in
Python, so the server holds exactly the tokens a file holds, and hands them to the server's own function
of the table, which checks them: no clerk writes the tokens or the queue itself. A search takes the rows whose tokens hold
every bigram of the words, together with every row still queued, and LIKE confirms each: the answer
never depends on whether a sync has run, so an account that may not write the index searches as well.
"""

from __future__ import annotations

from sqlalchemy import Integer, column, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection
from sqlalchemy.sql import bindparam
from sqlalchemy.types import BigInteger, Text

from db import messages

QUEUE = "search_queue"
NOTE_FUNCTION = "search_note"
PAIRS_FUNCTION = "search_pairs"
# The pairs of adjacent characters the server finds for certain in a row's text, both CJK unified ideographs
# or ASCII letters and digits: db/search.tokens's runs (Python's word characters, lowercased) always hold
# them, so the tokens a client hands in must (tests/db/test_server_search_writes.py proves it over text).
CERTAIN_RUN = "[\\u4e00-\\u9fffA-Za-z0-9]{2,}"
REFUSED = "42501"  # insufficient_privilege, as for a missing grant (db/server_triggers.py's refusals too)
TRIGGER_SUFFIXES = ("ai", "au", "ad")
SYNC_LOCK = (
    0x4B4A5351  # "KJSQ": with the table's oid, one client at a time brings a table's tokens up to date
)
BATCH = 5_000
ANALYZE_AT = 1_000  # rows brought up to date by one sync past which the tokens' statistics are refreshed


def words_table(table: str) -> str:
    """Name of the table holding the tokens of each row of `table`."""
    return f"{table}_words"


def put_function(table: str) -> str:
    """Name of the function through which a client writes the tokens of queued rows of `table`."""
    return f"{table}_search_put"


def put_signature(table: str) -> str:
    """The function with its argument types, as GRANT and has_function_privilege name it."""
    return f"{put_function(table)}(bigint[], integer[], text[])"


def _raw_expression(table: str, columns: tuple[str, ...]) -> str:
    # Any non-word character between the fields ends a run as db/search.py's separator does.
    return f"concat_ws(chr(31), {', '.join(f'{table}.{c}' for c in columns)})"


def create_index(conn: Connection, table: str, columns: tuple[str, ...]) -> bool:
    """Create the queue, the token table with its GIN index and the triggers of one table."""
    words = words_table(table)
    schema = conn.execute(text("SELECT current_schema()")).scalar()
    for sql in (
        f"CREATE TABLE IF NOT EXISTS {QUEUE} (seq bigserial PRIMARY KEY, tbl text NOT NULL, row_id integer NOT NULL)",
        f"CREATE INDEX IF NOT EXISTS ix_{QUEUE}_tbl ON {QUEUE} (tbl)",
        f"CREATE TABLE IF NOT EXISTS {words} (id integer PRIMARY KEY, tokens text[] NOT NULL)",
        f"CREATE INDEX IF NOT EXISTS ix_{words}_tokens ON {words} USING gin (tokens)",
        _note_function_sql(schema),
        f"REVOKE EXECUTE ON FUNCTION {NOTE_FUNCTION}() FROM PUBLIC",
        *_trigger_sql(table, columns),
        _pairs_function_sql(),
        _put_function_sql(schema, table, columns),
        f"REVOKE EXECUTE ON FUNCTION {put_signature(table)} FROM PUBLIC",
    ):
        conn.exec_driver_sql(sql)
    return True


def _note_function_sql(schema: str) -> str:
    # SECURITY DEFINER: only this function (owned by the schema's owner) writes the queue, so a clerk's
    # account needs no right on it to save; its search_path is pinned, pg_temp last, so no caller's own
    # table or function of the same name is used in its place.
    return (
        f"CREATE OR REPLACE FUNCTION {NOTE_FUNCTION}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
        f'SET search_path = "{schema}", pg_temp AS $$ BEGIN '
        f"INSERT INTO {QUEUE}(tbl, row_id) VALUES "
        "(TG_TABLE_NAME, CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END); "
        "RETURN NULL; END $$"
    )


def _pairs_function_sql() -> str:
    # Each run of certain characters split into characters, lowercased, each paired with the next (lead():
    # linear in the run's length, where c[i] of a long array would walk it from its start each time).
    pairs = (
        "SELECT u.c || lead(u.c) OVER (PARTITION BY m.r ORDER BY u.n) AS pair "
        f"FROM regexp_matches(raw, '{CERTAIN_RUN}', 'g') WITH ORDINALITY AS m(run, r), "
        "LATERAL unnest(string_to_array(lower(m.run[1]), NULL)) WITH ORDINALITY AS u(c, n)"
    )
    return (
        f"CREATE OR REPLACE FUNCTION {PAIRS_FUNCTION}(raw text) RETURNS text[] LANGUAGE sql IMMUTABLE "
        "PARALLEL SAFE AS $$ SELECT coalesce(array_agg(DISTINCT p.pair) FILTER (WHERE p.pair IS NOT NULL), "
        f"'{{}}') FROM ({pairs}) p $$"
    )


def _put_function_sql(schema: str, table: str, columns: tuple[str, ...]) -> str:
    """`{table}_search_put(seqs, ids, tokens)`: removes the queue lines `seqs` of `table` and writes the
    tokens (space-separated, one string per id) of their rows. SECURITY DEFINER, as no clerk may write the
    index or the queue: it refuses an id that is not one of those lines' rows, a row of those lines still
    there but left out (it would vanish from every search), and tokens leaving out a certain pair of the
    row's text. A row queued again meanwhile (changed since the client read it) is not checked: it stays
    queued, so every search takes it anyway until a later sync. It takes the sync's lock of the table."""
    from db.server_accounts import _literal  # db.server imports db.search, which imports this module

    words, raw = words_table(table), _raw_expression(table, columns)
    refuse = (
        f"RAISE EXCEPTION USING ERRCODE = '{REFUSED}', MESSAGE = {_literal(messages.SERVER_SEARCH_FORGED)};"
    )
    given = "unnest(ids, tokens) AS g(id, toks)"
    tbl = _literal(table)
    # NULL-safe: NOT EXISTS, never `<> ALL`, which a NULL in the array would make unknown, never true.
    not_queued = "EXISTS (SELECT 1 FROM unnest(ids) AS i WHERE NOT EXISTS (SELECT 1 FROM unnest(queued) q WHERE q = i))"
    left_out = (
        f"EXISTS (SELECT 1 FROM {table} WHERE id = ANY(queued) AND NOT EXISTS "
        f"(SELECT 1 FROM unnest(ids) AS i WHERE i = {table}.id))"
    )
    short = (
        f"EXISTS (SELECT 1 FROM {given} JOIN {table} ON {table}.id = g.id "
        f"WHERE NOT coalesce({PAIRS_FUNCTION}({raw}) <@ string_to_array(g.toks, ' '), false) "
        f"AND NOT EXISTS (SELECT 1 FROM {QUEUE} q WHERE q.tbl = {tbl} AND q.row_id = g.id))"
    )
    return (
        f"CREATE OR REPLACE FUNCTION {put_function(table)}(seqs bigint[], ids integer[], tokens text[]) "
        f'RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = "{schema}", pg_temp AS $$ '
        "DECLARE queued integer[]; BEGIN "
        f"IF cardinality(ids) IS DISTINCT FROM cardinality(tokens) THEN {refuse} END IF; "
        # The syncing client's lock (may_sync): a call from psql waits for that client's transaction
        # instead of taking its queue lines from under it, which would fail its sync and its search.
        f"PERFORM pg_advisory_xact_lock({SYNC_LOCK}, CAST(CAST({tbl} AS regclass) AS oid)::integer); "
        f"WITH gone AS (DELETE FROM {QUEUE} WHERE seq = ANY(seqs) AND tbl = {tbl} RETURNING row_id) "
        "SELECT coalesce(array_agg(row_id), '{}') INTO queued FROM gone; "
        f"IF {not_queued} OR {left_out} OR {short} THEN {refuse} END IF; "
        f"DELETE FROM {words} WHERE id = ANY(queued); "
        f"INSERT INTO {words} (id, tokens) SELECT g.id, string_to_array(g.toks, ' ') FROM {given} "
        f"JOIN {table} ON {table}.id = g.id; END $$"
    )


def _trigger_sql(table: str, columns: tuple[str, ...]) -> list[str]:
    events = {"ai": "INSERT", "au": f"UPDATE OF {', '.join(columns)}", "ad": "DELETE"}
    return [
        f"CREATE OR REPLACE TRIGGER {table}_search_{suffix} AFTER {events[suffix]} ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {NOTE_FUNCTION}()"
        for suffix in TRIGGER_SUFFIXES
    ]


WALK_SUFFIX = "_search_walk"
LONG_SUFFIX = "_search_long"
# A B-tree entry holds at most 2,704 bytes: a row whose searched columns are longer (300 rare characters of
# 4 bytes in a title) stays out of the walk index, in a small one of its own, not refused on saving.
WALK_BYTES = 2_400


def walk_index(table: str) -> str:
    """Name of the index of `table` in its first sort order that holds the searched columns."""
    return f"{table}{WALK_SUFFIX}"


def is_walk_index(name: str | None) -> bool:
    """True for a walk index or its long rows' (kept by hand, not compared with the models)."""
    return bool(name) and name.endswith((WALK_SUFFIX, LONG_SUFFIX))


def fits_walk(columns: tuple[str, ...]) -> str:
    """The condition that a row's searched columns fit the walk index: the same text in the index and in a
    query, which is how the planner knows the index holds every row the query asks for."""
    return " + ".join(f"octet_length(coalesce({c}, ''))" for c in columns) + f" <= {WALK_BYTES}"


def install_walks(conn: Connection, walked: dict[str, str], indexed: dict[str, tuple[str, ...]]) -> None:
    """Index each table in its first sort order, id to break ties, holding deleted_at and the searched
    columns: a search's page walks it alone (an index-only scan) and reads the rows of its matches only.
    At 500,000 patents a two-character word's page: 2 ms in the index instead of 20 ms reading rows."""
    for table, order in walked.items():
        kept, fits = ", ".join(("deleted_at", *indexed[table])), fits_walk(indexed[table])
        for sql in (
            f"CREATE INDEX IF NOT EXISTS {walk_index(table)} ON {table} ({order}, id) INCLUDE ({kept}) "
            f"WHERE {fits}",
            f"CREATE INDEX IF NOT EXISTS {table}{LONG_SUFFIX} ON {table} ({order}, id) WHERE NOT ({fits})",
        ):
            conn.exec_driver_sql(sql)


def has_index(conn: Connection, table: str) -> bool:
    """True when the database holds the token table of `table`."""
    return _exists(conn, words_table(table))


def _exists(conn: Connection, name: str) -> bool:
    return conn.execute(text("SELECT to_regclass(:name) IS NOT NULL"), {"name": name}).scalar()


def rebuild(conn: Connection, table: str, columns: tuple[str, ...], tokens) -> None:
    """Compute the tokens of every row of `table` afresh and forget its queued changes."""
    conn.exec_driver_sql(f"DELETE FROM {words_table(table)}")
    conn.execute(text(f"DELETE FROM {QUEUE} WHERE tbl = :tbl"), {"tbl": table})
    result = conn.exec_driver_sql(f"SELECT id, {_raw_expression(table, columns)} FROM {table}")
    while rows := result.fetchmany(BATCH):
        _insert_tokens(conn, table, rows, tokens)
    analyze(conn, table)


def analyze(conn: Connection, table: str) -> None:
    """Refresh the planner's statistics of the tokens of `table`, which `estimate` reads: autovacuum
    would, but only a while after a rebuild or a big import. An account not owning the table is skipped
    by the server with a warning, not an error."""
    conn.exec_driver_sql(f"ANALYZE {words_table(table)}")


def _insert_tokens(conn: Connection, table: str, rows, tokens) -> None:
    if rows:
        conn.execute(
            text(f"INSERT INTO {words_table(table)} (id, tokens) VALUES (:id, :tokens)"),
            [{"id": row[0], "tokens": _tokens_of(row[1], tokens)} for row in rows],
        )


def _tokens_of(raw: str, tokens) -> list[str]:
    return sorted(set(tokens(raw).split()))


def may_sync(conn: Connection, table: str) -> bool:
    """True when this account may write the index of `table` (through its function) and no other client
    is syncing it now (the lock is the transaction's). An account that may not (查看) leaves the work to
    those who may."""
    allowed = conn.execute(
        text("SELECT has_function_privilege(to_regprocedure(:put), 'EXECUTE')"), {"put": put_signature(table)}
    ).scalar()
    return (
        bool(allowed)
        and conn.execute(
            text("SELECT pg_try_advisory_xact_lock(:lock, CAST(CAST(:tbl AS regclass) AS oid)::integer)"),
            {"lock": SYNC_LOCK, "tbl": table},
        ).scalar()
    )


def queued(conn: Connection, table: str) -> bool:
    """Whether changed rows of `table` wait to be indexed (its token table must exist)."""
    return conn.execute(
        text(f"SELECT EXISTS (SELECT 1 FROM {QUEUE} WHERE tbl = :tbl)"), {"tbl": table}
    ).scalar()


def sync(conn: Connection, table: str, columns: tuple[str, ...], tokens) -> bool:
    """Recompute the tokens of the queued rows of `table`; False when another client is at it, or this
    account may not. Only the queue lines read are removed: a change committed meanwhile stays queued."""
    if not has_index(conn, table) or not may_sync(conn, table):
        return False
    done = 0
    while (batch := _sync_batch(conn, table, columns, tokens)) == BATCH:
        done += batch
    if done + batch > ANALYZE_AT:
        analyze(conn, table)
    return True


def _sync_batch(conn: Connection, table: str, columns: tuple[str, ...], tokens) -> int:
    """Index up to BATCH queued lines through the server's function (no clerk writes the index itself);
    returns how many there were."""
    queued = conn.execute(
        text(f"SELECT seq, row_id FROM {QUEUE} WHERE tbl = :tbl ORDER BY seq LIMIT {BATCH}"), {"tbl": table}
    ).all()
    if not queued:
        return 0
    found = conn.execute(
        text(f"SELECT id, {_raw_expression(table, columns)} FROM {table} WHERE id = ANY(:ids)"),
        {"ids": sorted({row.row_id for row in queued})},
    ).all()
    put = text(f"SELECT {put_function(table)}(:seqs, :ids, :tokens)").bindparams(
        bindparam("seqs", type_=ARRAY(BigInteger)),
        bindparam("ids", type_=ARRAY(Integer)),
        bindparam("tokens", type_=ARRAY(Text)),
    )
    conn.execute(
        put,
        {
            "seqs": [row.seq for row in queued],
            "ids": [row[0] for row in found],
            "tokens": [" ".join(_tokens_of(row[1], tokens)) for row in found],
        },
    )
    return len(queued)


def candidate_ids(table: str, pairs: list[str]):
    """The ids whose tokens hold every bigram in `pairs`, and every queued id of `table` (its tokens may
    be stale), as a SELECT to take `IN`."""
    sql = text(
        f"SELECT id FROM {words_table(table)} WHERE tokens @> :pairs "
        f"UNION ALL SELECT row_id FROM {QUEUE} WHERE tbl = :tbl"
    ).bindparams(bindparam("pairs", pairs, type_=ARRAY(Text)), bindparam("tbl", table))
    return sql.columns(column("id", Integer))


def estimate(conn: Connection, table: str, pairs: list[str]) -> float:
    """At most how many rows hold every bigram in `pairs`: the fewest the planner reckons any one of them is
    in, from its statistics of the tokens (their most common elements; ANALYZE after a rebuild keeps them
    true). Asked of all at once it multiplies their shares, as if the bigrams of one word were unrelated:
    传感器 in 16,727 of 500,000 patents was reckoned in 506."""
    sql = text(f"EXPLAIN (FORMAT JSON) SELECT id FROM {words_table(table)} WHERE tokens @> :pairs")
    return min(
        conn.execute(sql.bindparams(bindparam("pairs", [pair], type_=ARRAY(Text)))).scalar()[0]["Plan"][
            "Plan Rows"
        ]
        for pair in pairs
    )


def queue_exists(conn: Connection) -> bool:
    """Whether the queue of changed rows is there (db/search.index_problems asks it on a server)."""
    return _exists(conn, QUEUE)


def missing_triggers(conn: Connection, table: str) -> bool:
    names = [f"{table}_search_{suffix}" for suffix in TRIGGER_SUFFIXES]
    present = conn.execute(
        text(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = CAST(:tbl AS regclass) AND tgname = ANY(:names) "
            "AND tgenabled <> 'D'"
        ),
        {"tbl": table, "names": names},
    ).scalar()
    return present < len(names)


def out_of_step(conn: Connection, table: str) -> bool:
    words = words_table(table)
    queued = f"NOT IN (SELECT row_id FROM {QUEUE} WHERE tbl = :tbl)"
    unindexed = (
        f"SELECT 1 FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM {words} w WHERE w.id = t.id) "
        f"AND t.id {queued} LIMIT 1"
    )
    vanished = (
        f"SELECT 1 FROM {words} w WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE t.id = w.id) "
        f"AND w.id {queued} LIMIT 1"
    )
    return any(conn.execute(text(sql), {"tbl": table}).first() for sql in (unindexed, vanished))
