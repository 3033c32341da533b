"""Who writes the word index on a server: no clerk's raw SQL may remove or change its rows or its queue
(a row gone from both would be hidden from every clerk's search); a client hands each synced row's tokens
to the server's own function, which takes only queued rows and refuses tokens leaving out a pair the server
itself finds in the row's text."""

from __future__ import annotations

import random

import pytest

from db import search, server_search
from db.server_accounts import ADMIN, EDITOR, VIEWER
from kejiju_desktop import fields
from kejiju_desktop.services import records
from kejiju_desktop.services.records import Query
from tests.db.test_server_rights import _refused, server, stores  # noqa: F401 - fixtures

psycopg = pytest.importorskip("psycopg")
TITLE, APPLICANT = "一种液压缸ABC-12", "个人甲"
PUT = "SELECT patents_search_put(%s::bigint[], %s::integer[], %s::text[])"
SAMPLE_SEED = 15


def _saved(store, title: str = TITLE) -> int:
    raw = {
        "title": title,
        "applicant": APPLICANT,
        "filed_on": "2012-03-05",
        "patent_type": fields.PATENT_TYPES[0],
    }
    with store.writer() as session:
        return records.save_record(session, fields.PATENTS, raw, operator="张三").id


def _found(store, words: str) -> int:
    with store.sessions() as session:
        return records.count(session, fields.PATENTS, Query(search=words))


def _synced(store) -> None:
    with store.sessions.begin() as session:
        assert search.sync(session.connection(), "patents")


@pytest.mark.parametrize("kind", [EDITOR, ADMIN])
def test_no_clerk_removes_or_changes_the_word_index_or_its_queue_by_hand(server, stores, kind):  # noqa: F811
    _saved(stores[EDITOR])
    _synced(stores[EDITOR])
    _saved(stores[EDITOR], "安全阀门")  # still queued
    with server.raw(kind) as conn:
        for sql in (
            "DELETE FROM patents_words",
            "UPDATE patents_words SET tokens = '{}'",
            "INSERT INTO patents_words (id, tokens) VALUES (-1, '{}')",
            "DELETE FROM search_queue",
            "UPDATE search_queue SET row_id = -1",
            "INSERT INTO search_queue (tbl, row_id) VALUES ('patents', -1)",
        ):
            _refused(conn, sql)
    assert (_found(stores[VIEWER], "液压"), _found(stores[VIEWER], "阀门")) == (1, 1)


def _queue(conn) -> tuple[list[int], list[int]]:
    lines = conn.execute("SELECT seq, row_id FROM search_queue WHERE tbl = 'patents' ORDER BY seq").fetchall()
    return [seq for seq, _ in lines], sorted({row for _, row in lines})


def test_the_servers_function_takes_only_queued_rows_and_every_pair_of_their_text(server, stores):  # noqa: F811
    first, second = _saved(stores[EDITOR]), _saved(stores[EDITOR], "安全阀门")
    whole, other = (
        search.tokens(f"{title}{search.FIELD_SEPARATOR}{APPLICANT}") for title in (TITLE, "安全阀门")
    )
    with server.raw(EDITOR) as conn:
        seqs, ids = _queue(conn)
        assert ids == [first, second]
        for given in (
            (seqs, [first], [whole]),  # the second row would vanish from the index and the queue
            (
                seqs,
                [first, second],
                [whole.replace("液压", ""), other],
            ),  # a pair left out
            (seqs, [first, second], [search.tokens("ab"), other]),
            (seqs[:1], [first, second], [whole, other]),  # the second's line not given
            ([], [-1], [""]),
        ):
            _refused(conn, PUT, given)
        conn.execute(PUT, (seqs, [first, second], [whole + " 多余", other]))  # extras: harmless
        assert _queue(conn) == ([], [])
        _refused(conn, PUT, (seqs, [first], [whole]))  # no longer queued
    assert (_found(stores[VIEWER], "液压"), _found(stores[VIEWER], "阀门")) == (1, 1)


def _sample_text(chooser: random.Random) -> str:
    """Text as clerks and imports type it: Chinese, ASCII letters of both cases and digits, full-width
    letters and digits, punctuation, marks, other scripts, the field separator, emoji."""
    pools = [
        [chr(code) for code in range(0x4E00, 0xA000)],
        list("abcXYZ0189"),
        list("ＡＢｃｄ０１２"),
        list("，。、-_ .（）《》/\\%'\"\x1f\t\n"),
        list("İßéçΩжʼ\u0301\u0307😀🀄"),
    ]
    return "".join(chooser.choice(chooser.choice(pools)) for _ in range(chooser.randint(0, 60)))


def test_every_pair_the_server_finds_is_among_the_files_tokens(server):  # noqa: F811
    chooser = random.Random(SAMPLE_SEED)
    texts = ["科技局ABC-专利 x，ＡＢ12", *(_sample_text(chooser) for _ in range(2000))]
    texts.append("".join(chr(code) for code in range(0x4DF0, 0xA010)))  # every ideograph, and around
    with server.raw(EDITOR) as conn:
        found = [row[0] for row in conn.execute("SELECT search_pairs(t) FROM unnest(%s::text[]) t", (texts,))]
    assert sorted(found[0]) == ["12", "ab", "bc", "专利", "局a", "技局", "科技"]
    missing = {
        raw: set(pairs) - set(search.tokens(raw).split()) for raw, pairs in zip(texts, found, strict=True)
    }
    assert {raw: pairs for raw, pairs in missing.items() if pairs} == {}
    assert sum(map(len, found)) > 20_000  # the server did find pairs to check


def test_a_call_from_psql_waits_for_the_client_syncing_the_table(server, stores):  # noqa: F811
    """Its queue lines are not taken from under a sync (its call would be refused, and its search fail)."""
    _saved(stores[EDITOR])
    with stores[EDITOR].sessions.begin() as session, server.raw(EDITOR) as conn:
        assert server_search.may_sync(session.connection(), "patents")  # the syncing client's lock
        seqs, ids = _queue(conn)
        conn.execute("SET lock_timeout = '200ms'")
        with pytest.raises(psycopg.errors.LockNotAvailable):
            conn.execute(PUT, (seqs, ids, [search.tokens(f"{TITLE}{search.FIELD_SEPARATOR}{APPLICANT}")]))
        assert search.sync(session.connection(), "patents")
    assert _found(stores[VIEWER], "液压") == 1
