"""The PostgreSQL store (db/server.py): its URL, the migrations on a server, the write lock, its checks."""

import pytest
from sqlalchemy import text

from db import messages
from db.server import ServerError, display_of, is_server_url, server_url
from db.store import checks_for


def test_a_server_url_is_rewritten_for_psycopg_with_the_connect_options():
    url = server_url("postgresql://张三@192.168.1.10:5432/kejiju", password="secret")
    assert url.drivername == "postgresql+psycopg"
    assert (url.username, url.host, url.port, url.database, url.password) == (
        "张三",
        "192.168.1.10",
        5432,
        "kejiju",
        "secret",
    )
    assert url.query["connect_timeout"] == "5"
    assert url.query["sslmode"] == "prefer"
    assert url.query["keepalives"] == "1"


def test_sslmode_require_may_be_asked_for():
    assert server_url("postgresql://a@h/db?sslmode=require").query["sslmode"] == "require"


def test_a_password_inside_the_url_is_refused_and_never_shown():
    with pytest.raises(ServerError) as refused:
        server_url("postgresql://张三:秘密123@host:5432/kejiju")
    assert str(refused.value) == messages.SERVER_PASSWORD_IN_URL
    assert "秘密123" not in str(refused.value.path)


@pytest.mark.parametrize("given", ["postgresql://host", "postgresql:///db", "mysql://a@h/db"])
def test_an_unusable_url_is_refused_with_a_sentence(given):
    with pytest.raises(ServerError) as refused:
        server_url(given)
    assert str(refused.value) == messages.SERVER_URL_BAD.format(url=given)


def test_only_postgresql_urls_name_a_server():
    assert is_server_url("postgresql://a@h/db") and is_server_url("POSTGRES://a@h/db")
    assert not is_server_url("数据.kjdb") and not is_server_url(r"C:\\数据\\postgresql.kjdb")


def test_the_display_name_has_no_password():
    assert display_of(server_url("postgresql://a@h:5433/db", password="pw")) == "a@h:5433/db"


def test_the_migrations_make_every_table_on_the_server(pg_store):
    with pg_store.sessions() as session:
        tables = set(
            session.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'kejiju'")).scalars()
        )
        version = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    from db.schema import SCHEMA_HEAD, expected_shape

    assert set(expected_shape(SCHEMA_HEAD)) <= tables
    assert version == SCHEMA_HEAD


def test_a_store_names_no_file_and_runs_its_own_checks(pg_store):
    caps = pg_store.capabilities
    assert (caps.engine, caps.file_path, caps.backup_api) == ("postgresql", None, False)
    with pg_store.sessions() as session:
        checks = checks_for(session)
        assert checks.integrity_problems(session) == []
        assert checks.broken_references(session) == {}
        assert checks.search_index_problems(session) == {}


def test_a_writer_holds_the_write_lock_until_it_ends(pg_store, pg_cluster):
    from db.server import WRITE_LOCK

    def other_may_write() -> bool:
        with pg_cluster.connect(pg_store.url.database) as conn:
            return conn.execute("SELECT pg_try_advisory_xact_lock(%s)", (WRITE_LOCK,)).fetchone()[0]

    with pg_store.writer() as session:
        session.execute(text("INSERT INTO settings(key, value) VALUES ('k', 'v')"))
        assert not other_may_write()
    assert other_may_write()


def test_the_server_holds_the_tokens_a_file_holds(pg_store):
    from db import search

    title = "科技局ABC-专利 x"
    with pg_store.writer() as session:
        session.execute(
            text("INSERT INTO patents(uid, title, created_at, updated_at, updated_by, confirmed_warnings) "
                 "VALUES ('u1', :title, now(), now(), '', '')"),
            {"title": title},
        )  # fmt: skip
    with pg_store.writer() as session:
        assert search.sync(session.connection(), "patents")
        stored = session.execute(text("SELECT tokens FROM patents_words")).scalar()
        queued = session.execute(text("SELECT count(*) FROM search_queue")).scalar()
    assert stored == sorted(set(search.tokens(title).split()))
    assert queued == 0


def test_a_writer_kept_out_longer_than_the_wait_is_told_so_and_writes_nothing(
    pg_store, pg_cluster, monkeypatch
):
    from db import server
    from db.database import FileBusyError

    monkeypatch.setattr(server, "LOCK_WAIT", "200ms")
    with pg_cluster.connect(pg_store.url.database) as other, other.transaction():
        other.execute("SELECT pg_advisory_xact_lock(%s)", (server.WRITE_LOCK,))
        with pytest.raises(FileBusyError) as busy, pg_store.writer() as session:
            session.execute(text("INSERT INTO settings(key, value) VALUES ('k', 'v')"))
    assert str(busy.value) == messages.SERVER_BUSY.format(name=pg_store.display_name)
    with pg_store.sessions() as session:
        assert session.execute(text("SELECT count(*) FROM settings WHERE key = 'k'")).scalar() == 0


def test_one_sync_indexes_every_queued_row_batch_by_batch(pg_store, monkeypatch):
    from db import search, server_search

    monkeypatch.setattr(server_search, "BATCH", 2)
    with pg_store.writer() as session:
        for n in range(5):
            session.execute(
                text("INSERT INTO patents(uid, title, created_at, updated_at, updated_by, confirmed_warnings) "
                     "VALUES (:uid, :title, now(), now(), '', '')"),
                {"uid": f"u{n}", "title": f"液压缸{n}"},
            )  # fmt: skip
    with pg_store.writer() as session:
        assert search.sync(session.connection(), "patents")
        indexed = session.execute(text("SELECT count(*) FROM patents_words")).scalar()
        queued = session.execute(text("SELECT count(*) FROM search_queue")).scalar()
    assert (indexed, queued) == (5, 0)


def test_a_connection_given_back_after_the_store_closed_is_closed_not_left_open(pg_store):
    """A question still out when the window closes its server ends after close(): its connection must be
    closed on its return, not kept open in a pool nobody will dispose of (psycopg then warns, at random,
    "connection deleted while still open" when the garbage collector finds it)."""
    from sqlalchemy import text as sql

    session = pg_store.sessions()
    session.execute(sql("SELECT 1"))
    raw = session.connection().connection.driver_connection
    pg_store.close()
    assert pg_store.closed
    session.close()  # the late question gives its connection back
    assert raw.closed
    with pg_store.sessions() as late:  # a question asked of it later still gets a connection, closed after
        late.execute(sql("SELECT 1"))
        later = late.connection().connection.driver_connection
    assert later.closed
