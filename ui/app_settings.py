"""What the program remembers between runs: window geometry, last tab, recent files, report year, folders,
the columns a clerk mapped on import."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from db.server import is_server_url
from kejiju_desktop import paths

MAX_RECENT = 8
GEOMETRY, LAST_TAB, RECENT = "window/geometry", "window/last_tab", "files/recent"
REPORT_YEAR = "report/year"
LAST_FOLDER = "folders/{kind}"

IMPORT_COLUMNS = "import_columns/{table}/{headers}"


def _recent_entry(given: Path | str) -> Path | str:
    # A server's URL stays text: Path() would fold its "//".
    return str(given) if is_server_url(str(given)) else Path(given)


def _headers_key(table: str, headers: Sequence[str]) -> str:
    # A digest of the whole header row: the same columns in the same order are "the same headers".
    digest = hashlib.sha1("\t".join(headers).encode("utf-8")).hexdigest()
    return IMPORT_COLUMNS.format(table=table, headers=digest)


class AppSettings:
    """An .ini file in the user data folder (KEJIJU_HOME in tests), so nothing leaks between users."""

    def __init__(self):
        self.qsettings = QSettings(str(paths.user_data_dir() / "settings.ini"), QSettings.Format.IniFormat)

    def recent_files(self) -> list[Path | str]:
        """Data files (Path) and server databases (their --db URL, which never holds a password)."""
        value = self.qsettings.value(RECENT, [])
        if isinstance(value, str):
            value = [value]
        return [_recent_entry(p) for p in (value or []) if p]

    def add_recent(self, path: Path | str) -> None:
        entry = _recent_entry(path)
        entry = entry.resolve() if isinstance(entry, Path) else entry
        recent = [p for p in self.recent_files() if p != entry]
        self._set_recent([entry, *recent][:MAX_RECENT])

    def remove_recent(self, path: Path | str) -> None:
        self._set_recent([p for p in self.recent_files() if p != _recent_entry(path)])

    def _set_recent(self, recent: list[Path | str]) -> None:
        self.qsettings.setValue(RECENT, [str(p) for p in recent])
        self.qsettings.sync()

    def window(self) -> tuple[QByteArray | None, str]:
        geometry = self.qsettings.value(GEOMETRY)
        return (geometry if isinstance(geometry, QByteArray) else None), str(
            self.qsettings.value(LAST_TAB, "")
        )

    def report_year(self) -> int | None:
        """The year last chosen in the report pane (None before the first choice)."""
        value = self.qsettings.value(REPORT_YEAR)
        try:
            return int(value) if value is not None else None
        except (TypeError, ValueError):  # an .ini edited by hand
            return None

    def save_report_year(self, year: int) -> None:
        self.qsettings.setValue(REPORT_YEAR, year)
        self.qsettings.sync()

    def save_window(self, geometry: QByteArray, last_tab: str) -> None:
        self.qsettings.setValue(GEOMETRY, geometry)
        self.qsettings.setValue(LAST_TAB, last_tab)
        self.qsettings.sync()

    def last_folder(self, kind: str) -> Path | None:
        """The folder a file of `kind` (ui.file_dialogs.REPORTS…) was last saved in, while it exists."""
        value = self.qsettings.value(LAST_FOLDER.format(kind=kind), "")
        folder = Path(str(value)) if value else None
        return folder if folder is not None and folder.is_dir() else None

    def set_last_folder(self, kind: str, folder: Path) -> None:
        self.qsettings.setValue(LAST_FOLDER.format(kind=kind), str(folder))
        self.qsettings.sync()

    def import_columns(self, table: str, headers: Sequence[str]) -> dict[str, str]:
        """The columns mapped by the clerk (header -> column key) for a sheet with exactly these headers."""
        try:
            mapped = json.loads(str(self.qsettings.value(_headers_key(table, headers), "{}")))
        except ValueError:
            return {}
        return {str(h): str(k) for h, k in mapped.items()} if isinstance(mapped, dict) else {}

    def save_import_columns(self, table: str, headers: Sequence[str], mapped: dict[str, str]) -> None:
        """Remember the mapping for the next sheet with these headers (none mapped: forget it)."""
        key = _headers_key(table, headers)
        if mapped:
            self.qsettings.setValue(key, json.dumps(mapped, ensure_ascii=False))
        else:
            self.qsettings.remove(key)
        self.qsettings.sync()
