"""init, demo and check: create files and tell what is in them."""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import sys
from pathlib import Path

from db import messages
from db.database import (
    CannotWriteError,
    DataFileError,
    create_data_file,
    damage_error,
    open_data_file,
)
from db.journal import probe_data_file
from db.lock import settle_lock
from db.reasons import reason_of
from db.server import (
    ServerOlderError,
    is_server_url,
    open_server,
    reachable,
    refuse_repair_without_rights,
)
from db.store import Store
from kejiju_desktop import cli
from kejiju_desktop.commands import messages as command_messages
from kejiju_desktop.messages import REPAIR_READ_ONLY
from kejiju_desktop.services import checkup, outputs

log = logging.getLogger(__name__)


def fail(exc: DataFileError) -> int:
    """Print the one-line reason and return the exit code of the failure (for an older server that this
    account may upgrade, also the command that upgrades it, and what it cannot without a superuser)."""
    print(exc.message, file=sys.stderr)
    if isinstance(exc, ServerOlderError) and exc.can_upgrade:
        print(command_messages.SERVER_UPGRADE_HINT.format(url=exc.url), file=sys.stderr)
        if exc.needs_superuser:
            print(command_messages.SERVER_UPGRADE_PARTLY, file=sys.stderr)
    return exc.exit_code


def database_of(given: str) -> Path | str:
    """--db as the commands hold it: a server's URL as written (a Path would fold its "//"), else a path."""
    return given if is_server_url(given) else Path(given)


def probe_before_opening(database: Path | str, **options) -> None:
    """probe_data_file for a data file; a server checks itself when it is opened and read."""
    if not is_server_url(str(database)):
        probe_data_file(database, **options)


def open_and_warn(path, **options) -> Store:
    """open_data_file, printing on stderr who else holds the file (the exit code does not change); a
    server's URL opens the server (connected once: an unreachable one, or one refusing the account or not
    at this program's revision, is a ServerError with its sentence; a 查看 account's notice is printed).

    A writing command still runs while a window holds the file: the store lets one writer at a time in
    and the others wait (busy_timeout), and a command never displaces a live holder's lock.
    """
    if is_server_url(str(path)):
        store = open_server(str(path))
        try:
            reachable(store)
        except DataFileError:
            store.close()
            raise
        for notice in store.notices:
            warn(notice)
        return store
    data = open_data_file(path, **options)
    warn(data.lock_notice)
    return data


def warn(notice: str | None) -> None:
    """A notice about the data file, on stderr beside the command's own output."""
    if notice:
        print(notice, file=sys.stderr)


def refuse_damaged(handler):
    """Wrap a command reading --db: a damaged page met after opening gives the damaged sentence, exit 2.

    The traceback goes to the log at INFO, which the terminal's last-resort handler never prints.
    """

    @functools.wraps(handler)
    def run(args) -> int:
        try:
            return handler(args)
        except Exception as exc:
            damaged = damage_error(exc, args.db)
            if damaged is None:
                raise
            log.info("%s met a damaged page in %s", handler.__name__, args.db, exc_info=True)
            return fail(damaged)

    return run


def _refuse_existing(path: Path, force: bool) -> int | None:
    try:
        outputs.check_output(path)  # not a folder, nor another data file's journal or lock
    except outputs.OutputRefused as exc:
        return fail(CannotWriteError(path, str(exc)))
    if path.exists() and not force:
        return fail(CannotWriteError(path, messages.EXISTS.format(path=path)))
    holder = settle_lock(path, taking=False).holder if path.is_file() else None
    if holder is not None:  # replacing the file under a live program would lose what it writes next
        return fail(CannotWriteError(path, messages.OVERWRITE_HELD.format(name=path.name, holder=holder)))
    return None


def cmd_init(args) -> int:
    path = Path(args.db)
    refused = _refuse_existing(path, args.force)
    if refused is not None:
        return refused
    try:
        create_data_file(path, overwrite=args.force)
    except DataFileError as exc:
        return fail(exc)
    print(command_messages.CREATED.format(path=path))
    return cli.EXIT_OK


def cmd_demo(args) -> int:
    from kejiju_desktop.demo import fill_demo
    from kejiju_desktop.services.records import count

    path = Path(args.db)
    refused = _refuse_existing(path, args.force)
    if refused is not None:
        return refused
    tmp = path.with_name(path.name + ".demo-tmp")
    try:
        create_data_file(tmp, overwrite=True)
        data = open_data_file(tmp, take_lock=False)
        try:
            with data.sessions.begin() as session:
                fill_demo(session)
            with data.sessions() as session:
                summary = _summary(session, count)
        finally:
            data.close()
        os.replace(tmp, path)
    except CannotWriteError as exc:  # name the file asked for, not the temporary one
        return fail(
            CannotWriteError(path, messages.CANNOT_WRITE.format(path=path, reason=reason_of(exc.__cause__)))
        )
    except DataFileError as exc:
        return fail(exc)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    print(command_messages.DEMO.format(path=path, summary=summary))
    return cli.EXIT_OK


def _summary(session, count) -> str:
    from kejiju_desktop import fields
    from kejiju_desktop.services.records import Query

    parts = [
        command_messages.TABLE_COUNT.format(
            label=fields.ENTITIES[t].label, n=count(session, fields.ENTITIES[t], Query())
        )
        for t in fields.ENTITIES
    ]
    return "，".join(parts)


@refuse_damaged
def cmd_check(args) -> int:
    """检查数据文件 (a server: PostgreSQL's own checks); with --repair, also put right what is safe (after an
    automatic backup where there is a file to back up)."""
    repair = bool(getattr(args, "repair", False))
    try:
        data = _open_to_check(database_of(args.db), repair)
    except DataFileError as exc:
        return fail(exc)
    if data is None:
        return cli.EXIT_PROBLEMS
    try:
        if repair:
            return _repair(data)
        with data.sessions() as session:
            report = checkup.check_session(session, server=checkup.server_of(data))
    finally:
        data.close()
    return _print_report(data.display_name, report)


def _open_to_check(database: Path | str, repair: bool) -> Store | None:
    """The store to check (a file probed whole first); None when a repair was refused, said why."""
    from kejiju_desktop.services.portability import backups

    if is_server_url(str(database)):
        data = open_and_warn(database)
        try:
            if repair:  # said before anything is written: a 录入员 could mark certificates, not reindex
                refuse_repair_without_rights(data)
        except DataFileError:
            data.close()
            raise
        return data
    info = probe_data_file(database, full_check=True)
    if repair and not info.writable:  # said before anything is opened for writing
        print(REPAIR_READ_ONLY.format(name=database.name), file=sys.stderr)
        return None
    upgrade_backup = backups.before_upgrade if repair else None
    return open_and_warn(database, read_only=not repair, before_upgrade=upgrade_backup)


def _repair(data) -> int:
    from kejiju_desktop.services.portability.repair import repair

    try:
        outcome = repair(data)
    except DataFileError as exc:  # the server refused a step (its transaction rolled back) or was busy
        return fail(exc)
    for sentence in outcome.done:
        print(sentence)
    return _print_report(data.display_name, outcome.after, repaired=True)


def _print_report(name: str, report: checkup.CheckReport, *, repaired: bool = False) -> int:
    print(report.text(name), end="")
    if report.repairable and not repaired:
        print(command_messages.REPAIR_HINT)
    return cli.EXIT_PROBLEMS if report.problems else cli.EXIT_OK
