"""The frozen program's run-time hook points matplotlib at a persistent folder in the user data folder."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOOK = ROOT / "installer" / "rthook_kejiju.py"
SHOW = f"import runpy, os; runpy.run_path({str(HOOK)!r}); print(os.environ.get('MPLCONFIGDIR', ''))"


def _run_hook(env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", SHOW],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "MPLCONFIGDIR"}
    return env | {"KEJIJU_HOME": str(home), "PYTHONPATH": str(ROOT)} | extra


def test_hook_sets_matplotlib_folder_in_user_data(tmp_path):
    home = tmp_path / "home"
    assert _run_hook(_env(home)) == str(home / "matplotlib")
    assert (home / "matplotlib").is_dir()  # created, so matplotlib can write its font cache there


def test_hook_keeps_a_folder_already_chosen(tmp_path):
    chosen = tmp_path / "mine"
    assert _run_hook(_env(tmp_path / "home", MPLCONFIGDIR=str(chosen))) == str(chosen)
    assert not (tmp_path / "home" / "matplotlib").exists()


def test_hook_survives_an_unwritable_user_folder(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the user data folder should be", encoding="utf-8")
    assert _run_hook(_env(blocker / "home")) == ""  # matplotlib then picks a temporary folder itself
