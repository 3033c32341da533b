"""Every dialog the window opens is wide enough for its whole title and the program's name Qt adds."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from db import portable
from kejiju_desktop import APP_NAME, fields, validation
from kejiju_desktop.services import checkup
from tests.core.merge_helpers import merge, office_file, save
from ui import prompts
from ui.dialogs.check_result import CheckResultDialog
from ui.dialogs.import_wizard import ImportWizard
from ui.dialogs.merge_preview import MergePreviewDialog
from ui.dialogs.restore_backup import RestoreBackupDialog
from ui.main_window import MainWindow

TITLE_BAR_BUTTONS = 80  # a window manager's icon and three buttons beside the title


def merge_preview(window, tmp_path):
    ours = office_file(tmp_path, "本科室")
    uid = save(ours, "enterprises", {"name": "四星液压", "contact": "刘华"})
    portable.copy_consistent(ours, tmp_path / "副本.kjdb")
    save(tmp_path / "副本.kjdb", "enterprises", {"contact": "王新"}, uid=uid)
    plan, _ = merge(ours, tmp_path / "副本.kjdb", dry_run=True)
    MergePreviewDialog(plan, "本科室.kjdb", "副本.kjdb", window).exec()


def credit_code_warning(window, _tmp_path):
    problem = validation.Problem("credit_code", validation.WARNING, "校验位应为“H”")
    prompts.confirm_warnings(window.current_tab(), [problem])


OPENERS = {
    "设置": lambda window, _tmp: window.settings_actions.open_dialog(),
    "操作员": lambda window, _tmp: window.settings_actions.ask_operator(),
    "请确认": credit_code_warning,
    "未保存的修改": lambda window, _tmp: prompts.ask_unsaved(window, fields.ENTITIES["projects"]),
    "删除记录": lambda window, _tmp: prompts.confirm_and_delete(
        window.current_tab(), window.data_file, fields.ENTITIES["projects"], 1, "某项目"
    ),
    "关于": lambda window, _tmp: window.show_about(),
    "回收站": lambda window, _tmp: window.show_recycle_bin(),
    "年度目标": lambda window, _tmp: window.pane("report").edit_targets(),
    "检查结果": lambda window, _tmp: CheckResultDialog(checkup.CheckReport(), "演示.kjdb", window).exec(),
    "恢复备份": lambda window, _tmp: RestoreBackupDialog([], window).exec(),
    "合并预览": merge_preview,
    "从 Excel 导入": lambda window, _tmp: ImportWizard(
        window.data_file, window.run_task, parent=window
    ).exec(),
}


def answer_when_shown(qtbot, seen: list) -> None:
    """Once a dialog has the focus: note its title and width, then close it (as Esc would)."""
    dialog = QApplication.activeWindow()
    if not isinstance(dialog, QDialog) or not dialog.isVisible():
        QTimer.singleShot(20, lambda: answer_when_shown(qtbot, seen))
        return
    qtbot.wait(50)
    seen.append((dialog.windowTitle(), dialog.width(), dialog.fontMetrics()))
    if isinstance(dialog, QMessageBox) and dialog.escapeButton() is None:
        dialog.done(QMessageBox.StandardButton.No)
    else:
        dialog.reject()


@pytest.fixture
def shown_window(qtbot, qapp, demo_copy):
    """The window on the demo file, its message boxes really shown (no `boxes` fixture)."""
    qapp.setApplicationDisplayName(APP_NAME)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.open_file(demo_copy)
    window.select_tab("projects")
    yield window
    window.close()


@pytest.mark.parametrize("name", OPENERS)
def test_a_dialog_is_wide_enough_for_its_whole_title(qtbot, shown_window, tmp_path, name):
    seen = []
    QTimer.singleShot(0, lambda: answer_when_shown(qtbot, seen))
    OPENERS[name](shown_window, tmp_path)
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    title, width, metrics = seen[0]
    assert width >= metrics.horizontalAdvance(f"{title} — {APP_NAME}") + TITLE_BAR_BUTTONS, title
