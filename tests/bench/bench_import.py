"""Import benchmark: our own CSV of a rep's history into an empty database, while the rep logs.

    python tests/bench/bench_import.py [--size 250000|1000000] [--rebuild]

On the rep histories of ``rep_history.py`` (250,000 actions on 20,000 prospects, and
1,000,000 on 80,000; ``python tests/bench`` runs both), exported once with
``prospector export --format csv``, in one run:

* a whole ``prospector import FILE`` process into a new database, wall time, against
  the ``sqlite3`` shell loading the same file into the same schema (``.import`` into a
  scratch table, then ``INSERT … SELECT`` into prospects, blocks and actions, whose
  triggers keep the day counts and per-prospect summaries as the import's do). Bar:
  within 1.5x;
* the import's peak memory (``ru_maxrss``, of a process started from a small one: Linux
  counts the starting process's peak in a child's). Bar: 120 MB, whatever the size;
* the longest the write lock was held, seen from outside: a second connection tries
  ``BEGIN IMMEDIATE`` every 20 ms and the longest run of refusals is printed. The
  import checks the whole file first without the lock, so this is the merge;
* a ``prospector log call`` started the moment the lock is first refused (the merge
  has begun): it must exit 0, and the database must end with every imported row and
  that call. It waits for the merge instead of failing after the busy timeout.

Every process runs at the rep history's clock (``PROSPECTOR_TEST_NOW``). Always exits
0: read the result column.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import benchlib
from benchlib import BenchDB, Row

SIZE = 250_000
DATABASES: tuple[tuple[int, int], ...] = ((250_000, 20_000), (1_000_000, 80_000))
"""As ``rep_history.SIZES``, which is not imported here: it loads the whole store, and
this process's own memory would then show in the import's peak (see the docstring)."""
RUNS: dict[str, int] = {}
"""One run: a million rows take a minute or two."""
QUICK = RUNS
RATIO_BAR = 1.5
MEMORY_BAR_MB = 120.0
NOW_ENV = "2026-11-23T09:00:00+00:00"
"""``rep_history.NOW_ENV``: Monday 23 November 2026, 10:00 in Amsterdam."""
POLL_S = 0.02

LAUNCHER = """
import json, os, subprocess, sys, time
started = time.perf_counter()
child = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
err = child.stderr.read().decode()
_, status, usage = os.wait4(child.pid, 0)
elapsed = time.perf_counter() - started
with open(sys.argv[1], "w") as out:
    json.dump({"s": elapsed, "mb": usage.ru_maxrss / 1024,
               "code": os.waitstatus_to_exitcode(status), "err": err}, out)
"""
"""Runs a command and reports its wall time and peak memory: a small process, so the
child's ``ru_maxrss`` is its own."""

SHELL_LOAD = """
.bail on
.import --csv {csv} rows
BEGIN;
INSERT INTO prospect (uid, name, name_key, company, source, stage, existing_customer,
    est_value, stopped, next_touch_on, note, created_at)
SELECT prospect_uid, min(prospect), lower(min(prospect)), min(company), 'cold', 'new', 0,
    NULL, 0, NULL, '', min(at_utc)
FROM rows WHERE prospect_uid != '' GROUP BY prospect_uid;
INSERT INTO block (uid, started_at, tz, local_date, planned_minutes, ended_at,
    actual_minutes, interruptions)
SELECT block_uid, min(at_utc), min(timezone), min(date), 1, max(at_utc), 0, 0
FROM rows WHERE block_uid != '' GROUP BY block_uid;
INSERT INTO action (uid, at, tz, local_date, kind, outcome, next_step_on, prospect_id,
    block_id, note, minutes)
SELECT r.uid, r.at_utc, r.timezone, r.date, r.kind, r.outcome, nullif(r.next_step_on, ''),
    p.id, b.id, r.note, CAST(nullif(r.minutes, '') AS INTEGER)
FROM rows AS r
LEFT JOIN prospect AS p ON p.uid = r.prospect_uid
LEFT JOIN block AS b ON b.uid = r.block_uid;
COMMIT;
DROP TABLE rows;
"""


def env() -> dict[str, str]:
    out = benchlib.env()
    out["PROSPECTOR_TEST_NOW"] = NOW_ENV
    return out


def prospector(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "prospector", "--db", str(db), *args]


def run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, env=env(), check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {done.stderr.strip()}")


def empty_database(path: Path) -> Path:
    run(prospector(path, "status"))
    return path


def count(db: Path, sql: str = "SELECT count(*) FROM action") -> int:
    con = sqlite3.connect(db)
    try:
        return int(con.execute(sql).fetchone()[0])
    finally:
        con.close()


@dataclass
class LockWatch:
    """Tries the write lock every ``POLL_S`` from a second connection; on its first
    refusal, starts a ``log call`` (as a rep at the command line would)."""

    db: Path
    holds: list[float] = field(default_factory=list)
    log_code: int | None = None
    log_s: float | None = None
    log_err: str = ""
    _stop: threading.Event = field(default_factory=threading.Event)
    _log: threading.Thread | None = None

    def start(self) -> threading.Thread:
        watcher = threading.Thread(target=self._watch, daemon=True)
        watcher.start()
        return watcher

    def stop(self) -> None:
        self._stop.set()
        if self._log is not None:
            self._log.join(600)

    def _watch(self) -> None:
        since: float | None = None
        while not self._stop.is_set():
            refused = False
            try:
                con = sqlite3.connect(self.db, timeout=0, isolation_level=None)
                try:
                    con.execute("BEGIN IMMEDIATE")
                    con.execute("ROLLBACK")
                finally:
                    con.close()
            except sqlite3.OperationalError:
                refused = True
            now = time.perf_counter()
            if refused and since is None:
                since = now
                if self._log is None:
                    self._log = threading.Thread(target=self._log_call, daemon=True)
                    self._log.start()
            elif not refused and since is not None:
                self.holds.append(now - since)
                since = None
            time.sleep(POLL_S)
        if since is not None:
            self.holds.append(time.perf_counter() - since)

    def _log_call(self) -> None:
        started = time.perf_counter()
        done = subprocess.run(
            prospector(self.db, "log", "call"),
            capture_output=True,
            text=True,
            env=env(),
            check=False,
        )
        self.log_s = time.perf_counter() - started
        self.log_code = done.returncode
        self.log_err = done.stderr.strip()


def launched(command: list[str], folder: Path) -> dict[str, object]:
    report = folder / "launched.json"
    subprocess.run([sys.executable, "-c", LAUNCHER, str(report), *command], env=env(), check=True)
    found: dict[str, object] = json.loads(report.read_text(encoding="utf-8"))
    return found


def figures(db: BenchDB) -> list[Row]:
    """Export the history, then the import (watched) and the shell's load of that file."""
    with tempfile.TemporaryDirectory(prefix="prospector-bench-", dir=db.path.parent) as tmp:
        folder = Path(tmp)
        csv = folder / "history.csv"
        print("Exporting the history to CSV ...", flush=True)
        run(prospector(db.path, "export", "--format", "csv", "-o", str(csv)))
        rows = count(db.path)
        with csv.open("rb") as fh:  # into the page cache: neither side pays for the disk
            while fh.read(1 << 24):
                pass

        target = empty_database(folder / "imported.db")
        watch = LockWatch(target)
        watcher = watch.start()
        print(f"Importing {rows:,} rows while a rep logs a call ...", flush=True)
        found = launched(prospector(target, "import", str(csv)), folder)
        watch.stop()
        watcher.join(5)
        if found["code"] != 0:
            raise RuntimeError(f"prospector import failed: {found['err']}")
        seconds, memory = float(found["s"]), float(found["mb"])  # type: ignore[arg-type]
        stored = count(target)
        longest = max(watch.holds, default=0.0)

        shell_db = empty_database(folder / "shell.db")
        shell, _ = benchlib.sqlite_shell()
        shell_s: float | None = None
        if shell is not None:
            script = SHELL_LOAD.format(csv=str(csv).replace("'", "''"))
            print("Loading the same file with the sqlite3 shell ...", flush=True)
            started = time.perf_counter()
            subprocess.run([shell, str(shell_db)], input=script, text=True, check=True)
            shell_s = time.perf_counter() - started
            if count(shell_db) != rows:
                raise RuntimeError(f"the sqlite3 shell loaded {count(shell_db):,} of {rows:,}")

    print(
        f"import {seconds:.1f} s, peak {memory:.0f} MB; lock held {len(watch.holds)} time(s), "
        f"longest {longest:.1f} s; log call: exit {watch.log_code} after "
        f"{watch.log_s or 0:.1f} s {watch.log_err}",
        flush=True,
    )
    table = [
        Row(
            "import of our CSV, time vs the sqlite3 shell",
            db.size,
            f"{seconds:.1f} s / {shell_s:.1f} s = {seconds / shell_s:.2f}x"
            if shell_s
            else f"{seconds:.1f} s (no sqlite3 shell)",
            f"≤ {RATIO_BAR}x",
            seconds / shell_s <= RATIO_BAR if shell_s else None,
        ),
        Row(
            "import, peak memory",
            db.size,
            f"{memory:.0f} MB",
            f"≤ {MEMORY_BAR_MB:.0f} MB",
            memory <= MEMORY_BAR_MB,
        ),
        Row("import, longest write-lock hold (the merge)", db.size, f"{longest:.1f} s"),
    ]
    completed = watch.log_code == 0 and stored == rows + 1
    said = (
        f"exit 0 after {watch.log_s:.1f} s; {stored:,} rows"
        if completed
        else f"exit {watch.log_code}, {stored:,} rows: {watch.log_err[:80]}"
        if watch.log_code is not None
        else "not started: the lock was never refused"
    )
    table.append(Row("`log call` during the import's merge", db.size, said, "completes", completed))
    return table


if __name__ == "__main__":
    sys.exit(benchlib.rep_script(__doc__, DATABASES, SIZE, figures, RUNS))
