"""Shared fixtures: a store on a temp file with a fixed clock, and a CLI runner."""

from __future__ import annotations

import atexit
import datetime as dt
import gc
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pendulum
import pytest
from hypothesis import settings

from prospector.cli import main
from prospector.clock import TEST_CLOCK_ENV, FixedClock
from prospector.store import Store

NOW = pendulum.datetime(2026, 11, 23, 10, 0, tz="Europe/Amsterdam")
"""Monday 23 November 2026, 10:00 in Amsterdam: the clock every test runs at."""
TODAY = dt.date(2026, 11, 23)

# Every store this process opens without a clock, and every process a test starts (a
# `prospector log` in a second terminal, a crash or signal test), inherits this and so
# runs on the tests' clock instead of the real date and zone.
os.environ[TEST_CLOCK_ENV] = NOW.in_timezone("UTC").isoformat()

# Which file states passed the damage check is kept in the user's cache folder: the
# tests' records go to a folder of their own, for this process and those it starts.
_CACHE = tempfile.mkdtemp(prefix="prospector-test-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

# The app's widgets and the ORM make many short-lived objects; collecting the youngest
# generation less often takes about a tenth off the UI tests' time.
gc.set_threshold(50_000, 20, 100)

# In CI every run draws the same examples, so a red build always means a change broke
# something; a run on a developer's machine keeps exploring new ones.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "prospector.db"


@pytest.fixture(scope="session")
def new_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh database at the current schema, in the tests' zone, made once per
    process: running every migration for each test cost more than some tests."""
    path = tmp_path_factory.mktemp("template") / "prospector.db"
    made = Store.open(path, clock=FixedClock(NOW))
    made.set_setting("timezone", "Europe/Amsterdam")
    made.close()
    assert not path.with_name(f"{path.name}-wal").exists(), "the template must be one file"
    return path


@pytest.fixture
def store(db_path: Path, new_database: Path) -> Store:
    shutil.copyfile(new_database, db_path)
    opened = Store.open(db_path, clock=FixedClock(NOW))
    yield opened
    opened.close()


@pytest.fixture
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Keep CLI runs away from the real user data folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PROSPECTOR_DB", raising=False)
    return tmp_path


@pytest.fixture
def cli(
    db_path: Path, store: Store, capsys: pytest.CaptureFixture[str], isolated_env: Path
) -> Callable[..., tuple[int, str, str]]:
    """Run ``prospector --db DB ARGS`` in-process at the fixed clock time."""

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(["--db", str(db_path), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run
