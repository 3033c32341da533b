"""report: write a year's annual work report as .docx, the same document as the 一键导出 button."""

from __future__ import annotations

import sys
from pathlib import Path

from db.database import DataFileError, open_data_file
from kejiju_desktop import cli
from kejiju_desktop.commands.basic import fail, refuse_damaged
from kejiju_desktop.report import export


@refuse_damaged
def cmd_report(args) -> int:
    """`report --db F --year Y -o OUT.docx [--fonts standard|windows] [--force]`."""
    path = Path(args.output)
    try:
        export.check_target(path, args.force)
    except export.ReportError as exc:
        print(exc, file=sys.stderr)
        return cli.EXIT_PROBLEMS
    try:
        data = open_data_file(Path(args.db), read_only=True)
    except DataFileError as exc:
        return fail(exc)
    try:
        with data.sessions() as session:
            done = export.export(session, args.year, path, fonts=args.fonts, overwrite=args.force)
    except export.ReportError as exc:
        print(exc, file=sys.stderr)
        return cli.EXIT_PROBLEMS
    finally:
        data.close()
    print(done.summary(args.year))
    return cli.EXIT_OK
