"""report/ reads facts through services and writes documents: it neither queries nor writes the data file."""

import ast
from pathlib import Path

REPORT = Path(__file__).resolve().parents[2] / "kejiju_desktop" / "report"
STORE = ("sqlalchemy", "db")
# What report/ may import from the store, each with the reason it is needed.
ALLOWED = {
    "sqlalchemy.orm.Session": "the type of the caller's transaction, which report functions hand to services",
    "db.reasons.reason_of": "the Chinese reason of an OSError when the .docx cannot be written (the one place)",
}


def store_imports(path: Path) -> list[str]:
    """Every name a module imports from sqlalchemy or db, function-level imports included."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [f"{node.module}.{alias.name}" for alias in node.names]
    return [name for name in found if name.split(".")[0] in STORE]


def test_report_modules_do_not_reach_the_data_file():
    reached = [
        f"{path.name} imports {name}"
        for path in sorted(REPORT.rglob("*.py"))
        for name in store_imports(path)
        if name not in ALLOWED
    ]
    assert reached == []


def test_store_import_check_sees_function_level_imports(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("import sqlalchemy\n\ndef f():\n    from db.models import Patent\n", encoding="utf-8")
    assert store_imports(module) == ["sqlalchemy", "db.models.Patent"]
