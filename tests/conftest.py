"""Shared fixtures: real data files on disk, sessions over them, Qt on the offscreen platform."""

import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from db.database import create_data_file, open_data_file  # noqa: E402
from tests.fixtures.ledgers import ledgers  # noqa: E402, F401 - the session fixture of converted ledgers
from tests.fixtures.postgres import (  # noqa: E402, F401 - a throw-away PostgreSQL, and tests on both engines
    engine_session,
    engine_store,
    pg_cluster,
    pg_database,
    pg_store,
    pg_template,
)


@pytest.fixture(autouse=True)
def user_home(tmp_path_factory, monkeypatch):
    """Every test gets its own user data folder (settings, backups, logs), never the real one."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("KEJIJU_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory) -> Path:
    """One empty data file made by the migrations; copied per test because migrating takes time."""
    path = tmp_path_factory.mktemp("template") / "empty.kjdb"
    create_data_file(path)
    return path


@pytest.fixture
def db_file(tmp_path, empty_template) -> Path:
    """A new empty data file in tmp_path, with an office id of its own."""
    path = tmp_path / "data.kjdb"
    shutil.copyfile(empty_template, path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE settings SET value=? WHERE key='office_id'", (str(uuid.uuid4()),))
    conn.close()
    return path


@pytest.fixture
def data(db_file):
    """The data file, open."""
    opened = open_data_file(db_file)
    yield opened
    opened.close()


@pytest.fixture
def session(data):
    """A session whose work is committed when the test's block ends without error."""
    with data.sessions.begin() as s:
        yield s


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory) -> Path:
    """The demo data file, built once per test run; tests must not write to it."""
    from kejiju_desktop.demo import fill_demo

    path = tmp_path_factory.mktemp("demo") / "demo.kjdb"
    create_data_file(path)
    opened = open_data_file(path, take_lock=False)
    with opened.sessions.begin() as s:
        fill_demo(s)
    opened.close()
    return path


def _require_tool(name: str) -> str:
    """The tool's path; skipped where it is missing, except in CI (.ci/run installs it)."""
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed; .ci/run should have installed it")
        pytest.skip(f"{name} is not installed")
    return found


@pytest.fixture
def soffice(tmp_path):
    """Convert a file with LibreOffice headless (an independent client): soffice(path, 'pdf') -> new path."""
    program = _require_tool("soffice")
    profile = (tmp_path / "lo-profile").as_uri()

    def convert(path: Path, target: str, filter_spec: str = "") -> Path:
        out_dir = path.parent / f"converted-{target}"
        out_dir.mkdir(exist_ok=True)
        fmt = f"{target}:{filter_spec}" if filter_spec else target
        subprocess.run(
            [program, f"-env:UserInstallation={profile}", "--headless", "--convert-to", fmt,
             "--outdir", str(out_dir), str(path)],
            check=True, capture_output=True, timeout=240,
        )  # fmt: skip
        produced = out_dir / f"{path.stem}.{target}"
        assert produced.exists(), f"LibreOffice did not convert {path.name} to {target}"
        return produced

    return convert


@pytest.fixture
def pdftotext():
    """Text of a PDF through poppler's pdftotext."""
    program = _require_tool("pdftotext")
    return lambda pdf: (
        subprocess.run([program, str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    )
