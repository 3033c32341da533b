"""benchmarks/code_size.py counts function and module lines over the program's folders only."""

import importlib.util

from tests.conftest import ROOT

SPEC = importlib.util.spec_from_file_location("code_size", ROOT / "benchmarks" / "code_size.py")
code_size = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(code_size)


def _function(name: str, lines: int, indent: str = "") -> str:
    return f"{indent}def {name}():\n" + f"{indent}    x = 1\n" * (lines - 1)


def test_figures_count_functions_and_long_modules_outside_tests_and_generated_migrations(tmp_path):
    files = {
        "main.py": _function("main", 3),
        "ui/window.py": "class Window:\n" + _function("method", 40, indent="    "),
        "kejiju_desktop/big.py": _function("a", 5) + _function("b", 7) + "\n" * 400,
        "db/migrations/versions/0001_initial.py": _function("upgrade", 900),
        "tests/test_x.py": _function("test_x", 50),
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert code_size.figures(tmp_path) == [
        "functions: 4 count",
        "function_lines_median: 6 lines",
        "function_lines_p90: 30.1 lines",
        "functions_over_30_lines: 1 count",
        "modules_over_400_lines: 1 count",
        "module_lines[kejiju_desktop/big.py]: 412 lines",
    ]
