"""Processes logging the same new names at once add each prospect once.

The look-up of a name and the creation of its prospect happen inside the write
transaction of its touch (``BEGIN IMMEDIATE``): a second process waits for the
first's write lock, then finds the prospect the first added. Looked up outside it,
three processes logging the same 30 new names once left 33 prospects. Here each
process spells the names its own way (as typed, in capitals, decomposed accents), so
the name key is exercised under contention too.
"""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from prospector.sqlite import sqlite3
from prospector.store import Store

NAMES = 30
WRITER = """
import sys
import unicodedata
from prospector.store import Store

db, me, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
spell = (str, str.upper, lambda name: unicodedata.normalize("NFD", name.lower()))[me]
store = Store.open(db)
for i in range(count):
    store.log_for(spell(f"Café Nieuw {i} B.V."), "call", note=f"{me}-{i}")
store.close()
"""
"""A process logging the names one after the other through the store, as the ``log``
command does (``Store.log_for``), without the command's start-up cost per name."""


def spawn(*args: str) -> subprocess.Popen[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(Path(__file__).resolve().parents[2]), env.get("PYTHONPATH")])
    )
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_three_processes_logging_the_same_new_names_add_each_prospect_once(
    db_path: Path,
) -> None:
    Store.open(db_path).close()
    writers = [spawn(str(db_path), str(me), str(NAMES)) for me in range(3)]
    errors = [proc.communicate(timeout=120)[1] for proc in writers]
    assert [proc.returncode for proc in writers] == [0, 0, 0], errors
    assert not any("locked" in text for text in errors), errors
    with closing(sqlite3.connect(db_path)) as con:
        names = [row[0] for row in con.execute("SELECT name FROM prospect ORDER BY id")]
        assert len(names) == NAMES, names
        touches = dict(
            con.execute(
                "SELECT p.name, count(*) FROM action AS a JOIN prospect AS p "
                "ON p.id = a.prospect_id GROUP BY p.id"
            )
        )
        assert sorted(touches.values()) == [3] * NAMES
        notes = {row[0] for row in con.execute("SELECT note FROM action")}
        assert notes == {f"{me}-{i}" for me in range(3) for i in range(NAMES)}
