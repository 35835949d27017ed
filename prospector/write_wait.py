"""Writes wait for an import's merge instead of failing after the busy timeout.

An import holds the write lock while it merges: on a large file that can outlast the
busy timeout that a write waits for another program. So the import leaves a note
beside the database while it merges (``<database>-import``: its process and the file),
and a write that found the file locked goes on waiting while that process lives. A
write that meets any other long lock still fails after the busy timeout, as before.

Stdlib only: this is on every write's path, a headless ``log`` included.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

SUFFIX = "-import"
LONGEST_WAIT_S = 30 * 60.0
"""Past this, a write stops waiting for an import and fails (a stopped process, say)."""

on_wait: Callable[[str], None] | None = None
"""Told, once per write, that it is waiting for an import, and which: the command line
says so on stderr."""


def note_path(database: Path) -> Path:
    return database.with_name(database.name + SUFFIX)


@contextlib.contextmanager
def importing_into(database: Path | None, source: Path) -> Iterator[None]:
    """Mark ``database`` as being merged into from ``source`` while the block runs."""
    if database is None:
        yield
        return
    note = note_path(database)
    note.write_text(
        json.dumps({"pid": os.getpid(), "file": str(source), "since": time.time()}),
        encoding="utf-8",
    )
    try:
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            note.unlink()


def running_import(database: Path) -> str | None:
    """The file a live process is importing into ``database``, or None."""
    try:
        found = json.loads(note_path(database).read_text(encoding="utf-8"))
        pid, source = int(found["pid"]), str(found["file"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if pid != os.getpid():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass  # alive, another user's
    return source


def is_busy(error: BaseException) -> bool:
    """Whether ``error`` (or what it was raised from) is SQLite's "database is locked"."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        name = getattr(current, "sqlite_errorname", "") or ""
        if name.startswith("SQLITE_BUSY"):
            return True
        original = getattr(current, "orig", None)
        if isinstance(original, BaseException) and original is not current:
            current = original
            continue
        current = current.__cause__ or current.__context__
    return False


def begin_waiting_for_import(begin: Callable[[], object], database: Path | None) -> None:
    """Run ``begin`` (which waits out the busy timeout); while it fails because the
    file is locked and an import is merging into it, tell ``on_wait`` once and retry."""
    told = False
    started = time.monotonic()
    while True:
        try:
            begin()
            return
        except Exception as error:
            source = running_import(database) if database is not None else None
            waited = time.monotonic() - started
            if source is None or not is_busy(error) or waited > LONGEST_WAIT_S:
                raise
            if not told and on_wait is not None:
                on_wait(
                    f"waiting for the import of {source} to finish; "
                    "this entry is saved right after it"
                )
                told = True
