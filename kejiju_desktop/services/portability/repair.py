"""修复: what check found that is safe to put right (expired certificates, indexes, free space), after a backup."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from db.store import Store
from kejiju_desktop import fields, messages
from kejiju_desktop.services import checkup
from kejiju_desktop.services.portability import backups


@dataclass
class RepairOutcome:
    """The sentences saying what was done, and the check run again afterwards."""

    done: list[str] = field(default_factory=list)
    after: checkup.CheckReport | None = None


def repair(data: Store, today: dt.date | None = None) -> RepairOutcome:
    """Back up (when the file passes the quick check), mark expired certificates, rebuild a broken word
    index, rebuild every index and compact (where the account may); never delete."""
    outcome = RepairOutcome()
    try:
        backups.take_store_backup(data, reason="repair")
        outcome.done.append(messages.REPAIR_BACKUP)
    except backups.BackupRefused as exc:
        outcome.done.append(str(exc))
    with data.writer() as session:
        expired = checkup.mark_expired(session, today)
        searchable = data.checks.repair_search_index(session)
    if expired:
        outcome.done.append(messages.REPAIR_EXPIRED.format(n=expired))
    if searchable:
        labels = "、".join(fields.ENTITIES[table].label for table in searchable)
        outcome.done.append(messages.REPAIR_SEARCH_INDEX.format(entities=labels))
    data.rebuild_indexes()
    outcome.done.append(messages.REPAIR_REINDEX)
    server = checkup.server_of(data)
    outcome.done.append(_compacted(data.compact(), server))
    with data.sessions() as session:
        outcome.after = checkup.check_session(session, today, server)
    if outcome.after.problems:
        outcome.done.append(messages.REPAIR_MANUAL.format(n=len(outcome.after.problems)))
    return outcome


def _compacted(done: bool, server: str | None) -> str:
    """What compacting did: a file is always compacted; a server's tables only by an account that may."""
    if server is None:
        return messages.REPAIR_VACUUM
    return (messages.REPAIR_VACUUM_SERVER if done else messages.REPAIR_VACUUM_SKIPPED).format(name=server)
