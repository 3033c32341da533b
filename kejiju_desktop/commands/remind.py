"""remind: what the 工作台 shows today, as text for IT to schedule or a clerk to print."""

from __future__ import annotations

import datetime as dt
import sys

from db.database import DataFileError
from kejiju_desktop import cli, messages
from kejiju_desktop.commands import messages as command_messages
from kejiju_desktop.commands.basic import (
    database_of,
    fail,
    open_and_warn,
    probe_before_opening,
    refuse_damaged,
)
from kejiju_desktop.report import wording
from kejiju_desktop.services import settings as settings_service
from kejiju_desktop.services import workbench

NAMES_SHOWN = 10  # records named under each item; the count says how many there are in all
GROUPS = (messages.WORKBENCH_CERTIFICATES, messages.WORKBENCH_PROJECTS, messages.WORKBENCH_QUALITY)


@refuse_damaged
def cmd_remind(args) -> int:
    """`remind --db F [--days N]`: the 工作台's items, targets and months of today; exit 0, 2 if unusable."""
    if args.days is not None:
        try:
            settings_service.spec_named(messages.SETTING_REMINDER_DAYS).parse(str(args.days))
        except settings_service.InvalidSetting as exc:
            print(exc, file=sys.stderr)
            return cli.EXIT_USAGE
    path = database_of(args.db)
    try:
        probe_before_opening(path, full_check=True)  # a damaged file is said to be so, not half-read
        data = open_and_warn(path, read_only=True)
    except DataFileError as exc:
        return fail(exc)
    try:
        with data.sessions() as session:
            lines = remind_lines(session, dt.date.today(), args.days)
    finally:
        data.close()
    print("\n".join(lines))
    return cli.EXIT_OK


def remind_lines(session, today: dt.date, days: int | None = None) -> list[str]:
    """The 工作台 of `today` as lines of Chinese text."""
    bench = workbench.gather(session, today, days)
    lines = [command_messages.REMIND_HEAD.format(date=wording.date_text(today), days=bench.days)]
    for group in GROUPS:
        lines.append(command_messages.REMIND_GROUP.format(group=group))
        items = bench.group(group)
        lines += _item_lines(session, items) if items else [command_messages.REMIND_NOTHING]
    lines.append(command_messages.REMIND_GROUP.format(group=messages.WORKBENCH_TARGETS))
    lines += [_target_line(line) for line in bench.targets] or [command_messages.REMIND_NO_TARGETS]
    lines.append(command_messages.REMIND_GROUP.format(group=messages.WORKBENCH_MONTHS))
    for year, months in ((today.year, bench.months), (today.year - 1, bench.months_before)):
        shown = "，".join(command_messages.REMIND_MONTH.format(month=m, n=n) for m, n in enumerate(months, 1))
        lines.append(command_messages.REMIND_MONTHS.format(year=year, months=shown))
    return lines


def _item_lines(session, items: list[workbench.Item]) -> list[str]:
    lines = []
    for item in items:
        lines.append(command_messages.REMIND_ITEM.format(label=item.label, n=item.count))
        names = workbench.record_names(session, item, NAMES_SHOWN)
        lines += [command_messages.REMIND_NAME.format(name=name) for name in names]
        if item.count > len(names):
            lines.append(command_messages.REMIND_MORE.format(n=item.count))
    return lines


def _target_line(line: workbench.TargetLine) -> str:
    indicator = line.indicator
    done = indicator.completion
    return command_messages.REMIND_TARGET.format(
        name=indicator.name,
        value=_number(indicator.value),
        target=_number(indicator.target),
        completion=""
        if done is None
        else command_messages.REMIND_COMPLETION.format(percent=wording.percent(done)),
        previous_label=line.previous_label,
        previous=_number(indicator.previous),
    )


def _number(value) -> str:
    return command_messages.REMIND_UNKNOWN if value is None else wording.number(value)
