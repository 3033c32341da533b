"""The panels that list a record's children beside its form, registered by the child table they show."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kejiju_desktop import fields
from ui.qualification_panel import QualificationPanel

PANELS: dict[str, type[QWidget]] = {fields.QUALIFICATIONS.table: QualificationPanel}


def child_panel(child: fields.ChildSpec, parent: QWidget) -> QWidget:
    """A panel with set_data_file(data_file) and show_parent(record_id or None) for one child spec."""
    return PANELS[child.table](child, parent)
