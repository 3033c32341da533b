"""数据 menu entries for Excel: export the current tab (with its filter), a blank template, the import wizard."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QInputDialog, QMessageBox

from db.database import DataFileError
from kejiju_desktop import fields
from kejiju_desktop.services import records
from kejiju_desktop.services.exchange import export
from ui import file_dialogs, messages, prompts, tasks
from ui.dialogs.import_wizard import ImportWizard
from ui.stores import file_of


def install(window) -> None:
    """Add the three Excel entries to the 数据 menu of the main window."""
    menu = window.menu(messages.MENU_DATA)
    menu.addSeparator()
    actions = (
        menu.addAction(messages.ACT_EXPORT_EXCEL),
        menu.addAction(messages.ACT_EXPORT_TEMPLATE),
        menu.addAction(messages.ACT_IMPORT_EXCEL),
    )
    actions[0].triggered.connect(lambda: export_current(window))
    actions[1].triggered.connect(lambda: export_template(window))
    actions[2].triggered.connect(lambda: open_import_wizard(window))
    window.exchange_actions = actions


def _pick_entity(window, *, ask: bool) -> fields.EntitySpec | None:
    entity = window.current_entity()
    if entity is not None or not ask:
        return entity
    labels = [e.label for e in fields.ENTITIES.values()]
    label, ok = QInputDialog.getItem(
        window, messages.EXCEL_PICK_TABLE_TITLE, messages.EXCEL_PICK_TABLE, labels, 0, False
    )
    return next((e for e in fields.ENTITIES.values() if e.label == label), None) if ok else None


def _save_path(window, title: str, suggested: str) -> Path | None:
    opened = file_of(window.data_file)
    folder = opened.parent if opened is not None else Path.home()
    path = file_dialogs.ask_save_path(
        window, file_dialogs.SPREADSHEETS, title, folder / suggested, messages.EXCEL_SAVE_FILTER
    )
    if not path:
        return None
    path = Path(path)
    path = path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")
    return None if prompts.output_refused(window, title, path, window.data_file) else path


def _has_file(window) -> bool:
    if window.data_file is None:
        QMessageBox.information(window, messages.MENU_DATA, messages.NO_FILE)
        return False
    return True


def export_current(window) -> None:
    """Export the current tab's rows, filtered as the tab shows them."""
    if not _has_file(window):
        return
    from_tab = window.current_entity() is not None
    entity = _pick_entity(window, ask=True)
    if entity is None:
        return
    query = window.current_query() if from_tab else records.Query()
    path = _save_path(
        window, messages.ACT_EXPORT_EXCEL, messages.EXCEL_EXPORT_NAME.format(label=entity.label)
    )
    if path is None:
        return
    sessions = window.data_file.sessions

    def work():
        with sessions() as session:
            return (yield from export.iter_export(session, entity, path, query))

    def done(outcome) -> None:
        if isinstance(outcome, BaseException):
            QMessageBox.warning(
                window, messages.ACT_EXPORT_EXCEL, messages.EXCEL_FAILED.format(reason=_reason(outcome))
            )
        else:
            text = messages.EXCEL_EXPORTED.format(n=outcome.count, label=entity.label, path=path)
            QMessageBox.information(
                window, messages.ACT_EXPORT_EXCEL, "\n".join([text, *export.summary_lines(outcome)])
            )

    window.run_task(messages.EXCEL_TASK_EXPORT, work, done)


def export_template(window) -> None:
    """Write a blank template of the current (or a chosen) table."""
    if not _has_file(window):
        return
    entity = _pick_entity(window, ask=True)
    if entity is None:
        return
    path = _save_path(
        window, messages.ACT_EXPORT_TEMPLATE, messages.EXCEL_TEMPLATE_NAME.format(label=entity.label)
    )
    if path is None:
        return
    data = window.data_file
    tasks.call(  # the choice lists it offers are read from the store: from a server off the GUI thread
        data,
        lambda: _template_written(data, entity, path),
        lambda answer: _on_template_written(window, path, answer),
        receiver=window,
        description=f"writing the template of {entity.table}",
    )


def _template_written(data, entity, path: Path) -> None:
    with data.sessions() as session:
        export.write_template(session, entity, path)


def _on_template_written(window, path: Path, answer) -> None:
    if isinstance(answer, OSError | DataFileError):  # the file not writable; the store busy or gone
        QMessageBox.warning(
            window, messages.ACT_EXPORT_TEMPLATE, messages.EXCEL_FAILED.format(reason=_reason(answer))
        )
    elif isinstance(answer, Exception):
        raise answer  # a defect: the window's error dialog and the log
    else:
        QMessageBox.information(
            window, messages.ACT_EXPORT_TEMPLATE, messages.EXCEL_TEMPLATE_DONE.format(path=path)
        )


def open_import_wizard(window) -> ImportWizard | None:
    """Show the import wizard for the current table; the tabs reload after an import."""
    if not _has_file(window):
        return None
    entity = window.current_entity()
    wizard = ImportWizard(window.data_file, window.run_task, entity.table if entity else None, window)
    wizard.imported.connect(lambda _result: window.refresh())
    window.data_file_changed.connect(wizard.set_data_file)
    wizard.show()
    return wizard


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc) or type(exc).__name__
