"""A file merge says where the copy taken before it went, as a server merge does (MergeResult.backup)."""

from __future__ import annotations

from kejiju_desktop import cli, messages
from kejiju_desktop.services.portability import backups
from tests.core.merge_helpers import merge, office_file, save


def test_a_file_merge_returns_the_backup_it_took_first(tmp_path):
    ours, theirs = office_file(tmp_path, "本科室"), office_file(tmp_path, "外来科室")
    save(theirs, "events", {"name": "科普日活动", "start_on": "2012-09-15"})
    _plan, result = merge(ours, theirs)
    newest = backups.list_backups(ours)[0]
    assert newest.reason == "merge" and result.backup == newest.path and result.backup.exists()


def test_the_command_line_says_where_the_file_was_backed_up(tmp_path, capsys):
    ours, theirs = office_file(tmp_path, "本科室"), office_file(tmp_path, "外来科室")
    save(theirs, "events", {"name": "科普日活动", "start_on": "2012-09-15"})
    assert cli.main(["merge", "--db", str(ours), str(theirs)]) == cli.EXIT_OK
    copy = backups.list_backups(ours)[0].path
    assert messages.MERGE_DONE.format(n=1, backup=copy) in capsys.readouterr().out
