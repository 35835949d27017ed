"""Snapshot of the Review screen on demo data: the last complete week, 2026-W47."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from prospector.demo import generate_demo
from prospector.store import Store
from screens.app import make_app

SIZE = (120, 40)


async def on_review(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("6")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_review_of_last_week_on_demo_data(snap_compare: Any, store: Store) -> None:
    """The week against targets day by day, habit, step or stop, 30/90 effect, hours,
    customers and wins, on Monday 23 November 2026."""
    generate_demo(store, seed=7)
    app = make_app(store, store.clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=on_review)
