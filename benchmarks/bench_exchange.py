"""Excel figures: importing 10,000 patents from .xlsx and .xls (against bare reads of the file) and 100,000
(time and memory, in a process of its own), exporting 100,000."""

from __future__ import annotations

import json
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import python_calamine
import synthetic
from openpyxl import Workbook, load_workbook

from db.database import create_data_file, open_data_file
from kejiju_desktop import fields
from kejiju_desktop.services.exchange import columns, export, importer

IMPORT_ROWS = 10_000
BIG_IMPORT_ROWS = 100_000
EXPORT_ROWS = 100_000
EXPORT_UNITS = 500


def _patent_sheet(path, n: int) -> None:
    """n patents as a clerk's sheet: every patent column, labels as headers, dates as Excel dates."""
    gen = synthetic._Gen(seed=6)
    units = [(i, f"申请单位{i:03d}有限公司") for i in range(1, 201)]
    sheet_columns = [
        c for c in columns.sheet_columns(fields.PATENTS) if c.code_of is None and c.spec.kind != fields.UNIT
    ]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(fields.PATENTS.label)
    sheet.append([c.header for c in sheet_columns])
    for row in synthetic._patents(gen, n, units):
        sheet.append([row.get(c.spec.key) for c in sheet_columns])
    workbook.save(path)


def _openpyxl_read(path) -> float:
    start = time.perf_counter()
    workbook = load_workbook(path, read_only=True)
    for row in workbook.worksheets[0].iter_rows(values_only=True):
        for _value in row:
            pass
    workbook.close()
    return time.perf_counter() - start


def _calamine_read(path) -> float:
    start = time.perf_counter()
    with path.open("rb") as fh, python_calamine.CalamineWorkbook.from_filelike(fh) as workbook:
        for row in workbook.get_sheet_by_index(0).iter_rows():
            for _value in row:
                pass
    return time.perf_counter() - start


def _timed_import(ctx, sheet, rows: int = IMPORT_ROWS) -> float:
    """Seconds to import every patent of `sheet` into a new data file, checked and committed."""
    target = ctx.tmp / f"import-target-{sheet.stem}-{sheet.suffix[1:]}.kjdb"
    create_data_file(target, overwrite=True)
    data = open_data_file(target, take_lock=False)
    try:
        start = time.perf_counter()
        with data.sessions() as session:
            result = importer.import_file(session, fields.PATENTS, sheet)
            session.commit()
        seconds = time.perf_counter() - start
    finally:
        data.close()
    if result.imported != rows:
        raise RuntimeError(f"imported {result.imported} of {rows}: {result.issues[:3]}")
    return seconds


def _raw_insert(ctx, imported: Path) -> float:
    """Seconds for plain sqlite3 to insert the rows an import wrote, prepared, into a new data file.

    The floor under any import: no reading, parsing, checking or Python per row, only SQLite writing the
    rows with the indexes and word-search triggers DESIGN §3 asks for. It shows how far below
    `import_vs_read_ratio`'s goal the writing alone already is (import_insert_floor_vs_read_ratio).
    """
    source = sqlite3.connect(imported)
    names = [row[1] for row in source.execute("PRAGMA table_info(patents)") if row[1] != "id"]
    rows = source.execute(f"SELECT {', '.join(names)} FROM patents").fetchall()
    source.close()
    target = ctx.tmp / "insert-floor.kjdb"
    create_data_file(target, overwrite=True)
    conn = sqlite3.connect(target, isolation_level=None)
    try:
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            f"INSERT INTO patents ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})", rows
        )
        conn.execute("COMMIT")
        return time.perf_counter() - start
    finally:
        conn.close()


def _as_xls(ctx, sheet):
    """The same sheet saved as .xls by LibreOffice (what an Excel 2003 or WPS ledger is)."""
    program = shutil.which("soffice")
    if program is None:
        raise RuntimeError("soffice (LibreOffice) is needed for import_xls_10k_s")
    profile = (ctx.tmp / "lo-profile").as_uri()
    subprocess.run(
        [program, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xls",
         "--outdir", str(ctx.tmp), str(sheet)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    return sheet.with_suffix(".xls")


def import_group(ctx) -> dict[str, tuple[float, str]]:
    sheet = ctx.tmp / "patents-10k.xlsx"
    _patent_sheet(sheet, IMPORT_ROWS)
    seconds = _timed_import(ctx, sheet)
    read = min(_calamine_read(sheet) for _ in range(2))
    baseline = min(_openpyxl_read(sheet) for _ in range(2))
    floor = min(_raw_insert(ctx, ctx.tmp / "import-target-patents-10k-xlsx.kjdb") for _ in range(2))
    return {
        "import_10k_s": (seconds, "s"),
        "import_vs_read_ratio": (seconds / read, "x"),
        "import_insert_floor_vs_read_ratio": (floor / read, "x"),
        "import_vs_openpyxl_ratio": (seconds / baseline, "x"),
        "import_xls_10k_s": (_timed_import(ctx, _as_xls(ctx, sheet)), "s"),
    }


def _rss_mb() -> float:
    """This process's resident memory now (Linux, where the benchmarks run)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def _child_import(tmp: str, sheet: str) -> None:
    """In a fresh process: import the sheet, print seconds and RSS growth (peak over the start)."""

    class Scratch:
        pass

    ctx = Scratch()
    ctx.tmp = Path(tmp)
    before = _rss_mb()
    seconds = _timed_import(ctx, Path(sheet), BIG_IMPORT_ROWS)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    print(json.dumps({"seconds": seconds, "rss_growth_mb": peak - before}))


def big_import_group(ctx) -> dict[str, tuple[float, str]]:
    sheet = ctx.tmp / "patents-100k.xlsx"
    _patent_sheet(sheet, BIG_IMPORT_ROWS)
    # A process of its own, so the peak memory is the import's alone, not the other groups'.
    child = subprocess.run(
        [sys.executable, __file__, str(ctx.tmp), str(sheet)], check=True, capture_output=True, text=True
    )
    figures = json.loads(child.stdout.splitlines()[-1])
    return {
        "import_100k_s": (figures["seconds"], "s"),
        "import_100k_rss_mb": (figures["rss_growth_mb"], "MB"),
    }


def _file_with_patents(path, n: int) -> None:
    from db.models import Enterprise, Patent

    create_data_file(path, overwrite=True)
    data = open_data_file(path, take_lock=False)
    gen = synthetic._Gen(seed=7)
    try:
        with data.sessions.begin() as s:
            synthetic._insert(s, Enterprise, synthetic._units(gen, EXPORT_UNITS))
            units = [(r.id, r.name) for r in s.query(Enterprise.id, Enterprise.name)]
            synthetic._insert(s, Patent, synthetic._patents(gen, n, units))
    finally:
        data.close()


def export_group(ctx) -> dict[str, tuple[float, str]]:
    source = ctx.tmp / "export-100k.kjdb"
    _file_with_patents(source, EXPORT_ROWS)
    data = open_data_file(source, read_only=True)
    try:
        with data.sessions() as session:
            start = time.perf_counter()
            gen = export.iter_export(session, fields.PATENTS, ctx.tmp / "patents-100k.xlsx")
            for _step in gen:
                pass
            seconds = time.perf_counter() - start
    finally:
        data.close()
    return {"export_100k_s": (seconds, "s")}


GROUPS = {
    "exchange_import": import_group,
    "exchange_import_100k": big_import_group,
    "exchange_export": export_group,
}
FIGURES = {
    "import_10k_s": "exchange_import",
    "import_vs_read_ratio": "exchange_import",
    "import_vs_openpyxl_ratio": "exchange_import",
    "import_insert_floor_vs_read_ratio": "exchange_import",
    "import_xls_10k_s": "exchange_import",
    "import_100k_s": "exchange_import_100k",
    "import_100k_rss_mb": "exchange_import_100k",
    "export_100k_s": "exchange_export",
}

if __name__ == "__main__":
    _child_import(*sys.argv[1:3])
