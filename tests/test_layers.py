"""The import rule ui -> kejiju_desktop -> db, and no pyplot or Qt below ui/."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "db": ("ui", "kejiju_desktop", "PySide6", "matplotlib"),
    "kejiju_desktop": ("ui", "PySide6", "matplotlib.pyplot"),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def violations(package: str, root: Path = ROOT) -> list[str]:
    found = []
    for path in sorted((root / package).rglob("*.py")):
        for name in imported_modules(path):
            for banned in FORBIDDEN[package]:
                if name == banned or name.startswith(banned + "."):
                    found.append(f"{path.relative_to(root).as_posix()} imports {name}")
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_respects_layer_rule(package):
    assert violations(package) == []


def test_checker_catches_a_violation(tmp_path):
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "bad.py").write_text("from kejiju_desktop import fields\nimport PySide6.QtCore\n")
    assert sorted(violations("db", tmp_path)) == [
        "db/bad.py imports PySide6.QtCore",
        "db/bad.py imports kejiju_desktop",
        "db/bad.py imports kejiju_desktop.fields",
    ]
