"""The scratch file an import checks a whole file into before it takes the write lock.

An import reads, parses and checks every row first, against a read snapshot of the
database, and keeps here the rows it will add and every uid it has seen (so a uid that
repeats is caught without holding a million uids in memory). Only then does it take the
write lock and merge what is kept here, so a rep logging a touch meanwhile waits for
the merge, not for the reading of the file.

The file is SQLite with no journal: it is scratch, deleted when the import ends, and
a crash leaves at most a hidden file beside the database, never a change to it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import operator
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from prospector.errors import InvalidInput
from prospector.sqlite import connect, sqlite3

if TYPE_CHECKING:
    from prospector.importing import ActionRow

PREFIX = ".prospector-import-"
READ_BATCH = 2000


class Staging:
    """Rows checked and kept for the merge, and the uids seen so far with their line."""

    def __init__(self, path: Path) -> None:
        from prospector.importing import ActionRow

        self.path = path
        self.columns = tuple(field.name for field in dataclasses.fields(ActionRow))
        """A kept row's columns: ``ActionRow``'s fields, its line first (the key)."""
        assert self.columns[0] == "line"
        self.values_of = operator.attrgetter(*self.columns)
        self.row_type = ActionRow
        with self.guard():
            self._open()
        self.kept = 0

    @contextlib.contextmanager
    def guard(self) -> Iterator[None]:
        """A failure of the scratch file (a full disk, most likely) said as such: the
        database itself is untouched, and nothing was imported."""
        try:
            yield
        except sqlite3.Error as error:
            raise InvalidInput(
                f"could not keep the checked rows in the scratch file {self.path} ({error}); "
                "nothing was imported. Free some disk space there and import again"
            ) from None

    def _open(self) -> None:
        self.conn = connect(self.path)
        self.conn.isolation_level = None
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "temp_store = FILE"):
            self.conn.execute(f"PRAGMA {pragma}")
        self.conn.execute("CREATE TABLE seen (uid TEXT PRIMARY KEY, line INTEGER) WITHOUT ROWID")
        columns = ", ".join(self.columns[1:])
        self.conn.execute(f"CREATE TABLE kept (line INTEGER PRIMARY KEY, {columns})")
        self.conn.execute("BEGIN")

    def first_lines(self, uids: Sequence[str]) -> dict[str, int]:
        """The line each of ``uids`` was first seen on, for those seen before."""
        marks = ",".join("?" * len(uids))
        with self.guard():
            found = self.conn.execute(
                f"SELECT uid, line FROM seen WHERE uid IN ({marks})", tuple(uids)
            )
            return dict(found)

    def see(self, lines: dict[str, int]) -> None:
        with self.guard():
            self.conn.executemany("INSERT INTO seen (uid, line) VALUES (?, ?)", lines.items())

    def keep(self, rows: Sequence[ActionRow]) -> None:
        marks = ",".join("?" * len(self.columns))
        with self.guard():
            self.conn.executemany(
                f"INSERT INTO kept ({', '.join(self.columns)}) VALUES ({marks})",
                map(self.values_of, rows),
            )
        self.kept += len(rows)

    def rows(self) -> Iterator[ActionRow]:
        """The kept rows in the file's order."""
        with self.guard():
            listed = ", ".join(self.columns)
            cursor = self.conn.execute(f"SELECT {listed} FROM kept ORDER BY line")
            while batch := cursor.fetchmany(READ_BATCH):
                for values in batch:
                    yield self.row_type(*values)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


@contextlib.contextmanager
def staging_beside(database: Path | None) -> Iterator[Staging]:
    """A fresh staging file in the database's folder (same disk, so an import that fits
    the database fits its staging), or the temp folder for an in-memory database."""
    folder = database.parent if database is not None else None
    try:
        fd, name = tempfile.mkstemp(prefix=PREFIX, suffix=".db", dir=folder)
    except OSError:
        try:  # a folder the database is only read from (a dry run): the temp folder
            fd, name = tempfile.mkstemp(prefix=PREFIX, suffix=".db")
        except OSError as error:
            raise InvalidInput(
                f"could not make a scratch file to check the import in ({error}); "
                "nothing was imported. Free some disk space and import again"
            ) from None
    os.close(fd)
    staging = Staging(Path(name))
    try:
        yield staging
    finally:
        staging.close()
