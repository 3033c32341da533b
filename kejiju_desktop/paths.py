"""Where the program keeps its own files: user data folder, default data file, backups, logs."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from kejiju_desktop import APP_ID

ENV_HOME = "KEJIJU_HOME"  # overrides the user data folder (tests, portable installs)


def user_data_dir() -> Path:
    """The per-user data folder (platformdirs), created on first use."""
    override = os.environ.get(ENV_HOME)
    if override:
        path = Path(override)
    else:
        from platformdirs import user_data_dir as platform_dir

        path = Path(platform_dir(APP_ID, appauthor=False, roaming=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_data_file() -> Path:
    """The data file opened when none is named (created empty on first run)."""
    return user_data_dir() / "科技局数据.kjdb"


def log_dir() -> Path:
    path = user_data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def backups_dir_for(data_file: Path) -> Path:
    """The backup folder of one data file: its name plus a short hash of its full path."""
    resolved = str(Path(data_file).resolve())
    digest = hashlib.sha1(resolved.encode("utf-8")).hexdigest()[:8]
    path = user_data_dir() / "backups" / f"{Path(data_file).stem}-{digest}"
    path.mkdir(parents=True, exist_ok=True)
    return path


def matplotlib_config_dir() -> Path:
    """A persistent MPLCONFIGDIR, so a frozen program does not rebuild the font cache every start."""
    path = user_data_dir() / "matplotlib"
    path.mkdir(parents=True, exist_ok=True)
    return path


def resources_dir() -> Path:
    """The program's resources/ folder: beside the code, or inside the frozen program (sys._MEIPASS)."""
    return Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parents[1])) / "resources"
