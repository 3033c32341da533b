"""Report drafts in the data file: defaults, order, on/off, headings, the clerk's text, added sections."""

import pytest

from kejiju_desktop.services import drafts
from tests.core.store_helpers import reopened


@pytest.fixture
def data(engine_store):
    """Every test here that takes `data` or `session` runs on a data file and on a PostgreSQL server."""
    return engine_store


def test_new_year_has_the_default_sections_without_writing(data):
    with data.sessions() as s:
        draft = drafts.load_draft(s, 2012)
    assert [x.key for x in draft.sections] == [
        "intro",
        "carriers",
        "projects",
        "awards",
        "ip",
        "events",
        "agri",
        "plans",
        "indicators",
    ]
    assert draft.section("plans").heading == "2013年工作要点"
    assert [x.key for x in draft.sections if x.with_chart] == ["projects", "awards", "ip"]


def test_changes_are_kept_in_the_file_per_year(data):
    with data.sessions.begin() as s:
        drafts.update_section(
            s, 2012, "awards", enabled=False, heading="科技奖励再创佳绩", clerk_text="甲\n乙"
        )
        key = drafts.add_section(s, 2012, "获评先进集体")
        drafts.set_order(s, 2012, [key, "ip"])
    data.close()
    data = reopened(data)
    with data.sessions() as s:
        draft, other_year = drafts.load_draft(s, 2012), drafts.load_draft(s, 2013)
    data.close()
    assert [x.key for x in draft.sections][:3] == [key, "ip", "intro"]
    awards = draft.section("awards")
    assert (awards.enabled, awards.heading, awards.clerk_text) == (False, "科技奖励再创佳绩", "甲\n乙")
    assert draft.section(key).custom and draft.section(key).heading == "获评先进集体"
    assert other_year.section("awards").enabled and other_year.section("awards").clerk_text == ""


def test_only_added_sections_can_be_removed(session):
    key = drafts.add_section(session, 2012, "临时")
    drafts.remove_section(session, 2012, key)
    assert drafts.load_draft(session, 2012).section(key) is None
    with pytest.raises(ValueError):
        drafts.remove_section(session, 2012, "ip")
