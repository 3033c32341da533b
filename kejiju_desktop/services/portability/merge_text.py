"""The merge preview and the merge report as plain Chinese text (the CLI prints it; the clerk can save it)."""

from __future__ import annotations

import datetime as dt

from kejiju_desktop import fields, messages
from kejiju_desktop.services.portability.merge_apply import Choices, MergeResult
from kejiju_desktop.services.portability.merge_plan import MergeItem, MergePlan, field_labels, newer


def office_label(plan: MergePlan) -> str:
    """The other office's name as the clerk knows it."""
    name = plan.their_name or plan.their_office[:8]
    return name + (messages.MERGE_SAME_OFFICE if plan.their_office == plan.our_office else "")


def summary_line(plan: MergePlan) -> str:
    """Counts per kind in one sentence."""
    return messages.MERGE_COUNTS.format(same=plan.same + plan.kept, **plan.counts)


def item_line(item: MergeItem, note: str = "") -> str:
    """One record of the preview or report (a conflict: as its default choice, unless `note` says else)."""
    template = messages.MERGE_CONFLICT_LINE if item.kind == messages.KIND_CONFLICT else messages.MERGE_LINE
    return template.format(
        kind=messages.KIND_LABELS[item.kind],
        entity=fields.ENTITIES[item.table].label,
        name=item.name,
        detail=(note or detail(item)) + item.unit_note,
    )


def detail(item: MergeItem, take_theirs: bool | None = None) -> str:
    """What the preview says of a record; for a conflict, why it is one and what the choice (by default
    the newer side) will do."""
    if item.kind != messages.KIND_CONFLICT:
        return item.detail
    take = item.take_theirs if take_theirs is None else take_theirs
    if newer(item.theirs, item.ours):
        side = messages.NEWER_THEIRS
    else:
        side = messages.NEWER_OURS if newer(item.ours, item.theirs) else ""
    return messages.DETAIL_CONFLICT.format(
        reason=messages.CONFLICT_REASONS[item.basis],
        fields=field_labels(fields.ENTITIES[item.table], item.changed),
        outcome=messages.OUTCOME_THEIRS if take else messages.OUTCOME_OURS,
        newer=side,
    )


def difference_lines(item: MergeItem) -> list[str]:
    """One sentence per differing field: our value and theirs."""
    return [
        messages.VALUE_LINE.format(label=d.label, ours=_quoted(d.ours), theirs=_quoted(d.theirs))
        for d in item.differences
    ]


def _quoted(text: str) -> str:
    return messages.VALUE_QUOTED.format(value=text) if text else messages.VALUE_EMPTY


def item_lines(item: MergeItem, note: str = "") -> list[str]:
    """The record's line, then its differing fields one sentence each."""
    return [item_line(item, note)] + difference_lines(item)


def preview_lines(plan: MergePlan, ours_name: str, other_name: str) -> list[str]:
    """Head, counts and one line per record, in table order; the refused records last, as a group."""
    lines = [messages.MERGE_HEAD.format(other=other_name, office=office_label(plan), ours=ours_name)]
    lines.append(summary_line(plan) if plan.items or plan.refused else messages.MERGE_NOTHING)
    lines += choice_lines(plan)
    for item in plan.items:
        lines += item_lines(item)
    return lines + refused_lines(plan)


def refused_lines(plan: MergePlan) -> list[str]:
    """The refused records under a head line saying the rest is merged all the same (none: no lines)."""
    if not plan.refused:
        return []
    return [messages.MERGE_REFUSED_HEAD.format(n=len(plan.refused))] + [
        item_line(item) for item in plan.refused
    ]


def choice_lines(plan: MergePlan) -> list[str]:
    """One line per editable list that the merge extends."""
    labels = {
        spec.choice_list: spec.label
        for e in fields.ENTITIES.values()
        for spec in e.fields
        if spec.choice_list
    }
    return [
        messages.MERGE_CHOICES.format(label=labels.get(name, name), values="、".join(values))
        for name, values in plan.new_choices.items()
    ]


def report_text(
    plan: MergePlan,
    ours_name: str,
    other_name: str,
    choices: Choices | None = None,
    result: MergeResult | None = None,
    now: dt.datetime | None = None,
) -> str:
    """The merge report: the preview, what the clerk left out and what was written."""
    choices = choices or Choices()
    lines = [
        messages.REPORT_TITLE,
        messages.REPORT_TIME.format(time=(now or dt.datetime.now()).strftime(messages.TIME_FORMAT)),
    ]
    lines.append(messages.MERGE_HEAD.format(other=other_name, office=office_label(plan), ours=ours_name))
    lines.append(summary_line(plan) if plan.items or plan.refused else messages.MERGE_NOTHING)
    lines += choice_lines(plan)
    notes = {item.key: note for item, note in (result.notes if result else [])}
    for item in plan.items:
        if item.key in choices.excluded:
            continue
        resolution = detail(item, choices.takes_theirs(item))
        lines += item_lines(item, resolution + notes.get(item.key, ""))
    if choices.excluded:
        lines.append(messages.REPORT_EXCLUDED.format(n=len(choices.excluded)))
    lines += refused_lines(plan)
    if result is not None:
        lines.append(messages.MERGE_DONE.format(n=result.total, backup=result.backup))
    return "\n".join(lines) + "\n"
