"""Which state of a database file last passed SQLite's integrity check, so that a
command can skip a check the file already passed as it is.

Every command checks the file for damage before it reads or writes: a changed byte in
an index page once made ``status`` report 0 actions with exit status 0. The check reads
every page it covers, so on a rep's years (80,000 prospects, a million actions) it
cost half a second for ``log`` and more than four for ``export``, each time, for a file
nothing had touched since the last check.

A file's state here is what ``stat`` says of it and of its write-ahead log: device,
inode, size, modification and change times. A byte changed by anything outside
SQLite changes them (the change time cannot even be set back), so a file whose state
is the one that passed is the file that passed. Prospector's own writes go through
SQLite, so a write that starts from a state that passed carries the pass over to the
state it leaves (``advance``); any other change means the next command checks again.
Damage that changes no time at all (a failing disk) is caught by the check every file
gets again at least once a day (``TRUSTED_FOR``), at the latest when the app opens it.
So is a change from outside that lands in the same tick of the file system's clock (a
few milliseconds) as Prospector's own last write, and leaves the size as it was: its
times then read the same.

The record also keeps whether the quick audit of odd stored values found none
(``clean``): a scan of every prospect that each command made, for the same file; and
whether every action holds a day and an instant in range (``history_clean``), which an
export otherwise checks row by row.

A record is a small file per database in the user's cache folder; losing it, or
failing to write it, only costs the next command a check.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from pathlib import Path

FileState = tuple[int, ...]

TRUSTED_FOR = 24 * 3600
"""Seconds a pass is trusted, however often Prospector's own writes carried it on."""


def now() -> float:
    """The wall clock the age of a pass is measured on (a test moves it)."""
    return time.time()


def file_state(path: Path) -> FileState | None:
    """The file and its write-ahead log as ``stat`` sees them; None if the file is gone.

    A log that is missing and one that is empty hold the same thing (nothing), and
    every connection's opening and closing creates or removes one, so both count as
    no log. The shared-memory index (``-shm``) holds no data and is left out."""
    try:
        db = os.stat(path)
    except OSError:
        return None
    state: list[int] = [db.st_dev, db.st_ino, db.st_size, db.st_mtime_ns, db.st_ctime_ns]
    try:
        wal = os.stat(f"{path}-wal")
    except OSError:
        wal = None
    if wal is not None and wal.st_size > 0:
        state += [wal.st_ino, wal.st_size, wal.st_mtime_ns, wal.st_ctime_ns]
    return tuple(state)


def _records() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("prospector", appauthor=False) / "checked"


def _record_file(path: Path) -> Path:
    key = hashlib.sha256(str(Path(path).resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    return _records() / key[:32]


def _read(path: Path) -> dict[str, object] | None:
    try:
        record = json.loads(_record_file(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("path") != str(Path(path).resolve()):
        return None
    return record


def _write(
    path: Path,
    state: FileState,
    whole: bool,
    checked_at: float,
    clean: bool,
    history_clean: bool = False,
) -> None:
    """Replace the record in one step, so that a reader never sees half of one."""
    target = _record_file(path)
    record = {"path": str(Path(path).resolve()), "state": list(state), "whole": whole}
    findings = {"clean": clean, "history_clean": history_clean}
    text = json.dumps({**record, "checked_at": checked_at, **findings})
    with contextlib.suppress(OSError):
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, scratch = tempfile.mkstemp(dir=target.parent, prefix=".record-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(scratch, target)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(scratch)


def _state_of(record: dict[str, object]) -> FileState | None:
    state = record.get("state")
    if not isinstance(state, list) or not all(isinstance(n, int) for n in state):
        return None
    return tuple(state)


def _trusted(path: Path, state: FileState | None) -> dict[str, object] | None:
    """The record of the file in ``state``, if it is less than a day old."""
    if state is None:
        return None
    record = _read(path)
    if record is None or _state_of(record) != state:
        return None
    checked_at = record.get("checked_at")
    if not isinstance(checked_at, (int, float)) or not 0 <= now() - checked_at < TRUSTED_FOR:
        return None
    return record


def passed(path: Path, state: FileState | None, *, whole: bool) -> bool:
    """Whether the file in ``state`` passed a check within the last day: of every
    table (``whole``), or of every table but the actions (a pass of the whole file
    covers that too)."""
    record = _trusted(path, state)
    return record is not None and (bool(record.get("whole")) or not whole)


def record_pass(path: Path, state: FileState | None, *, whole: bool) -> None:
    """Note that the file in ``state`` (taken before the check began) passed; only when
    it is still in that state, so a write landing during the check is checked next
    time. A pass of the whole file is not narrowed by a later pass of part of it."""
    if state is None or file_state(path) != state:
        return
    record = _read(path)
    if record is None or _state_of(record) != state:
        record = {}
    if record.get("whole") and not whole:
        return
    _write(
        path,
        state,
        whole,
        now(),
        clean=record.get("clean") is True,
        history_clean=record.get("history_clean") is True,
    )


def clean(path: Path, state: FileState | None) -> bool:
    """Whether the file in ``state`` passed the check and the quick audit of odd stored
    values (``prospector.store.audit``) found none in it."""
    record = _trusted(path, state)
    return record is not None and record.get("clean") is True


def record_clean(path: Path, state: FileState | None) -> None:
    """Note that the quick audit found no odd value in the file in ``state`` (taken
    before it began), which passed the check; only while it is still in that state."""
    _note(path, state, clean=True)


def history_clean(path: Path, state: FileState | None) -> bool:
    """Whether every action of the file in ``state`` holds a day and an instant in the
    supported range: seen when an export of the whole history, checking each row,
    left none out. An export of such a file need not check each row again."""
    record = _trusted(path, state)
    return record is not None and record.get("history_clean") is True


def record_history_clean(path: Path, state: FileState | None) -> None:
    """Note that no action of the file in ``state`` (taken before it was read) holds an
    odd day or instant; only while it is still in that state."""
    _note(path, state, history_clean=True)


def _note(path: Path, state: FileState | None, **found: bool) -> None:
    record = _trusted(path, state)
    if record is None or state is None or file_state(path) != state:
        return
    checked_at = record["checked_at"]
    assert isinstance(checked_at, (int, float))
    findings = {
        "clean": record.get("clean") is True,
        "history_clean": record.get("history_clean") is True,
        **found,
    }
    _write(path, state, bool(record.get("whole")), checked_at, **findings)


def advance(path: Path, before: FileState | None, after: FileState | None) -> None:
    """Carry a pass over a change Prospector made through SQLite: from ``before``
    (taken once the write lock was held) to ``after`` (taken once it was let go).
    Nothing is carried when the file was not in the state that passed."""
    if before is None or after is None or before == after:
        return
    record = _read(path)
    if record is None or _state_of(record) != before:
        return
    checked_at = record.get("checked_at")
    if not isinstance(checked_at, (int, float)):
        return
    # Every entry point refuses the values the audit looks for, so a file without
    # any stays without: the audit's findings are carried over too.
    _write(
        path,
        after,
        bool(record.get("whole")),
        checked_at,
        clean=record.get("clean") is True,
        history_clean=record.get("history_clean") is True,
    )
