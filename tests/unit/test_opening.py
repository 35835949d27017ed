"""The app's store opens behind its first frame, but only for a file that cannot surprise.

A new, older, foreign or damaged file is opened (or refused) before the terminal is
taken over, so its message lands on stderr; a current file opens on a thread.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from prospector.db import is_current, read_setting
from prospector.errors import DatabaseError
from prospector.opening import DeferredStore, store_for_app
from prospector.store import Store


def test_only_an_existing_file_at_the_current_schema_is_current(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    assert not is_current(path), "a file not yet created"
    path.touch()
    assert not is_current(path), "an empty file is a new database"
    Store.open(path).close()
    assert is_current(path)
    other = tmp_path / "notes.txt"
    other.write_text("shopping list\n")
    with pytest.raises(DatabaseError, match="not a Prospector database"):
        is_current(other)


def test_a_setting_is_read_without_the_store(store: Store, db_path: Path) -> None:
    store.set_setting("theme", "nord")
    assert read_setting(db_path, "theme") == "nord"
    assert read_setting(db_path, "currency") is None
    assert read_setting(db_path.with_name("missing.db"), "theme") is None


def test_a_current_file_is_handed_over_deferred_and_a_new_one_opened_now(
    tmp_path: Path,
) -> None:
    fresh = tmp_path / "fresh.db"
    opened = store_for_app(fresh)
    assert isinstance(opened, Store), "a new file is created before the app starts"
    opened.close()
    later = store_for_app(fresh)
    assert isinstance(later, DeferredStore)
    assert later.wait().action_count() == 0


def test_a_deferred_store_answers_like_the_store_once_open(store: Store, db_path: Path) -> None:
    store.log_actions("call", count=2)
    clock = store.clock
    deferred = DeferredStore(db_path, clock)
    assert deferred.clock is clock, "the clock is there before the store"
    assert deferred.saved_setting("timezone") == "Europe/Amsterdam"
    assert deferred.action_count() == 2, "any Store call waits for the open store"
    assert deferred.wait().clock is clock
    assert deferred.saved_setting("timezone") == "Europe/Amsterdam"


def test_a_file_that_fails_to_open_later_raises_for_whoever_waits(
    store: Store, db_path: Path
) -> None:
    deferred = DeferredStore(db_path)
    store.close()  # a live connection would still read its pages from the write-ahead log
    db_path.write_bytes(b"not a database any more" * 100)
    with pytest.raises(DatabaseError, match="not a Prospector database"):
        deferred.wait()
    with pytest.raises(DatabaseError):
        deferred.action_count()


def test_the_first_frame_needs_neither_the_orm_nor_pendulum() -> None:
    """What the app imports before its first paint; the rest loads on the store's thread."""
    code = (
        "import sys\n"
        "from prospector.opening import store_for_app\n"
        "from screens.app import make_app\n"
        "heavy = ('sqlalchemy', 'sqlmodel', 'pydantic', 'alembic', 'pendulum')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
