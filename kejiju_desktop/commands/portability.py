"""backup and merge: a consistent copy of a data file, and merging another office's file into it."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from db import portable
from db.database import DataFileError, open_data_file
from db.journal import probe_data_file
from db.lock import settle_lock
from db.reasons import reason_of
from db.schema import SCHEMA_HEAD
from kejiju_desktop import cli, messages
from kejiju_desktop.commands.basic import fail, open_and_warn, refuse_damaged, warn
from kejiju_desktop.progress import run_to_end
from kejiju_desktop.services import outputs
from kejiju_desktop.services.portability import backups, merge_text
from kejiju_desktop.services.portability import merge as merge_service

log = logging.getLogger(__name__)


@refuse_damaged
def cmd_backup(args) -> int:
    """另存副本: copy --db to -o through the backup API; refuse to overwrite without --force."""
    return backup_file(Path(args.db), Path(args.output), bool(args.force))


def backup_file(source: Path, target: Path, force: bool) -> int:
    """cmd_backup of the data file `source`."""
    try:
        outputs.check_output(target, source)
    except outputs.OutputRefused as exc:
        print(exc, file=sys.stderr)
        return cli.EXIT_PROBLEMS
    try:
        probe_data_file(source, full_check=True)
        warn(settle_lock(source, taking=False).notice)
        portable.copy_consistent(source, target, overwrite=force)
    except DataFileError as exc:
        return fail(exc)
    return copy_done(target)


def copy_done(target: Path) -> int:
    """Say where the copy is and how large it is."""
    print(messages.COPY_DONE.format(path=target, size=_size(target.stat().st_size)))
    return cli.EXIT_OK


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


@refuse_damaged
def cmd_merge(args) -> int:
    """Print the merge preview; unless --dry-run, back up and apply it (conflicts: the newer side wins).

    Our file is only read until the preview is printed, so a refused merge leaves its bytes as they were.
    """
    return merge_files(Path(args.db), Path(args.other), bool(args.dry_run), Path(args.other).name)


def merge_files(ours_path: Path, other_path: Path, dry_run: bool, other_name: str) -> int:
    """cmd_merge of our file `ours_path` and the other file `other_path`, called `other_name` in the preview."""
    try:
        info = probe_data_file(ours_path, full_check=True)
        if not info.writable and not dry_run:  # said before the preview, not after it as a failed write
            print(messages.MERGE_READ_ONLY.format(name=ours_path.name), file=sys.stderr)
            return cli.EXIT_PROBLEMS
        if info.revision != SCHEMA_HEAD:
            open_and_warn(ours_path, before_upgrade=backups.before_upgrade).close()
    except DataFileError as exc:
        return fail(exc)
    try:
        plan = _plan(ours_path, other_path)
    except DataFileError as exc:
        return fail(exc)
    except merge_service.MergeRefused as exc:
        print(messages.REFUSED_INCOMING.format(reason=exc), file=sys.stderr)
        return cli.EXIT_PROBLEMS
    for line in merge_text.preview_lines(plan, ours_path.name, other_name):
        print(line)
    if dry_run:
        print(messages.MERGE_DRY_RUN)
        return refused_exit(plan)
    code = _apply(ours_path, plan) if plan.items or plan.new_choices else cli.EXIT_OK
    return refused_exit(plan) if code == cli.EXIT_OK else code


def refused_exit(plan) -> int:
    """Records that failed the checks were listed and left out: the rest is done, but that is a problem (1)."""
    if not plan.refused:
        return cli.EXIT_OK
    print(messages.MERGE_REFUSED_DONE.format(n=len(plan.refused)), file=sys.stderr)
    return cli.EXIT_PROBLEMS


def _plan(ours_path: Path, other_path: Path):
    incoming = merge_service.open_incoming(ours_path, other_path)
    try:
        data = open_and_warn(ours_path, read_only=True)
        try:
            return run_to_end(merge_service.iter_plan(data, incoming))
        finally:
            data.close()
    finally:
        incoming.close()


def _apply(ours_path: Path, plan) -> int:
    try:
        data = open_data_file(ours_path)  # who holds the file was said when planning
    except DataFileError as exc:
        return fail(exc)
    try:
        return apply_plan(data, plan, messages.MERGE_DONE)
    finally:
        data.close()


def apply_plan(store, plan, done: str) -> int:
    """Write the plan into the open store, printing what was written, or why nothing was ("done": the
    closing sentence, with {n} the records written and {backup} the server's copy taken first)."""
    try:
        result = merge_service.merge(store, plan)
    except merge_service.MergeRefused as exc:
        print(messages.REFUSED_INCOMING.format(reason=exc), file=sys.stderr)
        return cli.EXIT_PROBLEMS
    except DataFileError as exc:  # another program kept the store busy: nothing of the merge was written
        return fail(exc)
    except SQLAlchemyError as exc:  # the one transaction was rolled back: nothing of the merge was written
        log.exception("merge into %s failed", store.display_name)
        print(messages.MERGE_FAILED.format(reason=reason_of(exc)), file=sys.stderr)
        return cli.EXIT_PROBLEMS
    if result.replanned:
        print(messages.MERGE_REPLANNED)
    for item, note in result.notes:
        print(merge_text.item_line(item, note))
    print(done.format(n=result.total, backup=result.backup))
    return cli.EXIT_OK
