"""What the benchmarks in this folder share, so each states only what it measures.

* this checkout first on ``sys.path`` (done on import, so import this module before
  ``prospector`` or ``screens``): the scripts run from a plain checkout, installed or not;
* the cached demo databases, keyed by size and schema: building one is not measured;
* the environment of the child processes, so they import this checkout too, and a
  folder of the run's own for the damage check's records;
* the median of repeated runs, a description of the machine, and one table format, so
  every script and the combined run (``python tests/bench``) print figures alike.

Every figure is a :class:`Row`: what was measured, on how many actions, the measurement,
its bar and whether it is within it.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import importlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

CACHE = Path(tempfile.gettempdir()) / "prospector-bench"

# Which file states passed the damage check (``prospector.check_record``) goes to a
# folder of the run's own, shared with its child processes: every run starts with
# nothing checked, and the user's cache folder is left alone.
if "PROSPECTOR_BENCH_RECORDS" not in os.environ:
    os.environ["PROSPECTOR_BENCH_RECORDS"] = tempfile.mkdtemp(prefix="prospector-bench-records-")
    os.environ["XDG_CACHE_HOME"] = os.environ["PROSPECTOR_BENCH_RECORDS"]
    import atexit

    atexit.register(shutil.rmtree, os.environ["PROSPECTOR_BENCH_RECORDS"], ignore_errors=True)
BUILD_BAR_S = 60.0
"""Building the demo database, for the 250,000 actions it was set for; larger builds are
reported without a bar."""
BUILD_BAR_SIZE = 250_000
NO_BAR = "—"
COLUMNS: tuple[str, ...] = ("figure", "size", "measured", "bar", "result")


@dataclass(frozen=True)
class Row:
    """One figure of the report."""

    figure: str
    size: int | None
    """Actions in the database it was measured on; None when it does not depend on one."""
    measured: str
    bar: str = NO_BAR
    ok: bool | None = None
    """Within its bar; None for a figure printed for the record, with no bar (or not run)."""

    @property
    def result(self) -> str:
        """PASS or FAIL against its bar, or a dash where there is none to judge by."""
        return NO_BAR if self.ok is None else ("PASS" if self.ok else "FAIL")

    def cells(self) -> tuple[str, ...]:
        """Its line of the table, in the order of ``COLUMNS``."""
        size = NO_BAR if self.size is None else f"{self.size:,}"
        return (self.figure, size, self.measured, self.bar, self.result)


@dataclass(frozen=True)
class BenchDB:
    """A cached benchmark database, ready to measure on (or to copy, for what writes)."""

    path: Path
    size: int
    built_s: float | None
    """Seconds it took to build it now; None when it came from the cache."""
    what: str = "demo database"
    """What kind of history it holds, as the build row names it."""
    build_bar_s: float | None = None
    """The bar on building it at any size; None: the demo's (``BUILD_BAR_S`` up to
    ``BUILD_BAR_SIZE`` actions, no bar past it)."""

    def describe(self) -> str:
        how = "cached" if self.built_s is None else f"built now in {self.built_s:.1f} s"
        return f"Database: {self.path} ({self.what}, {self.size:,} actions, {how})"

    def build_row(self) -> Row:
        """The build as a figure: timed when it was built now, else said to be cached."""
        limit = self.build_bar_s
        if limit is None and self.size <= BUILD_BAR_SIZE:
            limit = BUILD_BAR_S
        bar = NO_BAR if limit is None else f"< {limit:.0f} s"
        figure = f"build the {self.what}"
        if self.built_s is None:
            return Row(figure, self.size, "cached (--rebuild times it)", bar)
        ok = None if limit is None else self.built_s < limit
        return Row(figure, self.size, f"{self.built_s:.1f} s", bar, ok)


def env() -> dict[str, str]:
    """The child processes import this checkout, whether or not it is installed."""
    out = dict(os.environ)
    out["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), out.get("PYTHONPATH")]))
    out.pop("PROSPECTOR_DB", None)
    return out


def action_count(path: Path) -> int | None:
    """Actions stored in ``path``, or None when it is not a readable Prospector file.

    Through the app's own SQLite library: two copies of SQLite in one process do not see
    each other's locks (``prospector.sqlite``).
    """
    from prospector.sqlite import sqlite3

    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return con.execute("SELECT count(*) FROM action").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return None


def schema_fingerprint() -> str:
    """Changes whenever a migration script does, so a cached database never goes stale."""
    from prospector.db import MIGRATIONS

    digest = hashlib.sha1()
    for script in sorted((MIGRATIONS / "versions").glob("*.py")):
        digest.update(script.read_bytes())
    return digest.hexdigest()[:10]


def benchmark_db(size: int, rebuild: bool = False) -> BenchDB:
    """The cached database of ``size`` demo actions (seed 7), built if missing or asked.

    It is built under another name and renamed once complete, so an interrupted build
    never passes for a cached one.
    """
    from prospector.demo import generate_demo
    from prospector.store import Store

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"foundation-{size}-{schema_fingerprint()}.db"
    if not rebuild and path.exists() and action_count(path) == size:
        return BenchDB(path, size, None)
    partial = path.with_name(path.name + ".partial")
    for stale in (path, partial):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{stale}{suffix}").unlink(missing_ok=True)
    store = Store.open(partial)
    started = time.perf_counter()
    generate_demo(store, seed=7, actions=size)
    elapsed = time.perf_counter() - started
    store.close()
    os.replace(partial, path)
    return BenchDB(path, size, elapsed)


@contextmanager
def scratch_copy(db: BenchDB, name: str = "copy.db") -> Iterator[Path]:
    """A throwaway copy of ``db``, for what writes to it: the cache stays exactly N actions."""
    with tempfile.TemporaryDirectory(prefix="prospector-bench-") as scratch:
        copy = Path(scratch) / name
        shutil.copyfile(db.path, copy)
        yield copy


def peak_rss_mb() -> float | None:
    """This process's own peak resident memory (``VmHWM``), where the system says it.

    Not ``ru_maxrss`` of ``RUSAGE_SELF``: Linux carries the peak of whatever process
    spawned this one across ``exec`` into that figure, and likewise from this process into
    the ``ru_maxrss`` of each child it starts, so a child never reports less than this.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def median_seconds(fn: Callable[[], object], runs: int) -> float:
    """Median wall time of ``runs`` calls: the median shrugs off the odd slow run."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def sqlite_shell() -> tuple[str | None, str | None]:
    """The ``sqlite3`` command line shell and its version, or Nones when not installed."""
    path = shutil.which("sqlite3")
    if path is None:
        return None, None
    done = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
    return path, (done.stdout.split() or ["?"])[0]


def cpu_model() -> str:
    """The CPU's name where the system says it (``platform.processor()`` is often empty)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def python_sqlite() -> str:
    """The SQLite Python's own ``sqlite3`` links, asked of a child process: this one uses
    the app's library only (``prospector.sqlite``)."""
    done = subprocess.run(
        [sys.executable, "-c", "import sqlite3; print(sqlite3.sqlite_version)"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or "?"


def machine() -> str:
    """One line saying what the figures were measured on: without it they mean little.

    The SQLite is the one the app runs on (a bundled ``pysqlite3`` where there is a wheel,
    else Python's own), with Python's own beside it when they differ.
    """
    from prospector.sqlite import LIBRARY, sqlite3

    _, shell = sqlite_shell()
    linked = python_sqlite()
    own = "" if linked == sqlite3.sqlite_version else f"; Python's sqlite3 links {linked}"
    return (
        f"{os.cpu_count()} CPUs ({cpu_model()}), {platform.platform()}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version} "
        f"(the app's, via {LIBRARY}{own}), sqlite3 shell {shell or 'not installed'}"
    )


def now() -> str:
    """The local date and time with its offset: when the figures were measured."""
    return dt.datetime.now().astimezone().isoformat(sep=" ", timespec="seconds")


def print_table(rows: Sequence[Row], markdown: bool = False) -> None:
    """The figures, each next to its bar, and how many are within theirs."""
    table = [row.cells() for row in rows]
    print()
    if markdown:
        print("| " + " | ".join(COLUMNS) + " |")
        print("| " + " | ".join("---" for _ in COLUMNS) + " |")
        for line in table:
            print("| " + " | ".join(c.strip().replace("|", "\\|") for c in line) + " |")
    else:
        widths = [max(len(line[i]) for line in [COLUMNS, *table]) for i in range(len(COLUMNS))]
        for line in [COLUMNS, tuple("-" * w for w in widths), *table]:
            print("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())
    barred = [row for row in rows if row.ok is not None]
    passed = sum(bool(row.ok) for row in barred)
    print(
        f"\n{passed} of {len(barred)} figures within their bars "
        f"({len(rows) - len(barred)} more with no bar, or not measured)."
    )


def script(
    doc: str | None, size: int, figures: Callable[..., list[Row]], runs: Mapping[str, int]
) -> int:
    """Run one benchmark on its own: the machine, its database, its table.

    Every script has ``--size`` (its bars' size by default) and ``--rebuild``; each of
    ``runs`` (how many of something are timed) becomes an option ``--name`` (underscores
    as dashes) handed on to ``figures`` as ``name``, so a script's runs are set in one
    place for it and for ``python tests/bench``. Always 0: a report, not a test; read the
    result column.
    """
    opts = _options(doc, "`python tests/bench` runs every benchmark at once.", runs, size=size)
    print(machine())
    db = benchmark_db(opts.size, opts.rebuild)
    return _report(db, figures, runs, opts, cached_row=False)


def rep_script(
    doc: str | None,
    sizes: Sequence[tuple[int, int]],
    size: int,
    figures: Callable[..., list[Row]],
    runs: Mapping[str, int],
) -> int:
    """Run one rep-history benchmark on its own: ``script``, on the history of
    ``--size`` actions (one of ``sizes``: actions and prospects), built or taken from
    the cache by ``rep_history``."""
    prospects = dict(sizes)
    epilog = "`python tests/bench` runs it at both sizes with the other benchmarks."
    opts = _options(doc, epilog, runs, size=size, choices=sorted(prospects))
    import rep_history  # loads the whole store: only once the options are read

    print(machine())
    db = rep_history.rep_db(opts.size, prospects[opts.size], opts.rebuild)
    return _report(db, figures, runs, opts, cached_row=True)


def _options(
    doc: str | None,
    epilog: str,
    runs: Mapping[str, int],
    size: int,
    choices: list[int] | None = None,
) -> argparse.Namespace:
    """``--size`` (``size`` by default, one of ``choices`` when given), ``--rebuild`` and
    one option per entry of ``runs``."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0], epilog=epilog)
    what = "actions in the history" if choices else "actions in the database"
    parser.add_argument("--size", type=int, default=size, choices=choices, help=what)
    parser.add_argument("--rebuild", action="store_true", help="ignore the cached database")
    for name, default in runs.items():
        flag = "--" + name.replace("_", "-")
        parser.add_argument(
            flag, type=int, default=default, help=f"how many to time (default {default})"
        )
    return parser.parse_args()


def _report(
    db: BenchDB,
    figures: Callable[..., list[Row]],
    runs: Mapping[str, int],
    opts: argparse.Namespace,
    *,
    cached_row: bool,
) -> int:
    """The database, and the table of ``figures`` on it; the row of the database's build
    when it was built (or, with ``cached_row``, also when cached)."""
    print(db.describe())
    rows = figures(db, **{name: getattr(opts, name) for name in runs})
    print_table([db.build_row(), *rows] if cached_row or db.built_s is not None else rows)
    return 0


class ChildFailed(RuntimeError):
    """A benchmark's process exited with an error; it has printed its own traceback."""


CHILD = """
import sys
sys.path.insert(0, sys.argv[1])
import benchlib
benchlib.child_figures(*sys.argv[2:])
"""


def figures_in_child(name: str, db: BenchDB, runs: Mapping[str, int]) -> list[Row]:
    """``bench_<name>.figures(db, **runs)``, called in a fresh Python process of its own.

    So each benchmark runs as it does on its own: in-process figures measured in a process
    that has done nothing else, and the processes it times spawned from a small one (a
    child's ``ru_maxrss`` counts the peak of the process that started it; see
    :func:`peak_rss_mb`). What it prints goes straight through; the rows come back as
    JSON in a file, not parsed from its output.
    """
    with tempfile.TemporaryDirectory(prefix="prospector-bench-") as scratch:
        out = Path(scratch) / "rows.json"
        sys.stdout.flush()
        sys.stderr.flush()
        args = [str(HERE), f"bench_{name}", str(db.path), str(db.size), json.dumps(dict(runs))]
        done = subprocess.run([sys.executable, "-c", CHILD, *args, str(out)], check=False)
        if done.returncode != 0:
            raise ChildFailed(f"bench_{name} exited with status {done.returncode} (see above)")
        return [Row(**row) for row in json.loads(out.read_text(encoding="utf-8"))]


def child_figures(module: str, path: str, size: str, runs: str, out: str) -> None:
    """The child's side of :func:`figures_in_child`."""
    figures = importlib.import_module(module).figures
    rows = figures(BenchDB(Path(path), int(size), None), **json.loads(runs))
    Path(out).write_text(json.dumps([dataclasses.asdict(row) for row in rows]), encoding="utf-8")
