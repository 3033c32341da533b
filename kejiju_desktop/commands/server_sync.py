"""backup and merge where a side is a server (postgresql://…); between two data files: commands/portability.py."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from db.database import DataFileError
from db.server import is_server_url, open_server, reachable
from kejiju_desktop import cli, fields, messages
from kejiju_desktop.commands import messages as command_messages
from kejiju_desktop.commands import portability
from kejiju_desktop.commands.basic import fail
from kejiju_desktop.services import outputs
from kejiju_desktop.services.portability import merge as merge_service
from kejiju_desktop.services.portability import merge_text, server_move

SNAPSHOT_NAME = "snapshot.kjdb"  # the server's snapshot, in a temporary folder of its own


def cmd_backup(args) -> int:
    """backup: a server's consistent snapshot as a new data file; a data file's copy (commands/portability)."""
    if not is_server_url(args.db):
        return portability.cmd_backup(args)
    target = Path(args.output)
    try:
        outputs.check_output(target)
    except outputs.OutputRefused as exc:
        print(exc, file=sys.stderr)
        return cli.EXIT_PROBLEMS
    try:
        _snapshot(args.db, target, overwrite=bool(args.force))
    except DataFileError as exc:
        return fail(exc)
    return portability.copy_done(target)


def _snapshot(url: str, target: Path, *, overwrite: bool = False) -> str:
    """Write the server's snapshot to `target`; returns the server's name as sentences say it."""
    store = open_server(url)
    try:
        reachable(store)
        store.backup_to(target, overwrite=overwrite)
        return store.display_name
    finally:
        store.close()


def cmd_merge(args) -> int:
    """merge: an office's file into a server, a server's snapshot into a file, or two files."""
    if is_server_url(args.db):
        return _into_server(args.db, Path(args.other), bool(args.dry_run))
    if not is_server_url(args.other):
        return portability.cmd_merge(args)
    folder = Path(tempfile.mkdtemp(prefix="kejiju-server-"))
    try:
        name = _snapshot(args.other, folder / SNAPSHOT_NAME)
        return portability.merge_files(Path(args.db), folder / SNAPSHOT_NAME, bool(args.dry_run), name)
    except DataFileError as exc:
        return fail(exc)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _into_server(url: str, other: Path, dry_run: bool) -> int:
    try:
        store = open_server(url)
    except DataFileError as exc:
        return fail(exc)
    try:
        reachable(store)
        if server_move.is_empty(store):
            return _move(store, other, dry_run)
        return _merge(store, other, dry_run)
    except DataFileError as exc:
        return fail(exc)
    except merge_service.MergeRefused as exc:
        print(messages.REFUSED_INCOMING.format(reason=exc), file=sys.stderr)
        return cli.EXIT_PROBLEMS
    finally:
        store.close()


def _merge(store, other: Path, dry_run: bool) -> int:
    """The file-to-file merge with the server as our side: the same preview, rules and refusals."""
    plan = merge_service.plan_files(store, other)
    for line in merge_text.preview_lines(plan, store.display_name, other.name):
        print(line)
    if dry_run:
        print(messages.MERGE_DRY_RUN)
        return portability.refused_exit(plan)
    if not (plan.items or plan.new_choices):
        return portability.refused_exit(plan)
    code = portability.apply_plan(store, plan, command_messages.SERVER_MERGE_DONE)
    return portability.refused_exit(plan) if code == cli.EXIT_OK else code


def _move(store, other: Path, dry_run: bool) -> int:
    """An empty server takes the whole file: every table, the settings, drafts and change log too."""
    print(command_messages.MOVE_PREVIEW.format(name=other.name, server=store.display_name))
    for table, count in server_move.file_counts(other).items():
        print(command_messages.MOVE_COUNT.format(kind=fields.ENTITIES[table].label, n=count))
    if dry_run:
        too_long = server_move.too_long_lines(other)
        for line in too_long:
            print(line)
        print(messages.MERGE_DRY_RUN)
        return cli.EXIT_PROBLEMS if too_long else cli.EXIT_OK
    try:
        server_move.move_file(store, other)
    except server_move.MoveRefused as exc:
        print(exc, file=sys.stderr)
        for line in exc.lines:
            print(line, file=sys.stderr)
        return cli.EXIT_PROBLEMS
    print(command_messages.MOVE_DONE.format(server=store.display_name))
    return cli.EXIT_OK
