"""Automatic compressed backups per data file: take, list, rotate and restore."""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from db import portable
from db.database import DamagedFileError, DataFileError, probe
from db.store import Store
from kejiju_desktop import messages as service_messages
from kejiju_desktop import paths
from kejiju_desktop.services.portability import rotation

SUFFIX = ".kjdb.gz"
META_SUFFIX = ".json"
SERVER_SUFFIX = ".kjdb"  # a server's copy is an ordinary data file: it opens and merges as one
UNSAFE_IN_NAMES = re.compile(
    r'[\\/:*?"<>|\s\x00-\x1f\x7f]'
)  # what a database name may hold but a Windows folder not
STAMP_FORMAT = "%Y%m%d-%H%M%S"
# A backup's name before its suffix (_free_name): only such files are listed, and so pruned, never a file
# of the clerk's own put in the folder.
STAMPED = re.compile(r"\d{8}-\d{6}(-\d+)?")
MIN_INTERVAL = dt.timedelta(minutes=30)


class BackupRefused(Exception):
    """No backup taken (the file fails the quick check, or there is no file); `str()` is the sentence."""


@dataclass
class BackupInfo:
    """One automatic backup: its file, when, why, and how many live records of each kind it holds."""

    path: Path
    taken_at: dt.datetime
    reason: str = ""
    size: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    fingerprint: str = ""

    @property
    def reason_label(self) -> str:
        return service_messages.BACKUP_REASONS.get(self.reason, self.reason)

    @property
    def total_records(self) -> int:
        return sum(self.counts.values())


def take_backup(
    data_path: Path | str,
    *,
    reason: str = "manual",
    now: dt.datetime | None = None,
    cap_bytes: int = rotation.DEFAULT_CAP_BYTES,
) -> BackupInfo:
    """Copy the file consistently, gzip it into its backup folder, then rotate; refuse a damaged file."""
    data_path = Path(data_path)
    if not portable.is_sound(data_path):
        raise BackupRefused(service_messages.BACKUP_REFUSED_DAMAGED.format(name=data_path.name))
    now = now or dt.datetime.now()
    folder = paths.backups_dir_for(data_path)
    target = _free_name(folder, now)
    raw = target.with_name(target.name + ".raw")
    try:
        _snapshot(data_path, raw)
        info = BackupInfo(target, now, reason, counts=portable.record_counts(raw))
        info.fingerprint = portable.fingerprint(raw)
        partial = _gzip(raw, target)
        info.size = partial.stat().st_size
        # The description first, the backup last: a reader never sees a backup without its counts.
        _meta_path(target).write_text(json.dumps(_meta(info), ensure_ascii=False), encoding="utf-8")
        os.replace(partial, target)
    finally:
        for leftover in (raw, target.with_name(target.name + ".partial")):
            with contextlib.suppress(OSError):
                leftover.unlink()
    rotate(data_path, now, cap_bytes, keep=target)
    return info


def take_store_backup(store: Store, *, reason: str) -> BackupInfo:
    """take_backup of an open store's data file; a store that is no file (a server) is refused."""
    path = store.capabilities.file_path
    if path is None:
        raise BackupRefused(service_messages.NO_FILE_TO_BACK_UP.format(name=store.display_name))
    return take_backup(path, reason=reason)


def take_server_backup(
    store: Store, now: dt.datetime | None = None, cap_bytes: int = rotation.DEFAULT_CAP_BYTES
) -> Path:
    """A store that is no file (a server) copied whole as a new data file into its backup folder, before a
    merge writes into it (its administrator's own backups aside), then that folder rotated as a data
    file's backups are; returns the file written."""
    now = now or dt.datetime.now()
    target = _free_name(server_backups_dir(store.display_name), now, SERVER_SUFFIX)
    partial = target.with_name(target.name + ".partial")
    try:
        store.backup_to(partial)
        info = BackupInfo(target, now, "merge", partial.stat().st_size, portable.record_counts(partial))
        # The description first, the copy last, as take_backup does.
        _meta_path(target).write_text(json.dumps(_meta(info), ensure_ascii=False), encoding="utf-8")
        os.replace(partial, target)
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()
    _prune(list_server_backups(store.display_name), now, cap_bytes, keep=target)
    return target


def list_server_backups(display_name: str) -> list[BackupInfo]:
    """The copies of the server database `display_name` names, taken before merges, newest first."""
    return _listed(server_backups_dir(display_name), SERVER_SUFFIX)


def server_backups_dir(display_name: str) -> Path:
    """A server database's backup folder beside the data files' (paths.backups_dir_for): its name plus a
    short hash of host, port and name, from `display_name` ("account@host:port/database")."""
    # The account aside: every clerk's copies of one database in one folder.
    where = display_name.rpartition("@")[2]
    database = UNSAFE_IN_NAMES.sub("_", where.rpartition("/")[2])
    digest = hashlib.sha1(where.encode("utf-8")).hexdigest()[:8]
    folder = paths.user_data_dir() / "backups" / f"{database}-{digest}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _snapshot(data_path: Path, raw: Path) -> None:
    try:
        portable.snapshot(data_path, raw)
    except DataFileError as exc:
        raise BackupRefused(exc.message) from exc


def _free_name(folder: Path, now: dt.datetime, suffix: str = SUFFIX) -> Path:
    base = now.strftime(STAMP_FORMAT)
    candidate = folder / (base + suffix)
    n = 1
    while candidate.exists():
        candidate = folder / f"{base}-{n}{suffix}"
        n += 1
    return candidate


def _gzip(raw: Path, target: Path) -> Path:
    partial = target.with_name(target.name + ".partial")
    with raw.open("rb") as src, gzip.open(partial, "wb", compresslevel=1) as dst:
        shutil.copyfileobj(src, dst, 1024 * 1024)
    return partial


def _meta_path(backup: Path) -> Path:
    # A backup's name is its time stamp (no dots) and SUFFIX, or SERVER_SUFFIX for a server's copy.
    return backup.with_name(backup.name.split(".")[0] + META_SUFFIX)


def _meta(info: BackupInfo) -> dict:
    return {
        "taken_at": info.taken_at.isoformat(timespec="microseconds"),
        "reason": info.reason,
        "counts": info.counts,
        "fingerprint": info.fingerprint,
    }


def list_backups(data_path: Path | str) -> list[BackupInfo]:
    """The data file's backups, newest first."""
    return _listed(paths.backups_dir_for(Path(data_path)), SUFFIX)


def _listed(folder: Path, suffix: str) -> list[BackupInfo]:
    found = [_read_info(p) for p in folder.glob("*" + suffix)]
    return sorted((b for b in found if b is not None), key=lambda b: b.taken_at, reverse=True)


def _read_info(path: Path) -> BackupInfo | None:
    if not STAMPED.fullmatch(path.name.split(".")[0]):
        return None
    try:
        meta = json.loads(_meta_path(path).read_text(encoding="utf-8"))
        taken = dt.datetime.fromisoformat(meta["taken_at"])
    except (OSError, ValueError, KeyError, TypeError):
        meta = {}
        try:
            taken = dt.datetime.strptime(path.name[:15], STAMP_FORMAT)
        except ValueError:
            return None
    size = path.stat().st_size if path.exists() else 0
    counts = {str(k): int(v) for k, v in dict(meta.get("counts") or {}).items()}
    return BackupInfo(
        path, taken, str(meta.get("reason", "")), size, counts, str(meta.get("fingerprint", ""))
    )


def rotate(
    data_path: Path | str,
    now: dt.datetime,
    cap_bytes: int = rotation.DEFAULT_CAP_BYTES,
    keep: Path | None = None,
) -> list[Path]:
    """Delete the backups the rotation policy no longer keeps (never `keep`); return what was deleted."""
    return _prune(list_backups(data_path), now, cap_bytes, keep)


def _prune(backups: list[BackupInfo], now: dt.datetime, cap_bytes: int, keep: Path | None) -> list[Path]:
    stamps = [rotation.Stamp(b.path, b.taken_at, b.size) for b in backups]
    # The copy just taken is kept whatever its time: a clock set back makes older copies look newer.
    kept = rotation.choose_kept(stamps, now, cap_bytes) | {keep}
    removed = []
    for backup in backups:
        if backup.path not in kept:
            for p in (backup.path, _meta_path(backup.path)):
                with contextlib.suppress(OSError):
                    p.unlink()
            removed.append(backup.path)
    return removed


def changed_since_last_backup(data_path: Path | str) -> bool:
    """True when the file's records differ from its newest backup (or there is none)."""
    backups = list_backups(data_path)
    if not backups:
        return True
    try:
        return portable.fingerprint(data_path) != backups[0].fingerprint
    except Exception:  # noqa: BLE001 - an unreadable file is reported by the backup attempt itself
        return True


def backup_if_due(
    data_path: Path | str,
    *,
    reason: str,
    now: dt.datetime | None = None,
    min_interval: dt.timedelta | None = None,
) -> BackupInfo | None:
    """Back up when the file changed since the newest backup and that one is at least `min_interval` old."""
    now = now or dt.datetime.now()
    backups = list_backups(data_path)
    if backups and min_interval is not None and now - backups[0].taken_at < min_interval:
        return None
    if not changed_since_last_backup(data_path):
        return None
    return take_backup(data_path, reason=reason, now=now)


def before_upgrade(data_path: Path) -> None:
    """For open_data_file(before_upgrade=…): back up a file before its schema is upgraded."""
    take_backup(data_path, reason="upgrade")


def restore_backup(backup: BackupInfo, data_path: Path | str, now: dt.datetime | None = None) -> list[str]:
    """Put a backup in place of the (closed) data file, backing up the current file first; return notes."""
    data_path = Path(data_path)
    restored = data_path.with_name(f".{data_path.name}.restoring")
    try:
        with gzip.open(backup.path, "rb") as src, restored.open("wb") as dst:
            shutil.copyfileobj(src, dst, 1024 * 1024)
        probe(restored, full_check=True)
    except (OSError, EOFError, gzip.BadGzipFile, DataFileError) as exc:
        with contextlib.suppress(OSError):
            restored.unlink()
        raise DamagedFileError(
            backup.path, service_messages.RESTORE_BAD_BACKUP.format(name=backup.path.name)
        ) from exc
    notes = _secure_current(data_path, now)
    os.replace(restored, data_path)
    notes.append(
        service_messages.RESTORE_DONE.format(time=backup.taken_at.strftime(service_messages.TIME_FORMAT))
    )
    return notes


def _secure_current(data_path: Path, now: dt.datetime | None) -> list[str]:
    if not data_path.exists():
        return []
    try:
        take_backup(data_path, reason="restore", now=now)
        return []
    except (BackupRefused, DataFileError, OSError):
        stamp = (now or dt.datetime.now()).strftime(STAMP_FORMAT)
        aside = data_path.with_name(
            service_messages.DAMAGED_COPY_NAME.format(
                stem=data_path.stem, stamp=stamp, suffix=data_path.suffix
            )
        )
        shutil.copy2(data_path, aside)
        return [service_messages.DAMAGED_SET_ASIDE.format(name=aside.name)]
