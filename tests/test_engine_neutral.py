"""Only db/ knows the engine: no module under kejiju_desktop/ names SQLite, its pragmas or a data file's path."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "kejiju_desktop"
# What names the engine, or reaches past the store handle for the data file's path (`os.path` aside).
FORBIDDEN = {
    "sqlite": re.compile(r"sqlite", re.IGNORECASE),
    "pragma": re.compile(r"pragma", re.IGNORECASE),
    "quick_check": re.compile(r"quick_check"),
    ".path": re.compile(r"(?<![\w.])(?!os\.)[\w.]+\.path\b"),
}
# The `.path`s that are not a data file's, each with why (module, expression, reason).
ALLOWED_PATHS = [
    ("kejiju_desktop/services/portability/backups.py", "b.path", "a backup's own .gz file"),
    ("kejiju_desktop/services/portability/backups.py", "backup.path", "a backup's own .gz file"),
    ("kejiju_desktop/services/exchange/sheet.py", "plan.path", "the spreadsheet being imported"),
    ("kejiju_desktop/services/exchange/sheet.py", "sheet.path", "the spreadsheet being imported"),
    ("kejiju_desktop/services/exchange/reader.py", "self.path", "the spreadsheet being read"),
    ("kejiju_desktop/services/exchange/csv_reader.py", "self.path", "the CSV file being read"),
    ("kejiju_desktop/report/export.py", "self.path", "the report document written"),
]


def mentions(root: Path = ROOT) -> list[tuple[str, str, str]]:
    """(module, what, text) for every forbidden mention under kejiju_desktop/, allowed paths aside."""
    allowed = {(module, expression) for module, expression, _reason in ALLOWED_PATHS}
    found = []
    for path in sorted((root / PACKAGE).rglob("*.py")):
        module = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        for what, pattern in FORBIDDEN.items():
            for match in pattern.finditer(text):
                if what == ".path" and (module, match.group(0)) in allowed:
                    continue
                found.append((module, what, match.group(0)))
    return found


def test_no_module_of_the_core_names_the_engine_or_a_data_files_path():
    assert mentions() == []


def test_every_allowed_path_is_still_there():
    for module, expression, reason in ALLOWED_PATHS:
        text = (ROOT / module).read_text(encoding="utf-8")
        assert re.search(rf"(?<![\w.]){re.escape(expression)}\b", text), (
            f"{module}: {expression} ({reason}) is gone"
        )


def test_checker_catches_each_kind_of_mention(tmp_path):
    (tmp_path / PACKAGE).mkdir()
    bad = "import sqlite3\nconn.execute('PRAGMA quick_check')\nname = data.path.name\nos.path.join('a')\n"
    (tmp_path / PACKAGE / "bad.py").write_text(bad, encoding="utf-8")
    assert [(what, text) for _module, what, text in mentions(tmp_path)] == [
        ("sqlite", "sqlite"),
        ("pragma", "PRAGMA"),
        ("quick_check", "quick_check"),
        (".path", "data.path"),
    ]
