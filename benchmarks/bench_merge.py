"""Merge figure: two county-scale files sharing 90% of their records, 10% of those edited on the other side."""

from __future__ import annotations

import sqlite3
import time
import uuid
from pathlib import Path

from db import portable
from db.database import open_data_file
from kejiju_desktop.services.portability import merge as merge_service

TABLES = ("enterprises", "qualifications", "projects", "patents", "awards", "events")
# Columns made different in records only the other office has, so they are new there, not duplicates.
RENAMED = {
    "enterprises": ("name", "credit_code"),
    "projects": ("name", "code"),
    "patents": ("title", "app_no"),
    "awards": ("title",),
    "events": ("name",),
    "qualifications": (),
}
EDITED_AT = "2014-03-01 10:00:00.000000"


def _prepare(base: Path, folder: Path) -> tuple[Path, Path]:
    ours, theirs = folder / "本科室.kjdb", folder / "乙科室.kjdb"
    portable.copy_consistent(base, ours, overwrite=True)
    portable.copy_consistent(base, theirs, overwrite=True)
    their_office = str(uuid.uuid4())
    conn = sqlite3.connect(theirs)
    conn.execute("UPDATE settings SET value=? WHERE key='office_id'", (their_office,))
    for table in TABLES:
        _diverge(conn, table)
    conn.commit()
    conn.close()
    # The offices merged before: ours remembers the other's state as of the shared base.
    conn = sqlite3.connect(ours)
    latest = max(conn.execute(f"SELECT max(updated_at) FROM {t}").fetchone()[0] for t in TABLES)
    conn.execute(
        "INSERT INTO merge_marks(office_id, office_name, their_latest, merged_at) VALUES (?, '乙科室', ?, ?)",
        (their_office, latest, latest),
    )
    conn.commit()
    conn.close()
    return ours, theirs


def _diverge(conn: sqlite3.Connection, table: str) -> None:
    """10% of the rows become the other office's own records; 10% of the shared ones are edited there."""
    sets = ["uid = lower(hex(randomblob(16)))"]
    for column in RENAMED[table]:
        sets.append(f"{column} = CASE WHEN {column} IS NULL THEN NULL ELSE {column} || '乙' END")
    if "credit_code" in RENAMED[table] or "app_no" in RENAMED[table] or "code" in RENAMED[table]:
        key = next(c for c in ("credit_code", "app_no", "code") if c in RENAMED[table])
        sets.append(f"{key} = NULL")
    conn.execute(f"UPDATE {table} SET {', '.join(sets)} WHERE id % 10 = 3")
    conn.execute(f"UPDATE {table} SET note = '乙方修改', updated_at = ? WHERE id % 10 = 7", (EDITED_AT,))


def merge_group(ctx) -> dict[str, tuple[float, str]]:
    ours, theirs = _prepare(ctx.county_file(), ctx.tmp)
    data = open_data_file(ours, take_lock=False)
    try:
        start = time.perf_counter()
        plan = merge_service.plan_files(data, theirs)
        result = merge_service.merge(data, plan)
        elapsed = time.perf_counter() - start
    finally:
        data.close()
    if plan.counts["new"] == 0 or plan.counts["updated"] == 0 or result.total == 0:
        raise RuntimeError(f"merge benchmark did nothing: {plan.counts}")
    return {"merge_s": (elapsed, "s")}


GROUPS = {"merge": merge_group}
FIGURES = {"merge_s": "merge"}
