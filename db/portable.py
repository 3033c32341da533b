"""SQLite-specific file work for carrying data files: backup-API copies, checks, untrusted opens, media."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import sessionmaker

from db import messages, search
from db.database import (
    CLEAN_CLOSE_KEY,
    CannotWriteError,
    DamagedFileError,
    DataFile,
    DataFileError,
    make_engine,
    probe,
)
from db.journal import Settled, settle_journal
from db.models import ENTITY_MODELS
from db.reasons import reason_of
from db.schema import SCHEMA_HEAD
from db.uri import file_uri

NETWORK_FS = {"nfs", "nfs4", "cifs", "smb3", "smbfs", "sshfs", "fuse.sshfs", "9p", "afs", "davfs", "ncpfs"}
REMOVABLE_ROOTS = ("/media/", "/run/media/", "/Volumes/")
BACKUP_STEP_PAGES = 4096
BUSY_LIMIT_S = 60.0
MSG_BUSY = "数据文件“{name}”一直被其他程序或电脑锁定，暂时无法复制。"
MSG_SAME_FILE = "副本不能与原文件是同一个文件。"
MSG_BAD_COPY = "副本写出后校验未通过，已放弃（原文件未改动）。"


def _connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
    if read_only:
        conn = sqlite3.connect(file_uri(path, mode="ro"), uri=True)
    else:
        conn = sqlite3.connect(path)
    conn.execute("PRAGMA trusted_schema=OFF")
    conn.execute("PRAGMA busy_timeout=10000")
    return conn


class BusyError(DataFileError):
    """The file stayed locked by someone else for too long to copy it."""


def snapshot(src: Path | str, dest: Path | str, *, untrusted: bool = False) -> None:
    """Copy `src` to the new file `dest` page by page with SQLite's backup API (consistent while in use).

    A journal a crash left beside our own file is dealt with first (db/journal.py); an untrusted file
    is only ever opened read-only. Raises BusyError, DamagedFileError or ForeignJournalError.
    """
    src, dest = Path(src), Path(dest)
    settled = Settled(src) if untrusted else settle_journal(src)
    try:
        _backup(settled.read_path, dest, untrusted)
    except sqlite3.OperationalError as exc:
        text = str(exc)
        if "locked" in text or "busy" in text:
            raise BusyError(src, MSG_BUSY.format(name=src.name)) from exc
        if "full" in text or "readonly" in text or "unable to open" in text:
            raise CannotWriteError(
                dest, messages.CANNOT_WRITE.format(path=dest, reason=reason_of(exc))
            ) from exc
        raise DamagedFileError(src, messages.DAMAGED.format(name=src.name)) from exc
    except sqlite3.DatabaseError as exc:
        raise DamagedFileError(src, messages.DAMAGED.format(name=src.name)) from exc
    finally:
        settled.discard()


def _backup(src: Path, dest: Path, untrusted: bool) -> None:
    source = _connect(src, read_only=untrusted)
    target = sqlite3.connect(dest)
    try:
        target.execute("PRAGMA trusted_schema=OFF")
        # In steps, so the program's own writes wait for one step at most; a file held locked by
        # someone else for longer than BUSY_LIMIT_S gives up instead of waiting for ever.
        source.backup(target, pages=BACKUP_STEP_PAGES, progress=_deadline(), sleep=0.05)
        if not untrusted:  # a copy of ours is consistent: it needs no quick_check at its next open
            target.execute("UPDATE settings SET value='1' WHERE key=?", (CLEAN_CLOSE_KEY,))
            target.commit()
    finally:
        target.close()
        source.close()


def _deadline():
    start = time.monotonic()

    def progress(status: int, _remaining: int, _total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() - start > BUSY_LIMIT_S:
            raise sqlite3.OperationalError("database is locked")

    return progress


def is_sound(path: Path | str) -> bool:
    """True when PRAGMA quick_check finds the file sound; a journal beside it is settled first (db/journal.py)."""
    try:
        settled = settle_journal(path)
    except DataFileError:
        return False
    try:
        return _quick_check(settled.read_path)
    finally:
        settled.discard()


def _quick_check(path: Path) -> bool:
    try:
        conn = _connect(path, read_only=False)
    except sqlite3.Error:
        return False
    try:
        return [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()] == ["ok"]
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()


def copy_consistent(src: Path | str, dst: Path | str, *, overwrite: bool = False) -> None:
    """另存副本: a verified backup-API copy written under a temporary name, then renamed into place."""
    src, dst = Path(src), Path(dst)
    if dst.exists() and not overwrite:
        raise CannotWriteError(dst, messages.EXISTS.format(path=dst))
    if dst.exists() and dst.resolve() == src.resolve():
        raise CannotWriteError(dst, MSG_SAME_FILE)
    tmp = dst.with_name(f".{dst.name}.{os.getpid()}.copying")
    try:
        dst.parent.mkdir(parents=True, exist_ok=True)
        _snapshot_to(src, tmp, dst)
        if not is_sound(tmp):
            raise CannotWriteError(dst, MSG_BAD_COPY)
        os.replace(tmp, dst)
    except OSError as exc:
        raise CannotWriteError(dst, messages.CANNOT_WRITE.format(path=dst, reason=reason_of(exc))) from exc
    except sqlite3.DatabaseError as exc:
        raise DamagedFileError(src, messages.DAMAGED.format(name=src.name)) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _snapshot_to(src: Path, tmp: Path, dst: Path) -> None:
    try:
        snapshot(src, tmp)
    except CannotWriteError as exc:  # name the file the clerk asked for, not the temporary one
        raise CannotWriteError(
            dst, messages.CANNOT_WRITE.format(path=dst, reason=reason_of(exc.__cause__))
        ) from exc


def record_counts(path: Path | str) -> dict[str, int]:
    """Live records per entity table."""
    conn = _connect(Path(path), read_only=True)
    try:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table} WHERE deleted_at IS NULL").fetchone()[0]
            for table in ENTITY_MODELS
        }
    finally:
        conn.close()


def fingerprint(path: Path | str) -> str:
    """A short digest that changes whenever a record or the change log changes."""
    conn = _connect(Path(path), read_only=False)
    try:
        parts = [conn.execute("SELECT max(id), count(*) FROM change_log").fetchone()]
        for table in ENTITY_MODELS:
            parts.append(conn.execute(f"SELECT max(updated_at), count(*) FROM {table}").fetchone())
    finally:
        conn.close()
    return hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()[:16]


# --- untrusted incoming files ------------------------------------------------------------------


@dataclass
class UntrustedFile:
    """Another office's file, open read-only; `data.path` is the file itself, perhaps read via a copy."""

    data: DataFile
    upgraded_copy: Path | None = None

    def close(self) -> None:
        """Dispose of the engine and remove a temporary upgraded copy."""
        self.data.engine.dispose()
        if self.upgraded_copy is not None:
            shutil.rmtree(self.upgraded_copy.parent, ignore_errors=True)


def open_untrusted(path: Path | str) -> UntrustedFile:
    """Open another office's file read-only (trusted_schema=OFF) after probe, its shape check and quick_check.

    An older schema is upgraded in a temporary copy (its triggers and views dropped first), never in place.
    Raises a DataFileError whose message is the sentence to show.
    """
    path = Path(path)
    info = probe(path, full_check=True)
    copy = _upgraded_copy(path) if info.revision != SCHEMA_HEAD else None
    engine = make_engine(copy or path, read_only=True)
    data = DataFile(path, engine, sessionmaker(engine), read_only=True)
    return UntrustedFile(data, copy)


def _upgraded_copy(path: Path) -> Path:
    from db.migrate import upgrade_to_head

    folder = Path(tempfile.mkdtemp(prefix="kejiju-incoming-"))
    copy = folder / "incoming.kjdb"
    try:
        snapshot(path, copy, untrusted=True)
        _drop_code(copy)
        engine = make_engine(copy)
        try:
            upgrade_to_head(engine)
            with engine.begin() as conn:
                search.restore_triggers(conn)
        finally:
            engine.dispose()
    except Exception as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise DamagedFileError(path, messages.DAMAGED.format(name=path.name)) from exc
    return copy


def _drop_code(copy: Path) -> None:
    conn = sqlite3.connect(copy)
    try:
        conn.execute("PRAGMA trusted_schema=OFF")
        rows = conn.execute(
            "SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view')"
        ).fetchall()
        for kind, name in rows:
            conn.execute(f'DROP {kind.upper()} IF EXISTS "{name.replace(chr(34), chr(34) * 2)}"')
        conn.commit()
    finally:
        conn.close()


# --- where the file lives ----------------------------------------------------------------------


def is_removable_or_network(path: Path | str) -> bool:
    """True for a file on a network share or removable media (USB stick, card), where locking is unsafe."""
    resolved = Path(path).resolve()
    if os.name == "nt":
        return _windows_removable_or_network(resolved)
    try:
        mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        mounts = ""
    return removable_or_network_from_mounts(str(resolved), mounts)


def removable_or_network_from_mounts(path: str, mounts: str) -> bool:
    """Decide from /proc/mounts text: network file system, a removable block device, or a media folder."""
    best = ("", "", "")
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        device, point, fstype = parts[0], parts[1].replace("\\040", " "), parts[2]
        inside = path == point or path.startswith(point.rstrip("/") + "/")
        if inside and len(point) > len(best[1]):
            best = (device, point, fstype)
    device, point, fstype = best
    if fstype in NETWORK_FS or path.startswith("//"):
        return True
    if any((point + "/").startswith(root) for root in REMOVABLE_ROOTS):
        return True
    return _block_device_removable(device)


def _block_device_removable(device: str) -> bool:
    if not device.startswith("/dev/"):
        return False
    name = Path(device).name.rstrip("0123456789")
    if name.startswith("nvme") or name.startswith("mmcblk"):
        name = name.rstrip("p")
    try:
        return Path(f"/sys/block/{name}/removable").read_text().strip() == "1"
    except OSError:
        return False


def _windows_removable_or_network(path: Path) -> bool:
    text = str(path)
    if text.startswith("\\\\"):
        return True
    import ctypes

    drive_type = ctypes.windll.kernel32.GetDriveTypeW(path.anchor)
    return drive_type in (2, 4)  # DRIVE_REMOVABLE, DRIVE_REMOTE
