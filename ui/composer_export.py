"""The composer's 一键导出年度报告 (its warnings first, then where) and its 年度目标 dialog."""

from __future__ import annotations

from pathlib import Path

from kejiju_desktop.report import compose, facts
from ui import file_dialogs, messages, prompts
from ui.report_export import start_export


class ComposerExport:
    """Mixed into ReportComposer: the export of the year's report and the targets it is measured against."""

    def default_path(self) -> Path:
        title = self.title_edit.text().strip() or self.title_edit.placeholderText()
        return Path.home() / messages.DEFAULT_FILE.format(title=title)

    def export_report(self) -> None:
        """一键导出年度报告: ask where, write it off the GUI thread, then offer to open it."""
        if self._data is None:
            return
        self.save_pending()
        self._with_facts(self.year(), self._export_checked)

    def _export_checked(self, counted: facts.Facts | Exception) -> None:
        """The save dialog, once the clerk has seen the fields the text would leave as written."""
        counting_failed = isinstance(counted, Exception)  # the export itself then says why, in a sentence
        if self._draft is None or (not counting_failed and counted.year != self.year()):
            return
        warnings = [] if counting_failed else compose.field_warnings(self._draft, counted) + notices(counted)
        if warnings and not prompts.confirm_field_warnings(self, warnings):
            return
        chosen = file_dialogs.ask_save_path(
            self, file_dialogs.REPORTS, messages.SAVE_TITLE, self.default_path(), messages.SAVE_FILTER
        )
        if not chosen:
            return
        path = Path(chosen) if chosen.lower().endswith(".docx") else Path(chosen + ".docx")
        if not prompts.output_refused(self, messages.SAVE_TITLE, path, self._data):
            self.write_report(path)

    def write_report(self, path: Path) -> None:
        """Write the report to `path` (the save dialog has confirmed any overwrite)."""
        scheme, data, year = self.fonts_box.currentData(), self._data, self.year()
        # The draft's last edits first: from a server they may still be on their way.
        self.after_writes(
            lambda: start_export(self, self._window, data, year, path, scheme, self.exported.emit)
        )

    def edit_targets(self) -> None:
        """The 年度目标 dialog for the chosen year; the preview follows what was saved."""
        from ui.dialogs.targets_dialog import TargetsDialog

        if self._data is None:
            return
        dialog = TargetsDialog(self._data, self.year(), self)
        if dialog.exec():
            self._window.recount()  # the 工作台's progress bars follow too


def notices(counted: facts.Facts) -> list[str]:
    """Why an indicator is left out of the report (an input the clerk has not entered), for the clerk."""
    return [indicator.notice for indicator in counted.indicators.values() if indicator.notice]
