"""Each failure of the file says its own cause; "damaged" only when a check confirms it.

Telling a rep whose disk is merely full or read-only that the file is damaged and must
be restored from a backup would have them throw away everything logged since that
backup. So a read-only mount, a read-only folder or file, a file-size limit, a full
disk and an I/O error each have their own words, and "damaged" and "restore" appear only
after SQLite's integrity check of the file found damage. A file Prospector refuses is
looked at without creating a ``-wal`` or ``-shm`` beside it.

Root writes whatever the permissions say, so most causes are produced by handing
``explain`` the error SQLite raises for them and the surroundings that go with it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

from prospector import db
from prospector.cli import main
from prospector.db import explain, open_database
from prospector.errors import DatabaseError
from prospector.opening import store_for_app
from prospector.sqlite import sqlite3
from prospector.store import Store


def sqlite_error(name: str, message: str = "disk I/O error") -> sqlite3.Error:
    """The error SQLite raises, with the error name it carries."""
    error = sqlite3.OperationalError(message)
    error.sqlite_errorname = name  # type: ignore[attr-defined]
    return error


def honest(message: str | None) -> str:
    assert message is not None
    assert "damaged" not in message and "restore" not in message, message
    return message


@pytest.fixture
def saved(store: Store, db_path: Path) -> Path:
    store.log_actions("call", count=3)
    store.close()
    return db_path


def test_a_read_only_mount_is_named(saved: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.statvfs

    def statvfs(path: object) -> object:
        found = real(path)  # type: ignore[arg-type]
        return SimpleNamespace(f_flag=found.f_flag | os.ST_RDONLY)

    monkeypatch.setattr(os, "statvfs", statvfs)
    for name in ("SQLITE_READONLY", "SQLITE_IOERR_WRITE", "SQLITE_CANTOPEN"):
        message = honest(explain(sqlite_error(name), saved))
        assert str(saved) in message and "mounted read-only" in message


def test_a_read_only_folder_is_named(saved: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.access
    folder = saved.parent

    def access(path: object, mode: int) -> bool:
        if Path(str(path)) == folder and mode & os.W_OK:
            return False
        return real(path, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)
    for name in ("SQLITE_READONLY_CANTINIT", "SQLITE_CANTOPEN"):
        message = honest(explain(sqlite_error(name), saved))
        assert f"its folder {folder} is read-only" in message
        assert f"{saved.name}-wal" in message and "Nothing was saved" in message


def test_a_read_only_file_is_named(saved: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.access
    monkeypatch.setattr(
        os, "access", lambda p, m: False if Path(str(p)) == saved and m & os.W_OK else real(p, m)
    )
    message = honest(explain(sqlite_error("SQLITE_READONLY"), saved))
    assert "the file is read-only" in message and "chmod u+w" in message


def test_a_full_disk_is_named(saved: Path) -> None:
    message = honest(explain(sqlite_error("SQLITE_FULL", "database or disk is full"), saved))
    assert "the disk is full" in message and "free some space" in message


def test_no_free_space_behind_an_io_error_is_a_full_disk(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    monkeypatch.setattr(shutil, "disk_usage", lambda _p: SimpleNamespace(free=0))
    message = honest(explain(sqlite_error("SQLITE_IOERR_WRITE"), saved))
    assert "the disk is full" in message


@pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")
def test_a_file_size_limit_is_named(saved: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import resource

    limit = saved.stat().st_size + 1000
    monkeypatch.setattr(resource, "getrlimit", lambda which: (limit, resource.RLIM_INFINITY))
    message = honest(explain(sqlite_error("SQLITE_IOERR_WRITE"), saved))
    assert "size limit" in message and f"{limit:,} bytes" in message


def test_an_io_error_is_named(saved: Path) -> None:
    message = honest(explain(sqlite_error("SQLITE_IOERR_READ"), saved))
    assert "the disk reported an error (SQLITE_IOERR_READ)" in message
    assert "prospector db check" in message


def damage(path: Path, *, page: int | None = None) -> None:
    """Overwrite one whole page, its header included, so SQLite's check finds it
    whatever the page holds. No connection is open. By default the first page of the
    prospect table, which every command reads."""
    if page is None:
        con = sqlite3.connect(path)
        try:
            (page,) = con.execute(
                "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = 'prospect'"
            ).fetchone()
        finally:
            con.close()
    with path.open("r+b") as fh:
        fh.seek(4096 * (page - 1))
        fh.write(b"\xde\xad\xbe\xef" * 1024)


def test_a_damage_error_on_a_sound_file_does_not_say_damaged(saved: Path) -> None:
    error = sqlite_error("SQLITE_CORRUPT", "database disk image is malformed")
    message = honest(explain(error, saved))
    assert "integrity check of the file passes" in message


def test_a_damage_error_the_check_cannot_confirm_says_so(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def look(_path: Path) -> sqlite3.Connection:
        raise sqlite_error("SQLITE_IOERR_READ")

    monkeypatch.setattr(db, "look", look)
    error = sqlite_error("SQLITE_CORRUPT", "database disk image is malformed")
    message = honest(explain(error, saved))
    assert "could not be checked" in message and "disk I/O error" in message


def test_confirmed_damage_says_damaged_and_restore(store: Store, db_path: Path) -> None:
    from prospector.demo import generate_demo

    generate_demo(store, seed=1, actions=600)
    store.close()
    damage(db_path)
    error = sqlite_error("SQLITE_CORRUPT", "database disk image is malformed")
    message = explain(error, db_path)
    assert message is not None
    assert f"{db_path} is damaged" in message and "restore your latest backup" in message


def test_an_unknown_revision_is_unknown_not_newer(db_path: Path) -> None:
    open_database(db_path).dispose()
    con = sqlite3.connect(db_path)
    con.execute("UPDATE alembic_version SET version_num = 'ae1027a6acf'")
    con.commit()
    con.close()
    with pytest.raises(DatabaseError) as raised:
        open_database(db_path)
    message = str(raised.value)
    assert "unknown schema revision 'ae1027a6acf'" in message
    assert "newer" not in message
    assert ", ".join(db.known_revisions()) in message and db.SCHEMA_HEAD in message


def other_programs_wal_database(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("CREATE TABLE recipes (name TEXT)")
    con.execute("INSERT INTO recipes VALUES ('soup')")
    con.commit()
    con.close()


def with_revision(revision: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        open_database(path).dispose()
        con = sqlite3.connect(path)
        con.execute("UPDATE alembic_version SET version_num = ?", (revision,))
        con.commit()
        con.close()

    return make


def damaged_prospector_file(path: Path) -> None:
    from prospector.demo import generate_demo

    store = Store.open(path)
    generate_demo(store, seed=2, actions=600)
    store.close()
    damage(path)


REFUSED: dict[str, Callable[[Path], None]] = {
    "not sqlite": lambda path: path.write_text("my shopping list\n" * 300),
    "another program": other_programs_wal_database,
    "newer": with_revision("9999"),
    "unknown": with_revision("ae1027a6acf"),
    "damaged": damaged_prospector_file,
}


@pytest.mark.parametrize("kind", list(REFUSED))
def test_a_refused_file_gets_nothing_beside_it(
    kind: str, tmp_path: Path, isolated_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "refused"
    folder.mkdir()
    path = folder / "p.db"
    REFUSED[kind](path)
    before = path.read_bytes()
    assert sorted(p.name for p in folder.iterdir()) == ["p.db"]
    for command in (["status", "--json"], ["log", "call"]):
        assert main(["--db", str(path), *command]) == 2, (kind, command)
        err = capsys.readouterr().err
        assert str(path) in err and "Traceback" not in err
        assert ("damaged" in err) == (kind == "damaged"), err
        assert sorted(p.name for p in folder.iterdir()) == ["p.db"], (kind, command)
    for command in (["db", "check"], ["db", "check", "--json"], ["db", "backup"]):
        main(["--db", str(path), *command])
        beside = [p.name for p in folder.iterdir() if p.name.endswith(("-wal", "-shm"))]
        assert not beside, (kind, command)
    if kind != "damaged":  # the app opens a sound-looking current file behind its first frame
        with pytest.raises(DatabaseError):
            store_for_app(path)
        with pytest.raises(DatabaseError):
            open_database(path)
    assert not [p.name for p in folder.iterdir() if p.name.endswith(("-wal", "-shm"))]
    assert path.read_bytes() == before


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes into read-only folders"
)
def test_the_cli_in_a_read_only_folder(saved: Path, isolated_env: Path) -> None:
    folder = saved.parent
    folder.chmod(0o555)
    try:
        code = main(["--db", str(saved), "log", "call"])
    finally:
        folder.chmod(0o755)
    assert code == 2


def test_a_damage_error_reaching_the_cli_is_checked_first(
    store: Store, db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Raised by the driver, or wrapped by SQLAlchemy, past the engine's own handler: the
    CLI checks the file before it says "damaged", and exits 2 either way."""
    import sqlalchemy.exc

    from prospector import commands
    from prospector.demo import generate_demo

    generate_demo(store, seed=1, actions=600)
    store.close()
    corrupt = sqlite_error("SQLITE_CORRUPT", "database disk image is malformed")
    wrapped = sqlalchemy.exc.DatabaseError("SELECT 1", None, corrupt)  # type: ignore[arg-type]
    for raised in (corrupt, wrapped):

        def status(_store: object, _args: object, raised: Exception = raised) -> int:
            raise raised

        monkeypatch.setattr(commands, "status", status)
        assert main(["--db", str(db_path), "status"]) == 2
        err = capsys.readouterr().err
        assert "integrity check of the file passes" in err and "damaged" not in err
    damage(db_path)
    assert main(["--db", str(db_path), "status"]) == 2
    assert f"{db_path} is damaged" in capsys.readouterr().err
