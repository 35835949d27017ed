"""``prospector db check`` and ``prospector db backup``: look after the database file.

``check`` opens the file read-only with ``sqlite3`` (it never creates, upgrades or
writes it) and reports the full ``integrity_check``, the ``foreign_key_check``, the
schema revision, the rows in the main tables, the journal mode and the SQLite library
in use (its version, and whether it is the one bundled with ``pysqlite3`` or Python's
own). ``--json`` prints the same as one object:

``file`` (str), ``ok`` (bool), ``integrity`` (the ``integrity_check`` lines: ``["ok"]``
when healthy), ``foreign_keys`` (violations, each ``{"table", "rowid", "parent"}``),
``schema`` (the file's revision, or null), ``schema_head`` (this Prospector's),
``tables`` ({name: rows}; null rows when a table cannot be read), ``journal_mode``,
``sqlite_version``, ``sqlite_library`` (``"pysqlite3"`` or ``"sqlite3"``) and
``sqlite_ok`` (false before 3.51.3).

A damaged file, or one that is not a Prospector database, ends in a ``DatabaseError``
(exit status 2) naming the file; with ``--json`` the report is printed first.

``backup`` takes a consistent snapshot with the SQLite backup API, verified before it
is kept, next to the database by default. It works while the app has the file open.
A file that fails SQLite's integrity check is refused: its copy would be no backup.

Neither creates a ``-wal`` or ``-shm`` beside a file nothing else has open
(``prospector.db.look``): checking a damaged or foreign file leaves its folder as it was.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from prospector import check_record
from prospector.db import (
    DAMAGE,
    SCHEMA_HEAD,
    _current_revision,
    backup_file,
    explain,
    look,
    refuse_damaged,
)
from prospector.errors import DatabaseError, InvalidInput
from prospector.sqlite import LIBRARY, connect, sqlite3
from prospector.terminal_text import json_text

DERIVED_TABLES = ("prospect_touches",)
"""Tables the triggers keep from the others; checked against a recount, not by hand."""
MAIN_TABLES = ("action", "prospect", "target", "win", "block", "review", "day_off", "setting")
SQLITE_FIXED = (3, 51, 3)
SQLITE_WARNING = (
    "SQLite versions before 3.51.3 carry a rare WAL-reset corruption bug that needs two "
    "processes writing at once; avoid logging from the app and the command line at the "
    "same moment, and keep backups (prospector db backup). Installing the pysqlite3 "
    "package (pip install pysqlite3), where a ready-built one exists, brings a current SQLite"
)


def add_parser(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """Add ``db`` with its actions ``check`` and ``backup`` to the subcommands ``sub``;
    ``parser_class`` builds the parser of its actions."""
    db = sub.add_parser("db", help="check the database file or back it up")
    dsub = db.add_subparsers(dest="db_command", parser_class=parser_class, metavar="ACTION")
    check = dsub.add_parser("check", help="verify the file read-only: integrity, schema, rows")
    check.add_argument("--json", action="store_true")
    backup = dsub.add_parser("backup", help="a verified copy, taken safely while in use")
    backup.add_argument(
        "file",
        nargs="?",
        type=Path,
        help="where to write it (default: next to the database, named with the UTC time)",
    )


def db(args: argparse.Namespace) -> int:
    """Run ``db check`` or ``db backup`` on ``args.db`` (or the default database)."""
    from prospector.cli import default_db_path

    path = Path(args.db or default_db_path()).expanduser()
    if args.db_command == "check":
        return _check(path, as_json=bool(getattr(args, "json", False)))
    if args.db_command == "backup":
        return _backup(path, args.file)
    raise InvalidInput("give an action: prospector db check, or prospector db backup [FILE]")


def sqlite_ok(version: str = sqlite3.sqlite_version) -> bool:
    """Whether the SQLite library ``version`` is past the WAL-reset bug."""
    try:
        parts = tuple(int(p) for p in version.split(".")[:3])
    except ValueError:
        return False
    return parts >= SQLITE_FIXED


def _open_existing(path: Path) -> None:
    """Refuse a missing file, a folder, a file that is not SQLite, and another
    program's database; never creates anything."""
    if not path.exists():
        raise DatabaseError(f"{path} does not exist; give the path of a database with --db")
    if path.is_file() and path.stat().st_size == 0:
        raise DatabaseError(f"{path} is empty: it is not a Prospector database yet")
    revision, has_tables = _current_revision(path)
    if revision is None:
        what = "an SQLite database of another program" if has_tables else "an empty database"
        raise DatabaseError(f"{path} is {what}, not a Prospector database")


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only look at the file that creates no ``-wal`` or ``-shm`` beside a file
    nothing else has open (``prospector.db.look``): checking a damaged file leaves its
    folder as it was."""
    try:
        return look(path)
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot open {path} read-only: {exc}") from None


def _wal_in_header(path: Path) -> bool:
    """Whether the file's header marks it as in WAL mode (bytes 18 and 19 are 2).

    Reading it with ``open()`` is safe here alone: closing a file handle drops every
    lock this process holds on the file, and ``db check`` holds none when it reads it
    (it never opens the store, and reads this before its own look is opened).
    """
    try:
        with path.open("rb") as fh:
            header = fh.read(20)
    except OSError:
        return False
    return header[18:20] == b"\x02\x02"


def inspect(path: Path) -> dict[str, Any]:
    """The check report of the Prospector database at ``path`` (read-only)."""
    _open_existing(path)
    revision, _ = _current_revision(path)
    in_wal = _wal_in_header(path)  # before the connection opens: see _wal_in_header
    state = check_record.file_state(path)
    con = _connect_read_only(path)
    try:
        try:
            integrity = [str(r[0]) for r in con.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as exc:
            if not (getattr(exc, "sqlite_errorname", "") or "").startswith(DAMAGE):
                # A disk error or a lock is no finding about the file: say what it is.
                raise DatabaseError(explain(exc, path) or f"cannot check {path}: {exc}") from None
            integrity = [str(exc)]
        try:
            foreign_keys = [
                {"table": r[0], "rowid": r[1], "parent": r[2]}
                for r in con.execute("PRAGMA foreign_key_check")
                if r[0] not in DERIVED_TABLES  # an orphan touch is told once, not twice
            ]
        except sqlite3.DatabaseError as exc:
            foreign_keys = []
            integrity = [*(i for i in integrity if i != "ok"), f"foreign_key_check: {exc}"]
        try:
            journal_mode = str(con.execute("PRAGMA journal_mode").fetchone()[0])
        except sqlite3.DatabaseError:
            journal_mode = "unknown"
        if in_wal:  # an immutable look reports the rollback journal
            journal_mode = "wal"
        tables: dict[str, int | None] = {}
        for name in MAIN_TABLES:
            try:
                tables[name] = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            except sqlite3.DatabaseError:
                tables[name] = None
        odd = _odd_values(con) if integrity == ["ok"] else []
        summaries = (
            _disagreeing_summaries(con) if integrity == ["ok"] and revision == SCHEMA_HEAD else []
        )
    finally:
        con.close()
    if integrity == ["ok"]:
        check_record.record_pass(path, state, whole=True)
        if not any(found.table == "action" for found in odd):
            check_record.record_history_clean(path, state)
    return {
        "file": str(path),
        "ok": integrity == ["ok"] and not foreign_keys and not summaries,
        "integrity": integrity,
        "foreign_keys": foreign_keys,
        "schema": revision,
        "schema_head": SCHEMA_HEAD,
        "tables": tables,
        "odd_values": [found.payload() for found in odd],
        "touch_summaries_disagreeing": summaries,
        "journal_mode": journal_mode,
        "sqlite_version": sqlite3.sqlite_version,
        "sqlite_library": LIBRARY,
        "sqlite_ok": sqlite_ok(),
    }


def _check(path: Path, *, as_json: bool) -> int:
    report = inspect(path)
    if as_json:
        print(json_text(report))
    else:
        print("\n".join(_report_lines(report)))
    if not report["ok"]:
        if report["integrity"] != ["ok"]:
            problem = "is damaged: it failed SQLite's integrity check"
        elif report["foreign_keys"]:
            problem = (
                f"has {_plural(len(report['foreign_keys']), 'broken reference')} between tables"
            )
        else:
            prospects = _plural(len(report["touch_summaries_disagreeing"]), "prospect")
            problem = f"keeps touch summaries for {prospects} that disagree with their touches"
        raise DatabaseError(
            f"{path} {problem}; stop writing to it and restore it from a backup: "
            f"'prospector db backup' copies sit next to it as {path.name}.backup-*.db"
            f"{_newest_backup_hint(path)}"
        )
    return 0


def _report_lines(report: dict[str, Any]) -> list[str]:
    integrity = report["integrity"]
    schema = report["schema"]
    if schema == SCHEMA_HEAD:
        schema_line = f"{schema} (current)"
    else:
        schema_line = f"{schema} (this Prospector uses {SCHEMA_HEAD})"
    lines = [
        f"Database: {report['file']}",
        "Integrity: ok"
        if integrity == ["ok"]
        else f"Integrity: FAILED ({_plural(len(integrity), 'problem')})",
        *(f"  {line}" for line in (integrity if integrity != ["ok"] else [])[:10]),
        "Foreign keys: ok"
        if not report["foreign_keys"]
        else f"Foreign keys: {_plural(len(report['foreign_keys']), 'broken reference')}",
        *_summary_lines(report.get("touch_summaries_disagreeing") or []),
        f"Schema: {schema_line}",
        f"Journal mode: {report['journal_mode']}",
        f"SQLite: {report['sqlite_version']} ({_library_words(report['sqlite_library'])})",
    ]
    if not report["sqlite_ok"]:
        lines.append(f"Warning: {SQLITE_WARNING}.")
    lines.append("Rows:")
    width = max(len(name) for name in report["tables"])
    for name, rows in report["tables"].items():
        lines.append(f"  {name:<{width}}  {'unreadable' if rows is None else rows}")
    odd = report.get("odd_values") or []
    if odd:
        lines.append(
            "Values no entry point accepts today (left out of the figures; fix or delete them):"
        )
        from prospector.store.audit import OddValues

        for found in odd:
            lines.append(f"  {OddValues(**{**found, 'examples': _pairs(found)}).describe()}")
    lines.append("OK" if report["ok"] else "NOT OK")
    return lines


def _summary_lines(disagreeing: list[int]) -> list[str]:
    if not disagreeing:
        return ["Touch summaries: ok"]
    verb = "disagrees with its touches" if len(disagreeing) == 1 else "disagree with their touches"
    shown = ", ".join(str(pid) for pid in disagreeing[:10])
    more = ", ..." if len(disagreeing) > 10 else ""
    return [f"Touch summaries: {_plural(len(disagreeing), 'prospect')} {verb} (ids {shown}{more})"]


def _disagreeing_summaries(con: sqlite3.Connection) -> list[int]:
    """Prospects whose trigger-kept ``prospect_touches`` row is not the recount of their
    actions (``prospector.touch_summary``)."""
    from prospector.shipped import shipped
    from prospector.touch_summary import disagreeing

    try:
        return disagreeing(con, shipped())
    except sqlite3.DatabaseError:
        return []


def _odd_values(con: sqlite3.Connection) -> list[Any]:
    """Dates, times, zones, weeks and settings out of rule (``prospector.store.audit``)."""
    from prospector import settings as settings_mod
    from prospector.shipped import shipped
    from prospector.store.audit import audit

    try:
        stored = {str(k): str(v) for k, v in con.execute("SELECT key, value FROM setting")}
    except sqlite3.DatabaseError:
        stored = {}
    return audit(con, settings_problems=settings_mod.unusable(shipped(), stored))


def _pairs(found: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple((e["row"], e["value"]) for e in found["examples"])


def _newest_backup_hint(path: Path) -> str:
    found = sorted(path.parent.glob(f"{path.name}.backup-*.db"))
    return f" (newest: {found[-1]})" if found else ""


def default_backup_path(path: Path, now: dt.datetime | None = None) -> Path:
    """``<name>.backup-YYYYMMDDTHHMMSSZ.db`` next to ``path``, stamped in UTC."""
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return path.with_name(f"{path.name}.backup-{stamp}.db")


def _backup(path: Path, dest: Path | None) -> int:
    _open_existing(path)
    refuse_damaged(path)  # a copy of a damaged file is no backup; cp copies it if needed
    target = Path(dest).expanduser() if dest is not None else default_backup_path(path)
    n = 2
    while dest is None and target.exists():  # two backups within one second
        target = default_backup_path(path).with_suffix(f".{n}.db")
        n += 1
    if target.exists():
        raise InvalidInput(f"{target} already exists; give another file name (nothing written)")
    if not target.parent.is_dir():
        raise InvalidInput(f"the folder {target.parent} does not exist; create it first")
    try:
        backup_file(path, target)
    except sqlite3.Error as exc:
        target.with_name(target.name + ".partial").unlink(missing_ok=True)
        raise DatabaseError(f"cannot back up {path} to {target}: {exc}") from None
    con = connect(target)  # our own new file: a plain connection tidies its -wal
    try:
        actions = con.execute('SELECT count(*) FROM "action"').fetchone()[0]
    finally:
        con.close()
    print(f"Backed up {_plural(actions, 'action')} to {target} (verified).")
    return 0


def _library_words(library: str) -> str:
    return "bundled with pysqlite3" if library == "pysqlite3" else "Python's own"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
