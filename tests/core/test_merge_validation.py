"""An incoming file is untrusted: each of its records passes the checks of a typed one, or is refused."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest

from db.database import open_data_file
from kejiju_desktop import cli, fields, messages, validation
from kejiju_desktop.services import checkup, stats
from tests.core.merge_helpers import CODE_A, delete, live, merge, office_file, row, save

BAD_CHECK_CODE = "91510124MA61XY0A10"  # the check character fails: a warning
TEN_MILLION = 10_000_000


@pytest.fixture
def offices(tmp_path):
    return office_file(tmp_path, "本科室"), office_file(tmp_path, "外来科室")


def _sql(path, sql: str, *params) -> None:
    conn = sqlite3.connect(path)
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def _project(path, name: str, **raw) -> str:
    return save(path, "projects", {"name": name, "level": "省", "apply_year": 2012, **raw})


def _hostile_file(theirs) -> None:
    """Records saved as a clerk would, then given hostile values behind the program's back."""
    save(theirs, "enterprises", {"name": "四星液压", "credit_code": CODE_A})
    _project(theirs, "正常项目", status="已立项", approved_on="2012-04-01", funding="5", unit_id=1)
    save(theirs, "events", {"name": "科普日活动", "start_on": "2012-09-15"})
    _project(theirs, "宇宙项目")
    _project(theirs, "负资金项目", status="已立项", approved_on="2012-04-01", funding="10")
    save(theirs, "awards", {"title": "超神成果", "level": "省", "year": 2012})
    save(theirs, "events", {"name": "宇宙活动", "start_on": "2012-06-01"})
    save(theirs, "enterprises", {"name": "响铃单位"})
    _sql(theirs, "UPDATE projects SET level='宇宙级' WHERE name='宇宙项目'")
    _sql(theirs, "UPDATE projects SET funding=-100000000000000 WHERE name='负资金项目'")  # −1e12 万元
    _sql(theirs, "UPDATE awards SET award_name='诺贝尔奖/超神奖'")
    _sql(theirs, "UPDATE events SET event_type='宇宙大会' WHERE name='宇宙活动'")
    _sql(theirs, "UPDATE enterprises SET name=? WHERE name='响铃单位'", "响铃\x07单位")


HOSTILE_REASONS = (
    "项目级别“宇宙级”不是可选的值",
    "财政资助(万元)不能为负数",
    "奖项名称“诺贝尔奖/超神奖”不是可选的值",
    "活动类型“宇宙大会”不是可选的值",
    "单位名称含有看不见的控制字符",
)


def test_hostile_rows_are_refused_with_reasons_and_the_valid_rest_is_merged(offices, capsys):
    ours, theirs = offices
    _hostile_file(theirs)
    assert cli.main(["merge", "--db", str(ours), str(theirs)]) == cli.EXIT_PROBLEMS
    captured = capsys.readouterr()
    refused = [line for line in captured.out.splitlines() if line.startswith("  [拒收]")]
    assert len(refused) == 5
    for reason in HOSTILE_REASONS:
        assert sum(reason in line for line in refused) == 1, reason
    assert not any("不能为空" in line for line in refused)  # a refused value is not also "missing"
    assert "新增 3 条" in captured.out and "拒收 5 条" in captured.out and "合并完成" in captured.out
    assert messages.MERGE_REFUSED_DONE.format(n=5) in captured.err
    assert sorted(live(ours, "projects").values()) == ["正常项目"]
    assert sorted(live(ours, "events").values()) == ["科普日活动"]
    assert sorted(live(ours, "enterprises").values()) == ["四星液压"]
    assert live(ours, "awards") == {}
    dump = "\n".join(sqlite3.connect(ours).iterdump())
    assert not any(word in dump for word in ("宇宙", "超神", "\x07", "-100000000000000"))


def test_report_figures_after_a_hostile_merge_have_no_negative_money(offices):
    ours, theirs = offices
    _hostile_file(theirs)
    merge(ours, theirs)
    data = open_data_file(ours, read_only=True)
    try:
        with data.sessions() as s:
            approved = stats.year_figures(s, 2012).projects.approved
    finally:
        data.close()
    assert (approved.count, approved.amount) == (1, 5)


def test_dry_run_lists_the_refused_rows_and_exits_1(offices, capsys):
    ours, theirs = offices
    _hostile_file(theirs)
    before = ours.read_bytes()
    assert cli.main(["merge", "--db", str(ours), str(theirs), "--dry-run"]) == cli.EXIT_PROBLEMS
    out = capsys.readouterr().out
    assert messages.MERGE_REFUSED_HEAD.format(n=5) in out and all(reason in out for reason in HOSTILE_REASONS)
    assert ours.read_bytes() == before


def test_a_ten_million_character_name_is_refused_for_its_length(offices):
    ours, theirs = offices
    save(
        theirs,
        "patents",
        {"title": "一种液压缸", "patent_type": "发明", "applicant": "张三", "filed_on": "2012-03-05"},
    )
    _sql(theirs, "UPDATE patents SET title=?", "长" * TEN_MILLION)
    plan, result = merge(ours, theirs)
    assert [item.detail for item in plan.refused] == ["（专利名称太长（最多 300 个字）。）"]
    assert plan.items == [] and result.total == 0
    assert live(ours, "patents") == {}


def test_a_warning_confirmed_in_their_file_stays_confirmed(offices):
    ours, theirs = offices
    uid = save(theirs, "enterprises", {"name": "早期试点企业", "credit_code": BAD_CHECK_CODE})
    assert row(theirs, "enterprises", uid)["confirmed_warnings"] == "credit_code"
    plan, _ = merge(ours, theirs)
    assert plan.refused == []
    assert row(ours, "enterprises", uid)["confirmed_warnings"] == "credit_code"
    data = open_data_file(ours, read_only=True)
    with data.sessions() as s:
        assert checkup.check_session(s).ok
    data.close()


def test_an_unconfirmed_warning_is_refused_like_an_unconfirmed_form(offices):
    ours, theirs = offices
    save(theirs, "enterprises", {"name": "早期试点企业", "credit_code": BAD_CHECK_CODE})
    _sql(theirs, "UPDATE enterprises SET confirmed_warnings=''")
    plan, _ = merge(ours, theirs)
    expected = validation.MSG_CREDIT_CHECK.format(
        label="统一社会信用代码", value=BAD_CHECK_CODE, expected=validation.credit_check_char(CODE_A[:17])
    )
    assert [item.detail for item in plan.refused] == [f"（{expected}）"]
    assert live(ours, "enterprises") == {}


def test_the_records_of_a_refused_unit_are_refused_with_it_and_come_once_it_is_fixed(offices):
    ours, theirs = offices
    save(theirs, "enterprises", {"name": "响铃单位"})
    project = _project(theirs, "响铃单位的项目", unit_id=1)
    qualification = save(theirs, "qualifications", {"unit_id": 1, "category": "科技型中小企业", "year": 2012})
    _sql(theirs, "UPDATE enterprises SET name=?", "响铃\x07单位")
    plan, _ = merge(ours, theirs)
    children = [i for i in plan.refused if i.table != "enterprises"]
    assert {i.uid for i in children} == {project, qualification}
    assert all(messages.REASON_UNIT_REFUSED.format(name="响铃\x07单位") in i.detail for i in children)
    assert live(ours, "projects") == {} and live(ours, "qualifications") == {}
    _sql(theirs, "UPDATE enterprises SET name='响铃单位'")  # the other office puts it right
    plan, _ = merge(ours, theirs)
    assert plan.refused == [] and row(ours, "projects", project)["unit_name"] == "响铃单位"


def test_a_record_whose_unit_is_in_neither_file_comes_without_it_and_says_so(offices, capsys):
    ours, theirs = offices
    project = _project(theirs, "无主项目")
    save(theirs, "enterprises", {"name": "临时单位"})
    qualification = save(theirs, "qualifications", {"unit_id": 1, "category": "科技型中小企业", "year": 2012})
    _sql(theirs, "DELETE FROM enterprises")
    _sql(theirs, "UPDATE projects SET unit_id=999")
    _sql(theirs, "UPDATE qualifications SET unit_id=999")
    assert cli.main(["merge", "--db", str(ours), str(theirs)]) == cli.EXIT_PROBLEMS
    out = capsys.readouterr().out
    assert f"[新增] 项目：无主项目{messages.DETAIL_UNIT_MISSING}" in out
    assert row(ours, "projects", project)["unit_id"] is None
    assert "单位名称不能为空" in out and qualification not in live(ours, "qualifications")


def test_an_update_whose_unit_is_missing_in_their_file_keeps_our_unit(offices):
    ours, theirs = offices
    save(theirs, "enterprises", {"name": "四星液压"})
    project = _project(theirs, "液压项目", unit_id=1)
    merge(ours, theirs)
    save(theirs, "projects", {"leader": "李四"}, uid=project)
    _sql(theirs, "UPDATE projects SET unit_id=999")
    plan, _ = merge(ours, theirs)
    assert [(i.kind, i.unit_note) for i in plan.items] == [
        (messages.KIND_UPDATED, messages.DETAIL_UNIT_MISSING_KEPT)
    ]
    assert (row(ours, "projects", project)["leader"], row(ours, "projects", project)["unit_name"]) == (
        "李四",
        "四星液压",
    )


def test_a_tombstone_is_exempt_from_the_checks(offices):
    ours, theirs = offices
    uid = _project(theirs, "要删的项目")
    merge(ours, theirs)
    delete(theirs, "projects", uid, purge=True)
    plan, _ = merge(ours, theirs)
    assert plan.refused == [] and [i.kind for i in plan.items] == [messages.KIND_DELETED]
    assert row(ours, "projects", uid)["deleted_at"] is not None


def test_a_typed_name_with_a_control_character_is_refused():
    spec = fields.PROJECTS.field("name")
    with pytest.raises(validation.Invalid, match="控制字符"):
        spec.parse("液压\x1b项目")
    assert fields.PROJECTS.field("note").parse("第一行\n第二行\t完") == "第一行\n第二行\t完"


def test_a_typed_amount_beyond_reason_is_refused():
    with pytest.raises(validation.Invalid, match="超出合理范围"):
        validation.parse_money("1e12", "财政资助(万元)")
    with pytest.raises(validation.Invalid, match="超出合理范围"):
        validation.parse_money("20000000.01", "财政资助(万元)")
    assert validation.parse_money("20000000", "财政资助(万元)") == Decimal("20000000")  # validation.MAX_MONEY


def test_binary_data_in_a_text_field_is_refused_with_a_reason_not_a_traceback(offices, capsys):
    ours, theirs = offices
    _project(theirs, "正常项目")
    _project(theirs, "二进制项目")
    _sql(theirs, "UPDATE projects SET name=CAST(? AS BLOB) WHERE name='二进制项目'", "中文名".encode())
    _sql(theirs, "UPDATE projects SET note=X'0001' WHERE name='正常项目'")
    assert cli.main(["merge", "--db", str(ours), str(theirs)]) == cli.EXIT_PROBLEMS
    captured = capsys.readouterr()
    refused = [line for line in captured.out.splitlines() if line.startswith("  [拒收]")]
    assert len(refused) == 2 and all("不是文字" in line for line in refused)
    assert "中文名" in captured.out and "b'" not in captured.out
    assert live(ours, "projects") == {}


def test_their_office_name_is_shown_and_kept_without_control_characters_and_cut_to_its_column(
    offices, capsys
):
    ours, theirs = offices
    _project(theirs, "正常项目")
    _sql(
        theirs,
        "UPDATE settings SET value=? WHERE key='bureau_name'",
        "\x1b[31m外来\n科室" + "长" * TEN_MILLION,
    )
    assert cli.main(["merge", "--db", str(ours), str(theirs)]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "\x1b" not in out and len(out) < 10_000 and "外来科室长" in out
    (kept,) = sqlite3.connect(ours).execute("SELECT office_name FROM merge_marks").fetchone()
    assert "\x1b" not in kept and "外来科室长" in kept and len(kept) == 200


def test_an_office_id_longer_than_an_id_refuses_the_whole_file(offices, capsys):
    ours, theirs = offices
    _project(theirs, "正常项目")
    _sql(theirs, "UPDATE settings SET value=? WHERE key='office_id'", "x" * 3_000_000)
    before = sqlite3.connect(ours).execute("SELECT count(*) FROM merge_marks").fetchone()
    assert cli.main(["merge", "--db", str(ours), str(theirs)]) == cli.EXIT_PROBLEMS
    assert messages.UNREADABLE_INCOMING.format(name=theirs.name) in capsys.readouterr().err
    assert sqlite3.connect(ours).execute("SELECT count(*) FROM merge_marks").fetchone() == before
