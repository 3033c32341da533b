"""One record form for every entity, built from its field specs, with inline Chinese messages."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from db.database import FileBusyError
from db.models import new_uid
from kejiju_desktop import fields, validation
from kejiju_desktop.services import records
from kejiju_desktop.services import settings as settings_service
from kejiju_desktop.services.records import RecordChangedError, RecordDeletedError, ValidationFailed
from ui import messages, prompts
from ui.dialogs.conflict_dialog import RELOAD, SAVE_ANYWAY, ConflictDialog, differences, when
from ui.field_editors import ChoiceEditor, DateEditor, FieldEditor, LineEditor, MemoEditor
from ui.unit_picker import UnitPicker

log = logging.getLogger(__name__)
ERROR_STYLE = "color: #b3261e;"
WARNING_STYLE = "color: #9a6700;"
VALIDATE_DELAY_MS = 150


def scroll_over(fields: QWidget, parent: QWidget) -> QScrollArea:
    """The fields in a vertical scroll area as wide as they need (they never scroll sideways)."""
    scroll = QScrollArea(parent)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(fields)
    bar = scroll.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
    scroll.setMinimumWidth(fields.minimumSizeHint().width() + bar)
    return scroll


def make_editor(spec: fields.FieldSpec, parent: QWidget) -> FieldEditor:
    """The editor for a field's kind."""
    kinds = {
        fields.MEMO: MemoEditor,
        fields.CHOICE: ChoiceEditor,
        fields.DATE: DateEditor,
        fields.UNIT: UnitPicker,
    }
    return kinds.get(spec.kind, LineEditor)(spec, parent)


class RecordForm(QWidget):
    """Fields of one record; Save is enabled only when something changed and nothing is wrong."""

    saved = Signal(int)
    deleted = Signal(int)
    state_changed = Signal()

    def __init__(self, entity: fields.EntitySpec, parent=None, *, columns: int = 3, fixed=None, buttons=True):
        super().__init__(parent)
        self.entity = entity
        self.fixed: dict[str, Any] = dict(fixed or {})
        self.data_file = None
        self.record_id: int | None = None
        self.version: int | None = None  # the stored version the form shows: a save names it
        self.uid: str | None = None  # a new record's identity from its first save attempt on
        self.read_only = False
        self._active = False
        self._baseline: dict[str, Any] | None = None
        self._errors: set[str] = set()
        self._touched: set[str] = set()
        self.editors: dict[str, FieldEditor] = {}
        self.message_labels: dict[str, QLabel] = {}
        self._timer = QTimer(self, singleShot=True, interval=VALIDATE_DELAY_MS)
        self._build_ui(columns, buttons)
        self._connect_signals()
        self.clear()

    # --- building --------------------------------------------------------------------------------

    def _build_ui(self, columns: int, buttons: bool) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        self.title = QLabel(self)
        self.title.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.title)
        fields = self._fields(columns)
        self.buttons = self._button_bar() if buttons else None
        self.scroll: QScrollArea | None = None
        if self.buttons is None:  # in a dialog, which sizes itself to the fields
            layout.addWidget(fields)
            layout.addStretch(1)
            return
        # The fields scroll between the title and the buttons: a message shown beside a field (the
        # credit-code note) never pushes 新增/保存/撤销修改/删除 off a small screen.
        self.scroll = scroll_over(fields, self)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(self.buttons)

    def _fields(self, columns: int) -> QWidget:
        box = QWidget(self)
        outer = QVBoxLayout(box)
        outer.setContentsMargins(0, 0, 0, 0)
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        shown = [s for s in self.entity.fields if s.key not in self.fixed]
        short = [s for s in shown if s.kind != fields.MEMO]
        for i, spec in enumerate(short):
            row, col = divmod(i, columns)
            self._add_field(grid, spec, row, col * 2, 1)
        rows = (len(short) + columns - 1) // columns
        for j, spec in enumerate(s for s in shown if s.kind == fields.MEMO):
            self._add_field(grid, spec, rows + j, 0, columns * 2 - 1)
        for col in range(columns):
            grid.setColumnStretch(col * 2 + 1, 1)
        outer.addLayout(grid)
        outer.addStretch(1)
        return box

    def _add_field(self, grid: QGridLayout, spec: fields.FieldSpec, row: int, col: int, span: int) -> None:
        label = QLabel(spec.label + (messages.REQUIRED_MARK if spec.required else ""), self)
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        label.setContentsMargins(0, 4, 0, 0)
        editor = make_editor(spec, self)
        label.setBuddy(editor.focus_widget())
        box = QVBoxLayout()
        box.setSpacing(0)
        line = QHBoxLayout()
        line.addWidget(editor.widget, 1)
        if spec.choice_list:
            line.addWidget(self._choice_list_button(spec))
        box.addLayout(line)
        message = QLabel(self)
        message.setWordWrap(True)
        message.hide()
        box.addWidget(message)
        box.addStretch(1)  # a taller neighbour (one with a message) leaves the box beside its label
        grid.addWidget(label, row, col)
        grid.addLayout(box, row, col + 1, 1, span)
        self.editors[spec.key] = editor
        self.message_labels[spec.key] = message
        focus = editor.focus_widget()
        if isinstance(focus, QLineEdit | QComboBox):
            focus.installEventFilter(self)

    def _choice_list_button(self, spec: fields.FieldSpec) -> QToolButton:
        button = QToolButton(self)
        button.setText("…")
        button.setToolTip(messages.EDIT_CHOICES)
        button.clicked.connect(lambda: self.edit_choice_list(spec))
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return button

    def _button_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.new_button = QPushButton(messages.ACT_NEW, self)
        self.save_button = QPushButton(messages.ACT_SAVE, self)
        self.delete_button = QPushButton(messages.ACT_DELETE, self)
        self.cancel_button = QPushButton(messages.ACT_CANCEL, self)
        self.save_button.setDefault(False)
        bar.addStretch(1)
        for button in (self.new_button, self.save_button, self.cancel_button, self.delete_button):
            button.setAutoDefault(False)
            bar.addWidget(button)
        return bar

    def _connect_signals(self) -> None:
        for key, editor in self.editors.items():
            editor.changed.connect(lambda key=key: self._touched.add(key))
            editor.changed.connect(self._on_editor_changed)
        self._timer.timeout.connect(self.validate)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.revert)
        if self.buttons is not None:
            self.new_button.clicked.connect(self.new_record)
            self.save_button.clicked.connect(self.save)
            self.cancel_button.clicked.connect(self.revert)
            self.delete_button.clicked.connect(self.delete_current)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Enter moves to the next field, as clerks used to paper forms and Excel expect.
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            completer = getattr(watched, "completer", lambda: None)()
            if completer is None or not completer.popup().isVisible():
                tab = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier)
                QApplication.sendEvent(watched, tab)
                return True
        return super().eventFilter(watched, event)

    # --- state -----------------------------------------------------------------------------------

    def set_data_file(self, data_file) -> None:
        self.data_file = data_file
        self.read_only = bool(data_file is not None and data_file.read_only)
        for editor in self.editors.values():
            if isinstance(editor, UnitPicker):
                editor.data_file = data_file
        self._load_choice_lists()
        self.clear()

    def _load_choice_lists(self) -> None:
        if self.data_file is None:
            return
        with self.data_file.sessions() as session:
            for spec in self.entity.fields:
                if spec.choice_list and spec.key in self.editors:
                    self.editors[spec.key].set_choices(records.choice_values(session, spec))

    def is_dirty(self) -> bool:
        return self._active and self._baseline is not None and self.raw_values() != self._baseline

    def can_save(self) -> bool:
        return self._active and not self.read_only and self.is_dirty() and not self._errors

    def raw_values(self) -> dict[str, Any]:
        raw = {key: editor.raw() for key, editor in self.editors.items()}
        raw.update(self.fixed)
        return raw

    def clear(self) -> None:
        """No record: empty, disabled fields and a hint."""
        self.record_id, self._active, self._baseline = None, False, None
        self.version, self.uid = None, None
        for editor in self.editors.values():
            editor.set_value(None)
            editor.widget.setEnabled(False)
        self._show_problems([])
        self.title.setText(messages.FORM_EMPTY)
        self._update_state()

    def new_record(self) -> bool:
        """Start a new record with the fields' defaults, after asking about unsaved changes."""
        if self.data_file is None or self.read_only or not self.confirm_leave():
            return False
        self._start(None, {spec.key: spec.default for spec in self.entity.fields})
        self.uid = new_uid()
        self.title.setText(messages.FORM_NEW.format(label=self.entity.label))
        self.first_editor().setFocus()
        return True

    def load(self, record_id: int) -> bool:
        """Show a stored record (the caller asked about unsaved changes first)."""
        with self.data_file.sessions() as session:
            record = records.get_record(session, self.entity, record_id)
            values = records.record_values(record) if record is not None else None
            version = record.version if record is not None else None
        if values is None:
            self.clear()
            return False
        self._start(record_id, values)
        self.version, self.uid = version, None
        name = values.get(self.entity.display_key) or ""
        self.title.setText(messages.FORM_EDIT.format(label=self.entity.label, name=name))
        return True

    def _start(self, record_id: int | None, values: dict[str, Any]) -> None:
        self.record_id, self._active = record_id, True
        self._touched = set()
        for key, editor in self.editors.items():
            editor.widget.setEnabled(True)
            editor.set_read_only(self.read_only)
            editor.set_value(values.get(key))
        self._baseline = self.raw_values()
        self._show_problems([])
        self.validate()

    def first_editor(self) -> QWidget:
        return next(iter(self.editors.values())).focus_widget()

    def revert(self) -> None:
        """Esc / 撤销修改: back to the stored record (or to an empty new one)."""
        if not self._active:
            return
        if self.record_id is not None:
            self.load(self.record_id)
        else:
            self._start(None, {spec.key: spec.default for spec in self.entity.fields})

    def _on_editor_changed(self) -> None:
        self._update_state()
        self._timer.start()

    def _update_state(self) -> None:
        if self.buttons is not None:
            self.new_button.setEnabled(self.data_file is not None and not self.read_only)
            self.save_button.setEnabled(self.can_save())
            self.cancel_button.setEnabled(self.is_dirty())
            self.delete_button.setEnabled(self.record_id is not None and not self.read_only)
        self.state_changed.emit()

    # --- checking --------------------------------------------------------------------------------

    def validate(self) -> None:
        """Parse and check what is typed; show each field's message beside it."""
        if not self._active or self.data_file is None:
            return
        with self.data_file.sessions() as session:
            self._fill_derived(session)
            raw = self.raw_values()
            values, problems = records.parse_values(session, self.entity, raw)
            problems += records.check_values(session, self.entity, values, self._own_id(session))
        for key, editor in self.editors.items():
            if isinstance(editor, UnitPicker) and editor.unresolved:
                problems.insert(0, validation.Problem(key, validation.ERROR, editor.problem_message()))
        self._show_problems(problems, quiet=self._untouched_required(raw))

    def _own_id(self, session) -> int | None:
        # A new record whose first save was written though its answer was lost holds its keys itself.
        if self.record_id is None and self.uid is not None:
            return records.id_of_uid(session, self.entity, self.uid)
        return self.record_id

    def _untouched_required(self, raw: dict[str, Any]) -> set[str]:
        # A new record does not scold about required fields the clerk has not reached yet;
        # Save stays disabled all the same, and the labels carry their *.
        if self.record_id is not None:
            return set()
        return {k for k, val in raw.items() if val in (None, "") and k not in self._touched}

    def _fill_derived(self, session) -> None:
        # What the spec derives as the clerk types (专利类型 from 申请号) fills an empty field.
        editors = self.editors
        empty = [
            r.key for r in self.entity.derive if r.as_typed and r.key in editors and not editors[r.key].raw()
        ]
        if not empty:
            return
        derived, _problems = records.parse_values(session, self.entity, self.raw_values())
        self.entity.fill_derived(derived, None)
        for key in empty:
            if derived.get(key):
                self.editors[key].set_value(derived[key])

    def _show_problems(self, problems: list[validation.Problem], quiet: set[str] = frozenset()) -> None:
        first: dict[str, validation.Problem] = {}
        for problem in problems:
            if problem.field in self.message_labels:
                first.setdefault(problem.field, problem)
        for key, label in self.message_labels.items():
            problem = first.get(key) if key not in quiet else None
            label.setVisible(problem is not None)
            label.setText(problem.message if problem else "")
            label.setStyleSheet(ERROR_STYLE if problem and problem.is_error else WARNING_STYLE)
        self._errors = {key for key, p in first.items() if p.is_error}
        self._update_state()

    def message(self, key: str) -> str:
        """The message shown beside a field ("" when none)."""
        label = self.message_labels[key]
        return label.text() if not label.isHidden() else ""

    # --- saving ----------------------------------------------------------------------------------

    def save(self) -> bool:
        """Write the record; warnings (e.g. a credit code's check character) are confirmed first."""
        if not self._active or self.read_only:
            return False
        self._timer.stop()
        self.validate()
        if self._errors:
            return False
        saved_id = self._write(confirm=False)
        if saved_id is None:
            return False
        self.load(saved_id)
        self.saved.emit(saved_id)
        return True

    def _write(self, confirm: bool) -> int | None:
        raw = self.raw_values()
        try:
            with self.data_file.writer() as session:
                record = records.save_record(
                    session,
                    self.entity,
                    raw,
                    record_id=self.record_id,
                    confirm_warnings=confirm,
                    seen_version=self.version,
                    uid=self.uid,
                )
                return record.id
        except RecordChangedError as exc:
            return self._on_conflict(exc, confirm)
        except RecordDeletedError as exc:
            return self._on_deleted_meanwhile(exc, confirm)
        except ValidationFailed as exc:
            self._show_problems(exc.problems)
            if exc.only_warnings and not confirm and prompts.confirm_warnings(self, exc.problems):
                return self._write(confirm=True)
            if any(p.field not in self.message_labels for p in exc.problems):
                QMessageBox.warning(self, messages.ACT_SAVE, messages.SAVE_FAILED.format(reason=str(exc)))
        except FileBusyError as exc:  # another program kept the file for writing: nothing was saved
            QMessageBox.warning(self, messages.ACT_SAVE, exc.message)
        except SQLAlchemyError:
            log.exception("saving %s failed", self.entity.table)
            QMessageBox.warning(self, messages.ACT_SAVE, messages.WRITE_FAILED)
        return None

    def _on_conflict(self, error: RecordChangedError, confirm: bool) -> int | None:
        """Another clerk saved the record since it was loaded: what the clerk typed stays until they
        choose 重新载入 (theirs) or 仍然保存 (theirs replaced by a new version, knowingly)."""
        try:
            with self.data_file.sessions() as session:
                error = records.changed_since(session, self.entity, error.record_id)
                rows = differences(session, self.entity, self.raw_values(), error.values, self.editors)
        except RecordDeletedError as exc:
            return self._on_deleted_meanwhile(exc, confirm)
        heading = messages.CONFLICT_HEADING.format(operator=error.updated_by, time=when(error.updated_at))
        dialog = ConflictDialog(heading, rows, self)
        dialog.exec()
        if dialog.choice == RELOAD:
            self.load(error.record_id)
        elif dialog.choice == SAVE_ANYWAY:  # (a new record's retry found its first save edited)
            self.record_id, self.version, self.uid = error.record_id, error.version, None
            return self._write(confirm)
        return None

    def _on_deleted_meanwhile(self, error: RecordDeletedError, confirm: bool) -> int | None:
        """The record went to the recycle bin meanwhile: the text stays; saved as a new record if asked
        (restoring theirs would undo the other clerk's decision without their knowing)."""
        text = messages.DELETED_MEANWHILE.format(reason=str(error))
        if not prompts.ask_save_as_new(self, text):
            return None
        self.record_id, self.version, self.uid = None, None, new_uid()
        self.title.setText(messages.FORM_NEW.format(label=self.entity.label))
        return self._write(confirm)

    def confirm_leave(self) -> bool:
        """Before showing something else: save, discard or stay when there are unsaved changes."""
        if not self.is_dirty():
            return True
        answer = prompts.ask_unsaved(self, self.entity)
        if answer == prompts.SAVE:
            return self.save()
        if answer == prompts.DISCARD:
            self.revert()
        return answer == prompts.DISCARD

    def delete_current(self) -> bool:
        """Move the shown record to the recycle bin after asking."""
        if self.record_id is None or self.read_only:
            return False
        key = self.entity.display_key
        name = self.editors[key].raw() if key in self.editors else ""
        record_id = self.record_id
        if not prompts.confirm_and_delete(self, self.data_file, self.entity, record_id, name, self.version):
            return False
        self.clear()
        self.deleted.emit(record_id)
        return True

    def edit_choice_list(self, spec: fields.FieldSpec) -> None:
        """Let the clerk edit an editable choice list (e.g. 计划类别), kept in the data file."""
        if self.data_file is None or self.read_only:
            return
        with self.data_file.sessions() as session:
            current = records.choice_values(session, spec) or spec.choices
        text, ok = QInputDialog.getMultiLineText(
            self,
            messages.EDIT_CHOICES_TITLE.format(label=spec.label),
            messages.EDIT_CHOICES_HINT,
            "\n".join(current),
        )
        if not ok:
            return
        with self.data_file.writer() as session:
            settings_service.put_choice_list(session, spec.choice_list, text.splitlines())
        self._load_choice_lists()
        self._on_editor_changed()
