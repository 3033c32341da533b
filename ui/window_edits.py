"""The main window's recycle bin and 撤销删除: a deleted record comes back selected in its tab."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ui import messages

if TYPE_CHECKING:
    from ui.entity_tab import EntityTab

STATUS_MS = 5000  # how long a word such as 已保存 stays in the status bar


class WindowEdits:
    """Mixed into MainWindow: the recycle bin dialog, 编辑 → 撤销删除, showing a record in its tab."""

    def show_recycle_bin(self) -> None:
        if self.data_file is None:
            return
        from ui.dialogs.recycle_bin import RecycleBinDialog

        dialog = RecycleBinDialog(self.data_file, self)
        dialog.records_changed.connect(self._on_bin_records_changed)
        dialog.restored.connect(self.show_record)
        dialog.exec()

    def _on_bin_records_changed(self) -> None:
        self.last_deleted = None  # the bin may have restored or purged it: 撤销删除 would mislead
        self.refresh()
        self._update_actions()

    def show_record(self, table: str, record_id: int) -> bool:
        """Show a record selected in its tab (a 资质认定 is shown by its unit's tab: not selected)."""
        if table not in self._pages:
            return False
        self.select_tab(table)
        return self.entity_tab(table).show_record(record_id)

    def _on_form_deleted(self, tab: EntityTab, record_id: int) -> None:
        self.last_deleted = (tab, record_id)
        self.statusBar().showMessage(messages.STATUS_DELETED, STATUS_MS)
        self._update_actions()

    def undo_delete(self) -> None:
        """编辑 → 撤销删除 (Ctrl+Z): the record deleted last comes back from the recycle bin, selected."""
        if self.last_deleted is None:
            return
        (tab, record_id), self.last_deleted = self.last_deleted, None
        self.select_tab(tab.entity.table)
        if tab.restore(record_id):
            self.statusBar().showMessage(messages.BIN_RESTORED.format(n=1), STATUS_MS)
        self._update_actions()
