"""`report` on the command line: the same document, exit codes 0/1/2, no overwrite without --force."""

from docx import Document

from kejiju_desktop import cli


def test_report_command_writes_the_document(demo_file, tmp_path, capsys):
    out = tmp_path / "报告.docx"
    assert cli.main(["report", "--db", str(demo_file), "--year", "2012", "-o", str(out)]) == 0
    assert "已导出 2012 年度工作报告" in capsys.readouterr().out
    assert Document(str(out)).paragraphs[0].text == "示范县科学技术局2012年工作总结"


def test_report_command_refuses_to_overwrite_without_force(demo_file, tmp_path, capsys):
    out = tmp_path / "r.docx"
    out.write_bytes(b"old")
    args = ["report", "--db", str(demo_file), "--year", "2012", "-o", str(out)]
    assert cli.main(args) == 1
    assert "已存在" in capsys.readouterr().err
    assert out.read_bytes() == b"old"
    assert cli.main([*args, "--force", "--fonts", "windows"]) == 0
    assert Document(str(out)).paragraphs[0].text.endswith("工作总结")


def test_report_command_exits_2_for_a_file_that_is_not_ours(tmp_path, capsys):
    bad = tmp_path / "bad.kjdb"
    bad.write_bytes(b"not a database at all" * 10)
    out = tmp_path / "r.docx"
    assert cli.main(["report", "--db", str(bad), "--year", "2012", "-o", str(out)]) == 2
    assert capsys.readouterr().err.strip()
    assert not out.exists()
    assert bad.read_bytes() == b"not a database at all" * 10


def test_report_command_exits_1_for_a_missing_folder(demo_file, tmp_path):
    out = tmp_path / "no" / "r.docx"
    assert cli.main(["report", "--db", str(demo_file), "--year", "2012", "-o", str(out)]) == 1
