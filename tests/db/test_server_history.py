"""A server writes each record's history itself (db/server_history.py): the same lines as a file writes for
the same edits, signed by the login, and no clerk may write the change log."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from db import server_history
from db.database import open_data_file
from db.models import ENTITY_MODELS, ChangeLog
from db.server_accounts import ADMIN, EDITOR
from db.server_history import DATE, MONEY, TEXT, UNIT, line_columns
from kejiju_desktop import fields
from kejiju_desktop.services import history, records, settings
from kejiju_desktop.services.exchange import importer
from kejiju_desktop.services.portability import merge as merge_service
from tests.core.merge_helpers import office_file, save
from tests.db import test_server_rights as rights
from tests.fixtures.xlsx.sheets import PATENT_HEADERS, patent_row, write_sheet

server, stores = rights.server, rights.stores  # its fixtures: the accounts of each kind
KINDS = {fields.UNIT: UNIT, fields.DATE: DATE, fields.MONEY: MONEY}  # any other kind: its text


def test_the_servers_lines_show_each_field_as_its_spec_says():
    """db/ reads the fields off the tables; they must be the specs' fields, each shown as changes.field_text
    shows its kind (a unit by name, a date, 万元 in hundredths with 2 decimals)."""
    for table, entity in fields.ENTITIES.items():
        expected = {(spec.key, KINDS.get(spec.kind, TEXT)) for spec in entity.fields}
        assert set(line_columns(table)) == expected, table
    assert set(fields.ENTITIES) == set(ENTITY_MODELS)


def _write(store, work) -> None:
    with store.writer() as session:
        work(session)


def _edits(editor, folder) -> int:
    """Two units and a project made, the project edited in every kind of field, a value put back, the
    project to the bin and back; returns the first unit's id."""
    units = {}

    def create(session):
        for name in ("甲公司", "乙公司"):
            units[name] = records.save_record(session, fields.ENTERPRISES, {"name": name}).id
        raw = {"name": "液压缸研发", "level": "省", "apply_year": "2012", "funding": "12.5",
               "start_on": "2012-03-05", "unit_id": units["甲公司"], "note": "原由甲公司申报"}  # fmt: skip
        units["project"] = records.save_record(session, fields.PROJECTS, raw, confirm_warnings=True).id

    _write(editor, create)
    project = units["project"]
    edit = {"name": "液压缸研发二期", "level": "市", "funding": "20", "start_on": "2012-04-01",
            "unit_id": units["乙公司"]}  # fmt: skip
    _write(
        editor,
        lambda s: records.save_record(s, fields.PROJECTS, edit, record_id=project, confirm_warnings=True),
    )
    _write(editor, lambda s: history.restore_value(s, fields.PROJECTS, project, "funding", "12.50"))
    _write(editor, lambda s: records.delete_record(s, fields.PROJECTS, project))
    _write(editor, lambda s: records.restore_record(s, fields.PROJECTS, project))
    return units["甲公司"]


def _imports_and_merges(editor, admin, folder) -> None:
    """A sheet of patents imported, then again with --on-duplicate update; another office's project merged
    in, changed there and merged again (by `admin`: a merge into a server is a 管理员's)."""
    sheet = write_sheet(folder / "patents.xlsx", [PATENT_HEADERS, patent_row(1), patent_row(2)])
    again = write_sheet(folder / "again.xlsx", [PATENT_HEADERS, patent_row(1, 专利名称="改过的名称")])
    update = importer.ImportOptions(on_duplicate=importer.UPDATE)
    _write(editor, lambda s: importer.import_file(s, fields.PATENTS, sheet))
    _write(editor, lambda s: importer.import_file(s, fields.PATENTS, again, update))
    theirs = office_file(folder, "乙科室")
    other = open_data_file(theirs, take_lock=False)
    with other.sessions.begin() as session:
        settings.put(session, settings.OPERATOR, "乙科室的王五")
    other.close()
    uid = save(theirs, "projects", {"name": "合并来的项目", "level": "省", "apply_year": "2012"})
    merge_service.merge(admin, merge_service.plan_files(admin, theirs))
    save(theirs, "projects", {"name": "合并来的项目（改）", "funding": "3"}, uid=uid)
    merge_service.merge(admin, merge_service.plan_files(admin, theirs))


def _purges(admin, unit_id: int) -> None:
    """The first unit purged (its name leaves the project's lines), and the last patent imported."""
    patents = ENTITY_MODELS["patents"]

    def purge(session):
        records.delete_record(session, fields.ENTERPRISES, unit_id)
        records.purge_record(session, fields.ENTERPRISES, unit_id)
        patent_id = session.scalar(select(patents.id).order_by(patents.id.desc()).limit(1))
        records.delete_record(session, fields.PATENTS, patent_id)
        records.purge_record(session, fields.PATENTS, patent_id)

    _write(admin, purge)


def _story(editor, admin, folder) -> None:
    folder.mkdir()
    unit_id = _edits(editor, folder)
    _imports_and_merges(editor, admin, folder)
    _purges(admin, unit_id)


def _histories(store) -> tuple[list[tuple], set[str]]:
    """Every record's history as the 历史记录 shows it (author and time aside), and the authors."""
    found, authors = [], set()
    with store.sessions() as session:
        for table, model in ENTITY_MODELS.items():
            for record_id in session.scalars(select(model.id).order_by(model.id)):
                for line in history.list_history(session, fields.ENTITIES[table], record_id):
                    kept = tuple((change.key, change.label, change.old, change.new) for change in line.fields)
                    found.append((table, record_id, line.action, line.their_operator, line.purged, kept))
                    authors.add(line.operator)
    return found, authors


def test_a_servers_history_reads_line_by_line_as_the_files_for_the_same_edits(server, stores, data, tmp_path):
    _story(data, data, tmp_path / "file")
    _story(stores[EDITOR], stores[ADMIN], tmp_path / "server")
    on_file, _file_authors = _histories(data)
    on_server, authors = _histories(stores[EDITOR])
    assert on_server == on_file
    assert authors == {server.account(EDITOR), server.account(ADMIN)}
    assert stores[EDITOR].capabilities.writes_history and not data.capabilities.writes_history
    actions = {line[2] for line in on_server}
    assert actions == {"create", "update", "delete", "restore", "purge", "merge-new", "merge-update"}
    assert {line[3] for line in on_server} == {"", "乙科室的王五"}  # the other office's, told by the merge
    project_lines = [line for line in on_server if line[:2] == ("projects", 1)]
    assert not any("甲公司" in (change[2], change[3]) for line in project_lines for change in line[5])


def test_a_clerks_raw_update_gets_the_line_the_program_would_have_written(server, stores, data):
    """psql's UPDATE of a date, an amount and a unit: the server's line shows them as the form does."""
    for store in (data, stores[EDITOR]):
        with store.writer() as session:
            unit = records.save_record(session, fields.ENTERPRISES, {"name": "甲公司"})
            raw = {"name": "项目", "level": "省", "apply_year": "2012"}
            records.save_record(session, fields.PROJECTS, raw, confirm_warnings=True)
    edit = {"start_on": dt.date(2012, 3, 5), "funding": 1250, "unit_id": unit.id}  # hundredths, as stored
    with data.writer() as session:
        values = {"start_on": "2012-03-05", "funding": "12.5", "unit_id": unit.id}
        records.save_record(session, fields.PROJECTS, values, record_id=1, confirm_warnings=True)
    with server.raw(EDITOR) as conn:
        conn.execute(
            "UPDATE projects SET start_on = %(start_on)s, funding = %(funding)s, unit_id = %(unit_id)s", edit
        )
    on_file, _authors = _histories(data)
    on_server, authors = _histories(stores[EDITOR])
    assert on_server == on_file and authors == {server.account(EDITOR)}
    assert on_server[-2][5][0][2:] == ("", "甲公司")  # the update line, newest first: 承担单位's name


def test_a_write_changing_no_field_adds_no_line(server, stores):
    """A sort key rewritten alone, or a record written with what it holds, is no change of the record."""
    with stores[EDITOR].writer() as session:
        records.save_record(session, fields.ENTERPRISES, {"name": "甲公司"})
    with server.raw(EDITOR) as conn:
        conn.execute("UPDATE enterprises SET name_sort = 'x'")
        conn.execute("UPDATE enterprises SET name = name, phone = phone")
        conn.execute("UPDATE enterprises SET confirmed_warnings = 'phone'")  # a line, as a file's save writes
        actions = [row[0] for row in conn.execute("SELECT action FROM change_log ORDER BY id")]
    assert actions == ["create", "update"]


@pytest.mark.parametrize("kind", [EDITOR, ADMIN])
def test_no_group_holds_a_right_to_write_the_change_log(server, kind):
    with server.raw(kind) as conn:
        rights = conn.execute(
            "SELECT has_table_privilege('change_log', 'INSERT'), has_table_privilege('change_log', 'UPDATE'), "
            "has_table_privilege('change_log', 'DELETE'), has_sequence_privilege('change_log_id_seq', 'USAGE'), "
            "has_table_privilege('change_log', 'SELECT')"
        ).fetchone()
    assert rights == (False, False, False, False, True)


def _noted_write(conn, notes: dict[str, str], sql: str) -> None:
    """psql's write with the notes the trigger reads set in its transaction, as the program sets them."""
    with conn.transaction():
        for name, value in notes.items():
            conn.execute("SELECT set_config(%s, %s, true)", (name, value))
        conn.execute(sql)


MERGE_NOTES = {server_history.ACTION: "merge-update", server_history.THEIR_OPERATOR: "乙科室的王五"}
INSERT_NOTES = {server_history.ACTION: "merge-new", server_history.THEIR_OPERATOR: "乙科室的王五"}
SUPERUSER_NOTES = {server_history.OFF: "on", server_history.OPERATOR: "别人"}
NEW_UNIT = (
    "INSERT INTO enterprises (uid, name, name_sort, version, created_at, updated_at, confirmed_warnings) "
    "VALUES (gen_random_uuid()::text, '乙公司', '', 1, now(), now(), '')"
)


@pytest.mark.parametrize("kind, merged", [(EDITOR, False), (ADMIN, True)])
def test_only_an_administrators_notes_make_a_merge_line_and_no_clerks_write_goes_unlogged(
    server, stores, kind, merged
):
    """A 录入员 setting the merge notes from psql gets their own edit's line, not another office's merge
    (a merge into a server is a 管理员's); nobody but a superuser writes no line or names another."""
    with stores[EDITOR].writer() as session:
        records.save_record(session, fields.ENTERPRISES, {"name": "甲公司"})
    with server.raw(kind) as conn:
        _noted_write(conn, MERGE_NOTES, "UPDATE enterprises SET phone = '123' WHERE name = '甲公司'")
        _noted_write(conn, INSERT_NOTES, NEW_UNIT)
        _noted_write(conn, SUPERUSER_NOTES, "UPDATE enterprises SET phone = '456' WHERE name = '甲公司'")
        lines = conn.execute(
            "SELECT action, operator, fields, changes FROM change_log ORDER BY id"
        ).fetchall()
    account = server.account(kind)
    if merged:
        assert [line[0] for line in lines[1:3]] == ["merge-update", "merge-new"]
        assert all("乙科室的王五" in line[3] for line in lines[1:3])
    else:
        assert lines[1:3] == [
            ("update", account, '["phone"]', '{"phone":["","123"]}'),
            ("create", account, '["name"]', '{"name":["","乙公司"]}'),
        ]
    assert lines[3] == ("update", account, '["phone"]', '{"phone":["123","456"]}')


@pytest.mark.parametrize("kind", [EDITOR, ADMIN])
def test_no_clerk_puts_the_history_trigger_on_a_table_of_their_own(server, stores, kind):
    """A temporary table named as a record table, given the owner's trigger, would write any line the
    clerk likes, and blank a record's lines with a forged 永久删除."""
    with server.raw(kind) as conn:
        conn.execute("CREATE TEMP TABLE enterprises (LIKE kejiju.enterprises)")
        for table in ENTITY_MODELS:
            rights._refused(
                conn,
                f"CREATE TRIGGER forged AFTER INSERT OR UPDATE ON pg_temp.enterprises "
                f"FOR EACH ROW EXECUTE FUNCTION kejiju.{table}_history()",
            )


TRICKY_TEXT = "他说\"好\"\n第二行 \\路径\\ '单引号' %_"


def _tricky_story(store) -> None:
    """Every kind of field written, rewritten, emptied and put back; a unit renamed after its project's
    lines named it; a record written twice in one transaction; to the bin and back."""
    projects = fields.PROJECTS
    with store.writer() as session:
        first = records.save_record(session, fields.ENTERPRISES, {"name": "甲公司"}).id
        second = records.save_record(session, fields.ENTERPRISES, {"name": "乙公司", "note": ""}).id
        raw = {"name": TRICKY_TEXT, "level": "省", "apply_year": "2012", "funding": "0.01",
               "start_on": "2012-03-05", "unit_id": first, "note": "\\"}  # fmt: skip
        project = records.save_record(session, projects, raw, confirm_warnings=True).id
    edit = {
        "funding": "20000000.00",
        "start_on": "2000-02-29",
        "level": "市",
        "note": "",
        "apply_year": "2013",
    }
    for store_edit in (edit, {"funding": "", "note": "末行\n"}):
        with store.writer() as session:
            records.save_record(session, projects, store_edit, record_id=project, confirm_warnings=True)
    with store.writer() as session:
        records.save_record(session, fields.ENTERPRISES, {"name": "甲公司（改名）"}, record_id=first)
    with store.writer() as session:  # twice in one transaction: a line each
        records.save_record(session, projects, {"unit_id": second}, record_id=project, confirm_warnings=True)
        records.save_record(session, projects, {"name": "改 名"}, record_id=project, confirm_warnings=True)
    with store.writer() as session:
        history.restore_value(session, projects, project, "funding", "20000000.00")
        history.restore_value(session, projects, project, "name", TRICKY_TEXT)
    with store.writer() as session:
        records.delete_record(session, projects, project)
    with store.writer() as session:
        records.restore_record(session, projects, project)


def _raw_lines(store) -> list[tuple]:
    with store.sessions() as session:
        columns = (ChangeLog.table_name, ChangeLog.action, ChangeLog.fields, ChangeLog.changes)
        return [tuple(row) for row in session.execute(select(*columns).order_by(ChangeLog.id))]


SHOWN = "他说\"好\" 第二行 \\路径\\ '单引号' %_"  # as the form stores it: the newline a space
TRICKY_LINES = [
    ("enterprises", "create", '["name", "unit_type"]', '{"name":["","甲公司"],"unit_type":["","企业"]}'),
    ("enterprises", "create", '["name", "unit_type"]', '{"name":["","乙公司"],"unit_type":["","企业"]}'),
    ("projects", "create", '["apply_year", "funding", "level", "name", "note", "start_on", "status", "unit_id"]',
     json.dumps({"name": ["", SHOWN], "level": ["", "省"], "unit_id": ["", "甲公司"], "apply_year": ["", "2012"],
                 "status": ["", "申报中"], "funding": ["", "0.01"], "start_on": ["", "2012-03-05"],
                 "note": ["", "\\"]}, ensure_ascii=False, separators=(",", ":"))),
    ("projects", "update", '["apply_year", "funding", "level", "note", "start_on"]',
     '{"level":["省","市"],"apply_year":["2012","2013"],"funding":["0.01","20000000.00"],'
     '"start_on":["2012-03-05","2000-02-29"],"note":["\\\\",""]}'),
    ("projects", "update", '["funding", "note"]', '{"funding":["20000000.00",""],"note":["","末行"]}'),
    ("enterprises", "update", '["name"]', '{"name":["甲公司","甲公司（改名）"]}'),
    ("projects", "update", '["unit_id"]', '{"unit_id":["甲公司（改名）","乙公司"]}'),
    ("projects", "update", '["name"]', json.dumps({"name": [SHOWN, "改 名"]}, ensure_ascii=False, separators=(",", ":"))),
    ("projects", "update", '["funding"]', '{"funding":["","20000000.00"]}'),
    ("projects", "update", '["name"]', json.dumps({"name": ["改 名", SHOWN]}, ensure_ascii=False, separators=(",", ":"))),
    ("projects", "delete", "[]", '{"deleted_at":["未删除","已删除"]}'),
    ("projects", "restore", "[]", '{"deleted_at":["已删除","未删除"]}'),
]  # fmt: skip


def test_every_kind_of_field_reads_the_same_in_a_files_line_and_a_servers(engine_store):
    """Quotes, backslashes, a newline, 万元 from 0.01 to the server's largest, a leap day, choices,
    emptied values, a unit renamed after its project's line named it, two writes in one transaction,
    恢复此值 and the bin: the line, text for text, is the same on either engine."""
    _tricky_story(engine_store)
    assert _raw_lines(engine_store) == TRICKY_LINES
