"""Word search index: FTS5 over bigrams of the searchable columns, kept current through a queue."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Boolean, Integer, Select, column, literal, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

from db import server_search
from db.store import MISSING_QUEUE, MISSING_TRIGGERS, OUT_OF_STEP

log = logging.getLogger(__name__)

# The text columns each table's index covers (the searchable fields of the field specs; a test
# checks the two agree). Changing a list needs a migration that rebuilds that table's index.
INDEXED: dict[str, tuple[str, ...]] = {
    "enterprises": ("name", "credit_code", "town"),
    "projects": ("code", "name", "leader"),
    "patents": ("app_no", "title", "applicant", "inventors"),
    "awards": ("title", "winners"),
    "events": ("name", "place", "organizer", "content"),
}
# On a server: the column each table's list is sorted by at first (the field specs' default sort; a test
# checks they agree). An index in that order holding the indexed columns lets a search's page walk it
# alone, the table's rows read only for the page's matches (db/server_search.install_walks).
WALKED: dict[str, str] = {
    "enterprises": "name_sort",
    "projects": "apply_year",
    "patents": "filed_on",
    "awards": "year",
    "events": "start_on",
}
QUEUE = "search_queue"
FIELD_SEPARATOR = "\x1f"
RUN_END = "\ue000"  # closes each run of letters, so one character matches at a run's end too
REBUILD_AT = 20_000  # queued changes past which rebuilding the whole index is quicker
ANALYZE_AT = 1_000  # changes after which the planner's statistics of a table are refreshed
# Up to this share of the rows (or DENSE_MIN rows) the index's matches are looked up and sorted; past it
# a page walks the sort order and probes the matches instead (the rows that do not match are never read).
DENSE_SHARE = 0.02
DENSE_MIN = 2_000
# Past this share LIKE alone answers: a page along the sort order finds its rows within a few, a count
# reads the table once, where gathering and looking up the index's matches would cost more.
SCAN_SHARE = 0.3
# On a server, past this many matches walking the sort order is quicker than looking the matches up: the
# walk reads index entries alone (0.3 µs each), a match looked up costs its rows in two tables (12 µs).
SERVER_DENSE_MIN = 2_000
_NON_WORD = re.compile(r"[\W_]+")

# FTS5 cannot be written from triggers under trusted_schema=OFF (it is not "innocuous"), so the
# triggers only note what changed in a plain table; sync() brings the index up to date from it.


def index_table(table: str) -> str:
    """Name of the FTS5 table indexing `table`."""
    return f"{table}_search"


def vocab_table(table: str) -> str:
    """Name of the fts5vocab table telling in how many rows each token occurs."""
    return f"{table}_search_vocab"


def _raw_expression(row: str, columns: tuple[str, ...]) -> str:
    sep = f"char({ord(FIELD_SEPARATOR)})"
    return f"||{sep}||".join(f"coalesce({row}.{c}, '')" for c in columns)


def _runs(raw: str) -> list[str]:
    return [run for run in _NON_WORD.split(raw.lower()) if run]


def tokens(raw: str) -> str:
    """The bigram tokens of a row's searchable text, as stored in the index."""
    out: list[str] = []
    for run in _runs(raw):
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
        out.append(run[-1] + RUN_END)
    return " ".join(out)


def match_expression(words: str) -> str | None:
    """FTS5 query: every word's runs as bigram phrases (one character: a prefix); None if no word."""
    terms = []
    for run in _runs(words):
        if len(run) == 1:
            terms.append(f'"{run}"*')
        else:
            terms.append('"' + " ".join(run[i : i + 2] for i in range(len(run) - 1)) + '"')
    return " AND ".join(terms) or None


class _Contains(ColumnElement):
    """`column` holds `pattern` (LIKE, `\\` escaping), folding the case of letters as the file's LIKE does:
    LIKE on SQLite, ILIKE on PostgreSQL (whose LIKE tells "ABC" from "abc"), but plain LIKE there for a
    pattern without case (Chinese, digits), which it matches byte by byte, quicker."""

    type = Boolean()
    inherit_cache = True
    _traverse_internals = [
        ("column", InternalTraversal.dp_clauseelement),
        ("pattern", InternalTraversal.dp_clauseelement),
        ("caseless", InternalTraversal.dp_boolean),  # in the cache key: the pattern's value is not
    ]

    def __init__(self, column_element, pattern: str):
        self.column = column_element
        self.pattern = literal(pattern)
        self.caseless = _caseless(pattern)


@compiles(_Contains)
def _like(element: _Contains, compiler, **kw) -> str:
    return (
        f"{compiler.process(element.column, **kw)} LIKE {compiler.process(element.pattern, **kw)} ESCAPE '\\'"
    )


@compiles(_Contains, "postgresql")
def _ilike(element: _Contains, compiler, **kw) -> str:
    operator = "LIKE" if element.caseless else "ILIKE"
    column_sql, pattern_sql = compiler.process(element.column, **kw), compiler.process(element.pattern, **kw)
    return f"{column_sql} {operator} {pattern_sql} ESCAPE '\\'"


def contains(column_element, word: str) -> ColumnElement:
    """The condition that a text column holds `word` as typed (`%`, `_` and `\\` in it are plain letters)."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return _Contains(column_element, f"%{escaped}%")


def covers(words: str) -> bool:
    """True when the index alone decides `words` (no punctuation inside a word, which it skips)."""
    return all(len(_runs(word)) == 1 and _runs(word)[0] == word.lower() for word in words.split())


def _on_server(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def create_index(conn: Connection, table: str, columns: tuple[str, ...]) -> bool:
    """Create the queue, the FTS5 table and the triggers of one table; False without FTS5. On a server:
    its token table (db/server_search.py)."""
    if _on_server(conn):
        return server_search.create_index(conn, table, columns)
    conn.exec_driver_sql(
        f"CREATE TABLE IF NOT EXISTS {QUEUE} (seq INTEGER PRIMARY KEY, tbl TEXT NOT NULL, "
        "row_id INTEGER NOT NULL, old_text TEXT)"
    )
    conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS ix_{QUEUE}_tbl ON {QUEUE}(tbl)")
    try:
        conn.exec_driver_sql(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {index_table(table)} USING fts5(body, content='', "
            "tokenize='unicode61 remove_diacritics 0')"
        )
    except DBAPIError as exc:
        log.warning("no FTS5 index for %s (LIKE search instead): %s", table, exc)
        return False
    conn.exec_driver_sql(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {vocab_table(table)} USING fts5vocab({index_table(table)}, 'row')"
    )
    for sql in _trigger_sql(table, columns):
        conn.exec_driver_sql(sql)
    return True


def _trigger_sql(table: str, columns: tuple[str, ...]) -> list[str]:
    note = f"INSERT INTO {QUEUE}(tbl, row_id, old_text) VALUES ('{table}'"
    old = _raw_expression("old", columns)
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_search_ai AFTER INSERT ON {table} "
        f"BEGIN {note}, new.id, NULL); END",
        f"CREATE TRIGGER IF NOT EXISTS {table}_search_au AFTER UPDATE OF {', '.join(columns)} ON {table} "
        f"BEGIN {note}, old.id, {old}); END",
        f"CREATE TRIGGER IF NOT EXISTS {table}_search_ad AFTER DELETE ON {table} "
        f"BEGIN {note}, old.id, {old}); END",
    ]


@contextmanager
def bulk_insert(conn: Connection, table: str) -> Iterator[None]:
    """Inserting many rows into `table` at once: they are queued for the index in one statement at the
    end rather than by the per-row trigger (halving the insert time of an import). Same transaction."""
    trigger = f"{table}_search_ai"
    exists = (
        conn.dialect.name == "sqlite"
        and conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type='trigger' AND name=?", (trigger,)
        ).first()
    )
    if not exists:
        yield
        return
    before = conn.exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {table}").scalar()
    conn.exec_driver_sql(f"DROP TRIGGER {trigger}")
    try:
        yield
        conn.exec_driver_sql(
            f"INSERT INTO {QUEUE}(tbl, row_id, old_text) SELECT ?, id, NULL FROM {table} WHERE id > ?",
            (table, before),
        )
    finally:
        conn.exec_driver_sql(_trigger_sql(table, INDEXED[table])[0])


TRIGGER_SUFFIXES = ("ai", "au", "ad")  # after insert, update and delete: each queues the change


def index_problems(conn: Connection) -> dict[str, list[str]]:
    """Per indexed table, what keeps its word index from being right: MISSING_TRIGGERS (changes are no
    longer queued), MISSING_QUEUE, or OUT_OF_STEP (rows indexed that are not there, or the reverse,
    beyond the changes queued). Empty when all is well; tables without an index (no FTS5) are skipped."""
    queue_exists, missing_triggers, out_of_step = _index_probes(conn)
    found: dict[str, list[str]] = {}
    queue = queue_exists(conn)
    for table in INDEXED:
        if not has_index(conn, table):
            continue
        problems = [MISSING_TRIGGERS] if missing_triggers(conn, table) else []
        if not queue:
            problems.append(MISSING_QUEUE)
        elif out_of_step(conn, table):
            problems.append(OUT_OF_STEP)
        if problems:
            found[table] = problems
    return found


def _index_probes(conn: Connection):
    """What index_problems asks, per engine: whether the queue exists, triggers are missing, rows out of step."""
    if _on_server(conn):
        return server_search.queue_exists, server_search.missing_triggers, server_search.out_of_step
    return (lambda c: _table_exists(c, QUEUE)), _missing_triggers, _out_of_step


def _table_exists(conn: Connection, name: str) -> bool:
    row = conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,)).first()
    return row is not None


def _missing_triggers(conn: Connection, table: str) -> bool:
    names = {f"{table}_search_{suffix}" for suffix in TRIGGER_SUFFIXES}
    marks = ",".join("?" * len(names))
    sql = f"SELECT count(*) FROM sqlite_master WHERE type='trigger' AND tbl_name=? AND name IN ({marks})"
    return conn.exec_driver_sql(sql, (table, *names)).scalar() < len(names)


def _out_of_step(conn: Connection, table: str) -> bool:
    # The index keeps one docsize row per indexed row: compare ids both ways, leaving queued ones aside.
    # The queue is read once into a set (IN), not searched per row: it may hold every row after an import.
    docsize = f"{index_table(table)}_docsize"
    queued = f"NOT IN (SELECT row_id FROM {QUEUE} WHERE tbl=?)"
    unindexed = (
        f"SELECT 1 FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM {docsize} d WHERE d.id=t.id) "
        f"AND t.id {queued} LIMIT 1"
    )
    vanished = (
        f"SELECT 1 FROM {docsize} d WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE t.id=d.id) "
        f"AND d.id {queued} LIMIT 1"
    )
    return any(conn.exec_driver_sql(sql, (table,)).first() for sql in (unindexed, vanished))


def restore_triggers(conn: Connection) -> None:
    """Write this program's own word-index triggers (as `create_index` does) on every indexed table that has
    an index: after a copy's triggers were all dropped as untrusted code, so `check` does not miss them."""
    for table, columns in INDEXED.items():
        if has_index(conn, table) and _on_server(conn):
            server_search.create_index(conn, table, columns)
        elif has_index(conn, table):
            for sql in _trigger_sql(table, columns):
                conn.exec_driver_sql(sql)


def repair_index(conn: Connection) -> list[str]:
    """Put right what index_problems finds: the queue and the triggers made afresh (as this program
    writes them) and the index rebuilt, per table; returns the tables repaired."""
    broken = list(index_problems(conn))
    for table in broken:
        on_table = f" ON {table}" if _on_server(conn) else ""
        for suffix in TRIGGER_SUFFIXES:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_search_{suffix}{on_table}")
        create_index(conn, table, INDEXED[table])
        rebuild(conn, table)
    return broken


def has_index(conn: Connection, table: str) -> bool:
    """True when the file holds the FTS5 index of `table` (and this SQLite can read it); on a server,
    when the database holds its token table."""
    if _on_server(conn) and table in INDEXED:
        return server_search.has_index(conn, table)
    if conn.dialect.name != "sqlite" or table not in INDEXED:
        return False
    row = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type='table' AND name=?", (index_table(table),)
    ).fetchone()
    return row is not None and "fts5" in (row[0] or "").lower()


def rebuild(conn: Connection, table: str, batch: int = 5000) -> None:
    """Index every row of `table` afresh and forget its queued changes."""
    if _on_server(conn):
        server_search.rebuild(conn, table, INDEXED[table], tokens)
        return
    fts = index_table(table)
    columns = INDEXED[table]
    conn.exec_driver_sql(f"INSERT INTO {fts}({fts}) VALUES ('delete-all')")
    conn.exec_driver_sql(f"DELETE FROM {QUEUE} WHERE tbl=?", (table,))
    result = conn.exec_driver_sql(f"SELECT id, {_raw_expression(table, columns)} FROM {table}")
    while rows := result.fetchmany(batch):
        conn.exec_driver_sql(
            f"INSERT INTO {fts}(rowid, body) VALUES (?, ?)", [(r[0], tokens(r[1])) for r in rows]
        )


def sync(conn: Connection, table: str) -> bool:
    """Apply the queued changes of `table` to its index; False if the index cannot be used now (on a
    server: if another client is applying them, or this account may not; the index is used all the same)."""
    if _on_server(conn):
        return server_search.sync(conn, table, INDEXED[table], tokens)
    if not has_index(conn, table):
        return False
    pending = conn.exec_driver_sql(f"SELECT count(*) FROM {QUEUE} WHERE tbl=?", (table,)).scalar()
    if not pending:
        return True
    try:
        if pending > REBUILD_AT:
            rebuild(conn, table)
        else:
            _apply_queue(conn, table)
        if pending > ANALYZE_AT:
            analyze(conn, table)
    except DBAPIError as exc:  # a read-only file, or another connection writing just now
        log.info("search index of %s not updated: %s", table, exc)
        return False
    return True


def _apply_queue(conn: Connection, table: str) -> None:
    fts = index_table(table)
    rows = conn.exec_driver_sql(
        f"SELECT seq, row_id, old_text FROM {QUEUE} WHERE tbl=? ORDER BY seq", (table,)
    ).fetchall()
    first_old: dict[int, str | None] = {}
    for _seq, row_id, old_text in rows:
        first_old.setdefault(row_id, old_text)  # the index holds the state before the first change
    for row_id, old_text in first_old.items():
        if old_text is not None:
            conn.exec_driver_sql(
                f"INSERT INTO {fts}({fts}, rowid, body) VALUES ('delete', ?, ?)", (row_id, tokens(old_text))
            )
    _index_rows(conn, table, list(first_old))
    conn.exec_driver_sql(f"DELETE FROM {QUEUE} WHERE tbl=? AND seq<=?", (table, rows[-1][0]))


def _index_rows(conn: Connection, table: str, ids: list[int]) -> None:
    expression = _raw_expression(table, INDEXED[table])
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        found = conn.exec_driver_sql(
            f"SELECT id, {expression} FROM {table} WHERE id IN ({marks})", tuple(chunk)
        ).fetchall()
        conn.exec_driver_sql(
            f"INSERT INTO {index_table(table)}(rowid, body) VALUES (?, ?)",
            [(r[0], tokens(r[1])) for r in found],
        )


def _estimate(conn: Connection, table: str, words: str) -> int:
    """An upper bound of the rows matching every word, from the token counts of the index."""
    vocab = vocab_table(table)
    bound = None
    for run in _runs(words):
        if len(run) == 1:
            sql = f"SELECT coalesce(sum(doc), 0) FROM {vocab} WHERE term >= ? AND term < ?"
            found = conn.exec_driver_sql(sql, (run, run + "\U0010ffff")).scalar()
        else:
            pairs = {run[i : i + 2] for i in range(len(run) - 1)}
            marks = ",".join("?" * len(pairs))
            sql = f"SELECT count(*), min(doc) FROM {vocab} WHERE term IN ({marks})"
            known, least = conn.exec_driver_sql(sql, tuple(pairs)).one()
            found = least if known == len(pairs) else 0
        bound = found if bound is None else min(bound, found)
    return bound or 0


def _size(conn: Connection, table: str) -> int:
    return conn.exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {table}").scalar()


def _caseless(words: str) -> bool:
    # LIKE folds the case of ASCII letters only and the index that of every letter: they agree on words
    # without case (Chinese, digits), so for those the index may decide alone however common the word.
    return all(ch.lower() == ch.upper() for ch in words)


@dataclass(frozen=True)
class Candidates:
    """The rows the index finds for the words, as a condition on the id column of the table."""

    clause: ColumnElement
    decides: bool  # the index alone decides (else LIKE confirms each candidate)
    expression: str  # the FTS5 query


def candidates(conn: Connection, table: str, id_column, words: str, counting: bool = False):
    """The index's rows for every word, shaped for reading a page in sort order or for a count; None
    when LIKE alone answers quicker (a word in most rows), the words hold no letters or there is no index."""
    if _on_server(conn):
        return _server_candidates(conn, table, id_column, words)
    expression = match_expression(words)
    if expression is None or not sync(conn, table):
        return None
    found, size = _estimate(conn, table, words), _size(conn, table)
    fts = index_table(table)
    ids = text(f"SELECT rowid FROM {fts} WHERE {fts} MATCH :words").bindparams(words=expression)
    ids = ids.columns(column("rowid", Integer))
    rare = found <= max(DENSE_MIN, size * DENSE_SHARE)
    decides = covers(words) and (rare or _caseless(words))
    if not rare and found > size * SCAN_SHARE:
        return None
    if rare or counting:
        return Candidates(id_column.in_(ids), decides, expression)
    # `id + 0` keeps SQLite from looking the matches up one by one: it walks the sort order instead.
    return Candidates((id_column + 0).in_(ids), decides, expression)


def _server_candidates(conn: Connection, table: str, id_column, words: str) -> Candidates | None:
    """On a server: the rows holding every bigram of the words' runs of two letters or more, and the rows
    queued; LIKE confirms each (a run of one letter is left to LIKE). None when no run has two letters, or
    when the words are in many rows: then a page walking the sort order with LIKE alone finds its rows
    within a few thousand, and a count reading the table once with LIKE is quicker than looking every
    match up in the token table and then in the table (at 500,000 patents, a word in one in thirty:
    a page 40 ms instead of 300, a count 270 ms instead of 500)."""
    pairs = sorted({run[i : i + 2] for run in _runs(words) for i in range(len(run) - 1)})
    if not pairs or not has_index(conn, table):
        return None
    if server_search.queued(conn, table):  # one question when nothing is (a search waits for each)
        sync(conn, table)
    if server_search.estimate(conn, table, pairs) > SERVER_DENSE_MIN:
        return None
    ids = server_search.candidate_ids(table, pairs)
    return Candidates(id_column.in_(ids), False, " ".join(pairs))


def picks_ids_first(conn: Connection) -> bool:
    """True when a search's page is best found as ids first, then its rows read: on a server, whose index
    in the sort order holds the searched columns (WALKED), so the ids come from the index alone."""
    return _on_server(conn)


def page_parts(conn: Connection, table: str, sorted_by: str, ids: Select, end: int) -> list[Select]:
    """The first `end` ids of `ids` (ordered), as SELECTs whose ids together hold them: on a server sorted
    in WALKED order, the rows the walk index holds and the few too long for it, each found in its own."""
    if not (_on_server(conn) and WALKED.get(table) == sorted_by):
        return [ids.limit(end)]
    fits = server_search.fits_walk(INDEXED[table])
    return [ids.where(text(fits)).limit(end), ids.where(text(f"NOT ({fits})")).limit(end)]


def count_live(conn: Connection, table: str, found: Candidates) -> int | None:
    """How many rows outside the recycle bin the index finds, read from the index of deleted_at (a few
    megabytes where the rows are hundreds: half the time at 500,000 patents); None if it cannot decide."""
    if not found.decides:
        return None
    index = f"ix_{table}_deleted_at"
    known = conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type='index' AND name=?", (index,))
    if known.first() is None:
        return None
    fts = index_table(table)
    sql = (
        f"SELECT count(*) FROM {table} INDEXED BY {index} WHERE deleted_at IS NULL "
        f"AND id IN (SELECT rowid FROM {fts} WHERE {fts} MATCH ?)"
    )
    return conn.exec_driver_sql(sql, (found.expression,)).scalar()


def analyze(conn: Connection, table: str) -> None:
    """Refresh the planner's statistics of one table (in full: a sample misjudges deleted_at IS NULL)."""
    conn.exec_driver_sql("PRAGMA analysis_limit=0")
    conn.exec_driver_sql(f"ANALYZE {table}")


def ensure_statistics(conn: Connection, tables=tuple(INDEXED)) -> None:
    """Refresh statistics that are missing or far from the table's size, so sorts pick their index."""
    if conn.dialect.name != "sqlite":
        return
    has_stats = conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name='sqlite_stat1'").fetchone()
    for table in tables:
        size = _size(conn, table)
        if size < ANALYZE_AT:
            continue
        known = 0
        if has_stats:
            row = conn.exec_driver_sql(
                "SELECT stat FROM sqlite_stat1 WHERE tbl=? LIMIT 1", (table,)
            ).fetchone()
            known = int(row[0].split()[0]) if row and row[0] else 0
        if not size / 2 <= known <= size * 2:
            try:
                analyze(conn, table)
            except DBAPIError as exc:  # a read-only file keeps its old statistics
                log.info("statistics of %s not refreshed: %s", table, exc)
                return


def is_index_table(name: str | None) -> bool:
    """True for the tables of the search index (the queue, the FTS5 tables and their shadow tables; a
    server's token tables)."""
    if not name:
        return False
    return (
        name == QUEUE
        or any(name.startswith(index_table(t)) for t in INDEXED)
        or name in {server_search.words_table(t) for t in INDEXED}
    )


def include_name(name: str | None, type_: str, _parent_names) -> bool:
    """Alembic `include_name` hook: the search index is kept by hand, not compared with the models."""
    if type_ == "index" and server_search.is_walk_index(name):
        return False
    return not (type_ == "table" and is_index_table(name))
