"""The import wizard on ledgers other programs wrote (.xls, .ods, GBK CSV, UTF-16 text from LibreOffice):
each imported by the clerk's clicks and compared field by field with the records they came from."""

import pytest

from kejiju_desktop import fields
from tests.fixtures.ledgers import exported, sheet_rows
from tests.ui.test_import_wizard import open_wizard, wait_for_result

pytestmark = pytest.mark.slow
CASES = [
    ("patents.xls", "patents", None),
    ("patents.ods", "patents", None),
    ("patents-gbk.csv", "patents", None),
    ("patents-utf16.txt", "patents", None),
    ("projects.xls", "projects", None),
    ("second.ods", "patents", "专利台账"),
]


@pytest.mark.parametrize(("name", "table", "sheet"), CASES, ids=[c[0] for c in CASES])
def test_the_wizard_imports_a_ledger_another_program_wrote(
    qtbot, ledgers, name, table, sheet, data, tmp_path
):
    _window, wizard = open_wizard(qtbot, data, ledgers[name])
    wizard.table_combo.setCurrentIndex(list(fields.ENTITIES).index(table))
    if sheet is not None:
        wizard.sheet_combo.setCurrentIndex(wizard.sheet_combo.findText(sheet))
    wizard.create_units_box.setChecked(True)
    assert wizard.import_button.isEnabled(), wizard.status.text()
    wizard.import_button.click()
    wait_for_result(qtbot, wizard)
    expected = sheet_rows(ledgers[f"{table}.xlsx"])
    assert wizard.result.imported == len(expected) - 1, wizard.status.text()
    back = sheet_rows(exported(data.path, table, tmp_path / "back.xlsx"))
    assert back[0] == expected[0]
    assert sorted(back[1:], key=repr) == sorted(expected[1:], key=repr)
