"""Records service: validated save, unique keys, recycle bin, change log, paging/sorting/filtering in SQL."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from sqlalchemy import select

from db.models import ChangeLog, Enterprise, Patent
from db.store import checks_for
from kejiju_desktop import fields
from kejiju_desktop.services import records
from kejiju_desktop.services.records import Query, ValidationFailed


@pytest.fixture
def session(engine_session):
    """Every test here runs on a data file and on a PostgreSQL server."""
    return engine_session


def add_unit(session, name, code=None):
    raw = {"name": name, "credit_code": code or ""}
    return records.save_record(session, fields.ENTERPRISES, raw, operator="张三")


def add_patent(session, **raw):
    base = {"title": "一种液压缸", "applicant": "个人甲", "filed_on": "2012-03-05"}
    return records.save_record(session, fields.PATENTS, base | raw, operator="张三")


def test_save_sets_audit_fields_and_logs_the_change(session):
    unit = add_unit(session, "示范县四星液压有限公司", "91110000600037341L")
    assert unit.uid and len(unit.uid) == 36
    assert unit.updated_by == "张三" and unit.updated_at is not None
    assert unit.name_sort.startswith("shi fan xian")
    log = session.scalars(select(ChangeLog)).all()
    assert [(entry.table_name, entry.uid, entry.action) for entry in log] == [
        ("enterprises", unit.uid, "create")
    ]
    assert "credit_code" in json.loads(log[0].fields)


def test_patent_type_is_filled_from_the_application_number(session):
    patent = add_patent(session, app_no="ZL201710601862.3")
    assert patent.app_no == "201710601862.3"
    assert patent.patent_type == "发明"
    assert patent.legal_status == "已受理"  # the field's default


def test_patent_links_to_the_unit_named_as_applicant(session):
    unit = add_unit(session, "示范县四星液压有限公司")
    patent = add_patent(session, applicant="示范县四星液压有限公司", app_no="201710601862.3")
    assert patent.unit_id == unit.id


def test_wrong_patent_check_character_blocks_saving(session):
    with pytest.raises(ValidationFailed) as info:
        add_patent(session, app_no="201710601862.4")
    assert not info.value.only_warnings
    assert info.value.problems[0].field == "app_no"
    assert session.scalar(select(Patent.id)) is None


def test_granted_before_filed_and_type_mismatch_are_errors(session):
    with pytest.raises(ValidationFailed) as info:
        add_patent(session, app_no="201710601862.3", patent_type="外观设计", granted_on="2012-01-01")
    fields = {p.field for p in info.value.problems}
    assert fields == {"granted_on", "patent_type"}
    assert any("授权日不能早于申请日" in p.message for p in info.value.problems)


def test_credit_code_warning_saves_only_when_confirmed(session):
    with pytest.raises(ValidationFailed) as info:
        add_unit(session, "早期试点单位", "91110000600037341M")
    assert info.value.only_warnings
    unit = records.save_record(
        session, fields.ENTERPRISES, {"name": "早期试点单位", "credit_code": "91110000600037341M"},
        confirm_warnings=True,
    )  # fmt: skip
    assert unit.confirmed_warnings == "credit_code"
    # Saving again (another field changed) does not ask again for the confirmed warning.
    records.save_record(session, fields.ENTERPRISES, {"phone": "028-1"}, record_id=unit.id)


def test_business_keys_are_unique_among_live_rows_only(session):
    first = add_unit(session, "示范县甲公司", "91110000600037341L")
    with pytest.raises(ValidationFailed, match="统一社会信用代码“91110000600037341L”已存在"):
        add_unit(session, "示范县乙公司", "91110000600037341L")
    with pytest.raises(ValidationFailed, match="单位名称“示范县甲公司”已存在"):
        add_unit(session, "示范县甲公司")
    records.delete_record(session, fields.ENTERPRISES, first.id)
    second = add_unit(session, "示范县甲公司", "91110000600037341L")
    with pytest.raises(ValidationFailed, match="已存在"):
        records.restore_record(session, fields.ENTERPRISES, first.id)
    assert second.id != first.id


def test_targets_are_unique_by_year_and_indicator(session):
    records.save_record(
        session, fields.TARGETS, {"year": "2012", "indicator": "专利申请量", "target_value": "350"}
    )
    with pytest.raises(ValidationFailed, match="年度、指标为“2012、专利申请量”的记录已存在"):
        records.save_record(session, fields.TARGETS, {"year": "2012", "indicator": "专利申请量"})


def test_delete_restore_and_purge_keep_a_tombstone(session):
    patent = add_patent(session, app_no="201710601862.3")
    records.delete_record(session, fields.PATENTS, patent.id)
    assert records.count(session, fields.PATENTS, Query()) == 0
    assert records.count(session, fields.PATENTS, Query(deleted=True)) == 1
    records.restore_record(session, fields.PATENTS, patent.id)
    assert records.count(session, fields.PATENTS, Query()) == 1
    records.delete_record(session, fields.PATENTS, patent.id)
    records.purge_record(session, fields.PATENTS, patent.id)
    tomb = session.get(Patent, patent.id)
    assert tomb.uid == patent.uid and tomb.deleted_at is not None
    assert tomb.title is None and tomb.app_no is None
    assert records.count(session, fields.PATENTS, Query(deleted=True)) == 0
    actions = session.scalars(select(ChangeLog.action).where(ChangeLog.uid == patent.uid)).all()
    assert actions == ["create", "delete", "restore", "delete", "purge"]


def test_update_logs_only_changed_fields(session):
    unit = add_unit(session, "示范县甲公司")
    records.save_record(
        session, fields.ENTERPRISES, {"phone": "028-8888"}, record_id=unit.id, operator="李四"
    )
    entry = session.scalars(select(ChangeLog).where(ChangeLog.action == "update")).one()
    assert json.loads(entry.fields) == ["phone"] and entry.operator == "李四"
    assert session.get(Enterprise, unit.id).updated_by == "李四"


def test_qualification_of_high_tech_gets_its_default_end_date(session):
    unit = add_unit(session, "示范县甲公司")
    q = records.save_record(session, fields.QUALIFICATIONS, {
        "unit_id": unit.id, "category": "高企", "level": "国家级", "year": "2012",
        "certified_on": "2012-10-30", "cert_no": "GR201251000123",
    })  # fmt: skip
    assert (q.category, q.level, q.valid_until, q.status) == (
        "高新技术企业",
        "国家",
        dt.date(2015, 10, 29),
        "已认定",
    )


def test_negative_amount_and_bad_year_are_refused(session):
    with pytest.raises(ValidationFailed) as info:
        records.save_record(
            session, fields.PROJECTS, {"name": "甲", "level": "县", "apply_year": "12", "funding": "-5"}
        )
    messages = " ".join(p.message for p in info.value.problems)
    assert "财政资助(万元)不能为负数" in messages and "申报年度" in messages


def _three_patents(session):
    add_patent(session, title="中型液压缸", app_no=ok_no(2012, 1), filed_on="2012-05-01", applicant="乙")
    add_patent(session, title="安全阀门", app_no=ok_no(2011, 2), filed_on="2011-02-01", applicant="甲")
    add_patent(session, title="北方节能灯", app_no=ok_no(2012, 3), filed_on="2012-01-09", applicant="丙")


def ok_no(year, serial):
    from kejiju_desktop.validation import make_app_no

    return make_app_no(year, 1, serial)


def titles(session, query):
    title_index = 1 + [f.key for f in fields.PATENTS.fields].index("title")
    return [row[title_index] for row in records.list_page(session, fields.PATENTS, query, 0, 100)]


def test_sort_by_name_is_in_pinyin_order_and_dates_sort_both_ways(session):
    _three_patents(session)
    assert titles(session, Query(sort="title")) == ["安全阀门", "北方节能灯", "中型液压缸"]
    assert titles(session, Query(sort="filed_on", descending=True)) == [
        "中型液压缸",
        "北方节能灯",
        "安全阀门",
    ]


def test_year_filter_choice_filter_and_search(session):
    _three_patents(session)
    assert titles(session, Query(year=2012, sort="title")) == ["北方节能灯", "中型液压缸"]
    assert records.count(session, fields.PATENTS, Query(year=2012)) == 2
    assert titles(session, Query(search="液压")) == ["中型液压缸"]
    assert titles(session, Query(search="节能 北方")) == ["北方节能灯"]
    assert titles(session, Query(filters={"patent_type": "实用新型"})) == []
    assert records.list_years(session, fields.PATENTS) == [2012, 2011]


def test_search_treats_wildcards_literally(session):
    _three_patents(session)
    add_patent(session, title="含100%_纯度", app_no=ok_no(2012, 9))
    assert titles(session, Query(search="%")) == ["含100%_纯度"]
    assert titles(session, Query(search="_")) == ["含100%_纯度"]


# A word holding each character LIKE or SQL treats specially: the title it names, and a near miss that a
# word taken as a pattern (or cut at the character) would find too.
ODD_WORDS = {
    "O'N": ("O'Neil阀", "ONeil阀"),
    '"引号"': ('双"引号"灯', "双引号灯"),
    "100%": ("纯度100%", "纯度1000"),
    "a_b": ("a_b液压", "axb液压"),
    ":\\路": ("C:\\路径泵", "C:路径泵"),
}


def test_a_word_with_quotes_percent_underscore_or_backslash_finds_exactly_its_rows(session):
    pairs = list(ODD_WORDS.values())
    for serial, title in enumerate([title for pair in pairs for title in pair], start=1):
        add_patent(session, title=title, app_no=ok_no(2012, serial))
    for word, (title, _near_miss) in ODD_WORDS.items():
        assert titles(session, Query(search=word)) == [title], word
        assert records.count(session, fields.PATENTS, Query(search=word)) == 1, word


def test_search_folds_the_case_of_latin_letters_on_both_engines(session):
    add_patent(session, title="LED节能灯", app_no=ok_no(2012, 1))
    add_patent(session, title="一种阀门", app_no=ok_no(2012, 2))
    assert titles(session, Query(search="led")) == ["LED节能灯"]
    assert titles(session, Query(search="Led节")) == ["LED节能灯"]


def test_unit_fields_show_the_unit_name_in_pages(session):
    unit = add_unit(session, "示范县甲公司")
    records.save_record(session, fields.PROJECTS, {
        "name": "项目甲", "level": "市", "apply_year": 2012, "unit_id": unit.id, "funding": "12.5",
    })  # fmt: skip
    row = records.list_page(session, fields.PROJECTS, Query(), 0, 10)[0]
    keys = [f.key for f in fields.PROJECTS.fields]
    assert row[1 + keys.index("unit_id")] == "示范县甲公司"
    assert row[1 + keys.index("funding")] == Decimal("12.50")


def test_unit_completion_and_lookup(session):
    add_unit(session, "示范县北方公司", "91110000600037341L")
    add_unit(session, "示范县阿里公司")
    assert [name for _id, name in records.list_unit_names(session, "示范")] == [
        "示范县阿里公司",
        "示范县北方公司",
    ]
    assert records.find_unit(session, credit_code="91110000600037341L").name == "示范县北方公司"
    assert records.find_unit(session, name=" 示范县阿里公司 ").name == "示范县阿里公司"
    assert records.find_unit(session, name="不存在") is None


def test_bulk_changes_insert_checked_rows_and_their_log_at_the_end(session):
    with records.BulkSave(session) as bulk:
        first = bulk.save(
            fields.PATENTS, {"title": "甲", "applicant": "个人", "filed_on": "2012-01-01"}, checked=[]
        )
        bulk.save(fields.PATENTS, {"title": "乙", "applicant": "个人", "filed_on": "2012-01-02"}, checked=[])
        assert isinstance(first, records.PendingRecord)
        assert session.scalar(select(Patent.id)) is None  # nothing inserted yet
        first_id = bulk.id_of(first)  # asking for an id inserts what is pending
        assert session.get(Patent, first_id).title == "甲"
    assert records.count(session, fields.PATENTS, Query()) == 2
    assert sorted(titles(session, Query(sort="title"))) == ["乙", "甲"]
    # The rows reached the word index, and rows saved one by one afterwards still do.
    add_patent(session, title="一种液压缸", app_no="201710601862.3")
    assert titles(session, Query(search="乙")) == ["乙"]
    assert titles(session, Query(search="液压")) == ["一种液压缸"]
    # The insert trigger the bulk set aside is back (asked through the engine's own check, on either engine).
    assert checks_for(session).search_index_problems(session) == {}
    log = session.scalars(select(ChangeLog.action).where(ChangeLog.table_name == "patents")).all()
    assert log == ["create", "create", "create"]


def test_bulk_changes_write_nothing_when_the_block_fails(session):
    with pytest.raises(RuntimeError), records.BulkSave(session) as bulk:
        bulk.save(fields.PATENTS, {"title": "甲", "applicant": "个人", "filed_on": "2012-01-01"}, checked=[])
        raise RuntimeError("stop")
    assert records.count(session, fields.PATENTS, Query()) == 0
    assert session.scalars(select(ChangeLog)).all() == []


# Words mixing LIKE's escape character with what it escapes, or ending in it, and one character alone,
# each with near misses a word taken as a pattern (or cut at the character) would find too.
MIXED_WORDS = {
    "\\%": ("折扣\\%码", "折扣%码", "折扣\\码"),
    "%_\\'\"": ("型号%_\\'\"甲", "型号%_'\"甲", "型号%x\\'\"甲", "型号_%\\'\"甲"),
    "阀\\": ("阀\\门", "阀门", "阀/门"),
    "\\\\": ("路径\\\\盘", "路径\\盘"),
    "'": ("O'Neil泵", "ONeil泵"),
}


def test_a_word_mixing_the_escape_character_with_what_it_escapes_finds_exactly_its_rows(session):
    """Each word finds exactly the titles holding it (a near miss of one word may hold another)."""
    everything = [title for group in MIXED_WORDS.values() for title in group]
    for serial, title in enumerate(everything, start=1):
        add_patent(session, title=title, app_no=ok_no(2012, serial))
    for word, (title, *_near_misses) in MIXED_WORDS.items():
        holding = {t for t in everything if word in t}
        assert title in holding and set(titles(session, Query(search=word))) == holding, word
        assert records.count(session, fields.PATENTS, Query(search=word)) == len(holding), word
