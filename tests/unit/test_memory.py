"""After a large read the app runs the collector's full pass at once and freezes what
is alive, once per list read: not again for the same rows handed to another screen."""

from __future__ import annotations

import gc

import pytest

from screens import memory


class Row:
    """A long-lived row, as a prospect's summary is."""


def test_a_large_read_is_collected_and_frozen_once(monkeypatch: pytest.MonkeyPatch) -> None:
    passes: list[int] = []
    real = gc.collect
    monkeypatch.setattr(gc, "collect", lambda *a: passes.append(1) or real(*a))
    monkeypatch.setattr(memory, "_last", None)
    try:
        small = [Row() for _ in range(memory.LARGE - 1)]
        memory.collect_after_read(small)
        assert passes == [], "a short list is left to the collector's own timing"
        rows = [Row() for _ in range(memory.LARGE)]
        memory.collect_after_read(rows)
        assert passes == [1] and gc.get_freeze_count() > 0
        memory.collect_after_read(list(rows))  # the same rows, handed to another screen
        assert passes == [1]
        memory.collect_after_read([Row() for _ in range(memory.LARGE)])
        assert passes == [1, 1]
    finally:
        gc.unfreeze()
