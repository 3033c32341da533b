"""Merge another office's file: open it as untrusted, plan, back up ours, apply in one transaction."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from db import portable
from db.database import CLEAN_CLOSE_KEY, DataFileError
from db.models import ENTITY_MODELS, ChangeLog, MergeMark, Setting
from db.store import Store
from kejiju_desktop import messages
from kejiju_desktop.progress import run_to_end
from kejiju_desktop.services import outputs
from kejiju_desktop.services.portability import backups
from kejiju_desktop.services.portability.merge_apply import Choices, MergeResult, iter_apply
from kejiju_desktop.services.portability.merge_plan import MergePlan, plan_merge
from kejiju_desktop.services.portability.merge_screen import screen_side
from kejiju_desktop.services.portability.sides import Side, read_side
from kejiju_desktop.services.records import RecordChangedError

log = logging.getLogger(__name__)


@dataclasses.dataclass
class CheckedPlan(MergePlan):
    """A plan that knows what it was made from: the state of our file, so applying it can tell whether
    another program wrote to it since, and the other file's records, so it can be made again then."""

    our_state: tuple = ()
    theirs: Side | None = None


class MergeRefused(Exception):
    """The other file cannot be merged; `str()` is the sentence to show. Our file is untouched."""


def open_incoming(our_path: Path | str | None, other_path: Path | str) -> portable.UntrustedFile:
    """The other office's file, checked and open read-only; raises MergeRefused with the reason.
    `our_path` is our data file (None when ours is no file, so cannot be the other one)."""
    other = Path(other_path)
    if (
        our_path is not None
        and other.exists()
        and Path(our_path).exists()
        and outputs.same_file(other, our_path)
    ):
        raise MergeRefused(messages.MERGE_SELF)
    try:
        return portable.open_untrusted(other)
    except DataFileError as exc:
        raise MergeRefused(exc.message) from exc


def iter_plan(our: Store, incoming: portable.UntrustedFile) -> Iterator[tuple[int, int]]:
    """Read both files and plan the merge, yielding (done, total); returns the MergePlan."""
    refuse_without_right(our)
    with our.sessions() as session:
        # The state first: on a server each read sees the latest commits, so an edit committed between
        # the two reads is then in our side but not in the state, and only makes the merge plan again.
        state = our_state(session)
        ours = read_side(session)
    yield 1, 3
    try:
        with incoming.data.sessions() as session:
            theirs = read_side(session)
            screen_side(session, theirs, ours)
    except (SQLAlchemyError, ValueError, TypeError, ArithmeticError) as exc:
        raise MergeRefused(messages.UNREADABLE_INCOMING.format(name=incoming.data.display_name)) from exc
    yield 2, 3
    plan = plan_merge(ours, theirs)
    yield 3, 3
    return _checked(plan, state, theirs)


def refuse_without_right(our: Store) -> None:
    """MergeRefused, before anything is read or written, when this account may not merge into `our` (on a
    server, any account but 管理员): the merge mark it moves decides what a later merge of that office
    takes as seen, and the plan may empty records of ours (their 永久删除), both a 管理员's to do."""
    if not our.capabilities.may_merge:
        raise MergeRefused(messages.MERGE_NEEDS_ADMIN)


def _checked(plan: MergePlan, state: tuple, theirs: Side) -> CheckedPlan:
    made = {f.name: getattr(plan, f.name) for f in dataclasses.fields(MergePlan)}
    return CheckedPlan(**made, our_state=state, theirs=theirs)


def our_state(session: Session) -> tuple:
    """What changes whenever a file is written: the change log's end, each table's size and latest
    edit, the merge marks and the settings (the in-use mark aside)."""
    parts = [session.execute(select(func.max(ChangeLog.id), func.count()).select_from(ChangeLog)).one()]
    for model in ENTITY_MODELS.values():
        # Every write bumps a version, so their sum moves even when another PC's clock is behind ours.
        parts.append(
            session.execute(
                select(func.max(model.updated_at), func.count(), func.sum(model.version)).select_from(model)
            ).one()
        )
    parts += session.execute(select(MergeMark.office_id, MergeMark.their_latest)).all()
    parts += session.execute(select(Setting.key, Setting.value).where(Setting.key != CLEAN_CLOSE_KEY)).all()
    return tuple(tuple(part) for part in parts)


def plan_files(our: Store, other_path: Path | str) -> MergePlan:
    """Open the other file, plan the merge and close it again; raises MergeRefused."""
    incoming = open_incoming(our.capabilities.file_path, other_path)
    try:
        return run_to_end(iter_plan(our, incoming))
    finally:
        incoming.close()


def iter_merge(our: Store, plan: MergePlan, choices: Choices | None = None) -> Iterator[tuple[int, int]]:
    """Back up our file or server (refusing a damaged one), then apply the plan in one write transaction —
    made again first if another program wrote to ours since it was made; returns MergeResult. An account
    that may not merge into `our` is refused first (refuse_without_right)."""
    refuse_without_right(our)
    backup = _secure(our)
    try:
        with our.writer() as session:
            current = current_plan(session, plan)
            result = yield from iter_apply(session, current, choices)
    except RecordChangedError as exc:  # on a server, another clerk wrote a row between read and write
        raise MergeRefused(messages.MERGE_RACED.format(reason=exc)) from exc
    result.replanned = current is not plan
    result.backup = backup
    return result


def _secure(our: Store) -> Path:
    """Before writing: a data file is backed up among its automatic backups (refused when damaged); a store
    that is no file (a server) is refused when its own structure check finds damage, else copied whole
    into a data file of its backup folder. Returns the copy written, so the clerk is told where it is."""
    if our.capabilities.file_path is None:
        with our.sessions() as session:
            if our.checks.integrity_problems(session):
                raise MergeRefused(messages.MERGE_STORE_DAMAGED.format(name=our.display_name))
        return backups.take_server_backup(our)
    try:
        return backups.take_store_backup(our, reason="merge").path
    except backups.BackupRefused as exc:
        raise MergeRefused(str(exc)) from exc


def current_plan(session: Session, plan: MergePlan) -> MergePlan:
    """The plan, or (when our file changed since it was made) the plan made again from our file now."""
    if not isinstance(plan, CheckedPlan) or our_state(session) == plan.our_state:
        return plan
    log.info("our file changed after the merge was planned: planning again")
    return plan_merge(read_side(session), plan.theirs)


def merge(our: Store, plan: MergePlan, choices: Choices | None = None) -> MergeResult:
    """iter_merge without progress."""
    return run_to_end(iter_merge(our, plan, choices))
