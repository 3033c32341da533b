"""report, export, remind and settings with --db postgresql://…: the same commands as on a data file."""

from __future__ import annotations

import pytest
from docx import Document
from python_calamine import CalamineWorkbook

from kejiju_desktop import cli
from kejiju_desktop.services.portability import server_move
from tests.core.merge_helpers import office_file, save
from tests.fixtures.xlsx.sheets import PATENT_HEADERS, patent_row, write_sheet

pytest.importorskip("psycopg")  # in CI it is installed (requirements.txt) and the server tests run


@pytest.fixture
def server_url(pg_cluster, pg_store, tmp_path) -> str:
    """A server holding an office's file: two events of 2012 and a unit."""
    bureau = office_file(tmp_path, "本局")
    save(bureau, "events", {"name": "科普日", "start_on": "2012-09-15", "attendance": "300"})
    save(bureau, "events", {"name": "成果展", "start_on": "2012-05-20"})
    server_move.move_file(pg_store, bureau)
    return pg_cluster.url(pg_store.url.database)


def test_report_reads_the_server(server_url, tmp_path, capsys):
    out = tmp_path / "报告.docx"
    assert cli.main(["report", "--db", server_url, "--year", "2012", "-o", str(out)]) == 0, (
        capsys.readouterr()
    )
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "开展科普与科技活动2次" in text or "科技活动2次" in text, text[:400]


def test_export_reads_the_server(server_url, tmp_path, capsys):
    out = tmp_path / "活动.xlsx"
    assert cli.main(["export", "--db", server_url, "--table", "events", "-o", str(out)]) == 0
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    assert sorted(row[0] for row in rows[1:]) == ["成果展", "科普日"]


def test_remind_reads_the_server(server_url, capsys):
    assert cli.main(["remind", "--db", server_url]) == 0
    assert "工作台" in capsys.readouterr().out


def test_settings_are_listed_and_set_on_the_server(server_url, capsys):
    assert cli.main(["settings", "--db", server_url, "行政区划", "区"]) == 0
    capsys.readouterr()
    assert cli.main(["settings", "--db", server_url]) == 0
    assert "区" in capsys.readouterr().out


@pytest.mark.parametrize(
    "command", (["remind"], ["settings"], ["export", "--table", "events", "-o", "x.xlsx"])
)
def test_a_server_that_cannot_be_reached_is_said_so_with_exit_2(command, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PGPASSWORD", "x")
    url = "postgresql://nobody@127.0.0.1:1/kejiju"  # port 1: nothing listens
    assert cli.main([command[0], "--db", url, *command[1:]]) == cli.EXIT_UNUSABLE
    err = capsys.readouterr().err
    assert "127.0.0.1" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_import_writes_into_the_server_and_a_dry_run_writes_nothing(server_url, tmp_path, capsys):
    sheet = write_sheet(tmp_path / "p.xlsx", [PATENT_HEADERS, patent_row(1), patent_row(2)])
    argv = ["import", "--db", server_url, "--table", "patents", str(sheet)]
    assert cli.main([*argv, "--dry-run"]) == 0
    assert cli.main(["export", "--db", server_url, "--table", "patents", "-o", str(tmp_path / "a.xlsx")]) == 0
    assert len(CalamineWorkbook.from_path(str(tmp_path / "a.xlsx")).get_sheet_by_index(0).to_python()) == 1
    assert cli.main(argv) == 0
    assert "新增 2 条" in capsys.readouterr().out
    assert cli.main(["export", "--db", server_url, "--table", "patents", "-o", str(tmp_path / "b.xlsx")]) == 0
    assert len(CalamineWorkbook.from_path(str(tmp_path / "b.xlsx")).get_sheet_by_index(0).to_python()) == 3
