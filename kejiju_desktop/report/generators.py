"""Which function writes the generated sentences of each default section."""

from __future__ import annotations

from collections.abc import Callable

from kejiju_desktop.report import sections, sections_results
from kejiju_desktop.report.document import Para
from kejiju_desktop.report.facts import Facts

GENERATORS: dict[str, Callable[[Facts], list[Para]]] = {
    "intro": sections.intro,
    "carriers": sections.carriers,
    "projects": sections.projects,
    "awards": sections_results.awards,
    "ip": sections_results.intellectual_property,
    "events": sections_results.events,
    "agri": sections.agriculture,
}
