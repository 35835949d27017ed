"""Snapshots of the Follow-ups screen on demo data: the queue, and the depth view."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from prospector.demo import generate_demo
from prospector.store import Store
from screens.app import make_app

SIZE = (120, 40)


async def on_followups(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("5")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_followups_queue_on_demo_data(snap_compare: Any, store: Store) -> None:
    """Who is due and which conversations are in limbo, Monday 23 November 2026."""
    generate_demo(store, seed=7)
    app = make_app(store, store.clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=on_followups)


def test_followups_depth_on_demo_data(snap_compare: Any, store: Store) -> None:
    """Touches per prospect beside the reference, sources, referrals, hunting."""
    generate_demo(store, seed=7)
    app = make_app(store, store.clock)

    async def scrolled(pilot: Pilot[Any]) -> None:
        await on_followups(pilot)
        pilot.app.screen.query_one("#depth").scroll_visible(top=True, animate=False)
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=scrolled)
