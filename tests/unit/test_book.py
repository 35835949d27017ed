"""Every prospect's summary is read once for the screens that show it whole, and read
again whenever anything was committed to the file, by anyone, or the day turned."""

from __future__ import annotations

import threading
from contextlib import closing
from typing import Any

import pytest
from conftest import NOW

from prospector.sqlite import sqlite3
from prospector.store import Store


class MovableClock:
    def __init__(self, start: Any) -> None:
        self.instant = start

    def now(self) -> Any:
        return self.instant


@pytest.fixture
def reads(store: Store, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per read of the prospects from the file."""
    counted: list[int] = []
    real = store._summaries

    def counting(*args: Any, **kwargs: Any) -> Any:
        found = real(*args, **kwargs)
        counted.append(len(found))
        return found

    monkeypatch.setattr(store, "_summaries", counting)
    return counted


def test_the_book_is_read_again_after_any_commit_and_only_then(
    store: Store, reads: list[int]
) -> None:
    ada = store.add_prospect("Ada Lovelace")
    first = store.prospects()
    assert [p.name for p in store.prospects()] == [p.name for p in first] == ["Ada Lovelace"]
    assert reads == [1]
    store.log_actions("call", prospect_id=ada.id)  # the store's own write
    assert store.prospects()[0].touch_count == 1
    assert reads == [1, 1]
    with closing(sqlite3.connect(store.path)) as con, con:  # another process's write
        con.execute("UPDATE prospect SET name = 'Ada King' WHERE name = 'Ada Lovelace'")
    assert [p.name for p in store.prospects()] == ["Ada King"]
    assert reads == [1, 1, 1]
    store.prospects(search="ada")
    store.prospects(limit=5)
    assert len(reads) == 5, "a search or a page reads what it shows, from the file"


def test_the_book_is_read_again_when_the_day_turns(store: Store, reads: list[int]) -> None:
    store.add_prospect("Ada Lovelace")
    clock = MovableClock(NOW)
    store.clock = clock  # type: ignore[assignment]
    store.prospects()
    clock.instant = NOW.add(hours=1)
    store.prospects()
    assert len(reads) == 1
    clock.instant = NOW.add(days=40)  # the untouched prospect is abandoned by now
    assert store.prospects()[0].state == "abandoned"
    assert len(reads) == 2


def test_readers_at_once_share_one_read(store: Store, reads: list[int]) -> None:
    for n in range(30):
        store.add_prospect(f"Prospect {n}")
    found: list[int] = []
    threads = [
        threading.Thread(target=lambda: found.append(len(store.prospects()))) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert found == [30] * 4 and reads == [30]
