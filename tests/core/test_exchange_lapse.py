"""失效日 goes out to Excel under its own header and comes back in as the same date."""

import datetime as dt

from openpyxl import load_workbook

from db.database import create_data_file, open_data_file
from db.models import Patent
from kejiju_desktop import fields
from kejiju_desktop.progress import run_to_end
from kejiju_desktop.services import records
from kejiju_desktop.services.exchange import export, importer
from kejiju_desktop.validation import make_app_no


def test_lapse_date_round_trips_through_export_and_import(db_file, tmp_path):
    data = open_data_file(db_file, take_lock=False)
    with data.writer() as s:
        for serial, lapsed in ((1, "2013-04-30"), (2, None)):
            raw = {"app_no": make_app_no(2010, 1, serial), "title": f"专利{serial}", "applicant": "甲",
                   "filed_on": "2010-03-01", "granted_on": "2011-06-01", "lapsed_on": lapsed}  # fmt: skip
            records.save_record(s, fields.PATENTS, {k: v for k, v in raw.items() if v}, operator="测试")
    sheet = tmp_path / "patents.xlsx"
    with data.sessions() as s:
        run_to_end(export.iter_export(s, fields.PATENTS, sheet))
    data.close()
    rows = list(load_workbook(sheet).active.iter_rows(values_only=True))
    column = rows[0].index("失效日")
    assert sorted(str(row[column]) for row in rows[1:]) == ["2013-04-30 00:00:00", "None"]

    target = tmp_path / "other.kjdb"
    create_data_file(target)
    other = open_data_file(target, take_lock=False)
    with other.writer() as s:
        assert not importer.import_file(s, fields.PATENTS, sheet).bad_rows
    with other.sessions() as s:
        lapsed = dict(s.query(Patent.title, Patent.lapsed_on).all())
    other.close()
    assert lapsed == {"专利1": dt.date(2013, 4, 30), "专利2": None}
