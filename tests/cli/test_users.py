"""`users --db postgresql://…` on a real server: accounts made, moved, stopped and given passwords through
the owner's SECURITY DEFINER functions, and what an administrator can and cannot do with them."""

import io

import pytest

from db import messages
from kejiju_desktop import cli
from kejiju_desktop.commands import messages as command_messages

psycopg = pytest.importorskip("psycopg")  # in CI it is installed (requirements.txt) and the server tests run


@pytest.fixture
def server(pg_cluster, pg_database):
    """An initialised database; accounts are named 张三 etc. with its name's end (roles are cluster-wide)."""
    assert cli.main(["server", "init", "--db", pg_cluster.url(pg_database)]) == 0
    return pg_cluster, pg_database


def clerk(database: str, base: str) -> str:
    return f"{base}{database[-6:]}"


def users(monkeypatch, url: str, *args: str, password: str | None = None) -> int:
    if password is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
        args = (*args, "--password-stdin")
    return cli.main(["users", "--db", url, *args])


def test_add_list_role_disable_and_password(server, monkeypatch, capsys):
    cluster, database = server
    url = cluster.url(database)
    assert users(monkeypatch, url, "add", clerk(database, "张三"), "--role", "editor", password="pw1") == 0
    assert users(monkeypatch, url, "add", clerk(database, "李四"), "--role", "viewer", password="pw2") == 0
    capsys.readouterr()
    assert users(monkeypatch, url, "list") == 0
    zhang, li = clerk(database, "张三"), clerk(database, "李四")
    assert capsys.readouterr().out.splitlines() == [f"{zhang}\t录入员\t可登录", f"{li}\t查看\t可登录"]
    cluster.connect(database, user=clerk(database, "张三"), password="pw1").close()
    assert users(monkeypatch, url, "role", clerk(database, "李四"), "--role", "admin") == 0
    assert users(monkeypatch, url, "disable", clerk(database, "张三")) == 0
    with pytest.raises(psycopg.OperationalError):
        cluster.connect(database, user=clerk(database, "张三"), password="pw1")
    assert users(monkeypatch, url, "password", clerk(database, "张三"), password="新密码") == 0
    cluster.connect(database, user=clerk(database, "张三"), password="新密码").close()
    capsys.readouterr()
    assert users(monkeypatch, url, "list") == 0
    assert capsys.readouterr().out.splitlines() == [f"{zhang}\t录入员\t可登录", f"{li}\t管理员\t可登录"]


def _one_adds_another(monkeypatch, server, first: tuple[str, str], second: tuple[str, str]) -> int:
    """The superuser adds `first` (name, role); logged in as it, `first` adds `second`: that exit code."""
    cluster, database = server
    name, role = first
    assert (
        users(monkeypatch, cluster.url(database), "add", clerk(database, name), "--role", role, password="pw")
        == 0
    )
    monkeypatch.setenv("PGPASSWORD", "pw")
    as_first = cluster.url(database, user=clerk(database, name))
    other, other_role = second
    return users(monkeypatch, as_first, "add", clerk(database, other), "--role", other_role, password="p")


def test_an_administrator_manages_accounts_without_createrole(server, monkeypatch, capsys):
    cluster, database = server
    assert _one_adds_another(monkeypatch, server, ("王五", "admin"), ("赵六", "viewer")) == 0
    with cluster.connect(database, user=clerk(database, "王五"), password="pw") as conn:
        assert conn.execute("SELECT rolcreaterole FROM pg_roles WHERE rolname = current_user").fetchone() == (
            False,
        )
        wang, zhao = clerk(database, "王五"), clerk(database, "赵六")
        for sql in (
            f"GRANT pg_execute_server_program TO {wang}",
            "CREATE ROLE 黑客 LOGIN",
            f"ALTER ROLE {zhao} SUPERUSER",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(sql)


def test_the_functions_touch_only_this_databases_accounts(server, monkeypatch, capsys):
    cluster, database = server
    url = cluster.url(database)
    for target in ("postgres", f"{database}_所有者"):
        assert users(monkeypatch, url, "password", target, password="x") == 1  # refused
        assert capsys.readouterr().err.strip() == messages.ACCOUNT_UNKNOWN.format(name=target)
    cluster.connect().close()  # the superuser's password is unchanged


def test_a_name_with_quotes_is_one_name(server, monkeypatch):
    cluster, database = server
    odd = 'x"; DROP ROLE postgres; --'
    assert users(monkeypatch, cluster.url(database), "add", odd, "--role", "viewer", password="pw") == 0
    cluster.connect(database, user=odd, password="pw").close()
    cluster.connect().close()


def test_a_viewer_cannot_manage_accounts(server, monkeypatch, capsys):
    assert _one_adds_another(monkeypatch, server, ("孙七", "viewer"), ("周八", "admin")) == 1
    assert capsys.readouterr().err.strip() == messages.ACCOUNT_NOT_ALLOWED


def test_an_existing_name_is_refused_and_a_missing_name_is_usage(server, monkeypatch, capsys):
    cluster, database = server
    url = cluster.url(database)
    assert users(monkeypatch, url, "add", clerk(database, "张三"), "--role", "editor", password="pw") == 0
    assert users(monkeypatch, url, "add", clerk(database, "张三"), "--role", "editor", password="pw") == 1
    assert capsys.readouterr().err.strip() == messages.ACCOUNT_EXISTS.format(name=clerk(database, "张三"))
    assert users(monkeypatch, url, "disable") == 3
    assert capsys.readouterr().err.strip() == command_messages.ACCOUNT_NAME_NEEDED.format(action="disable")
