"""`check --db postgresql://…` on a real server: PostgreSQL's own checks, the report as for a file, and
`--repair` within the account's rights (a 管理员 rebuilds the indexes through the owner's function)."""

from __future__ import annotations

import pytest

from db import messages, server_accounts
from db.server import open_server
from db.store import INTEGRITY_AMCHECK
from kejiju_desktop import cli
from kejiju_desktop import messages as core_messages
from kejiju_desktop.commands import messages as command_messages
from kejiju_desktop.demo import fill_demo
from kejiju_desktop.services.portability import server_move
from tests.fixtures.server_states import add_account

pytest.importorskip("psycopg")  # in CI it is installed (requirements.txt) and the server tests run

EXPIRED = "SELECT count(*) FROM kejiju.qualifications WHERE status = '已认定' AND valid_until < current_date"


@pytest.fixture
def demo_server(bureau):
    """An initialised server holding the demo data (its certificates long expired), with amcheck."""
    cluster, database = bureau
    store = open_server(cluster.url(database))
    try:
        with store.writer() as session:
            fill_demo(session)
    finally:
        store.close()
    with cluster.connect(database) as conn:
        conn.execute("CREATE EXTENSION amcheck")  # in public: our connections search only our schema
    return cluster, database


def expired(cluster, database: str) -> int:
    with cluster.connect(database) as conn:
        return conn.execute(EXPIRED).fetchone()[0]


def test_the_report_of_a_server_reads_as_the_report_of_the_same_file(pg_store, pg_cluster, tmp_path, capsys):
    demo = tmp_path / "演示.kjdb"
    assert cli.main(["demo", "--db", str(demo)]) == 0
    server_move.move_file(pg_store, demo)
    with pg_cluster.connect(pg_store.url.database) as conn:
        conn.execute("CREATE EXTENSION amcheck")  # in public, as IT would
    assert pg_store.capabilities.integrity_check == INTEGRITY_AMCHECK
    capsys.readouterr()
    assert cli.main(["check", "--db", str(demo)]) == cli.EXIT_OK
    on_file = capsys.readouterr().out.splitlines()
    assert cli.main(["check", "--db", pg_cluster.url(pg_store.url.database)]) == cli.EXIT_OK
    on_server = capsys.readouterr().out.splitlines()
    assert on_server[0] == core_messages.CHECK_HEAD.format(name=pg_store.display_name)
    assert on_server[1:] == on_file[1:] and len(on_file) > 3  # the demo's expired certificates


def test_a_problem_found_on_the_server_exits_1_and_an_administrator_repairs_it(
    demo_server, monkeypatch, capsys
):
    cluster, database = demo_server
    admin = add_account(cluster, database, server_accounts.ADMIN)
    before = expired(cluster, database)
    assert before > 0
    monkeypatch.setenv("PGPASSWORD", "pw")
    url = cluster.url(database, user=admin)
    capsys.readouterr()
    assert cli.main(["check", "--db", url]) == cli.EXIT_OK  # expired certificates are notices
    assert capsys.readouterr().out.splitlines()[-1] == command_messages.REPAIR_HINT
    assert cli.main(["check", "--db", url, "--repair"]) == cli.EXIT_OK
    out = capsys.readouterr().out
    name = f"{admin}@127.0.0.1:{cluster.port}/{database}"
    assert out.splitlines()[:4] == [
        core_messages.NO_FILE_TO_BACK_UP.format(name=name),
        core_messages.REPAIR_EXPIRED.format(n=before),
        core_messages.REPAIR_REINDEX,
        core_messages.REPAIR_VACUUM_SKIPPED.format(name=name),
    ]
    assert out.splitlines()[-1] == core_messages.CHECK_OK_SERVER.format(name=name)
    assert expired(cluster, database) == 0


def test_a_missing_word_index_trigger_is_a_problem_only_the_owner_can_repair(
    demo_server, monkeypatch, capsys
):
    cluster, database = demo_server
    with cluster.connect(database) as conn:
        conn.execute("DROP TRIGGER patents_search_ai ON kejiju.patents")
    before = expired(cluster, database)
    admin = add_account(cluster, database, server_accounts.ADMIN)
    monkeypatch.setenv("PGPASSWORD", "pw")
    url = cluster.url(database, user=admin)
    capsys.readouterr()
    assert cli.main(["check", "--db", url]) == cli.EXIT_PROBLEMS
    assert "专利" in capsys.readouterr().out
    assert cli.main(["check", "--db", url, "--repair"]) == cli.EXIT_PROBLEMS
    err = capsys.readouterr().err
    assert err.strip() == messages.SERVER_RIGHTS_MISSING.format(account=admin)
    assert expired(cluster, database) == before  # the repair's one transaction rolled back whole
    monkeypatch.setenv("PGPASSWORD", cluster.password)
    assert cli.main(["check", "--db", cluster.url(database), "--repair"]) == cli.EXIT_OK
    name = f"postgres@127.0.0.1:{cluster.port}/{database}"
    assert capsys.readouterr().out.splitlines()[-1] == core_messages.CHECK_OK_SERVER.format(name=name)


@pytest.mark.parametrize("kind", [server_accounts.EDITOR, server_accounts.VIEWER])
def test_repair_is_refused_to_an_editor_or_a_viewer_before_anything_is_written(
    kind, demo_server, monkeypatch, capsys
):
    cluster, database = demo_server
    clerk = add_account(cluster, database, kind)
    before = expired(cluster, database)
    monkeypatch.setenv("PGPASSWORD", "pw")
    assert cli.main(["check", "--db", cluster.url(database, user=clerk), "--repair"]) == cli.EXIT_PROBLEMS
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == messages.SERVER_REPAIR_NOT_ALLOWED.format(account=clerk)
    assert (err[0] == messages.SERVER_VIEWER) == (kind == server_accounts.VIEWER)
    assert expired(cluster, database) == before
