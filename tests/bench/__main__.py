"""Every benchmark in one command, and one table of every figure next to its bar.

    python tests/bench [--quick] [--only NAME ...] [--rebuild] [--markdown]

Builds the 250,000- and 1,000,000-action demo databases once (or reuses them from the
cache under the temp folder, keyed by size and schema), then runs each benchmark at the
size its bars are set for:

* ``foundation`` (250,000): ``status``; a ``log call`` process vs the bare imports;
  whether a headless command imports Textual;
* ``block`` (250,000): outcome key to committed row and updated counters;
* ``forecast`` (1,000,000): the 30/90 projection;
* ``startup`` (250,000): cold start to an interactive Today vs a bare Textual app;
* ``export`` (1,000,000): CSV export vs ``sqlite3 -csv``, and its peak memory;
* ``scale`` (250,000 actions on 20,000 prospects, then 1,000,000 on 80,000): the read
  commands on a rep's three years, every touch linked (``rep_history.py``), vs an
  empty database. These histories are built (or taken from the cache) instead of the
  demo ones, and the benchmark runs once per history;
* ``import`` (the same two histories): our own CSV of each into a new database vs the
  ``sqlite3`` shell, its peak memory, the longest write-lock hold, and a ``log call``
  made during the merge;
* ``switch`` (the same two histories): each number key to its screen with the figures
  painted, in the app running headless.

Each benchmark runs in a fresh Python process of its own, as when its script is run on
its own: in-process figures (status, block, forecast) are not measured in a process
that has already run the others, and the processes whose start-up or memory is measured
are spawned from a small one (Linux counts the spawning process's peak memory in a
child's ``ru_maxrss``, so an export started from this one, with everything loaded, would
report this one's memory). The rows come back as data, not parsed from the output.

Each one prints what it finds on the way (phases, splits); the end is a single table,
figure | size | measured | bar | result, under the machine and the date, since the figures
mean little without them. Each script still runs on its own, with more options
(``python tests/bench/bench_block.py --help``).

Exit status: 0 once the report is printed, whatever it says (a report, not a test: read
the result column); 1 if a benchmark crashed, after the others have run and the table
says which.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
import traceback
from types import ModuleType

import benchlib
import rep_history
from benchlib import BenchDB, Row

BENCHMARKS = ("foundation", "block", "forecast", "startup", "export", "scale", "import", "switch")
"""In the order they run: the names of ``bench_<name>.py``, for ``--only``."""


def options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python tests/bench",
        description=(__doc__ or "").splitlines()[0],
    )
    parser.add_argument(
        "--quick", action="store_true", help="fewer runs of each figure: a rough look"
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=BENCHMARKS,
        metavar="NAME",
        help=f"run only this benchmark (repeatable): {', '.join(BENCHMARKS)}",
    )
    parser.add_argument(
        "--rebuild", action="store_true", help="rebuild the cached databases (and time it)"
    )
    parser.add_argument(
        "--markdown", action="store_true", help="print the final table as Markdown too"
    )
    return parser.parse_args(argv)


def crashed(name: str, size: int | None) -> Row:
    """A benchmark that raised, as a failed row: the others still run and report."""
    error = sys.exc_info()[1]
    if not isinstance(error, benchlib.ChildFailed):  # which has printed its own
        traceback.print_exc()
    return Row(f"{name}: crashed", size, f"{type(error).__name__}: {error}", "runs", False)


def section(title: str) -> None:
    print(f"\n== {title} ==", flush=True)


def on_rep_histories(module: ModuleType) -> bool:
    """Whether the benchmark measures the rep histories (``DATABASES``: actions and
    prospects of each) rather than the demo database of its ``SIZE``."""
    return hasattr(module, "DATABASES")


def run_on_rep_histories(
    name: str, module: ModuleType, opts: argparse.Namespace, crashes: list[Row]
) -> list[Row]:
    """The benchmark once per rep history, each built (or taken from the cache) first."""
    rows: list[Row] = []
    runs = module.QUICK if opts.quick else module.RUNS
    for actions, prospects in module.DATABASES:
        section(f"{name} ({actions:,} actions, {prospects:,} prospects)")
        try:
            db = rep_history.rep_db(actions, prospects, opts.rebuild)
            print(db.describe(), flush=True)
            rows.append(db.build_row())
            rows.extend(benchlib.figures_in_child(name, db, runs))
        except Exception:
            crashes.append(crashed(name, actions))
        sys.stdout.flush()
    return rows


def main(argv: list[str] | None = None) -> int:
    opts = options(argv)
    names = [name for name in BENCHMARKS if not opts.only or name in opts.only]
    started = time.perf_counter()
    header = [
        f"Prospector benchmarks, {benchlib.now()}",
        benchlib.machine(),
        "Load average at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()),
    ]
    print("\n".join(header), flush=True)

    rows: list[Row] = []
    crashes: list[Row] = []
    modules: dict[str, ModuleType] = {}
    for name in names:
        try:
            modules[name] = importlib.import_module(f"bench_{name}")
        except Exception:
            crashes.append(crashed(name, None))

    databases: dict[int, BenchDB] = {}
    demo_sizes = {module.SIZE for module in modules.values() if not on_rep_histories(module)}
    for size in sorted(demo_sizes):
        section(f"database of {size:,} actions")
        databases[size] = benchlib.benchmark_db(size, opts.rebuild)
        print(databases[size].describe(), flush=True)
        rows.append(databases[size].build_row())

    for name, module in modules.items():
        if on_rep_histories(module):
            rows.extend(run_on_rep_histories(name, module, opts, crashes))
            continue
        section(f"{name} ({module.SIZE:,} actions)")
        try:
            runs = module.QUICK if opts.quick else module.RUNS
            rows.extend(benchlib.figures_in_child(name, databases[module.SIZE], runs))
        except Exception:
            crashes.append(crashed(name, module.SIZE))
        sys.stdout.flush()

    section("all figures")
    print("\n".join(header))
    print("Load average at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"Took {time.perf_counter() - started:.0f} s{' (--quick)' if opts.quick else ''}.")
    benchlib.print_table([*rows, *crashes])
    if opts.markdown:
        benchlib.print_table([*rows, *crashes], markdown=True)
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
