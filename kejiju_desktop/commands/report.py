"""report: write a year's annual work report as .docx, the same document as the 一键导出 button."""

from __future__ import annotations

import sys
from pathlib import Path

from db.database import DataFileError
from kejiju_desktop import cli, messages
from kejiju_desktop.commands.basic import database_of, fail, open_and_warn, refuse_damaged
from kejiju_desktop.report import export
from kejiju_desktop.services import settings, stats


@refuse_damaged
def cmd_report(args) -> int:
    """`report --db F --year Y -o OUT.docx [--fonts standard|windows] [--force]`."""
    path, db = Path(args.output), database_of(args.db)
    try:
        export.check_target(path, args.force, db)
    except export.ReportError as exc:
        print(exc, file=sys.stderr)
        return cli.EXIT_PROBLEMS
    try:
        data = open_and_warn(db, read_only=True)
    except DataFileError as exc:
        return fail(exc)
    try:
        with data.sessions() as session:
            fonts = args.fonts or settings.font_scheme(session)
            done = export.export(session, args.year, path, fonts=fonts, overwrite=args.force, data_path=db)
            figures = stats.year_figures(session, args.year)
            notices = [i.notice for i in stats.indicators(session, args.year, figures) if i.notice]
    except export.ReportError as exc:
        print(exc, file=sys.stderr)
        return cli.EXIT_PROBLEMS
    finally:
        data.close()
    print(done.summary(args.year))
    for notice in notices:  # an indicator left out because an input is missing: the clerk can enter it
        print(notice)
    for warning in done.warnings:  # the document is written; the clerk fixes the text and exports again
        print(warning)
    if not figures.has_records:  # a clerk asked for the wrong year, or the year's records are not entered yet: the file is still wanted
        print(messages.EMPTY_YEAR.format(year=args.year))
    return cli.EXIT_OK
