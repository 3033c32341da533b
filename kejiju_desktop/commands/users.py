"""`users --db postgresql://… list | add NAME --role … | role NAME --role … | disable NAME | password NAME`."""

from __future__ import annotations

import argparse
import getpass
import sys

from db import server_accounts
from db.server import ServerError, open_server, reachable
from kejiju_desktop.commands import messages as command_messages
from kejiju_desktop.commands.basic import fail
from kejiju_desktop.options import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE


def cmd_users(args: argparse.Namespace) -> int:
    """Manage the clerks' accounts through the server's account functions (管理员 or a superuser)."""
    problem = _usage_problem(args)
    if problem is not None:
        print(problem, file=sys.stderr)
        return EXIT_USAGE
    try:
        store = open_server(args.db)
        try:
            reachable(store)
            # Not store.writer(): accounts are no records, and a 查看 may not take its write lock, so
            # is told by the account functions themselves that only 管理员 manages accounts.
            with store.sessions.begin() as session:
                return _run(session, args)
        finally:
            store.close()
    except ServerError as exc:
        return fail(exc)


def _usage_problem(args: argparse.Namespace) -> str | None:
    if args.action != "list" and not args.name:
        return command_messages.ACCOUNT_NAME_NEEDED.format(action=args.action)
    if args.action in ("add", "role") and args.role is None:
        return command_messages.ACCOUNT_ROLE_NEEDED
    return None


def _run(session, args: argparse.Namespace) -> int:
    name, group = args.name, command_messages.GROUP_NAMES.get(args.role or "")
    if args.action == "list":
        _print_accounts(server_accounts.list_accounts(session))
    elif args.action == "role":
        server_accounts.set_kind(session, name, args.role)
        print(command_messages.ACCOUNT_MOVED.format(name=name, group=group))
    elif args.action == "disable":
        server_accounts.disable_account(session, name)
        print(command_messages.ACCOUNT_STOPPED.format(name=name))
    else:
        password = _password(name, args.password_stdin)
        if not password:
            print(command_messages.PASSWORD_EMPTY, file=sys.stderr)
            return EXIT_PROBLEMS
        if args.action == "add":
            server_accounts.add_account(session, name, args.role, password)
            print(command_messages.ACCOUNT_ADDED.format(name=name, group=group))
        else:
            server_accounts.set_password(session, name, password)
            print(command_messages.ACCOUNT_PASSWORD_SET.format(name=name))
    return EXIT_OK


def _password(name: str, from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return getpass.getpass(command_messages.PASSWORD_PROMPT.format(name=name))


def _print_accounts(accounts: list[server_accounts.Account]) -> None:
    if not accounts:
        print(command_messages.ACCOUNT_NONE)
    for account in accounts:
        state = command_messages.ACCOUNT_ENABLED if account.can_login else command_messages.ACCOUNT_DISABLED
        group = command_messages.GROUP_NAMES[account.kind]
        print(command_messages.ACCOUNT_LINE.format(name=account.name, group=group, state=state))
