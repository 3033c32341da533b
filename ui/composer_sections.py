"""The composer's section list and the editor of the selected section: ticks, order, headings, own text."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)  # fmt: skip

from kejiju_desktop.report import compose, facts, generators
from kejiju_desktop.services import drafts
from ui import messages, tasks
from ui.dialogs.indicator_picker import IndicatorPicker

KEY_ROLE = Qt.ItemDataRole.UserRole


class ComposerSections:
    """Mixed into ReportComposer: the list of sections and the editor beside it, each change written at once."""

    def _build_list(self) -> QWidget:
        box = QWidget(self)
        self.section_list = QListWidget(box)
        self.section_list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.section_list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.add_button = QPushButton(messages.ADD_SECTION, box)
        self.remove_button = QPushButton(messages.BTN_REMOVE, box)
        self.up_button = QPushButton(messages.BTN_UP, box)
        self.down_button = QPushButton(messages.BTN_DOWN, box)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(messages.LABEL_SECTIONS, box))
        layout.addWidget(self.section_list, 1)
        layout.addLayout(buttons)
        return box

    def _build_editor(self) -> QWidget:
        box = QWidget(self)
        heading_label = QLabel(messages.LABEL_HEADING, box)
        self.heading_edit = QLineEdit(box)
        self.heading_edit.setPlaceholderText(messages.NO_HEADING)
        self.chart_check = QCheckBox(messages.CHECK_CHART, box)
        self.table_check = QCheckBox(messages.CHECK_TABLE, box)
        self.text_edit = QPlainTextEdit(box)
        self.table_only_note = QLabel(messages.TABLE_ONLY_NOTE, box)
        self.table_only_note.setWordWrap(True)
        options = QHBoxLayout()
        options.addWidget(self.chart_check)
        options.addWidget(self.table_check)
        options.addStretch(1)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading_label)
        layout.addWidget(self.heading_edit)
        layout.addLayout(options)
        layout.addWidget(self.table_only_note)
        text_label = QLabel(messages.LABEL_CLERK_TEXT, box)
        text_label.setWordWrap(True)
        layout.addWidget(text_label)
        layout.addLayout(self._build_text_tools(box))
        layout.addWidget(self.text_edit, 1)
        layout.addStretch(0)  # the room the hidden text box leaves, for a section of a table alone
        # What a section of a table alone has no use for: hidden while one is selected.
        self._text_widgets = (heading_label, self.heading_edit, text_label, self.insert_button,
                              self.copy_previous_button, self.text_edit)  # fmt: skip
        return box

    def _build_text_tools(self, box: QWidget) -> QHBoxLayout:
        self.insert_button = QPushButton(messages.ACT_INSERT_FIELD, box)
        self.insert_button.setToolTip(messages.TIP_INSERT_FIELD)
        self.copy_previous_button = QPushButton(messages.ACT_COPY_PREVIOUS, box)
        self.copy_previous_button.setToolTip(messages.TIP_COPY_PREVIOUS)
        row = QHBoxLayout()
        row.addWidget(self.insert_button)
        row.addWidget(self.copy_previous_button)
        row.addStretch(1)
        return row

    # --- writing the draft -----------------------------------------------------------------------

    def _write(self, action, then=None) -> None:
        """`action(session)` in a write transaction of its own, then `then()`. From a server off the GUI
        thread, one after another in the order asked: a clerk's edits never overtake each other."""
        if not self.writable:
            return
        self._draft_writes.append((self._data, action, then))
        if len(self._draft_writes) == 1:
            self._send_write()

    def _send_write(self) -> None:
        data, action, _then = self._draft_writes[0]
        tasks.call(
            data,
            lambda: _written(data, action),
            self._on_draft_written,
            receiver=self,
            description="saving the report draft",
        )

    def _on_draft_written(self, answer) -> None:
        _data, _action, then = self._draft_writes.pop(0)
        if isinstance(answer, Exception):  # the clerk is told; the traceback is in the log
            QMessageBox.warning(self, messages.PANE_TITLE, messages.REPORT_SAVE_FAILED.format(reason=answer))
        elif then is not None:
            then()
        if self._draft_writes and not self.still_open(self._draft_writes[0][0]):
            self._draft_writes.clear()  # the window has closed the store meanwhile
        if self._draft_writes:
            self._send_write()
        else:
            waiting, self._after_writes = self._after_writes, []
            for written in waiting:
                written()

    def after_writes(self, then) -> None:
        """`then()` once the draft's writes asked so far are done (now, when none is on its way)."""
        if self._draft_writes:
            self._after_writes.append(then)
        else:
            then()

    def save_pending(self) -> None:
        """Write the heading and text being edited to the file (also called before export and on close)."""
        behind = self._save_timer.isActive()  # the preview waits for the same timer: it follows now
        self._save_timer.stop()
        if behind and self._current_key() == getattr(self, "_editing_key", None):
            self._refresh_preview()
        state = self._state(getattr(self, "_editing_key", None))
        if state is None or not self.writable:
            return
        heading, text = self.heading_edit.text().strip(), self.text_edit.toPlainText()
        if (heading, text) == (state.heading, state.clerk_text):
            return
        year, key = self._draft.year, state.key  # the year box may show the next year already

        def written() -> None:
            state.heading, state.clerk_text = heading, text
            self._offer_previous_text()
            item = self._list_item(key)  # (None when another year is shown since)
            if state.custom:
                state.label = heading
            if state.custom and item is not None:
                item.setText(heading)

        self._write(lambda s: drafts.update_section(s, year, key, heading=heading, clerk_text=text), written)

    def _list_item(self, key: str) -> QListWidgetItem | None:
        for i in range(self.section_list.count()):
            if self.section_list.item(i).data(KEY_ROLE) == key:
                return self.section_list.item(i)
        return None

    def _on_title_edit_editing_finished(self) -> None:
        if self._draft is None or self.title_edit.text().strip() == self._draft.title:
            return
        title, year = self.title_edit.text().strip(), self.year()
        draft = self._draft
        self._write(
            lambda s: drafts.update_draft(s, year, title=title), lambda: setattr(draft, "title", title)
        )

    def _on_section_list_item_changed(self, item: QListWidgetItem) -> None:
        state = self._state(item.data(KEY_ROLE))
        enabled = item.checkState() == Qt.CheckState.Checked
        if self._loading or state is None or state.enabled == enabled:
            return
        year = self.year()
        self._write(
            lambda s: drafts.update_section(s, year, state.key, enabled=enabled),
            lambda: setattr(state, "enabled", enabled),
        )

    def _on_section_rows_moved(self, *_args) -> None:
        self._save_order()

    def _save_order(self) -> None:
        keys, year = self.section_keys(), self.year()
        draft, order = self._draft, {key: i for i, key in enumerate(keys)}
        self._write(
            lambda s: drafts.set_order(s, year, keys),
            lambda: draft.sections.sort(key=lambda st: order.get(st.key, len(order))),
        )

    def move_current(self, delta: int) -> None:
        """Move the selected section up (-1) or down (+1)."""
        row = self.section_list.currentRow()
        target = row + delta
        if row < 0 or not 0 <= target < self.section_list.count():
            return
        self._loading = True
        item = self.section_list.takeItem(row)
        self.section_list.insertItem(target, item)
        self._loading = False
        self.section_list.setCurrentRow(target)
        self._save_order()

    def _on_add_button_clicked(self) -> None:
        heading, ok = QInputDialog.getText(
            self, messages.ADD_SECTION, messages.ADD_PROMPT, text=messages.NEW_SECTION
        )
        if ok and heading.strip():
            self.add_section(heading.strip())

    def add_section(self, heading: str) -> None:
        """Add a section of the clerk's text alone at the end and select it."""
        self.save_pending()
        year, added = self.year(), []
        self._write(
            lambda s: added.append(drafts.add_section(s, year, heading)),
            lambda: self._load_draft(
                then=lambda: self.section_list.setCurrentItem(self._list_item(added[0]))
            ),
        )

    def _on_remove_button_clicked(self) -> None:
        state = self._state(self._current_key())
        if state is None or not state.custom:
            return
        year = self.year()

        def removed() -> None:
            self._editing_key = None
            self._load_draft()

        self._write(lambda s: drafts.remove_section(s, year, state.key), removed)

    def _on_option_toggled(self, _checked: bool) -> None:
        state = self._state(self._current_key())
        if self._loading or state is None:
            return
        chart, table, year = self.chart_check.isChecked(), self.table_check.isChecked(), self.year()

        def written() -> None:
            state.with_chart, state.with_table = chart, table
            self._refresh_preview()

        self._write(
            lambda s: drafts.update_section(s, year, state.key, with_chart=chart, with_table=table), written
        )

    def _on_text_edit_text_changed(self) -> None:
        if not self._loading:
            self._save_timer.start()

    # --- the selected section and its preview ----------------------------------------------------

    def _current_key(self) -> str | None:
        item = self.section_list.currentItem()
        return item.data(KEY_ROLE) if item is not None else None

    def _on_section_list_current_item_changed(self, current, _previous) -> None:
        self.save_pending()
        self._show_section(self._state(current.data(KEY_ROLE)) if current is not None else None)

    def _show_section(self, state: drafts.SectionState | None) -> None:
        self._loading = True
        self._editing_key = state.key if state else None
        definition = state.definition if state else None
        self.heading_edit.setText(state.heading if state else "")
        self.text_edit.setPlainText(state.clerk_text if state else "")
        self.chart_check.setChecked(bool(state and state.with_chart))
        self.table_check.setChecked(bool(state and state.with_table))
        self.chart_check.setVisible(bool(definition and definition.chart_available))
        self.table_check.setVisible(bool(definition and definition.table_available))
        table_only = table_alone(definition)
        for widget in self._text_widgets:
            widget.setVisible(not table_only)
        self.table_only_note.setVisible(table_only)
        self.remove_button.setEnabled(bool(state and state.custom and self.writable))
        self._loading = False
        self._refresh_preview()

    def _refresh_preview(self) -> None:
        state = self._state(self._current_key())
        if self._data is None or state is None:
            self.preview_panel.show_message(messages.PREVIEW_NO_FILE if self._data is None else "")
            return
        counted = self._facts_for(self.year())
        if counted is None:
            self.preview_panel.show_message(messages.PREVIEW_COUNTING.format(year=self.year()))
            return
        shown = self._as_typed(state)
        self.preview_panel.build_and_show(lambda: compose.build_section(counted, shown))

    def _as_typed(self, state: drafts.SectionState) -> drafts.SectionState:
        """A copy of the section with the heading and text as typed so far (saved or not)."""
        if state.key != getattr(self, "_editing_key", None):
            return dataclasses.replace(state)
        heading, text = self.heading_edit.text().strip(), self.text_edit.toPlainText()
        return dataclasses.replace(state, heading=heading, clerk_text=text)

    def preview_text(self) -> str:
        """The preview's plain text (what the generated sentences say now)."""
        return self.preview_panel.text()

    # --- live fields, last year's text, the signature date ----------------------------------------

    def _on_insert_button_clicked(self) -> None:
        if self._state(getattr(self, "_editing_key", None)) is not None and self.writable:
            self._with_facts(self.year(), self._open_picker)

    def _open_picker(self, counted: facts.Facts | Exception) -> None:
        if isinstance(counted, Exception) or counted.year != self.year():
            return  # the clerk has moved to another year while it was counted
        self.picker = IndicatorPicker(list(counted.indicators.values()), counted.year, self)
        self.picker.field_chosen.connect(self.insert_field)
        self.picker.finished.connect(self.picker.deleteLater)
        self.picker.open()

    def insert_field(self, field: str) -> None:
        """Put a live field such as 【专利申请量·同比】 at the text box's cursor."""
        self.text_edit.insertPlainText(field)
        self.text_edit.setFocus()

    def _offer_previous_text(self) -> None:
        """沿用上年文字 while this year's draft has no text of the clerk's and last year's has."""
        fresh = self._draft is not None and not drafts.has_clerk_text(self._draft)
        self.copy_previous_button.setEnabled(self.writable and fresh and self._previous_text)

    def _on_copy_previous_button_clicked(self) -> None:
        year = self.year()
        text = messages.COPY_PREVIOUS_ASK.format(previous=year - 1, year=year)
        if QMessageBox.question(self, messages.ACT_COPY_PREVIOUS, text) != QMessageBox.StandardButton.Yes:
            return
        self.save_pending()
        key = self._current_key()

        def reselect() -> None:
            if key is not None:
                self.section_list.setCurrentItem(self._list_item(key))

        self._write(lambda s: drafts.copy_previous_text(s, year), lambda: self._load_draft(then=reselect))

    def _on_signature_field_date_changed(self, day) -> None:
        year = self.year()
        draft = self._draft
        if draft is not None:
            self._write(
                lambda s: drafts.update_draft(s, year, issued_on=day),
                lambda: setattr(draft, "issued_on", day),
            )


def table_alone(definition: drafts.SectionDef | None) -> bool:
    """A section that is a table alone (the 附件 of indicators): no heading, no sentences, no text of its own."""
    return bool(definition and definition.table_available and not definition.heading
                and definition.key not in generators.GENERATORS)  # fmt: skip


def _written(data, action) -> None:
    with data.writer() as session:
        action(session)
