"""backup and merge: a consistent copy of a data file, and merging another office's file into it."""

from __future__ import annotations

import sys
from pathlib import Path

from db import portable
from db.database import DataFileError, open_data_file, probe
from kejiju_desktop import cli
from kejiju_desktop.commands.basic import fail
from kejiju_desktop.services.portability import merge as merge_service
from kejiju_desktop.services.portability import merge_text
from kejiju_desktop.services.portability import messages as M


def cmd_backup(args) -> int:
    """另存副本: copy --db to -o through the backup API; refuse to overwrite without --force."""
    source, target = Path(args.db), Path(args.output)
    try:
        probe(source, full_check=True)
        portable.copy_consistent(source, target, overwrite=bool(args.force))
    except DataFileError as exc:
        return fail(exc)
    print(M.COPY_DONE.format(path=target, size=_size(target.stat().st_size)))
    return cli.EXIT_OK


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


def cmd_merge(args) -> int:
    """Print the merge preview; unless --dry-run, back up and apply it (conflicts: the newer side wins)."""
    ours_path, other_path = Path(args.db), Path(args.other)
    try:
        probe(ours_path, full_check=True)
        data = open_data_file(ours_path, read_only=bool(args.dry_run))
    except DataFileError as exc:
        return fail(exc)
    try:
        return _merge(data, other_path, bool(args.dry_run))
    finally:
        data.close()


def _merge(data, other_path: Path, dry_run: bool) -> int:
    try:
        plan = merge_service.plan_files(data, other_path)
    except merge_service.MergeRefused as exc:
        print(M.REFUSED_INCOMING.format(reason=exc), file=sys.stderr)
        return cli.EXIT_PROBLEMS
    for line in merge_text.preview_lines(plan, data.path.name, other_path.name):
        print(line)
    if dry_run:
        print(M.MERGE_DRY_RUN)
        return cli.EXIT_OK
    if not plan.items:
        return cli.EXIT_OK
    try:
        result = merge_service.merge(data, plan)
    except merge_service.MergeRefused as exc:
        print(M.REFUSED_INCOMING.format(reason=exc), file=sys.stderr)
        return cli.EXIT_PROBLEMS
    for item, note in result.notes:
        print(merge_text.item_line(item, note))
    print(M.MERGE_DONE.format(n=result.total))
    return cli.EXIT_OK
