"""Snapshots of the Wins screen (Forecast, then ``w``) at 80x24 and 120x40 on the fixed
clock: the demo's wins, one of them stored with a date out of range by an older version.

Regenerate with ``pytest tests/snapshots/test_wins_snapshots.py --snapshot-update`` and
look at the SVGs in ``__snapshots__/`` before committing them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from prospector.demo import generate_demo
from prospector.sqlite import sqlite3
from prospector.store import Store
from screens.app import make_app


async def open_wins(pilot: Pilot[Any]) -> None:
    """Let Today load, press 4 for the Forecast, then w for its wins."""
    for key in ("", "4", "w"):
        if key:
            await pilot.press(key)
        for _ in range(2):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_wins_on_demo_data(
    snap_compare: Any, store: Store, db_path: Path, size: tuple[int, int]
) -> None:
    generate_demo(store, seed=7)
    con = sqlite3.connect(db_path)
    con.execute(
        "UPDATE win SET local_date = '0026-12-01', at = '26-12-01T12:00:00.000000Z' "
        "WHERE id = (SELECT min(id) FROM win)"
    )
    con.commit()
    con.close()
    app = make_app(store, store.clock)
    assert snap_compare(app, terminal_size=size, run_before=open_wins)


def test_wins_when_there_are_none(snap_compare: Any, store: Store) -> None:
    store.log_actions("call")
    app = make_app(store, store.clock)
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_wins)
