"""One record form for every entity, built from its field specs, with inline Chinese messages."""

from __future__ import annotations

from collections.abc import Callable
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

from db.database import DataFileError
from db.models import new_uid
from kejiju_desktop import fields, validation
from kejiju_desktop.services import records
from kejiju_desktop.services import settings as settings_service
from kejiju_desktop.services.records import RecordChangedError, RecordDeletedError, ValidationFailed
from ui import messages, prompts, tasks
from ui.dialogs.conflict_dialog import RELOAD, SAVE_ANYWAY, ConflictDialog, differences, when
from ui.field_editors import ChoiceEditor, DateEditor, FieldEditor, LineEditor, MemoEditor
from ui.unit_picker import UnitPicker

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
    check_failed = Signal(str)  # why what is typed could not be checked ("" once a check succeeds again)

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
        self.saving = False  # a save or delete is on its way (from a server): no second one, no typing
        self._loads = self._checks = 0  # loads and checks asked: an answer to an earlier one is dropped
        self._shown_now = self._saved_now = self._deleted_now = False
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
        data_file, specs = (
            self.data_file,
            [s for s in self.entity.fields if s.choice_list and s.key in self.editors],
        )
        tasks.call(
            data_file,
            lambda: _choice_lists(data_file, specs),
            self._on_choice_lists,
            receiver=self,
            description=f"reading the choice lists of {self.entity.table}",
        )

    def _on_choice_lists(self, lists) -> None:
        if isinstance(lists, Exception):
            return  # logged; the editors keep the spec's own choices
        for key, values in lists.items():
            self.editors[key].set_choices(values)

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

    def load(self, record_id: int, then: Callable[[bool], None] | None = None) -> bool:
        """Show a stored record (the caller asked about unsaved changes first), then `then(found)`.
        True when it is shown by the time this returns (on a file, when found; from a server it comes
        later, and a load asked for since wins)."""
        self._loads += 1
        asked, data_file, entity = self._loads, self.data_file, self.entity
        self._shown_now = False
        tasks.call(
            data_file,
            lambda: _stored(data_file, entity, record_id),
            lambda stored: self._on_loaded(asked, record_id, stored, then),
            receiver=self,
            description=f"reading a record of {entity.table}",
        )
        return self._shown_now

    def _on_loaded(self, asked: int, record_id: int, stored, then) -> None:
        if asked != self._loads:
            return  # the clerk has asked for another record since
        if isinstance(stored, Exception):  # the form keeps what it shows; the clerk is told why
            QMessageBox.warning(self, self.entity.label, tasks.sentence_of(stored, messages.READ_FAILED))
            return
        if stored is None:
            self.clear()
        else:
            values, version = stored
            self._start(record_id, values)
            self.version, self.uid = version, None
            name = values.get(self.entity.display_key) or ""
            self.title.setText(messages.FORM_EDIT.format(label=self.entity.label, name=name))
        self._shown_now = stored is not None
        if then is not None:
            then(stored is not None)

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
            self.save_button.setEnabled(self.can_save() and not self.saving)
            self.cancel_button.setEnabled(self.is_dirty() and not self.saving)
            self.delete_button.setEnabled(
                self.record_id is not None and not self.read_only and not self.saving
            )
        self.state_changed.emit()

    # --- checking --------------------------------------------------------------------------------

    def validate(self, then: Callable[[], None] | None = None) -> None:
        """Parse and check what is typed; show each field's message beside it; then `then()`.
        A check overtaken by a later one (the clerk typed on) is dropped."""
        if not self._active or self.data_file is None:
            return
        self._checks += 1
        asked, data_file, entity, raw = self._checks, self.data_file, self.entity, self.raw_values()
        empty = [r.key for r in entity.derive if r.as_typed and r.key in self.editors and not raw.get(r.key)]
        own = (self.record_id, self.uid)
        tasks.call(
            data_file,
            lambda: _checked(data_file, entity, raw, empty, own),
            lambda answer: self._on_checked(asked, answer, then),
            receiver=self,
            description=f"checking a record of {entity.table}",
        )

    def _on_checked(self, asked: int, answer, then: Callable[[], None] | None) -> None:
        if asked != self._checks:
            return
        if isinstance(answer, Exception):  # logged; a save waiting on these checks is not made, and says why
            if then is not None:
                QMessageBox.warning(self, messages.ACT_SAVE, tasks.sentence_of(answer, messages.WRITE_FAILED))
                self._set_saving(False)
            else:  # a check while typing: the tab's status says why nothing is shown beside the fields
                self.check_failed.emit(tasks.sentence_of(answer, messages.READ_FAILED))
            return
        self.check_failed.emit("")
        derived, problems = answer
        for key, value in derived.items():  # 专利类型 from 申请号 fills a field still empty
            if not self.editors[key].raw():
                self.editors[key].set_value(value)
        for key, editor in self.editors.items():
            if isinstance(editor, UnitPicker) and editor.unresolved:
                problems.insert(0, validation.Problem(key, validation.ERROR, editor.problem_message()))
        self._show_problems(problems, quiet=self._untouched_required(self.raw_values()))
        if then is not None:
            then()

    def _untouched_required(self, raw: dict[str, Any]) -> set[str]:
        # A new record does not scold about required fields the clerk has not reached yet;
        # Save stays disabled all the same, and the labels carry their *.
        if self.record_id is not None:
            return set()
        return {k for k, val in raw.items() if val in (None, "") and k not in self._touched}

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
        """Write the record; warnings (e.g. a credit code's check character) are confirmed first.
        True when it was written by the time this returns (on a file); from a server the answer comes
        later (`saved`), the fields read-only meanwhile, and the caller stays where it is."""
        if not self._active or self.read_only or self.saving:
            return False
        self._timer.stop()
        self._saved_now = False
        self._set_saving(True)
        self.validate(then=self._write_checked)
        return self._saved_now

    def _write_checked(self) -> None:
        if self._errors:
            self._set_saving(False)
            return
        self._write(confirm=False)

    def _set_saving(self, saving: bool) -> None:
        """While a save is out the fields take no typing and the buttons no second action."""
        self.saving = saving
        for editor in self.editors.values():
            editor.set_read_only(saving or self.read_only)
        self._update_state()

    def _write(self, confirm: bool) -> None:
        data_file, entity, raw = self.data_file, self.entity, self.raw_values()
        seen = {"record_id": self.record_id, "seen_version": self.version, "uid": self.uid}
        tasks.call(
            data_file,
            lambda: _saved_id(data_file, entity, raw, confirm, seen),
            lambda answer: self._on_written(answer, confirm),
            receiver=self,
            description=f"saving {entity.table}",
        )

    def _on_written(self, answer, confirm: bool) -> None:
        if not isinstance(answer, Exception):
            self._set_saving(False)
            self.load(answer, then=lambda _found: self._announce(answer))
        elif not self._retried(answer, confirm):
            self._set_saving(False)

    def _announce(self, saved_id: int) -> None:
        self._saved_now = True
        self.saved.emit(saved_id)

    def _retried(self, error: Exception, confirm: bool) -> bool:
        """Answer a refused save; True when a second write is on its way (confirmed, or 仍然保存)."""
        if isinstance(error, RecordChangedError):
            return self._on_conflict(error, confirm)
        if isinstance(error, RecordDeletedError):
            return self._on_deleted_meanwhile(error, confirm)
        if isinstance(error, ValidationFailed):
            self._show_problems(error.problems)
            if error.only_warnings and not confirm and prompts.confirm_warnings(self, error.problems):
                self._write(confirm=True)
                return True
            if any(p.field not in self.message_labels for p in error.problems):
                QMessageBox.warning(self, messages.ACT_SAVE, messages.SAVE_FAILED.format(reason=str(error)))
        elif isinstance(error, DataFileError | SQLAlchemyError):
            # Another program kept the file, or the server went away: nothing was saved, the form keeps
            # every typed value, and saving again once the server is back keeps the new record's uid.
            QMessageBox.warning(self, messages.ACT_SAVE, tasks.sentence_of(error, messages.WRITE_FAILED))
        else:
            raise error  # a defect: the window's error dialog and the log
        return False

    def _on_conflict(self, error: RecordChangedError, confirm: bool) -> bool:
        """Another clerk saved the record since it was loaded: what the clerk typed stays until they
        choose 重新载入 (theirs) or 仍然保存 (theirs replaced by a new version, knowingly). Their version
        is read first (from a server off the GUI thread): True, the save goes on from there."""
        data_file, entity, raw, shown = (
            self.data_file,
            self.entity,
            self.raw_values(),
            frozenset(self.editors),
        )
        tasks.call(
            data_file,
            lambda: _theirs(data_file, entity, error.record_id, raw, shown),
            lambda answer: self._on_theirs_read(answer, confirm),
            receiver=self,
            description=f"reading another clerk's version of {entity.table}",
        )
        return True

    def _on_theirs_read(self, answer, confirm: bool) -> None:
        if isinstance(answer, Exception):
            if not self._retried(answer, confirm):  # deleted meanwhile: asked; the server gone: told
                self._set_saving(False)
            return
        error, rows = answer
        self._set_saving(False)  # the clerk reads both versions; 重新载入 loads theirs
        heading = messages.CONFLICT_HEADING.format(operator=error.updated_by, time=when(error.updated_at))
        dialog = ConflictDialog(heading, rows, self)
        dialog.exec()
        if dialog.choice == RELOAD:
            self.load(error.record_id)
        elif dialog.choice == SAVE_ANYWAY:  # (a new record's retry found its first save edited)
            self.record_id, self.version, self.uid = error.record_id, error.version, None
            self._set_saving(True)
            self._write(confirm)

    def _on_deleted_meanwhile(self, error: RecordDeletedError, confirm: bool) -> bool:
        """The record went to the recycle bin meanwhile: the text stays; saved as a new record if asked
        (restoring theirs would undo the other clerk's decision without their knowing)."""
        text = messages.DELETED_MEANWHILE.format(reason=str(error))
        if not prompts.ask_save_as_new(self, text):
            return False
        self.record_id, self.version, self.uid = None, None, new_uid()
        self.title.setText(messages.FORM_NEW.format(label=self.entity.label))
        self._write(confirm)
        return True

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
        """Move the shown record to the recycle bin after asking; True when done by the time this
        returns (on a file; from a server `deleted` says so later, the form read-only meanwhile)."""
        if self.record_id is None or self.read_only or self.saving:
            return False
        key = self.entity.display_key
        name = self.editors[key].raw() if key in self.editors else ""
        if not prompts.confirm_delete(self, self.entity, name):
            return False
        data_file, entity, record_id, version = self.data_file, self.entity, self.record_id, self.version
        self._deleted_now = False
        self._set_saving(True)
        tasks.call(
            data_file,
            lambda: prompts.delete_refusal(data_file, entity, record_id, version),
            lambda refusal: self._on_delete_answered(record_id, refusal),
            receiver=self,
            description=f"deleting {entity.table}",
        )
        return self._deleted_now

    def _on_delete_answered(self, record_id: int, refusal) -> None:
        self._set_saving(False)
        if isinstance(refusal, Exception):
            raise refusal  # delete_refusal answers every refusal of the store: this is a defect
        if refusal is not None:
            QMessageBox.warning(self, messages.DELETE_TITLE, refusal)
            return
        self.clear()
        self._deleted_now = True
        self.deleted.emit(record_id)

    def edit_choice_list(self, spec: fields.FieldSpec) -> None:
        """Let the clerk edit an editable choice list (e.g. 计划类别), kept in the data file; the list
        is read, and the edited one written, off the GUI thread from a server."""
        if self.data_file is None or self.read_only:
            return
        data_file = self.data_file
        tasks.call(
            data_file,
            lambda: _choice_lists(data_file, [spec])[spec.key] or spec.choices,
            lambda current: self._on_choice_list_read(spec, current),
            receiver=self,
            description=f"reading the choice list {spec.choice_list}",
        )

    def _on_choice_list_read(self, spec: fields.FieldSpec, current) -> None:
        if isinstance(current, Exception):
            title = messages.EDIT_CHOICES_TITLE.format(label=spec.label)
            QMessageBox.warning(self, title, tasks.sentence_of(current, messages.READ_FAILED))
            return
        text, ok = QInputDialog.getMultiLineText(
            self,
            messages.EDIT_CHOICES_TITLE.format(label=spec.label),
            messages.EDIT_CHOICES_HINT,
            "\n".join(current),
        )
        if not ok:
            return
        data_file = self.data_file
        tasks.call(
            data_file,
            lambda: _put_choice_list(data_file, spec, text.splitlines()),
            lambda answer: self._on_choice_list_written(spec, answer),
            receiver=self,
            description=f"writing the choice list {spec.choice_list}",
        )

    def _on_choice_list_written(self, spec: fields.FieldSpec, answer) -> None:
        if isinstance(answer, Exception):
            title = messages.EDIT_CHOICES_TITLE.format(label=spec.label)
            QMessageBox.warning(self, title, tasks.sentence_of(answer, messages.WRITE_FAILED))
            return
        self._load_choice_lists()
        self._on_editor_changed()


def _choice_lists(data_file, specs: list[fields.FieldSpec]) -> dict[str, list[str]]:
    with data_file.sessions() as session:
        return {spec.key: records.choice_values(session, spec) for spec in specs}


def _put_choice_list(data_file, spec: fields.FieldSpec, values: list[str]) -> None:
    with data_file.writer() as session:
        settings_service.put_choice_list(session, spec.choice_list, values)


def _stored(data_file, entity: fields.EntitySpec, record_id: int) -> tuple[dict, int] | None:
    """A record's values and version, or None when it is gone."""
    with data_file.sessions() as session:
        record = records.get_record(session, entity, record_id)
        return (records.record_values(record), record.version) if record is not None else None


def _checked(data_file, entity: fields.EntitySpec, raw: dict, empty: list[str], own: tuple) -> tuple:
    """(what the spec derives for the empty fields `empty`, the problems of the values typed)."""
    with data_file.sessions() as session:
        derived = {}
        if empty:
            parsed, _problems = records.parse_values(session, entity, raw)
            entity.fill_derived(parsed, None)
            derived = {key: parsed[key] for key in empty if parsed.get(key)}
        values, problems = records.parse_values(session, entity, {**raw, **derived})
        problems += records.check_values(session, entity, values, _own_id(session, entity, *own))
    return derived, problems


def _own_id(session, entity: fields.EntitySpec, record_id: int | None, uid: str | None) -> int | None:
    # A new record whose first save was written though its answer was lost holds its keys itself.
    if record_id is None and uid is not None:
        return records.id_of_uid(session, entity, uid)
    return record_id


def _theirs(data_file, entity: fields.EntitySpec, record_id: int, raw: dict, shown: frozenset) -> tuple:
    """(the stored version as RecordChangedError, the fields where it and the form differ)."""
    with data_file.sessions() as session:
        error = records.changed_since(session, entity, record_id)
        return error, differences(session, entity, raw, error.values, shown)


def _saved_id(data_file, entity: fields.EntitySpec, raw: dict, confirm: bool, seen: dict) -> int:
    """Save the form's values in one write transaction; the record's id."""
    with data_file.writer() as session:
        return records.save_record(session, entity, raw, confirm_warnings=confirm, **seen).id
