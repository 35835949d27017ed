"""Opening a database file: engine, connection pragmas, schema upgrades with a backup.

Every connection runs in WAL mode with ``synchronous=FULL`` so that a committed action
survives a crash or power loss, with foreign keys enforced, each page's cells checked
as they are read, and a busy timeout so two processes (the TUI and a CLI ``log``) wait
for each other instead of failing.

Every connection to a named file goes through ``prospector.sqlite.connect``: the name
is never parsed as a URL, so the file opened is the file named.

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
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from prospector import check_record
from prospector.errors import DatabaseError
from prospector.sqlite import connect, file_uri, sqlite3
from prospector.write_wait import begin_waiting_for_import

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlalchemy.pool import ConnectionPoolEntry

SCHEMA_HEAD = "0004"
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
    # Check each page's cells as it is read: a damaged page then fails the read it is
    # met in (and the rep is told) instead of feeding garbage to a figure.
    cur.execute("PRAGMA cell_size_check = ON")
    cur.close()


def _on_begin(conn: Connection) -> None:
    if not conn.get_execution_options().get(WRITE_OPTION, False):
        conn.exec_driver_sql("BEGIN")
        return
    name = conn.engine.url.database
    database = Path(name) if name and name != ":memory:" else None
    begin_waiting_for_import(lambda: conn.exec_driver_sql("BEGIN IMMEDIATE"), database)
    if database is not None:
        conn.info[STATE_BEFORE_WRITE] = check_record.file_state(database)


STATE_BEFORE_WRITE = "prospector_state_before_write"
"""Where a write transaction keeps the file's state as its lock was taken."""


DAMAGE = ("SQLITE_CORRUPT", "SQLITE_NOTADB")
"""SQLite's error names for a file whose pages do not hold what they should."""
NOT_TEXT = "Could not decode to UTF-8"
"""The driver's words for a stored text that is not valid UTF-8: a changed byte, often."""


def explain(error: sqlite3.Error, path: Path | str) -> str | None:
    """What an SQLite failure on ``path`` means for the rep and what to do about it;
    None for an error that is not about the file (a bug, a constraint).

    Each cause has its own words, because the advice differs and following the wrong
    one loses data: restoring a backup over a file that was only on a read-only disk
    throws away everything logged since. "Damaged" and "restore" are said only when
    SQLite's integrity check of the file confirms the damage.
    """
    name = getattr(error, "sqlite_errorname", "") or ""
    if name.startswith(DAMAGE) or NOT_TEXT in str(error):
        return damage_report(Path(path), error)
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_FULL", "SQLITE_IOERR")):
        return _file_problem(Path(path), name, error)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return (
            f"{path} stayed locked by another program for {BUSY_TIMEOUT_MS // 1000} s; "
            "nothing was saved. Close the other program or try again"
        )
    return None


def _file_problem(path: Path, name: str, error: sqlite3.Error) -> str:
    """Why a file cannot be opened or written: a read-only mount, folder or file, a
    file-size limit, a full disk, or an I/O error, told apart by looking at them."""
    folder = path.parent
    if _read_only_mount(folder):
        return (
            f"cannot save to {path}: the disk it is on is mounted read-only. Nothing was "
            "saved and the file is unharmed; remount the disk writable, or copy the file "
            "to a writable disk and open it there with --db"
        )
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN")):
        if not folder.is_dir():
            return f"cannot open {path}: the folder {folder} does not exist"
        if not os.access(folder, os.W_OK):
            return (
                f"cannot use {path}: its folder {folder} is read-only, and SQLite needs to "
                f"create {path.name}-wal and {path.name}-shm beside the file. Nothing was "
                "saved and the file is unharmed; make the folder writable (chmod u+w), or "
                "move the file to a folder you can write"
            )
        if path.exists() and not os.access(path, os.W_OK):
            return (
                f"cannot save to {path}: the file is read-only. Nothing was saved and the "
                "file is unharmed; make it writable (chmod u+w) or open another file with --db"
            )
        if name.startswith("SQLITE_CANTOPEN"):
            return f"cannot open {path} ({error}); check that it and its folder can be written"
        return (
            f"cannot save to {path}: SQLite opened it read-only ({name}). Nothing was saved "
            "and the file is unharmed; check that the file and its folder can be written"
        )
    limit = _file_size_limit()
    if limit is not None and any(
        size >= limit - 65_536 for size in _sizes(path, "", "-wal", "-journal")
    ):
        return (
            f"cannot save to {path}: the file reached the size limit set for this session "
            f"({limit:,} bytes; see 'ulimit -f'). Nothing was saved and the file is "
            "unharmed; raise the limit and try again"
        )
    free = _free_space(folder)
    if name.startswith("SQLITE_FULL") or (free is not None and free < 1_048_576):
        return (
            f"cannot save to {path}: the disk is full. Nothing was saved and the file is "
            "unharmed; free some space and try again"
        )
    return (
        f"cannot use {path}: the disk reported an error ({name}). Nothing was saved; "
        "check the disk, then run 'prospector db check'"
    )


def _read_only_mount(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # no such folder; no statvfs (Windows)
        return False


def _file_size_limit() -> int | None:
    """This process's limit on the size of a file it writes (``ulimit -f``), if any."""
    try:
        import resource
    except ImportError:  # Windows has no such limit
        return None
    soft, _hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    return None if soft == resource.RLIM_INFINITY else soft


def _sizes(path: Path, *ends: str) -> list[int]:
    """The sizes of ``path`` and the files beside it ending in ``ends`` that exist."""
    siblings = (path.with_name(path.name + end) for end in ends)
    return [f.stat().st_size for f in siblings if f.is_file()]


def _free_space(folder: Path) -> int | None:
    import shutil

    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def damage_report(path: Path, error: BaseException) -> str:
    """The message for ``error``, which suggests ``path`` is damaged: "damaged, restore
    your latest backup" when SQLite's integrity check confirms it, otherwise what
    happened and that the check did not confirm it."""
    if not path.exists():
        return f"cannot read {path} ({error})"
    problem = integrity_problem(path)
    if problem is None:
        return (
            f"reading {path} failed ({error}), but SQLite's integrity check of the file "
            "passes; nothing was changed. Try again, and run 'prospector db check' if it "
            "happens again"
        )
    if problem.startswith(CHECK_FAILED):
        return (
            f"reading {path} failed ({error}), and the file could not be checked "
            f"({problem.removeprefix(CHECK_FAILED)}); nothing was changed. Run "
            "'prospector db check' once the file can be read"
        )
    return damaged_message(path, problem)


def damaged_message(path: Path, problem: str) -> str:
    """The one message for a file SQLite's check found damaged."""
    lines = [line for line in problem.splitlines() if line and not line.startswith("***")]
    first = lines[0] if lines else problem
    others = len(lines) - 1
    more = f", and {others} more problem{'' if others == 1 else 's'}" if others else ""
    return (
        f"{path} is damaged (SQLite's integrity check found: {first}{more}). Stop using "
        "it: run 'prospector db check', and restore your latest backup"
    )


def make_engine(path: Path | str) -> Engine:
    """One engine per process for the file at ``path`` (or ``:memory:``).

    SQLAlchemy never sees the file name as a URL: its connections come from
    ``prospector.sqlite.connect``, so a name holding ``?``, ``%`` or ``#`` opens that very
    file. The URL only carries the absolute path for ``engine.url.database``.

    A failure of the file itself (read-only, disk full, I/O error, damage) is raised
    as a ``DatabaseError`` naming the file and what to do, wherever it happens, so the
    CLI and the app say the same thing.
    """
    import sqlalchemy as sa
    from sqlalchemy import event
    from sqlalchemy.engine import ExceptionContext
    from sqlalchemy.pool import QueuePool

    if str(path) == ":memory:":
        engine = sa.create_engine("sqlite://", module=sqlite3)
    else:
        target = Path(path).resolve()

        def open_file() -> sqlite3.Connection:
            return connect(target, check_same_thread=False)

        engine = sa.create_engine(
            sa.URL.create("sqlite", database=str(target)),
            module=sqlite3,  # the library prospector.sqlite chose
            creator=open_file,
            poolclass=QueuePool,  # what SQLAlchemy picks for a file; stated, as no URL names one
        )

        def on_checkin(_dbapi_conn: object, record: ConnectionPoolEntry) -> None:
            # A write transaction is over (committed or not): what it changed went
            # through SQLite, so a pass of the damage check carries over to the file.
            before = record.info.pop(STATE_BEFORE_WRITE, None)
            if before is not None:
                check_record.advance(target, before, check_record.file_state(target))

        event.listen(engine, "checkin", on_checkin)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)

    def on_error(context: ExceptionContext) -> BaseException | None:
        original = context.original_exception
        if isinstance(original, UnicodeDecodeError):  # a stored text no longer UTF-8
            return DatabaseError(damage_report(Path(path), original))
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
    return file_uri(path, mode="ro")


def look(path: Path) -> sqlite3.Connection:
    """A read-only connection that leaves nothing beside the file it looks at.

    A read-only connection to a database in WAL mode creates its ``-wal`` and ``-shm``
    files, and leaves them there: looking at a file Prospector then refuses (another
    program's database, a newer schema, a damaged file) would still change its folder.
    When none of them (nor a rollback ``-journal``) exists, no connection is writing
    and everything committed is in the file itself, so it is read as immutable: without
    locks or side files. When one exists, another connection may be writing, and the
    ordinary read-only open takes part in its locking.
    """
    real = path.resolve()
    in_use = any(real.with_name(real.name + end).exists() for end in ("-wal", "-shm", "-journal"))
    uri = file_uri(real, mode="ro") if in_use else file_uri(real, mode="ro", immutable="1")
    return sqlite3.connect(uri, uri=True)


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
        con = look(path)
    except sqlite3.Error as exc:
        raise DatabaseError(explain(exc, path) or f"cannot open {path}: {exc}") from None
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
        raise DatabaseError(explain(exc, path) or f"cannot read {path}: {exc}") from None
    finally:
        con.close()


CHECK_FAILED = "cannot check: "
"""How ``integrity_problem`` begins when the check itself could not run."""


HISTORY_TABLE = "action"
"""The one table that grows with every touch: checking it costs about 1.5 s on 250,000
actions, every other table together about a millisecond."""


def integrity_problem(path: Path, *, quick: bool = False, skip_history: bool = False) -> str | None:
    """SQLite's integrity check of the file: None when it passes, else what it found
    (or, beginning ``CHECK_FAILED``, why it could not run).

    The full check also compares every index with its table, which is where a changed
    byte most often shows without any read failing: a query that goes through the index
    then silently misses rows. It costs about 0.2 s on 25,000 actions, 2.3 s on
    250,000; the quick check (``quick=True``) skips that comparison and costs a sixth.
    A check that fails with SQLite's own damage error has found damage too.
    """
    pragma = "quick_check(5)" if quick else "integrity_check(5)"
    try:
        con = look(path)
        try:
            if skip_history:
                found = _check_tables_but_history(con)
            else:
                found = [str(row[0]) for row in con.execute(f"PRAGMA {pragma}")]
        finally:
            con.close()
    except sqlite3.Error as exc:
        if (getattr(exc, "sqlite_errorname", "") or "").startswith(DAMAGE):
            return str(exc)
        return f"{CHECK_FAILED}{exc}"
    return None if found == ["ok"] else "\n".join(found)


def damage_unless_passed(path: Path, *, whole: bool = True) -> str | None:
    """``integrity_problem`` of the file (every table but the actions unless ``whole``),
    unless the file as it is now already passed it (``check_record``); a pass is
    recorded."""
    state = check_record.file_state(path)
    if check_record.passed(path, state, whole=whole):
        return None
    problem = integrity_problem(path, skip_history=not whole)
    if problem is None:
        check_record.record_pass(path, state, whole=whole)
    return problem


def _check_tables_but_history(con: sqlite3.Connection) -> list[str]:
    """The full check of every table (and its indexes) but the actions: what status,
    forecast, log and the other quick commands read, at a cost that does not grow
    with the history."""
    names = [
        str(name)
        for (name,) in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    problems: list[str] = []
    for name in names:
        if name == HISTORY_TABLE:
            continue
        quoted = name.replace('"', '""')
        found = [str(row[0]) for row in con.execute(f'PRAGMA integrity_check("{quoted}")')]
        if found != ["ok"]:
            problems.extend(found)
    return problems or ["ok"]


def backup_file(path: Path, dest: Path) -> Path:
    """Copy the database consistently to ``dest`` and verify the copy before keeping it.

    The copy and the count it is checked against come from one read transaction, so a
    write landing meanwhile (the app logging) is in neither. The copy is written under
    a temporary name, synced, checked, and only then renamed into place (and the
    rename synced), so ``dest`` is either a good backup or absent.
    """
    partial = dest.with_name(dest.name + ".partial")
    try:
        src = connect(path, isolation_level=None)
        try:
            src.execute("BEGIN")
            src.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot
            out = connect(partial)
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


def known_revisions() -> list[str]:
    """Every schema revision this Prospector has a migration for, oldest first."""
    return sorted(f.name.split("_", 1)[0] for f in (MIGRATIONS / "versions").glob("*_*.py"))


def _unknown_revision(path: Path, revision: str) -> str:
    """Refusing a file whose schema revision is none of ours. Only a revision shaped like
    ours and past our newest is called newer: anything else may come from another
    program, or from a file edited by hand, and saying "newer" would send the rep to
    upgrade for nothing."""
    known = known_revisions()
    ours = ", ".join(known)
    if revision.isdigit() and len(revision) == len(SCHEMA_HEAD) and revision > known[-1]:
        return (
            f"{path} has schema revision {revision}, newer than this Prospector knows "
            f"({ours}); it was written by a newer Prospector: upgrade Prospector to open "
            "it. The file was not changed"
        )
    return (
        f"{path} has an unknown schema revision {revision!r}: it is not one of this "
        f"Prospector's revisions ({ours}), so Prospector will not touch it. The file was "
        "not changed; choose another file with --db"
    )


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
        if revision is not None and revision not in known_revisions():
            raise DatabaseError(_unknown_revision(path, revision))
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


def refuse_damaged(path: Path) -> None:
    """Raise the damaged-file ``DatabaseError`` when SQLite's integrity check finds
    damage in the existing database at ``path`` (whose revision the caller has read)."""
    problem = integrity_problem(path)
    if problem is not None and not problem.startswith(CHECK_FAILED):
        raise DatabaseError(damaged_message(path, problem))


def start_damage_check(path: Path, *, reads_history: bool = True) -> Callable[[], None]:
    """Start SQLite's integrity check of the existing database at ``path`` on a thread;
    the function returned waits for it and raises the damaged-file ``DatabaseError``
    when it found damage. A file Prospector refuses anyway (not SQLite, another
    program's, an unknown schema) is refused at once, in its own words.

    A changed byte inside a page often breaks no read: a query that goes through a
    damaged index silently misses rows, and ``status`` reported 0 actions where there
    were 765, with exit status 0. Only the full check (every index against its table)
    sees that, so each command runs it before it reads or writes. The whole file costs
    about 0.3 s on 25,000 actions, 2.5 s on 250,000, nearly all of it in the actions
    table; a command that does not read the history in bulk (``reads_history=False``:
    log, status, forecast, targets, settings, days off, wins) checks every other table,
    in about a millisecond at any size. SQLite lets go of the interpreter while it
    checks, so the command loads the ORM meanwhile. A check that cannot run is left to
    opening, which says what stops it.

    A file that already passed the check as it is now (``check_record``) is not
    checked again: on a rep's years that check took longer than the command.
    """
    if str(path) == ":memory:" or not path.is_file() or path.stat().st_size == 0:
        return lambda: None
    _current_revision(path)
    if check_record.passed(path, check_record.file_state(path), whole=reads_history):
        return lambda: None  # no thread to start
    found: list[str | None] = []
    thread = threading.Thread(
        target=lambda: found.append(damage_unless_passed(path, whole=reads_history)),
        name="prospector-integrity-check",
        daemon=True,
    )
    thread.start()

    def verdict() -> None:
        thread.join()
        problem = found[0] if found else f"{CHECK_FAILED}the check stopped"
        if problem is not None and not problem.startswith(CHECK_FAILED):
            raise DatabaseError(damaged_message(path, problem))

    return verdict
