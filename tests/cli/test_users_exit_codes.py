"""DESIGN §7's exit codes for `users` and `server`: 1 for every refusal (the account's or the change's), 2
only when the server database cannot be used, 3 wrong usage; and no account disables or demotes itself."""

import io

import pytest

from db import messages
from kejiju_desktop import cli
from kejiju_desktop.options import EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE, EXIT_USAGE
from tests.cli.test_users import clerk, server  # noqa: F401 - the fixture

psycopg = pytest.importorskip("psycopg")  # in CI it is installed (requirements.txt) and the server tests run


def users(monkeypatch, url: str, *args: str, password: str | None = None) -> int:
    if password is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
        args = (*args, "--password-stdin")
    return cli.main(["users", "--db", url, *args])


@pytest.fixture
def administrator(server, monkeypatch):  # noqa: F811 - the fixture
    """The --db of a 管理员 account of `server` (its password in PGPASSWORD), and the account's name."""
    cluster, database = server
    name = clerk(database, "管理")
    assert users(monkeypatch, cluster.url(database), "add", name, "--role", "admin", password="pw") == EXIT_OK
    monkeypatch.setenv("PGPASSWORD", "pw")
    return cluster.url(database, user=name), name


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (("add", "管理{end}", "--role", "editor"), messages.ACCOUNT_EXISTS),
        (("add", "pg_坏名字", "--role", "editor"), messages.ACCOUNT_RESERVED),
        (("add", "x_管理员", "--role", "editor"), messages.ACCOUNT_ROLE_NAME),
        (("add", "张" * 22, "--role", "editor"), messages.ACCOUNT_TOO_LONG),
        (("role", "postgres", "--role", "viewer"), messages.ACCOUNT_UNKNOWN),
        (("disable", "无此人{end}"), messages.ACCOUNT_UNKNOWN),
        (("password", "postgres"), messages.ACCOUNT_UNKNOWN),
    ],
)
def test_each_refused_change_exits_1_with_its_sentence(administrator, monkeypatch, capsys, args, sentence):
    url, admin = administrator
    end = admin[len("管理") :]
    args = tuple(arg.format(end=end) for arg in args)
    password = "pw" if args[0] in ("add", "password") else None
    capsys.readouterr()
    assert users(monkeypatch, url, *args, password=password) == EXIT_PROBLEMS
    assert capsys.readouterr().err.strip() == sentence.format(name=args[1])


def test_a_viewer_managing_accounts_and_an_empty_password_exit_1(server, monkeypatch, capsys):  # noqa: F811
    cluster, database = server
    viewer = clerk(database, "看看")
    assert users(monkeypatch, cluster.url(database), "add", viewer, "--role", "viewer", password="pw") == 0
    monkeypatch.setenv("PGPASSWORD", "pw")
    capsys.readouterr()
    assert users(monkeypatch, cluster.url(database, user=viewer), "list") == EXIT_PROBLEMS
    assert capsys.readouterr().err.strip() == messages.ACCOUNT_NOT_ALLOWED
    assert users(monkeypatch, cluster.url(database), "password", viewer, password="") == EXIT_PROBLEMS


def test_an_administrator_neither_disables_nor_demotes_the_account_it_is_logged_in_as(
    administrator, monkeypatch, capsys
):
    url, admin = administrator
    capsys.readouterr()
    assert users(monkeypatch, url, "disable", admin) == EXIT_PROBLEMS
    assert capsys.readouterr().err.strip() == messages.ACCOUNT_SELF_DISABLE.format(name=admin)
    assert users(monkeypatch, url, "role", admin, "--role", "editor") == EXIT_PROBLEMS
    assert capsys.readouterr().err.strip() == messages.ACCOUNT_SELF_DEMOTE.format(name=admin)
    assert (
        users(monkeypatch, url, "role", admin, "--role", "admin") == EXIT_OK
    )  # no demotion: nothing to refuse
    assert users(monkeypatch, url, "list") == EXIT_OK
    assert f"{admin}\t管理员\t可登录" in capsys.readouterr().out.splitlines()


def test_a_wrong_password_exits_1_an_unusable_server_2_and_wrong_usage_3(server, monkeypatch, capsys):  # noqa: F811
    cluster, database = server
    assert users(monkeypatch, "postgresql://a:secret@127.0.0.1:1/db", "list") == EXIT_PROBLEMS
    assert capsys.readouterr().err.strip() == messages.SERVER_PASSWORD_IN_URL
    monkeypatch.setenv("PGPASSWORD", "wrong")
    assert users(monkeypatch, cluster.url(database), "list") == EXIT_PROBLEMS
    monkeypatch.setenv("PGPASSWORD", cluster.password)
    assert users(monkeypatch, cluster.url("kj_no_such_database"), "list") == EXIT_UNUSABLE
    assert users(monkeypatch, cluster.url("postgres"), "list") == EXIT_UNUSABLE  # not our database
    assert users(monkeypatch, cluster.url(database), "add", "某人") == EXIT_USAGE  # no --role


def test_server_init_refused_exits_1(server, monkeypatch, capsys):  # noqa: F811 - the fixture
    cluster, database = server
    editor = clerk(database, "录入")
    assert users(monkeypatch, cluster.url(database), "add", editor, "--role", "editor", password="pw") == 0
    monkeypatch.setenv("PGPASSWORD", "pw")
    capsys.readouterr()
    assert cli.main(["server", "init", "--db", cluster.url(database, user=editor)]) == EXIT_PROBLEMS
    assert capsys.readouterr().err.strip() == messages.SERVER_INIT_NOT_ALLOWED
    assert cli.main(["server", "init", "--db", "postgresql://a:secret@127.0.0.1:1/db"]) == EXIT_PROBLEMS


@pytest.mark.parametrize("name", ["public", "pg_某"])
def test_a_name_postgresql_keeps_for_itself_is_refused_in_a_true_sentence(server, monkeypatch, capsys, name):  # noqa: F811
    cluster, database = server
    capsys.readouterr()
    assert users(monkeypatch, cluster.url(database), "add", name, "--role", "editor", password="pw") == 1
    said = capsys.readouterr().err.strip()
    assert said == messages.ACCOUNT_RESERVED.format(name=name)
    reason = said.replace(f"“{name}”", "")
    assert "pg_" in reason and "public" in reason  # not "starts with pg_" alone: public does not
