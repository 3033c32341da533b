"""Excel export and templates: reopened with openpyxl, and imported back."""

import datetime as dt
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from db.database import create_data_file, open_data_file
from kejiju_desktop import fields, messages
from kejiju_desktop.progress import run_to_end
from kejiju_desktop.services import records
from kejiju_desktop.services.exchange import columns, export, importer, xstring


@pytest.fixture
def data(engine_store):
    """Every test here that takes `data` or `session` runs on a data file and on a PostgreSQL server."""
    return engine_store


FORMULA_TEXTS = ("=1+1", "+86 028 1234", "-3 号", "@某人", '=HYPERLINK("http://x")')


def export_rows(session, entity, path, query=None) -> int:
    return run_to_end(export.iter_export(session, entity, path, query)).count


def snapshot(path) -> dict[str, list]:
    """Every live record of every table of the data file at `path` (snapshot_of)."""
    opened = open_data_file(path, read_only=True)
    try:
        return snapshot_of(opened)
    finally:
        opened.close()


def snapshot_of(store) -> dict[str, list]:
    """Every live record of every table as field values (units by name), sorted."""
    with store.sessions() as s:
        return {
            t: sorted(tuple(map(repr, row[1:])) for row in records.list_page(s, e, records.Query(), 0, 10**6))
            for t, e in fields.ENTITIES.items()
        }


def test_round_trip_of_every_demo_table_gives_identical_records(demo_file, data, tmp_path):
    """The demo file's sheets imported into an empty file, and into an empty server."""
    source, dest = open_data_file(demo_file, read_only=True), data
    skipped = {}
    try:
        for table, entity in fields.ENTITIES.items():
            sheet = tmp_path / f"{table}.xlsx"
            with source.sessions() as s:
                exported = records.list_page(s, entity, records.Query(), 0, 10**6)
                assert export_rows(s, entity, sheet) == len(exported)
            with dest.sessions() as s:
                result = importer.import_file(s, entity, sheet)
                assert not result.bad_rows, [i.line() for i in result.issues[:5]]
                s.commit()
            skipped[table] = result.skipped
    finally:
        source.close()
    before, after = snapshot(demo_file), snapshot_of(dest)
    assert skipped == dict.fromkeys(fields.ENTITIES, 0)  # the demo holds no suspected duplicates
    for table in fields.ENTITIES:
        assert after[table] == before[table], table


def test_export_has_bold_frozen_headers_real_dates_and_money(demo_file, tmp_path):
    """From the demo file; a server's export of the same records is compared with the file's cell for cell
    in test_services_on_a_server.py."""
    path = tmp_path / "projects.xlsx"
    opened = open_data_file(demo_file, read_only=True)
    with opened.sessions() as s:
        export_rows(s, fields.PROJECTS, path)
    opened.close()
    ws = load_workbook(path).active
    headers = [c.value for c in ws[1]]
    assert headers == [c.header for c in columns.sheet_columns(fields.PROJECTS)]
    assert "统一社会信用代码" in headers and all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2"
    funding = headers.index("财政资助(万元)") + 1
    approved = headers.index("立项日期") + 1
    money = [r[funding - 1] for r in ws.iter_rows(min_row=2) if r[funding - 1].value is not None]
    dates = [r[approved - 1] for r in ws.iter_rows(min_row=2) if r[approved - 1].value is not None]
    assert money and all(c.data_type == "n" and c.number_format == "0.00" for c in money)
    assert dates and all(c.is_date and isinstance(c.value, dt.datetime) for c in dates)
    name_width = ws.column_dimensions["B"].width
    assert 10 < name_width <= export.MAX_WIDTH


def test_formula_looking_text_is_written_as_text_and_survives_a_round_trip(session, data, tmp_path):
    for i, text in enumerate(FORMULA_TEXTS, 1):
        records.save_record(
            session, fields.EVENTS, {"name": text, "start_on": dt.date(2012, 5, i), "place": text}
        )
    session.flush()
    path = tmp_path / "events.xlsx"
    export_rows(session, fields.EVENTS, path)
    sheet_xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml
    ws = load_workbook(path).active
    names = [(c.value, c.data_type) for c in ws["A"][1:]]
    assert sorted(names) == sorted((t, "s") for t in FORMULA_TEXTS)
    target = tmp_path / "other.kjdb"
    create_data_file(target)
    other = open_data_file(target)
    with other.sessions() as s:
        assert importer.import_file(s, fields.EVENTS, path).imported == len(FORMULA_TEXTS)
        s.commit()
        assert sorted(r[1] for r in records.list_page(s, fields.EVENTS, records.Query(), 0, 100)) == sorted(
            FORMULA_TEXTS
        )
    other.close()


def test_export_honours_the_query(demo_file, tmp_path):
    """From the demo file; on a server: test_services_on_a_server.test_an_export_by_a_query_is_the_same_rows."""
    path = tmp_path / "p2012.xlsx"
    opened = open_data_file(demo_file, read_only=True)
    with opened.sessions() as s:
        query = records.Query(year=2012, filters={"patent_type": "发明"})
        assert export_rows(s, fields.PATENTS, path, query) == records.count(s, fields.PATENTS, query) > 0
    opened.close()
    wb = load_workbook(path, read_only=True)
    rows = list(wb.active.iter_rows(min_row=2, values_only=True))
    wb.close()
    assert {r[2] for r in rows} == {"发明"} and {r[7].year for r in rows} == {2012}


def test_template_has_a_drop_down_on_every_choice_column(session, tmp_path):
    path = tmp_path / "t.xlsx"
    export.write_template(session, fields.PROJECTS, path)
    wb = load_workbook(path)
    ws = wb[fields.PROJECTS.label]
    headers = [c.value for c in ws[1]]
    assert ws.max_row == 1 and ws.freeze_panes == "A2"
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    for spec in fields.PROJECTS.fields:
        if spec.kind == fields.CHOICE:
            letter = ws.cell(row=1, column=headers.index(spec.label) + 1).column_letter
            assert f"{letter}2" in lists
    level = ws.cell(row=1, column=headers.index("项目级别") + 1).column_letter
    assert lists[f"{level}2"] == '"国家,省,市,县"'


def test_a_long_choice_list_goes_to_a_hidden_sheet(session, tmp_path):
    from kejiju_desktop.services import settings

    settings.put_choice_list(session, "plan_categories", [f"很长的计划类别名称第{i}号" for i in range(30)])
    path = tmp_path / "t.xlsx"
    export.write_template(session, fields.PROJECTS, path)
    wb = load_workbook(path)
    hidden = wb[messages.TEMPLATE_SHEET_CHOICES]
    assert hidden.sheet_state == "hidden"
    assert any(
        dv.formula1.startswith(f"'{hidden.title}'!")
        for dv in wb.worksheets[0].data_validations.dataValidation
    )


def test_amounts_keep_two_decimals_through_export(session, tmp_path):
    records.save_record(
        session, fields.PROJECTS, {"name": "甲", "level": "县", "apply_year": 2012, "funding": "0.1"}
    )
    session.flush()
    path = tmp_path / "m.xlsx"
    export_rows(session, fields.PROJECTS, path)
    ws = load_workbook(path).active
    cell = ws.cell(row=2, column=[c.value for c in ws[1]].index("财政资助(万元)") + 1)
    assert Decimal(str(cell.value)) == Decimal("0.1") and cell.number_format == "0.00"


def test_every_part_of_an_export_is_well_formed_xml(demo_file, tmp_path):
    """From the demo file: what is checked is the writer's XML, the same whichever store gave the rows."""
    from lxml import etree

    path = tmp_path / "units.xlsx"
    opened = open_data_file(demo_file, read_only=True)
    with opened.sessions() as s:
        export_rows(s, fields.ENTERPRISES, path)
    opened.close()
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        for name in z.namelist():
            etree.fromstring(z.read(name))
    wb = load_workbook(path)
    assert wb.sheetnames == [fields.ENTERPRISES.label] and wb.active.max_row == 53


def test_markup_and_control_characters_are_written_safely(session, tmp_path):
    names = ["a&b<c>d", "响铃\x07字符"]
    for i, name in enumerate(names, 1):
        record = records.save_record(
            session, fields.EVENTS, {"name": f"活动{i}", "start_on": dt.date(2012, 6, i)}
        )
        record.name = name  # old data: the forms refuse control characters now
    session.flush()
    path = tmp_path / "e.xlsx"
    export_rows(session, fields.EVENTS, path)
    ws = load_workbook(path).active  # openpyxl leaves Excel's _x0007_ escape as it is; Excel decodes it
    assert sorted(c.value for c in ws["A"][1:]) == sorted(["a&b<c>d", "响铃_x0007_字符"])
    assert sorted(xstring.decode(c.value) for c in ws["A"][1:]) == sorted(names)
