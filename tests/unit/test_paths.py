"""Every way Prospector opens a database reaches exactly the file named, whatever its name.

A file name once went into an SQLAlchemy URL as it stood: ``main.db?x.db`` wrote into
``main.db``, ``pct%20x.db`` into ``pct x.db``, and ``data?mode=memory`` into ``data``.
Each test here opens a file with a hostile name in a folder of its own and lists the
folder afterwards: the named file (and SQLite's ``-wal``/``-shm`` beside it, or a backup
named after it) must be all there is.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prospector import db
from prospector.changes import ChangeWatch
from prospector.cli import main
from prospector.opening import DeferredStore, store_for_app
from prospector.sqlite import sqlite3
from prospector.store import Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "schemas"
NASTY = [
    "main.db?x.db",
    "pct%20x.db",
    "data?mode=memory",
    "file:lead.db",
    "file:",
    "hash#tag.db",
    "two  spaces .db",
    "colon:here.db",
    "ümlaut-日本.db",
    "%3F%23.db",
    "?mode=ro&immutable=1",
    "semi;colon&amp.db",
    ":memory:x",
    "trailing.",
]
"""Names that URL or URI parsing would change: a query, a fragment, percent escapes,
the ``file:`` prefix SQLite reads as a URI, spaces and letters outside ASCII."""


def folder_of(tmp_path: Path, name: str) -> tuple[Path, Path]:
    folder = tmp_path / "folder"
    folder.mkdir()
    return folder, folder / name


def only_the_file(folder: Path, name: str, *also: str) -> None:
    """The folder holds ``name``, maybe SQLite's files beside it, and files whose names
    begin with ``name`` followed by one of ``also`` (a backup): nothing else."""
    found = sorted(p.name for p in folder.iterdir())
    assert name in found, found
    allowed = {name, f"{name}-wal", f"{name}-shm"}
    strays = [
        f for f in found if f not in allowed and not f.startswith(tuple(name + a for a in also))
    ]
    assert not strays, f"files that were not named: {strays}"


def rows(path: Path) -> int:
    con = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return int(con.execute("SELECT count(*) FROM action").fetchone()[0])
    finally:
        con.close()


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PROSPECTOR_DB", raising=False)
    yield


@pytest.mark.parametrize("name", NASTY)
def test_every_command_writes_and_reads_the_file_named(
    name: str, tmp_path: Path, cli_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, path = folder_of(tmp_path, name)
    assert main(["--db", str(path), "log", "call"]) == 0
    assert main(["--db", str(path), "log", "email", "--count", "2"]) == 0
    only_the_file(folder, name)
    assert rows(path) == 3
    capsys.readouterr()
    assert main(["--db", str(path), "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["today"]["call"]["done"] == 1 and status["today"]["email"]["done"] == 2
    assert main(["--db", str(path), "db", "check"]) == 0
    assert main(["--db", str(path), "db", "backup"]) == 0
    only_the_file(folder, name, ".backup-")
    [backup] = folder.glob("*.backup-*.db")
    assert rows(backup) == 3


@pytest.mark.parametrize("name", NASTY)
def test_relative_names_open_the_file_in_the_working_folder(
    name: str, tmp_path: Path, cli_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--db file:lead.db`` given bare, as a rep types it."""
    folder, path = folder_of(tmp_path, name)
    monkeypatch.chdir(folder)
    assert main(["--db", name, "log", "call"]) == 0
    assert main(["--db", name, "db", "backup", f"{name}.copy"]) == 0
    only_the_file(folder, name, ".copy")
    assert rows(path) == 1 and rows(folder / f"{name}.copy") == 1


@pytest.mark.parametrize("name", NASTY)
def test_read_only_looks_and_the_deferred_store_reach_the_file_named(
    name: str, tmp_path: Path
) -> None:
    folder, path = folder_of(tmp_path, name)
    store = Store.open(path)
    store.set_setting("theme", "nord")
    store.log_action("call")
    assert store.path == path.resolve()
    watch = store.watch_changes()
    assert watch is not None and not watch.changed()
    store.log_action("call")
    assert watch.changed(), "the watch looks at another file"
    watch.close()
    store.close()
    assert db.is_current(path)
    assert db.read_setting(path, "theme") == "nord"
    assert db.integrity_problem(path) is None and db.integrity_problem(path, quick=True) is None
    deferred = store_for_app(path)
    assert isinstance(deferred, DeferredStore)
    assert deferred.saved_setting("theme") == "nord"
    assert deferred.wait().action_count() == 2
    deferred.wait().close()
    ChangeWatch(path).close()
    only_the_file(folder, name)


@pytest.mark.parametrize("name", NASTY)
def test_a_migration_upgrades_the_file_named_and_backs_it_up_beside_it(
    name: str, tmp_path: Path
) -> None:
    """A file at the first released schema, upgraded by Alembic on the engine's own
    connection: the same file, and its backup named after it."""
    folder, path = folder_of(tmp_path, name)
    shutil.copyfile(FIXTURES / "0001.sqlite", path)
    before = rows(path)
    db.open_database(path).dispose()
    only_the_file(folder, name, f".before-{db.SCHEMA_HEAD}-")
    [backup] = folder.glob(f"*.before-{db.SCHEMA_HEAD}-*.bak")
    assert rows(backup) == before == rows(path)
    con = sqlite3.connect(path.resolve().as_uri(), uri=True)
    try:
        revision = con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        con.close()
    assert revision == db.SCHEMA_HEAD != "0001"


NAME_LETTERS = st.characters(
    blacklist_categories=("Cs", "Cc"),  # no surrogates or control characters
    blacklist_characters="/\\",
)
NAMES = (
    st.text(NAME_LETTERS, min_size=1, max_size=24)
    .map(lambda s: s.strip())
    .filter(lambda s: s not in ("", ".", "..") and len(s.encode()) < 200)
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.one_of(NAMES, st.sampled_from(["?", "#", "%", "file:", "%25", "a?b#c%d"])).map(
        lambda s: s + "-x"
    )
)
def test_any_name_opens_the_file_named(name: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("any")
    path = folder / name
    store = Store.open(path)
    store.log_action("call")
    store.close()
    only_the_file(folder, name)
    assert rows(path) == 1
    assert db.is_current(path)
    dest = db.backup_file(path, folder / f"{name}.bak")
    assert rows(dest) == 1
    only_the_file(folder, name, ".bak")
