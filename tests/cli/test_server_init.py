"""`server init --db postgresql://…` on a real server: roles, ownership, and rights the server enforces
against raw SQL of each group's account (as a clerk with psql would try)."""

import pytest

from db import messages
from db.server_admin import roles_of
from kejiju_desktop import cli
from kejiju_desktop.commands import messages as command_messages

psycopg = pytest.importorskip("psycopg")  # in CI it is installed (requirements.txt) and the server tests run

INSERT = (
    "INSERT INTO events(uid, name, created_at, updated_at, updated_by, confirmed_warnings) "
    "VALUES (gen_random_uuid()::text, '科普日', now(), now(), '', '')"
)


@pytest.fixture
def initialised(pg_cluster, pg_database):
    assert cli.main(["server", "init", "--db", pg_cluster.url(pg_database)]) == 0
    return pg_database


def account(cluster, database: str, group: str) -> psycopg.Connection:
    """A login role in `group`, connected."""
    name = f"{database}_{group}_clerk"
    with cluster.connect(database) as conn:
        conn.execute(f'CREATE ROLE "{name}" LOGIN PASSWORD \'pw\' IN ROLE "{database}_{group}"')
    conn = cluster.connect(database, user=name, password="pw")
    conn.execute("SET search_path = kejiju")
    return conn


def test_server_init_makes_the_owner_and_the_groups_and_says_so(pg_cluster, pg_database, capsys):
    assert cli.main(["server", "init", "--db", pg_cluster.url(pg_database)]) == 0
    roles = roles_of(pg_database)
    with pg_cluster.connect(pg_database) as conn:
        owners = conn.execute(
            "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'kejiju'"
        ).fetchall()
        can_login = conn.execute(
            "SELECT rolname, rolcanlogin, rolcreaterole FROM pg_roles WHERE rolname LIKE %s ORDER BY 1",
            (f"{pg_database}_%",),
        ).fetchall()
    assert owners == [(roles.owner,)]
    assert sorted(can_login) == sorted(
        [(roles.owner, False, True), *((g, False, False) for g in roles.groups)]
    )
    out = capsys.readouterr().out
    assert out.strip() == command_messages.SERVER_INITIALISED.format(
        name=f"postgres@127.0.0.1:{pg_cluster.port}/{pg_database}",
        owner=roles.owner, admin=roles.admin, editor=roles.editor, viewer=roles.viewer,
    )  # fmt: skip


def test_running_server_init_twice_is_harmless(initialised, pg_cluster):
    assert cli.main(["server", "init", "--db", pg_cluster.url(initialised)]) == 0


def test_a_viewer_reads_but_cannot_insert_update_or_delete(initialised, pg_cluster):
    with account(pg_cluster, initialised, "录入员") as editor:
        editor.execute(INSERT)
    with account(pg_cluster, initialised, "查看") as viewer:
        assert viewer.execute("SELECT count(*) FROM events").fetchone() == (1,)
        for sql in (INSERT, "UPDATE events SET name = 'x'", "DELETE FROM events", "DELETE FROM change_log"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                viewer.execute(sql)


def test_an_editor_adds_and_changes_but_cannot_delete(initialised, pg_cluster):
    with account(pg_cluster, initialised, "录入员") as editor:
        editor.execute(INSERT)
        editor.execute("UPDATE events SET name = '科技周'")
        for sql in ("DELETE FROM events", "UPDATE change_log SET operator = 'x'", "DELETE FROM change_log"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                editor.execute(sql)


def test_an_administrator_may_delete(initialised, pg_cluster):
    with account(pg_cluster, initialised, "管理员") as admin:
        admin.execute(INSERT)
        admin.execute("INSERT INTO settings(key, value) VALUES ('k', 'v')")
        assert admin.execute("DELETE FROM settings WHERE key = 'k'").rowcount == 1
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            admin.execute("DELETE FROM events")  # a record leaves by 永久删除 only, keeping its tombstone


def test_a_database_that_cannot_hold_chinese_is_refused(pg_cluster, monkeypatch, capsys):
    with pg_cluster.connect() as conn:
        conn.execute("CREATE DATABASE kj_ascii TEMPLATE template0 ENCODING 'SQL_ASCII' LOCALE 'C'")
    monkeypatch.setenv("PGPASSWORD", pg_cluster.password)
    try:
        assert cli.main(["server", "init", "--db", pg_cluster.url("kj_ascii")]) == 2
        name = f"postgres@127.0.0.1:{pg_cluster.port}/kj_ascii"
        assert capsys.readouterr().err.strip() == messages.SERVER_BAD_LOCALE.format(
            name=name, encoding="SQL_ASCII", ctype="C"
        )
        with pg_cluster.connect("kj_ascii") as conn:
            assert conn.execute("SELECT count(*) FROM pg_namespace WHERE nspname = 'kejiju'").fetchone() == (
                0,
            )
    finally:
        with pg_cluster.connect() as conn:
            conn.execute("DROP DATABASE kj_ascii WITH (FORCE)")


def test_a_wrong_password_is_answered_with_its_sentence(pg_cluster, monkeypatch, capsys):
    monkeypatch.setenv("PGPASSWORD", "wrong")
    assert cli.main(["server", "init", "--db", pg_cluster.url("postgres")]) == 1  # refused, not unusable
    assert capsys.readouterr().err.strip() == messages.SERVER_WRONG_PASSWORD.format(account="postgres")


def test_a_password_in_the_url_is_refused_before_connecting(capsys):
    assert cli.main(["server", "init", "--db", "postgresql://a:secret@127.0.0.1:1/db"]) == 1  # refused
    assert capsys.readouterr().err.strip() == messages.SERVER_PASSWORD_IN_URL


def test_server_init_while_a_writer_holds_the_database_says_busy_and_changes_nothing(
    initialised, pg_cluster, monkeypatch, capsys
):
    """An upgrade waits for the write lock as a save does (LOCK_WAIT), then is told, never waits for ever."""
    from db.server import WRITE_LOCK

    monkeypatch.setenv("PGPASSWORD", pg_cluster.password)
    with pg_cluster.connect(initialised) as writer:
        writer.execute("SELECT pg_advisory_lock(%s)", (WRITE_LOCK,))
        assert cli.main(["server", "init", "--db", pg_cluster.url(initialised)]) == 1
    name = f"postgres@127.0.0.1:{pg_cluster.port}/{initialised}"
    assert capsys.readouterr().err.strip() == messages.SERVER_BUSY.format(name=name)


def test_server_init_adopts_a_schema_another_role_made_as_a_restore_without_its_roles_leaves_it(
    pg_cluster, pg_database, monkeypatch
):
    from db.server import create_schema, make_server_engine, server_url
    from tests.fixtures.server_states import add_account

    engine = make_server_engine(server_url(pg_cluster.url(pg_database), pg_cluster.password))
    try:
        create_schema(engine)  # tables, sequences and SECURITY DEFINER functions all the superuser's
    finally:
        engine.dispose()
    assert cli.main(["server", "init", "--db", pg_cluster.url(pg_database)]) == cli.EXIT_OK
    owner = roles_of(pg_database).owner
    with pg_cluster.connect(pg_database) as conn:
        others = conn.execute(
            "SELECT count(*) FROM pg_class WHERE relnamespace = 'kejiju'::regnamespace "
            "AND relowner <> %s::regrole UNION ALL SELECT count(*) FROM pg_proc "
            "WHERE pronamespace = 'kejiju'::regnamespace AND proowner <> %s::regrole "
            "UNION ALL SELECT count(*) FROM pg_namespace WHERE nspname = 'kejiju' AND nspowner <> %s::regrole",
            (f'"{owner}"',) * 3,
        ).fetchall()
    assert others == [(0,), (0,), (0,)]
    clerk = add_account(pg_cluster, pg_database, "editor")
    monkeypatch.setenv("PGPASSWORD", "pw")
    with pg_cluster.connect(pg_database, user=clerk, password="pw") as conn:
        conn.execute(
            "INSERT INTO kejiju.events(uid, name, created_at, updated_at, updated_by, confirmed_warnings) "
            "VALUES ('e1', '科普日', now(), now(), '', '')"
        )
