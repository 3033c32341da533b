"""Automatic backups: rotation across simulated dates, compressed copies with counts, restore, refusals."""

from __future__ import annotations

import datetime as dt
import gzip
import sqlite3

import pytest

from db.database import open_data_file, probe
from kejiju_desktop import fields, paths
from kejiju_desktop.services import records
from kejiju_desktop.services.portability import backups, rotation

T0 = dt.datetime(2013, 1, 1, 9, 0)


def _simulate(days: int, per_day: int = 3) -> tuple[set, dt.datetime]:
    """Backups taken `per_day` times a day for `days` days, rotating after each; returns what survives."""
    kept: set = set()
    stamps: dict = {}
    now = T0
    for day in range(days):
        for hour in range(per_day):
            now = T0 + dt.timedelta(days=day, hours=3 * hour)
            stamps[now] = rotation.Stamp(now, now, 1000)
            kept = rotation.choose_kept([stamps[k] for k in stamps], now)
            stamps = {k: v for k, v in stamps.items() if k in kept}
    return kept, now


def test_rotation_keeps_ten_recent_then_daily_weekly_monthly():
    kept, now = _simulate(400)
    recent = [k for k in kept if now - k <= dt.timedelta(days=2)]
    assert len(recent) == 7  # every one of the past 2 days (3 a day, both ends included): fewer than 10
    older = sorted((k for k in kept if now - k > dt.timedelta(days=2)), reverse=True)
    days = [k.date() for k in older[:12]]
    assert days == [(now - dt.timedelta(days=2 + i)).date() for i in range(12)]
    assert len(kept) <= 10 + 12 + 10 + 9
    assert min(kept) < now - dt.timedelta(days=200)  # monthly ones reach back most of a year
    months = {(k.year, k.month) for k in older[12 + 10 :]}
    assert len(months) == len(older[12 + 10 :])  # one a month beyond the weekly tier


def test_rotation_keeps_at_most_ten_from_the_past_two_days():
    now = T0
    stamps = [rotation.Stamp(i, now - dt.timedelta(minutes=30 * i), 10) for i in range(30)]
    kept = rotation.choose_kept(stamps, now)
    assert kept == set(range(10))


def test_rotation_respects_the_size_cap_but_keeps_the_newest():
    stamps = [rotation.Stamp(i, T0 - dt.timedelta(days=i), 400) for i in range(10)]
    assert rotation.choose_kept(stamps, T0, cap_bytes=1000) == {0, 1}
    assert rotation.choose_kept(stamps[:1], T0, cap_bytes=10) == {0}


def _add_event(data, name="科技活动周"):
    with data.sessions.begin() as s:
        records.save_record(s, fields.entity("events"), {"name": name, "start_on": "2012-05-20"})


def test_backup_is_compressed_in_the_files_backup_folder_with_counts(data):
    _add_event(data)
    info = backups.take_backup(data.path, reason="open", now=T0)
    assert info.path.parent == paths.backups_dir_for(data.path)
    assert info.path.name.endswith(".kjdb.gz")
    with gzip.open(info.path) as fh:
        assert fh.read(16) == b"SQLite format 3\x00"
    (listed,) = backups.list_backups(data.path)
    assert listed.counts["events"] == 1 and listed.reason == "open" and listed.taken_at == T0


def test_backups_rotate_on_disk_across_simulated_dates(db_file):
    for day in range(40):
        backups.take_backup(db_file, reason="open", now=T0 + dt.timedelta(days=day))
    listed = backups.list_backups(db_file)
    days = [b.taken_at.date() for b in listed]
    assert days[:15] == [(T0 + dt.timedelta(days=39 - i)).date() for i in range(15)]  # 3 recent + 12 daily
    weeks = [b.taken_at.isocalendar()[:2] for b in listed[15:]]
    assert weeks and len(set(weeks)) == len(weeks)  # then one a week
    assert len(list(paths.backups_dir_for(db_file).iterdir())) == 2 * len(listed)


def test_backup_if_due_skips_unchanged_files_and_honours_the_interval(data):
    first = backups.backup_if_due(data.path, reason="open", now=T0)
    assert first is not None
    assert backups.backup_if_due(data.path, reason="open", now=T0 + dt.timedelta(hours=1)) is None
    _add_event(data)
    soon = T0 + dt.timedelta(minutes=10)
    assert (
        backups.backup_if_due(data.path, reason="interval", now=soon, min_interval=backups.MIN_INTERVAL)
        is None
    )
    later = T0 + dt.timedelta(minutes=31)
    assert backups.backup_if_due(data.path, reason="interval", now=later, min_interval=backups.MIN_INTERVAL)


def test_no_backup_from_a_file_failing_quick_check(db_file):
    conn = sqlite3.connect(db_file)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    raw = bytearray(db_file.read_bytes())
    for page in range(2, len(raw) // page_size):
        raw[page * page_size + 8 : page * page_size + 40] = b"\xff" * 32  # scramble b-tree pages
    db_file.write_bytes(bytes(raw))
    with pytest.raises(backups.BackupRefused):
        backups.take_backup(db_file, now=T0)
    assert backups.list_backups(db_file) == []


def test_restore_puts_the_backup_back_after_backing_up_the_current_file(data):
    _add_event(data, "备份前的活动")
    taken = backups.take_backup(data.path, now=T0)
    _add_event(data, "备份后的活动")
    path = data.path
    data.close()
    backups.restore_backup(taken, path, now=T0 + dt.timedelta(hours=1))
    probe(path, full_check=True)
    reopened = open_data_file(path)
    with reopened.sessions() as s:
        assert records.count(s, fields.entity("events"), records.Query()) == 1
    reopened.close()
    safety = backups.list_backups(path)[0]
    assert safety.reason == "restore" and safety.counts["events"] == 2


def test_restoring_a_broken_backup_leaves_the_file_alone(data):
    taken = backups.take_backup(data.path, now=T0)
    taken.path.write_bytes(b"\x1f\x8b broken")
    path = data.path
    data.close()
    before = path.read_bytes()
    with pytest.raises(Exception, match="未恢复"):
        backups.restore_backup(taken, path)
    assert path.read_bytes() == before
