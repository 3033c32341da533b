"""backup and merge between data files and a real PostgreSQL server: a bureau moved in and backed up
again keeps every row, a value too long for the server stops the move before writing, a snapshot does
not miss an edit being committed, and a file merges into a server as into a file (and back)."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select, text

from db.database import CLEAN_CLOSE_KEY, open_data_file
from db.models import Base
from kejiju_desktop import cli
from kejiju_desktop.commands import messages as command_messages
from kejiju_desktop.services.portability import merge as merge_service
from kejiju_desktop.services.portability import server_move
from tests.core.merge_helpers import live, office_file, save
from tests.fixtures.files import run_sql

pytest.importorskip("psycopg")  # in CI it is installed (requirements.txt) and the server tests run

LONG_NAME = "某" * 250  # enterprises.name is String(200): a file holds it, a server refuses it


def every_row(path: Path) -> dict[str, dict]:
    """Per table of ours, every row (all columns) by primary key; settings without the in-use mark."""
    data = open_data_file(path, read_only=True, take_lock=False)
    try:
        with data.sessions() as session:
            return {table.name: _rows(session, table) for table in Base.metadata.sorted_tables}
    finally:
        data.close()


def _rows(session, table) -> dict:
    keys = list(table.primary_key.columns)
    rows = {}
    for row in session.execute(select(table)).mappings():
        if row.get("key") != CLEAN_CLOSE_KEY:
            rows[tuple(row[k.name] for k in keys)] = dict(row)
    return rows


@pytest.fixture
def bureau(demo_file, tmp_path) -> Path:
    """The demo file with a change log and a merge mark besides its records, drafts, targets and settings."""
    path = tmp_path / "本局.kjdb"
    shutil.copyfile(demo_file, path)
    return run_sql(
        path,
        "INSERT INTO change_log(table_name, uid, action, at, operator, fields, changes) VALUES "
        "('events', 'u1', 'update', '2013-01-02 03:04:05.000006', '张三', '[\"name\"]', "
        '\'{"name": ["旧", "新"]}\')',
        "INSERT INTO merge_marks(office_id, office_name, their_latest, merged_at) VALUES "
        "('o-2', '二科', '2013-01-01 00:00:00.000000', '2013-01-02 00:00:00.000000')",
        "INSERT INTO settings(key, value) VALUES ('operator', '张晓梅'), ('font_scheme', 'windows'), "
        "('choices.plan_categories', '[\"重大科技成果转化专项\", \"乡村振兴专项\"]')",
        "UPDATE events SET deleted_at = '2013-02-03 04:05:06.000007' WHERE id = 2",  # one in the recycle bin
    )


def assert_holds_some_of_each(rows: dict[str, dict]) -> None:
    """The bureau holds some of every kind of row, so comparing every row means something."""
    for table in ("report_drafts", "report_sections", "targets", "change_log", "merge_marks", "patents"):
        assert rows[table], table
    assert {("operator",), ("choices.plan_categories",)} <= set(rows["settings"])
    assert any(row["deleted_at"] for row in rows["events"].values())


def test_a_bureau_moved_into_a_server_and_backed_up_keeps_every_row(bureau, pg_store, tmp_path):
    before = every_row(bureau)
    assert_holds_some_of_each(before)
    server_move.move_file(pg_store, bureau)
    pg_store.backup_to(tmp_path / "副本.kjdb")
    after = every_row(tmp_path / "副本.kjdb")
    for table, rows in before.items():
        assert after[table] == rows, table
    copy = open_data_file(tmp_path / "副本.kjdb", take_lock=False)
    try:
        with pg_store.sessions() as server, copy.sessions() as session:  # both word indexes rebuilt
            assert pg_store.checks.search_index_problems(server) == {}
            assert copy.checks.search_index_problems(session) == {}
            assert copy.checks.integrity_problems(session) == []
    finally:
        copy.close()


def test_a_bureau_moved_in_and_backed_up_by_the_commands_keeps_every_row(
    bureau, pg_cluster, pg_store, tmp_path
):
    """File → server → file as IT does it: `merge --db URL F.kjdb` into the empty server, `backup --db URL`."""
    url = pg_cluster.url(pg_store.url.database)
    before = every_row(bureau)
    assert_holds_some_of_each(before)
    assert cli.main(["merge", "--db", url, str(bureau)]) == 0
    assert cli.main(["backup", "--db", url, "-o", str(tmp_path / "副本.kjdb")]) == 0
    after = every_row(tmp_path / "副本.kjdb")
    for table, rows in before.items():
        assert after[table] == rows, table


def test_the_moved_server_goes_on_numbering_after_the_ids_copied(bureau, pg_store):
    server_move.move_file(pg_store, bureau)
    with pg_store.writer() as session:
        top = session.execute(text("SELECT max(id) FROM change_log")).scalar()
        new = session.execute(
            text("INSERT INTO change_log(table_name, uid, action, at, operator, fields, changes) "
                 "VALUES ('events', 'x', 'create', now(), '', '', '') RETURNING id")
        ).scalar()  # fmt: skip
    assert new == top + 1


def test_a_value_too_long_for_the_server_is_listed_and_nothing_written(tmp_path, pg_store):
    path = office_file(tmp_path, "一科")
    uid = save(path, "events", {"name": "科普日", "start_on": "2012-09-15"})
    run_sql(path, f"INSERT INTO enterprises(uid, name, created_at, updated_at, updated_by, confirmed_warnings, "
                  f"version) VALUES ('e-long', '{LONG_NAME}', '2012-01-01', '2012-01-01', '', '', 1)")  # fmt: skip
    with pytest.raises(server_move.MoveRefused) as refused:
        server_move.move_file(pg_store, path)
    assert refused.value.lines == ["  企业 e-long：“单位名称”有 250 个字，服务器最多 200 个字"]
    assert server_move.is_empty(pg_store)
    with pg_store.sessions() as session:
        assert session.execute(text("SELECT count(*) FROM events WHERE uid = :u"), {"u": uid}).scalar() == 0


def test_a_backup_taken_while_an_edit_is_being_committed_contains_it(demo_file, pg_store, tmp_path):
    server_move.move_file(pg_store, demo_file)
    stamped = threading.Event()

    def edit() -> None:
        with pg_store.writer() as session:  # stamped now, committed a second later
            session.execute(text("UPDATE events SET name = '改后的名称', updated_at = now() WHERE id = 1"))
            stamped.set()
            time.sleep(1.0)

    writer = threading.Thread(target=edit)
    writer.start()
    stamped.wait(10)
    pg_store.backup_to(tmp_path / "副本.kjdb")
    writer.join()
    assert every_row(tmp_path / "副本.kjdb")["events"][(1,)]["name"] == "改后的名称"


def test_merge_a_file_into_the_server_and_the_server_into_a_file(
    pg_cluster, pg_store, tmp_path, user_home, capsys
):
    url = pg_cluster.url(pg_store.url.database)
    bureau = office_file(tmp_path, "本局")
    save(bureau, "events", {"name": "科普日", "start_on": "2012-09-15"})
    assert cli.main(["merge", "--db", url, str(bureau)]) == 0
    assert command_messages.MOVE_DONE.format(server=pg_store.display_name) in capsys.readouterr().out
    office = office_file(tmp_path, "二科")
    save(office, "events", {"name": "成果展", "start_on": "2013-05-20"})
    assert cli.main(["merge", "--db", url, str(office)]) == 0
    out = capsys.readouterr().out
    [copy] = user_home.glob("backups/*/*.kjdb")
    assert command_messages.SERVER_MERGE_DONE.format(n=1, backup=copy) in out
    third = office_file(tmp_path, "三科")
    assert cli.main(["merge", "--db", str(third), url]) == 0
    assert sorted(live(third, "events").values()) == ["成果展", "科普日"]
    assert cli.main(["backup", "--db", url, "-o", str(tmp_path / "副本.kjdb")]) == 0
    assert sorted(live(tmp_path / "副本.kjdb", "events").values()) == ["成果展", "科普日"]


def test_a_merge_into_the_server_plans_again_when_a_clerk_saved_after_the_preview(bureau, pg_store, tmp_path):
    server_move.move_file(pg_store, bureau)
    office = office_file(tmp_path, "二科")
    save(office, "events", {"name": "成果展", "start_on": "2013-05-20"})
    plan = merge_service.plan_files(pg_store, office)
    with pg_store.writer() as session:  # another clerk's save between the preview and the merge
        session.execute(text("UPDATE events SET name = '另一位同事改的', updated_at = now() WHERE id = 1"))
    result = merge_service.merge(pg_store, plan)
    assert result.replanned and result.total == 1
    with pg_store.sessions() as session:
        names = set(session.execute(text("SELECT name FROM events")).scalars())
    assert {"成果展", "另一位同事改的"} <= names


def test_a_merge_into_the_server_backs_the_server_up_first_and_says_where(
    pg_cluster, pg_store, tmp_path, user_home, capsys
):
    url = pg_cluster.url(pg_store.url.database)
    bureau = office_file(tmp_path, "本局")
    save(bureau, "events", {"name": "科普日", "start_on": "2012-09-15"})
    assert cli.main(["merge", "--db", url, str(bureau)]) == 0  # an empty server: moved in, nothing to back up
    office = office_file(tmp_path, "二科")
    save(office, "events", {"name": "成果展", "start_on": "2013-05-20"})
    assert cli.main(["merge", "--dry-run", "--db", url, str(office)]) == 0
    assert not list(user_home.glob("backups/*/*.kjdb"))  # a preview writes nothing, so it backs nothing up
    capsys.readouterr()
    assert cli.main(["merge", "--db", url, str(office)]) == 0
    [copy] = user_home.glob(f"backups/{pg_store.url.database}-*/*.kjdb")
    assert command_messages.SERVER_MERGE_DONE.format(n=1, backup=copy) in capsys.readouterr().out
    assert sorted(live(copy, "events").values()) == ["科普日"]  # the server as it was before the merge
