"""settings: list the data file's settings, or set one, by the names the 设置 dialog shows."""

from __future__ import annotations

import sys
from pathlib import Path

from db.database import DataFileError
from kejiju_desktop import cli, messages
from kejiju_desktop.commands import messages as command_messages
from kejiju_desktop.commands.basic import (
    database_of,
    fail,
    open_and_warn,
    probe_before_opening,
    refuse_damaged,
)
from kejiju_desktop.services import settings as settings_service
from kejiju_desktop.services.portability import backups


@refuse_damaged
def cmd_settings(args) -> int:
    """`settings --db F` lists every setting; `settings --db F KEY` shows one; `… KEY VALUE` sets it."""
    try:
        specs = [settings_service.spec_named(args.key)] if args.key else list(settings_service.REGISTRY)
        if args.value is not None:
            specs[0].parse(args.value)  # a value not allowed is refused before the file is opened
    except settings_service.InvalidSetting as exc:
        print(exc, file=sys.stderr)
        return cli.EXIT_PROBLEMS
    if args.value is None:
        return _list(database_of(args.db), specs)
    return _set(database_of(args.db), specs[0], args.value)


def _list(path: Path | str, specs: list[settings_service.SettingSpec]) -> int:
    try:
        probe_before_opening(
            path, full_check=True
        )  # settings read well from a file damaged elsewhere: say so
        data = open_and_warn(path, read_only=True)
    except DataFileError as exc:
        return fail(exc)
    try:
        with data.sessions() as session:
            lines = [_line(spec, settings_service.current_value(session, spec)) for spec in specs]
    finally:
        data.close()
    print("\n".join(lines))
    return cli.EXIT_OK


def _line(spec: settings_service.SettingSpec, value: str) -> str:
    shown = spec.shown(value) if value else command_messages.SETTING_NOT_SET
    choices = command_messages.SETTING_CHOICES.format(choices="、".join(spec.labels)) if spec.choices else ""
    return command_messages.SETTING_LINE.format(name=spec.name, value=shown) + choices


def _set(path: Path | str, spec: settings_service.SettingSpec, raw: str) -> int:
    try:
        probe_before_opening(path, full_check=True)  # a damaged file is refused before a byte of it changes
        data = open_and_warn(path, before_upgrade=backups.before_upgrade)
    except backups.BackupRefused as exc:
        print(exc, file=sys.stderr)
        return cli.EXIT_PROBLEMS
    except DataFileError as exc:
        return fail(exc)
    try:
        if data.read_only:
            print(messages.SETTINGS_READ_ONLY.format(name=path.name), file=sys.stderr)
            return cli.EXIT_PROBLEMS
        with data.writer() as session:
            value = settings_service.update_setting(session, spec, raw)
    except DataFileError as exc:  # another program kept the file busy: nothing was written
        return fail(exc)
    finally:
        data.close()
    print(
        command_messages.SETTING_SAVED.format(
            name=spec.name, value=spec.shown(value) or command_messages.SETTING_NOT_SET
        )
    )
    return cli.EXIT_OK
