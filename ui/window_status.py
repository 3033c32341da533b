"""The main window's status bar: the open file, the tab's record counts, read-only and lock markers."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar

from ui import messages
from ui.stores import file_of


class WindowStatus:
    """Three labels in a status bar, told what to show by the window."""

    def __init__(self, bar: QStatusBar):
        self.path_label = QLabel(messages.STATUS_NO_FILE, bar)
        self.count_label = QLabel("", bar)
        self.marker_label = QLabel("", bar)
        self.marker_label.setStyleSheet("color: #b3261e; font-weight: bold;")
        bar.addWidget(self.path_label, 1)
        bar.addPermanentWidget(self.count_label)
        bar.addPermanentWidget(self.marker_label)

    def show_file(self, data_file) -> None:
        if data_file is None:
            self.path_label.setText(messages.STATUS_NO_FILE)
            self.marker_label.setText("")
            return
        self.path_label.setText(str(file_of(data_file) or data_file.display_name))
        markers = []
        if data_file.read_only:
            markers.append(messages.STATUS_READ_ONLY)
        if getattr(data_file, "lock_holder", None):  # a data file's lock (a server has none)
            markers.append(messages.STATUS_LOCKED)
        self.marker_label.setText(" · ".join(markers))

    def show_counts(self, model) -> None:
        """'共 N 条', or with a filter '共 N 条，筛选出 M 条'; nothing for a pane without records."""
        if model is None:
            self.count_label.setText("")
        elif model.matching_count is None or model.total_count is None:
            self.count_label.setText(messages.STATUS_COUNTING)
        elif model.matching_count == model.total_count:
            self.count_label.setText(messages.STATUS_COUNTS.format(total=model.total_count))
        else:
            text = messages.STATUS_FILTERED.format(total=model.total_count, shown=model.matching_count)
            self.count_label.setText(text)
