"""Foundation benchmark: is the core fast enough on a big history? A report, not a test.

    python tests/bench/bench_foundation.py [--size 250000] [--rebuild]

Figures, each against its bar:

* building the benchmark database with ``generate_demo(actions=N)`` (when not cached);
* ``store.status()`` on it, in-process: the figure every screen and ``status`` shows;
* a whole ``prospector log call`` process against ``python -c "import sqlmodel, pendulum"``,
  i.e. what the CLI adds on top of merely importing its two big dependencies;
* whether a headless command imports Textual (it must not: that is where start-up goes).

The database is cached under the temp folder, keyed by size, because building it is
not what is measured; ``log call`` runs on a copy so the cache stays exactly N actions.
Always exits 0: read the PASS/FAIL column.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from prospector.demo import generate_demo  # noqa: E402
from prospector.store import Store  # noqa: E402

CACHE = Path(tempfile.gettempdir()) / "prospector-bench"
STATUS_BAR_MS = 50.0
LOG_BAR_RATIO = 1.5
BUILD_BAR_S = 60.0


def env() -> dict[str, str]:
    """The child processes import this checkout, whether or not it is installed."""
    out = dict(os.environ)
    out["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), out.get("PYTHONPATH")]))
    out.pop("PROSPECTOR_DB", None)
    return out


def action_count(path: Path) -> int | None:
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
    import hashlib

    from prospector.db import MIGRATIONS

    digest = hashlib.sha1()
    for script in sorted((MIGRATIONS / "versions").glob("*.py")):
        digest.update(script.read_bytes())
    return digest.hexdigest()[:10]


def benchmark_db(size: int, rebuild: bool) -> tuple[Path, float | None]:
    """The cached database of ``size`` actions, built if missing; and the build time."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"foundation-{size}-{schema_fingerprint()}.db"
    if not rebuild and path.exists() and action_count(path) == size:
        return path, None
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
    return path, elapsed


def median_seconds(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(args: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], env=env(), capture_output=True, text=True, check=True
    )


def process_times(db: Path, runs: int) -> tuple[float, float]:
    """Median wall time of ``log call`` and of the bare imports, interleaved run by run."""
    log = ["-m", "prospector", "--db", str(db), "log", "call"]
    imports = ["-c", "import sqlmodel, pendulum"]
    run(log)  # warm the page cache and the bytecode cache of both
    run(imports)
    log_times: list[float] = []
    import_times: list[float] = []
    for _ in range(runs):
        for args, times in ((imports, import_times), (log, log_times)):
            started = time.perf_counter()
            run(args)
            times.append(time.perf_counter() - started)
    return statistics.median(log_times), statistics.median(import_times)


def textual_imported(db: Path) -> bool:
    code = (
        "import sys, prospector.cli\n"
        f"prospector.cli.main(['--db', {str(db)!r}, 'status', '--json'])\n"
        "print('textual' in sys.modules)\n"
    )
    return run(["-c", code]).stdout.strip().splitlines()[-1] == "True"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=250_000, help="actions in the database")
    parser.add_argument("--rebuild", action="store_true", help="ignore the cached database")
    parser.add_argument("--status-runs", type=int, default=20)
    parser.add_argument("--process-runs", type=int, default=7)
    opts = parser.parse_args()

    print(
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{os.cpu_count()} CPUs, {platform.platform()}"
    )
    db, built = benchmark_db(opts.size, opts.rebuild)
    print(f"Database: {db} ({opts.size:,} actions, {'built now' if built else 'cached'})")
    rows: list[tuple[str, str, str, bool]] = []
    if built is not None:
        rows.append(
            (
                f"build {opts.size:,} demo actions",
                f"{built:.1f} s",
                f"< {BUILD_BAR_S:.0f} s",
                built < BUILD_BAR_S,
            )
        )

    store = Store.open(db)
    store.status()  # warm-up: first query, page cache, imports
    status_ms = median_seconds(store.status, opts.status_runs) * 1000
    store.close()
    rows.append(
        (
            f"store.status() median of {opts.status_runs}",
            f"{status_ms:.1f} ms",
            f"< {STATUS_BAR_MS:.0f} ms",
            status_ms < STATUS_BAR_MS,
        )
    )

    with tempfile.TemporaryDirectory(prefix="prospector-bench-") as scratch:
        copy = Path(scratch) / "copy.db"
        shutil.copyfile(db, copy)
        log_s, import_s = process_times(copy, opts.process_runs)
        ratio = log_s / import_s
        rows.append(
            (
                f"`log call` process / bare imports, median of {opts.process_runs}",
                f"{log_s * 1000:.0f} ms / {import_s * 1000:.0f} ms = {ratio:.2f}x",
                f"< {LOG_BAR_RATIO}x",
                ratio < LOG_BAR_RATIO,
            )
        )
        textual = textual_imported(copy)
        rows.append(
            (
                "headless `status --json` imports textual",
                "yes" if textual else "no",
                "no",
                not textual,
            )
        )

    header = ("figure", "measured", "bar", "result")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(3)]
    print()
    print("  ".join(h.ljust(w) for h, w in zip(header, [*widths, 6], strict=True)))
    print("  ".join("-" * w for w in [*widths, 6]))
    for figure, measured, bar, ok in rows:
        cells = (figure, measured, bar, "PASS" if ok else "FAIL")
        print("  ".join(c.ljust(w) for c, w in zip(cells, [*widths, 6], strict=True)))
    failed = sum(not r[3] for r in rows)
    print(f"\n{len(rows) - failed} of {len(rows)} figures within their bars.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
