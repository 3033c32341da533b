"""A server's merge marks say how much of each other office's file it has merged: a 录入员 moving one
forward by hand would make the next merge take that office's later edits as already seen and keep ours
over them, silently. Only 管理员 (and a superuser) writes them, so a merge into a server is theirs."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db import messages
from db.models import MergeMark, Project
from db.server import RightsMissingError
from db.server_accounts import ADMIN, EDITOR
from kejiju_desktop import fields
from kejiju_desktop import messages as core_messages
from kejiju_desktop.progress import run_to_end
from kejiju_desktop.services import records
from kejiju_desktop.services.portability import merge as merge_service
from kejiju_desktop.services.portability.merge_apply import iter_apply
from tests.core.merge_helpers import office_file, save
from tests.db.test_server_rights import _refused, server, stores  # noqa: F401 - fixtures

FORGED = "UPDATE merge_marks SET their_latest = '2099-01-01', merged_at = '2099-01-01'"


def _project_name(store, uid: str) -> str:
    with store.sessions() as session:
        return session.scalars(select(Project.name).where(Project.uid == uid)).one()


def test_a_forged_mark_is_refused_and_their_later_edit_is_not_lost(server, stores, tmp_path):  # noqa: F811
    theirs = office_file(tmp_path, "乙科室")
    uid = save(theirs, "projects", {"name": "甲项目", "level": "省", "apply_year": "2012"})
    merge_service.merge(stores[ADMIN], merge_service.plan_files(stores[ADMIN], theirs))
    with stores[EDITOR].writer() as session:  # ours changes after the merge ...
        project_id = session.scalar(select(Project.id).where(Project.uid == uid))
        records.save_record(session, fields.PROJECTS, {"name": "甲项目（本局改）"}, record_id=project_id)
    save(theirs, "projects", {"name": "甲项目（乙科室改）"}, uid=uid)  # ... and so does theirs
    with server.raw(EDITOR) as conn:
        _refused(conn, FORGED)
        _refused(conn, "DELETE FROM merge_marks")
        _refused(
            conn, "INSERT INTO merge_marks (office_id, office_name, their_latest) VALUES ('x', 'x', now())"
        )
    plan = merge_service.plan_files(stores[ADMIN], theirs)
    assert [(item.uid, item.kind) for item in plan.items] == [(uid, core_messages.KIND_CONFLICT)]


def test_an_editors_merge_into_the_server_is_refused_whole_with_a_sentence(server, stores, tmp_path):  # noqa: F811
    theirs = office_file(tmp_path, "乙科室")
    save(theirs, "projects", {"name": "甲项目", "level": "省", "apply_year": "2012"})
    with pytest.raises(merge_service.MergeRefused) as refused:  # up front: no preview to confirm in vain
        merge_service.plan_files(stores[EDITOR], theirs)
    assert str(refused.value) == core_messages.MERGE_NEEDS_ADMIN
    plan = merge_service.plan_files(stores[ADMIN], theirs)
    # The service's own steps, past its check: the server refuses them itself.
    with pytest.raises(RightsMissingError) as refused, stores[EDITOR].writer() as session:
        run_to_end(iter_apply(session, plan))
    assert str(refused.value) == messages.SERVER_MARKS_ADMIN_ONLY
    with stores[ADMIN].sessions() as session:
        assert (session.scalar(select(Project.id)), session.scalar(select(MergeMark.office_id))) == (
            None,
            None,
        )
    with server.raw(ADMIN) as conn:
        conn.execute(FORGED.replace("2099-01-01", "2001-01-01"))  # 管理员's to write (none yet: no row)
