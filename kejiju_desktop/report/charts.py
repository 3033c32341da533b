"""Bar charts as PNG, drawn by matplotlib's Agg canvas (never pyplot), with the bundled CJK font first."""

from __future__ import annotations

import io
import os
import sys
import threading
from pathlib import Path

from kejiju_desktop.report import wording
from kejiju_desktop.report.document import ChartSpec

# In the frozen program the resources sit beside the code in sys._MEIPASS.
ROOT = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parents[2]))
FONT_FILE = ROOT / "resources" / "fonts" / "KejijuChartSans-Regular.otf"
FONT_FAMILY = "Kejiju Chart Sans"
# After the bundled subset, for characters outside GB2312 (DESIGN §8): only those installed are named.
SYSTEM_CJK = ("Microsoft YaHei", "SimHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei")
COLOURS = ("#9fb7d5", "#c0392b", "#5d8aa8", "#e67e22")
WIDTH_CM, HEIGHT_CM, DPI = 15.0, 7.5, 200
_lock = threading.Lock()
# matplotlib is not thread-safe (fonts are shared FT2Font objects): one chart at a time, whatever the thread.
_render_lock = threading.Lock()
_families: list[str] | None = None


def _matplotlib():
    """Import matplotlib once, with a persistent config folder, and register the bundled font."""
    global _families
    with _lock:
        if _families is None:
            if "MPLCONFIGDIR" not in os.environ:
                from kejiju_desktop.paths import matplotlib_config_dir

                os.environ["MPLCONFIGDIR"] = str(matplotlib_config_dir())
            from matplotlib import font_manager

            font_manager.fontManager.addfont(str(FONT_FILE))
            installed = {f.name for f in font_manager.fontManager.ttflist}
            _families = [FONT_FAMILY] + [name for name in SYSTEM_CJK if name in installed] + ["DejaVu Sans"]
    import matplotlib

    return matplotlib


def font_families() -> list[str]:
    """The font.family list charts use: the bundled font first, then the system's CJK fonts."""
    _matplotlib()
    return list(_families or [])


def render_png(spec: ChartSpec) -> bytes:
    """The chart as PNG bytes, 15 × 7.5 cm at 200 dpi."""
    matplotlib = _matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rc = {"font.family": font_families(), "font.size": 10, "axes.unicode_minus": False}
    with _render_lock, matplotlib.rc_context(rc):
        figure = Figure(figsize=(WIDTH_CM / 2.54, HEIGHT_CM / 2.54), dpi=DPI)
        FigureCanvasAgg(figure)
        _draw(figure, spec)
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def _draw(figure, spec: ChartSpec) -> None:
    axes = figure.add_subplot()
    count = max(len(spec.series), 1)
    width = 0.8 / count
    positions = range(len(spec.categories))
    for i, (label, values) in enumerate(spec.series):
        offsets = [p - 0.4 + width * (i + 0.5) for p in positions]
        bars = axes.bar(offsets, values, width * 0.92, label=label, color=COLOURS[i % len(COLOURS)])
        axes.bar_label(bars, labels=[_label(v) for v in values], fontsize=8, padding=2)
    axes.set_xticks(list(positions), spec.categories)
    axes.set_title(f"单位：{spec.unit}", loc="left", fontsize=9)
    axes.spines[["top", "right"]].set_visible(False)
    axes.margins(y=0.15)
    if len(spec.series) > 1:
        axes.legend(
            frameon=False, fontsize=9, ncols=len(spec.series), loc="lower right", bbox_to_anchor=(1, 1)
        )
    figure.subplots_adjust(left=0.08, right=0.98, bottom=0.12, top=0.86)


def _label(value: float) -> str:
    return wording.number(value) if value else ""
