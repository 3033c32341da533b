"""Chinese text lives in its layer's messages module, and no sentence is written twice across them."""

import ast
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ALLOWED = tomllib.loads((ROOT / "tests" / "wording_allowed.toml").read_text(encoding="utf-8"))["allowed"]
CHINESE = re.compile(r"[\u3400-\u9fff]")  # ideographs: a string of only punctuation (、，) is not a sentence
MESSAGES = (
    "ui/messages.py",
    "kejiju_desktop/commands/messages.py",
    "kejiju_desktop/messages.py",
    "db/messages.py",
)
CHECKED = ("ui", "kejiju_desktop/cli.py", "kejiju_desktop/commands", "kejiju_desktop/services")


def _modules() -> list[Path]:
    found = []
    for place in CHECKED:
        path = ROOT / place
        found += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return [p for p in found if p.relative_to(ROOT).as_posix() not in MESSAGES]


def _docstrings(tree: ast.Module) -> set[int]:
    owners = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, owners) and node.body and isinstance(node.body[0], ast.Expr)
    }


def _assigned_name(statement: ast.stmt) -> str | None:
    """The name a module-level `NAME = ...` or `NAME: type = ...` assigns, else None."""
    if isinstance(statement, ast.Assign) and isinstance(statement.targets[0], ast.Name):
        return statement.targets[0].id
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return statement.target.id
    return None


def chinese_literals(path: Path) -> list[tuple[str, str | None]]:
    """(text, name of the module-level constant it is assigned to, if any) of every Chinese literal."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    owner = {}
    for statement in tree.body:
        target = _assigned_name(statement)
        if target is not None and statement.value is not None:
            owner.update({id(node): target for node in ast.walk(statement.value)})
    return [
        (node.value, owner.get(id(node)))
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
        if CHINESE.search(node.value)
    ]


def _allowed(module: str, text: str, name: str | None) -> dict | None:
    return next(
        (
            entry
            for entry in ALLOWED
            if entry["module"] == module
            and (text in entry.get("texts", ()) or name in entry.get("names", ()))
        ),
        None,
    )


def test_chinese_sentences_are_in_their_layers_messages_module():
    stray, used = [], set()
    for path in _modules():
        module = path.relative_to(ROOT).as_posix()
        for text, name in chinese_literals(path):
            entry = _allowed(module, text, name)
            if entry is None:
                stray.append(f"{module}: {text[:40]!r}")
            else:
                used.add((module, name if name in entry.get("names", ()) else text))
    assert not stray, "\n".join(stray)
    listed = {(e["module"], t) for e in ALLOWED for t in (*e.get("texts", ()), *e.get("names", ()))}
    assert listed <= used, f"allow-list entries that match nothing: {sorted(listed - used)}"


def defined_strings(path: Path) -> list[tuple[str, str]]:
    """(name, value) of every string constant a messages module defines (dict and tuple values are lookups)."""
    found = []
    for statement in ast.parse(path.read_text(encoding="utf-8")).body:
        if not isinstance(statement, ast.Assign):
            continue
        target, value = statement.targets[0], statement.value
        pairs = (
            zip(target.elts, value.elts, strict=True) if isinstance(target, ast.Tuple) else [(target, value)]
        )
        found += [
            (name.id, text.value)
            for name, text in pairs
            if isinstance(text, ast.Constant) and isinstance(text.value, str)
        ]
    return found


def test_no_string_is_defined_twice_across_the_messages_modules():
    seen: dict[str, str] = {}
    twice = []
    for module in MESSAGES:
        for name, text in defined_strings(ROOT / module):
            where = f"{module}:{name}"
            if text in seen:
                twice.append(f"{text!r}: {seen[text]} and {where}")
            seen.setdefault(text, where)
    assert not twice, "\n".join(twice)
