"""Which automatic backups to keep: a pure function of (backups with times and sizes, now)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

RECENT_WINDOW = dt.timedelta(days=2)
RECENT_COUNT = 10
DAILY_COUNT = 12
WEEKLY_COUNT = 10
MONTHLY_COUNT = 9
DEFAULT_CAP_BYTES = 1024 * 1024 * 1024


@dataclass(frozen=True)
class Stamp:
    """One backup as rotation sees it: any key, when it was taken (local time) and its size."""

    key: Hashable
    taken_at: dt.datetime
    size: int = 0


def choose_kept(backups: Sequence[Stamp], now: dt.datetime, cap_bytes: int = DEFAULT_CAP_BYTES) -> set:
    """Keys to keep: the last 10 of the past 2 days, then 12 daily, 10 weekly, 9 monthly, within a size cap.

    Each tier covers only backups older than everything the tier before it kept, so together they
    reach back about a year. The newest backup is always kept, even alone above the cap.
    """
    newest_first = sorted(backups, key=lambda b: b.taken_at, reverse=True)
    recent = [b for b in newest_first if now - b.taken_at <= RECENT_WINDOW][:RECENT_COUNT]
    kept = list(recent)
    older = [b for b in newest_first if now - b.taken_at > RECENT_WINDOW]
    for bucket, count in ((_day, DAILY_COUNT), (_week, WEEKLY_COUNT), (_month, MONTHLY_COUNT)):
        chosen = _one_per_bucket(older, bucket, count)
        kept += chosen
        if chosen:
            oldest = chosen[-1].taken_at
            older = [b for b in older if b.taken_at < oldest and bucket(b.taken_at) != bucket(oldest)]
    return {b.key for b in _within_cap(kept, cap_bytes)}


def _one_per_bucket(newest_first: list[Stamp], bucket: Callable, count: int) -> list[Stamp]:
    chosen: list[Stamp] = []
    seen = set()
    for backup in newest_first:
        label = bucket(backup.taken_at)
        if label not in seen:
            seen.add(label)
            chosen.append(backup)
            if len(chosen) == count:
                break
    return chosen


def _within_cap(kept: list[Stamp], cap_bytes: int) -> list[Stamp]:
    newest_first = sorted(set(kept), key=lambda b: b.taken_at, reverse=True)
    total, result = 0, []
    for backup in newest_first:
        if result and total + backup.size > cap_bytes:
            break
        total += backup.size
        result.append(backup)
    return result


def _day(moment: dt.datetime) -> dt.date:
    return moment.date()


def _week(moment: dt.datetime) -> tuple[int, int]:
    iso = moment.isocalendar()
    return iso.year, iso.week


def _month(moment: dt.datetime) -> tuple[int, int]:
    return moment.year, moment.month
