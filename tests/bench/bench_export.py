"""Export benchmark: CSV of a million actions against ``sqlite3 -csv``. A report, not a test.

    python tests/bench/bench_export.py [--size 1000000] [--rebuild]

On the cached demo database of ``--size`` actions (``bench_foundation.benchmark_db``,
``generate_demo(actions=N)``, seed 7), in one run:

* a whole ``prospector export --format csv -o FILE`` process, wall time, against the
  ``sqlite3 -csv`` command line shell writing the same rows with an equivalent SELECT
  (same joins, same order, the stored UTC time where the export has the local time).
  Bar: within 2x of ``sqlite3``;
* the peak memory (``ru_maxrss``) of that export process. Bar: under 150 MB, whatever
  the size: the export streams;
* that both files hold the same actions in the same order (row count and a digest of
  the uid column), and that the count is the database's.

The page cache is warmed first by reading the database file once, so neither side
pays for the disk. Always exits 0: read the PASS/FAIL column.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_foundation import action_count, benchmark_db, env  # noqa: E402

RATIO_BAR = 2.0
MEMORY_BAR_MB = 150.0

SQLITE_SELECT = """
SELECT a.uid, a.local_date AS date, substr(a.at, 12, 8) AS time, a.tz AS timezone,
       a.at AS at_utc, a.kind, a.outcome, a.next_step_on, p.name AS prospect, p.company,
       p.uid AS prospect_uid, b.uid AS block_uid, a.minutes, a.note
FROM action AS a
LEFT JOIN prospect AS p ON p.id = a.prospect_id
LEFT JOIN block AS b ON b.id = a.block_id
ORDER BY a.at, a.id;
"""

EXPORT_SNIPPET = """
import sys
from prospector.cli import _Parser
from prospector.errors import ProspectorError
from prospector.io_commands import HANDLERS, add_parsers
from prospector.store import Store

parser = _Parser(prog="prospector")
sub = parser.add_subparsers(dest="command", parser_class=_Parser)
add_parsers(sub, _Parser)
args = parser.parse_args(sys.argv[2:])
sys.exit(HANDLERS[args.command](Store.open(sys.argv[1]), args))
"""


def export_command(db: Path, out: Path) -> list[str]:
    """``prospector export`` as a process: the CLI once it has the command, else the same
    handler through this package's own parser."""
    from prospector.cli import build_parser

    args = ["export", "--format", "csv", "-o", str(out)]
    subparsers = next(
        a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)
    )
    if "export" in subparsers.choices:
        return [sys.executable, "-m", "prospector", "--db", str(db), *args]
    return [sys.executable, "-c", EXPORT_SNIPPET, str(db), *args]


def timed(command: list[str], stdout: Path | None = None) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB, and stderr of one child process."""
    out = stdout.open("wb") if stdout else subprocess.DEVNULL
    try:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.PIPE, env=env())
        assert child.stderr is not None
        err = child.stderr.read().decode()
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if stdout:
            out.close()  # type: ignore[union-attr]
    if child.returncode != 0:
        raise SystemExit(f"{command[0]} failed ({child.returncode}): {err}")
    return elapsed, usage.ru_maxrss / 1024, err


def uid_digest(path: Path) -> tuple[int, str]:
    """Rows (after the header) and a digest of the uid column, in order."""
    digest = hashlib.sha1()
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        n = 0
        for row in reader:
            digest.update(row[0].encode())
            n += 1
    return n, digest.hexdigest()


def warm(path: Path) -> None:
    with path.open("rb") as fh:
        while fh.read(1 << 24):
            pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="actions in the database")
    parser.add_argument("--rebuild", action="store_true", help="ignore the cached database")
    opts = parser.parse_args()

    sqlite = shutil.which("sqlite3")
    print(
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{os.cpu_count()} CPUs, {platform.platform()}"
    )
    if sqlite is None:
        print("The sqlite3 command line shell is not installed; nothing to compare against.")
        return 0
    version = subprocess.run([sqlite, "--version"], capture_output=True, text=True).stdout
    print(f"sqlite3 shell {version.split()[0]}")
    db, built = benchmark_db(opts.size, opts.rebuild)
    print(f"Database: {db} ({opts.size:,} actions, {'built now' if built else 'cached'})")

    rows: list[tuple[str, str, str, bool]] = []
    with tempfile.TemporaryDirectory(prefix="prospector-bench-") as scratch:
        ours = Path(scratch) / "export.csv"
        theirs = Path(scratch) / "sqlite3.csv"
        warm(db)
        shell_s, _, _ = timed([sqlite, "-csv", "-header", str(db), SQLITE_SELECT], theirs)
        export_s, peak_mb, err = timed(export_command(db, ours))
        ratio = export_s / shell_s
        rows.append(
            (
                f"CSV export of {opts.size:,} actions / sqlite3 -csv",
                f"{export_s:.2f} s / {shell_s:.2f} s = {ratio:.2f}x",
                f"< {RATIO_BAR:.0f}x",
                ratio < RATIO_BAR,
            )
        )
        rows.append(
            (
                "peak memory (ru_maxrss) of the export process",
                f"{peak_mb:.0f} MB",
                f"< {MEMORY_BAR_MB:.0f} MB",
                peak_mb < MEMORY_BAR_MB,
            )
        )
        mine, reference = uid_digest(ours), uid_digest(theirs)
        stored = action_count(db)
        said = f"Exported {stored:,} actions" in err
        rows.append(
            (
                "same rows as sqlite3 -csv, as many as stored, and said so",
                f"{mine[0]:,} / {reference[0]:,} / {stored:,} rows",
                "equal",
                mine == reference and mine[0] == stored and said,
            )
        )
        rows.append(
            (
                "file sizes (no bar)",
                f"{ours.stat().st_size / 1e6:.0f} MB / {theirs.stat().st_size / 1e6:.0f} MB",
                "-",
                True,
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
