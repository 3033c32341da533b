"""文件 → 设置… saves the registry's settings after checking them; the operator's name is asked once."""

from PySide6.QtWidgets import QDialogButtonBox, QInputDialog

from db.database import open_data_file
from kejiju_desktop.services import settings
from tests.fixtures.files import digest
from ui import messages
from ui.dialogs.recycle_bin import RecycleBinDialog
from ui.dialogs.settings_dialog import SettingsDialog

OPERATOR_COLUMN = 3


def _stored(path):
    data = open_data_file(path, read_only=True, take_lock=False)
    with data.sessions() as session:
        values = {spec.name: settings.current_value(session, spec) for spec in settings.REGISTRY}
    data.close()
    return values


def _save(dialog: SettingsDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def test_the_dialog_shows_every_setting_and_saves_them(qtbot, data, db_file):
    dialog = SettingsDialog(data)
    qtbot.addWidget(dialog)
    assert list(dialog.editors) == list(settings.SETTINGS)
    dialog.editors["操作员"].setText("张晓梅")
    dialog.editors["单位名称"].setText("青羊区科学技术局")
    division = dialog.editors["行政区划"]
    division.setCurrentIndex(division.findText("区"))
    dialog.editors["证书到期提醒天数"].setValue(60)
    with qtbot.waitSignal(dialog.settings_saved):
        _save(dialog)
    assert dialog.result() == dialog.DialogCode.Accepted
    stored = _stored(db_file)
    assert stored["操作员"] == "张晓梅" and stored["行政区划"] == "区"
    assert stored["单位名称"] == "青羊区科学技术局" and stored["证书到期提醒天数"] == "60"


def test_the_dialog_refuses_a_value_not_allowed_with_the_same_sentence_as_the_command(qtbot, data, db_file):
    before = digest(db_file)
    dialog = SettingsDialog(data)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.editors["县名"].setText("很" * 21)
    _save(dialog)
    assert dialog.isVisible()
    assert dialog.message.text() == settings.SETTINGS["操作员"].rule  # no name yet: the first refusal
    dialog.editors["操作员"].setText("张晓梅")
    _save(dialog)
    assert dialog.isVisible() and dialog.message.text() == "县名最多20个字，不能含换行等控制字符。"
    assert digest(db_file) == before


def test_settings_is_an_entry_of_the_file_menu(window):
    texts = [action.text() for action in window.menu(messages.MENU_FILE).actions()]
    assert messages.ACT_SETTINGS in texts


def _prompts(window) -> list[QInputDialog]:
    return [d for d in window.findChildren(QInputDialog) if d.isVisible()]


def test_the_first_run_asks_the_operator_once_and_the_bin_credits_deletions_to_them(
    qtbot, make_window, demo_copy, boxes
):
    window = make_window()
    window.asks_operator = True  # as ui/app.py sets it for the real window
    assert window.open_file(demo_copy)
    qtbot.waitUntil(lambda: len(_prompts(window)) == 1)
    prompt = _prompts(window)[0]
    prompt.setTextValue("李红")
    prompt.accept()
    assert _stored(demo_copy)["操作员"] == "李红"
    assert window.open_file(demo_copy)  # opened again: it knows who works on it now
    qtbot.wait(50)
    assert _prompts(window) == []
    tab = window.entity_tab("enterprises")
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0)
    tab.table.selectRow(0)
    assert tab.delete_current() is not False
    bin_dialog = RecycleBinDialog(window.data_file, window)
    qtbot.addWidget(bin_dialog)
    assert bin_dialog.model.item(0, OPERATOR_COLUMN).text() == "李红"


def test_a_dismissed_prompt_is_not_asked_again_while_the_program_runs(qtbot, make_window, db_file):
    window = make_window()
    window.asks_operator = True
    assert window.open_file(db_file)
    qtbot.waitUntil(lambda: len(_prompts(window)) == 1)
    _prompts(window)[0].reject()
    assert window.open_file(db_file)
    qtbot.wait(50)
    assert _prompts(window) == [] and _stored(db_file)["操作员"] == ""


def test_tests_and_screenshots_are_never_stopped_by_the_prompt(qtbot, window):
    qtbot.wait(50)
    assert window.asks_operator is False and _prompts(window) == []
