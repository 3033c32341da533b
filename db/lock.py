"""The lock file beside an open data file: who holds it (host, user, process and its start time), stale or live."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import getpass
import json
import os
import socket
import uuid
from dataclasses import dataclass
from pathlib import Path

from db import messages

LOCK_SUFFIX = ".lock"


def lock_path_for(path: Path) -> Path:
    """The lock file beside a data file."""
    return path.with_name(path.name + LOCK_SUFFIX)


@dataclass(frozen=True)
class LockRecord:
    """Who wrote a lock file: host, user and process (its start time, so a reused pid is not taken for it)."""

    host: str
    user: str
    pid: int
    since: str
    token: str = ""
    started: str | None = None

    @classmethod
    def of_this_process(cls) -> LockRecord:
        pid = os.getpid()
        since = dt.datetime.now().isoformat(timespec="seconds")
        return cls(socket.gethostname(), _user_name(), pid, since, uuid.uuid4().hex, _process_started(pid))

    def holder(self) -> str:
        """Who holds the file, e.g. 电脑“PC-02”（用户 张三，自 2013-01-05 09:00:00 起）."""
        return messages.LOCK_HOLDER.format(host=self.host, user=self.user, since=self.since.replace("T", " "))

    def is_this_process(self) -> bool:
        return self.host == socket.gethostname() and self.pid == os.getpid()

    def is_stale(self) -> bool:
        """Left by a process of this PC that has ended (or whose pid now belongs to another program)."""
        if self.host != socket.gethostname():
            return False  # another PC's process cannot be looked at from here
        if not _pid_alive(self.pid):
            return True
        started = _process_started(self.pid)
        return self.started is not None and started is not None and started != self.started


@dataclass
class LockOutcome:
    """What opening found in the lock file, and the lock it wrote (None: it left the file as it was)."""

    notice: str | None = None
    holder: str | None = None
    written: LockRecord | None = None


def _user_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name is not worth failing for
        return ""


def read_lock(path: Path) -> LockRecord | None:
    """The lock beside a data file, or None when there is none (or it cannot be read)."""
    try:
        data = json.loads(lock_path_for(path).read_text(encoding="utf-8"))
        return LockRecord(
            host=str(data.get("host", "")),
            user=str(data.get("user") or ""),
            pid=int(data.get("pid") or 0),
            since=str(data.get("since") or ""),
            token=str(data.get("token") or ""),
            started=None if data.get("started") is None else str(data["started"]),
        )
    except (OSError, ValueError, TypeError, AttributeError):
        return None


def settle_lock(path: Path, *, taking: bool, take_over: bool = False) -> LockOutcome:
    """Read the lock on opening; when `taking`, write ours unless a live holder keeps it (`take_over`: the window).

    A stale lock of this PC is said to be stale and replaced, and so is one that cannot be read. A live
    holder, or another PC (whose process cannot be looked at), keeps its lock unless `take_over`, and the
    notice says which happened.
    """
    found = read_lock(path)
    if found is None and lock_path_for(path).is_file():  # there, but whose it is cannot be read
        return _replaced(path, messages.LOCK_UNREADABLE.format(name=path.name), taking)
    if found is None or found.is_this_process():
        return LockOutcome(written=_write_lock(path) if taking else None)
    name, holder = path.name, found.holder()
    if found.is_stale():
        return _replaced(path, messages.LOCK_STALE.format(name=name, holder=holder), taking)
    notice = messages.LOCKED.format(name=name, holder=holder)
    if taking and take_over:
        return LockOutcome(notice + messages.LOCK_SHARED, holder, _write_lock(path))
    return LockOutcome(notice, holder)


def _replaced(path: Path, notice: str, taking: bool) -> LockOutcome:
    """A lock no live holder is known to keep: said, and replaced by ours when `taking`."""
    if not taking:
        return LockOutcome(notice)
    return LockOutcome(notice + messages.LOCK_TAKEN_OVER, written=_write_lock(path))


def release_lock(path: Path, ours: LockRecord) -> None:
    """Remove the lock file only if it is still `ours`: a lock another process wrote since stays."""
    found = read_lock(path)
    if found is not None and found.token == ours.token:
        with contextlib.suppress(OSError):
            lock_path_for(path).unlink()


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":  # os.kill would terminate the process on Windows
        return _pid_alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _pid_alive_windows(pid: int) -> bool:
    import ctypes

    handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)
    if not handle:
        return False
    ctypes.windll.kernel32.CloseHandle(handle)
    return True


def _process_started(pid: int) -> str | None:
    """When a process started, as the OS counts it; None where that is not cheap to learn (macOS)."""
    if os.name == "nt":
        return _process_started_windows(pid)
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    # Field 22, start time in clock ticks after boot; the name before it (in parentheses) may hold spaces.
    fields = stat_line.rpartition(")")[2].split()
    return fields[19] if len(fields) > 19 else None


def _process_started_windows(pid: int) -> str | None:
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.windll.kernel32
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return None
    try:
        times = [wintypes.FILETIME() for _ in range(4)]  # creation, exit, kernel, user
        if not kernel32.GetProcessTimes(handle, *(ctypes.byref(t) for t in times)):
            return None
        return str(times[0].dwHighDateTime << 32 | times[0].dwLowDateTime)
    finally:
        kernel32.CloseHandle(handle)


def _write_lock(path: Path) -> LockRecord | None:
    record = LockRecord.of_this_process()
    target = lock_path_for(path)
    tmp = target.with_name(f"{target.name}.{record.token}")
    try:  # written whole and renamed, so a reader never sees half a lock
        tmp.write_text(json.dumps(dataclasses.asdict(record), ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return None
    return record
