"""`check --db postgresql://…` in server words: the report names the server database, not a file, and
`--repair` says of compacting only what the account really did."""

from __future__ import annotations

import pytest

from db import server_accounts
from kejiju_desktop import cli
from kejiju_desktop import messages as core_messages
from tests.fixtures.server_states import add_account

pytest.importorskip("psycopg")  # in CI it is installed (requirements.txt) and the server tests run

LAST_VACUUM = (
    "SELECT last_vacuum IS NOT NULL FROM pg_stat_user_tables WHERE relid = 'kejiju.events'::regclass"
)


def vacuumed(cluster, database: str) -> bool:
    with cluster.connect(database) as conn:
        return conn.execute(LAST_VACUUM).fetchone()[0]


def test_a_sound_server_is_said_sound_by_its_name_not_as_a_file(bureau, capsys):
    cluster, database = bureau
    capsys.readouterr()
    assert cli.main(["check", "--db", cluster.url(database)]) == cli.EXIT_OK
    out = capsys.readouterr().out
    name = f"postgres@127.0.0.1:{cluster.port}/{database}"
    assert out.splitlines()[-1] == core_messages.CHECK_OK_SERVER.format(name=name)
    assert "文件" not in out


def test_an_administrators_repair_says_the_space_was_left_to_the_owner(bureau, monkeypatch, capsys):
    cluster, database = bureau
    admin = add_account(cluster, database, server_accounts.ADMIN)
    monkeypatch.setenv("PGPASSWORD", "pw")
    capsys.readouterr()
    assert cli.main(["check", "--db", cluster.url(database, user=admin), "--repair"]) == cli.EXIT_OK
    out = capsys.readouterr().out.splitlines()
    name = f"{admin}@127.0.0.1:{cluster.port}/{database}"
    assert core_messages.REPAIR_VACUUM_SKIPPED.format(name=name) in out
    assert core_messages.REPAIR_VACUUM not in out
    assert not vacuumed(cluster, database)


def test_the_owners_repair_compacts_the_server_and_says_so_in_server_words(bureau, capsys):
    cluster, database = bureau
    capsys.readouterr()
    assert cli.main(["check", "--db", cluster.url(database), "--repair"]) == cli.EXIT_OK
    out = capsys.readouterr().out.splitlines()
    name = f"postgres@127.0.0.1:{cluster.port}/{database}"
    assert core_messages.REPAIR_VACUUM_SERVER.format(name=name) in out
    assert out[-1] == core_messages.CHECK_OK_SERVER.format(name=name)
    assert vacuumed(cluster, database)


def _damage_an_index(cluster, database: str) -> None:
    """An index whose order no longer matches its comparison (its function replaced behind its back):
    amcheck's B-tree check finds it out of order, as it would a damaged one."""
    with cluster.connect(database) as conn:
        conn.execute("CREATE EXTENSION amcheck")  # in public, as IT would
        conn.execute(
            "CREATE FUNCTION kejiju.order_of(int, int) RETURNS int LANGUAGE sql IMMUTABLE "
            "AS 'SELECT btint4cmp($1, $2)'"
        )
        conn.execute(
            "CREATE OPERATOR CLASS kejiju.in_order FOR TYPE int4 USING btree AS OPERATOR 1 <, "
            "OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >, FUNCTION 1 kejiju.order_of(int, int)"
        )
        conn.execute(
            "INSERT INTO kejiju.events(uid, name, start_on, created_at, updated_at, updated_by, "
            "confirmed_warnings) SELECT gen_random_uuid()::text, '活动' || n, '2012-09-15', now(), now(), '', '' "
            "FROM generate_series(1, 20) AS n"
        )
        conn.execute("CREATE INDEX ix_events_in_order ON kejiju.events (id kejiju.in_order)")
        conn.execute(
            "CREATE OR REPLACE FUNCTION kejiju.order_of(int, int) RETURNS int LANGUAGE sql IMMUTABLE "
            "AS 'SELECT -btint4cmp($1, $2)'"
        )


def test_damage_found_on_a_server_names_the_server_database(bureau, capsys):
    cluster, database = bureau
    _damage_an_index(cluster, database)
    capsys.readouterr()
    assert cli.main(["check", "--db", cluster.url(database)]) == cli.EXIT_PROBLEMS
    problems = [line for line in capsys.readouterr().out.splitlines() if "ix_events_in_order" in line]
    name = f"postgres@127.0.0.1:{cluster.port}/{database}"
    said = core_messages.CHECK_INTEGRITY_SERVER.format(name=name, detail="")
    assert len(problems) == 1 and said in problems[0]
    assert core_messages.CHECK_INTEGRITY.format(detail="") not in problems[0]
