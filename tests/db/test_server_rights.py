"""Rights the server itself enforces (db/server_triggers.py, db/server_history.py): a clerk with psql can
neither sign a record with another's name, empty one without being 管理员, nor add, change or remove a line
of its history."""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import select, text, update

from db import messages
from db.database import open_data_file
from db.models import ENTITY_MODELS, ChangeLog, Enterprise, Patent, Project
from db.server import WRITE_LOCK, RightsMissingError, ServerError, open_server
from db.server_accounts import ADMIN, EDITOR, VIEWER, add_account
from db.server_admin import init_server, roles_of
from db.server_triggers import content_columns
from kejiju_desktop import fields
from kejiju_desktop.services import history, records
from kejiju_desktop.services.exchange import importer
from kejiju_desktop.services.portability import merge as merge_service
from tests.core.merge_helpers import delete, office_file, save
from tests.fixtures.xlsx.sheets import PATENT_HEADERS, patent_row, write_sheet

psycopg = pytest.importorskip("psycopg")
PASSWORD = "口令-1"
REFUSED = "42501"  # insufficient_privilege


@dataclass
class Server:
    """An initialised database with one account of each kind, named after the database (roles are
    cluster-wide)."""

    cluster: object
    database: str

    def account(self, kind: str) -> str:
        return f"{kind}_{self.database[-8:]}"

    def store(self, kind: str):
        """The program's store logged in as the account of `kind`."""
        return open_server(self.cluster.url(self.database, user=self.account(kind)), PASSWORD)

    def raw(self, kind: str):
        """psql's view: a plain autocommit connection as the account of `kind`, our schema first."""
        conn = self.cluster.connect(self.database, user=self.account(kind), password=PASSWORD)
        conn.execute("SET search_path = kejiju")
        return conn


@pytest.fixture
def server(pg_cluster, pg_database):
    store = open_server(pg_cluster.url(pg_database))
    try:
        init_server(store)
        found = Server(pg_cluster, pg_database)
        with store.sessions.begin() as session:
            for kind in (ADMIN, EDITOR, VIEWER):
                add_account(session, found.account(kind), kind, PASSWORD)
    finally:
        store.close()
    return found


@pytest.fixture
def stores(server):
    opened = {kind: server.store(kind) for kind in (ADMIN, EDITOR, VIEWER)}
    yield opened
    for store in opened.values():
        store.close()


def _new_unit(store, name: str = "甲公司") -> tuple[int, str]:
    with store.writer() as session:
        unit = records.save_record(session, fields.ENTERPRISES, {"name": name}, operator="录入时的名字")
        return unit.id, unit.uid


def _stored(store, model, record_id: int):
    with store.sessions() as session:
        return session.get(model, record_id)


def _refused(conn, sql: str, params=()) -> None:
    with pytest.raises(psycopg.Error) as refused:
        conn.execute(sql, params)
    assert refused.value.sqlstate == REFUSED, refused.value


def test_a_clerks_raw_update_is_signed_with_their_login_the_servers_clock_and_the_next_version(
    server, stores
):
    unit_id, uid = _new_unit(stores[EDITOR])
    assert _stored(stores[EDITOR], Enterprise, unit_id).updated_by == server.account(EDITOR)
    with server.raw(EDITOR) as conn:
        conn.execute(
            "UPDATE enterprises SET phone = '1', updated_by = '张三', updated_at = '2001-01-01', version = 99 "
            "WHERE uid = %s",
            (uid,),
        )
        clock = conn.execute("SELECT now() AT TIME ZONE 'utc'").fetchone()[0]
    unit = _stored(stores[EDITOR], Enterprise, unit_id)
    assert (unit.updated_by, unit.version) == (server.account(EDITOR), 2)
    assert abs(unit.updated_at - clock) < dt.timedelta(seconds=5)
    with stores[EDITOR].writer() as session:  # the ORM's `WHERE version = 2`, setting 3: no double bump
        records.save_record(session, fields.ENTERPRISES, {"phone": "2"}, record_id=unit_id, seen_version=2)
    assert _stored(stores[EDITOR], Enterprise, unit_id).version == 3


def test_only_an_administrator_may_empty_a_record_and_its_history_is_blanked(server, stores):
    unit_id, uid = _new_unit(stores[EDITOR], "独一无二的单位名")
    with stores[EDITOR].writer() as session:
        records.delete_record(session, fields.ENTERPRISES, unit_id)
    with pytest.raises(RightsMissingError), stores[EDITOR].writer() as session:
        records.purge_record(session, fields.ENTERPRISES, unit_id)  # its history's blanking: no grant
    with server.raw(EDITOR) as conn:
        emptied = ", ".join(f"{column} = NULL" for column in content_columns("enterprises"))
        _refused(conn, f"UPDATE enterprises SET {emptied} WHERE uid = %s", (uid,))
        _refused(conn, "DELETE FROM enterprises WHERE uid = %s", (uid,))
    assert _stored(stores[EDITOR], Enterprise, unit_id).name == "独一无二的单位名"
    with stores[ADMIN].writer() as session:
        records.purge_record(session, fields.ENTERPRISES, unit_id)
    with stores[ADMIN].sessions() as session:
        stored = session.scalars(select(ChangeLog.changes).where(ChangeLog.uid == uid)).all()
        lines = history.list_history(session, fields.ENTERPRISES, unit_id)
    assert _stored(stores[ADMIN], Enterprise, unit_id).name is None
    assert len(stored) == 3 and not any("独一无二的单位名" in text for text in stored)
    assert lines[0].operator == server.account(ADMIN) and all(line.purged for line in lines[1:])


@pytest.mark.parametrize("kind", [EDITOR, ADMIN])
def test_no_clerk_can_add_change_or_remove_a_history_line_by_hand(server, stores, kind):
    """Only the server writes the change log: no line by hand, not even with its record written in the
    same transaction (which an older server let through), and no id taken from its sequence."""
    unit_id, uid = _new_unit(stores[EDITOR])
    line = (
        "INSERT INTO change_log(table_name, uid, action, at, operator, fields, changes) "
        "VALUES (%s, %s, 'update', '2001-01-01', '张三', '[]', '{\"phone\": [\"\", \"2\"]}')"
    )
    with server.raw(kind) as conn:
        _refused(conn, line, ("enterprises", uid))
        _refused(conn, "UPDATE change_log SET operator = '张三'")
        _refused(conn, "UPDATE change_log SET changes = ''")
        _refused(conn, "DELETE FROM change_log")
        _refused(conn, "SELECT nextval('change_log_id_seq')")
        with pytest.raises(psycopg.Error) as refused, conn.transaction():
            conn.execute("UPDATE enterprises SET phone = '1' WHERE uid = %s", (uid,))
            conn.execute(line, ("enterprises", uid))
        assert refused.value.sqlstate == REFUSED
        conn.execute("UPDATE enterprises SET phone = '1' WHERE uid = %s", (uid,))  # psql's own edit
        clock = conn.execute("SELECT now() AT TIME ZONE 'utc'").fetchone()[0]
    with stores[EDITOR].sessions() as session:
        written = session.scalars(select(ChangeLog).order_by(ChangeLog.id)).all()
    assert [(w.action, w.operator, w.changes) for w in written] == [
        ("create", server.account(EDITOR), '{"name":["","甲公司"],"unit_type":["","企业"]}'),
        ("update", server.account(kind), '{"phone":["","1"]}'),
    ]
    assert abs(written[1].at - clock) < dt.timedelta(seconds=5)
    assert _stored(stores[EDITOR], Enterprise, unit_id).updated_by == server.account(kind)


def test_no_clerk_moves_a_records_identity_or_birth_by_hand(server, stores):
    """uid ties a record to its history, its merges and its tombstone; created_at is when it was made."""
    unit_id, uid = _new_unit(stores[EDITOR])
    for kind in (EDITOR, ADMIN):
        with server.raw(kind) as conn:
            _refused(conn, "UPDATE enterprises SET uid = %s WHERE uid = %s", (str(uuid.uuid4()), uid))
            _refused(conn, "UPDATE enterprises SET created_at = '2001-01-01' WHERE uid = %s", (uid,))
    with pytest.raises(RightsMissingError) as refused, stores[EDITOR].writer() as session:
        session.get(Enterprise, unit_id).uid = str(uuid.uuid4())
    assert str(refused.value) == messages.SERVER_IDENTITY_FIXED  # the trigger's own sentence, as said
    assert _stored(stores[EDITOR], Enterprise, unit_id).uid == uid


def test_a_viewer_writes_no_record(server, stores):
    _unit_id, uid = _new_unit(stores[EDITOR])
    with server.raw(VIEWER) as conn:
        _refused(conn, "INSERT INTO enterprises(uid, name, created_at, updated_at, updated_by, "
                       "confirmed_warnings) VALUES ('x', '乙', now(), now(), '', '')")  # fmt: skip
        _refused(conn, "UPDATE enterprises SET phone = '1' WHERE uid = %s", (uid,))
        _refused(conn, "DELETE FROM enterprises WHERE uid = %s", (uid,))


def _every_kind_of_write(editor, admin, sheet, theirs) -> None:
    """Save, edit, delete and restore a unit; import a patent; merge another office's project and purge it
    (both by `admin`: only 管理员 writes a server's merge marks; the rest by `editor`)."""
    unit_id, _uid = _new_unit(editor)
    with editor.writer() as session:
        records.save_record(session, fields.ENTERPRISES, {"phone": "028-1"}, record_id=unit_id)
        records.delete_record(session, fields.ENTERPRISES, unit_id)
    with editor.writer() as session:
        records.restore_record(session, fields.ENTERPRISES, unit_id)
    with editor.writer() as session:
        importer.import_file(session, fields.PATENTS, sheet)
    merge_service.merge(admin, merge_service.plan_files(admin, theirs))
    with admin.writer() as session:
        project_id = session.scalar(select(Project.id))
        records.delete_record(session, fields.PROJECTS, project_id)
        records.purge_record(session, fields.PROJECTS, project_id)


def _histories(store) -> list[tuple]:
    """Every line of the unit's, the patent's and the project's history, newest first."""
    found = []
    with store.sessions() as session:
        for entity, model in (
            (fields.ENTERPRISES, Enterprise),
            (fields.PATENTS, Patent),
            (fields.PROJECTS, Project),
        ):
            record_id = session.scalar(select(model.id))
            for line in history.list_history(session, entity, record_id):
                kept = tuple((change.key, change.old, change.new) for change in line.fields)
                found.append((line.operator, line.action, line.their_operator, line.purged, kept))
    return found


def test_the_history_of_every_kind_of_write_names_the_account_and_reads_as_on_a_file(
    server, stores, data, tmp_path
):
    sheet = write_sheet(tmp_path / "patents.xlsx", [PATENT_HEADERS, patent_row(1)])
    theirs = office_file(tmp_path, "乙科室")
    save(theirs, "projects", {"name": "合并来的项目", "level": "省", "apply_year": "2012"})
    _every_kind_of_write(data, data, sheet, theirs)
    _every_kind_of_write(stores[EDITOR], stores[ADMIN], sheet, theirs)
    on_file, on_server = _histories(data), _histories(stores[EDITOR])
    assert [line[1:] for line in on_server] == [line[1:] for line in on_file]
    assert [line[:2] for line in on_server] == [
        (server.account(EDITOR), "restore"),
        (server.account(EDITOR), "delete"),
        (server.account(EDITOR), "update"),
        (server.account(EDITOR), "create"),
        (server.account(EDITOR), "create"),
        (server.account(ADMIN), "purge"),
        (server.account(ADMIN), "delete"),
        (server.account(ADMIN), "merge-new"),
    ]


def test_another_offices_purge_is_merged_in_by_an_administrator_only(server, stores, tmp_path):
    theirs = office_file(tmp_path, "乙科室")
    uid = save(theirs, "projects", {"name": "要永久删除的项目", "level": "省", "apply_year": "2012"})
    merge_service.merge(stores[ADMIN], merge_service.plan_files(stores[ADMIN], theirs))
    delete(theirs, "projects", uid, purge=True)
    with pytest.raises(merge_service.MergeRefused):  # emptying our record is 永久删除: not a 录入员's to do
        merge_service.plan_files(stores[EDITOR], theirs)  # said at the preview, before anything is written
    merge_service.merge(stores[ADMIN], merge_service.plan_files(stores[ADMIN], theirs))
    with stores[ADMIN].sessions() as session:
        stored = session.scalars(select(ChangeLog.changes).where(ChangeLog.uid == uid)).all()
        project = session.scalars(select(Project).where(Project.uid == uid)).one()
    assert project.name is None and project.deleted_at is not None
    assert len(stored) == 2 and not any("要永久删除的项目" in text for text in stored)


def _rewrite_line(store, uid: str, rewrite, purge_id: int | None = None, action: str = "create") -> None:
    """In one transaction of `store`: purge the unit `purge_id` (unless None), then rewrite the `changes`
    of the record `uid`'s line of `action` by `rewrite` (what a clerk's program did on an older server)."""
    with store.writer() as session:
        if purge_id is not None:
            records.purge_record(session, fields.ENTERPRISES, purge_id)
        lines = select(ChangeLog).where(ChangeLog.uid == uid, ChangeLog.action == action)
        line = session.scalars(lines).one()
        changes = json.loads(line.changes)
        rewrite(changes)
        session.execute(update(ChangeLog).where(ChangeLog.id == line.id).values(changes=json.dumps(changes)))


def test_a_purge_blanks_its_units_name_in_other_lines_itself_and_no_clerk_may(server, stores):
    """The server blanks a purged unit's name in the lines of the records pointing at it; a 管理员 may no
    longer rewrite a line, not even in the transaction of the purge (an older server let the blanking
    through)."""
    unit_id, _uid = _new_unit(stores[EDITOR], "要删的单位")
    with stores[EDITOR].writer() as session:
        raw = {"name": "项目", "level": "省", "apply_year": "2012", "unit_id": unit_id}
        project_uid = records.save_record(session, fields.PROJECTS, raw, confirm_warnings=True).uid
        records.delete_record(session, fields.ENTERPRISES, unit_id)

    def blank(changes):
        changes["unit_id"][1] = ""

    with pytest.raises(RightsMissingError):
        _rewrite_line(stores[ADMIN], project_uid, blank, purge_id=unit_id)
    with stores[ADMIN].writer() as session:
        records.purge_record(session, fields.ENTERPRISES, unit_id)
    with stores[ADMIN].sessions() as session:
        kept = json.loads(
            session.scalars(select(ChangeLog.changes).where(ChangeLog.uid == project_uid)).one()
        )
    assert kept["unit_id"] == ["", ""] and kept["name"] == ["", "项目"]


def test_a_viewer_cannot_keep_every_writer_out_with_the_write_lock(server, stores, monkeypatch):
    from db import server as server_module  # its LOCK_WAIT, shortened

    monkeypatch.setattr(server_module, "LOCK_WAIT", "500ms")
    with server.raw(VIEWER) as conn:
        for call in ("pg_advisory_lock", "pg_advisory_lock_shared", "pg_try_advisory_lock"):
            with pytest.raises(psycopg.Error) as refused:
                conn.execute(f"SELECT {call}(%s)", (WRITE_LOCK,))  # held until the viewer logs off
            assert refused.value.sqlstate == REFUSED
        with stores[EDITOR].writer() as session:
            session.execute(text("INSERT INTO settings(key, value) VALUES ('k', 'v')"))


def test_a_viewer_still_backs_up_and_waits_for_an_edit_being_committed(server, stores, tmp_path):
    stamped = threading.Event()

    def edit() -> None:
        with stores[EDITOR].writer() as session:
            session.execute(text("INSERT INTO settings(key, value) VALUES ('k', 'v')"))
            stamped.set()
            time.sleep(1.0)  # committed a second later

    writer = threading.Thread(target=edit)
    writer.start()
    stamped.wait(10)
    stores[VIEWER].backup_to(tmp_path / "副本.kjdb")
    writer.join()
    copy = open_data_file(tmp_path / "副本.kjdb", take_lock=False)
    try:
        with copy.sessions() as session:
            assert session.execute(text("SELECT value FROM settings WHERE key = 'k'")).scalar() == "v"
    finally:
        copy.close()


def test_an_administrator_cannot_take_the_roles_of_a_database_not_yet_set_up(server, stores, pg_cluster):
    """Roles are cluster-wide: an account named like another database's owner or group would become it
    when IT runs `server init` there (and the owner may create roles)."""
    future = f"kj_{uuid.uuid4().hex[:12]}"
    roles = roles_of(future)
    with stores[ADMIN].sessions.begin() as session:
        for name in (roles.owner, roles.admin):
            with pytest.raises(ServerError) as refused:
                add_account(session, name, VIEWER, PASSWORD)
            assert str(refused.value) == messages.ACCOUNT_ROLE_NAME.format(name=name)
    with pg_cluster.connect() as conn:  # made by hand, as a superuser might have: init refuses to adopt it
        conn.execute(f"CREATE ROLE \"{roles.admin}\" LOGIN PASSWORD 'x'")
        conn.execute(f"CREATE DATABASE {future} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'")
    store = open_server(pg_cluster.url(future))
    try:
        with pytest.raises(ServerError) as refused:
            init_server(store)
        assert str(refused.value) == messages.SERVER_ROLE_TAKEN.format(role=roles.admin)
    finally:
        store.close()
        with pg_cluster.connect() as conn:
            conn.execute(f"DROP DATABASE {future} WITH (FORCE)")
            conn.execute(f'DROP ROLE "{roles.admin}"')


def test_not_even_an_administrator_removes_a_record_without_its_tombstone(server, stores):
    """A removed row leaves no 永久删除 mark (another office's merge would bring it back as new) and no
    line in its history: the program empties a record instead, which its history shows."""
    unit_id, uid = _new_unit(stores[EDITOR])
    with server.raw(ADMIN) as conn:
        for table in ENTITY_MODELS:
            _refused(conn, f"DELETE FROM {table}")
    assert _stored(stores[ADMIN], Enterprise, unit_id).uid == uid


def test_a_name_postgresql_would_cut_short_is_refused_with_a_sentence(server, stores, pg_cluster):
    """PostgreSQL keeps 63 bytes of a name: a longer account would be made under another name, and the
    roles of a database with a long name would be cut to one and the same (the owner's, every group)."""
    too_long = "张" * 22  # 66 bytes
    with stores[ADMIN].sessions.begin() as session, pytest.raises(ServerError) as refused:
        add_account(session, too_long, VIEWER, PASSWORD)
    assert str(refused.value) == messages.ACCOUNT_TOO_LONG.format(name=too_long)
    long_name = "kj_" + "a" * 59
    with pg_cluster.connect() as conn:
        conn.execute(f"CREATE DATABASE {long_name} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'")
    store = open_server(pg_cluster.url(long_name))
    try:
        with pytest.raises(ServerError) as refused:
            init_server(store)
        assert str(refused.value) == messages.SERVER_NAME_TOO_LONG.format(database=long_name)
    finally:
        store.close()
        with pg_cluster.connect() as conn:
            conn.execute(f"DROP DATABASE {long_name} WITH (FORCE)")


def test_a_purge_blanks_no_history_but_its_own_and_its_units_name(server, stores):
    """Emptying one record in a transaction let 管理员 blank any other record's lines in it too."""
    kept_id, kept_uid = _new_unit(stores[EDITOR], "留下的单位")
    junk_id, _junk_uid = _new_unit(stores[EDITOR], "要删的单位")
    with stores[EDITOR].writer() as session:
        records.save_record(session, fields.ENTERPRISES, {"phone": "028-1"}, record_id=kept_id)
        records.delete_record(session, fields.ENTERPRISES, junk_id)

    def blank_all(changes):
        for values in changes.values():
            values[:] = ["" for _value in values]

    with pytest.raises(RightsMissingError):
        _rewrite_line(stores[ADMIN], kept_uid, blank_all, purge_id=junk_id, action="update")
    with server.raw(ADMIN) as conn:
        blanked = "replace(changes, '\"留下的单位\"', '\"\"')"
        _refused(conn, f"UPDATE change_log SET changes = {blanked} WHERE uid = %s", (kept_uid,))
    with stores[ADMIN].sessions() as session:
        said = session.scalars(select(ChangeLog.changes).where(ChangeLog.uid == kept_uid)).all()
    assert all("留下的单位" in text or "028-1" in text for text in said)


def test_only_an_administrator_changes_the_servers_office_id(server, stores):
    """office_id tells another office's merge which marks are ours: a 录入员 changing it would make the next
    merge take every edit as never seen, or skip them."""
    with server.raw(EDITOR) as conn:
        _refused(conn, "UPDATE settings SET value = 'x' WHERE key = 'office_id'")
    with server.raw(ADMIN) as conn:
        conn.execute("UPDATE settings SET value = value WHERE key = 'office_id'")
    with server.raw(EDITOR) as conn:  # the other settings stay an editor's to change
        conn.execute("UPDATE settings SET value = value WHERE key <> 'office_id'")


def test_a_write_the_server_refuses_is_logged_in_one_line_with_its_sentence(server, stores, caplog):
    caplog.set_level(logging.INFO, logger="db.server")
    with pytest.raises(RightsMissingError), stores[VIEWER].writer() as session:
        records.save_record(session, fields.ENTERPRISES, {"name": "乙公司"})
    [line] = [
        record for record in caplog.records if record.name == "db.server" and "refused" in record.message
    ]
    assert line.exc_info is None  # a refusal expected of a 查看, not a fault: no traceback in the log
    assert messages.SERVER_RIGHTS_MISSING.format(account=server.account(VIEWER)) in line.getMessage()
