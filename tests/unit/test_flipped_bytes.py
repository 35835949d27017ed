"""A changed byte never gives a wrong answer SQLite could have caught.

One byte of a data page of a real database (a few hundred actions) is flipped, at
seeded offsets, and every read command and ``log call`` runs on the copy. Each either
gives exactly the answer the intact file gives, or exits non-zero; when SQLite's
integrity check finds the damage, every command exits non-zero with the damaged-file
message. A changed value that no check of SQLite's can see (a letter in a note) may
still change an answer: that needs page checksums, which this build does not have.

A flipped byte in an index page once made ``status --json`` exit 0 with rolling_30
0 of 756 and streak 0 (true: 765 and 38): the index read went on without an error.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import NOW

from prospector.cli import main, reads_history
from prospector.clock import FixedClock
from prospector.db import CHECK_FAILED, integrity_problem
from prospector.store import Store

PAGE = 4096
COMMANDS = [
    ["status", "--json"],
    ["forecast", "--json"],
    ["followups", "--json"],
    ["limbo", "--json"],
    ["review", "--format", "json"],
    ["export"],
    ["prospect", "list"],
    ["log", "call"],
]
FLIPS = 12
"""Seeded offsets: enough to meet damage SQLite sees and damage it cannot."""


@pytest.fixture(scope="module")
def intact(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A database with six months of history, fully checkpointed into the file."""
    from prospector.demo import generate_demo

    path = tmp_path_factory.mktemp("intact") / "p.db"
    store = Store.open(path, clock=FixedClock(NOW))
    store.set_setting("timezone", "Europe/Amsterdam")
    generate_demo(store, seed=5, actions=400)
    store.close()
    assert not path.with_name("p.db-wal").exists()
    yield path


def run(db: Path, args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--db", str(db), *args])  # on the tests' clock (see conftest)
    out, err = capsys.readouterr()
    return code, out, err


def offsets(intact: Path) -> list[int]:
    """Seeded offsets in pages 2 and on (page 1 holds the header and the schema)."""
    pages = intact.stat().st_size // PAGE
    rng = random.Random(12)
    return [PAGE * rng.randrange(1, pages) + rng.randrange(PAGE) for _ in range(FLIPS)]


def flipped(intact: Path, folder: Path, offset: int) -> Path:
    copy = folder / f"flip-{offset}.db"
    shutil.copyfile(intact, copy)
    with copy.open("r+b") as fh:  # no connection to the copy is open
        fh.seek(offset)
        byte = fh.read(1)
        fh.seek(offset)
        fh.write(bytes([byte[0] ^ 0xFF]))
    return copy


def found(problem: str | None) -> bool:
    """Whether a check result names damage (not a check that could not run)."""
    return problem is not None and not problem.startswith(CHECK_FAILED)


def test_a_flipped_byte_never_gives_a_wrong_answer_sqlite_could_catch(
    intact: Path, tmp_path: Path, isolated_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = {}
    for args in COMMANDS:
        fresh = tmp_path / "fresh.db"
        shutil.copyfile(intact, fresh)
        expected[" ".join(args)] = run(fresh, args, capsys)
        assert expected[" ".join(args)][0] == 0, expected[" ".join(args)]
        fresh.unlink()
    seen_damage = 0
    for offset in offsets(intact):
        whole = found(integrity_problem(flipped(intact, tmp_path, offset)))
        rest = found(integrity_problem(flipped(intact, tmp_path, offset), skip_history=True))
        seen_damage += whole
        for args in COMMANDS:
            copy = flipped(intact, tmp_path, offset)
            code, out, err = run(copy, args, capsys)
            where = f"offset {offset} (page {offset // PAGE + 1}), {' '.join(args)}"
            assert "Traceback" not in err, where
            # A quick command checks every table but the actions, which it does not read
            # in bulk; a command that reads the history checks the whole file.
            detectable = whole if reads_history(*args[:2]) else rest
            if detectable:
                assert code == 2, f"{where}: exit {code} on a file SQLite finds damaged"
                assert f"{copy} is damaged" in err and "restore" in err, (where, err)
                beside = [p.name for p in tmp_path.iterdir() if p.name.endswith(("-wal", "-shm"))]
                assert not beside, f"{where}: a refused file got {beside}"
            elif whole and code == 0:  # damage among the actions it does not read
                assert (code, out) == expected[" ".join(args)][:2], where
            elif whole:
                assert f"{copy} is damaged" in err, (where, err)
            elif code != 0:  # e.g. a note that is no longer valid text: said, not "damaged"
                assert "damaged" not in err and str(copy) in err, (where, err)
            # Exit 0 on damage no check sees may differ: only page checksums could tell.
            for leftover in tmp_path.glob(f"{copy.name}*"):
                leftover.unlink()
    assert seen_damage >= 3, "the seed should meet damage SQLite can see"
