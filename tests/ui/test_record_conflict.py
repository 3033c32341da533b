"""Two clerks, one record, in the form: the conflict dialog, 重新载入, 仍然保存, deleted meanwhile, retried saves."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from db.database import open_data_file
from db.models import Enterprise
from kejiju_desktop import fields
from kejiju_desktop import messages as kejiju_messages
from kejiju_desktop.services import records
from tests.ui.helpers import type_into, wait_validated
from ui import messages
from ui.dialogs.conflict_dialog import ConflictDialog
from ui.dialogs.recycle_bin import RecycleBinDialog
from ui.record_form import RecordForm

UNITS = fields.ENTERPRISES


class Answer:
    """The conflict dialog as shown (heading, rows) and the button the test presses (None: closed)."""

    def __init__(self):
        self.button: str | None = None
        self.heading = ""
        self.rows: list[tuple[str, ...]] = []

    def exec(self, dialog: ConflictDialog) -> int:
        self.heading, self.rows = dialog.heading.text(), dialog.rows()
        pressed = {
            messages.CONFLICT_RELOAD: dialog.reload_button,
            messages.CONFLICT_SAVE_ANYWAY: dialog.save_button,
        }
        if self.button is None:
            dialog.reject()
        else:
            pressed[self.button].click()
        return 0


@pytest.fixture
def answer(monkeypatch):
    found = Answer()
    monkeypatch.setattr(ConflictDialog, "exec", lambda dialog: found.exec(dialog))
    return found


@pytest.fixture
def clerks(db_file):
    """Our program's file and another program's, open on the same data file at once."""
    ours = open_data_file(db_file)
    theirs = open_data_file(db_file, take_lock=False)
    yield ours, theirs
    theirs.close()
    ours.close()


@pytest.fixture
def form(qtbot, clerks, boxes):
    ours, _theirs = clerks
    with ours.writer() as session:
        raw = {"name": "示范县四星液压有限公司", "contact": "刘华"}
        records.save_record(session, UNITS, raw, operator="张三")
    widget = RecordForm(UNITS)
    qtbot.addWidget(widget)
    widget.set_data_file(ours)
    assert widget.load(1)
    return widget


def _their_save(theirs, **raw):
    with theirs.writer() as session:
        records.save_record(session, UNITS, raw, record_id=1, operator="李四")


def _stored(data):
    with data.sessions() as session:
        record = session.get(Enterprise, 1)
        return record.contact, record.version


def _edit_contact(qtbot, form, text="王新"):
    type_into(qtbot, form, "contact", text)
    wait_validated(qtbot, form)


def test_the_conflict_dialog_shows_both_versions_and_reload_takes_theirs(qtbot, form, clerks, answer):
    ours, theirs = clerks
    _edit_contact(qtbot, form)
    _their_save(theirs, contact="赵六", phone="12345")
    answer.button = messages.CONFLICT_RELOAD
    assert not form.save()
    assert answer.heading.startswith("该记录已被 李四 于 ") and answer.heading.endswith(" 修改")
    assert ("联系人", "王新", "赵六") in answer.rows
    assert any(row[0] == "联系电话" and row[2] == "12345" for row in answer.rows)
    assert "单位名称" not in [row[0] for row in answer.rows]  # the same on both sides
    assert form.editors["contact"].raw() == "赵六" and not form.is_dirty()
    assert _stored(ours) == ("赵六", 2)
    _edit_contact(qtbot, form, "钱七")  # the version reloaded is the one a save now names
    assert form.save() and _stored(ours) == ("钱七", 3)


def test_save_anyway_saves_mine_as_a_new_version(qtbot, form, clerks, answer):
    ours, theirs = clerks
    _edit_contact(qtbot, form)
    _their_save(theirs, contact="赵六")
    answer.button = messages.CONFLICT_SAVE_ANYWAY
    assert form.save()
    assert _stored(ours) == ("王新", 3)
    assert form.version == 3 and not form.is_dirty()


def test_closing_the_dialog_keeps_what_the_clerk_typed_and_saves_nothing(qtbot, form, clerks, answer):
    ours, theirs = clerks
    _edit_contact(qtbot, form)
    _their_save(theirs, contact="赵六")
    assert not form.save()
    assert form.editors["contact"].raw() == "王新" and form.is_dirty()
    assert _stored(ours) == ("赵六", 2)


def test_a_record_deleted_meanwhile_is_said_and_saved_as_new_when_asked(qtbot, form, clerks, boxes):
    ours, theirs = clerks
    _edit_contact(qtbot, form)
    with theirs.writer() as session:
        records.delete_record(session, UNITS, 1, operator="李四")
    boxes.answer = messages.BTN_CANCEL
    assert not form.save()
    assert "该记录已被李四于 " in boxes.texts() and "删除" in boxes.texts()
    assert form.editors["contact"].raw() == "王新" and form.record_id == 1
    boxes.answer = messages.SAVE_AS_NEW
    assert form.save()
    with ours.sessions() as session:
        rows = session.execute(
            select(Enterprise.id, Enterprise.contact, Enterprise.deleted_at.is_(None))
        ).all()
    assert rows == [(1, "刘华", False), (2, "王新", True)]
    assert form.record_id == 2


def test_a_new_record_saved_again_after_a_lost_reply_is_one_row(qtbot, form, clerks):
    ours, theirs = clerks
    assert form.new_record()
    type_into(qtbot, form, "name", "示范县新来的有限公司")
    wait_validated(qtbot, form)
    uid = form.uid
    with theirs.writer() as session:  # the first attempt was written, but its answer never came back
        records.save_record(session, UNITS, form.raw_values(), uid=uid)
    assert form.save()
    with ours.sessions() as session:
        assert session.scalar(select(func.count()).where(Enterprise.uid == uid)) == 1
        assert session.scalar(select(func.count()).select_from(Enterprise)) == 2
    assert form.record_id == 2 and form.uid is None


def test_deleting_a_record_another_clerk_changed_meanwhile_is_refused(qtbot, form, clerks, boxes):
    ours, theirs = clerks
    _their_save(theirs, contact="赵六")
    assert not form.delete_current()
    assert "该记录在读取之后已被李四于 " in boxes.texts()
    with ours.sessions() as session:
        assert session.scalar(select(Enterprise.deleted_at)) is None


def test_purging_a_record_another_clerk_restored_meanwhile_is_refused_with_a_sentence(
    qtbot, form, clerks, boxes
):
    ours, theirs = clerks
    with ours.writer() as session:
        records.delete_record(session, UNITS, 1, operator="张三")
    bin_dialog = RecycleBinDialog(ours, form)
    qtbot.addWidget(bin_dialog)
    bin_dialog.select_all()
    with theirs.writer() as session:
        records.restore_record(session, UNITS, 1, operator="李四")
    assert bin_dialog.purge_selected() == 0
    assert kejiju_messages.RECORD_NOT_FOUND in boxes.texts()
    with ours.sessions() as session:
        assert session.get(Enterprise, 1).name == "示范县四星液压有限公司"
