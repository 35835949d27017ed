"""Foundation benchmark: is the core fast enough on a big history? A report, not a test.

    python tests/bench/bench_foundation.py [--size 250000] [--rebuild]

Figures, each against its bar:

* building the benchmark database with ``generate_demo(actions=N)`` (when not cached);
* ``store.status()`` on it, in-process: the figure every screen and ``status`` shows;
* a whole ``prospector log call`` process against ``python -c "import sqlmodel, pendulum"``,
  i.e. what the CLI adds on top of merely importing its two big dependencies;
* whether a headless command imports Textual (it must not: that is where start-up goes).

The database is cached under the temp folder, keyed by size (``benchlib.benchmark_db``),
because building it is not what is measured; ``log call`` runs on a copy so the cache
stays exactly N actions. ``python tests/bench`` runs this with the other benchmarks.
Always exits 0: read the result column.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import benchlib
from benchlib import BenchDB, Row

from prospector.store import Store

SIZE = 250_000
"""The size the bars below are set for."""
RUNS = {"status_runs": 20, "process_runs": 7}
QUICK = {"status_runs": 5, "process_runs": 3}
STATUS_BAR_MS = 50.0
LOG_BAR_RATIO = 1.2
"""Issue #13's bar (it was 1.5x)."""


def run(args: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], env=benchlib.env(), capture_output=True, text=True, check=True
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


def figures(db: BenchDB, *, status_runs: int, process_runs: int) -> list[Row]:
    """Status in-process, then the ``log call`` process and Textual's absence, on a copy."""
    store = Store.open(db.path)
    store.status()  # warm-up: first query, page cache, imports
    status_ms = benchlib.median_seconds(store.status, status_runs) * 1000
    store.close()
    rows = [
        Row(
            f"store.status(), median of {status_runs}",
            db.size,
            f"{status_ms:.1f} ms",
            f"< {STATUS_BAR_MS:.0f} ms",
            status_ms < STATUS_BAR_MS,
        )
    ]
    with benchlib.scratch_copy(db) as copy:
        log_s, import_s = process_times(copy, process_runs)
        ratio = log_s / import_s
        rows.append(
            Row(
                f"`log call` process / bare `import sqlmodel, pendulum`, median of {process_runs}",
                db.size,
                f"{log_s * 1000:.0f} ms / {import_s * 1000:.0f} ms = {ratio:.2f}x",
                f"≤ {LOG_BAR_RATIO}x",
                ratio <= LOG_BAR_RATIO,
            )
        )
        textual = textual_imported(copy)
        rows.append(
            Row(
                "headless `status --json` imports textual",
                db.size,
                "yes" if textual else "no",
                "no",
                not textual,
            )
        )
    return rows


if __name__ == "__main__":
    sys.exit(benchlib.script(__doc__, SIZE, figures, RUNS))
