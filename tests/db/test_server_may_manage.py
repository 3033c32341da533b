"""db/server_accounts.may_manage: who the server lets call the account functions, asked of the server."""

import pytest

from db import server_accounts
from db.server import open_server
from kejiju_desktop import cli

pytest.importorskip("psycopg")  # in CI it is installed (requirements.txt) and the server tests run


def _may_manage(url: str, password: str | None = None) -> bool:
    store = open_server(url, password)
    try:
        with store.sessions() as session:
            return server_accounts.may_manage(session)
    finally:
        store.close()


def test_only_an_administrator_or_a_superuser_may_manage_accounts(pg_cluster, pg_database):
    url = pg_cluster.url(pg_database)
    assert cli.main(["server", "init", "--db", url]) == 0
    store = open_server(url)
    with store.sessions.begin() as session:
        for kind in server_accounts.KINDS:
            server_accounts.add_account(session, f"{kind}{pg_database[-6:]}", kind, "pw")
    store.close()
    assert _may_manage(url)  # postgres, a superuser
    allowed = {
        kind: _may_manage(pg_cluster.url(pg_database, f"{kind}{pg_database[-6:]}"), "pw")
        for kind in server_accounts.KINDS
    }
    assert allowed == {
        server_accounts.ADMIN: True,
        server_accounts.EDITOR: False,
        server_accounts.VIEWER: False,
    }


def test_a_database_without_the_account_functions_lets_nobody_manage(pg_store):
    with pg_store.sessions() as session:  # migrated, never `server init`: no account functions
        assert server_accounts.may_manage(session) is False
