"""Command line of DESIGN §7: argparse sub-commands, Chinese messages, exit codes 0/1/2/3."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import os
import signal
import sys
import threading
from collections.abc import Sequence

from kejiju_desktop import fields
from kejiju_desktop.commands import messages as command_messages
from kejiju_desktop.options import EXIT_OK as EXIT_OK
from kejiju_desktop.options import EXIT_PROBLEMS, EXIT_USAGE, ChineseParser, build_window_parser
from kejiju_desktop.options import EXIT_UNUSABLE as EXIT_UNUSABLE

TABLES = tuple(fields.ENTITIES)

# Each sub-command's handler, as "module:function"; imported only when that command runs.
HANDLERS = {
    "init": "kejiju_desktop.commands.basic:cmd_init",
    "demo": "kejiju_desktop.commands.basic:cmd_demo",
    "check": "kejiju_desktop.commands.basic:cmd_check",
    "report": "kejiju_desktop.commands.report:cmd_report",
    "import": "kejiju_desktop.commands.exchange:cmd_import",
    "export": "kejiju_desktop.commands.exchange:cmd_export",
    "backup": "kejiju_desktop.commands.server_sync:cmd_backup",
    "merge": "kejiju_desktop.commands.server_sync:cmd_merge",
    "settings": "kejiju_desktop.commands.settings:cmd_settings",
    "remind": "kejiju_desktop.commands.remind:cmd_remind",
    "server": "kejiju_desktop.commands.server:cmd_server",
    "users": "kejiju_desktop.commands.users:cmd_users",
}


def _add_db(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS keeps a --db given before the sub-command from being overwritten with None.
    parser.add_argument(
        "--db",
        metavar=command_messages.METAVAR_FILE,
        default=argparse.SUPPRESS,
        help=command_messages.HELP_DB,
    )


def _add_force(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true", help=command_messages.HELP_FORCE)


def build_parser() -> ChineseParser:
    """The whole command line: GUI options and every sub-command of DESIGN §7."""
    return build_window_parser(_add_commands)


def _add_output(parser: argparse.ArgumentParser, metavar: str, help_text: str) -> None:
    parser.add_argument("-o", "--output", required=True, metavar=metavar, help=help_text)


def _add_table(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--table",
        required=True,
        choices=TABLES,
        metavar=command_messages.METAVAR_TABLE,
        help="、".join(TABLES),
    )


def _add_commands(sub: argparse._SubParsersAction) -> None:
    for name, help_text in (("init", command_messages.HELP_INIT), ("demo", command_messages.HELP_DEMO)):
        p = sub.add_parser(name, help=help_text)
        _add_db(p)
        _add_force(p)
    p = sub.add_parser("check", help=command_messages.HELP_CHECK)
    _add_db(p)
    p.add_argument("--repair", action="store_true", help=command_messages.HELP_REPAIR)
    _add_report(sub.add_parser("report", help=command_messages.HELP_REPORT))
    _add_import(sub.add_parser("import", help=command_messages.HELP_IMPORT))
    p = sub.add_parser("export", help=command_messages.HELP_EXPORT)
    _add_db(p)
    _add_table(p)
    _add_output(p, command_messages.METAVAR_XLSX_OUT, command_messages.HELP_OUTPUT)
    p.add_argument("--template", action="store_true", help=command_messages.HELP_TEMPLATE)
    _add_force(p)
    p = sub.add_parser("backup", help=command_messages.HELP_BACKUP)
    _add_db(p)
    _add_output(p, command_messages.METAVAR_COPY, command_messages.HELP_COPY)
    _add_force(p)
    p = sub.add_parser("merge", help=command_messages.HELP_MERGE)
    _add_db(p)
    p.add_argument("other", metavar=command_messages.METAVAR_OTHER, help=command_messages.HELP_OTHER)
    p.add_argument("--dry-run", action="store_true", help=command_messages.HELP_DRY_RUN_MERGE)
    _add_settings(sub.add_parser("settings", help=command_messages.HELP_SETTINGS))
    p = sub.add_parser("remind", help=command_messages.HELP_REMIND)
    _add_db(p)
    p.add_argument("--days", type=int, metavar=command_messages.METAVAR_DAYS, help=command_messages.HELP_DAYS)
    p = sub.add_parser("server", help=command_messages.HELP_SERVER)
    _add_db(p)
    p.add_argument("action", choices=("init",), metavar=command_messages.METAVAR_ACTION, help="init")
    _add_users(sub.add_parser("users", help=command_messages.HELP_USERS))


def _add_users(p: argparse.ArgumentParser) -> None:
    _add_db(p)
    actions = ("list", "add", "role", "disable", "password")
    p.add_argument(
        "action", choices=actions, metavar=command_messages.METAVAR_ACTION, help="、".join(actions)
    )
    p.add_argument(
        "name", nargs="?", metavar=command_messages.METAVAR_ACCOUNT, help=command_messages.HELP_ACCOUNT
    )
    p.add_argument("--role", choices=("admin", "editor", "viewer"), help=command_messages.HELP_ROLE)
    p.add_argument("--password-stdin", action="store_true", help=command_messages.HELP_PASSWORD_STDIN)


def _add_report(p: argparse.ArgumentParser) -> None:
    _add_db(p)
    year_words = {"metavar": command_messages.METAVAR_YEAR, "help": command_messages.HELP_YEAR}
    p.add_argument("--year", type=int, required=True, **year_words)
    _add_output(p, command_messages.METAVAR_DOCX, command_messages.HELP_OUTPUT)
    p.add_argument("--fonts", choices=("standard", "windows"), default=None, help=command_messages.HELP_FONTS)
    _add_force(p)


def _add_import(p: argparse.ArgumentParser) -> None:
    _add_db(p)
    _add_table(p)
    p.add_argument("input", metavar=command_messages.METAVAR_INPUT, help=command_messages.HELP_INPUT)
    p.add_argument("--dry-run", action="store_true", help=command_messages.HELP_DRY_RUN_IMPORT)
    p.add_argument("--sheet", metavar=command_messages.METAVAR_SHEET, help=command_messages.HELP_SHEET)
    p.add_argument(
        "--on-duplicate", choices=("skip", "update"), default="skip", help=command_messages.HELP_ON_DUPLICATE
    )
    for flag, help_text in (
        ("--create-units", command_messages.HELP_CREATE_UNITS),
        ("--good-rows-only", command_messages.HELP_GOOD_ROWS_ONLY),
        ("--accept-warnings", command_messages.HELP_ACCEPT_WARNINGS),
    ):
        p.add_argument(flag, action="store_true", help=help_text)


def _add_settings(p: argparse.ArgumentParser) -> None:
    _add_db(p)
    p.add_argument(
        "key", nargs="?", metavar=command_messages.METAVAR_SETTING, help=command_messages.HELP_SETTING
    )
    p.add_argument(
        "value", nargs="?", metavar=command_messages.METAVAR_VALUE, help=command_messages.HELP_VALUE
    )


# Options of the window that take a value: their value is never a sub-command ("--tab report").
_GUI_VALUE_OPTIONS = ("--db", "--screenshot", "--tab")


def wants_cli(argv: Sequence[str]) -> bool:
    """True when the arguments name a sub-command, or ask for --version or help.

    Any other word is the command line's too: its parser answers it with the list of sub-commands.
    """
    skip_next = False
    for arg in argv:
        if skip_next:
            skip_next = False
        elif arg in ("--version", "-h", "--help"):
            return True
        elif arg in _GUI_VALUE_OPTIONS:
            skip_next = True
        elif not arg.startswith("-"):
            return True
    return False


def main(argv: Sequence[str] | None = None) -> int:
    """Run a sub-command; return its exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    _force_utf8_output()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.command is None:
        parser.print_usage(sys.stderr)
        return EXIT_USAGE
    if not getattr(args, "db", None):
        print(command_messages.NO_DB.format(prog=parser.prog, command=args.command), file=sys.stderr)
        return EXIT_USAGE
    module_name, func_name = HANDLERS[args.command].split(":")
    handler = getattr(importlib.import_module(module_name), func_name)
    from kejiju_desktop.logs import logging_to_file

    _STOPPED.clear()
    with logging_to_file():
        try:
            with _sigterm_interrupts():
                code = handler(args)
            sys.stdout.flush()  # a reader that has gone shows here, not in Python's exit
        except BrokenPipeError:
            return _reader_gone()
        except KeyboardInterrupt:  # `with` blocks rolled the transaction back, `finally` closed the file
            return _interrupted()
        except Exception as exc:  # noqa: BLE001 - a busy file or a lost server is answered here; the rest re-raised
            return _interrupted() if _STOPPED.is_set() else _busy(exc, args.db)
    # A SIGTERM that landed inside the database driver surfaces as its own error, handled by the command.
    return _interrupted() if _STOPPED.is_set() else code


def _interrupted() -> int:
    print(command_messages.INTERRUPTED, file=sys.stderr)
    return EXIT_PROBLEMS


def _busy(exc: Exception, target: str) -> int:
    """Another program kept the data file locked past the wait, or the server's connection broke off
    mid-command (the server rolled its transaction back): the sentence and exit 1 (else re-raise)."""
    from db import messages
    from db.database import connection_lost
    from db.engine import is_busy
    from db.server import display_of, is_server_url, server_url

    lost = connection_lost(exc, display_of(server_url(target))) if is_server_url(target) else None
    if lost is None and not is_busy(exc):
        raise exc
    logging.getLogger(__name__).info("data file busy or server gone", exc_info=exc)
    print(messages.BUSY if lost is None else lost, file=sys.stderr)
    return EXIT_PROBLEMS


def _reader_gone() -> int:
    # `kejiju import … | head` closed the pipe: stop quietly (no traceback); what is left to print
    # goes nowhere, so the flush at exit cannot fail again.
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            os.dup2(devnull, stream.fileno())
    os.close(devnull)
    return EXIT_PROBLEMS


@contextlib.contextmanager
def _sigterm_interrupts():
    """SIGTERM ends a command as Ctrl+C does, so that it unwinds instead of dying mid-write."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set a handler; a command run elsewhere keeps the default
        return
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


_STOPPED = threading.Event()  # set by SIGTERM, whatever error it then surfaces as


def _interrupt(_signum, _frame) -> None:
    _STOPPED.set()
    raise KeyboardInterrupt


def _force_utf8_output() -> None:
    # A Windows console or a pipe may default to a legacy code page that cannot print 中文.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(encoding="utf-8", errors="replace")
            except (ValueError, OSError):
                pass
