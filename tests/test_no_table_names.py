"""Generic modules name no table: what differs between kinds of record is declared in the specs."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TABLE_NAMES = frozenset(
    {"enterprises", "qualifications", "projects", "patents", "awards", "events", "targets", "units"}
)
# The generic modules: every module of these packages, and these files.
GENERIC_PACKAGES = (
    "kejiju_desktop/services/portability",
    "kejiju_desktop/services/exchange",
    "kejiju_desktop/services/records",
    "kejiju_desktop/commands",
    "ui",
    "ui/dialogs",
)
GENERIC_FILES = ("kejiju_desktop/services/checkup.py", "kejiju_desktop/cli.py")
# Generic modules that still test a table by name, until their branches become spec hooks too.
NOT_YET_CLEAN: tuple[str, ...] = ()


def generic_modules() -> list[str]:
    """The generic modules checked, as paths from the project root."""
    found = [
        p.relative_to(ROOT).as_posix() for d in GENERIC_PACKAGES for p in sorted((ROOT / d).glob("*.py"))
    ]
    return [m for m in [*GENERIC_FILES, *found] if m not in NOT_YET_CLEAN]


def table_names_in(source: str) -> list[tuple[int, str]]:
    """(line, literal) for every string literal in the source that is exactly a table name."""
    return [
        (node.lineno, node.value)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and node.value in TABLE_NAMES
    ]


@pytest.mark.parametrize("module", generic_modules())
def test_generic_module_names_no_table(module):
    assert table_names_in((ROOT / module).read_text(encoding="utf-8")) == []


def test_checker_finds_a_table_name_in_a_branch():
    source = 'if entity.table == "enterprises":\n    columns = 2\nlabel = "企业"\n'
    assert table_names_in(source) == [(1, "enterprises")]
