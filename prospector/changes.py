"""Noticing what other processes write: the open app shows a touch logged from the CLI.

SQLite's ``PRAGMA data_version`` changes on a connection whenever another connection
has committed to the file since it was last asked. Asking costs microseconds (it reads
the write-ahead log's index in shared memory), so the app can ask every second on its
UI thread instead of re-reading its figures on a timer.

Only ``sqlite3`` is imported here.
"""

from __future__ import annotations

import threading
from pathlib import Path

from prospector.db import read_only_uri
from prospector.sqlite import sqlite3


class ChangeWatch:
    """Says whether the database file changed since it was last asked.

    It has a connection of its own, so every commit counts, the app's own included: the
    screen that wrote re-reads anyway, and a second look a second later costs little.
    """

    def __init__(self, path: Path) -> None:
        self._lock = threading.Lock()
        self._con: sqlite3.Connection | None = None
        self._seen = 0
        try:
            self._con = sqlite3.connect(
                read_only_uri(path), uri=True, isolation_level=None, check_same_thread=False
            )
            self._seen = self._version()
        except sqlite3.Error:
            self.close()  # a file that cannot be watched is one the store reports on

    def _version(self) -> int:
        with self._lock:
            if self._con is None:
                return self._seen
            return int(self._con.execute("PRAGMA data_version").fetchone()[0])

    def version(self) -> int | None:
        """A number that differs whenever anything was committed to the file since it
        was last taken (SQLite's ``data_version`` as this connection sees it); None when
        the file cannot be watched."""
        if self._con is None:
            return None
        try:
            return self._version()
        except sqlite3.Error:
            return None

    def changed(self) -> bool:
        """True once for every batch of commits made since the last call."""
        try:
            version = self._version()
        except sqlite3.Error:
            return False  # the store's own reads report a broken file where it matters
        if version == self._seen:
            return False
        self._seen = version
        return True

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None
