"""The 工作台's patents-per-month chart says so when neither year has an application."""

from ui.month_chart import MonthChart


def test_two_empty_years_get_a_sentence_instead_of_an_empty_axis(qtbot):
    chart = MonthChart()
    qtbot.addWidget(chart)
    chart.resize(440, 220)
    chart.set_months(2026, [0] * 12, [0] * 12)
    assert chart.note() == "2025年和2026年都还没有登记专利申请。"
    assert not chart.grab().isNull()  # painted with the sentence
    chart.set_months(2026, [0] * 11 + [3], [0] * 12)
    assert chart.note() is None
