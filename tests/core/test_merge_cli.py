"""merge --db F OTHER [--dry-run]: the printed preview, exit codes, and what stays right after a merge."""

from __future__ import annotations

import hashlib

from kejiju_desktop import cli, fields
from kejiju_desktop.services import records
from tests.core.merge_helpers import CODE_A, live, office_file, save


def test_dry_run_prints_counts_and_writes_nothing(tmp_path, capsys):
    ours, theirs = office_file(tmp_path, "本科室"), office_file(tmp_path, "外来科室")
    save(theirs, "events", {"name": "科普日活动", "start_on": "2012-09-15"})
    before = hashlib.sha256(ours.read_bytes()).hexdigest()
    assert cli.main(["merge", "--db", str(ours), str(theirs), "--dry-run"]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "新增 1 条" in out and "科普日活动" in out and "预览" in out
    assert hashlib.sha256(ours.read_bytes()).hexdigest() == before


def test_merge_reports_duplicates_leaves_them_unmerged_and_exits_0(tmp_path, capsys):
    ours, theirs = office_file(tmp_path, "本科室"), office_file(tmp_path, "外来科室")
    save(ours, "enterprises", {"name": "四星液压有限公司", "credit_code": CODE_A})
    save(theirs, "enterprises", {"name": "四星液压", "credit_code": CODE_A})
    save(
        theirs,
        "patents",
        {"title": "一种液压缸", "patent_type": "发明", "applicant": "张三", "filed_on": "2012-03-05"},
    )
    assert cli.main(["merge", "--db", str(ours), str(theirs)]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "疑似重复 1 条" in out and "合并完成" in out
    assert sorted(live(ours, "enterprises").values()) == ["四星液压有限公司"]
    assert list(live(ours, "patents").values()) == ["一种液压缸"]


def test_search_and_sort_keys_are_right_after_a_merge(tmp_path):
    from db.database import open_data_file

    ours, theirs = office_file(tmp_path, "本科室"), office_file(tmp_path, "外来科室")
    save(
        ours,
        "patents",
        {"title": "北京的专利", "patent_type": "发明", "applicant": "甲", "filed_on": "2012-01-05"},
    )
    save(
        theirs,
        "patents",
        {"title": "阿里的专利", "patent_type": "发明", "applicant": "乙", "filed_on": "2012-02-05"},
    )
    assert cli.main(["merge", "--db", str(ours), str(theirs)]) == cli.EXIT_OK
    data = open_data_file(ours)
    try:
        with data.sessions() as s:
            entity = fields.entity("patents")
            found = records.list_page(s, entity, records.Query(search="阿里"), 0, 10)
            ordered = records.list_page(s, entity, records.Query(sort="title"), 0, 10)
    finally:
        data.close()
    assert [r[2] for r in found] == ["阿里的专利"]
    assert [r[2] for r in ordered] == ["阿里的专利", "北京的专利"]


def test_dry_run_prints_both_values_of_each_differing_field(tmp_path, capsys):
    from db import portable

    ours = office_file(tmp_path, "本科室")
    uid = save(ours, "enterprises", {"name": "四星液压", "contact": "刘华", "phone": "028-84176719"})
    theirs = tmp_path / "副本.kjdb"
    portable.copy_consistent(ours, theirs)
    save(theirs, "enterprises", {"contact": "王新", "phone": "13800001111"}, uid=uid)
    assert cli.main(["merge", "--db", str(ours), str(theirs), "--dry-run"]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert (
        "两边不同（两个文件尚无合并记录，无法判断哪边改过）：联系人、联系电话；采用对方的内容（对方的较新）"
        in out
    )
    assert "两边都改过" not in out
    assert "      联系人：本方为“刘华”，对方为“王新”。\n" in out
    assert "      联系电话：本方为“028-84176719”，对方为“13800001111”。\n" in out
