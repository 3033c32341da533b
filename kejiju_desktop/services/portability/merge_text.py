"""The merge preview and the merge report as plain Chinese text (the CLI prints it; the clerk can save it)."""

from __future__ import annotations

import datetime as dt

from kejiju_desktop import fields as F
from kejiju_desktop.services.portability import messages as M
from kejiju_desktop.services.portability.merge_apply import Choices, MergeResult
from kejiju_desktop.services.portability.merge_plan import MergeItem, MergePlan


def office_label(plan: MergePlan) -> str:
    """The other office's name as the clerk knows it."""
    name = plan.their_name or plan.their_office[:8]
    return name + (M.MERGE_SAME_OFFICE if plan.their_office == plan.our_office else "")


def summary_line(plan: MergePlan) -> str:
    """Counts per kind in one sentence."""
    return M.MERGE_COUNTS.format(same=plan.same + plan.kept, **plan.counts)


def item_line(item: MergeItem, note: str = "") -> str:
    """One record of the preview or report."""
    kind = M.KIND_LABELS[item.kind]
    detail = (note or item.detail) + item.unit_note
    return M.MERGE_LINE.format(kind=kind, entity=F.ENTITIES[item.table].label, name=item.name, detail=detail)


def preview_lines(plan: MergePlan, ours_name: str, other_name: str) -> list[str]:
    """Head, counts and one line per record, in table order; the refused records last, as a group."""
    lines = [M.MERGE_HEAD.format(other=other_name, office=office_label(plan), ours=ours_name)]
    lines.append(summary_line(plan) if plan.items or plan.refused else M.MERGE_NOTHING)
    lines += choice_lines(plan)
    lines += [item_line(item) for item in plan.items]
    return lines + refused_lines(plan)


def refused_lines(plan: MergePlan) -> list[str]:
    """The refused records under a head line saying the rest is merged all the same (none: no lines)."""
    if not plan.refused:
        return []
    return [M.MERGE_REFUSED_HEAD.format(n=len(plan.refused))] + [item_line(item) for item in plan.refused]


def choice_lines(plan: MergePlan) -> list[str]:
    """One line per editable list that the merge extends."""
    labels = {
        spec.choice_list: spec.label for e in F.ENTITIES.values() for spec in e.fields if spec.choice_list
    }
    return [
        M.MERGE_CHOICES.format(label=labels.get(name, name), values="、".join(values))
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
    lines = [M.REPORT_TITLE, M.REPORT_TIME.format(time=(now or dt.datetime.now()).strftime("%Y-%m-%d %H:%M"))]
    lines.append(M.MERGE_HEAD.format(other=other_name, office=office_label(plan), ours=ours_name))
    lines.append(summary_line(plan) if plan.items or plan.refused else M.MERGE_NOTHING)
    lines += choice_lines(plan)
    notes = {item.key: note for item, note in (result.notes if result else [])}
    for item in plan.items:
        if item.key in choices.excluded:
            continue
        lines.append(item_line(item, _resolution(item, choices) + notes.get(item.key, "")))
    if choices.excluded:
        lines.append(M.REPORT_EXCLUDED.format(n=len(choices.excluded)))
    lines += refused_lines(plan)
    if result is not None:
        lines.append(M.MERGE_DONE.format(n=result.total))
    return "\n".join(lines) + "\n"


def _resolution(item: MergeItem, choices: Choices) -> str:
    if item.kind != M.KIND_CONFLICT:
        return item.detail
    take = choices.take_theirs.get(item.key, item.take_theirs)
    fields = "、".join(
        F.ENTITIES[item.table].field(k).label if k != "deleted_at" else "删除状态" for k in item.changed
    )
    return (M.DETAIL_CONFLICT_THEIRS if take else M.DETAIL_CONFLICT_OURS).format(fields=fields)
