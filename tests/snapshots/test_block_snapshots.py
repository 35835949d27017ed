"""Snapshot of the block screen at 120x40, on demo data and the fixed clock.

Regenerate with ``pytest tests/snapshots/test_block_snapshots.py --snapshot-update`` and
look at the SVG in ``__snapshots__/`` before committing it.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from prospector.demo import generate_demo
from prospector.store import Store
from screens.app import make_app
from screens.block import BlockScreen

SIZE = (120, 40)


def test_block_on_demo_data_after_two_touches(snap_compare: Any, store: Store) -> None:
    """A 60-minute block on six months of demo history (seed 7), Monday 23 November 2026
    10:00: the next follow-up picked, a no-answer call and an email that got a reply."""
    generate_demo(store, seed=7)
    app = make_app(store, store.clock)

    async def two_touches(pilot: Pilot[Any]) -> None:
        async def settle() -> None:
            for _ in range(3):
                await pilot.app.workers.wait_for_complete()
                await pilot.pause()

        await settle()
        await pilot.app.push_screen(BlockScreen(store, store.clock, 60))
        await settle()
        for key in ("c", "n", "p", "e", "s"):
            await pilot.press(key)
            await settle()

    assert snap_compare(app, terminal_size=SIZE, run_before=two_touches)
