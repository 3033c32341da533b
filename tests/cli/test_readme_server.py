"""The README's server commands (服务器数据库（信息科）) run as written against a real server, in their order."""

import io
import shlex

import pytest

from kejiju_desktop import cli
from tests.cli.test_readme import README, code_lines

SECTION = README.split("## 服务器数据库（信息科）", 1)[1]
PROGRAM = ".venv/bin/python main.py"
README_URL = "postgresql://postgres@HOST:5432/kejiju"
ACCOUNTS = (
    "张科长",
    "张三",
    "李四",
)  # the README's accounts; roles are cluster-wide, so each test gets its own
ASKS_PASSWORD = ("add", "password")

psycopg = pytest.importorskip("psycopg")  # in CI it is installed (requirements.txt) and the server tests run


def program_lines() -> list[list[str]]:
    """The arguments of each `.venv/bin/python main.py …` line of the section's code blocks."""
    return [shlex.split(line)[2:] for line in code_lines(SECTION) if line.startswith(PROGRAM)]


def test_the_section_shows_every_server_command():
    commands = [args[0] for args in program_lines()]
    assert {"server", "users", "backup"} <= set(commands)
    assert {args[3] for args in program_lines() if args[0] == "users"} == {
        "add", "list", "role", "disable", "password"
    }  # fmt: skip


def test_every_server_command_of_the_readme_runs(pg_cluster, pg_database, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    url = pg_cluster.url(pg_database)
    own = {name: f"{name}{pg_database[-6:]}" for name in ACCOUNTS}
    for args in program_lines():
        args = [url if arg == README_URL else own.get(arg, arg) for arg in args]
        if args[0] == "users" and args[3] in ASKS_PASSWORD:
            monkeypatch.setattr("sys.stdin", io.StringIO("readme-pw\n"))
            args.append("--password-stdin")
        assert cli.main(args) == 0, (args, capsys.readouterr().err)
    assert capsys.readouterr().out.count(own["李四"]) >= 3  # added, listed, moved
    pg_cluster.connect(pg_database, user=own["张三"], password="readme-pw").close()  # re-enabled by password
    assert (tmp_path / "科技局数据-2026-12-01.kjdb").stat().st_size > 0
