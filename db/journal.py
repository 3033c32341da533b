"""A rollback journal beside a data file: rolled back only where it is shown to belong to that file."""

from __future__ import annotations

import dataclasses
import logging
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from db import messages
from db.database import (
    APPLICATION_ID,
    SQLITE_HEADER,
    DataFileError,
    FileInfo,
    NewerVersionError,
    _is_writable,
    _raw_readonly,
    probe,
)
from db.engine import JOURNAL_NONCE

log = logging.getLogger(__name__)

JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")
READONLY_ROLLBACK = 776  # SQLITE_READONLY_ROLLBACK: a read-only connection found a hot journal
# Page-1 header bytes no transaction changes: page size and format bytes, text encoding, application_id.
FIXED_HEADER = (slice(16, 24), slice(56, 60), slice(68, 72))
JOURNAL_HEADER = 28  # magic, record count, nonce, initial page count, sector size, page size
USER_VERSION = slice(60, 64)  # our writers keep their journal's nonce there (db/database.py)
LOCK_BYTE = 0x40000000  # SQLite's lock bytes sit at 1 GiB: the page holding them keeps no data


class ForeignJournalError(DataFileError):
    """A hot journal beside the file that is not shown to belong to it; file and journal are left as they were."""


class CutShortJournalError(ForeignJournalError):
    """The file's own journal, but with records missing (a copy broken off): rolling it back would undo
    only part of the transaction, so the file and the journal are left as they were."""


@dataclass
class Settled:
    """Where to read a data file once the journal beside it is dealt with: the file, or a rolled-back copy."""

    read_path: Path
    notice: str | None = None

    def discard(self) -> None:
        """Remove the temporary rolled-back copy, if there is one."""
        if self.notice is not None:
            shutil.rmtree(self.read_path.parent, ignore_errors=True)


def journal_of(path: Path) -> Path:
    """The rollback journal SQLite keeps beside `path`."""
    return path.with_name(path.name + "-journal")


def settle_journal(path: Path | str) -> Settled:
    """Deal with a journal a crash left beside our data file `path`, the same way for every command.

    Nothing happens without a hot journal (none, empty, a zeroed header, or a live writer's). A hot one is
    first rolled back in a temporary copy; only when page 1 shows it is the file's own (`_belongs`) and
    the copy then passes probe's full check (quick_check, our application_id, a known revision) is the
    file itself rolled back. A file that cannot be written is read through the rolled-back copy instead (its notice says
    so). Raises ForeignJournalError and leaves the file and the journal byte for byte as they were.
    """
    given = Path(path)
    # SQLite keeps (and plays back) the journal beside the file a symbolic link points to.
    path = given.resolve() if given.is_symlink() else given
    if journal_of(path).is_dir():  # SQLite can neither read nor make its journal: no open would work
        raise DataFileError(path, _sentence(messages.JOURNAL_IS_FOLDER, path))
    if not _is_ours(path) or not _is_hot(path):
        return Settled(given)
    copy = _rolled_back_copy(path)
    if _is_writable(path) and _rolled_back_in_place(path):
        shutil.rmtree(copy.parent, ignore_errors=True)
        probe(path, full_check=True)
        return Settled(given)
    return Settled(copy, messages.JOURNAL_COPY.format(name=path.name))


def _rolled_back_in_place(path: Path) -> bool:
    try:
        _roll_back(path)
    except sqlite3.Error as exc:  # SQLite keeps the journal until a rollback is complete: nothing lost
        log.info("rolling back the journal beside %s failed: %s", path, exc)
        return False
    log.info("rolled back an unfinished transaction left in %s", path)
    return True


def probe_data_file(path: Path | str, *, full_check: bool = False) -> FileInfo:
    """probe() for a data file of ours, after settle_journal() has dealt with a journal beside it."""
    path = Path(path)
    settled = settle_journal(path)
    try:
        info = probe(settled.read_path, full_check=full_check)
    finally:
        settled.discard()
    return info if settled.read_path == path else dataclasses.replace(info, writable=False)


def _is_ours(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            header = fh.read(72)
    except OSError:
        return False
    return header.startswith(SQLITE_HEADER) and int.from_bytes(header[68:72], "big") == APPLICATION_ID


def _is_hot(path: Path) -> bool:
    """SQLite's own verdict (it also sees a live writer's lock): a read-only connection refuses a hot journal."""
    if not journal_of(path).is_file():
        return False
    try:
        conn = _raw_readonly(path)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return getattr(exc, "sqlite_errorcode", None) == READONLY_ROLLBACK
    return False


def _rolled_back_copy(path: Path) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="kejiju-journal-"))
    copy = folder / path.name
    try:
        shutil.copyfile(path, copy)
        shutil.copyfile(journal_of(path), journal_of(copy))
    except OSError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise DataFileError(path, _sentence(messages.JOURNAL_UNCHECKED, path)) from exc
    try:
        reason = _disproof(copy)
    except NewerVersionError as exc:  # the file's own journal, for the newer program to roll back
        shutil.rmtree(folder, ignore_errors=True)
        raise NewerVersionError(path, messages.NEWER.format(name=path.name)) from exc
    except CutShortJournalError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise CutShortJournalError(path, _sentence(messages.JOURNAL_CUT_SHORT, path)) from exc
    except (OSError, sqlite3.Error, DataFileError) as exc:
        reason = str(exc)
    if reason is not None:
        shutil.rmtree(folder, ignore_errors=True)
        log.info("journal beside %s refused: %s", path, reason)
        raise ForeignJournalError(path, _sentence(messages.FOREIGN_JOURNAL, path))
    return copy


def _disproof(copy: Path) -> str | None:
    """Why the journal beside `copy` does not belong to it, or None once the rolled-back copy checks out."""
    if not _belongs(copy, journal_of(copy)):
        return "page 1 of the file does not show the journal as its own"
    if _cut_short(journal_of(copy)):
        raise CutShortJournalError(copy, "records missing")
    _roll_back(copy)
    probe(copy, full_check=True)
    return None


def _sentence(template: str, path: Path) -> str:
    return template.format(name=path.name, journal=journal_of(path).name)


def _roll_back(path: Path) -> None:
    """A writing connection's first read rolls a hot journal back into the file and deletes it."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA trusted_schema=OFF")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        conn.close()
    if journal_of(path).is_file() and _is_hot(path):
        raise sqlite3.OperationalError("the journal was not rolled back")


def _belongs(path: Path, journal: Path) -> bool:
    """Page 1 of the file shows that the journal is its own, as our writers leave both (db/database.py).

    Each transaction of ours journals page 1 first and stores the journal's nonce as user_version, so a
    hot journal of ours holds page 1, and the file's page 1 is that original (nothing committed since)
    or the one that very transaction wrote (its nonce). A VACUUM, one statement, cannot mark page 1: its
    journal holds every page of the new file in order from page 1, and page 1 as its commit writes it is
    the original with the change counter and schema cookie one up. A journal without page 1 is refused;
    one without a header SQLite would play back is left to the check of the rolled-back copy.
    """
    with journal.open("rb") as fh:
        header = fh.read(JOURNAL_HEADER)
        if not _plays_back(header):
            return True
        original = _journal_page_one(fh, header)
        if original is None:
            return False
        with path.open("rb") as data:
            current = data.read(len(original))
        if current == original or current[USER_VERSION] == header[JOURNAL_NONCE]:
            return True
        return _vacuum_wrote(current, original) and _journal_pages(fh, header) == _vacuum_pages(
            current, header
        )


def _plays_back(header: bytes) -> bool:
    """A journal header SQLite would play back: its magic, and a sector and page size it accepts."""
    return (
        len(header) == JOURNAL_HEADER
        and header.startswith(JOURNAL_MAGIC)
        and 28 <= _number(header, 20) <= 65536
        and 512 <= _number(header, 24) <= 65536
    )


def _journal_page_one(fh, header: bytes) -> bytes | None:
    """The original page 1 recorded in the journal's first segment, or None."""
    sector, page_size = _number(header, 20), _number(header, 24)
    fh.seek(sector)
    for _ in range(_number(header, 8)):
        record = fh.read(4 + page_size + 4)  # page number, the page, checksum
        if len(record) < 8 + page_size:
            return None
        if int.from_bytes(record[:4], "big") == 1:
            return record[4 : 4 + page_size]
    return None


def _vacuum_wrote(current: bytes, original: bytes) -> bool:
    """Page 1 as a VACUUM's commit makes it of `original`: header kept, change counter and schema cookie + 1."""
    return all(current[part] == original[part] for part in (*FIXED_HEADER, USER_VERSION)) and all(
        _number(current, offset) == (_number(original, offset) + 1) % 2**32 for offset in (24, 40)
    )


def _vacuum_pages(current: bytes, header: bytes) -> list[int]:
    """The pages a VACUUM journals, in order: all of the new file that the old one had, but the lock-byte page."""
    page_size = _number(header, 24)
    lock_page = LOCK_BYTE // page_size + 1
    last = min(_number(current, 28), _number(header, 16))
    return [page for page in range(1, last + 1) if page != lock_page]


def _journal_pages(fh, header: bytes) -> list[int]:
    """The page numbers of the journal's records, segment after segment, as SQLite would play them back."""
    pages = []
    for start, claimed, held in _segments(fh, header):
        for n in range(min(claimed, held)):
            fh.seek(start + n * (_number(header, 24) + 8))
            pages.append(int.from_bytes(fh.read(4), "big"))
    return pages


def _cut_short(journal: Path) -> bool:
    """A segment whose header, written once its records were synced, counts more records than are there."""
    with journal.open("rb") as fh:
        header = fh.read(JOURNAL_HEADER)
        return _plays_back(header) and any(claimed > held for _, claimed, held in _segments(fh, header))


def _segments(fh, header: bytes) -> Iterator[tuple[int, int, int]]:
    """Each segment SQLite would play back: where its records start, how many its header counts (all of
    them there is room for, when it counts 0xFFFFFFFF) and how many the file holds."""
    sector, record = _number(header, 20), _number(header, 24) + 8
    size, start = fh.seek(0, 2), 0
    while True:
        fh.seek(start)
        segment = fh.read(JOURNAL_HEADER)
        if len(segment) < JOURNAL_HEADER or not segment.startswith(JOURNAL_MAGIC):
            return
        held = max(size - start - sector, 0) // record
        claimed = held if _number(segment, 8) == 0xFFFFFFFF else _number(segment, 8)
        if claimed == 0:
            return
        yield start + sector, claimed, held
        start = -(-(start + sector + claimed * record) // sector) * sector  # the next sector boundary


def _number(raw: bytes, offset: int) -> int:
    return int.from_bytes(raw[offset : offset + 4], "big")
