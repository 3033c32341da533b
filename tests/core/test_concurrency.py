"""Two clerks, one record: every update checks and bumps the version; a stale write is refused, never lost."""

import os
import sqlite3
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from db import server_accounts
from db.database import open_data_file
from db.models import ChangeLog, Enterprise, Setting
from db.server import open_server
from kejiju_desktop import cli, fields
from kejiju_desktop.services import records, settings, targets
from kejiju_desktop.services.records import RecordChangedError, RecordDeletedError

ROOT = Path(__file__).resolve().parents[2]
UNITS = fields.ENTERPRISES


@pytest.fixture
def data(engine_store):
    """Every test here that takes `data` or `session` runs on a data file and on a PostgreSQL server."""
    return engine_store


# One clerk's program: read the record, wait until both have read it, save it under the clerk's name
# from the version read; print what happened.
CLERK = """
import sys, time
from pathlib import Path
from db.database import open_data_file
from db.server import is_server_url, open_server
from kejiju_desktop import fields
from kejiju_desktop.services import records
path, name, folder = sys.argv[1], sys.argv[2], Path(sys.argv[3])
data = open_server(path) if is_server_url(path) else open_data_file(path)
with data.sessions() as session:
    seen = records.get_record(session, fields.ENTERPRISES, 1).version
(folder / ("ready-" + name)).touch()
while not (folder / "go").exists():
    time.sleep(0.01)
try:
    with data.writer() as session:
        raw = {"name": "示范县" + name + "改名有限公司"}
        records.save_record(session, fields.ENTERPRISES, raw, record_id=1, operator=name, seen_version=seen)
    print("saved")
except records.RecordChangedError as exc:
    print("conflict", exc.updated_by, exc.version)
data.close()
"""


def add_unit(data, name="示范县四星液压有限公司", operator="张三", **options):
    with data.writer() as session:
        return records.save_record(session, UNITS, {"name": name}, operator=operator, **options).id


def save_name(data, record_id, name, operator, seen_version=None):
    with data.writer() as session:
        record = records.save_record(
            session, UNITS, {"name": name}, record_id=record_id, operator=operator, seen_version=seen_version
        )
        return record.version


def stored(data, record_id):
    with data.sessions() as session:
        record = session.get(Enterprise, record_id)
        return record.name, record.version, record.updated_by


def race(where: str, folder: Path, passwords: dict[str, str]) -> list[str]:
    """Two clerks' programs (one per name, its password in PGPASSWORD) save record 1 of `where` at once;
    what each printed, sorted."""
    clerks = [
        subprocess.Popen(
            [sys.executable, "-c", CLERK, where.replace("{name}", name), name, str(folder)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PGPASSWORD": password},
        )
        for name, password in passwords.items()
    ]
    deadline = time.monotonic() + 60
    while not all((folder / f"ready-{n}").exists() for n in passwords) and time.monotonic() < deadline:
        time.sleep(0.01)
    (folder / "go").touch()
    return sorted(clerk.communicate(timeout=60)[0].strip() for clerk in clerks)


def test_two_processes_save_the_same_record_one_wins_the_other_is_told(db_file, tmp_path):
    """On a data file; on a server the next test, where each clerk has an account of their own."""
    data = open_data_file(db_file)
    add_unit(data)
    data.close()
    outcomes = race(str(db_file), tmp_path, {"甲": "", "乙": ""})
    assert outcomes[0] in ("conflict 甲 2", "conflict 乙 2") and outcomes[1] == "saved"
    winner = outcomes[0].split()[1]
    data = open_data_file(db_file)
    assert stored(data, 1) == (f"示范县{winner}改名有限公司", 2, winner)
    data.close()


def test_two_clerks_processes_save_the_same_record_on_a_server_one_wins_the_other_is_told(
    pg_cluster, pg_database, tmp_path
):
    """Each clerk under an account of their own: the server's trigger names who saved, not the program."""
    assert cli.main(["server", "init", "--db", pg_cluster.url(pg_database)]) == 0
    accounts = {f"甲{pg_database[-6:]}": "pw-甲", f"乙{pg_database[-6:]}": "pw-乙"}
    server = open_server(pg_cluster.url(pg_database))
    with server.writer() as session:
        for account, password in accounts.items():
            server_accounts.add_account(session, account, "editor", password)
    try:
        add_unit(server)
        outcomes = race(pg_cluster.url(pg_database, user="{name}"), tmp_path, accounts)
        winner = outcomes[0].split()[-2]  # the loser is told who saved first, and that version
        assert outcomes == [f"conflict {winner} 2", "saved"] and winner in accounts
        assert stored(server, 1) == (f"示范县{winner}改名有限公司", 2, winner)
        with server.sessions() as session:  # one update in the change log, the winner's: nothing else
            updates = session.scalars(select(ChangeLog.operator).where(ChangeLog.action == "update")).all()
    finally:
        server.close()
    assert updates == [winner]


def test_a_save_from_an_older_version_is_refused_with_who_when_and_their_values(data):
    record_id = add_unit(data)
    save_name(data, record_id, "示范县李四改的有限公司", "李四", seen_version=1)
    with pytest.raises(RecordChangedError) as info:
        save_name(data, record_id, "示范县张三改的有限公司", "张三", seen_version=1)
    error = info.value
    assert (error.version, error.updated_by, error.values["name"]) == (2, "李四", "示范县李四改的有限公司")
    assert str(error).startswith("该记录在读取之后已被李四于 ") and error.updated_at is not None
    assert stored(data, record_id) == ("示范县李四改的有限公司", 2, "李四")
    # 仍然保存: the clerk saves over the version now stored, knowingly: a new version.
    assert save_name(data, record_id, "示范县张三改的有限公司", "张三", seen_version=2) == 3


def test_a_record_deleted_meanwhile_is_said_so_with_who(data):
    record_id = add_unit(data)
    with data.writer() as session:
        records.delete_record(session, UNITS, record_id, operator="李四")
    with pytest.raises(RecordDeletedError) as info:
        save_name(data, record_id, "示范县张三改的有限公司", "张三", seen_version=1)
    assert info.value.updated_by == "李四" and str(info.value).startswith("该记录已被李四于 ")
    with data.writer() as session:
        records.purge_record(session, UNITS, record_id, operator="王五")
    with pytest.raises(RecordDeletedError, match="已被王五于"):
        save_name(data, record_id, "示范县张三改的有限公司", "张三", seen_version=1)


def test_delete_restore_and_purge_bump_the_version_and_delete_checks_it(data):
    record_id = add_unit(data)
    save_name(data, record_id, "示范县改名有限公司", "李四")
    with pytest.raises(RecordChangedError), data.writer() as session:
        records.delete_record(session, UNITS, record_id, operator="张三", seen_version=1)
    versions = [stored(data, record_id)[1]]
    for act in (records.delete_record, records.restore_record, records.delete_record, records.purge_record):
        with data.writer() as session:
            act(session, UNITS, record_id, operator="张三")
        versions.append(stored(data, record_id)[1])
    assert versions == [2, 3, 4, 5, 6]


def test_the_same_new_record_saved_twice_by_its_uid_is_one_row(data):
    uid = "5b0e2c55-4a4e-4f11-9a51-7d0b9c1e2f01"
    first = add_unit(data, uid=uid)
    again = add_unit(data, uid=uid)  # the reply to the first save was lost: the form tries again
    with data.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Enterprise)) == 1
        assert session.scalar(select(Enterprise.uid)) == uid
    assert again == first and stored(data, first)[1] == 1  # the same values again: nothing to write
    save_name(data, first, "示范县李四改的有限公司", "李四")
    with pytest.raises(RecordChangedError) as info:  # another clerk changed it meanwhile: not overwritten
        add_unit(data, uid=uid)
    assert info.value.version == 2
    add_unit(data, uid=uid, seen_version=2)  # 仍然保存: saved over the version the clerk was shown
    assert stored(data, first) == ("示范县四星液压有限公司", 3, "张三")


def test_an_update_that_finds_the_row_changed_under_it_is_refused(data):
    """The UPDATE itself checks the version (a server's clerks race between read and write)."""
    record_id = add_unit(data)
    stale = Session(data.engine, expire_on_commit=False)
    with stale.begin():
        stale.get(Enterprise, record_id)  # held in memory at version 1
    save_name(data, record_id, "示范县李四改的有限公司", "李四")
    with pytest.raises(RecordChangedError) as info, stale.begin():
        records.save_record(stale, UNITS, {"name": "示范县张三改"}, record_id=record_id, seen_version=1)
    stale.close()
    assert info.value.record_id == record_id
    assert stored(data, record_id) == ("示范县李四改的有限公司", 2, "李四")


def test_targets_saved_over_another_clerks_later_change_are_refused(data):
    with data.writer() as session:
        targets.save_targets(
            session, 2024, [targets.TargetRow(None, fields.COMPUTED_INDICATORS[0], Decimal(10), None)], []
        )
    with data.sessions() as session:
        listed = targets.list_targets(session, 2024)
    assert listed[0].version == 1
    with data.writer() as session:
        other = targets.list_targets(session, 2024)
        other[0].target = Decimal(20)
        targets.save_targets(session, 2024, other, [])
    listed[0].target = Decimal(30)
    with pytest.raises(RecordChangedError), data.writer() as session:
        targets.save_targets(session, 2024, listed, [])
    with data.sessions() as session:
        assert targets.list_targets(session, 2024)[0].target == Decimal(20)


def test_a_row_written_without_a_version_counts_from_one(db_file):
    """An older program writing to the file names no version: the column's default is the first."""
    conn = sqlite3.connect(db_file)
    with conn:
        conn.execute(
            "INSERT INTO enterprises (uid, name, created_at, updated_at, updated_by, confirmed_warnings)"
            " VALUES ('u1', 'x', '2024-01-01 00:00:00', '2024-01-01 00:00:00', '', '')"
        )
    conn.close()
    data = open_data_file(db_file)
    with data.sessions() as session:
        assert session.execute(text("SELECT version FROM enterprises")).scalar() == 1
    assert save_name(data, 1, "示范县改名有限公司", "张三", seen_version=1) == 2
    data.close()


def test_two_actions_adding_to_a_choice_list_keep_both_values(data):
    """The list is read again (under a row lock on a server) where it is written, not taken from memory."""
    name, default = "plan_categories", tuple(fields.DEFAULT_PLAN_CATEGORIES)
    with data.writer() as session:
        settings.put_choice_list(session, name, list(default))
    first = Session(data.engine, expire_on_commit=False)
    with first.begin():
        held = first.get(Setting, f"choices.{name}")  # an import started: the list held in memory
    with data.writer() as session:
        settings.add_choices(session, name, default, ["县级科技特派员专项"])
    with first.begin():
        settings.add_choices(first, name, default, ["乡村振兴专项"])
    first.close()
    assert held is not None
    with data.sessions() as session:
        assert settings.get_choice_list(session, name, default)[-2:] == ["县级科技特派员专项", "乡村振兴专项"]
