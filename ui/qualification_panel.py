"""The 资质认定 list of the unit shown in the 企业 form, editable there."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kejiju_desktop import fields
from kejiju_desktop.services.records import Query
from ui import messages, tasks
from ui.dialogs.history_dialog import open_history
from ui.entity_tab import fit_columns_once, make_table
from ui.prompts import confirm_and_delete
from ui.record_form import RecordForm
from ui.table_model import RecordTableModel
from ui.unit_picker import unit_name_of


class QualificationDialog(QDialog):
    """新增 or 编辑 one 资质认定 of a unit."""

    def __init__(
        self,
        child: fields.ChildSpec,
        data_file,
        unit_id: int,
        unit_name: str,
        record_id: int | None,
        parent=None,
    ):
        super().__init__(parent)
        action = messages.QUAL_EDIT if record_id is not None else messages.QUAL_ADD
        self.setWindowTitle(messages.QUAL_DIALOG.format(action=action, unit=unit_name))
        entity = fields.entity(child.table)
        self.form = RecordForm(entity, self, columns=2, fixed={child.key: unit_id}, buttons=False)
        self.form.set_data_file(data_file)
        if record_id is None:
            self.form.new_record()
        else:
            self.form.load(record_id)
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton(messages.ACT_SAVE, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(messages.BTN_CANCEL, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.buttons)
        self.resize(640, self.sizeHint().height())
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.form.state_changed.connect(self._on_form_state_changed)
        self.form.saved.connect(lambda _record_id: self.accept())
        self._on_form_state_changed()

    def _on_form_state_changed(self) -> None:
        self.save_button.setEnabled(self.form.can_save())

    def _on_buttons_accepted(self) -> None:
        self.form.save()  # from a server the answer comes later: `saved` closes the dialog then


class QualificationPanel(QWidget):
    """A short table of one unit's 资质认定 with 新增 / 编辑 / 删除."""

    def __init__(self, child: fields.ChildSpec, parent=None):
        super().__init__(parent)
        self.child = child
        self.entity = fields.entity(child.table)
        self.data_file = None
        self.unit_id: int | None = None
        self.unit_name = ""
        self.wanted: set[int] = set()  # records to select when their unit is shown (a 工作台 item's)
        self.model = RecordTableModel(
            self.entity, self, Query(sort=self.entity.default_sort, descending=True)
        )
        self._build_ui()
        self._connect_signals()
        self.show_parent(None)

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 0, 4)
        self.title = QLabel(messages.QUAL_TITLE, self)
        self.title.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.title)
        self.table = make_table(self.model, self)
        for column, spec in enumerate(self.model.columns):
            if spec.key == self.child.key:  # the unit shown is the one in the form
                self.table.setColumnHidden(column, True)
        layout.addWidget(self.table, 1)
        self.hint = QLabel(messages.QUAL_NO_UNIT, self)
        layout.addWidget(self.hint)
        row = QHBoxLayout()
        self.add_button = QPushButton(messages.QUAL_ADD, self)
        self.edit_button = QPushButton(messages.QUAL_EDIT, self)
        self.delete_button = QPushButton(messages.QUAL_DELETE, self)
        self.history_button = QPushButton(messages.ACT_HISTORY, self)
        row.addStretch(1)
        for button in (self.add_button, self.edit_button, self.delete_button, self.history_button):
            button.setAutoDefault(False)
            row.addWidget(button)
        layout.addLayout(row)

    def _connect_signals(self) -> None:
        self.add_button.clicked.connect(lambda: self.edit(None))
        self.edit_button.clicked.connect(lambda: self.edit(self.current_id()))
        self.delete_button.clicked.connect(self.delete_current)
        self.history_button.clicked.connect(self.show_history)
        self.table.doubleClicked.connect(lambda index: self.edit(self.model.record_id(index.row())))
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())

    def showEvent(self, event) -> None:
        super().showEvent(event)
        fit_columns_once(self.table, self.model)

    def set_data_file(self, data_file) -> None:
        self.data_file = data_file
        self.show_parent(None)

    def show_parent(self, unit_id: int | None) -> None:
        """List the 资质认定 of a unit (None: no unit chosen or not saved yet)."""
        self.unit_id = unit_id
        self.unit_name = ""
        if unit_id is not None and self.data_file is not None:
            data_file = self.data_file
            tasks.call(
                data_file,
                lambda: unit_name_of(data_file, unit_id),
                lambda name: self._on_unit_name(unit_id, name),
                receiver=self,
                description="reading the name of a unit",
            )
        query = self.model.query()
        query.filters = {self.child.key: unit_id if unit_id is not None else -1}
        self.model.show(self.data_file if unit_id is not None else None, query)
        self.hint.setVisible(unit_id is None)
        self._select_wanted()
        self._update_buttons()

    def _on_unit_name(self, unit_id: int, name) -> None:
        if unit_id != self.unit_id:
            return  # another unit is shown since
        # Logged when it failed; the dialogs' titles then go without the unit's name.
        self.unit_name = "" if isinstance(name, Exception) else name

    def select_records(self, ids) -> None:
        """Select the first of these records whenever its unit is shown (now, if it is)."""
        self.wanted = set(ids)
        self._select_wanted()

    def _select_wanted(self) -> None:
        rows = [row for row in range(self.model.rowCount()) if self.model.record_id(row) in self.wanted]
        if rows:
            self.table.selectRow(rows[0])

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.record_id(index.row()) if index.isValid() else None

    def _update_buttons(self) -> None:
        writable = self.data_file is not None and not self.data_file.read_only and self.unit_id is not None
        self.add_button.setEnabled(writable)
        self.edit_button.setEnabled(self.current_id() is not None and self.unit_id is not None)
        self.delete_button.setEnabled(writable and self.current_id() is not None)
        self.history_button.setEnabled(self.current_id() is not None)

    def edit(self, record_id: int | None) -> None:
        if self.unit_id is None or self.data_file is None:
            return
        dialog = QualificationDialog(
            self.child, self.data_file, self.unit_id, self.unit_name, record_id, self
        )
        if dialog.exec():
            self.model.reload()

    def delete_current(self) -> None:
        record_id = self.current_id()
        if record_id is None:
            return
        name = self.model.value(self.table.currentIndex().row(), self.entity.display_key) or ""
        confirm_and_delete(self, self.data_file, self.entity, record_id, name, on_deleted=self.model.reload)

    def show_history(self) -> None:
        """历史记录 of the 资质认定 selected; after 恢复此值 the list shows the value put back."""
        open_history(self, self.data_file, self.entity, self.current_id(), self.model.reload)
