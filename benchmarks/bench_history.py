"""历史记录 figure: the history dialog of a record with 200 changes, in a file whose every record has a line."""

from __future__ import annotations

import os
import sqlite3
import statistics
import time
from pathlib import Path

from db import portable
from db.database import open_data_file
from kejiju_desktop import fields
from kejiju_desktop.services import records

CHANGES = 200
RUNS = 7
TABLES = ("enterprises", "qualifications", "projects", "patents", "awards", "events")


def _prepare(base: Path, folder: Path) -> Path:
    """A copy of the synthetic file with a 'create' line for every record (what an import leaves)."""
    path = folder / "history.kjdb"
    portable.copy_consistent(base, path, overwrite=True)
    conn = sqlite3.connect(path)
    for table in TABLES:
        conn.execute(
            "INSERT INTO change_log (table_name, uid, action, at, operator, fields, changes) "
            f"SELECT '{table}', uid, 'create', created_at, '张三', '[]', '' FROM {table}"
        )
    conn.commit()
    conn.close()
    return path


def _edit(data, record_id: int) -> None:
    """CHANGES edits of one project through the save path, each changing three fields."""
    with data.writer() as session:
        for i in range(CHANGES):
            raw = {"funding": str(10 + i), "leader": f"负责人{i}", "note": f"第 {i} 次修改"}
            records.save_record(session, fields.PROJECTS, raw, record_id=record_id, operator="李四")


def history_group(ctx) -> dict[str, tuple[float, str]]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ui.dialogs.history_dialog import HistoryDialog

    app = QApplication.instance() or QApplication([])
    data = open_data_file(_prepare(ctx.data_file(), ctx.tmp), take_lock=False)
    try:
        with data.sessions() as session:
            record_id = records.list_page(session, fields.PROJECTS, records.Query(), 0, 1)[0][0]
        _edit(data, record_id)
        dialog = HistoryDialog(data, fields.PROJECTS, record_id)
        dialog.show()
        app.processEvents()
        timings = []
        for _ in range(RUNS):  # from asking the file to the tree painted
            start = time.perf_counter()
            dialog.reload()
            app.processEvents()
            timings.append((time.perf_counter() - start) * 1000)
        if dialog.tree.topLevelItemCount() != CHANGES + 1:
            raise RuntimeError(f"history shows {dialog.tree.topLevelItemCount()} lines")
        dialog.close()
    finally:
        data.close()
    return {"history_ms": (statistics.median(timings), "ms")}


GROUPS = {"history": history_group}
FIGURES = {"history_ms": "history"}
