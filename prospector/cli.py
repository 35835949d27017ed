"""The ``prospector`` command: the TUI without a subcommand, headless commands with one.

Headless commands never import Textual, so a scripted ``prospector log`` starts fast.
A ``ProspectorError`` becomes one line on stderr and exit status 2, with nothing written.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gc
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

from prospector import review_command
from prospector.errors import InvalidInput, ProspectorError
from prospector.sqlite import sqlite3
from prospector.terminal_text import shown_safely

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, like every other error here."""

    def error(self, message: str) -> NoReturn:
        raise InvalidInput(f"{message} (see '{self.prog} --help')")


def default_db_path() -> Path:
    """``PROSPECTOR_DB`` if set, else ``prospector.db`` in the user's data folder."""
    env = os.environ.get("PROSPECTOR_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("prospector", appauthor=False) / "prospector.db"


@functools.cache
def build_parser() -> argparse.ArgumentParser:
    """The parser, built once per process: argparse looks up a translation for every help
    text (about 20 ms), which a script calling ``main`` in a loop would pay each time."""
    parser = _Parser(
        prog="prospector",
        description="Keep prospecting every working day; see what it means for revenue.",
    )
    parser.add_argument("--db", type=Path, help="database file (beats PROSPECTOR_DB)")
    parser.add_argument("--demo", action="store_true", help="open the app on a fresh demo database")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    log = sub.add_parser("log", help="log prospecting actions")
    log.add_argument("kind", help="call, email, linkedin, text, visit, referral_ask, social")
    log.add_argument("--count", type=_int("--count"), default=1, help="log N identical actions")
    log.add_argument("--prospect", help="the prospect's name (created if new)")
    log.add_argument("--outcome", default="no_response", help="what it led to")
    log.add_argument("--next", dest="next_on", help="date of the committed next step")
    log.add_argument("--at", help="when: a date, or a date and time (default: now)")
    log.add_argument("--note", default="", help="free text")
    log.add_argument("--minutes", type=_int("--minutes", low=0, high=24 * 60), help="time it took")

    target = sub.add_parser("target", help="set or list activity targets")
    tsub = target.add_subparsers(dest="target_command", parser_class=_Parser, metavar="ACTION")
    tset = tsub.add_parser("set", help="set a target, in force from a date")
    tset.add_argument("kind")
    tset.add_argument("count", type=_int("COUNT", low=0), help="0 removes the target")
    tset.add_argument("--per", default="day", help="day or week")
    tset.add_argument("--from", dest="from_", help="first day it applies (default today)")
    tlist = tsub.add_parser("list", help="targets in force and scheduled")
    tlist.add_argument("--json", action="store_true")

    win = sub.add_parser(
        "win",
        help="record a closed deal; or list the wins, or delete a wrong one",
        usage="prospector win AMOUNT --prospect NAME [--at WHEN] | win list [--json] "
        "| win delete ID",
        description="Record a closed deal (win AMOUNT --prospect NAME), list every win with "
        "its id (win list), or delete a wrongly recorded one (win delete ID).",
    )
    win.add_argument("amount", metavar="AMOUNT", help="the deal's amount, or: list, delete")
    win.add_argument("win_id", nargs="?", metavar="ID", help="with delete: the win's id")
    win.add_argument("--prospect", help="who the deal was with (required to record a win)")
    win.add_argument("--at", help="when it closed (default: now)")
    win.add_argument("--json", action="store_true", help="with list: JSON output")

    sett = sub.add_parser("settings", help="show or change settings")
    ssub = sett.add_subparsers(dest="settings_command", parser_class=_Parser, metavar="ACTION")
    sshow = ssub.add_parser("show", help="every setting and its value")
    sshow.add_argument("--json", action="store_true")
    sset = ssub.add_parser("set", help="change one setting")
    sset.add_argument("key")
    sset.add_argument("value")
    sreset = ssub.add_parser("reset", help="go back to the default for one setting")
    sreset.add_argument("key")

    status = sub.add_parser("status", help="today, this week, streak, buffer, discipline")
    status.add_argument("--json", action="store_true")
    status.add_argument("--as-of", help="compute as of the end of this date")

    forecast = sub.add_parser("forecast", help="the revenue today's prospecting will bring")
    forecast.add_argument("--json", action="store_true")
    forecast.add_argument("--as-of", help="forecast as of the end of this date")

    dayoff = sub.add_parser("dayoff", help="mark vacation, holiday or sick days")
    dsub = dayoff.add_subparsers(dest="dayoff_command", parser_class=_Parser, metavar="ACTION")
    dadd = dsub.add_parser("add", help="mark a day or a run of days off")
    dadd.add_argument("start")
    dadd.add_argument("--to", help="last day off (default: the start day)")
    dadd.add_argument("--reason", default="vacation", help="vacation, holiday or sick")
    dlist = dsub.add_parser("list", help="every day off")
    dlist.add_argument("--json", action="store_true")

    prospect = sub.add_parser("prospect", help="add, list or show prospects")
    psub = prospect.add_subparsers(dest="prospect_command", parser_class=_Parser, metavar="ACTION")
    padd = psub.add_parser("add", help="add a prospect; its first touch is due at once")
    padd.add_argument("name")
    padd.add_argument("--company", default="", help="the company they work for")
    padd.add_argument(
        "--source",
        default="cold",
        help="cold, referral, inbound, event or existing_customer (default: cold)",
    )
    padd.add_argument("--existing", action="store_true", help="they already buy from you")
    padd.add_argument("--value", help="estimated deal value, e.g. 15000")
    plist = psub.add_parser("list", help="every prospect with its state and next touch")
    plist.add_argument("--json", action="store_true")
    plist.add_argument("--search", default="", help="only names or companies containing TEXT")
    plist.add_argument("--open", action="store_true", help="leave out won and stopped prospects")
    shown = plist.add_mutually_exclusive_group()
    shown.add_argument(
        "--limit",
        type=_int("--limit", low=1, high=10**9),
        metavar="N",
        help=f"list the first N by name (default {LIST_PAGE}; --json lists all unless given)",
    )
    shown.add_argument("--all", action="store_true", help="list every prospect")
    pshow = psub.add_parser("show", help="one prospect's details and touch history")
    pshow.add_argument("name")
    pshow.add_argument("--json", action="store_true")

    followups = sub.add_parser("followups", help="follow-ups due and overdue, most overdue first")
    followups.add_argument("--json", action="store_true")
    followups.add_argument("--as-of", help="what is due on this date (default today)")

    limbo = sub.add_parser("limbo", help="conversations that ended in no next step and no stop")
    limbo.add_argument("--json", action="store_true")

    review_command.add_parser(sub, _Parser)

    demo = sub.add_parser("demo", help="fill an empty database with a realistic demo history")
    demo.add_argument("--seed", type=_int("--seed", low=0, high=2**63 - 1), default=7)
    demo.add_argument(
        "--actions",
        type=_int("--actions", high=10_000_000),
        help="make about this many actions (benchmarks)",
    )
    from prospector import io_commands

    io_commands.add_parsers(sub, _Parser)
    from prospector import db_commands

    db_commands.add_parser(sub, _Parser)
    return parser


def _int(name: str, low: int = 1, high: int | None = None) -> Callable[[str], int]:
    """A parser for a whole-number flag that takes ASCII digits and nothing else.

    Python's ``int()`` also reads ``1_000``, ``+5``, `` 5`` and Arabic-Indic ``٥``;
    ``--count 1_000`` once logged a thousand calls. A rep types plain digits.
    """

    def parse(raw: str) -> int:
        if not raw.isascii() or not raw.isdigit():
            raise InvalidInput(f"{name} must be a whole number in digits 0-9, got {raw!r}")
        value = int(raw)
        if value < low or (high is not None and value > high):
            bound = f"between {low} and {high}" if high is not None else f"at least {low}"
            raise InvalidInput(f"{name} must be {bound}, got {raw}")
        return value

    return parse


OpenApp = Callable[[Any], int]
"""Runs the app on a store (open, or a ``DeferredStore`` still opening) and returns the
exit status (``screens.launch``)."""


@shown_safely
def main(argv: Sequence[str] | None = None, open_app: OpenApp | None = None) -> int:
    """Run one command; with no command, hand the store to ``open_app``.

    The core knows nothing of the UI: the installed ``prospector`` command
    (``screens.launch``) passes the app in, so headless use never loads Textual.
    """
    args: argparse.Namespace | None = None
    try:
        args = build_parser().parse_args(argv)
        return _run(args, open_app)
    except ProspectorError as exc:
        print(f"prospector: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # Output piped into a command that stopped reading (``| head``): not an error.
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence against a traceback
        message = _db_error_message(exc, args)
        if message is None:
            raise
        print(f"prospector: {message}", file=sys.stderr)
        return EXIT_USAGE


def _db_error_message(exc: Exception, args: argparse.Namespace | None) -> str | None:
    """The words for a database failure that reached ``main`` unexplained (raised by the
    driver outside the engine, or wrapped by SQLAlchemy); None for anything else.

    It is explained as the engine explains its own (``prospector.db.explain``): damage
    is named only once SQLite's check confirms it, whatever layer the error came through.
    """
    original: BaseException | None = exc if isinstance(exc, sqlite3.Error) else None
    if original is None and _is_db_error(exc):
        original = getattr(exc, "orig", None) or exc
    if original is None:
        if isinstance(exc, OSError):
            return f"cannot use the database: {exc}"
        return None
    path = Path(getattr(args, "db", None) or default_db_path()).expanduser()
    if isinstance(original, sqlite3.Error):
        from prospector.db import explain

        explained = explain(original, path)
        if explained:
            return explained
    return f"database error on {path}: {original}"


def _is_db_error(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLAlchemy's wrapping of a driver error (without importing
    SQLAlchemy when nothing has loaded it: then it cannot be one)."""
    if "sqlalchemy" not in sys.modules:
        return False
    import sqlalchemy.exc

    return isinstance(exc, sqlalchemy.exc.DBAPIError)


LIST_PAGE = 50
"""Prospects ``prospect list`` prints unless told otherwise: a screenful or two."""

READS_HISTORY = frozenset({"export", "import", "prospect show", "demo"})
"""Commands that read the actions, and so check that table too before they read: a
damaged index there would make them silently miss touches. The follow-up queue and the
prospect list read each prospect's touches from ``prospect_touches``, which the quick
check covers, and no action at all; limbo reads only the conversations the summaries
name, by id, and stops on one that is missing (``Store.limbo``); the review reads one
week and checks how many actions it read against the day counts
(``Store.week_outcomes``)."""


def reads_history(command: str | None, action: str | None = None) -> bool:
    """Whether ``prospector COMMAND [ACTION]`` reads the actions (``READS_HISTORY``)."""
    return command in READS_HISTORY or f"{command} {action}" in READS_HISTORY


def _say_waiting(what: str) -> None:
    print(f"prospector: {what}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while the ORM loads and the store opens, then every
    object made so far moved out of its reach (``gc.freeze``).

    Loading SQLAlchemy, SQLModel and the tables makes hundreds of thousands of objects
    that live as long as the process; the collector, run every 700 new objects, walked
    them again and again for nothing: about a tenth of a ``prospector log``. The app
    freezes them likewise before it runs (``screens.launch``). Done once per process, on
    the first command: later ones have nothing left to load, and freezing again would
    keep whatever garbage their caller left from ever being collected. Left alone when
    the caller has turned the collector off.
    """
    if not gc.isenabled() or "prospector.commands" in sys.modules:
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def _run(args: argparse.Namespace, open_app: OpenApp | None) -> int:
    if args.demo or args.command is None:
        if open_app is None:
            raise InvalidInput(
                "the app opens with the installed 'prospector' command; here give a command"
            )
        return _open_app(args, open_app)
    if args.command == "db":
        from prospector import db_commands

        return db_commands.db(args)  # never opens the store: it may not be fit to open
    from prospector import write_wait
    from prospector.db import start_damage_check

    write_wait.on_wait = _say_waiting
    path = Path(args.db or default_db_path()).expanduser()
    # Before any command reads or writes: a damaged file must not give a wrong figure
    # with exit status 0, nor take more writes. The check runs while the ORM loads.
    action = getattr(args, f"{args.command}_command", None)
    with _collector_paused():
        damage_verdict = start_damage_check(path, reads_history=reads_history(args.command, action))
        from prospector import commands, io_commands

        damage_verdict()
        store = commands.open_store(path)
    handlers: dict[str, Callable[[Any, argparse.Namespace], int]] = {
        "log": commands.log,
        "target": commands.target,
        "win": commands.win,
        "settings": commands.settings,
        "status": commands.status,
        "dayoff": commands.dayoff,
        "forecast": commands.forecast,
        "review": review_command.review,
        **io_commands.HANDLERS,
        "prospect": commands.prospect,
        "followups": commands.followups,
        "limbo": commands.limbo,
        "demo": commands.demo,
    }
    try:
        return handlers[args.command](store, args)
    finally:
        store.close()


def _open_app(args: argparse.Namespace, open_app: OpenApp) -> int:
    """The app on the chosen database, or on a fresh demo database with ``--demo``."""
    if not args.demo:
        from prospector.opening import store_for_app

        return open_app(store_for_app(args.db or default_db_path()))
    from prospector import commands

    if args.command is not None:
        raise InvalidInput("--demo opens the app; it cannot be combined with a command")
    folder = Path(tempfile.mkdtemp(prefix="prospector-demo-"))
    path = folder / "demo.db"
    store = commands.open_store(path)
    commands.fill_demo(store, seed=7)
    code = open_app(store)
    print(f"The demo database is kept at {path}; reopen it with: prospector --db {path}")
    return code
