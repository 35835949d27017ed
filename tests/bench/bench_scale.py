"""Scale benchmark: do the read commands cost on a rep's years what they cost on nothing?

    python tests/bench/bench_scale.py [--size 250000|1000000] [--runs 5] [--rebuild]

Issue #13's bar: ``status``, ``followups``, ``limbo``, ``review``, ``prospect list`` and
``forecast`` each take at most 1.2 times as long on a large history as on an empty
database. Each is run in-process through ``prospector.cli.main([...])``, output
captured, at the tests' fixed clock (``PROSPECTOR_TEST_NOW``: Monday 23 November 2026,
10:00 in Amsterdam), on the rep histories of ``rep_history.py``: three years, every
touch linked, 250,000 actions on 20,000 prospects and 1,000,000 on 80,000
(``--size`` picks one; ``python tests/bench`` runs both). The empty database is made
fresh at the same clock and zone. Each command is run once on both to warm up
(imports, page cache), then empty and large alternately, and each ratio is of the
medians; a command whose large runs pass ``BUDGET_S`` in total stops after
``MIN_RUNS`` (the row says how many were taken).

Then where the time of each command goes, each part a median timed on its own on both
files:

* **damage check**: the integrity check a command runs before it reads
  (``prospector.db.integrity_problem``) when the file changed since it last passed
  (``prospector.check_record``): the warm-up run pays it, the timed runs find the file
  as it passed and skip it, as a rep's commands do until something else writes to the
  file. The commands that read the history in bulk (``export``, ``prospect show``)
  check the actions table too;
* **open**: ``Store.open`` and the quick audit of odd stored values every command makes
  (its scan of the tables kept, like the check, with the file state that passed);
* **store reads**: the store calls the command makes (``followup_queue``, ``limbo``,
  ``prospects``, ``build_review`` with its slowest parts, ``status``, ``forecast``);
* **the rest**: the command's time less those: formatting and printing what it found.

Last, a whole ``prospector log call`` process against ``python -c "import sqlmodel,
pendulum"``, as ``bench_foundation.py`` times it on the demo, on a copy of the rep history.

How much each command prints is shown too: a list of 80,000 prospects cannot cost what
an empty one does, whatever the queries. Always exits 0: read the result column.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import bench_foundation
import benchlib
import rep_history
from benchlib import BenchDB, Row

from prospector.cli import main as cli_main
from prospector.cli import reads_history
from prospector.clock import TEST_CLOCK_ENV, FixedClock
from prospector.commands import open_store
from prospector.db import integrity_problem
from prospector.review import build_review, default_week
from prospector.sqlite import sqlite3
from prospector.store import Store

SIZE = 250_000
"""The size ``--size`` takes by default when the script runs on its own."""
DATABASES = rep_history.SIZES
"""The rep histories ``python tests/bench`` measures this on: (actions, prospects)."""
RUNS = {"runs": 5}
QUICK = {"runs": 2}
MIN_RUNS = 2
LOG_RUNS = 7
LOG_BAR = 1.2
"""The bar of ``log call`` against the bare imports (``bench_foundation``), here on a
rep's years: every command checks the file and audits it before it writes."""
BUDGET_S = 60.0
"""Past this much time on one figure's large runs, take no more than ``MIN_RUNS``."""
BAR_RATIO = 1.2
COMMANDS: tuple[tuple[str, ...], ...] = (
    ("status",),
    ("followups",),
    ("limbo",),
    ("review",),
    ("prospect", "list"),
    ("forecast",),
)


@dataclass(frozen=True)
class Timing:
    """One figure timed on the empty and the large database, alternately."""

    empty: list[float]
    large: list[float]

    @property
    def empty_ms(self) -> float:
        return statistics.median(self.empty) * 1000

    @property
    def large_ms(self) -> float:
        return statistics.median(self.large) * 1000

    @property
    def ratio(self) -> float:
        return self.large_ms / self.empty_ms if self.empty_ms else float("inf")

    @property
    def runs(self) -> int:
        return len(self.large)

    def measured(self) -> str:
        return f"{self.large_ms:,.0f} ms / {self.empty_ms:,.0f} ms = {self.ratio:.1f}x"


Timed = Callable[[], float | None]
"""Something to time: it returns the seconds of the part that counts, or None when the
whole call counts."""


def paired(empty: Timed, large: Timed, runs: int) -> Timing:
    """Both once to warm up, then alternately: each sees the same state of the machine."""
    empty()
    large()
    times = Timing([], [])
    for _ in range(runs):
        for fn, into in ((empty, times.empty), (large, times.large)):
            started = time.perf_counter()
            own = fn()
            into.append(time.perf_counter() - started if own is None else own)
        if len(times.large) >= MIN_RUNS and sum(times.large) > BUDGET_S:
            break
    return times


@contextlib.contextmanager
def fixed_clock() -> Iterator[None]:
    """Every store the CLI opens runs at the tests' clock, as the tests' commands do."""
    saved = {key: os.environ.get(key) for key in (TEST_CLOCK_ENV, "PROSPECTOR_DB")}
    os.environ[TEST_CLOCK_ENV] = rep_history.NOW_ENV
    os.environ.pop("PROSPECTOR_DB", None)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@dataclass
class Run:
    """A command's last run: lines printed."""

    lines: int = 0


def command(path: Path, args: Sequence[str], last: Run) -> Timed:
    """``prospector --db PATH ARGS`` in-process, output captured."""

    def run() -> None:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli_main(["--db", str(path), *args])
        last.lines = out.getvalue().count("\n")
        if code != 0:
            raise RuntimeError(f"prospector {' '.join(args)} on {path}: {err.getvalue()}")

    return run


def empty_database(folder: Path) -> Path:
    """A new database at the same clock and zone as the rep history, with nothing in it."""
    path = folder / "empty.db"
    store = Store.open(path, clock=FixedClock(rep_history.NOW))
    store.set_setting("timezone", rep_history.ZONE)
    store.close()
    return path


def prospects_in(path: Path) -> int:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(con.execute("SELECT count(*) FROM prospect").fetchone()[0])
    finally:
        con.close()


Read = Callable[[Store], object]
OPEN = "open: Store.open, odd values audit, close"
REVIEW = "build_review(store), last week"


def reads(week: tuple[dt.date, dt.date]) -> dict[str, Read]:
    """The store calls the six commands make, and the parts of the review's."""
    monday, end = week
    return {
        "store.status()": lambda s: s.status(),
        "store.followup_queue()": lambda s: s.followup_queue(),
        "store.limbo()": lambda s: s.limbo(),
        "store.prospects()": lambda s: s.prospects(),
        REVIEW: lambda s: build_review(s),
        "  store.settled_later(week)": lambda s: s.settled_later(monday, end),
        "  store.week_outcomes(week)": lambda s: s.week_outcomes(monday, end),
        "  store.hunting_split(week)": lambda s: s.hunting_split(monday, end),
        "  store.week_hours(week)": lambda s: s.week_hours(monday, end),
        "store.forecast()": lambda s: s.forecast(),
    }


def fresh(call: Read, path: Path) -> Timed:
    """``call`` on a store just opened, as a command makes it: its first reads find
    SQLite's page cache empty. Only the call is timed."""

    def run() -> float:
        store = Store.open(path, clock=FixedClock(rep_history.NOW))
        try:
            started = time.perf_counter()
            call(store)
            return time.perf_counter() - started
        finally:
            store.close()

    return run


def kept_open(call: Read, store: Store) -> Timed:
    """``call`` on a store that stays open, as the app keeps it."""

    def run() -> None:
        call(store)

    return run


def damage_check(path: Path, skip_history: bool) -> Timed:
    """The check a command runs before it reads (``prospector.db.start_damage_check``)."""

    def run() -> None:
        problem = integrity_problem(path, skip_history=skip_history)
        if problem is not None:
            raise RuntimeError(f"{path} fails its integrity check: {problem}")

    return run


def opened(path: Path) -> Timed:
    """What ``commands.open_store`` does before a command, and the close after it."""

    def run() -> None:
        with contextlib.redirect_stderr(io.StringIO()):
            store = open_store(path)
        store.close()

    return run


@dataclass(frozen=True)
class Measured:
    """Everything timed on one rep history."""

    commands: dict[str, Timing]
    printed: dict[str, tuple[int, int]]
    """Lines each command printed: on the large database, on the empty one."""
    checks: dict[str, Timing]
    fresh: dict[str, Timing]
    """Store reads on a store just opened, and opening it."""
    kept: dict[str, Timing]
    """Store reads on a store kept open."""


def measure(db: BenchDB, runs: int) -> Measured:
    commands: dict[str, Timing] = {}
    printed: dict[str, tuple[int, int]] = {}
    with (
        fixed_clock(),
        tempfile.TemporaryDirectory(prefix="prospector-bench-") as scratch,
        benchlib.scratch_copy(db, "large.db") as large,
    ):
        empty = empty_database(Path(scratch))
        print("Commands, large / empty:")
        for args in COMMANDS:
            name = " ".join(args)
            on_empty, on_large = Run(), Run()
            started = time.perf_counter()
            timing = paired(command(empty, args, on_empty), command(large, args, on_large), runs)
            commands[name] = timing
            printed[name] = (on_large.lines, on_empty.lines)
            print(
                f"  {name:<14} {timing.measured():>36}  "
                f"({timing.runs} runs, {time.perf_counter() - started:.0f} s)",
                flush=True,
            )
        checks = {
            "damage check, every table": paired(
                damage_check(empty, False), damage_check(large, False), runs
            ),
            "damage check, all but the actions": paired(
                damage_check(empty, True), damage_check(large, True), runs
            ),
        }
        clock = FixedClock(rep_history.NOW)
        empty_store, large_store = Store.open(empty, clock=clock), Store.open(large, clock=clock)
        try:
            monday = default_week(large_store.today())
            calls = reads((monday, monday + dt.timedelta(days=6)))
            fresh_times = {OPEN: paired(opened(empty), opened(large), runs)}
            kept_times: dict[str, Timing] = {}
            for name, call in calls.items():
                started = time.perf_counter()
                fresh_times[name] = paired(fresh(call, empty), fresh(call, large), runs)
                kept_times[name] = paired(
                    kept_open(call, empty_store), kept_open(call, large_store), runs
                )
                print(
                    f"  {name.strip():<30} {fresh_times[name].measured():>36}  "
                    f"({time.perf_counter() - started:.0f} s)",
                    flush=True,
                )
        finally:
            empty_store.close()
            large_store.close()
    return Measured(commands, printed, checks, fresh_times, kept_times)


def figures(db: BenchDB, *, runs: int) -> list[Row]:
    """Each command's ratio, large over empty, then where its time goes."""
    label = f"{prospects_in(db.path):,} prospects"
    found = measure(db, runs)
    report(db, label, found)
    bar = f"≤ {BAR_RATIO}x"
    rows = [
        Row(
            f"`{name}` large / empty ({label}), median of {timing.runs}",
            db.size,
            timing.measured(),
            bar,
            timing.ratio <= BAR_RATIO,
        )
        for name, timing in found.commands.items()
    ]
    with benchlib.scratch_copy(db, "log.db") as copy:
        # The first `log` checks the copy; the timed ones find it as it passed.
        log_s, imports_s = bench_foundation.process_times(copy, LOG_RUNS)
    rows.append(
        Row(
            f"`log call` process / bare `import sqlmodel, pendulum` ({label}), "
            f"median of {LOG_RUNS}",
            db.size,
            f"{log_s * 1000:,.0f} ms / {imports_s * 1000:,.0f} ms = {log_s / imports_s:.2f}x",
            f"≤ {LOG_BAR}x",
            log_s / imports_s <= LOG_BAR,
        )
    )
    rows += [
        Row(f"  {name}, large / empty", db.size, timing.measured())
        for name, timing in found.checks.items()
    ]
    rows.append(Row(f"  {OPEN}, large / empty", db.size, found.fresh[OPEN].measured()))
    for name, kept in found.kept.items():
        timing = found.fresh[name]
        rows.append(
            Row(
                f"  {name.strip()}, large / empty, just opened (kept open)",
                db.size,
                f"{timing.measured()} ({kept.large_ms:,.0f} / {kept.empty_ms:,.0f})",
            )
        )
    return rows


SPLITS: dict[str, str] = {
    "status": "store.status()",
    "followups": "store.followup_queue()",
    "limbo": "store.limbo()",
    "review": REVIEW,
    "prospect list": "store.prospects()",
    "forecast": "store.forecast()",
}
"""The store call that does each command's work. ``followups`` also lists the open
prospects when nothing is due (not on these histories: prospects are due every day)."""


def report(db: BenchDB, label: str, found: Measured) -> None:
    """Where each command's time goes, on the large file (the empty one in brackets)."""
    print(f"\nWhere the time goes on {db.size:,} actions, {label} (empty database in brackets):")
    head = ("command", "total", "open", "store read", "the rest", "lines out", "damage check")
    lines: list[tuple[str, ...]] = [head]
    opening = found.fresh[OPEN]
    for name, timing in found.commands.items():
        check = found.checks[
            "damage check, every table"
            if reads_history(*name.split()[:2])
            else "damage check, all but the actions"
        ]
        read = found.fresh[SPLITS[name]]
        parts = (opening, read)
        rest_large = timing.large_ms - sum(t.large_ms for t in parts)
        rest_empty = timing.empty_ms - sum(t.empty_ms for t in parts)
        lines.append(
            (
                name,
                *(f"{t.large_ms:,.0f} ({t.empty_ms:,.0f})" for t in (timing, *parts)),
                f"{rest_large:,.0f} ({rest_empty:,.0f})",
                f"{found.printed[name][0]:,} ({found.printed[name][1]:,})",
                f"{check.large_ms:,.0f} ({check.empty_ms:,.0f})",
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    for line in lines:
        pairs = enumerate(zip(line, widths, strict=True))
        cells = [c.rjust(w) if i else c.ljust(w) for i, (c, w) in pairs]
        print("  " + "  ".join(cells))
    print(
        "  ms, medians timed on their own; the store read on a store just opened; the rest\n"
        "  is the total less the parts: formatting and printing, and the parts' own noise.\n"
        "  The damage check is not in the total: the first command after the file changed\n"
        "  outside Prospector (or a day after the last check) adds it."
    )
    print("\nStore reads, large (empty), ms: on a store just opened | on one kept open")
    for name, timing in found.fresh.items():
        kept = found.kept.get(name)
        also = "" if kept is None else f"{kept.large_ms:12,.1f} ({kept.empty_ms:,.1f})"
        print(f"  {name:<42} {timing.large_ms:10,.1f} ({timing.empty_ms:,.1f}) | {also}")
    print(
        "  (build_review also calls store.prospects(), store.limbo() and store.forecast(),\n"
        "  each timed above on its own)"
    )


if __name__ == "__main__":
    sys.exit(benchlib.rep_script(__doc__, DATABASES, SIZE, figures, RUNS))
