"""Hostile spreadsheets and text: zip bombs, lying sizes, lone surrogates, _xHHHH_ escapes, oversized cells."""

import csv
import datetime as dt
import gc
import hashlib
import os
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from db.database import open_data_file
from db.models import Event, Patent
from kejiju_desktop import cli, fields, validation
from kejiju_desktop.progress import run_to_end
from kejiju_desktop.services import records
from kejiju_desktop.services.exchange import export, importer, reader
from kejiju_desktop.services.exchange.reader import UnusableFile
from kejiju_desktop.services.exchange.xlsx_writer import CELL_LIMIT, SheetWriter, cut_to_cell
from tests.core.store_helpers import db_argument
from tests.fixtures.xlsx.sheets import PATENT_HEADERS, patent_row, write_sheet


@pytest.fixture
def data(engine_store):
    """Every test here that takes `data` or `session` runs on a data file and on a PostgreSQL server."""
    return engine_store


ROOT = Path(__file__).resolve().parents[2]
SST = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refusal(path: Path) -> tuple[str, float]:
    """The sentence an import check refuses `path` with, and how long it took."""
    start = time.perf_counter()
    with pytest.raises(UnusableFile) as caught:
        importer.check_file(fields.PATENTS, path)
    seconds = time.perf_counter() - start
    gc.collect()  # a file left open by the refused read is reported here, as this test's failure
    return caught.value.message, seconds


def rebuilt(source: Path, target: Path, replace: dict[str, bytes], level: int = 9) -> Path:
    """A copy of the workbook `source` with some parts replaced or added (deflated at `level`)."""
    with (
        zipfile.ZipFile(source) as old,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as new,
    ):
        for info in old.infolist():
            if info.filename not in replace:
                new.writestr(info.filename, old.read(info.filename))
        for name, body in replace.items():
            new.writestr(name, body)
    return target


def declare_size(path: Path, part: str, size: int) -> None:
    """Make the zip directory lie: `part`'s uncompressed size becomes `size` (local header too)."""
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(part)
    struct.pack_into("<I", raw, info.header_offset + 22, size)
    central = raw.rfind(b"PK\x01\x02" + raw[info.header_offset + 4 : info.header_offset + 6])
    name = part.encode()
    while raw[central + 46 : central + 46 + len(name)] != name:
        central = raw.rfind(b"PK\x01\x02", 0, central)
    struct.pack_into("<I", raw, central + 24, size)
    path.write_bytes(bytes(raw))


@pytest.fixture
def workbook(tmp_path) -> Path:
    """An ordinary patent sheet of 2,000 rows, as openpyxl writes it (shared strings)."""
    rows = [PATENT_HEADERS, *(patent_row(i + 1) for i in range(2000))]
    return write_sheet(tmp_path / "good.xlsx", rows)


# --- zip bombs -------------------------------------------------------------------------------------


def test_shared_strings_that_unpack_a_thousand_fold_are_refused_before_parsing(workbook, tmp_path):
    body = (SST + "<si><t>" + "科" * (7 * 1024 * 1024) + "</t></si></sst>").encode()  # 21 MB unpacked
    bomb = rebuilt(workbook, tmp_path / "bomb.xlsx", {"xl/sharedStrings.xml": body})
    assert bomb.stat().st_size < 200_000
    message, seconds = refusal(bomb)
    assert "不像正常的 Excel 表格" in message and "xl/sharedStrings.xml" in message
    assert seconds < 1.0


def test_a_workbook_declaring_more_than_256_mb_unpacked_is_refused(workbook, tmp_path):
    picture = rebuilt(workbook, tmp_path / "big.xlsx", {"xl/media/image1.bin": os.urandom(4 << 20)}, level=1)
    declare_size(picture, "xl/media/image1.bin", 300 << 20)  # 75:1, under the ratio limit
    message, seconds = refusal(picture)
    assert "超过导入上限 256 MB" in message
    assert seconds < 1.0


@pytest.mark.parametrize("declared", [3_000, 200_000], ids=["caught-at-open", "caught-mid-sheet"])
def test_a_part_holding_more_than_it_declares_is_a_damaged_file(workbook, tmp_path, declared):
    liar = rebuilt(workbook, tmp_path / "liar.xlsx", {})
    assert zipfile.ZipFile(liar).getinfo("xl/worksheets/sheet1.xml").file_size > 2 * declared
    declare_size(liar, "xl/worksheets/sheet1.xml", declared)
    message, seconds = refusal(liar)
    assert "已损坏" in message
    assert seconds < 1.0


def test_an_ordinary_workbook_passes_the_size_check(workbook):
    assert importer.check_file(fields.PATENTS, workbook).estimated_rows == 2000


def test_the_command_line_refuses_a_bomb_with_one_sentence_and_leaves_the_data_file(
    workbook, tmp_path, db_file
):
    """On a data file only: the workbook is refused before any store is reached; the file's bytes are checked."""
    body = (SST + "<si><t>" + "A" * (20 << 20) + "</t></si></sst>").encode()
    bomb = rebuilt(workbook, tmp_path / "bomb.xlsx", {"xl/sharedStrings.xml": body})
    before = digest(db_file)
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "import", "--db", str(db_file), "--table", "patents", str(bomb)],
        capture_output=True, text=True, encoding="utf-8", timeout=60, cwd=ROOT,
        env=os.environ | {"PYTHONIOENCODING": "utf-8"},
    )  # fmt: skip
    assert result.returncode != 0
    assert "不像正常的 Excel 表格" in result.stderr and "Traceback" not in result.stderr
    assert digest(db_file) == before


# --- lone surrogates ---------------------------------------------------------------------------------

STORABLE_KINDS = [
    (entity, spec)
    for entity in fields.ENTITIES.values()
    for spec in entity.fields
    if spec.kind != fields.UNIT
]


@pytest.mark.parametrize(("entity", "spec"), STORABLE_KINDS, ids=lambda x: getattr(x, "key", None) or x.table)
def test_every_field_refuses_a_lone_surrogate_with_a_sentence_when_saved(session, entity, spec):
    with pytest.raises(records.ValidationFailed) as caught:
        records.save_record(session, entity, {spec.key: "残缺\ud800字符"})
    mine = [p for p in caught.value.problems if p.field == spec.key]
    assert mine[0].message == validation.MSG_TEXT_BROKEN.format(label=spec.label)


def test_lone_surrogates_in_a_real_sheet_are_row_errors_not_a_crash(data, tmp_path):
    # openpyxl writes "_xD800_" as it is; Excel (and our reader) read it as the lone surrogate U+D800.
    rows = [
        PATENT_HEADERS,
        patent_row(1, 专利名称="一种装置_xD800_"),
        patent_row(2, applicant="示范_xDC00_公司"),
        patent_row(3),
    ]
    with data.sessions() as s:
        result = importer.import_file(s, fields.PATENTS, write_sheet(tmp_path / "p.xlsx", rows))
    assert result.error_rows == {2, 3} and result.refused
    assert [i.line() for i in result.issues] == [
        "第 2 行【专利名称】" + validation.MSG_TEXT_BROKEN.format(label="专利名称"),
        "第 3 行【申请人】" + validation.MSG_TEXT_BROKEN.format(label="申请人"),
    ]


def test_a_lone_surrogate_in_a_unit_name_is_a_row_error_even_with_create_units(data, tmp_path):
    rows = [("项目名称", "项目级别", "申报年度", "承担单位"), ("甲项目", "省", 2012, "残缺_xD83D_单位")]
    with data.sessions() as s:
        result = importer.import_file(
            s,
            fields.PROJECTS,
            write_sheet(tmp_path / "p.xlsx", rows),
            importer.ImportOptions(create_units=True),
        )
    assert result.error_rows == {2}
    assert result.issues[0].line() == "第 2 行【承担单位】" + validation.MSG_TEXT_BROKEN.format(
        label="承担单位"
    )


# --- _xHHHH_ escapes ---------------------------------------------------------------------------------


def shared_strings_sheet(path: Path, rows: list[list[str]]) -> Path:
    """A workbook as Excel writes one: every text in sharedStrings.xml, written exactly as given."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    texts = [t for row in rows for t in row]
    cells = iter(range(len(texts)))
    sheet_rows = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{chr(65 + c)}{r}" t="s"><v>{next(cells)}</v></c>' for c in range(len(row)))
        + "</row>"
        for r, row in enumerate(rows, 1)
    )  # fmt: skip
    strings = "".join(f"<si><t>{escape(t)}</t></si>" for t in texts)
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{kind}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{kind}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kind}.sharedStrings+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
        '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}"><sheetData>{sheet_rows}</sheetData></worksheet>',
        "xl/sharedStrings.xml": f'<sst xmlns="{main}" count="{len(texts)}">{strings}</sst>',
    }  # fmt: skip
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body)
    return path


def test_excel_escapes_in_shared_strings_are_decoded_as_excel_does(data, tmp_path):
    headers = ["专利名称", "专利类型", "申请人", "申请日", "备注"]
    rows = [
        headers,
        ["一种_x0041_型装置", "发明", "甲", "2012-03-05", "第一行_x000D_\n第二行"],
        ["字面的_x005F_x0041_", "发明", "甲", "2012-03-06", "下划线_x005f_"],
    ]
    path = shared_strings_sheet(tmp_path / "p.xlsx", rows)
    with data.sessions() as s:
        result = importer.import_file(s, fields.PATENTS, path)
        assert not result.issues
        s.commit()
    with data.sessions() as s:
        stored = s.execute(select(Patent.title, Patent.note).order_by(Patent.id)).all()
    assert stored == [("一种A型装置", "第一行\r\n第二行"), ("字面的_x0041_", "下划线_")]


def test_a_lone_surrogate_in_shared_strings_is_a_row_error(data, tmp_path):
    rows = [["专利名称", "专利类型", "申请人", "申请日"], ["残缺_xD800_", "发明", "甲", "2012-03-05"]]
    with data.sessions() as s:
        result = importer.import_file(s, fields.PATENTS, shared_strings_sheet(tmp_path / "p.xlsx", rows))
    assert [i.line() for i in result.issues] == [
        "第 2 行【专利名称】" + validation.MSG_TEXT_BROKEN.format(label="专利名称")
    ]


def test_escape_looking_text_survives_export_and_import_exactly(data, tmp_path):
    names = ["a_x0001_b", "_x005F_", "__x0041_x0042_", "尾_x004"]
    with data.sessions.begin() as s:
        for i, name in enumerate(names, 1):
            records.save_record(
                s, fields.EVENTS, {"name": name, "start_on": dt.date(2012, 5, i), "note": "甲\r\n\t乙"}
            )
    path = tmp_path / "events.xlsx"
    with data.sessions() as s:
        run_to_end(export.iter_export(s, fields.EVENTS, path))
        s.execute(Event.__table__.delete())
        result = importer.import_file(s, fields.EVENTS, path)
        assert result.imported == len(names) and not result.issues
        back = s.execute(select(Event.name, Event.note).order_by(Event.start_on)).all()
    assert back == [(name, "甲\r\n\t乙") for name in names]


def test_control_characters_are_written_as_escapes_and_read_back_as_themselves(tmp_path):
    texts = ["响铃\x07", "\x01_x0041\x01", "\x00\x1f\uffff"]
    writer = SheetWriter(tmp_path / "c.xlsx", "表", [10])
    for text in texts:
        writer.append([text])
    writer.close()
    with reader.open_sheet(tmp_path / "c.xlsx") as sheet:
        assert [row[0] for _, row in sheet.rows()] == texts


# --- Excel's 32,767 characters a cell ------------------------------------------------------------------


def test_a_cell_is_cut_to_32767_utf16_units_without_splitting_a_character():
    assert cut_to_cell("字" * CELL_LIMIT) is None
    assert cut_to_cell("字" * (CELL_LIMIT + 1)) == "字" * CELL_LIMIT
    emoji = cut_to_cell("😀" * 20000)  # two UTF-16 units each
    assert emoji == "😀" * (CELL_LIMIT // 2)


def long_event(data, length: int) -> None:
    """An event whose 活动内容 is longer than any form allows (old data, a file merged before checks)."""
    with data.sessions.begin() as s:
        record = records.save_record(s, fields.EVENTS, {"name": "长文活动", "start_on": dt.date(2012, 3, 1)})
        s.flush()
        s.execute(Event.__table__.update().where(Event.id == record.id).values(content="长" * length))


def test_export_cuts_an_overlong_cell_and_names_it_in_the_summary(data, tmp_path, capsys):
    long_event(data, 40_000)
    out = tmp_path / "events.xlsx"
    assert cli.main(["export", "--db", db_argument(data), "--table", "events", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "已导出 1 条" in printed
    assert "有 1 个单元格超过 Excel 每格 32,767 个字符的上限" in printed and "第 2 行【活动内容】" in printed
    sheet = load_workbook(out).active
    column = [c.value for c in sheet[1]].index("活动内容") + 1
    assert sheet.cell(row=2, column=column).value == "长" * CELL_LIMIT


@pytest.mark.slow
def test_libreoffice_reads_escapes_and_the_cut_cell_as_we_wrote_them(db_file, tmp_path, soffice):
    """On a data file only: what is checked is LibreOffice reading the writer's sheet (slow), the same
    whichever store gave the rows (the over-long cell exported from a server: the test above)."""
    data = open_data_file(db_file)
    long_event(data, 40_000)
    with data.sessions.begin() as s:
        records.save_record(s, fields.EVENTS, {"name": "a_x0041_b_x005F_", "start_on": dt.date(2012, 4, 1)})
    with data.sessions() as s:
        result = run_to_end(export.iter_export(s, fields.EVENTS, tmp_path / "events.xlsx"))
    data.close()
    assert result.cut == [(2, "活动内容")]
    converted = soffice(tmp_path / "events.xlsx", "csv", "Text - txt - csv (StarCalc):44,34,76")
    with converted.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    content = rows[0].index("活动内容")
    assert rows[1][content] == "长" * CELL_LIMIT
    assert rows[2][0] == "a_x0041_b_x005F_"
