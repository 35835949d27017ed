"""Opening a database file: engine, connection pragmas, schema upgrades with a backup.

Every connection runs in WAL mode with ``synchronous=FULL`` so that a committed action
survives a crash or power loss, with foreign keys enforced and a busy timeout so two
processes (the TUI and a CLI ``log``) wait for each other instead of failing.

Writes begin with ``BEGIN IMMEDIATE`` (through ``writer``): the write lock is taken
before the first read of the transaction, so a second process waits for it. A deferred
transaction that reads first and writes later cannot wait: when another process wrote
in between, SQLite fails it with "database is locked" at once, whatever the timeout.
Reads stay deferred and never wait for a writer.

Alembic owns the schema from the first version. It is imported only when the file's
revision differs from ``SCHEMA_HEAD``, which keeps a headless ``prospector log`` quick.
SQLAlchemy itself is imported only to build an engine: checking a file (``is_current``)
needs nothing but ``sqlite3``, so the app can paint its first screen before the ORM
has loaded.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

from prospector.errors import DatabaseError
from prospector.sqlite import sqlite3

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

SCHEMA_HEAD = "0002"
"""The newest schema revision; a test keeps it equal to Alembic's head."""

BUSY_TIMEOUT_MS = 10_000
WRITE_OPTION = "prospector_write"
"""Execution option marking a connection whose transactions take the write lock first."""
MIGRATIONS = Path(__file__).with_name("migrations")


def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    # The driver's own implicit BEGIN is off, so that ``_on_begin`` decides how each
    # transaction starts (SQLAlchemy's documented recipe for SQLite).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = FULL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.close()


def _on_begin(conn: Connection) -> None:
    immediate = conn.get_execution_options().get(WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def explain(error: sqlite3.Error, path: Path | str) -> str | None:
    """What an SQLite failure on ``path`` means for the rep and what to do about it;
    None for an error that is not about the file (a bug, a constraint)."""
    name = getattr(error, "sqlite_errorname", "") or ""
    if name.startswith("SQLITE_READONLY"):
        return (
            f"cannot save to {path}: the file (or its folder) is read-only; make it "
            f"writable (chmod u+w) or open another file with --db. Nothing was saved"
        )
    if name.startswith("SQLITE_FULL"):
        return (
            f"cannot save to {path}: the disk is full. Free some space and try again; "
            "nothing was saved"
        )
    if name.startswith("SQLITE_IOERR"):
        return (
            f"cannot use {path}: the disk reported an error ({name}). Nothing was saved; "
            "check the disk, then run 'prospector db check'"
        )
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return (
            f"{path} is damaged ({error}). Stop using it: run 'prospector db check', and "
            "restore your latest backup"
        )
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return (
            f"{path} stayed locked by another program for {BUSY_TIMEOUT_MS // 1000} s; "
            "nothing was saved. Close the other program or try again"
        )
    if name.startswith("SQLITE_CANTOPEN"):
        return f"cannot open {path}: check that its folder exists and can be written"
    return None


def make_engine(path: Path | str) -> Engine:
    """One engine per process for the file at ``path`` (or ``:memory:``).

    A failure of the file itself (read-only, disk full, I/O error, damage) is raised
    as a ``DatabaseError`` naming the file and what to do, wherever it happens, so the
    CLI and the app say the same thing.
    """
    import sqlalchemy as sa
    from sqlalchemy import event
    from sqlalchemy.engine import ExceptionContext

    url = "sqlite://" if str(path) == ":memory:" else f"sqlite:///{path}"
    engine = sa.create_engine(url, module=sqlite3)  # the library prospector.sqlite chose
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)

    def on_error(context: ExceptionContext) -> BaseException | None:
        original = context.original_exception
        message = explain(original, path) if isinstance(original, sqlite3.Error) else None
        return DatabaseError(message) if message else None

    event.listen(engine, "handle_error", on_error)
    return engine


def writer(engine: Engine) -> Engine:
    """``engine`` for writing: each transaction takes the write lock as it begins
    (waiting up to the busy timeout for another process to finish)."""
    return engine.execution_options(**{WRITE_OPTION: True})


def read_only_uri(path: Path) -> str:
    """The URI opening ``path`` read-only (any ``?``, ``#`` or ``%`` in it escaped)."""
    return path.resolve().as_uri() + "?mode=ro"


def _current_revision(path: Path) -> tuple[str | None, bool]:
    """The file's Alembic revision, and whether it holds any tables at all; a folder, an
    unreadable file and a file that is not SQLite are refused with what to do.

    The file is only ever read through SQLite, never with ``open()``: closing any file
    handle on a database drops every POSIX lock this process holds on it, those of its
    open SQLite connections included, and another process may then reset the
    write-ahead log under them. That is the classic way to corrupt an SQLite file, and
    two processes logging at once did exactly that while the header was read with
    ``open()``.
    """
    if path.is_dir():
        raise DatabaseError(f"{path} is a directory; give the path of a database file")
    if not os.access(path, os.R_OK):
        raise DatabaseError(f"cannot read {path}: permission denied; check the file's permissions")
    try:
        con = sqlite3.connect(read_only_uri(path), uri=True)
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot open {path}: {exc}") from None
    try:
        tables = {
            row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if "alembic_version" not in tables:
            return None, bool(tables)
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        return (row[0] if row else None), True
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_NOTADB":
            raise DatabaseError(
                f"{path} is not a Prospector database (not an SQLite file); "
                "point --db or PROSPECTOR_DB at another file, or move this one away"
            ) from None
        raise DatabaseError(
            f"{path} is damaged or not a database ({exc}); restore it from a backup"
        ) from None
    finally:
        con.close()


def quick_check(path: Path) -> str | None:
    """SQLite's quick check of the file: None when it passes, else what it found.

    It reads every page (about 0.2 s on 250,000 actions, 0.8 s on a million), so the
    app runs it in the background after start-up; ``prospector db check`` runs the
    full check.
    """
    try:
        con = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            found = [str(row[0]) for row in con.execute("PRAGMA quick_check(5)")]
        finally:
            con.close()
    except sqlite3.Error as exc:
        return str(exc)
    return None if found == ["ok"] else "; ".join(found)


def backup_file(path: Path, dest: Path) -> Path:
    """Copy the database consistently to ``dest`` and verify the copy before keeping it.

    The copy and the count it is checked against come from one read transaction, so a
    write landing meanwhile (the app logging) is in neither. The copy is written under
    a temporary name, synced, checked, and only then renamed into place (and the
    rename synced), so ``dest`` is either a good backup or absent.
    """
    partial = dest.with_name(dest.name + ".partial")
    try:
        src = sqlite3.connect(path, isolation_level=None)
        try:
            src.execute("BEGIN")
            src.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot
            out = sqlite3.connect(partial)
            try:
                src.backup(out)
                check = out.execute("PRAGMA integrity_check").fetchone()[0]
                ok = check == "ok" and _row_counts(src) == _row_counts(out)
            finally:
                out.close()
        finally:
            src.close()
        if ok:
            os.replace(partial, dest)
            _sync_folder(dest.parent)
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        reason = getattr(exc, "strerror", None) or exc
        raise DatabaseError(
            f"cannot back up {path} to {dest.parent} ({reason}); nothing was changed"
        ) from None
    if not ok:
        partial.unlink(missing_ok=True)
        raise DatabaseError(f"backup of {path} did not verify; nothing was changed")
    return dest


def _sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` survive a power cut (POSIX; Windows has no need)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _row_counts(con: sqlite3.Connection) -> dict[str, int]:
    names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


UPGRADE_NOTES = "prospector_notes"
"""The ``config.attributes`` list a migration appends what the rep should know to (such
as the prospects it merged)."""


def upgrade(engine: Engine) -> list[str]:
    """Bring the schema to ``SCHEMA_HEAD`` with Alembic; what the migrations did that
    the rep should know, one sentence each (nothing for most upgrades)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    notes: list[str] = []
    config.attributes[UPGRADE_NOTES] = notes
    with writer(engine).connect() as conn:
        # Foreign keys are off while the schema changes (as SQLite's documented
        # procedure for altering tables asks): a migration that rebuilds a table others
        # point at must not fail, or cascade, on the drop. They are checked before the
        # commit instead. The pragma has no effect inside a transaction, so it is set
        # around it.
        raw = conn.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise DatabaseError(
                        f"the upgrade would leave {len(broken)} rows pointing at rows "
                        "that do not exist"
                    )
        finally:
            raw.execute("PRAGMA foreign_keys = ON")
    return notes


def is_current(path: Path | str) -> bool:
    """Whether ``path`` is an existing Prospector database at ``SCHEMA_HEAD``: one that
    opens without creating, upgrading or refusing anything. Only ``sqlite3`` is used;
    a file that is not one raises the same ``DatabaseError`` opening it would."""
    if str(path) == ":memory:":
        return False
    path = Path(path).expanduser()
    if not path.exists() or path.stat().st_size == 0:
        return False
    return _current_revision(path)[0] == SCHEMA_HEAD


def read_setting(path: Path | str, key: str) -> str | None:
    """One stored setting read with ``sqlite3`` alone (the app's theme, before the ORM
    has loaded); None when it is not set or cannot be read."""
    try:
        con = sqlite3.connect(read_only_uri(Path(path).expanduser()), uri=True)
    except sqlite3.Error:
        return None
    try:
        row = con.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
    except sqlite3.Error:
        return None
    finally:
        con.close()
    return row[0] if row else None


def open_database(path: Path | str, notes: list[str] | None = None) -> Engine:
    """An engine on ``path``, its schema current; older files are backed up first.

    A file that is not SQLite, a database of another program, or one written by a newer
    Prospector is refused with a message naming the file; it is never overwritten.
    When an existing file is upgraded, ``notes`` (if given) receives what the rep should
    be told: where the backup is, and what the migrations changed in their data.
    """
    if str(path) == ":memory:":
        engine = make_engine(path)
        upgrade(engine)
        return engine
    path = Path(path).expanduser()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(f"cannot create the folder {path.parent}: {exc.strerror}") from None
    existed = path.exists() and path.stat().st_size > 0
    revision: str | None = None
    if existed:
        revision, has_tables = _current_revision(path)
        if revision == SCHEMA_HEAD:
            return make_engine(path)
        if revision is None and has_tables:
            raise DatabaseError(
                f"{path} is an SQLite database of another program; "
                "Prospector will not touch it. Choose another file with --db"
            )
        if revision is not None and not any((MIGRATIONS / "versions").glob(f"{revision}_*.py")):
            raise DatabaseError(
                f"{path} was written by a newer version of Prospector (schema {revision}); "
                "upgrade Prospector to open it"
            )
    backup: Path | None = None
    if existed and revision is not None:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        backup = backup_file(path, path.with_name(f"{path.name}.before-{SCHEMA_HEAD}-{stamp}.bak"))
    engine = make_engine(path)
    try:
        done = upgrade(engine)
    except Exception as exc:  # noqa: BLE001 - any failure: the transaction is rolled back
        engine.dispose()
        reason = getattr(exc, "orig", None) or exc
        if backup is None:
            raise DatabaseError(f"cannot write {path}: {reason}") from None
        raise DatabaseError(
            f"upgrading {path} to schema {SCHEMA_HEAD} failed ({reason}); the file was "
            f"left as it was, and a copy of it is at {backup}"
        ) from None
    if notes is not None and backup is not None:
        notes.append(
            f"Upgraded {path} to schema {SCHEMA_HEAD}; a copy of the file as it was is at {backup}."
        )
        notes.extend(done)
    return engine
