"""Foundation figures: building the synthetic file and computing one year's statistics."""

from __future__ import annotations

import time

from db.database import open_data_file
from kejiju_desktop.services import stats


def data_group(ctx) -> dict[str, tuple[float, str]]:
    path = ctx.data_file()
    data = open_data_file(path, read_only=True)
    try:
        timings = []
        for _ in range(5):
            with data.sessions() as session:
                start = time.perf_counter()
                stats.year_figures(session, 2012)
                timings.append(time.perf_counter() - start)
    finally:
        data.close()
    timings.sort()
    return {"stats_year_s": (timings[len(timings) // 2], "s")}


GROUPS = {"data": data_group}
FIGURES = {"stats_year_s": "data"}
