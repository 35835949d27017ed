"""A touch saved while an import merges waits for it, and the app says so."""

from __future__ import annotations

import asyncio
import json
import os
import threading

import pytest
from tests_support import at_local

from prospector import db, write_wait
from prospector.clock import FixedClock
from prospector.sqlite import sqlite3
from prospector.store import Store
from screens.app import make_app


async def test_the_app_says_a_touch_waits_for_an_import(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert store.path is not None
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)
    # An import merging in this process: its note beside the file, the write lock held.
    note = {"pid": os.getpid(), "file": "/home/rep/crm [2026].csv"}
    write_wait.note_path(store.path).write_text(json.dumps(note), encoding="utf-8")
    merge = sqlite3.connect(store.path, isolation_level=None)
    merge.execute("BEGIN IMMEDIATE")
    rep = Store.open(store.path, clock=store.clock)
    app = make_app(store, FixedClock(at_local(2026, 11, 23, 10)))
    saved = threading.Event()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.run_worker(lambda: (rep.log_action("email"), saved.set()), thread=True)
        for _ in range(100):
            await asyncio.sleep(0.05)
            said = [n.message for n in app._notifications]
            if said:
                break
        assert said == [
            "Waiting for the import of /home/rep/crm [2026].csv to finish; "
            "this entry is saved right after it"
        ]
        assert not saved.is_set()
        merge.execute("COMMIT")  # the merge ends, then its note goes
        write_wait.note_path(store.path).unlink()
        assert await asyncio.to_thread(saved.wait, 10)
    merge.close()
    rep.close()
