"""The main window: menus, toolbar, the five editor tabs, panes of extensions, status bar."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QSize, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QMainWindow,
    QMenu,
    QMessageBox,
    QStyle,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from kejiju_desktop import APP_NAME, __version__, fields
from ui import dialog_titles, messages, prompts
from ui.app_settings import AppSettings
from ui.dialogs import history_dialog
from ui.dialogs.users_dialog import UsersAction
from ui.entity_tab import EntityTab
from ui.tasks import TaskRunner
from ui.window_edits import STATUS_MS, WindowEdits
from ui.window_files import WindowFiles
from ui.window_server import WindowServer
from ui.window_status import WindowStatus
from ui.workbench_tab import KEY as WORKBENCH
from ui.workbench_tab import WorkbenchTab, open_item

log = logging.getLogger(__name__)
PREFERRED_SIZE = QSize(1280, 800)
# The title bar and borders the window manager adds lie outside the window's own size
# (Windows 10 at 100 %: 31 + 8 px; openbox: 22 + 4 px): the first size leaves room for them.
FRAME_ALLOWANCE = QSize(16, 40)


def first_size(available: QSize) -> QSize:
    """The preferred size, smaller where the screen's free area (without the taskbar) cannot hold it framed."""
    return PREFERRED_SIZE.boundedTo(available - FRAME_ALLOWANCE)


class MainWindow(WindowFiles, WindowServer, WindowEdits, QMainWindow):
    """Where clerks spend their day; extensions add menu actions and panes through its hooks."""

    data_file_changed = Signal(object)
    figures_changed = Signal()  # records, 年度目标 or 设置 changed: what counts them counts again

    def __init__(self, *, screenshot: bool = False, defer_extensions: bool = False, parent=None):
        super().__init__(parent)
        self.screenshot_mode = screenshot
        self.data_file = None
        self.before_upgrade: Callable[[Path], None] | None = None  # e.g. a backup, set by an extension
        # Set by the entry (ui/app.py): a file with no 操作员 asks for one. Tests and screenshots never stop for it.
        self.asks_operator = False
        self.settings = AppSettings()
        dialog_titles.fit_every_dialog()
        self.tasks = TaskRunner(self)
        self._menus: dict[str, QMenu] = {}
        self._tabs: dict[str, EntityTab] = {}
        self._pages: dict[str, QWidget] = {}
        self._panes: dict[str, QWidget] = {}
        self._tab_tools: list[QAction] = []  # buttons every editor tab shows beside its filters
        self._file_to_announce = False
        self.last_deleted: tuple[EntityTab, int] | None = None  # what 撤销删除 brings back
        self._after_paint_scheduled = False
        self._build_ui()
        self._connect_signals()
        # At start-up the extensions may wait until the window has painted (a quicker first sight);
        # they are installed at once when a file needing an upgrade must first be backed up.
        self._extensions_pending = True
        self._wanted_pane = ""
        if not defer_extensions:
            self._install_extensions()
        self._update_title()
        self._update_actions()

    # --- building --------------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.resize(first_size(self.screen().availableGeometry().size()))
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self.tab_widget = QTabWidget(self)
        self.tab_widget.setDocumentMode(True)
        for table in fields.TAB_TABLES:
            page = QWidget(self.tab_widget)
            QVBoxLayout(page).setContentsMargins(0, 0, 0, 0)
            self._pages[table] = page
            self.tab_widget.addTab(page, fields.ENTITIES[table].label)
        self.workbench = WorkbenchTab(self.tab_widget)  # the first tab: what needs the clerk today
        self._panes[WORKBENCH] = self.workbench
        self.tab_widget.insertTab(0, self.workbench, messages.WORKBENCH_TAB)
        self.tab_widget.setCurrentIndex(0)
        self.setCentralWidget(self.tab_widget)
        self.status = WindowStatus(self.statusBar())

    def _action(self, text: str, slot, shortcut=None, icon=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        sp, keys, on_tab = QStyle.StandardPixmap, QKeySequence.StandardKey, self._on_current_tab
        self.act_new_file = self._action(messages.ACT_NEW_FILE, self.new_data_file)
        self.act_open = self._action(messages.ACT_OPEN, self.choose_file, keys.Open, sp.SP_DialogOpenButton)
        self.act_connect = self._action(messages.ACT_CONNECT, lambda: self.connect_server())
        self.act_users = UsersAction(self)  # enabled for a server's 管理员 only
        self.act_quit = self._action(messages.ACT_QUIT, self.close, "Ctrl+Q")
        self.act_new = self._action(messages.ACT_NEW, on_tab(EntityTab.new_record), keys.New, sp.SP_FileIcon)
        save = on_tab(lambda tab: tab.form.can_save() and tab.form.save())
        self.act_save = self._action(messages.ACT_SAVE, save, keys.Save, sp.SP_DialogSaveButton)
        delete = on_tab(EntityTab.delete_current)
        self.act_delete = self._action(messages.ACT_DELETE, delete, keys.Delete, sp.SP_TrashIcon)
        self.act_cancel = self._action(messages.ACT_CANCEL, on_tab(lambda tab: tab.form.revert()))
        self.act_undo_delete = self._action(messages.ACT_UNDO_DELETE, self.undo_delete, keys.Undo)
        self.act_recycle = self._action(messages.ACT_RECYCLE, self.show_recycle_bin)
        self.act_find = self._action(messages.ACT_FIND, on_tab(EntityTab.focus_search), keys.Find)
        history = on_tab(history_dialog.show_for_tab)  # the tabs' 历史记录 buttons do the same
        self.act_history = self._action(messages.ACT_HISTORY_MENU, history, messages.SHORTCUT_HISTORY)
        self.act_refresh = self._action(messages.ACT_REFRESH, self.refresh, keys.Refresh, sp.SP_BrowserReload)
        self.act_about = self._action(messages.ACT_ABOUT, self.show_about)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        for name in messages.MENU_NAMES:
            self._menus[name] = bar.addMenu(name)
        file_menu = self._menus[messages.MENU_FILE]
        file_menu.addActions([self.act_new_file, self.act_open, self.act_connect, self.act_users])
        file_menu.setToolTipsVisible(True)  # 用户管理…'s tip says why it is disabled
        self.recent_menu = file_menu.addMenu(messages.ACT_RECENT)
        file_menu.addSeparator()
        self.quit_separator = file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        edit_menu = self._menus[messages.MENU_EDIT]
        edit_menu.addActions(
            [self.act_new, self.act_save, self.act_delete, self.act_undo_delete, self.act_cancel]
        )
        edit_menu.addSeparator()
        edit_menu.addActions([self.act_find, self.act_history, self.act_recycle])
        self._menus[messages.MENU_DATA].addAction(self.act_refresh)
        self._menus[messages.MENU_HELP].addAction(self.act_about)

    def _build_toolbar(self) -> None:
        toolbar = QToolBar(messages.TOOLBAR, self)
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(toolbar.toolButtonStyle().ToolButtonTextBesideIcon)
        toolbar.addActions([self.act_open, self.act_new, self.act_save, self.act_delete, self.act_refresh])
        self.addToolBar(toolbar)
        self.toolbar = toolbar

    def _connect_signals(self) -> None:
        self.tab_widget.tabBar().installEventFilter(self)
        self.tab_widget.currentChanged.connect(self._on_tab_widget_current_changed)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.menu(messages.MENU_FILE).aboutToShow.connect(self.act_users.ask_again)
        self.workbench.item_opened.connect(lambda item: open_item(self, item))

    def _install_extensions(self) -> None:
        # Imported here, after the first paint: the extensions' modules take about 90 ms to import.
        from ui import extensions

        self._extensions_pending = False
        failed = False
        for install in extensions.EXTENSIONS:
            # A broken extension is logged and skipped: one faulty module never keeps the window from opening.
            try:
                install(self)
            except Exception:  # noqa: BLE001 - see above
                log.exception("extension %s.%s failed to install", install.__module__, install.__qualname__)
                failed = True
        if failed:
            self.statusBar().showMessage(messages.EXTENSION_FAILED)
        if self._wanted_pane:
            self.select_tab(self._wanted_pane)

    # --- extension hooks -----------------------------------------------------------------------------

    def menu(self, name: str) -> QMenu:
        """The menu 文件, 编辑, 数据, 报告 or 帮助, for extensions to add actions to."""
        return self._menus[name]

    def add_file_action(self, action: QAction) -> None:
        """Put an action in 文件 above 退出 (copy, merge, backup…)."""
        self._menus[messages.MENU_FILE].insertAction(self.quit_separator, action)

    def add_pane(self, key: str, widget: QWidget, title: str) -> None:
        """A pane beside the five editor tabs (e.g. the report composer, key "report")."""
        self._panes[key] = widget
        self.tab_widget.addTab(widget, title)

    def add_tab_tool(self, action: QAction) -> None:
        """A button for `action` beside the filters of every editor tab (导出列表, 打印列表…)."""
        self._tab_tools.append(action)
        for tab in self._tabs.values():
            tab.add_tool(action)

    def pane(self, key: str) -> QWidget | None:
        """A pane added by an extension, or None."""
        return self._panes.get(key)

    def page(self, name: str) -> QWidget | None:
        """The page of an editor tab (by table name) or of a pane (by key), or None."""
        return self._pages.get(name) or self._panes.get(name)

    def built_tabs(self) -> list[EntityTab]:
        """The editor tabs built so far (each is built when first shown)."""
        return list(self._tabs.values())

    def extensions_installed(self) -> bool:
        return not self._extensions_pending

    def select_tab(self, name: str) -> bool:
        """Show an editor tab (by table name) or a pane (by key)."""
        widget = self._pages.get(name) or self._panes.get(name)
        if widget is None:
            self._wanted_pane = name if self._extensions_pending else ""
            return False
        self.tab_widget.setCurrentWidget(widget)
        if name in self._pages:
            self.entity_tab(name)
        return True

    def current_entity(self) -> fields.EntitySpec | None:
        tab = self.current_tab()
        return tab.entity if tab is not None else None

    def current_query(self):
        tab = self.current_tab()
        return tab.query() if tab is not None else None

    def refresh(self) -> None:
        """Read every built tab again (data changed outside them, e.g. an import or a merge)."""
        self._prepare_search()
        for tab in self._tabs.values():
            tab.refresh()
        self.recount()
        self._update_counts()

    def recount(self) -> None:
        """The 工作台 and the panes that count the records (the composer) count again."""
        self.workbench.mark_stale()
        self.figures_changed.emit()

    def run_task(self, title: str, generator_factory: Callable, on_done: Callable, cancellable: bool = True):
        """Run a core generator yielding (done, total) off the GUI thread with a progress dialog."""
        self.tasks.run(title, generator_factory, on_done, cancellable)

    # --- tabs ------------------------------------------------------------------------------------------

    def entity_tab(self, table: str) -> EntityTab:
        """The editor tab of a table, built the first time it is shown."""
        tab = self._tabs.get(table)
        if tab is None:
            page = self._pages[table]
            tab = EntityTab(fields.ENTITIES[table], page)
            page.layout().addWidget(tab)
            tab.show()  # a layout would show it only on the next turn of the event loop
            tab.counts_changed.connect(self._update_counts)
            tab.records_changed.connect(self._on_records_changed)
            tab.form.state_changed.connect(self._update_actions)
            tab.form.saved.connect(lambda _id: self.statusBar().showMessage(messages.STATUS_SAVED, STATUS_MS))
            tab.form.deleted.connect(lambda record_id, tab=tab: self._on_form_deleted(tab, record_id))
            self._tabs[table] = tab
            for action in self._tab_tools:
                tab.add_tool(action)
            tab.set_data_file(self.data_file)
        return tab

    def current_tab(self) -> EntityTab | None:
        page = self.tab_widget.currentWidget()
        for table, candidate in self._pages.items():
            if candidate is page:
                return self.entity_tab(table)
        return None

    def _on_tab_widget_current_changed(self, _index: int) -> None:
        self.current_tab()
        self.show_changes_of_tab()
        self._update_counts()
        self._update_actions()

    def _on_records_changed(self) -> None:
        # Other tabs show unit names and may list what was just changed: read them again.
        sender = self.sender()
        for tab in self._tabs.values():
            if tab is not sender:
                tab.refresh()
        self.recount()
        self._update_counts()

    # --- opening (the rest of a file's opening is in WindowFiles) -----------------------------------

    def _announce_file(self, emit: bool = True) -> None:
        if self.data_file is None:
            return
        if emit:
            self.data_file_changed.emit(self.data_file)
        if self.data_file.notices and not self.screenshot_mode:
            QMessageBox.information(self, messages.NOTICE_TITLE, "\n\n".join(self.data_file.notices))

    def eventFilter(self, watched, event) -> bool:
        # The tab bar paints with the rest of the window: the window is on screen, filled.
        due = self._file_to_announce or self._extensions_pending
        if event.type() == QEvent.Type.Paint and due and not self._after_paint_scheduled:
            self._after_paint_scheduled = True
            QTimer.singleShot(0, self._after_first_paint)
        return super().eventFilter(watched, event)

    def _after_first_paint(self) -> None:
        """The opening work that can wait until the clerk sees the window."""
        installing = self._extensions_pending
        if installing:
            self._install_extensions()  # they take the open file from window.data_file
        if self._file_to_announce:
            self._file_to_announce = False
            self._announce_file(emit=not installing)
        self._after_paint_scheduled = False

    # --- editing ------------------------------------------------------------------------------------------

    def _on_current_tab(self, act: Callable[[EntityTab], object]) -> Callable[[], None]:
        """A slot doing `act` on the editor tab shown (nothing on a pane)."""

        def slot() -> None:
            tab = self.current_tab()
            if tab is not None:
                act(tab)

        return slot

    def show_about(self) -> None:
        QMessageBox.about(
            self, messages.ABOUT_TITLE, messages.ABOUT_TEXT.format(app=APP_NAME, version=__version__)
        )

    def confirm_leave_all(self) -> bool:
        """Ask about unsaved changes in every tab; False when the clerk chose to stay.

        Every tab is asked before any is saved or discarded: 取消 at the second keeps the first's edit.
        """
        answers = {}
        for table, tab in self._tabs.items():
            if tab.form.is_dirty():
                self.select_tab(table)
                answers[tab] = prompts.ask_unsaved(tab.form, tab.entity)
                if answers[tab] == prompts.STAY:
                    return False
        if not all(tab.form.save() for tab, answer in answers.items() if answer == prompts.SAVE):
            return False  # the form says why; nothing has been discarded
        for tab, answer in answers.items():
            if answer == prompts.DISCARD:
                tab.form.revert()
        return True

    # --- status -------------------------------------------------------------------------------------------

    def _update_title(self) -> None:
        self.status.show_file(self.data_file)
        if self.data_file is None:
            self.setWindowTitle(messages.TITLE_NONE)
            return
        title = messages.TITLE.format(name=self.data_file.display_name)
        self.setWindowTitle(title + (messages.TITLE_READ_ONLY if self.data_file.read_only else ""))

    def _update_counts(self) -> None:
        tab = self._tabs.get(self._current_table() or "")
        self.status.show_counts(tab.model if tab is not None and self.data_file is not None else None)

    def _current_table(self) -> str | None:
        page = self.tab_widget.currentWidget()
        return next((t for t, p in self._pages.items() if p is page), None)

    def _current_key(self) -> str:
        """The table name of the editor tab shown, or the key of the pane shown."""
        page = self.tab_widget.currentWidget()
        named = {**self._pages, **self._panes}
        return next((key for key, widget in named.items() if widget is page), "")

    def _update_actions(self) -> None:
        tab = self._tabs.get(self._current_table() or "")
        writable = self.data_file is not None and not self.data_file.read_only
        self.act_new.setEnabled(writable and tab is not None)
        self.act_save.setEnabled(tab is not None and tab.form.can_save())
        self.act_delete.setEnabled(writable and tab is not None and tab.form.record_id is not None)
        self.act_cancel.setEnabled(tab is not None and tab.form.is_dirty())
        self.act_recycle.setEnabled(self.data_file is not None)
        self.act_history.setEnabled(self.data_file is not None and tab is not None)
        self.act_undo_delete.setEnabled(writable and self.last_deleted is not None)
        self.act_users.follow(self.data_file)

    def _warn(self, title: str, text: str) -> None:
        if self.screenshot_mode:  # off screen no one could close the box: the terminal hears it instead
            print(text, file=sys.stderr)
            return
        QMessageBox.warning(self, title, text)

    # --- closing ------------------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.confirm_leave_all():
            event.ignore()
            return
        self.end_session()
        event.accept()

    def end_session(self) -> None:
        """Keep the window's place and close the data file cleanly, without asking (SIGTERM, logoff)."""
        if any(tab.form.is_dirty() for tab in self.built_tabs()):
            log.warning("the session ended with unsaved edits in a form; they are lost")
        if not self.screenshot_mode:
            self.settings.save_window(self.saveGeometry(), self._current_key())
        self.close_file()

    def restore_from_settings(self) -> None:
        """Window size and place and the last tab, as the clerk left them."""
        geometry, last_tab = self.settings.window()
        if geometry is not None:
            self.restoreGeometry(geometry)
        if last_tab:
            self.select_tab(last_tab)
