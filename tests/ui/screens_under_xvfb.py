"""Screenshots of the real window under Xvfb and openbox, at the screen sizes clerks have, to be looked at.

Usage: python tests/ui/screens_under_xvfb.py OUT_FOLDER [--sizes 1024x700,1280x800] [--display 62]

For each size an Xvfb screen of that size is started with openbox on it, the window opens on a demo file
at its first size (title bar and all), and the whole screen is saved for each tab, for the 企业 form with the
credit-code warning shown, for the file dialog and for each small dialog the window opens. Needs Xvfb and openbox; writes nothing outside OUT_FOLDER
but a demo file and a user data folder in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SIZES = "1024x700,1280x800,1366x768"
WAIT_S = 10
BAD_CREDIT_CODE = (
    "91110000MA00000000"  # 18 characters whose check character is wrong: a warning, not an error
)


def main(argv: list[str]) -> int:
    """Start one Xvfb and openbox per size, and a window under them that saves its screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--sizes", default=SIZES)
    parser.add_argument("--display", type=int, default=62)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return take_screens(args.db, args.out)
    for tool in ("Xvfb", "openbox"):
        if shutil.which(tool) is None:
            print(f"{tool} is not installed", file=sys.stderr)
            return 2
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        demo = Path(scratch) / "演示数据.kjdb"
        subprocess.run([sys.executable, str(ROOT / "main.py"), "demo", "--db", str(demo)], check=True)
        failed = 0
        for size in args.sizes.split(","):
            failed += screens_at(size, args.display, demo, args.out / size, Path(scratch) / size)
    return 1 if failed else 0


def screens_at(size: str, display: int, demo: Path, out: Path, home: Path) -> int:
    """Screenshots of the window on an X screen of `size` (e.g. "1024x700"); the child's exit code."""
    name = f":{display}"
    server = subprocess.Popen(["Xvfb", name, "-screen", "0", f"{size}x24", "-nolisten", "tcp"])
    manager = None
    try:
        _wait_for(lambda: _succeeds(["xdpyinfo", "-display", name]))
        if server.poll() is not None:
            raise RuntimeError(f"display {name} is taken: pass another with --display")
        environment = {**os.environ, "DISPLAY": name, "QT_QPA_PLATFORM": "xcb", "KEJIJU_HOME": str(home)}
        manager = subprocess.Popen(["openbox"], env=environment, stderr=subprocess.DEVNULL)
        _wait_for(lambda: _succeeds(["xprop", "-display", name, "-root", "_NET_SUPPORTING_WM_CHECK"]))
        time.sleep(1)  # openbox announces itself before it decorates new windows
        out.mkdir(parents=True, exist_ok=True)
        child = [sys.executable, __file__, str(out), "--child", "--db", str(demo)]
        return subprocess.run(child, env=environment, cwd=ROOT, timeout=300).returncode
    finally:
        for process in filter(None, (manager, server)):
            process.terminate()
            process.wait()


def _succeeds(command: list[str]) -> bool:
    result = subprocess.run(command, capture_output=True, text=True)
    return result.returncode == 0 and "not found" not in result.stdout


def _wait_for(ready, timeout: float = WAIT_S) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise TimeoutError("the X server or the window manager did not start")
        time.sleep(0.1)


# --- in the child, under the X screen ----------------------------------------------------------------


def take_screens(demo: Path, out: Path) -> int:
    """Open the window as a clerk would (its first size), then save the screen for each state."""
    sys.path.insert(0, str(ROOT))
    from ui.app import start_window

    started = start_window(["--db", str(demo)])
    if isinstance(started, int):
        return started
    app, window, _args = started
    settle(app, 1.0)  # the window manager maps and decorates the window
    from kejiju_desktop import fields

    for table in fields.TAB_TABLES:
        show_tab(app, window, table)
        save_screen(app, out / f"tab-{table}.png")
    if window.select_tab("report"):
        settle(app, 2.0)
        save_screen(app, out / "tab-report.png")
    show_warning(app, window)
    save_screen(app, out / "enterprises-warning.png")
    show_file_dialog(app, window, out / "file-dialog.png")
    show_progress(app, window, out / "progress-dialog.png")
    show_dialogs(app, window, out)
    window.current_tab().form.revert()
    window.close()
    return 0


def show_tab(app, window, table: str) -> None:
    """Show an editor tab with its first row selected and loaded into the form."""
    window.select_tab(table)
    tab = window.current_tab()
    settle(app, 0.3, until=lambda: tab.model.matching_count is not None)
    if tab.model.rowCount() > 0:
        tab.table.selectRow(0)
    settle(app, 0.5)


def show_warning(app, window) -> None:
    """The 企业 form with a credit code whose check character is wrong (the warning shown beside it)."""
    show_tab(app, window, "enterprises")
    form = window.current_tab().form
    editor = form.editors["credit_code"]
    editor.widget.setFocus()
    editor.widget.setText(BAD_CREDIT_CODE)
    editor.changed.emit()
    settle(app, 0.5, until=lambda: bool(form.message("credit_code")))


def show_file_dialog(app, window, path: Path) -> None:
    """The 另存副本 dialog as the program opens it (Qt's own on Linux without a desktop's), saved while open."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ui import file_dialogs, messages

    def save_and_close() -> None:
        settle(app, 1.0)  # inside the dialog's own event loop
        save_screen(app, path)
        QApplication.activeModalWidget().reject()

    QTimer.singleShot(0, save_and_close)
    suggested = Path.home() / "副本.kjdb"
    file_dialogs.ask_save_path(
        window, file_dialogs.COPIES, messages.COPY_TITLE, suggested, messages.FILE_FILTER
    )


def show_progress(app, window, path: Path) -> None:
    """The progress dialog of a long task (the report export's title), saved while it runs."""
    from ui import messages as report_messages

    def slow_work():
        for done in range(30):
            time.sleep(0.1)
            yield done, 30

    finished = []
    window.tasks.run(report_messages.EXPORT_TITLE, slow_work, finished.append)
    settle(app, 1.5)
    save_screen(app, path)
    settle(app, 0.0, until=lambda: bool(finished))


def show_dialogs(app, window, out: Path) -> None:
    """Each small dialog (the title test's list), saved once it has the focus, then closed as Esc would."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialog

    from tests.ui.test_dialog_titles import OPENERS

    window.current_tab().form.revert()  # the warning state's edit: 未保存的修改 is opened on purpose below
    for number, (name, opener) in enumerate(OPENERS.items()):

        def save_and_close(path=out / f"dialog-{number:02d}-{name}.png") -> None:
            settle(app, 0.0, until=lambda: isinstance(QApplication.activeWindow(), QDialog))
            save_screen(app, path)
            QApplication.activeWindow().reject()

        QTimer.singleShot(0, save_and_close)
        with tempfile.TemporaryDirectory() as scratch:
            opener(window, Path(scratch))
        settle(app, 0.3)


def settle(app, seconds: float, until=None) -> None:
    """Let the event loop run for `seconds`, or until `until()` (then a little more for painting)."""
    deadline = time.monotonic() + (WAIT_S if until else seconds)
    while time.monotonic() < deadline and not (until and until()):
        app.processEvents()
        time.sleep(0.02)
    if until:
        settle(app, 0.3)


def save_screen(app, path: Path) -> None:
    """The whole X screen, window manager's title bar included."""
    app.processEvents()
    if not app.primaryScreen().grabWindow(0).save(str(path), "PNG"):
        raise OSError(f"could not save {path}")
    print(path)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
