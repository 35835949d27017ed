"""Snapshots of every screen at a fixed size, on a fixed clock and a temp-file store.

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


async def figures_loaded(pilot: Pilot[Any]) -> None:
    """Wait until the screen's load worker has delivered its figures."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_today_on_an_empty_database(snap_compare: Any, store: Store) -> None:
    """A new rep: the getting-started guide above today's and this week's targets."""
    app = make_app(store, store.clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=figures_loaded)


def test_today_on_demo_data(snap_compare: Any, store: Store) -> None:
    """Six months of demo history (seed 7) seen on Monday 23 November 2026, 10:00."""
    generate_demo(store, seed=7)
    app = make_app(store, store.clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=figures_loaded)
