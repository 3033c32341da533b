"""Editable choice lists (计划类别) are open on import, as on merge; closed lists stay closed."""

import pytest
from sqlalchemy import select

from db.models import Project
from kejiju_desktop import fields, messages
from kejiju_desktop.services import settings
from kejiju_desktop.services.exchange import importer, lookups
from tests.fixtures.xlsx.sheets import write_sheet


@pytest.fixture
def data(engine_store):
    """Every test here that takes `data` or `session` runs on a data file and on a PostgreSQL server."""
    return engine_store


HEADER = ("项目名称", "项目级别", "申报年度", "计划类别")
WORDS = importer.OptionWords(
    messages.CLI_REFUSED_ERRORS, messages.CLI_REFUSED_WARNINGS, messages.CLI_UNKNOWN_UNITS
)
CATEGORY = fields.PROJECTS.field("plan_category")


def run(data, path, **options) -> importer.ImportResult:
    """Import like the command line does: commit only when the result allows it."""
    with data.sessions() as s:
        result = importer.import_file(s, fields.PROJECTS, path, importer.ImportOptions(**options))
        if not result.refused and not result.options.dry_run:
            s.commit()
    return result


def plan_categories(data) -> list[str]:
    with data.sessions() as s:
        return settings.get_choice_list(s, CATEGORY.choice_list, CATEGORY.choices)


def project_categories(data) -> list[str]:
    with data.sessions() as s:
        return list(s.scalars(select(Project.plan_category).order_by(Project.id)))


def sheet(tmp_path, *rows, name="p.xlsx"):
    return write_sheet(tmp_path / name, [HEADER, *rows])


def test_two_new_plan_categories_are_added_with_the_rows_and_named_in_the_summary(data, tmp_path):
    path = sheet(
        tmp_path,
        ("甲项目", "县", 2012, "县级科技特派员专项"),
        ("乙项目", "省", 2012, "软科学研究"),
        ("丙项目", "市", 2013, "乡村振兴 科技专项"),
        ("丁项目", "市", 2013, "县级科技特派员专项"),
    )
    result = run(data, path)
    assert result.imported == 4 and not result.refused
    assert plan_categories(data) == [*CATEGORY.choices, "县级科技特派员专项", "乡村振兴科技专项"]
    assert project_categories(data) == [
        "县级科技特派员专项",
        "软科学研究",
        "乡村振兴科技专项",
        "县级科技特派员专项",
    ]
    assert "新增计划类别：县级科技特派员专项、乡村振兴科技专项（共 2 项）。" in importer.summary_lines(
        result, WORDS
    )


def test_a_refused_import_adds_no_plan_category(data, tmp_path):
    path = sheet(
        tmp_path, ("甲项目", "县", 2012, "县级科技特派员专项"), ("乙项目", "不是级别", 2012, "新专项")
    )
    result = run(data, path)
    assert result.refused and result.error_rows == {3}
    assert plan_categories(data) == list(CATEGORY.choices) and project_categories(data) == []
    assert "需新增计划类别：县级科技特派员专项（共 1 项），未添加。" in importer.summary_lines(result, WORDS)


def test_good_rows_only_adds_only_what_the_kept_rows_use(data, tmp_path):
    path = sheet(
        tmp_path, ("甲项目", "县", 2012, "县级科技特派员专项"), ("乙项目", "不是级别", 2012, "新专项")
    )
    result = run(data, path, good_rows_only=True)
    assert result.imported == 1 and result.new_choices == {"计划类别": ["县级科技特派员专项"]}
    assert plan_categories(data) == [*CATEGORY.choices, "县级科技特派员专项"]


def test_twenty_one_new_values_refuse_the_import_as_a_shifted_column(data, tmp_path):
    rows = [(f"项目{i}", "县", 2012, f"新计划{i:02d}") for i in range(lookups.MAX_NEW_CHOICES + 1)]
    result = run(data, sheet(tmp_path, *rows))
    assert result.refused and result.refusal is not None
    assert "超过 20 个" in result.refusal and "列错位" in result.refusal
    assert result.refusal in importer.summary_lines(result, WORDS)
    assert plan_categories(data) == list(CATEGORY.choices) and project_categories(data) == []


def test_a_refused_file_says_only_why_not_what_it_would_have_added(data, tmp_path):
    rows = [(f"项目{i}", "县", 2012, f"新计划{i:02d}") for i in range(lookups.MAX_NEW_CHOICES + 1)]
    result = run(data, sheet(tmp_path, *rows))
    lines = importer.summary_lines(result, WORDS)
    assert lines == [result.refusal]  # no "可新增 20 条" nor "需新增计划类别" before the refusal


def test_twenty_new_values_are_still_new_categories(data, tmp_path):
    rows = [(f"项目{i}", "县", 2012, f"新计划{i:02d}") for i in range(lookups.MAX_NEW_CHOICES)]
    result = run(data, sheet(tmp_path, *rows))
    assert result.imported == 20 and len(plan_categories(data)) == len(CATEGORY.choices) + 20


def test_a_new_value_of_101_characters_refuses_the_import(data, tmp_path):
    long_value = "很" * 101
    result = run(data, sheet(tmp_path, ("甲项目", "县", 2012, "新计划"), ("乙项目", "县", 2012, long_value)))
    assert result.refused and "101 个字" in result.refusal
    assert plan_categories(data) == list(CATEGORY.choices) and project_categories(data) == []
    assert run(data, sheet(tmp_path, ("丙项目", "县", 2012, "很" * 100), name="q.xlsx")).imported == 1


def test_dry_run_lists_the_new_values_without_adding_them(data, tmp_path):
    result = run(data, sheet(tmp_path, ("甲项目", "县", 2012, "县级科技特派员专项")), dry_run=True)
    assert result.new_choices == {"计划类别": ["县级科技特派员专项"]}
    assert "需新增计划类别：县级科技特派员专项（共 1 项），未添加。" in importer.summary_lines(result, WORDS)
    assert plan_categories(data) == list(CATEGORY.choices) and project_categories(data) == []


def test_closed_lists_stay_closed_with_their_synonyms(data, tmp_path):
    path = sheet(tmp_path, ("甲项目", "省级", 2012, None), ("乙项目", "乡镇", 2012, None))
    result = run(data, path)
    assert result.refused and [(i.row, i.column) for i in result.issues] == [(3, "项目级别")]
    assert "乡镇" in result.issues[0].message and result.new_choices == {}
    assert run(data, sheet(tmp_path, ("甲项目", "省级", 2012, None), name="q.xlsx")).imported == 1
