"""A process killed at any moment loses nothing it reported as saved.

A child process logs actions one by one and reports each one after ``log_action``
returns (the moment the app shows a touch as logged); the parent kills it with
SIGKILL at a random moment, 200 times over. Afterwards every reported action is in
the database, the per-day counts the triggers keep agree with the actions, and
SQLite's integrity check passes.

The children are forked from a parent that has already imported the store, so each
round costs milliseconds instead of a fresh interpreter's start.
"""

from __future__ import annotations

import os
import random
import signal
import sys
import time
from pathlib import Path

import pytest

from prospector.sqlite import sqlite3
from prospector.store import Store

ROUNDS = 200

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or sys.platform == "darwin", reason="needs fork (Linux)"
)


def log_until_killed(path: Path, first: int, report: int) -> None:
    """In the child: log actions forever, reporting each one once it is saved."""
    try:
        store = Store.open(path)
        n = first
        while True:
            store.log_action("call", note=f"n{n}")
            os.write(report, f"{n}\n".encode())
            n += 1
    finally:
        os._exit(0)


def read_first_report(fd: int) -> bytes:
    """Block until the child reports its first saved action (or dies before one)."""
    seen = b""
    while b"\n" not in seen and (chunk := os.read(fd, 64)):
        seen += chunk
    return seen


def read_all(fd: int) -> str:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks).decode()


def test_actions_reported_saved_survive_sigkill(tmp_path: Path) -> None:
    path = tmp_path / "crash.db"
    Store.open(path).close()
    rng = random.Random(2026)
    reported: set[str] = set()
    first = 0
    for round_ in range(ROUNDS):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child never returns
            os.close(read_end)
            log_until_killed(path, first, write_end)
        os.close(write_end)
        # Every other round waits for the first save, so that however busy the machine
        # some kills land among saves; the others may land mid-open.
        early = read_first_report(read_end) if round_ % 2 else b""
        time.sleep(rng.uniform(0.0, 0.15))  # from mid-open to a few saves in
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        lines = (early.decode() + read_all(read_end)).split()
        os.close(read_end)
        reported.update(f"n{n}" for n in lines)
        first += 1_000_000  # each child numbers its actions in its own range

    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {note for (note,) in con.execute("SELECT note FROM action")}
        missing = reported - stored
        assert not missing, f"{len(missing)} actions reported as saved are gone"
        actions = con.execute("SELECT count(*) FROM action").fetchone()[0]
        counted = con.execute("SELECT coalesce(sum(n), 0) FROM action_day_count").fetchone()[0]
        assert counted == actions, "the per-day counts disagree with the actions"
    finally:
        con.close()
    assert len(reported) >= ROUNDS // 2, "the children should have saved actions before dying"
