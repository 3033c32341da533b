"""Charts: the bundled CJK font comes first, every glyph is found, matplotlib.pyplot is never used."""

import sys
import warnings

from kejiju_desktop.report import charts
from kejiju_desktop.report.document import ChartSpec

PNG = b"\x89PNG"


def _spec(title: str) -> ChartSpec:
    return ChartSpec(
        title,
        ["发明专利", "实用新型专利", "外观设计专利"],
        [("2011年", [3, 4, 0]), ("2012年", [5, 2, 1])],
        "件",
    )


def test_bundled_font_is_first_in_font_family_and_system_cjk_follow():
    families = charts.font_families()
    assert families[0] == "Kejiju Chart Sans"
    assert charts.FONT_FILE.is_file() and (charts.FONT_FILE.parent / "OFL.txt").is_file()


def test_chinese_chart_draws_without_any_glyph_missing_warning():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = charts.render_png(_spec("2011—2012年专利申请量（按专利类型）"))
    assert png.startswith(PNG)
    assert not [w for w in caught if "Glyph" in str(w.message)]


def test_character_outside_gb2312_falls_back_to_a_system_font_without_warning():
    if len(charts.font_families()) < 3:
        return  # no system CJK font on this machine: nothing to fall back to
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        charts.render_png(_spec("龘"))
    assert not [w for w in caught if "Glyph" in str(w.message)]


def test_pyplot_is_never_imported():
    charts.render_png(_spec("图"))
    assert "matplotlib.pyplot" not in sys.modules
