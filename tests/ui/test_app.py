"""The GUI entry: --screenshot in a real process, usage errors, first run, the error hook and log."""

import logging
import os
import subprocess
import sys

from kejiju_desktop import paths
from tests.conftest import ROOT
from ui import app, messages


def _run(args, home, timeout=120):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KEJIJU_HOME=str(home))
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args], env=env, capture_output=True, timeout=timeout
    )


def _is_png(path, width=1280, height=800) -> bool:
    data = path.read_bytes()
    w, h = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return data[:8] == b"\x89PNG\r\n\x1a\n" and (w, h) == (width, height)


def test_screenshot_writes_a_png_of_the_chosen_tab(tmp_path, demo_copy, user_home):
    out = tmp_path / "shots" / "patents.png"
    result = _run(["--db", str(demo_copy), "--screenshot", str(out), "--tab", "patents"], user_home)
    assert result.returncode == 0, result.stderr.decode()
    assert _is_png(out)


def test_first_run_creates_the_default_data_file(tmp_path, user_home):
    out = tmp_path / "first.png"
    result = _run(["--screenshot", str(out)], user_home)
    assert result.returncode == 0, result.stderr.decode()
    assert (user_home / paths.default_data_file().name).is_file()
    assert _is_png(out)


def test_usage_errors_exit_3(tmp_path, user_home):
    result = _run(["--tab", "nonsense"], user_home, timeout=60)
    assert result.returncode == 3
    assert "无效的选项" in result.stderr.decode()


def test_unexpected_errors_go_to_the_log_and_the_clerk_sees_a_sentence(qapp, boxes):
    log_path = app.setup_logging()
    hook = app.make_excepthook(log_path)
    try:
        raise ZeroDivisionError("内部细节")
    except ZeroDivisionError:
        hook(*sys.exc_info())
    assert boxes.shown == [messages.ERROR_TEXT.format(path=log_path)]
    assert "Traceback" not in boxes.texts()
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "baseFilename", None) == str(log_path)]:
        root.removeHandler(handler)
        handler.close()
    logged = log_path.read_text(encoding="utf-8")
    assert "ZeroDivisionError: 内部细节" in logged and "Traceback" in logged


def test_qt_dialogs_speak_chinese(qapp):
    from PySide6.QtCore import QCoreApplication

    app.load_translations(qapp)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"


SLOW_COUNT = """
import sys, time
sys.path.insert(0, {root!r})
from kejiju_desktop.report import facts

gather = facts.gather
facts.gather = lambda session, year: time.sleep(1.5) or gather(session, year)  # a large file's count
from ui.app import run_gui

sys.exit(run_gui(sys.argv[1:]))
"""


def test_closing_the_window_while_the_composer_counts_leaves_nothing_in_the_log(
    tmp_path, demo_copy, user_home
):
    script = tmp_path / "slow_count.py"
    script.write_text(SLOW_COUNT.format(root=str(ROOT)), encoding="utf-8")
    out = tmp_path / "projects.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KEJIJU_HOME=str(user_home))
    args = [
        sys.executable,
        str(script),
        "--db",
        str(demo_copy),
        "--screenshot",
        str(out),
        "--tab",
        "projects",
    ]
    result = subprocess.run(args, env=env, capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode()
    stderr = result.stderr.decode()
    assert "Error calling Python override" not in stderr and "详细情况已记入日志" not in stderr
    log_file = paths.log_dir() / "kejiju.log"
    logged = log_file.read_text(encoding="utf-8") if log_file.exists() else ""
    assert " ERROR " not in logged and "Traceback" not in logged
