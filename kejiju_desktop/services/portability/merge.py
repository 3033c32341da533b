"""Merge another office's file: open it as untrusted, plan, back up ours, apply in one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from db import portable
from db.database import DataFile, DataFileError
from kejiju_desktop.progress import run_to_end
from kejiju_desktop.services.portability import backups
from kejiju_desktop.services.portability import messages as M
from kejiju_desktop.services.portability.merge_apply import Choices, MergeResult, iter_apply
from kejiju_desktop.services.portability.merge_plan import MergePlan, plan_merge
from kejiju_desktop.services.portability.merge_screen import screen_side
from kejiju_desktop.services.portability.sides import read_side


class MergeRefused(Exception):
    """The other file cannot be merged; `str()` is the sentence to show. Our file is untouched."""


def open_incoming(our_path: Path | str, other_path: Path | str) -> portable.UntrustedFile:
    """The other office's file, checked and open read-only; raises MergeRefused with the reason."""
    other = Path(other_path)
    if other.exists() and Path(our_path).exists() and other.resolve() == Path(our_path).resolve():
        raise MergeRefused(M.MERGE_SELF)
    try:
        return portable.open_untrusted(other)
    except DataFileError as exc:
        raise MergeRefused(exc.message) from exc


def iter_plan(our: DataFile, incoming: portable.UntrustedFile) -> Iterator[tuple[int, int]]:
    """Read both files and plan the merge, yielding (done, total); returns the MergePlan."""
    with our.sessions() as session:
        ours = read_side(session)
    yield 1, 3
    try:
        with incoming.data.sessions() as session:
            theirs = read_side(session)
            screen_side(session, theirs, ours)
    except (SQLAlchemyError, ValueError, TypeError, ArithmeticError) as exc:
        raise MergeRefused(M.UNREADABLE_INCOMING.format(name=incoming.data.path.name)) from exc
    yield 2, 3
    plan = plan_merge(ours, theirs)
    yield 3, 3
    return plan


def plan_files(our: DataFile, other_path: Path | str) -> MergePlan:
    """Open the other file, plan the merge and close it again; raises MergeRefused."""
    incoming = open_incoming(our.path, other_path)
    try:
        return run_to_end(iter_plan(our, incoming))
    finally:
        incoming.close()


def iter_merge(our: DataFile, plan: MergePlan, choices: Choices | None = None) -> Iterator[tuple[int, int]]:
    """Back up our file (refusing a damaged one), then apply the plan in one transaction; returns MergeResult."""
    try:
        backups.take_backup(our.path, reason="merge")
    except backups.BackupRefused as exc:
        raise MergeRefused(str(exc)) from exc
    with our.sessions.begin() as session:
        result = yield from iter_apply(session, plan, choices)
    return result


def merge(our: DataFile, plan: MergePlan, choices: Choices | None = None) -> MergeResult:
    """iter_merge without progress."""
    return run_to_end(iter_merge(our, plan, choices))
