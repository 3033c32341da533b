"""年度目标 dialog: every computed 指标 and the population input are offered, each with what the records give."""

import pytest

from db.database import open_data_file
from db.models import Target
from kejiju_desktop import fields
from ui import messages
from ui.dialogs.targets_dialog import TargetsDialog


@pytest.fixture
def opened(demo_copy):
    data = open_data_file(demo_copy)
    yield data
    data.close()


def _row_named(qtbot, data, year, name):
    dialog = TargetsDialog(data, year)
    qtbot.addWidget(dialog)
    dialog.add_button.click()
    row = dialog.table.rowCount() - 1
    dialog.table.cellWidget(row, 0).setCurrentText(name)
    return dialog, row


def test_the_indicator_list_offers_every_assessment_indicator_and_the_population(qtbot, opened):
    dialog, row = _row_named(qtbot, opened, 2013, fields.INDICATOR_VALID_INVENTIONS)
    combo = dialog.table.cellWidget(row, 0)
    offered = [combo.itemText(i) for i in range(combo.count())]
    assert offered == [*fields.COMPUTED_INDICATORS, fields.INDICATOR_POPULATION]
    assert dialog.table.item(row, 2).text() == messages.TARGET_COMPUTED.format(value="29")
    combo.setCurrentText(fields.INDICATOR_INVENTIONS_PER_10K)
    assert dialog.table.item(row, 2).text() == messages.TARGET_COMPUTED.format(value="0.49")
    combo.setCurrentText(fields.INDICATOR_VALID_SMALL_TECH)
    assert dialog.table.item(row, 2).text() == messages.TARGET_COMPUTED.format(value="29")


def test_per_10k_without_a_population_asks_for_it_instead_of_showing_0(qtbot, opened):
    with opened.writer() as s:
        s.query(Target).filter(Target.indicator == fields.INDICATOR_POPULATION).delete()
    dialog, row = _row_named(qtbot, opened, 2013, fields.INDICATOR_INVENTIONS_PER_10K)
    assert dialog.table.item(row, 2).text() == messages.TARGET_NEEDS_INPUT.format(
        name=fields.INDICATOR_POPULATION
    )
