"""Ledgers written by LibreOffice from our own export (.xls, .ods, GBK and UTF-8-BOM CSV, UTF-16 text),
imported through the `import` command and compared field by field with the records they came from."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from kejiju_desktop import cli
from tests.fixtures.files import digest

pytestmark = pytest.mark.slow
CSV_FILTER = "Text - txt - csv (StarCalc)"
GBK, UTF8, UTF16 = 61, 76, 65535  # LibreOffice's numbers for MS-936 (GBK), UTF-8 and UTF-16 (with a BOM)
TITLE = "2012年专利申请台账"


def exported(db: Path, table: str, path: Path) -> Path:
    assert cli.main(["export", "--db", str(db), "--table", table, "-o", str(path)]) == 0
    return path


def sheet_rows(path: Path) -> list[list]:
    workbook = load_workbook(path, read_only=True)
    rows = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    return rows


def titled(source: Path, path: Path) -> Path:
    """Our export under a merged title row and a blank row, as clerks' ledgers often are."""
    rows = sheet_rows(source)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([TITLE])
    sheet.append([])
    for row in rows:
        sheet.append(row)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
    workbook.save(path)
    return path


def on_second_sheet(source: Path, path: Path) -> Path:
    """A notes sheet first; the export on the second sheet, its header at C3."""
    workbook = Workbook()
    workbook.active.title = "说明"
    workbook.active.append(["本表由某系统导出"])
    sheet = workbook.create_sheet("专利台账")
    for number, row in enumerate(sheet_rows(source), 3):
        for column, value in enumerate(row, 3):
            sheet.cell(row=number, column=column, value=value)
    workbook.save(path)
    return path


def convert(program: str, profile: str, sources: list[Path], target: str, out: Path) -> Path:
    """All `sources` converted by one LibreOffice run (its start-up is the slow part) into `out`."""
    out.mkdir()
    subprocess.run(
        [program, f"-env:UserInstallation={profile}", "--headless", "--convert-to", target,
         "--outdir", str(out), *map(str, sources)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    return out


@pytest.fixture(scope="session")
def ledgers(tmp_path_factory, demo_file) -> dict[str, Path]:
    """name -> a file LibreOffice wrote from our export of the demo data."""
    program = shutil.which("soffice")
    if program is None:
        if os.environ.get("CI"):
            pytest.fail("soffice is not installed; .ci/run should have installed it")
        pytest.skip("soffice is not installed")
    folder = tmp_path_factory.mktemp("ledgers")
    profile = (folder / "lo-profile").as_uri()
    patents = exported(demo_file, "patents", folder / "patents.xlsx")
    projects = exported(demo_file, "projects", folder / "projects.xlsx")
    books = [
        patents,
        projects,
        titled(patents, folder / "titled.xlsx"),
        on_second_sheet(patents, folder / "second.xlsx"),
    ]
    files = {f"{p.stem}.xlsx": p for p in books}
    for kind in ("xls", "ods"):
        out = convert(program, profile, books, kind, folder / kind)
        files |= {f"{p.stem}.{kind}": out / f"{p.stem}.{kind}" for p in books}
    out = convert(program, profile, [patents, projects], f"csv:{CSV_FILTER}:44,34,{GBK}", folder / "gbk")
    files |= {f"{p.stem}-gbk.csv": out / f"{p.stem}.csv" for p in [patents, projects]}
    out = convert(program, profile, [patents], f"txt:{CSV_FILTER}:9,34,{UTF16}", folder / "utf16")
    files["patents-utf16.txt"] = out / "patents.txt"
    out = convert(program, profile, [projects], f"csv:{CSV_FILTER}:44,34,{UTF8}", folder / "utf8")
    bom = folder / "projects-bom.csv"  # what Excel's "CSV UTF-8" writes: LibreOffice's UTF-8 with a BOM
    bom.write_bytes(b"\xef\xbb\xbf" + (out / "projects.csv").read_bytes())
    files["projects-bom.csv"] = bom
    return files


CASES = [
    ("patents.xls", "patents", []),
    ("patents.ods", "patents", []),
    ("projects.xls", "projects", []),
    ("projects.ods", "projects", []),
    ("patents-gbk.csv", "patents", []),
    ("projects-gbk.csv", "projects", []),
    ("patents-utf16.txt", "patents", []),
    ("projects-bom.csv", "projects", []),
    ("titled.xlsx", "patents", []),
    ("titled.xls", "patents", []),
    ("titled.ods", "patents", []),
    ("second.xlsx", "patents", ["--sheet", "专利台账"]),
    ("second.xls", "patents", ["--sheet", "专利台账"]),
    ("second.ods", "patents", ["--sheet", "专利台账"]),
]


@pytest.mark.parametrize(("name", "table", "extra"), CASES, ids=[c[0] for c in CASES])
def test_a_ledger_written_by_libreoffice_imports_every_field_as_exported(
    ledgers, name, table, extra, db_file, tmp_path, capsys
):
    source = ledgers[f"{table}.xlsx"]
    command = ["import", "--db", str(db_file), "--table", table, str(ledgers[name]), "--create-units", *extra]
    assert cli.main(command) == 0, capsys.readouterr()
    out = capsys.readouterr().out
    assert "导入完成" in out
    back = sheet_rows(exported(db_file, table, tmp_path / "back.xlsx"))
    expected = sheet_rows(source)
    assert back[0] == expected[0]
    assert sorted(back[1:], key=repr) == sorted(expected[1:], key=repr)


@pytest.mark.parametrize("name", ["patents.xls", "patents.ods"])
def test_the_summary_says_formulas_were_not_checked_in_xls_and_ods(ledgers, name, db_file, capsys):
    command = [
        "import",
        "--db",
        str(db_file),
        "--table",
        "patents",
        str(ledgers[name]),
        "--create-units",
        "--dry-run",
    ]
    assert cli.main(command) == 0
    assert f".{name.split('.')[1]} 文件无法检查公式" in capsys.readouterr().out


def test_a_merged_header_in_an_ods_is_refused_with_its_range(ledgers, tmp_path, db_file, capsys):
    source = ledgers["patents.xlsx"]
    workbook = load_workbook(source)
    workbook.active.merge_cells("B1:C1")
    workbook.save(tmp_path / "merged.xlsx")
    program = shutil.which("soffice")
    out = convert(program, (tmp_path / "lo").as_uri(), [tmp_path / "merged.xlsx"], "ods", tmp_path / "ods")
    before = digest(db_file)
    assert cli.main(["import", "--db", str(db_file), "--table", "patents", str(out / "merged.ods")]) == 1
    assert "表头（第 1 行）有合并单元格 B1:C1" in capsys.readouterr().err
    assert digest(db_file) == before
