"""Two processes writing the same file at once lose nothing and never say "locked".

Each writer is a separate interpreter running the CLI's ``log`` command 300 times,
as a rep's script or a second terminal would; a third process reads the status over
and over meanwhile, as the open app does. Every command must succeed without a
"database is locked" message, every action must be stored once, and the per-day counts
the triggers keep must agree with the actions.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from prospector.sqlite import sqlite3
from prospector.store import Store

PER_WRITER = 300
"""Hundreds of lock hand-overs between three processes, at a cost the suite's time budget
carries (each command also runs the file check; 1,000 each took over a minute)."""

WRITER = """
import sys
from prospector.cli import main

db, name, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
failed = 0
for i in range(n):
    args = ["--db", db, "log", "call", "--prospect", f"{name} {i % 7}", "--note", f"{name}-{i}"]
    if main(args) != 0:
        failed += 1
print(f"failed {failed}", file=sys.stderr)
sys.exit(1 if failed else 0)
"""

READER = """
import sys
from prospector.cli import main

db = sys.argv[1]
for _ in range(int(sys.argv[2])):
    if main(["--db", db, "status", "--json"]) != 0:
        sys.exit(1)
"""


def spawn(script: str, *args: str) -> subprocess.Popen[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(Path(__file__).resolve().parents[2]), env.get("PYTHONPATH")])
    )
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_cli_processes_logging_at_once_lose_nothing(db_path: Path) -> None:
    Store.open(db_path).close()
    writers = [spawn(WRITER, str(db_path), name, str(PER_WRITER)) for name in ("ann", "bob")]
    reader = spawn(READER, str(db_path), "60")
    errors = [proc.communicate(timeout=600)[1] for proc in [*writers, reader]]

    assert [proc.returncode for proc in [*writers, reader]] == [0, 0, 0], errors
    assert not any("locked" in text for text in errors), errors
    con = sqlite3.connect(db_path)
    try:
        notes = [row[0] for row in con.execute("SELECT note FROM action")]
        expected = {f"{name}-{i}" for name in ("ann", "bob") for i in range(PER_WRITER)}
        assert len(notes) == 2 * PER_WRITER
        assert set(notes) == expected
        prospects = con.execute("SELECT count(*) FROM prospect").fetchone()[0]
        assert prospects == 14  # "ann 0".."ann 6", "bob 0".."bob 6": none created twice
        kept = con.execute("SELECT sum(n) FROM action_day_count").fetchone()[0]
        assert kept == 2 * PER_WRITER
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()


def test_checking_a_file_this_process_has_open_keeps_its_locks(store: Store, db_path: Path) -> None:
    """Opening the file again (as the app's deferred open and every CLI command do) must
    not drop this process's locks: if it did, another process closing its connection
    would take itself for the last one and reset the write-ahead log under ours."""
    from prospector.db import is_current, open_database, read_setting

    store.log_action("call")  # a live connection, reading from the write-ahead log
    wal = db_path.with_name(db_path.name + "-wal")
    assert wal.exists()

    assert is_current(db_path)
    assert read_setting(db_path, "timezone") == "Europe/Amsterdam"
    open_database(db_path).dispose()
    other = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]);"
            "c.execute('SELECT count(*) FROM action').fetchone(); c.close()",
            str(db_path),
        ],
        check=True,
    )

    assert other.returncode == 0
    assert wal.exists(), "another process took this one for gone and reset its log"
    store.log_action("call")
    assert store.action_count() == 2
