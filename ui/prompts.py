"""The questions the editors ask: keep unsaved changes?, save despite a warning?, delete?"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy.exc import SQLAlchemyError

from db.database import DataFileError, connection_lost
from kejiju_desktop import fields, validation
from kejiju_desktop.services import outputs, records
from kejiju_desktop.services.records import RecordChangedError, ValidationFailed
from ui import messages, tasks
from ui.stores import file_of

log = logging.getLogger(__name__)
SAVE, DISCARD, STAY = "save", "discard", "stay"


def _ask(
    parent: QWidget,
    title: str,
    text: str,
    buttons: list[tuple[str, QMessageBox.ButtonRole, str]],
    safe: str | None = None,
) -> str:
    """The answer of the button pressed; `safe` is the answer Enter and Esc give (Qt's choice when None)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    made = {answer: box.addButton(label, role) for label, role, answer in buttons}
    if safe is not None:
        box.setDefaultButton(made[safe])
        box.setEscapeButton(made[safe])
    box.exec()
    return next((answer for answer, button in made.items() if button is box.clickedButton()), buttons[-1][2])


def ask_unsaved(parent: QWidget, entity: fields.EntitySpec) -> str:
    """SAVE, DISCARD or STAY for a form with unsaved changes."""
    role = QMessageBox.ButtonRole
    text = messages.UNSAVED_TEXT.format(label=entity.label)
    buttons = [(messages.ACT_SAVE, role.AcceptRole, SAVE), (messages.BTN_DISCARD, role.DestructiveRole, DISCARD),
               (messages.BTN_CANCEL, role.RejectRole, STAY)]  # fmt: skip
    return _ask(parent, messages.UNSAVED_TITLE, text, buttons)


def confirm_warnings(parent: QWidget, problems: list[validation.Problem]) -> bool:
    """True when the clerk confirms saving despite warnings (e.g. a credit code's check character)."""
    role = QMessageBox.ButtonRole
    text = messages.CONFIRM_WARNINGS.format(problems="\n".join(p.message for p in problems))
    buttons = [(messages.BTN_YES, role.YesRole, SAVE), (messages.BTN_NO, role.NoRole, STAY)]
    # Enter goes back to the form: saving a doubtful value takes a deliberate click or Alt+S.
    return _ask(parent, messages.CONFIRM_WARNINGS_TITLE, text, buttons, safe=STAY) == SAVE


def confirm_field_warnings(parent: QWidget, warnings: list[str]) -> bool:
    """True when the clerk exports a report despite its warnings: fields of the text that cannot be filled
    in, indicators left out for an input not entered."""
    role = QMessageBox.ButtonRole
    text = messages.FIELD_WARNINGS.format(warnings="\n".join(warnings))
    buttons = [(messages.BTN_EXPORT_ANYWAY, role.AcceptRole, SAVE), (messages.BTN_NO, role.RejectRole, STAY)]
    return _ask(parent, messages.FIELD_WARNINGS_TITLE, text, buttons, safe=STAY) == SAVE


def ask_save_as_new(parent: QWidget, text: str) -> bool:
    """True when the clerk saves the form's values as a new record (theirs was deleted meanwhile)."""
    role = QMessageBox.ButtonRole
    buttons = [(messages.SAVE_AS_NEW, role.AcceptRole, SAVE), (messages.BTN_CANCEL, role.RejectRole, STAY)]
    return _ask(parent, messages.DELETED_MEANWHILE_TITLE, text, buttons, safe=STAY) == SAVE


def confirm_delete(parent: QWidget, entity: fields.EntitySpec, name: str) -> bool:
    """True when the clerk confirms moving a record to the recycle bin."""
    text = messages.DELETE_TEXT.format(label=entity.label, name=name)
    return QMessageBox.question(parent, messages.DELETE_TITLE, text) == QMessageBox.StandardButton.Yes


def confirm_and_delete(
    parent: QWidget,
    data_file,
    entity: fields.EntitySpec,
    record_id: int,
    name: str,
    seen_version=None,
    on_deleted: Callable[[], None] | None = None,
) -> None:
    """Ask, then move one record to the recycle bin (from a server off the GUI thread); then
    `on_deleted()`, or the sentence saying why not. `seen_version`: the version the clerk looked at
    (another clerk's later save is not deleted unseen)."""
    if not confirm_delete(parent, entity, name):
        return

    def answered(refusal) -> None:
        if isinstance(refusal, Exception):
            raise refusal  # delete_refusal answers every refusal of the store: this is a defect
        if refusal is not None:
            QMessageBox.warning(parent, messages.DELETE_TITLE, refusal)
        elif on_deleted is not None:
            on_deleted()

    tasks.call(
        data_file,
        lambda: delete_refusal(data_file, entity, record_id, seen_version),
        answered,
        receiver=parent,
        description=f"deleting {entity.table}",
    )


def delete_refusal(data_file, entity: fields.EntitySpec, record_id: int, seen_version=None) -> str | None:
    """Move one record to the recycle bin; None when done, else the sentence saying why not."""
    return _refusal(
        data_file,
        lambda session: records.delete_record(session, entity, record_id, seen_version=seen_version),
        f"deleting {entity.table} {record_id}",
    )


def restore_refusal(data_file, entity: fields.EntitySpec, record_id: int) -> str | None:
    """Bring one record back from the recycle bin; None when done, else the sentence saying why not."""
    return _refusal(
        data_file,
        lambda session: records.restore_record(session, entity, record_id),
        f"restoring {entity.table} {record_id}",
    )


def _refusal(data_file, write: Callable, description: str) -> str | None:
    """`write(session)` in one write transaction; None when done, else the sentence saying why not
    (a server gone away mid-way says so: nothing of it was written)."""
    try:
        with data_file.writer() as session:
            write(session)
    except (ValidationFailed, RecordChangedError, DataFileError) as exc:
        return str(exc)
    except SQLAlchemyError as exc:
        log.exception("%s failed", description)
        lost = connection_lost(exc, data_file.display_name)
        return str(lost) if lost is not None else messages.WRITE_FAILED
    return None


def output_refused(parent: QWidget, title: str, target: Path, data_file) -> bool:
    """True (after saying why) when `target` is the open data file, its journal or lock, or a folder."""
    try:
        outputs.check_output(target, file_of(data_file))
    except outputs.OutputRefused as exc:
        QMessageBox.warning(parent, title, str(exc))
        return True
    return False
