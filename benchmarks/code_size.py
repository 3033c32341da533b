"""Function and module sizes of the program: `python benchmarks/code_size.py [ROOT]` prints `name: value unit`.

Counted: main.py, ui/, kejiju_desktop/, db/ (not db/migrations/versions, which Alembic generates, nor tests).
A function's length runs from its `def` line to its last line, docstring included; a nested function
counts on its own and inside its parent. The 90th percentile is statistics.quantiles' inclusive one.
"""

from __future__ import annotations

import ast
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("main.py", "ui", "kejiju_desktop", "db")
EXCLUDED = ("db/migrations/versions/",)
LONG_FUNCTION = 30  # lines; STYLE.md: functions mostly under 30 lines
LONG_MODULE = 400  # lines; STYLE.md: a module past ~400 lines is asking to be split


def modules(root: Path) -> list[Path]:
    """Every counted module under `root`."""
    found = []
    for top in SOURCES:
        path = root / top
        for file in [path] if path.is_file() else sorted(path.rglob("*.py")):
            if not file.relative_to(root).as_posix().startswith(EXCLUDED):
                found.append(file)
    return found


def function_lengths(file: Path) -> list[int]:
    """The length in lines of every function and method in the file."""
    tree = ast.parse(file.read_text(encoding="utf-8"))
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef)
    return [node.end_lineno - node.lineno + 1 for node in ast.walk(tree) if isinstance(node, kinds)]


def figures(root: Path) -> list[str]:
    """The `name: value unit` lines for the tree at `root`."""
    files = modules(root)
    lengths = sorted(n for file in files for n in function_lengths(file))
    lines = [
        f"functions: {len(lengths)} count",
        f"function_lines_median: {statistics.median(lengths):g} lines",
        f"function_lines_p90: {statistics.quantiles(lengths, n=10, method='inclusive')[-1]:g} lines",
        f"functions_over_{LONG_FUNCTION}_lines: {sum(n > LONG_FUNCTION for n in lengths)} count",
    ]
    sizes = {file.relative_to(root).as_posix(): _line_count(file) for file in files}
    long_modules = sorted(((n, name) for name, n in sizes.items() if n > LONG_MODULE), reverse=True)
    lines.append(f"modules_over_{LONG_MODULE}_lines: {len(long_modules)} count")
    lines += [f"module_lines[{name}]: {n} lines" for n, name in long_modules]
    return lines


def _line_count(file: Path) -> int:
    return len(file.read_text(encoding="utf-8").splitlines())


def main(argv: list[str]) -> int:
    root = Path(argv[0]).resolve() if argv else ROOT
    print("\n".join(figures(root)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
