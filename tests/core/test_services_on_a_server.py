"""The demo bureau moved into a server answers every service as its data file does, field by field:
Excel export cell for cell, the annual report and its .docx, 年度目标, the 工作台 and settings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from db.database import open_data_file
from kejiju_desktop import fields
from kejiju_desktop.progress import run_to_end
from kejiju_desktop.report import compose
from kejiju_desktop.report import export as report_export
from kejiju_desktop.services import records, settings, targets, workbench
from kejiju_desktop.services.exchange import export
from kejiju_desktop.services.portability import server_move
from tests.core.store_helpers import reopened

pytest.importorskip("psycopg")  # in CI it is installed (requirements.txt) and the server tests run

TODAY = dt.date(2013, 1, 5)


@pytest.fixture
def both(demo_file, pg_store):
    """The demo file (read only) and a server the demo was moved into: ids, uids and versions alike."""
    server_move.move_file(pg_store, demo_file)
    file = open_data_file(demo_file, read_only=True, take_lock=False)
    yield {"file": file, "server": pg_store}
    file.close()


def on_both(both, work):
    """`work(session)` on the file and on the server: (the file's answer, the server's)."""
    answers = []
    for store in (both["file"], both["server"]):
        with store.sessions() as session:
            answers.append(work(session))
    return answers[0], answers[1]


def cells(path) -> list[list[tuple]]:
    """Every cell of the workbook's first sheet as value, type, number format and boldness."""
    sheet = load_workbook(path).active
    return [[(c.value, c.data_type, c.number_format, c.font.b) for c in row] for row in sheet.iter_rows()]


def test_every_table_exported_from_the_server_is_the_files_sheet_cell_for_cell(both, tmp_path):
    for table, entity in fields.ENTITIES.items():
        sheets = []
        for where, store in both.items():
            sheets.append(tmp_path / f"{table}-{where}.xlsx")
            with store.sessions() as session:
                run_to_end(export.iter_export(session, entity, sheets[-1], None))
        assert cells(sheets[1]) == cells(sheets[0]), table
        assert len(cells(sheets[0])) > 1, (
            table
        )  # the demo has rows of every kind: the comparison means something


def test_an_export_by_a_query_is_the_same_rows_on_the_server(both, tmp_path):
    query = records.Query(year=2012, filters={"patent_type": fields.PATENT_INVENTION}, search="有限公司")
    paths = [tmp_path / "file.xlsx", tmp_path / "server.xlsx"]
    for path, store in zip(paths, both.values(), strict=True):
        with store.sessions() as session:
            run_to_end(export.iter_export(session, fields.PATENTS, path, query))
    assert cells(paths[1]) == cells(paths[0]) and len(cells(paths[0])) > 1


def test_the_report_of_a_year_is_the_same_on_the_server_section_by_section(both):
    file, server = on_both(both, lambda session: compose.build_report(session, 2012, TODAY))
    assert [s.key for s in server.sections] == [s.key for s in file.sections]
    for ours, theirs in zip(file.sections, server.sections, strict=True):
        assert theirs == ours, ours.key
    assert server == file


def test_the_report_written_from_the_server_is_the_files_paragraph_for_paragraph(both, tmp_path):
    done = {}
    for where, store in both.items():
        with store.sessions() as session:
            done[where] = report_export.export(session, 2012, tmp_path / f"{where}.docx", today=TODAY)
    assert (
        (done["server"].charts, done["server"].tables) == (done["file"].charts, done["file"].tables) == (3, 2)
    )
    file, server = Document(str(done["file"].path)), Document(str(done["server"].path))
    assert [(p.style.name, p.text) for p in server.paragraphs] == [
        (p.style.name, p.text) for p in file.paragraphs
    ]
    assert [[c.text for c in row.cells] for t in server.tables for row in t.rows] == [
        [c.text for c in row.cells] for t in file.tables for row in t.rows
    ]


def test_targets_and_their_computed_values_are_the_same_on_the_server(both):
    for year in (2012, 2013):
        file, server = on_both(both, lambda session, y=year: targets.list_targets(session, y))
        assert server == file and file, year  # TargetRow: id, 指标, target, actual, note and version
        file, server = on_both(both, lambda session, y=year: targets.computed_values(session, y))
        assert server == file, year


def test_the_workbench_of_a_day_is_the_same_on_the_server(both):
    file, server = on_both(both, lambda session: workbench.gather(session, dt.date(2013, 10, 15)))
    assert server == file


def test_settings_and_choice_lists_are_the_same_on_the_server(both):
    def read(session):
        values = {spec.key: settings.current_value(session, spec) for spec in settings.REGISTRY}
        lists = {
            spec.choice_list: settings.get_choice_list(session, spec.choice_list, spec.choices)
            for entity in fields.ENTITIES.values()
            for spec in entity.fields
            if spec.choice_list
        }
        return values, lists

    file, server = on_both(both, read)
    assert server == file


def test_targets_saved_changed_and_deleted_are_kept_by_the_store(engine_store):
    """On both engines: rows saved, one changed and one deleted, read by the next program to open it."""
    indicator, manual = fields.COMPUTED_INDICATORS[0], fields.INDICATOR_POPULATION
    with engine_store.writer() as session:
        targets.save_targets(
            session,
            2024,
            [
                targets.TargetRow(None, indicator, Decimal(10), None),
                targets.TargetRow(None, manual, Decimal(5), Decimal(3), "备注"),
            ],
            [],
        )
    with engine_store.writer() as session:
        listed = targets.list_targets(session, 2024)
        listed[1].target = Decimal("7.5")
        targets.save_targets(session, 2024, [listed[1]], [listed[0].id])
    again = reopened(engine_store)
    try:
        with again.sessions() as session:
            kept = targets.list_targets(session, 2024)
    finally:
        again.close()
    assert [(r.indicator, r.target, r.actual, r.note, r.version) for r in kept] == [
        (manual, Decimal("7.50"), Decimal("3.00"), "备注", 2)
    ]


def test_a_setting_and_a_choice_list_changed_are_kept_by_the_store(engine_store):
    """On both engines: what the 设置 dialog and an import write, read by the next program to open it."""
    category = fields.PROJECTS.field("plan_category")
    with engine_store.writer() as session:
        settings.update_setting(session, settings.spec_named("行政区划"), "区")
        settings.add_choices(session, category.choice_list, category.choices, ["乡村振兴专项"])
    again = reopened(engine_store)
    try:
        with again.sessions() as session:
            assert settings.division(session) == "区"
            assert settings.bureau_name(session) == "××区科学技术局"
            chosen = settings.get_choice_list(session, category.choice_list, category.choices)
    finally:
        again.close()
    assert chosen == [*category.choices, "乡村振兴专项"]


@pytest.mark.parametrize("engine_store", ["file", "server"], indirect=True)
def test_the_largest_amount_the_form_takes_is_kept_on_either_engine_and_a_larger_is_a_sentence(engine_store):
    from kejiju_desktop import validation
    from kejiju_desktop.services.records.save import ValidationFailed

    project = {"name": "大项目", "level": "省", "apply_year": "2012"}
    with engine_store.writer() as session:
        saved = records.save_record(
            session, fields.PROJECTS, {**project, "funding": str(validation.MAX_MONEY)}
        )
    with engine_store.sessions() as session:
        assert records.get_record(session, fields.PROJECTS, saved.id).funding == validation.MAX_MONEY
    larger = str(validation.MAX_MONEY + Decimal("0.01"))
    with pytest.raises(ValidationFailed) as refused, engine_store.writer() as session:
        records.save_record(session, fields.PROJECTS, {**project, "name": "更大的项目", "funding": larger})
    assert validation.MSG_MONEY_LARGE.format(
        label=fields.PROJECTS.field("funding").label, value=larger, n=validation.MAX_MONEY
    ) in str(refused.value)
