"""Every import of every module obeys the layer rules kept as data in tests/layers.toml."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RULES_FILE = Path(__file__).with_name("layers.toml")
CHECKED = ("main.py", "ui", "kejiju_desktop", "db")
# A string constant that names a module ("ui.report_composer", "kejiju_desktop.commands.basic:cmd_init").
MODULE_STRING = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+(?::\w+)?")


def module_files(root: Path) -> list[str]:
    """Every module checked, as a path relative to `root`."""
    found = []
    for top in CHECKED:
        path = root / top
        paths = [path] if path.is_file() else sorted(path.rglob("*.py"))
        found += [p.relative_to(root).as_posix() for p in paths]
    return found


class Rules:
    """The parts of the program, which parts each may import, and where a library may be imported."""

    def __init__(self, data: dict, root: Path):
        self.parts: dict[str, list[str]] = data["parts"]
        self.may_import: dict[str, list[str]] = data["may_import"]
        self.only_in: dict[str, list[str]] = data["only_in"]
        self.never_in: dict[str, list[str]] = data["never_in"]
        self.root = root

    def part_of(self, path: str) -> str | None:
        """The part whose file or folder is the longest match for `path`."""
        matches = [
            (len(entry), part)
            for part, entries in self.parts.items()
            for entry in entries
            if path == entry or (entry.endswith("/") and path.startswith(entry))
        ]
        return max(matches)[1] if matches else None

    def file_of(self, name: str) -> str | None:
        """Our module file that importing `name` runs (its deepest existing module), None for a library."""
        pieces = name.split(".")
        for end in range(len(pieces), 0, -1):
            base = "/".join(pieces[:end])
            for candidate in (f"{base}.py", f"{base}/__init__.py"):
                if (self.root / candidate).is_file():
                    return candidate
        return None

    def problems(self, path: str) -> list[str]:
        """Each import of the module at `path` that the rules forbid, as `path:line imports name (why)`."""
        part = self.part_of(path)
        if part is None:
            return [f"{path} belongs to no part of {RULES_FILE.name}"]
        found = []
        for line, name in imported_names(self.root / path, path):
            why = self._forbidden(part, name)
            if why:
                found.append(f"{path}:{line} imports {name} ({why})")
        return found

    def _forbidden(self, part: str, name: str) -> str | None:
        for library, parts in self.only_in.items():
            if _within(name, library) and part not in parts:
                return f"{library} only in {', '.join(parts)}"
        for library, parts in self.never_in.items():
            if _within(name, library) and part in parts:
                return f"{library} never in {part}"
        target = self.file_of(name)
        target_part = self.part_of(target) if target else None
        if target and target_part != part and target_part not in self.may_import[part]:
            return f"{part} may not import {target_part}"
        return None


def _within(name: str, library: str) -> bool:
    return name == library or name.startswith(library + ".")


def imported_names(file: Path, path: str) -> list[tuple[int, str]]:
    """(line, dotted name) of every import in the file: statements anywhere, relative ones resolved,
    `importlib.import_module("...")` and module names written as strings; `from a import b` gives `a.b`."""
    package = path.removesuffix(".py").split("/")[:-1]
    if path.endswith("__init__.py"):
        package = path.split("/")[:-1]
    found = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {(node.lineno, alias.name) for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, package)
            found |= {
                (node.lineno, base if alias.name == "*" else f"{base}.{alias.name}") for alias in node.names
            }
        elif _is_import_call(node):
            found.add((node.lineno, node.args[0].value))
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and MODULE_STRING.fullmatch(node.value)
        ):
            found.add((node.lineno, node.value.split(":")[0]))
    return sorted(found)


def _is_import_call(node: ast.AST) -> bool:
    """importlib.import_module("name") or __import__("name") with the name written out."""
    if not isinstance(node, ast.Call) or not node.args or not isinstance(node.args[0], ast.Constant):
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    return name in ("import_module", "__import__") and isinstance(node.args[0].value, str)


def _absolute(node: ast.ImportFrom, package: list[str]) -> str:
    if node.level == 0:
        return node.module or ""
    head = package[: len(package) - node.level + 1]
    return ".".join(head + ([node.module] if node.module else []))


def load_rules(root: Path = ROOT) -> Rules:
    """The rules of tests/layers.toml, applied to the tree at `root`."""
    return Rules(tomllib.loads(RULES_FILE.read_text(encoding="utf-8")), root)


RULES = load_rules()


@pytest.mark.parametrize("path", module_files(ROOT))
def test_module_imports_only_what_its_part_may(path):
    problems = RULES.problems(path)
    assert not problems, "\n".join(problems)


def test_rules_name_only_parts_that_exist_and_files_that_are_there():
    known = set(RULES.parts)
    assert set(RULES.may_import) == known
    lists = [*RULES.may_import.values(), *RULES.only_in.values(), *RULES.never_in.values()]
    assert {part for parts in lists for part in parts} <= known
    entries = [e for entries in RULES.parts.values() for e in entries]
    missing = [e for e in entries if not (ROOT / e).exists()]
    assert missing == []


def test_checker_catches_a_violation(tmp_path):
    files = {
        "db/__init__.py": "",
        "db/bad.py": "from kejiju_desktop import fields\nimport PySide6.QtCore\n",
        "kejiju_desktop/__init__.py": "APP_NAME = 'x'\n",
        "kejiju_desktop/cli.py": "",
        "kejiju_desktop/commands/__init__.py": "",
        "kejiju_desktop/commands/basic.py": "from kejiju_desktop import APP_NAME\n",
        "kejiju_desktop/fields.py": "def bind():\n    from db import models\n",
        "kejiju_desktop/validation.py": "from sqlalchemy.orm import Session\n",
        "kejiju_desktop/services/__init__.py": "",
        "kejiju_desktop/services/records.py": "from ..cli import build_parser\nfrom . import stats\n",
        "kejiju_desktop/services/stats.py": "",
        "kejiju_desktop/report/charts.py": "import matplotlib.figure\nfrom matplotlib import pyplot\n",
        "kejiju_desktop/stray.py": "",
        "kejiju_desktop/logs.py": "import importlib\n\nimportlib.import_module('ui')\n",
        "ui/__init__.py": "",
        "ui/app.py": "import importlib\n\ndef run():\n    importlib.import_module('kejiju_desktop.cli')\n",
        "ui/menus.py": "HANDLERS = {'go': 'kejiju_desktop.commands.basic:go'}\n",
        "main.py": "from ui import app\nfrom kejiju_desktop import cli\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    rules = load_rules(tmp_path)
    found = [problem for path in module_files(tmp_path) for problem in rules.problems(path)]
    assert sorted(found) == [
        "db/bad.py:1 imports kejiju_desktop.fields (store may not import specs)",
        "db/bad.py:2 imports PySide6.QtCore (PySide6 only in entry, screens)",
        "kejiju_desktop/fields.py:2 imports db.models (specs may not import store)",
        "kejiju_desktop/logs.py:3 imports ui (basics may not import screens)",
        "kejiju_desktop/report/charts.py:2 imports matplotlib.pyplot (matplotlib.pyplot only in entry, screens)",
        "kejiju_desktop/services/records.py:1 imports kejiju_desktop.cli.build_parser (services may not import command_line)",
        "kejiju_desktop/stray.py belongs to no part of layers.toml",
        "kejiju_desktop/validation.py:1 imports sqlalchemy.orm.Session (sqlalchemy never in specs)",
        "ui/app.py:4 imports kejiju_desktop.cli (screens may not import command_line)",
        "ui/menus.py:1 imports kejiju_desktop.commands.basic (screens may not import command_line)",
    ]
