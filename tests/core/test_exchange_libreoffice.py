"""Exported workbooks opened by an independent client: LibreOffice Calc reads them back as CSV."""

import csv

import pytest

from db.database import open_data_file
from kejiju_desktop import fields
from kejiju_desktop.progress import run_to_end
from kejiju_desktop.services import records
from kejiju_desktop.services.exchange import columns
from kejiju_desktop.services.exchange.export import iter_export

pytestmark = pytest.mark.slow
CSV_UTF8 = "Text - txt - csv (StarCalc):44,34,76"


@pytest.mark.parametrize("table", ["patents", "projects"])
def test_libreoffice_reads_every_row_and_value_we_wrote(demo_file, tmp_path, soffice, table):
    entity = fields.entity(table)
    path = tmp_path / f"{table}.xlsx"
    data = open_data_file(demo_file, read_only=True)
    with data.sessions() as s:
        written = run_to_end(iter_export(s, entity, path)).count
        first = records.list_page(s, entity, records.Query(), 0, 1)[0]
    data.close()
    converted = soffice(path, "csv", CSV_UTF8)
    with converted.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == [c.header for c in columns.sheet_columns(entity)]
    assert len(rows) - 1 == written > 100
    title_key = entity.display_key
    shown = rows[1][rows[0].index(entity.field(title_key).label)]
    assert shown == first[1 + [f.key for f in entity.fields].index(title_key)]


def test_formula_looking_text_stays_text_in_libreoffice(tmp_path, db_file, soffice):
    data = open_data_file(db_file)
    with data.sessions.begin() as s:
        records.save_record(s, fields.EVENTS, {"name": "=1+1", "start_on": "2012-05-01", "place": "@总部"})
    with data.sessions() as s:
        run_to_end(iter_export(s, fields.EVENTS, tmp_path / "events.xlsx"))
    data.close()
    with soffice(tmp_path / "events.xlsx", "csv", CSV_UTF8).open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[1][0] == "=1+1" and "@总部" in rows[1]
