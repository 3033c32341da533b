"""Choice values and computed 指标 are typed once, in fields.py; other code names them through its constants."""

import ast
from pathlib import Path

from kejiju_desktop import fields, validation

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("kejiju_desktop", "ui")
SPEC_MODULE = "kejiju_desktop/fields.py"
DECLARED = (
    {choice for entity in fields.ENTITIES.values() for spec in entity.fields for choice in spec.choices}
    | set(fields.LEVELS)
    | set(fields.DIVISIONS)
    | set(fields.COMPUTED_INDICATORS)
    | set(fields.INPUT_INDICATORS)
)
# Module-level tables of records, written as a clerk types them: any declared value may appear in them.
DEMO_RECORDS = "the demo file's records, kept as data a reader can check against the report"
RECORD_TABLES = {
    ("kejiju_desktop/demo.py", "INSTITUTES"): DEMO_RECORDS,
    ("kejiju_desktop/demo.py", "CARRIER_PLAN"): DEMO_RECORDS,
    ("kejiju_desktop/demo.py", "PROJECT_PLAN"): DEMO_RECORDS,
    ("kejiju_desktop/demo.py", "TYPE_WEIGHTS"): DEMO_RECORDS,
    ("kejiju_desktop/demo.py", "APPLICANT_WEIGHTS"): DEMO_RECORDS,
    ("kejiju_desktop/demo.py", "AWARD_PLAN"): DEMO_RECORDS,
    ("kejiju_desktop/demo.py", "EVENT_PLAN"): DEMO_RECORDS,
    ("kejiju_desktop/demo.py", "TARGETS"): DEMO_RECORDS,
    ("kejiju_desktop/validation.py", "PATENT_TYPE_BY_DIGIT"): "fields.py imports validation.py, so it cannot "
    "look the 专利类型 up; test_patent_type_digits_give_declared_types holds the two together",
}
# A single literal that is not the choice it spells, as (module, top-level definition, value).
ALLOWED = {
    ("kejiju_desktop/report/sections.py", "_high_tech", "企业"): "the noun of a count (“3家企业”)",
    ("kejiju_desktop/report/sections.py", "_innovative", "企业"): "the noun of a count (“3家企业”)",
    ("kejiju_desktop/report/wording.py", "INDICATOR_WORDS", "新认定高新技术企业"): "the phrase a sentence "
    "uses for this 指标's target, which is also its name",
}


def _top_level_name(node: ast.stmt) -> str:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return node.name
    targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
    names = [target.id for target in targets if isinstance(target, ast.Name)]
    return names[0] if names else ""


def _literals(node: ast.AST):
    """String constants under `node`, leaving out the pieces of f-strings (those are wording, not values)."""
    if isinstance(node, ast.JoinedStr):
        for part in node.values:
            if isinstance(part, ast.FormattedValue):
                yield from _literals(part)
        return
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node
    for child in ast.iter_child_nodes(node):
        yield from _literals(child)


def typed_choices(root: Path = ROOT) -> list[str]:
    """Every literal equal to a declared value outside fields.py and the allow-lists, as "module:line value"."""
    found = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            module = path.relative_to(root).as_posix()
            if module == SPEC_MODULE:
                continue
            for statement in ast.parse(path.read_text(encoding="utf-8")).body:
                scope = _top_level_name(statement)
                if (module, scope) in RECORD_TABLES:
                    continue
                found += [
                    f"{module}:{node.lineno} {node.value}"
                    for node in _literals(statement)
                    if node.value in DECLARED and (module, scope, node.value) not in ALLOWED
                ]
    return found


def test_choice_values_and_indicators_are_named_not_typed():
    assert typed_choices() == []


def test_typed_choice_is_found_outside_fields_but_not_in_wording(tmp_path):
    (tmp_path / "ui").mkdir()
    (tmp_path / "kejiju_desktop").mkdir()
    code = """def f(row):\n    return row.status == "已认定" or f"{row}已认定{'已过期' if row else ''}"\n"""
    (tmp_path / "ui" / "panel.py").write_text(code, encoding="utf-8")
    (tmp_path / "kejiju_desktop" / "fields.py").write_text('STATES = ("已认定",)\n', encoding="utf-8")
    assert typed_choices(tmp_path) == ["ui/panel.py:2 已认定", "ui/panel.py:2 已过期"]


def test_patent_type_digits_give_declared_types():
    assert set(validation.PATENT_TYPE_BY_DIGIT.values()) == set(fields.PATENT_TYPES)
