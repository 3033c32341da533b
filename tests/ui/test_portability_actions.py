"""文件 menu entries for copies, backups, checks and merges, driven through the real main window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from db.database import probe
from kejiju_desktop import paths
from kejiju_desktop.services.portability import backups
from tests.core.merge_helpers import live, office_file, save
from ui import messages, portability_actions
from ui.dialogs.check_result import CheckResultDialog
from ui.dialogs.merge_preview import INCLUDE, MergePreviewDialog
from ui.dialogs.restore_backup import RestoreBackupDialog


def _when_modal(cls, act) -> None:
    """Act on the modal dialog of class `cls` as soon as it shows (exec() blocks the test otherwise)."""

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, cls) and widget.isVisible():
            timer.stop()
            act(widget)

    timer = QTimer()
    timer.setInterval(30)
    timer.timeout.connect(poll)
    timer.start()
    _when_modal.timers.append(timer)


_when_modal.timers = []


def _trigger(window, text: str) -> None:
    window.portability_actions.actions[text].trigger()


def test_file_menu_has_the_four_entries(window):
    texts = [a.text() for a in window.menu("文件").actions()]
    for entry in (messages.ACT_COPY, messages.ACT_RESTORE, messages.ACT_CHECK, messages.ACT_MERGE):
        assert entry in texts
    assert window.before_upgrade is backups.before_upgrade


def test_backup_on_open_comes_after_the_window_is_shown(qtbot, make_window, db_file):
    window = make_window(db_file)
    assert backups.list_backups(db_file) == []  # nothing before the event loop turned
    qtbot.waitUntil(lambda: len(backups.list_backups(db_file)) == 1, timeout=10_000)
    assert backups.list_backups(db_file)[0].reason == "open"
    assert window.isVisible()


def test_backup_on_close_when_changed(qtbot, make_window, db_file):
    window = make_window(db_file)
    qtbot.waitUntil(lambda: len(backups.list_backups(db_file)) == 1, timeout=10_000)
    save(db_file, "events", {"name": "关闭前新增", "start_on": "2012-05-20"})
    window.close()
    reasons = [b.reason for b in backups.list_backups(db_file)]
    assert reasons == ["close", "open"]


def test_save_copy_writes_a_consistent_copy(qtbot, window, tmp_path, monkeypatch, boxes):
    target = tmp_path / "U盘" / "副本.kjdb"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    _trigger(window, messages.ACT_COPY)
    qtbot.waitUntil(lambda: any("已另存副本" in t for t in boxes.shown), timeout=10_000)
    assert probe(target, full_check=True).clean_close


def test_merge_preview_excludes_a_record_and_writes_the_rest(
    qtbot, make_window, tmp_path, monkeypatch, boxes
):
    ours, theirs = office_file(tmp_path, "本科室"), office_file(tmp_path, "外来科室")
    keep = save(theirs, "events", {"name": "要合并的活动", "start_on": "2012-05-20"})
    save(theirs, "events", {"name": "不要的活动", "start_on": "2012-06-20"})
    window = make_window(ours)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(theirs), "")))

    def choose(dialog: MergePreviewDialog) -> None:
        assert "新增 2 条" in dialog.summary.text()
        model = dialog.model
        row = next(i for i, item in enumerate(model.items) if item.name == "不要的活动")
        model.setData(
            model.index(row, INCLUDE), Qt.CheckState.Unchecked.value, role=Qt.ItemDataRole.CheckStateRole
        )
        dialog.confirm_button.click()

    _when_modal(MergePreviewDialog, choose)
    boxes.answer = messages.BTN_CLOSE
    _trigger(window, messages.ACT_MERGE)
    qtbot.waitUntil(lambda: any("合并完成" in t for t in boxes.shown), timeout=10_000)
    assert live(ours, "events") == {keep: "要合并的活动"}
    report = window.portability_actions.last_report
    assert "要合并的活动" in report and "已排除 1 条" in report
    assert [b.reason for b in backups.list_backups(ours)][0] == "merge"


def test_merge_of_a_hostile_file_is_refused_with_a_sentence(qtbot, window, tmp_path, monkeypatch, boxes):
    other = tmp_path / "photo.kjdb"
    other.write_bytes(b"\x89PNG" + b"\x00" * 300)
    before = window.data_file.path.read_bytes()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(other), "")))
    _trigger(window, messages.ACT_MERGE)
    qtbot.waitUntil(lambda: "未合并" in boxes.texts(), timeout=10_000)
    assert "不是本程序的数据文件" in boxes.texts()
    assert window.data_file.path.read_bytes()[:100] == before[:100]


def test_check_shows_notices_and_repair_marks_expired(qtbot, make_window, db_file, boxes):
    save(db_file, "enterprises", {"name": "四星液压"})
    save(
        db_file,
        "qualifications",
        {"unit_id": 1, "category": "高新技术企业", "year": 2008, "certified_on": "2008-06-01"},
    )
    window = make_window(db_file)
    seen: list[str] = []

    def repair(dialog: CheckResultDialog) -> None:
        seen.append(dialog.report_text())
        dialog.repair_button.click()
        QTimer.singleShot(0, lambda: _close_when_repaired(dialog, seen))

    _when_modal(CheckResultDialog, repair)
    _trigger(window, messages.ACT_CHECK)
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=15_000)
    assert "提示" in seen[0] and "可以自动修复" in seen[0]
    assert "已将 1 条" in seen[1] and "数据文件完好" in seen[1]
    assert set(live(db_file, "qualifications", "status").values()) == {"已过期"}


def _close_when_repaired(dialog, seen) -> None:
    if "已将" in dialog.report_text():
        seen.append(dialog.report_text())
        dialog.reject()
    else:
        QTimer.singleShot(50, lambda: _close_when_repaired(dialog, seen))


def test_restore_backup_lists_counts_and_restores(qtbot, make_window, db_file, boxes):
    save(db_file, "events", {"name": "备份里的活动", "start_on": "2012-05-20"})
    backups.take_backup(db_file, reason="manual")
    save(db_file, "events", {"name": "备份后的活动", "start_on": "2012-06-20"})
    window = make_window(db_file)
    listed: list[str] = []

    def pick(dialog: RestoreBackupDialog) -> None:
        manual = next(i for i, b in enumerate(dialog.backups) if b.reason == "manual")
        listed.append(dialog.table.item(manual, 2).text())
        dialog.select(manual)
        dialog.accept()

    _when_modal(RestoreBackupDialog, pick)
    _trigger(window, messages.ACT_RESTORE)
    assert listed == ["1 条"]
    assert window.data_file is not None
    assert sorted(live(db_file, "events").values()) == ["备份里的活动"]
    assert "restore" in [b.reason for b in backups.list_backups(db_file)]


def test_file_on_removable_media_is_offered_a_local_copy(make_window, db_file, monkeypatch, boxes):
    monkeypatch.setattr(portability_actions, "is_removable_or_network", lambda p: Path(p) == db_file)
    boxes.answer = messages.LOCAL_COPY
    window = make_window(db_file)
    QApplication.processEvents()
    assert any("U盘" in t for t in boxes.shown)
    assert window.data_file.path.parent == paths.user_data_dir() / messages.LOCAL_FOLDER
    assert probe(window.data_file.path).revision is not None


@pytest.fixture(autouse=True)
def _stop_timers():
    yield
    for timer in _when_modal.timers:
        timer.stop()
    _when_modal.timers.clear()


def test_a_file_that_no_longer_opens_is_restored_from_its_backups(make_window, tmp_path, monkeypatch, boxes):
    damaged = office_file(tmp_path, "坏了的文件")
    save(damaged, "events", {"name": "要救回的活动", "start_on": "2012-05-20"})
    backups.take_backup(damaged, reason="manual")
    raw = damaged.read_bytes()
    damaged.write_bytes(raw[: len(raw) // 3])
    window = make_window(office_file(tmp_path, "另一个文件"))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(damaged), "")))

    def pick(dialog: RestoreBackupDialog) -> None:
        dialog.other_button.click()
        assert [b.reason for b in dialog.backups] == ["manual"]
        dialog.select(0)
        dialog.accept()

    _when_modal(RestoreBackupDialog, pick)
    _trigger(window, messages.ACT_RESTORE)
    assert window.data_file.path == damaged
    assert list(live(damaged, "events").values()) == ["要救回的活动"]
    assert any(p.name.startswith("坏了的文件.损坏-") for p in tmp_path.iterdir())


def test_another_pc_holding_the_file_is_named(make_window, db_file, boxes):
    import json

    from db.lock import lock_path_for

    holder = {"host": "PC-办公室2", "user": "张三", "pid": 4242, "since": "2013-01-05T09:00:00"}
    lock_path_for(db_file).write_text(json.dumps(holder, ensure_ascii=False), encoding="utf-8")
    make_window(db_file)
    assert "PC-办公室2" in boxes.texts() and "张三" in boxes.texts()


def test_start_up_offers_to_restore_a_backup_of_a_file_that_no_longer_opens(make_window, tmp_path, boxes):
    from ui.app import open_first_file

    damaged = office_file(tmp_path, "启动时坏了")
    save(damaged, "events", {"name": "备份里的活动", "start_on": "2012-05-20"})
    backups.take_backup(damaged, reason="manual")
    raw = damaged.read_bytes()
    damaged.write_bytes(raw[: len(raw) // 3])
    window = make_window()
    boxes.answer = "恢复备份…"

    def pick(dialog: RestoreBackupDialog) -> None:
        dialog.select(0)
        dialog.accept()

    _when_modal(RestoreBackupDialog, pick)
    assert open_first_file(window, str(damaged))
    assert window.data_file.path == damaged
    assert list(live(damaged, "events").values()) == ["备份里的活动"]
    assert any("恢复" in text or "备份" in text for text in boxes.shown)


def _hostile_event(path, name: str) -> None:
    import sqlite3

    save(path, "events", {"name": name, "start_on": "2012-06-01"})
    conn = sqlite3.connect(path)
    conn.execute("UPDATE events SET event_type='宇宙大会' WHERE name=?", (name,))
    conn.commit()
    conn.close()


def test_merge_preview_lists_a_refused_record_apart_with_its_reason(
    qtbot, make_window, tmp_path, monkeypatch, boxes
):
    from ui.dialogs.merge_preview import DETAIL

    ours, theirs = office_file(tmp_path, "本科室"), office_file(tmp_path, "外来科室")
    keep = save(theirs, "events", {"name": "要合并的活动", "start_on": "2012-05-20"})
    _hostile_event(theirs, "宇宙活动")
    window = make_window(ours)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(theirs), "")))
    seen = {}

    def look(dialog: MergePreviewDialog) -> None:
        try:
            refused = dialog.refused_model
            seen["summary"] = dialog.summary.text()
            seen["items"] = [item.name for item in dialog.model.items]
            seen["refused"] = [refused.index(r, DETAIL).data() for r in range(refused.rowCount())]
            seen["checkable"] = refused.index(0, INCLUDE).data(Qt.ItemDataRole.CheckStateRole)
            seen["shown"] = dialog.refused_view.isVisible() and "未通过校验" in dialog.refused_label.text()
        finally:  # the dialog is modal: close it whatever was found, so a failure cannot hang the test
            dialog.confirm_button.click()

    _when_modal(MergePreviewDialog, look)
    boxes.answer = messages.BTN_CLOSE
    _trigger(window, messages.ACT_MERGE)
    qtbot.waitUntil(lambda: any("合并完成" in t for t in boxes.shown), timeout=10_000)
    assert "新增 1 条" in seen["summary"] and "拒收 1 条" in seen["summary"]
    assert seen["items"] == ["要合并的活动"] and seen["checkable"] is None and seen["shown"]
    assert len(seen["refused"]) == 1 and "活动类型“宇宙大会”不是可选的值" in seen["refused"][0]
    assert live(ours, "events") == {keep: "要合并的活动"}


def test_a_file_whose_every_record_is_refused_still_shows_the_preview(
    qtbot, make_window, tmp_path, monkeypatch, boxes
):
    ours, theirs = office_file(tmp_path, "本科室"), office_file(tmp_path, "外来科室")
    _hostile_event(theirs, "宇宙活动")
    window = make_window(ours)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(theirs), "")))
    seen = []

    def look(dialog: MergePreviewDialog) -> None:
        try:
            seen.append((dialog.refused_model.rowCount(), dialog.confirm_button.isEnabled()))
        finally:
            dialog.cancel_button.click()

    _when_modal(MergePreviewDialog, look)
    _trigger(window, messages.ACT_MERGE)
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    assert seen == [(1, False)] and messages.MERGE_NOTHING not in boxes.texts()
    assert live(ours, "events") == {}


def test_save_copy_over_the_open_files_journal_is_refused(qtbot, window, monkeypatch, boxes):
    journal = window.data_file.path.with_name(window.data_file.path.name + "-journal")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(journal), "")))
    _trigger(window, messages.ACT_COPY)
    assert "旁边的日志或锁文件" in boxes.texts()
    assert not journal.exists()  # a copy planted there would be rolled into the file at its next open


def test_saving_the_check_report_over_the_data_file_is_refused(window, monkeypatch, boxes):
    path = window.data_file.path
    before = path.read_bytes()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(path), "")))
    assert window.portability_actions._save_text("检查报告", "检查报告.txt") is None
    assert path.read_bytes() == before
    assert "就是正在使用的数据文件" in boxes.texts()


def test_the_merge_done_box_says_where_the_file_was_backed_up(
    qtbot, make_window, tmp_path, monkeypatch, boxes
):
    ours, theirs = office_file(tmp_path, "本科室"), office_file(tmp_path, "外来科室")
    save(theirs, "events", {"name": "要合并的活动", "start_on": "2012-05-20"})
    window = make_window(ours)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(theirs), "")))
    _when_modal(MergePreviewDialog, lambda dialog: dialog.confirm_button.click())
    boxes.answer = messages.BTN_CLOSE
    _trigger(window, messages.ACT_MERGE)
    qtbot.waitUntil(lambda: any("合并完成" in t for t in boxes.shown), timeout=10_000)
    copy = backups.list_backups(ours)[0].path
    assert messages.MERGE_DONE.format(n=1, backup=copy) in boxes.shown
    assert str(copy) in window.portability_actions.last_report


def test_restore_on_a_server_lists_its_copies_and_saves_one_as_a_data_file(
    qtbot, make_window, pg_store, pg_cluster, tmp_path, monkeypatch, boxes
):
    import datetime as dt

    from kejiju_desktop import fields
    from kejiju_desktop.services import records
    from ui.dialogs.server_dialog import login_of
    from ui.window_server import recent_url

    for name in ("合并前的活动", "后来的活动"):
        with pg_store.writer() as session:
            records.save_record(session, fields.EVENTS, {"name": name, "start_on": "2012-05-20"})
        backups.take_server_backup(pg_store, dt.datetime.now() - dt.timedelta(minutes=len(name)))
    window = make_window()
    login = login_of(recent_url(pg_store))
    login.password = pg_cluster.password
    window.open_server_login(login)
    qtbot.waitUntil(lambda: window.data_file is not None, timeout=6000)
    target = tmp_path / "服务器备份.kjdb"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    seen = []

    def pick(dialog: RestoreBackupDialog) -> None:
        rows = [dialog.table.item(row, 2).text() for row in range(dialog.table.rowCount())]
        seen.append((dialog.hint.text(), dialog.restore_button.text(), dialog.other_button.isVisible(), rows))
        dialog.select(1)  # the older copy
        dialog.accept()

    _when_modal(RestoreBackupDialog, pick)
    _trigger(window, messages.ACT_RESTORE)
    qtbot.waitUntil(lambda: any("已另存副本" in t for t in boxes.shown), timeout=10_000)
    assert seen == [(messages.RESTORE_SERVER_HINT, messages.RESTORE_SAVE_AS, False, ["2 条", "1 条"])]
    assert list(live(target, "events").values()) == ["合并前的活动"]
    assert window.data_file.display_name == pg_store.display_name  # the server stays open, untouched
    window.close()
