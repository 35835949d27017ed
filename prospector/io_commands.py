"""The ``export`` and ``import`` commands: arguments, files and what they print.

``export`` writes the data (to a file with ``-o``, else to standard output) and says on
stderr how many rows it wrote; a file is written next to its final name first and only
moved into place once complete, so a failed export never leaves half a file behind.
``import`` says on stderr what it detected in the file, then what it imported.

Importing this module (which ``build_parser`` does) loads nothing but ``argparse``: the
exporters and importers load when a command runs, so the app's first frame never waits
for them.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from prospector.errors import InvalidInput

if TYPE_CHECKING:
    from prospector.importing import ImportReport
    from prospector.store import Store

FORMATS = ("csv", "jsonl", "json", "ics")


def add_parsers(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """Add ``export`` and ``import`` to the subcommands ``sub`` of the main parser."""
    export = sub.add_parser(
        "export",
        help="actions as CSV or JSON Lines, a full JSON dump, or a calendar",
        description="Write the activity log (csv, jsonl), a full dump (json) or the "
        "planned blocks and due follow-ups (ics) to a file or standard output.",
    )
    export.add_argument(
        "--format",
        dest="format",
        default="csv",
        metavar="csv|jsonl|json|ics",
        help="csv (default), jsonl, json (a full dump that import restores) or ics",
    )
    export.add_argument(
        "--excel",
        action="store_true",
        help="CSV for Excel: a byte order mark and ';' between cells",
    )
    export.add_argument(
        "--from", dest="from_", metavar="DATE", help="first local day to export (YYYY-MM-DD)"
    )
    export.add_argument(
        "--to", metavar="DATE", help="last local day to export, inclusive (YYYY-MM-DD)"
    )
    export.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="write to this file (default: standard output)",
    )

    imp = sub.add_parser(
        "import",
        help="a dump, our own CSV export, or a CSV of actions from elsewhere",
        description="Import a Prospector JSON dump (into an empty database), a Prospector "
        "CSV or JSON Lines export, or any CSV of actions through --map. Everything is "
        "checked first; one rejected row means nothing is imported.",
    )
    imp.add_argument("file", type=Path, metavar="FILE", help="the file to import")
    imp.add_argument(
        "--dry-run",
        action="store_true",
        help="check and show what would be imported; write nothing",
    )
    imp.add_argument(
        "--map",
        dest="map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN,...",
        help="which column holds which field, e.g. date=Datum,kind=Soort; fields: date, "
        "kind (required), time, outcome, prospect, company, note, minutes, next_step_on",
    )
    imp.add_argument(
        "--encoding",
        metavar="E",
        help="the file's encoding: utf-8, utf-8-sig, cp1252 or utf-16-le (UTF-16 with a "
        "byte order mark is detected)",
    )
    order = imp.add_mutually_exclusive_group()
    order.add_argument(
        "--dayfirst",
        dest="dayfirst",
        action="store_const",
        const=True,
        default=None,
        help="dates put the day first: 03-04-2026 is 3 April",
    )
    order.add_argument(
        "--monthfirst",
        dest="dayfirst",
        action="store_const",
        const=False,
        help="dates put the month first: 03-04-2026 is 4 March",
    )
    imp.add_argument("--delimiter", metavar="D", help="the cell separator: ',' ';' tab or '|'")


def export(store: Store, args: argparse.Namespace) -> int:
    from prospector.clock import parse_date
    from prospector.export import write_csv, write_dump, write_ics, write_jsonl

    fmt = str(args.format).strip().lower()
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {args.format!r}; formats are {', '.join(FORMATS)}")
    if args.excel and fmt != "csv":
        raise InvalidInput("--excel goes with --format csv")
    today = store.today()
    start = parse_date(args.from_, today) if args.from_ else None
    end = parse_date(args.to, today) if args.to else None
    if start is not None and end is not None and end < start:
        raise InvalidInput(f"--to {end} is before --from {start}")
    if fmt == "json" and (start or end):
        raise InvalidInput(
            "--format json is a full dump of everything; leave out --from and --to "
            "(use csv or jsonl for a range of days)"
        )
    if args.output is not None and store.holds(args.output):
        raise InvalidInput(
            f"{args.output} is the database or one of its files: exporting onto it "
            "would destroy it; give another file name with -o"
        )
    where = str(args.output) if args.output else "standard output"
    with _output(args.output) as out:
        if fmt == "csv":
            n = write_csv(store, out, start, end, excel=args.excel)
            message = f"Exported {_count(n, 'action')} to {where}."
        elif fmt == "jsonl":
            n = write_jsonl(store, out, start, end)
            message = f"Exported {_count(n, 'action')} to {where}."
        elif fmt == "json":
            counts = write_dump(store, out)
            parts = [
                _count(counts["actions"], "action"),
                _count(counts["prospects"], "prospect"),
                _count(counts["wins"], "win"),
                _count(counts["blocks"], "block"),
                _count(counts["targets"], "target"),
                _count(counts["days_off"], "day off", "days off"),
                _count(counts["reviews"], "review"),
                _count(counts["settings"], "setting"),
            ]
            message = f"Exported {', '.join(parts)} to {where}."
        else:
            cal = write_ics(store, out, start, end)
            series = "the prospecting block" if cal.blocks else "no prospecting block"
            message = f"Exported {series} and {_count(cal.followups, 'follow-up')} to {where}."
    print(message, file=sys.stderr)
    return 0


def _count(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


@contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    """A UTF-8 text stream that keeps line ends as written (CSV and iCalendar use CRLF):
    ``path`` written in full under a temporary name and then moved into place, or
    standard output."""
    if path is None:
        sys.stdout.flush()
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:
            yield sys.stdout
            return
        wrapper = io.TextIOWrapper(buffer, encoding="utf-8", newline="", write_through=False)
        try:
            yield wrapper
        finally:
            try:
                wrapper.flush()
            finally:
                wrapper.detach()
        return
    path = path.expanduser()
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder; give a file name with -o")
    partial = path.with_name(path.name + ".partial")
    try:
        fh = open(partial, "w", encoding="utf-8", newline="")  # noqa: SIM115
    except OSError as exc:
        raise InvalidInput(f"cannot write {path}: {exc.strerror}") from None
    try:
        with fh:
            yield fh
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def import_(store: Store, args: argparse.Namespace) -> int:
    from prospector.importing import ImportRejected, import_file

    def notify(message: str) -> None:
        print(f"{args.file}: {message}", file=sys.stderr)

    if store.holds(args.file):
        raise InvalidInput(
            f"{args.file} is the database or one of its files; import a file exported "
            "from Prospector (csv, jsonl or json) or a CSV of another tool"
        )

    try:
        report = import_file(
            store,
            args.file,
            dry_run=args.dry_run,
            mapping=args.map,
            encoding=args.encoding,
            dayfirst=args.dayfirst,
            delimiter=args.delimiter,
            notify=notify,
        )
    except ImportRejected as exc:
        _print_rejects(exc.report, sys.stderr)
        raise
    if args.dry_run:
        _print_dry_run(report)
        return 2 if report.rejected else 0
    if report.nothing_new and not report.present:
        print(f"Nothing to import: {report.path} holds no rows.")
        return 0
    if report.nothing_new:
        print(
            f"Nothing new in {report.path}: all of it is already in the database "
            f"({_summary(report.present)})."
        )
        return 0
    print(f"Imported {_summary(report.added)} from {report.path} ({report.source}).")
    if report.present:
        print(f"Skipped {_summary(report.present)} already in the database.")
    return 0


NOUNS = {
    "actions": ("action", "actions"),
    "prospects": ("prospect", "prospects"),
    "blocks": ("block", "blocks"),
    "wins": ("win", "wins"),
    "targets": ("target", "targets"),
    "days_off": ("day off", "days off"),
    "reviews": ("review", "reviews"),
    "settings": ("setting", "settings"),
}


def _summary(counts: dict[str, int]) -> str:
    order = [key for key in NOUNS if key in counts] + [key for key in counts if key not in NOUNS]
    parts = [_count(counts[key], *NOUNS.get(key, (key, key))) for key in order if counts[key]]
    return ", ".join(parts) if parts else "nothing"


def _print_rejects(report: ImportReport, out: TextIO) -> None:
    from prospector.importing import LISTED

    n = report.rejected
    print(f"{n:,} row{'' if n == 1 else 's'} rejected:", file=out)
    for reject in report.rejects:
        print(f"  {reject}", file=out)
    if n > LISTED:
        print(f"  ... and {n - LISTED:,} more", file=out)


def _print_dry_run(report: ImportReport) -> None:
    print(f"Dry run of {report.path} ({report.source}): nothing was written.")
    print(f"Would import: {_summary(report.added)}.")
    if report.present:
        print(f"Already in the database (skipped): {_summary(report.present)}.")
    if report.preview:
        print("First rows:")
        for line in report.preview:
            print(f"  {line}")
    if report.rejected:
        _print_rejects(report, sys.stdout)
        print("A real import would import nothing until these rows are fixed.")


HANDLERS: dict[str, Callable[[Store, argparse.Namespace], int]] = {
    "export": export,
    "import": import_,
}
