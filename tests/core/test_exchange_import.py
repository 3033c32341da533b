"""Excel import: real .xlsx files through the field specs into a real data file."""

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from db.models import ChangeLog, Enterprise, Patent, Project
from kejiju_desktop import fields, validation
from kejiju_desktop.services import records
from kejiju_desktop.services.exchange import importer
from tests.fixtures.xlsx.sheets import PATENT_HEADERS, patent_row, set_cached_value, write_sheet


@pytest.fixture
def data(engine_store):
    """Every test here that takes `data` or `session` runs on a data file and on a PostgreSQL server."""
    return engine_store


GOOD_CODE = validation.make_credit_code("91510124MA6CXXXX1")


def run(data, entity, path, **options) -> importer.ImportResult:
    """Import like the command line does: commit only when the result allows it."""
    with data.sessions() as s:
        result = importer.import_file(s, entity, path, importer.ImportOptions(**options))
        if not result.refused and not result.options.dry_run:
            s.commit()
    return result


def live(data, entity) -> int:
    with data.sessions() as s:
        return records.count(s, entity, records.Query())


def add_unit(data, name="示范科技有限公司", code=None) -> None:
    with data.sessions.begin() as s:
        records.save_record(s, fields.ENTERPRISES, {"name": name, "credit_code": code})


def test_good_patents_are_imported_with_change_log_and_sort_keys(data, tmp_path):
    path = write_sheet(tmp_path / "p.xlsx", [PATENT_HEADERS, patent_row(1), patent_row(2, type_digit=2)])
    result = run(data, fields.PATENTS, path)
    assert (result.rows_read, result.imported, result.issues) == (2, 2, [])
    with data.sessions() as s:
        patents = s.scalars(select(Patent).order_by(Patent.id)).all()
        assert [p.patent_type for p in patents] == ["发明", "实用新型"]
        assert all(p.title_sort and p.updated_by for p in patents)
        assert s.scalar(select(func.count()).select_from(ChangeLog).where(ChangeLog.action == "create")) == 2


BAD_PATENTS = [
    ("申请号", {"申请号": "201210000001.5"}, "校验位"),
    ("申请日", {"申请日": "2012-02-30"}, "不是有效日期"),
    ("授权日", {"授权日": dt.date(2011, 1, 1)}, "授权日不能早于申请日"),
    ("专利类型", {"专利类型": "实用新型"}, "不一致"),
]


def test_every_bad_patent_row_is_reported_with_its_row_and_nothing_is_written(data, tmp_path):
    rows = [patent_row(i + 1, **change) for i, (_col, change, _why) in enumerate(BAD_PATENTS)]
    unknown = [*patent_row(9), "不存在的公司"]
    header = [*PATENT_HEADERS, "关联单位"]
    path = write_sheet(tmp_path / "bad.xlsx", [header, patent_row(8), *rows, unknown])
    result = run(data, fields.PATENTS, path)
    assert result.refused and live(data, fields.PATENTS) == 0
    by_row = {i.row: i for i in result.issues}
    for offset, (column, _change, why) in enumerate(BAD_PATENTS):
        assert by_row[3 + offset].column == column and why in by_row[3 + offset].message
    assert by_row[7].column == "关联单位" and "不存在的公司" in by_row[7].message
    assert result.error_rows == {3, 4, 5, 6, 7}
    assert "第 3 行【申请号】" in by_row[3].line()


def test_negative_amount_and_unknown_unit_in_projects_are_reported(data, tmp_path):
    header = ("项目名称", "项目级别", "申报年度", "承担单位", "财政资助(万元)")
    rows = [header, ("好项目", "省级", 2012, None, 10), ("负数", "省", 2012, None, -5)]
    rows.append(("无单位", "市", 2012, "查无此单位", 1))
    result = run(data, fields.PROJECTS, write_sheet(tmp_path / "pr.xlsx", rows))
    assert [(i.row, i.column) for i in result.issues] == [(3, "财政资助(万元)"), (4, "承担单位")]
    assert "不能为负数" in result.issues[0].message
    assert live(data, fields.PROJECTS) == 0


def test_wrong_credit_check_character_refuses_the_row_unless_warnings_are_accepted(data, tmp_path):
    bad_code = GOOD_CODE[:17] + ("0" if GOOD_CODE[17] != "0" else "1")
    path = write_sheet(tmp_path / "u.xlsx", [("单位名称", "统一社会信用代码"), ("试点企业", bad_code)])
    refused = run(data, fields.ENTERPRISES, path)
    assert refused.warning_rows == {2} and refused.issues[0].severity == validation.WARNING
    assert live(data, fields.ENTERPRISES) == 0
    accepted = run(data, fields.ENTERPRISES, path, accept_warnings=True)
    assert accepted.imported == 1
    with data.sessions() as s:
        unit = s.scalars(select(Enterprise)).one()
        assert unit.credit_code == bad_code and unit.confirmed_warnings == "credit_code"


def test_headers_match_despite_spaces_full_width_and_synonyms(data, tmp_path):
    header = (" 专利申请号 ", "专利　名称", "专利类型", "专利权人", "申请日期", "法律状态", "序号")
    rows = [header]
    dates = ["2012.3.5", "2012/3/5", "2012年3月5日", dt.datetime(2012, 3, 5), 40973, "2012-03-05"]
    for i, day in enumerate(dates, 1):
        app_no = validation.make_app_no(2012, 1, i).replace(".", "")
        rows.append((f"ZL{app_no}", f"名称{i}", "发明专利", "某人", day, "授权", i))
    result = run(data, fields.PATENTS, write_sheet(tmp_path / "h.xlsx", rows))
    assert result.imported == len(dates), result.issues
    assert result.plan.match.unknown == ["序号"]
    with data.sessions() as s:
        patents = s.scalars(select(Patent)).all()
        assert {p.filed_on for p in patents} == {dt.date(2012, 3, 5)}
        assert {p.legal_status for p in patents} == {"已授权"}
        assert all("." in p.app_no and not p.app_no.startswith("ZL") for p in patents)


def test_choice_synonyms_and_money_are_parsed(data, tmp_path):
    rows = [("项目名称", "项目级别", "申报年度", "财政资助(万元)"), ("甲", "省级", "2012年", 12.5)]
    run(data, fields.PROJECTS, write_sheet(tmp_path / "c.xlsx", rows))
    with data.sessions() as s:
        project = s.scalars(select(Project)).one()
        assert (project.level, project.apply_year, project.funding) == ("省", 2012, Decimal("12.50"))


def test_duplicates_of_live_rows_and_within_the_sheet_are_skipped_and_counted(data, tmp_path):
    run(data, fields.PATENTS, write_sheet(tmp_path / "a.xlsx", [PATENT_HEADERS, patent_row(1)]))
    rows = [PATENT_HEADERS, patent_row(1, 专利名称="新名称"), patent_row(2), patent_row(2)]
    result = run(data, fields.PATENTS, write_sheet(tmp_path / "b.xlsx", rows))
    assert (result.imported, result.skipped, result.bad_rows) == (1, 2, set())
    assert any("与第 3 行重复" in i.message for i in result.issues)
    assert live(data, fields.PATENTS) == 2


def test_update_on_duplicate_changes_the_live_record(data, tmp_path):
    run(data, fields.PATENTS, write_sheet(tmp_path / "a.xlsx", [PATENT_HEADERS, patent_row(1)]))
    rows = [
        PATENT_HEADERS,
        patent_row(1, 专利名称="改过的名称", 法律状态="已授权", 授权日=dt.date(2013, 1, 2)),
    ]
    result = run(data, fields.PATENTS, write_sheet(tmp_path / "b.xlsx", rows), on_duplicate="update")
    assert (result.imported, result.updated) == (0, 1)
    with data.sessions() as s:
        patent = s.scalars(select(Patent)).one()
        assert (patent.title, patent.granted_on) == ("改过的名称", dt.date(2013, 1, 2))
        actions = s.scalars(select(ChangeLog.action).order_by(ChangeLog.id)).all()
        assert actions == ["create", "update"]


def test_units_resolve_by_credit_code_column_before_name(data, tmp_path):
    add_unit(data, "新名称科技有限公司", GOOD_CODE)
    rows = [("项目名称", "项目级别", "申报年度", "承担单位", "统一社会信用代码")]
    rows.append(("甲", "县", 2012, "旧名称科技有限公司", GOOD_CODE))
    result = run(data, fields.PROJECTS, write_sheet(tmp_path / "c.xlsx", rows))
    assert result.imported == 1
    with data.sessions() as s:
        project = s.scalars(select(Project)).one()
        assert records.unit_name(s, project.unit_id) == "新名称科技有限公司"


def test_create_units_adds_each_unknown_unit_once(data, tmp_path):
    rows = [
        ("项目名称", "项目级别", "申报年度", "承担单位"),
        ("甲", "县", 2012, "新单位"),
        ("乙", "县", 2012, "新单位"),
    ]
    result = run(data, fields.PROJECTS, write_sheet(tmp_path / "c.xlsx", rows), create_units=True)
    assert (result.imported, result.units_created) == (2, 1)
    with data.sessions() as s:
        assert s.scalars(select(Enterprise.name)).all() == ["新单位"]


def test_good_rows_only_imports_the_good_rows(data, tmp_path):
    rows = [PATENT_HEADERS, patent_row(1), patent_row(2, 申请日="2012-02-30"), patent_row(3)]
    result = run(data, fields.PATENTS, write_sheet(tmp_path / "g.xlsx", rows), good_rows_only=True)
    assert not result.refused and result.error_rows == {3}
    assert live(data, fields.PATENTS) == 2


def test_dry_run_reports_without_writing(data, tmp_path):
    path = write_sheet(tmp_path / "d.xlsx", [PATENT_HEADERS, patent_row(1)])
    result = run(data, fields.PATENTS, path, dry_run=True)
    assert result.imported == 1 and live(data, fields.PATENTS) == 0


def test_formula_cells_use_cached_values_or_report_the_row(data, tmp_path):
    rows = [(*PATENT_HEADERS, "合计"), (*patent_row(1, 申请日="=DATE(2012,3,5)"), "=1+1")]
    rows.append(patent_row(2, 申请日="=DATE(2012,4,5)"))
    path = set_cached_value(write_sheet(tmp_path / "f.xlsx", rows), "F2", "40973")
    result = run(data, fields.PATENTS, path, good_rows_only=True)
    assert result.imported == 1
    assert [(i.row, i.column) for i in result.issues] == [(3, "申请日")]
    assert "公式" in result.issues[0].message
    with data.sessions() as s:
        assert s.scalars(select(Patent.filed_on)).all() == [dt.date(2012, 3, 5)]


def test_a_title_row_above_the_header_is_skipped(data, tmp_path):
    rows = [("2012年专利清单",), PATENT_HEADERS, patent_row(1)]
    result = run(data, fields.PATENTS, write_sheet(tmp_path / "t.xlsx", rows, merges=["A1:H1"]))
    assert result.plan.header_row == 2 and result.imported == 1


@pytest.mark.parametrize("table", ["qualifications", "awards", "events", "targets"])
def test_other_tables_import_a_minimal_good_row(data, tmp_path, table):
    add_unit(data)
    rows = {
        "qualifications": [
            ("单位名称", "资质类别", "认定年度", "认定日期"),
            ("示范科技有限公司", "高企", 2012, "2012-10-1"),
        ],
        "awards": [
            ("成果名称", "奖励级别", "获奖年度", "完成单位"),
            ("成果", "市级", 2012, "示范科技有限公司"),
        ],
        "events": [("活动名称", "开始日期", "参与人次"), ("科技活动周", "2012年5月20日", 3000)],
        "targets": [("年度", "指标", "目标值"), (2012, "专利申请量", 800)],
    }[table]
    result = run(data, fields.entity(table), write_sheet(tmp_path / "x.xlsx", rows))
    assert result.imported == 1, result.issues


def _peak(work) -> int:
    import tracemalloc

    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _peak_reading(path) -> int:
    """Peak memory of reading every row the way the importer does."""
    from kejiju_desktop.services.exchange import reader
    from kejiju_desktop.services.exchange import sheet as exchange_sheet

    def read():
        plan = importer.check_file(fields.PATENTS, path)
        with reader.open_sheet(path, plan.sheet) as sheet:
            for _row in exchange_sheet.iter_rows_with_formulas(plan, sheet):
                pass

    read()  # first use imports openpyxl's lazy modules: not part of the measure
    return _peak(read)


def test_ten_thousand_rows_are_streamed_not_loaded(data, tmp_path):
    from tests.fixtures.xlsx.sheets import patents_sheet

    big = patents_sheet(tmp_path / "big.xlsx", 10_500)
    with data.sessions() as s:
        result = importer.import_file(s, fields.PATENTS, big, importer.ImportOptions(dry_run=True))
    assert result.rows_read == result.imported == 10_500 and not result.issues
    small = patents_sheet(tmp_path / "small.xlsx", 1_050)
    # Loading the sheet costs about 3,000 bytes a row (8 cells); streaming keeps only the XML parser's
    # emptied row elements (under 100 bytes a row) whatever the number of rows.
    per_row = (_peak_reading(big) - _peak_reading(small)) / (10_500 - 1_050)
    assert per_row < 300


def test_a_missing_required_unit_is_reported_even_in_a_dry_run(data, tmp_path):
    add_unit(data)
    rows = [("单位名称", "资质类别", "认定年度"), ("示范科技有限公司", "高企", 2012), (None, "高企", 2013)]
    result = run(data, fields.QUALIFICATIONS, write_sheet(tmp_path / "q.xlsx", rows), dry_run=True)
    assert [(i.row, i.column, i.message) for i in result.issues] == [(3, "单位名称", "单位名称不能为空。")]


def test_a_line_break_typed_with_alt_enter_in_a_one_line_cell_becomes_a_space(session, tmp_path):
    rows = [PATENT_HEADERS, patent_row(1, 专利名称="一种测试\n装置", 申请人="示范科技\r\n有限公司")]
    result = importer.import_file(
        session, fields.PATENTS, write_sheet(tmp_path / "p.xlsx", rows), importer.ImportOptions()
    )
    assert not result.bad_rows
    patent = session.scalars(select(Patent)).one()
    assert (patent.title, patent.applicant) == ("一种测试 装置", "示范科技 有限公司")
