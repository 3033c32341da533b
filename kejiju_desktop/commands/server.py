"""`server init --db postgresql://…`: make a server database ready for the program (DESIGN §7)."""

from __future__ import annotations

import argparse

from db.database import DataFileError
from db.server import ServerError, open_server, reachable
from db.server_admin import init_server
from kejiju_desktop.commands import messages as command_messages
from kejiju_desktop.commands.basic import fail, warn
from kejiju_desktop.options import EXIT_OK


def cmd_server(args: argparse.Namespace) -> int:
    """server init: the schema, the owner and the three group roles (see db/server_admin.py)."""
    try:
        store = open_server(args.db)
    except ServerError as exc:
        return fail(exc)
    try:
        reachable(store, ours=False)  # init makes the schema, or upgrades an older one
        roles = init_server(store)
    except DataFileError as exc:  # a ServerError, or FileBusyError: a writer kept the upgrade waiting
        return fail(exc)
    finally:
        store.close()
    print(
        command_messages.SERVER_INITIALISED.format(
            name=store.display_name,
            owner=roles.owner,
            admin=roles.admin,
            editor=roles.editor,
            viewer=roles.viewer,
        )
    )
    for notice in store.notices:  # what an upgrade by the owner's member could not do
        warn(notice)
    return EXIT_OK
