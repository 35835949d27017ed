"""Snapshots of the Forecast screen at 120x40 on the fixed clock (Mon 23 Nov 2026).

Regenerate with ``pytest tests/snapshots --snapshot-update`` and look at the SVGs in
``__snapshots__/`` before committing them: a snapshot is only as good as that look.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from prospector.demo import generate_demo
from prospector.store import Store
from screens.app import make_app

SIZE = (120, 40)


async def open_forecast(pilot: Pilot[Any]) -> None:
    """Let Today load, press 4, and wait for the forecast worker."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("4")
    for _ in range(2):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def test_forecast_on_demo_data(snap_compare: Any, store: Store) -> None:
    """Six months of demo history (seed 7): wins, the slump and the vacation's dip."""
    generate_demo(store, seed=7)
    app = make_app(store, store.clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=open_forecast)


def test_forecast_on_an_empty_database(snap_compare: Any, store: Store) -> None:
    """No actions: a short explanation instead of charts of zeros."""
    app = make_app(store, store.clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=open_forecast)
