"""A read-only file, a full disk, a damaged page: a clear message, nothing lost.

Each failure of the file itself reaches the rep as one sentence naming the file and
what to do (the CLI prints it, the app shows it), never as a driver traceback; every
action reported as saved before the failure is still there afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import event

from prospector.db import integrity_problem
from prospector.errors import DatabaseError
from prospector.sqlite import sqlite3
from prospector.store import Store

ROOT = Path(__file__).resolve().parents[2]

FILL_THE_DISK = """
import resource, signal, sys
from prospector.cli import main

db, limit = sys.argv[1], int(sys.argv[2])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
for i in range(10_000):
    if main(["--db", db, "log", "call", "--note", f"n{i}-" + "x" * 400]) != 0:
        sys.exit(3)
    print(f"saved n{i}-", flush=True)
"""


def rows(db: Path, sql: str = "SELECT count(*) FROM action") -> int:
    con = sqlite3.connect(db)
    try:
        return int(con.execute(sql).fetchone()[0])
    finally:
        con.close()


def test_a_read_only_database_says_so_and_keeps_what_it_holds(store: Store, db_path: Path) -> None:
    store.log_action("call")
    store.engine.dispose()
    # Root may write a file whatever its mode, so SQLite's own read-only switch stands in.
    event.listen(
        store.engine,
        "connect",
        lambda con, _record: con.execute("PRAGMA query_only = ON"),
    )
    with pytest.raises(DatabaseError) as raised:
        store.log_action("call")
    message = str(raised.value)
    assert str(db_path) in message
    assert "read-only" in message and "Nothing was saved" in message
    assert store.action_count() == 1  # reading still works


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes read-only files"
)
def test_the_cli_on_a_read_only_file(store: Store, db_path: Path) -> None:
    store.log_action("call")
    store.close()
    db_path.chmod(0o444)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "prospector", "--db", str(db_path), "log", "call"],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
        )
    finally:
        db_path.chmod(0o644)
    assert result.returncode == 2
    assert "read-only" in result.stderr and str(db_path) in result.stderr
    assert "Traceback" not in result.stderr
    assert rows(db_path) == 1


@pytest.mark.skipif(sys.platform == "win32", reason="needs resource limits (POSIX)")
def test_a_file_size_limit_loses_nothing_reported_saved(store: Store, db_path: Path) -> None:
    """The file may not grow past a limit (``ulimit -f``): logging stops with a message
    naming the file and the limit, and every action reported before that is stored."""
    store.log_action("call", note="before")
    store.close()
    limit = db_path.stat().st_size + 150_000
    result = subprocess.run(
        [sys.executable, "-c", FILL_THE_DISK, str(db_path), str(limit)],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 3, result.stderr
    assert f"cannot save to {db_path}: the file reached the size limit" in result.stderr
    assert "Nothing was saved" in result.stderr
    assert "damaged" not in result.stderr and "restore" not in result.stderr
    assert "Traceback" not in result.stderr
    saved = [line for line in result.stdout.splitlines() if line.startswith("saved ")]
    assert len(saved) > 10
    con = sqlite3.connect(db_path)
    try:
        notes = [row[0] for row in con.execute("SELECT note FROM action")]
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()
    stored = {note.split("-")[0] for note in notes}
    assert {line.removeprefix("saved ").rstrip("-") for line in saved} <= stored
    assert len(notes) == len(saved) + 1  # the failed one is not half there


def test_the_quick_check_finds_a_damaged_page(store: Store, db_path: Path) -> None:
    from prospector.demo import generate_demo

    generate_demo(store, seed=1, actions=2000)
    store.close()
    assert integrity_problem(db_path, quick=True) is None
    with db_path.open("r+b") as fh:  # no connection is open in this process
        fh.seek(4096 * 12)
        fh.write(b"\xde\xad\xbe\xef" * 1024)
    problem = integrity_problem(db_path, quick=True)
    assert problem is not None and ("malformed" in problem or "Page" in problem)
