"""One path for a record: a form save and an import row are derived and checked the same way."""

import pytest
from sqlalchemy import select

from db.models import Enterprise, Patent, Qualification
from kejiju_desktop import fields, validation
from kejiju_desktop.services import records
from kejiju_desktop.services.exchange import importer
from tests.fixtures.xlsx.sheets import write_sheet


@pytest.fixture
def data(engine_store):
    """Every test here that takes `data` or `session` runs on a data file and on a PostgreSQL server."""
    return engine_store


UNIT = "示范县四星液压有限公司"


def import_rows(session, entity, tmp_path, rows, **options) -> importer.ImportResult:
    path = write_sheet(tmp_path / f"{entity.table}.xlsx", rows)
    return importer.import_file(session, entity, path, importer.ImportOptions(**options))


def save_problems(session, entity, raw) -> list[str]:
    with pytest.raises(records.ValidationFailed) as info:
        records.save_record(session, entity, raw, operator="张三")
    return [p.message for p in info.value.problems]


def test_a_patent_saved_and_one_imported_get_the_same_derived_type_and_unit(session, tmp_path):
    unit = records.save_record(session, fields.ENTERPRISES, {"name": UNIT}, operator="张三")
    first, second = validation.make_app_no(2012, 2, 1), validation.make_app_no(2012, 2, 2)
    raw = {"app_no": first, "title": "一种液压缸", "applicant": UNIT, "filed_on": "2012-03-05"}
    records.save_record(session, fields.PATENTS, raw, operator="张三")
    rows = [("申请号", "专利名称", "申请人", "申请日"), (second, "一种液压阀", UNIT, "2012-03-06")]
    assert import_rows(session, fields.PATENTS, tmp_path, rows).imported == 1
    session.flush()
    found = session.execute(
        select(Patent.app_no, Patent.patent_type, Patent.unit_id).order_by(Patent.id)
    ).all()
    assert [tuple(row) for row in found] == [(first, "实用新型", unit.id), (second, "实用新型", unit.id)]


def test_a_derive_hook_fills_only_empty_fields_and_links_units_only_when_given_a_lookup():
    values = {"app_no": validation.make_app_no(2012, 3, 1), "applicant": UNIT}
    fields.PATENTS.fill_derived(values, None)
    assert values == {
        "app_no": validation.make_app_no(2012, 3, 1),
        "applicant": UNIT,
        "patent_type": "外观设计",
    }
    fields.PATENTS.fill_derived(values, {UNIT: 7}.get)
    assert values["unit_id"] == 7
    chosen = {"app_no": validation.make_app_no(2012, 3, 1), "patent_type": "发明"}
    fields.PATENTS.fill_derived(chosen, None)
    assert chosen["patent_type"] == "发明"  # the clerk's choice stands (the rules then refuse it)


def test_unique_keys_are_read_from_the_specs_in_one_place():
    assert fields.ENTERPRISES.unique_key_sets == (("name",), ("credit_code",))
    assert fields.TARGETS.unique_key_sets == (("year", "indicator"),)
    assert fields.AWARDS.unique_key_sets == ()


INVALID_PATENTS = [
    {"granted_on": "2011-01-01"},
    {"app_no": "201210000001.5"},
    {"patent_type": "实用新型"},
    {"filed_on": "2012-02-30"},
]
SHEET_COLUMNS = {"app_no": "申请号", "title": "专利名称", "patent_type": "专利类型", "applicant": "申请人",
                 "filed_on": "申请日", "granted_on": "授权日"}  # fmt: skip


@pytest.mark.parametrize("change", INVALID_PATENTS)
def test_an_invalid_patent_gives_the_same_message_through_save_and_import(session, tmp_path, change):
    raw = {"app_no": validation.make_app_no(2012, 1, 9), "title": "一种液压缸", "applicant": "个人甲"}
    raw |= {"filed_on": "2012-03-05"} | change
    saved = save_problems(session, fields.PATENTS, raw)
    keys = list(raw)
    rows = [[SHEET_COLUMNS[k] for k in keys], [raw[k] for k in keys]]
    imported = import_rows(session, fields.PATENTS, tmp_path, rows)
    assert [issue.message for issue in imported.issues] == saved


def test_a_unit_name_already_taken_gives_the_same_message_through_save_and_import(session, tmp_path):
    records.save_record(session, fields.ENTERPRISES, {"name": UNIT}, operator="张三")
    code = validation.make_credit_code("91510124MA6CXXXX1")
    saved = save_problems(session, fields.ENTERPRISES, {"name": UNIT, "credit_code": code})
    imported = import_rows(
        session, fields.ENTERPRISES, tmp_path, [("单位名称", "统一社会信用代码"), (UNIT, code)]
    )
    assert [issue.message for issue in imported.issues] == saved


def test_an_imported_row_stores_its_rule_warning_as_confirmed_like_a_saved_one(session, tmp_path):
    unit = records.save_record(session, fields.ENTERPRISES, {"name": UNIT}, operator="张三")
    raw = {"unit_id": unit.id, "category": "高新技术企业", "cert_no": "甲-001", "year": "2012"}
    saved = records.save_record(session, fields.QUALIFICATIONS, raw, operator="张三", confirm_warnings=True)
    rows = [("单位名称", "资质类别", "证书编号", "认定年度"), (UNIT, "高新技术企业", "甲-002", 2013)]
    assert import_rows(session, fields.QUALIFICATIONS, tmp_path, rows, accept_warnings=True).imported == 1
    session.flush()
    imported = session.scalars(select(Qualification).where(Qualification.cert_no == "甲-002")).one()
    assert saved.confirmed_warnings == imported.confirmed_warnings == "cert_no"


def test_a_unit_created_by_an_import_is_logged_with_the_rows(session, tmp_path):
    rows = [("单位名称", "资质类别", "认定年度"), (UNIT, "科普基地", 2012)]
    result = import_rows(session, fields.QUALIFICATIONS, tmp_path, rows, create_units=True)
    assert (result.imported, result.units_created) == (1, 1)
    session.flush()
    assert session.scalars(select(Enterprise.name)).all() == [UNIT]
