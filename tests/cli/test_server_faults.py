"""Faults of a server database on the command line, on a real PostgreSQL: an older, newer or foreign schema,
a refused login, a missing database, an unreachable server and missing rights, each one sentence."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from db import messages, server_accounts
from db.schema import SCHEMA_HEAD
from db.server import RightsMissingError, open_server, reachable
from kejiju_desktop import cli
from kejiju_desktop import messages as core_messages
from kejiju_desktop.commands import messages as command_messages
from tests.fixtures.server_states import (
    OLDER,
    add_account,
    earlier_build_server,
    events_of,
    older_server,
    owner_member,
    public_may_lock,
    revision_of,
)
from tests.fixtures.xlsx.sheets import PATENT_HEADERS, patent_row, write_sheet

pytest.importorskip("psycopg")  # in CI it is installed (requirements.txt) and the server tests run

COMMANDS = (
    ["report", "--year", "2012", "-o", "报告.docx"],
    ["export", "--table", "events", "-o", "活动.xlsx"],
    ["check"],
    ["remind"],
)


def run(url: str, command: list[str]) -> int:
    return cli.main([command[0], "--db", url, *command[1:]])


@pytest.mark.parametrize("command", COMMANDS)
def test_an_older_server_is_refused_and_its_upgrade_named_to_an_account_that_may(
    command, pg_cluster, pg_database, tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    older_server(pg_cluster, pg_database)
    url = pg_cluster.url(pg_database)
    assert run(url, command) == cli.EXIT_UNUSABLE
    name = f"postgres@127.0.0.1:{pg_cluster.port}/{pg_database}"
    hint = command_messages.SERVER_UPGRADE_HINT.format(url=f"postgresql://{name}")
    assert capsys.readouterr().err.splitlines() == [messages.SERVER_OLDER.format(name=name), hint]
    assert list(tmp_path.iterdir()) == [] and revision_of(pg_cluster, pg_database) == OLDER


def test_an_older_server_names_no_upgrade_to_a_clerk_who_may_not(
    pg_cluster, pg_database, monkeypatch, capsys
):
    older_server(pg_cluster, pg_database)
    clerk = f"clerk_{pg_database[-8:]}"
    with pg_cluster.connect(pg_database) as conn:
        conn.execute(f"CREATE ROLE {clerk} LOGIN PASSWORD 'pw'")
        conn.execute(f"GRANT USAGE ON SCHEMA kejiju TO {clerk}")
        conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA kejiju TO {clerk}")
    monkeypatch.setenv("PGPASSWORD", "pw")
    assert run(pg_cluster.url(pg_database, user=clerk), ["remind"]) == cli.EXIT_UNUSABLE
    name = f"{clerk}@127.0.0.1:{pg_cluster.port}/{pg_database}"
    assert capsys.readouterr().err.splitlines() == [messages.SERVER_OLDER.format(name=name)]


def test_server_init_upgrades_an_older_server_which_then_opens(pg_cluster, pg_database, monkeypatch, capsys):
    older_server(pg_cluster, pg_database)
    monkeypatch.setenv("PGPASSWORD", pg_cluster.password)
    url = pg_cluster.url(pg_database)
    assert cli.main(["server", "init", "--db", url]) == 0
    assert revision_of(pg_cluster, pg_database) == SCHEMA_HEAD
    capsys.readouterr()
    assert run(url, ["check"]) == 0, capsys.readouterr()


def test_a_member_of_the_owner_role_upgrades_without_being_a_superuser(pg_cluster, pg_database, monkeypatch):
    from db.server_admin import upgrade_as_owner

    older_server(pg_cluster, pg_database)
    it = owner_member(pg_cluster, pg_database)
    monkeypatch.setenv("PGPASSWORD", "pw")
    store = open_server(pg_cluster.url(pg_database, user=it))
    try:
        with pytest.raises(Exception) as refused:
            reachable(store)
        assert refused.value.can_upgrade
        upgrade_as_owner(store)
        reachable(store)
    finally:
        store.close()
    assert revision_of(pg_cluster, pg_database) == SCHEMA_HEAD


@pytest.mark.parametrize("command", COMMANDS)
def test_a_newer_server_is_refused_as_a_newer_file_is(
    command, pg_store, pg_cluster, tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    with pg_store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099_from_the_future'"))
    assert run(pg_cluster.url(pg_store.url.database), command) == cli.EXIT_UNUSABLE
    assert capsys.readouterr().err.strip() == messages.SERVER_NEWER.format(name=pg_store.display_name)
    assert list(tmp_path.iterdir()) == []


def test_server_init_leaves_a_newer_server_alone(pg_store, pg_cluster, capsys):
    with pg_store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099_from_the_future'"))
    assert cli.main(["server", "init", "--db", pg_cluster.url(pg_store.url.database)]) == cli.EXIT_UNUSABLE
    assert capsys.readouterr().err.strip() == messages.SERVER_NEWER.format(name=pg_store.display_name)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_database_without_our_schema_is_not_ours(
    command, pg_cluster, pg_database, tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    with pg_cluster.connect(pg_database) as conn:
        conn.execute("CREATE TABLE invoices(id integer)")  # another program's database
    assert run(pg_cluster.url(pg_database), command) == cli.EXIT_UNUSABLE
    name = f"postgres@127.0.0.1:{pg_cluster.port}/{pg_database}"
    assert capsys.readouterr().err.strip() == messages.SERVER_NOT_OURS.format(name=name)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", COMMANDS)
def test_a_wrong_password_is_said_so_with_exit_1(command, bureau, tmp_path, monkeypatch, capsys):
    cluster, database = bureau
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PGPASSWORD", "not-the-password")
    assert run(cluster.url(database), command) == cli.EXIT_PROBLEMS
    assert capsys.readouterr().err.strip() == messages.SERVER_WRONG_PASSWORD.format(account="postgres")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", COMMANDS)
def test_a_disabled_account_is_said_so_with_exit_1(command, bureau, tmp_path, monkeypatch, capsys):
    cluster, database = bureau
    clerk = add_account(cluster, database, server_accounts.EDITOR)
    store = open_server(cluster.url(database))
    with store.writer() as session:
        server_accounts.disable_account(session, clerk)
    store.close()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PGPASSWORD", "pw")
    url = cluster.url(database, user=clerk)
    assert run(url, command) == cli.EXIT_PROBLEMS
    name = f"{clerk}@127.0.0.1:{cluster.port}/{database}"
    assert capsys.readouterr().err.strip() == messages.SERVER_ACCOUNT_DISABLED.format(
        account=clerk, name=name
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", COMMANDS)
def test_no_such_database_is_said_so(command, pg_cluster, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PGPASSWORD", pg_cluster.password)
    assert run(pg_cluster.url("kj_no_such_database"), command) == cli.EXIT_UNUSABLE
    expected = messages.SERVER_NO_DATABASE.format(host="127.0.0.1", database="kj_no_such_database")
    assert capsys.readouterr().err.strip() == expected
    assert list(tmp_path.iterdir()) == []


def test_a_closed_port_is_answered_within_five_seconds(tmp_path, monkeypatch, capsys):
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens on it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PGPASSWORD", "x")
    url = f"postgresql://张三@127.0.0.1:{port}/kejiju"
    started = time.monotonic()
    assert run(url, ["check"]) == cli.EXIT_UNUSABLE
    assert time.monotonic() - started < 5.0
    name = f"张三@127.0.0.1:{port}/kejiju"
    assert capsys.readouterr().err.strip() == messages.SERVER_UNREACHABLE.format(name=name)


def test_a_viewer_reads_with_the_notice_and_its_import_writes_nothing(bureau, tmp_path, monkeypatch, capsys):
    cluster, database = bureau
    viewer = add_account(cluster, database, server_accounts.VIEWER)
    monkeypatch.setenv("PGPASSWORD", "pw")
    url = cluster.url(database, user=viewer)
    assert run(url, ["export", "--table", "events", "-o", str(tmp_path / "活动.xlsx")]) == 0
    assert capsys.readouterr().err.strip() == messages.SERVER_VIEWER
    sheet = write_sheet(tmp_path / "p.xlsx", [PATENT_HEADERS, patent_row(1)])
    assert run(url, ["import", "--table", "patents", str(sheet)]) == cli.EXIT_PROBLEMS
    err = capsys.readouterr().err
    assert messages.SERVER_VIEWER in err and "Traceback" not in err
    with cluster.connect(database) as conn:
        assert conn.execute("SELECT count(*) FROM kejiju.patents").fetchone() == (0,)


def test_a_write_the_server_refuses_is_a_sentence_and_nothing_of_it_is_written(bureau, monkeypatch):
    cluster, database = bureau
    editor = add_account(cluster, database, server_accounts.EDITOR)
    monkeypatch.setenv("PGPASSWORD", "pw")
    store = open_server(cluster.url(database, user=editor))
    try:
        reachable(store)
        assert not store.read_only and not store.notices
        with pytest.raises(RightsMissingError) as refused, store.writer() as session:
            session.execute(text("UPDATE events SET name = '科技周'"))
            session.execute(text("DELETE FROM events"))  # 录入员 may not delete
    finally:
        store.close()
    assert str(refused.value) == messages.SERVER_RIGHTS_MISSING.format(account=editor)
    assert isinstance(refused.value, SQLAlchemyError)  # caught where a ProgrammingError was
    assert refused.value.exit_code == cli.EXIT_PROBLEMS
    with cluster.connect(database) as conn:
        assert conn.execute("SELECT name FROM kejiju.events").fetchall() == [("科普日",)]


def test_a_viewers_merge_into_the_server_is_refused_with_a_sentence(bureau, tmp_path, monkeypatch, capsys):
    from tests.core.merge_helpers import office_file, save

    cluster, database = bureau
    viewer = add_account(cluster, database, server_accounts.VIEWER)
    office = office_file(tmp_path, "高新科")
    save(office, "events", {"name": "成果展", "start_on": "2012-05-20"})
    monkeypatch.setenv("PGPASSWORD", "pw")
    assert cli.main(["merge", "--db", cluster.url(database, user=viewer), str(office)]) == cli.EXIT_PROBLEMS
    err = capsys.readouterr().err
    assert core_messages.MERGE_NEEDS_ADMIN in err and "Traceback" not in err
    assert events_of(cluster, database) == 1


def _terminate_when_waiting(cluster, database: str) -> None:
    """The command's own connection, once it waits for the table held, is ended by the server (as when
    the server restarts or IT ends it)."""
    with cluster.connect(database) as conn:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            ended = conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'kejiju' "
                "AND wait_event_type = 'Lock'"
            ).fetchall()
            if ended:
                return
            time.sleep(0.05)


def test_a_connection_ended_mid_command_is_a_sentence_and_exit_1(bureau, tmp_path, monkeypatch, capsys):
    cluster, database = bureau
    monkeypatch.chdir(tmp_path)
    ender = threading.Thread(target=_terminate_when_waiting, args=(cluster, database))
    with cluster.connect(database) as holder:
        holder.execute("BEGIN")
        holder.execute("LOCK TABLE kejiju.events IN ACCESS EXCLUSIVE MODE")
        ender.start()
        try:
            code = run(cluster.url(database), ["export", "--table", "events", "-o", "活动.xlsx"])
        finally:
            ender.join()
            holder.execute("ROLLBACK")
    err = capsys.readouterr().err
    assert code == cli.EXIT_PROBLEMS
    assert messages.SERVER_CONNECTION_LOST.partition("{name}")[2] in err
    assert "Traceback" not in err
    assert not (tmp_path / "活动.xlsx").exists()


def test_a_server_an_earlier_build_set_up_is_refused_as_older_and_backup_says_so_in_one_sentence(
    pg_cluster, pg_database, tmp_path, capsys
):
    earlier_build_server(pg_cluster, pg_database)
    url = pg_cluster.url(pg_database)
    copy = tmp_path / "副本.kjdb"
    name = f"postgres@127.0.0.1:{pg_cluster.port}/{pg_database}"
    hint = command_messages.SERVER_UPGRADE_HINT.format(url=f"postgresql://{name}")
    for command in (["check"], ["backup", "-o", str(copy)]):
        assert run(url, command) == cli.EXIT_UNUSABLE
        assert capsys.readouterr().err.splitlines() == [messages.SERVER_OLDER.format(name=name), hint]
    assert not copy.exists() and revision_of(pg_cluster, pg_database) == SCHEMA_HEAD


def test_server_init_as_superuser_brings_an_earlier_builds_server_up_and_backup_works_after(
    pg_cluster, pg_database, tmp_path, capsys
):
    earlier_build_server(pg_cluster, pg_database)
    url = pg_cluster.url(pg_database)
    assert cli.main(["server", "init", "--db", url]) == 0
    assert not public_may_lock(pg_cluster, pg_database)
    capsys.readouterr()
    assert run(url, ["check"]) == 0, capsys.readouterr()
    assert run(url, ["backup", "-o", str(tmp_path / "副本.kjdb")]) == 0, capsys.readouterr()
    assert (tmp_path / "副本.kjdb").is_file()


def test_an_owners_upgrade_of_an_earlier_builds_server_says_the_advisory_locks_need_a_superuser(
    pg_cluster, pg_database, monkeypatch
):
    from db.server_admin import upgrade_as_owner

    earlier_build_server(pg_cluster, pg_database)
    it = owner_member(pg_cluster, pg_database)
    monkeypatch.setenv("PGPASSWORD", "pw")
    store = open_server(pg_cluster.url(pg_database, user=it))
    try:
        with pytest.raises(Exception) as refused:
            reachable(store)
        assert refused.value.can_upgrade and refused.value.needs_superuser
        notes = upgrade_as_owner(store)
        assert notes == [messages.SERVER_LOCKS_NEED_SUPERUSER.format(name=store.display_name)]
        reachable(store)
    finally:
        store.close()
    assert public_may_lock(pg_cluster, pg_database)


def test_server_init_by_a_member_of_the_owner_upgrades_what_it_may_and_names_what_needs_a_superuser(
    pg_cluster, pg_database, monkeypatch, capsys
):
    earlier_build_server(pg_cluster, pg_database)
    it = owner_member(pg_cluster, pg_database)
    monkeypatch.setenv("PGPASSWORD", "pw")
    url = pg_cluster.url(pg_database, user=it)
    name = f"{it}@127.0.0.1:{pg_cluster.port}/{pg_database}"
    assert run(url, ["check"]) == cli.EXIT_UNUSABLE
    hint = command_messages.SERVER_UPGRADE_HINT.format(url=f"postgresql://{name}")
    older = messages.SERVER_OLDER.format(name=name)
    assert capsys.readouterr().err.splitlines() == [older, hint, command_messages.SERVER_UPGRADE_PARTLY]
    assert cli.main(["server", "init", "--db", url]) == 0
    assert capsys.readouterr().err.splitlines() == [messages.SERVER_LOCKS_NEED_SUPERUSER.format(name=name)]
    assert run(url, ["check"]) == 0 and public_may_lock(pg_cluster, pg_database)


def test_server_init_takes_back_an_earlier_builds_rights_to_write_history_and_the_word_index(
    pg_cluster, pg_database, monkeypatch
):
    earlier_build_server(pg_cluster, pg_database)
    assert cli.main(["server", "init", "--db", pg_cluster.url(pg_database)]) == 0
    clerk = add_account(pg_cluster, pg_database, server_accounts.EDITOR)
    with pg_cluster.connect(pg_database) as conn:
        conn.execute(
            "INSERT INTO kejiju.events(uid, name, start_on, created_at, updated_at, updated_by, confirmed_warnings) "
            "VALUES ('e1', '科普日', '2012-09-15', now(), now(), '', '')"
        )
    refused = []
    for sql in (
        "INSERT INTO kejiju.change_log(table_name, uid, action, at, operator, fields, changes) "
        "VALUES ('events', 'e1', 'update', now(), 'x', '[]', '')",
        "DELETE FROM kejiju.patents_words",
        "DELETE FROM kejiju.search_queue",
    ):
        with pg_cluster.connect(pg_database, user=clerk, password="pw") as conn:
            try:
                conn.execute(sql)
            except Exception as exc:  # noqa: BLE001 - psycopg's InsufficientPrivilege, whichever table
                refused.append(getattr(exc, "sqlstate", None))
    with pg_cluster.connect(pg_database, user=clerk, password="pw") as conn:
        conn.execute("UPDATE kejiju.events SET name = '科技周' WHERE uid = 'e1'")
    with pg_cluster.connect(pg_database) as conn:
        lines = conn.execute(
            "SELECT operator, changes FROM kejiju.change_log WHERE uid = 'e1' AND action <> 'create'"
        ).fetchall()
    assert refused == ["42501"] * 3
    assert [operator for operator, _changes in lines] == [clerk]  # written by the server, signed by the login
    assert "科技周" in lines[0][1]
