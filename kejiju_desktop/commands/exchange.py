"""import and export: Excel sheets in and out of one table, with a Chinese summary and exit codes."""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from db.database import DataFileError, damage_error
from db.reasons import reason_of
from kejiju_desktop import cli, fields, messages
from kejiju_desktop.commands.basic import (
    database_of,
    fail,
    open_and_warn,
    probe_before_opening,
    refuse_damaged,
)
from kejiju_desktop.progress import run_to_end
from kejiju_desktop.services import outputs, records
from kejiju_desktop.services.exchange import export, importer
from kejiju_desktop.services.exchange.reader import UnusableFile
from kejiju_desktop.services.portability import backups
from kejiju_desktop.validation import printable

MAX_LINES = 500  # problem lines printed; the count of the rest follows
WORDS = importer.OptionWords(
    messages.CLI_REFUSED_ERRORS, messages.CLI_REFUSED_WARNINGS, messages.CLI_UNKNOWN_UNITS
)


@refuse_damaged
def cmd_export(args) -> int:
    entity = fields.entity(args.table)
    output = Path(args.output)
    try:
        outputs.check_output(output, args.db)
    except outputs.OutputRefused as exc:
        print(exc, file=sys.stderr)
        return cli.EXIT_PROBLEMS
    if output.exists() and not args.force:
        print(messages.OUTPUT_EXISTS.format(path=output), file=sys.stderr)
        return cli.EXIT_PROBLEMS
    if output.suffix.lower() != export.SUFFIX:  # a workbook under a .csv name opens as garbage
        print(messages.EXPORT_NOT_XLSX.format(name=output.name), file=sys.stderr)
        return cli.EXIT_PROBLEMS
    try:
        data = open_and_warn(database_of(args.db), read_only=True)
    except DataFileError as exc:
        return fail(exc)
    try:
        with data.sessions() as session:
            if args.template:
                export.write_template(session, entity, output)
                print(messages.TEMPLATE_WRITTEN.format(label=entity.label, path=output))
            else:
                result = run_to_end(export.iter_export(session, entity, output))
                print(messages.EXPORTED.format(n=result.count, label=entity.label, path=output))
                for line in export.summary_lines(result):
                    print(line)
    except OSError as exc:
        print(messages.CANNOT_WRITE.format(path=output, reason=reason_of(exc)), file=sys.stderr)
        return cli.EXIT_PROBLEMS
    finally:
        data.close()
    return cli.EXIT_OK


def options_from(args) -> importer.ImportOptions:
    """ImportOptions from the command line's flags."""
    return importer.ImportOptions(
        sheet=args.sheet,
        on_duplicate=args.on_duplicate,
        create_units=args.create_units,
        good_rows_only=args.good_rows_only,
        accept_warnings=args.accept_warnings,
        dry_run=args.dry_run,
    )


@refuse_damaged
def cmd_import(args) -> int:
    entity = fields.entity(args.table)
    options = options_from(args)
    try:
        importer.check_file(entity, args.input, options.sheet)  # a bad sheet never opens the data file
        database = database_of(args.db)
        if not options.dry_run:  # a damaged file is refused before opening it for writing changes a byte
            probe_before_opening(database, full_check=True)
        data = open_and_warn(database, read_only=options.dry_run, before_upgrade=backups.before_upgrade)
    except UnusableFile as exc:  # a bad spreadsheet is refused (1); 2 is for a data file that cannot be used
        print(exc.message, file=sys.stderr)
        return cli.EXIT_PROBLEMS
    except backups.BackupRefused as exc:
        print(exc, file=sys.stderr)
        return cli.EXIT_PROBLEMS
    except DataFileError as exc:
        return fail(exc)
    if data.read_only and not options.dry_run:
        data.close()
        print(messages.DATA_READ_ONLY.format(name=data.display_name), file=sys.stderr)
        return cli.EXIT_PROBLEMS
    try:
        # One write transaction checks and writes, so no other writer comes between (a dry run only reads).
        with data.sessions() if options.dry_run else data.writer() as session:
            result = importer.import_file(session, entity, args.input, options)
            if result.refused:
                session.rollback()
    except UnusableFile as exc:
        print(exc.message, file=sys.stderr)
        return cli.EXIT_PROBLEMS
    except records.RecordChangedError as exc:  # on a server: another clerk wrote a row meanwhile
        print(exc, file=sys.stderr)
        return cli.EXIT_PROBLEMS
    except DataFileError as exc:  # another program kept the file busy: nothing was written
        return fail(exc)
    except SQLAlchemyError as exc:
        if damage_error(exc, args.db) is not None:
            raise  # refuse_damaged says so
        print(
            messages.DATA_WRITE_FAILED.format(name=data.display_name, reason=reason_of(exc)), file=sys.stderr
        )
        return cli.EXIT_UNUSABLE
    finally:
        data.close()
    print_result(result)
    return cli.EXIT_PROBLEMS if result.bad_rows or result.refusal else cli.EXIT_OK


def print_result(result: importer.ImportResult) -> None:
    """The problem lines, the columns ignored, the counts and what happened to the file."""
    for issue in result.issues[:MAX_LINES]:
        print(issue.line())
    if len(result.issues) > MAX_LINES:
        print(messages.MORE_LINES.format(n=len(result.issues) - MAX_LINES))
    if result.plan.match.unknown:
        print(messages.UNKNOWN_COLUMNS.format(columns=printable("、".join(result.plan.match.unknown))))
    for line in importer.summary_lines(result, WORDS):
        print(line)
