"""The one SQLite library every part of Prospector uses.

Python's own ``sqlite3`` links whatever SQLite the system or the Python build carries,
often older than 3.51.3 (this repository's reference machine links 3.40.1). Those
versions have a rare bug that can damage a database in WAL mode when two processes
write at once, which is what the app and the command line do. Where a ready-built
``pysqlite3`` wheel exists (Linux x86-64, Apple silicon, Windows; see pyproject.toml)
it is installed and used instead: the same DB-API module, with a current SQLite inside.
Elsewhere Python's own module is the fallback, and ``prospector db check`` warns.

Every connection in the process must come from the same library: two copies of SQLite
in one process do not see each other's file locks, and a write can be lost without an
error. So nothing else imports ``sqlite3`` directly; a test keeps it that way.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlencode

if TYPE_CHECKING:
    import sqlite3
else:
    try:
        from pysqlite3 import dbapi2 as sqlite3
    except ImportError:  # no wheel for this platform: Python's own module
        import sqlite3

LIBRARY = "pysqlite3" if sqlite3.__name__.startswith("pysqlite3") else "sqlite3"
"""Which module provides SQLite here: the bundled ``pysqlite3`` or Python's ``sqlite3``."""


def file_uri(path: Path | str, **params: str) -> str:
    """The ``file:`` URI naming exactly the file at ``path``, with SQLite's URI
    ``params`` (``mode="ro"``, ``immutable="1"``).

    A file name is never handed to SQLite or SQLAlchemy as it stands: SQLite reads a name
    beginning ``file:`` as a URI (this build enables URIs everywhere), and SQLAlchemy
    parses ``?`` and ``%`` in a URL, so ``main.db?x.db`` would open ``main.db`` and
    ``pct%20x.db`` would open ``pct x.db``. The absolute path, every byte outside
    letters, digits, ``/`` and ``_.-~`` percent-quoted, reaches the file named whatever
    its name holds (``?``, ``#``, ``%``, ``:``, spaces, non-ASCII).
    """
    uri = Path(path).resolve().as_uri()
    return f"{uri}?{urlencode(params)}" if params else uri


def connect(
    path: Path | str,
    *,
    isolation_level: Literal["DEFERRED", "EXCLUSIVE", "IMMEDIATE"] | None = "DEFERRED",
    check_same_thread: bool = True,
) -> sqlite3.Connection:
    """A connection to exactly the file at ``path`` (see ``file_uri``), with
    ``sqlite3.connect``'s own options. Every connection to a named file is made here."""
    return sqlite3.connect(
        file_uri(path),
        uri=True,
        isolation_level=isolation_level,
        check_same_thread=check_same_thread,
    )


__all__ = ["LIBRARY", "connect", "file_uri", "sqlite3"]
