"""文件 → 合并其他数据文件… on a window open on a real PostgreSQL server: the file-to-file preview and rules,
off the GUI thread, the server copied first and the copy named, the tabs showing what came in; a 录入员's
merge of another office's 永久删除 refused up front."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog
from sqlalchemy import text

from db import messages as db_messages
from db import server_accounts
from kejiju_desktop import cli
from kejiju_desktop import messages as core_messages
from kejiju_desktop.services.portability import merge
from tests.core.merge_helpers import delete, office_file, save
from tests.fixtures.server_states import add_account, bureau  # noqa: F401 - bureau: the fixture
from tests.ui.helpers import column_values, wait_counted
from tests.ui.test_portability_actions import _trigger, _when_modal
from ui import messages
from ui.dialogs.merge_preview import MergePreviewDialog
from ui.dialogs.server_dialog import ServerLogin

pytest.importorskip("psycopg")  # in CI it is installed (requirements.txt) and the server tests run


def _window_on(qtbot, make_window, cluster, database: str, account: str):
    window = make_window()
    window.open_server_login(ServerLogin(cluster.host, cluster.port, database, account, "pw"))
    qtbot.waitUntil(lambda: window.data_file is not None, timeout=6000)
    tab = window.entity_tab("events")
    window.select_tab("events")
    wait_counted(qtbot, tab)
    return window, tab


def _names_on_server(cluster, database: str) -> set[str]:
    with cluster.connect(database) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM kejiju.events")}


def test_a_window_on_a_server_merges_an_office_file_and_its_tab_shows_the_records(
    qtbot,
    make_window,
    bureau,  # noqa: F811 - the fixture
    tmp_path,
    user_home,
    monkeypatch,
    boxes,
):
    cluster, database = bureau
    office = office_file(tmp_path, "二科")
    save(office, "events", {"name": "成果展", "start_on": "2013-05-20"})
    save(office, "events", {"name": "科技周", "start_on": "2013-05-21"})
    admin = add_account(cluster, database, server_accounts.ADMIN)  # a merge moves the marks: 管理员's
    window, tab = _window_on(qtbot, make_window, cluster, database, admin)
    assert column_values(tab, "name") == ["科普日"]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(office), "")))
    previewed = []

    def confirm(dialog: MergePreviewDialog) -> None:
        previewed.append((dialog.ours_name, dialog.summary.text()))
        dialog.confirm_button.click()

    _when_modal(MergePreviewDialog, confirm)
    boxes.answer = messages.BTN_CLOSE
    _trigger(window, messages.ACT_MERGE)
    qtbot.waitUntil(lambda: any("合并完成" in text for text in boxes.shown), timeout=20_000)
    [copy] = user_home.glob("backups/*/*.kjdb")
    assert boxes.shown == [messages.SERVER_MERGED.format(n=2, backup=copy)]
    assert previewed[0][0] == window.data_file.display_name and "新增 2 条" in previewed[0][1]
    assert _names_on_server(cluster, database) == {"科普日", "成果展", "科技周"}
    qtbot.waitUntil(
        lambda: sorted(column_values(tab, "name")) == ["成果展", "科技周", "科普日"], timeout=5000
    )
    window.close_file()


def test_an_editors_merge_into_the_server_is_refused_before_the_preview(
    qtbot,
    make_window,
    bureau,  # noqa: F811 - the fixture
    tmp_path,
    user_home,
    monkeypatch,
    boxes,
):
    cluster, database = bureau
    office = office_file(tmp_path, "二科")
    uid = save(office, "events", {"name": "成果展", "start_on": "2013-05-20"})
    assert cli.main(["merge", "--db", cluster.url(database), str(office)]) == cli.EXIT_OK
    delete(office, "events", uid, purge=True)
    copies = set(user_home.glob("backups/*/*.kjdb"))
    clerk = add_account(cluster, database, server_accounts.EDITOR)
    window, _tab = _window_on(qtbot, make_window, cluster, database, clerk)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(office), "")))
    _when_modal(MergePreviewDialog, lambda dialog: pytest.fail("no preview of a merge that is refused"))
    _trigger(window, messages.ACT_MERGE)
    qtbot.waitUntil(lambda: bool(boxes.shown), timeout=20_000)
    assert boxes.shown == [messages.MERGE_REFUSED.format(reason=core_messages.MERGE_NEEDS_ADMIN)]
    assert _names_on_server(cluster, database) == {"科普日", "成果展"}
    assert set(user_home.glob("backups/*/*.kjdb")) == copies  # refused before the server was copied
    window.close_file()


def test_a_server_that_ends_the_connection_mid_merge_is_one_sentence_and_nothing_written(
    qtbot,
    make_window,
    bureau,  # noqa: F811 - the fixture
    tmp_path,
    monkeypatch,
    boxes,
):
    cluster, database = bureau
    office = office_file(tmp_path, "二科")
    save(office, "events", {"name": "成果展", "start_on": "2013-05-20"})
    clerk = add_account(cluster, database, server_accounts.ADMIN)  # a merge into a server is a 管理员's
    window, _tab = _window_on(qtbot, make_window, cluster, database, clerk)
    planned = merge.current_plan

    def server_restarted(session, plan):  # as a restarted server does, mid-transaction
        session.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))
        return planned(session, plan)

    monkeypatch.setattr(merge, "current_plan", server_restarted)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(office), "")))
    _when_modal(MergePreviewDialog, lambda dialog: dialog.confirm_button.click())
    _trigger(window, messages.ACT_MERGE)
    qtbot.waitUntil(lambda: bool(boxes.shown), timeout=20_000)
    lost = db_messages.SERVER_CONNECTION_LOST.format(name=window.data_file.display_name)
    assert boxes.shown == [messages.MERGE_REFUSED.format(reason=lost)]
    assert _names_on_server(cluster, database) == {"科普日"}
    window.close_file()


def test_a_viewers_merge_from_the_window_is_refused_for_its_account_not_a_read_only_file(
    qtbot,
    make_window,
    bureau,  # noqa: F811 - the fixture
    monkeypatch,
    boxes,
):
    cluster, database = bureau
    viewer = add_account(cluster, database, server_accounts.VIEWER)
    window, _tab = _window_on(qtbot, make_window, cluster, database, viewer)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: pytest.fail("no file asked"))
    )
    boxes.shown.clear()  # the notice on opening: 查看 only
    _trigger(window, messages.ACT_MERGE)
    qtbot.waitUntil(lambda: bool(boxes.shown), timeout=5000)
    assert boxes.shown == [messages.READ_ONLY_SERVER]
    window.close_file()
