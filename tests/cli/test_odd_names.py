"""Data files whose names hold `# % & ; ' [ ] { } ~ ^ ,`, spaces or Chinese: every command reads that file.

Each odd name sits beside the decoy an unquoted `file:` URI of it would open (`%41` read as `A`,
`#` ending the name), so a command that reads the wrong file shows it in its output.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook

from kejiju_desktop import cli
from tests.core.merge_helpers import office_file, save
from tests.fixtures.xlsx.sheets import PATENT_HEADERS, patent_row, write_sheet

UNIT, PROJECT, DECOY_UNIT = "正确单位甲", "只在正确文件里的项目", "诱饵单位"
# (odd name, the decoy an unquoted URI of it names)
PAIRS = [
    ("数据%41.kjdb", "数据A.kjdb"),
    ("数据#2.kjdb", "数据"),
    ("县 科技局 & ; ' [ ] { } ~ ^ , %41 数据.kjdb", "县 科技局 & ; ' [ ] { } ~ ^ , A 数据.kjdb"),
    ("科技 %41%42 ~^ #3 数据.kjdb", "科技 AB ~^ "),
]


@pytest.fixture(scope="module")
def originals(tmp_path_factory) -> tuple[Path, Path]:
    """The right file (a unit, its project, an expired certificate, a patent) and the decoy (another unit)."""
    folder = tmp_path_factory.mktemp("originals")
    right = office_file(folder, "正确")
    save(right, "enterprises", {"name": UNIT, "unit_type": "企业"})
    conn = sqlite3.connect(right)
    unit_id = conn.execute("SELECT id FROM enterprises").fetchone()[0]
    conn.close()
    save(right, "projects", {"name": PROJECT, "unit_id": unit_id, "level": "省", "apply_year": "2012",
                             "status": "已立项", "approved_on": "2012-03-01"})  # fmt: skip
    save(right, "qualifications", {"unit_id": unit_id, "category": "高新技术企业", "level": "国家",
                                   "year": "2010", "valid_until": "2012-12-31", "status": "已认定"})  # fmt: skip
    sheet = write_sheet(folder / "p.xlsx", [PATENT_HEADERS, patent_row(1)])
    assert cli.main(["import", "--db", str(right), "--table", "patents", str(sheet)]) == 0
    decoy = office_file(folder, "诱饵")
    save(decoy, "enterprises", {"name": DECOY_UNIT, "unit_type": "企业"})
    return right, decoy


@pytest.fixture(params=PAIRS, ids=lambda pair: pair[0])
def odd(request, originals, tmp_path) -> Path:
    """The right file under an odd name in a folder of its own, beside its decoy."""
    name, decoy_name = request.param
    folder = tmp_path / "files"
    folder.mkdir()
    shutil.copy(originals[0], folder / name)
    shutil.copy(originals[1], folder / decoy_name)
    return folder / name


def _run(capsys, *args) -> tuple[int, str]:
    code = cli.main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


@pytest.fixture
def no_stray_file(odd):
    """Nothing appears beside the data file (no file named after a cut-off name, no lock left)."""
    before = _names(odd.parent)
    yield
    assert _names(odd.parent) == before


def test_export_reads_the_named_file(odd, tmp_path, capsys, no_stray_file):
    out = tmp_path / "out.xlsx"
    code, text = _run(capsys, "export", "--db", odd, "--table", "projects", "-o", out)
    assert code == 0, text
    workbook = load_workbook(out, read_only=True)
    cells = [cell for row in workbook.active.iter_rows(values_only=True) for cell in row]
    workbook.close()
    assert PROJECT in cells


def test_report_reads_the_named_file(odd, tmp_path, capsys, no_stray_file):
    out = tmp_path / "r.docx"
    code, text = _run(capsys, "report", "--db", odd, "--year", "2012", "-o", out)
    assert code == 0, text
    assert UNIT in "\n".join(p.text for p in docx.Document(out).paragraphs)


def test_check_reads_the_named_file(odd, capsys, no_stray_file):
    code, text = _run(capsys, "check", "--db", odd)
    assert code == 0, text
    assert f"“{odd.name}”" in text and UNIT in text  # the expired certificate of the right file's unit


def test_backup_copies_the_named_file(odd, tmp_path, capsys, no_stray_file):
    copy = tmp_path / "copy.kjdb"
    code, text = _run(capsys, "backup", "--db", odd, "-o", copy)
    assert code == 0, text
    conn = sqlite3.connect(copy)
    assert conn.execute("SELECT name FROM projects").fetchall() == [(PROJECT,)]
    conn.close()


def test_merge_dry_run_reads_the_named_file_on_either_side(odd, tmp_path, capsys, no_stray_file):
    same = tmp_path / "same.kjdb"
    shutil.copy(odd, same)
    code, text = _run(capsys, "merge", "--dry-run", "--db", odd, same)
    assert code == 0 and "已一致" in text, text
    empty = office_file(tmp_path, "空")
    code, text = _run(capsys, "merge", "--dry-run", "--db", empty, odd)
    assert code == 0 and f"[新增] 项目：{PROJECT}" in text and DECOY_UNIT not in text, text


def test_import_dry_run_reads_the_named_file(odd, tmp_path, capsys, no_stray_file):
    sheet = write_sheet(tmp_path / "p.xlsx", [PATENT_HEADERS, patent_row(1)])
    code, text = _run(capsys, "import", "--db", odd, "--table", "patents", sheet, "--dry-run")
    assert code == 0 and "跳过重复 1 条" in text, text
