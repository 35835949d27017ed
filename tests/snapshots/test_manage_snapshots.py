"""Snapshots of the Prospects and Targets & settings screens on demo data.

Six months of demo history (seed 7) seen on Monday 23 November 2026, 10:00 in
Amsterdam, at 120x40. Regenerate with ``pytest tests/snapshots --snapshot-update`` and
look at the SVGs in ``__snapshots__/`` before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from prospector.demo import generate_demo
from prospector.store import Store
from screens.app import make_app
from screens.prospects import ProspectsScreen
from screens.settings import SettingsScreen

SIZE = (120, 40)


async def settled(pilot: Pilot[Any]) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def opening(screen: Callable[[Store], Any], *keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """Push the screen over Today, wait for its figures, then press ``keys``.

    Text cursors stop blinking first: a snapshot taken mid-blink would differ by run.
    """

    async def run_before(pilot: Pilot[Any]) -> None:
        await settled(pilot)
        store = pilot.app.store  # type: ignore[attr-defined]
        await pilot.app.push_screen(screen(store))
        await settled(pilot)
        for key in keys:
            await pilot.press(key)
            await settled(pilot)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    return run_before


def prospects(store: Store) -> ProspectsScreen:
    return ProspectsScreen(store, store.clock)


def settings(store: Store) -> SettingsScreen:
    return SettingsScreen(store, store.clock)


def test_prospects_on_demo_data(snap_compare: Any, store: Store) -> None:
    """The list with overdue and stopped prospects, and the first one's touches."""
    generate_demo(store, seed=7)
    app = make_app(store, store.clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=opening(prospects))


def test_editing_a_prospect(snap_compare: Any, store: Store) -> None:
    """The edit form over the list, for a prospect with a next touch due today."""
    generate_demo(store, seed=7)
    app = make_app(store, store.clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=opening(prospects, "down", "down", "e"))


def test_settings_targets_on_demo_data(snap_compare: Any, store: Store) -> None:
    """Targets in force today per kind, the form to change one, and the change history."""
    generate_demo(store, seed=7)
    app = make_app(store, store.clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=opening(settings))


def test_settings_days_off_on_demo_data(snap_compare: Any, store: Store) -> None:
    """The demo's vacation, sick days and holiday as runs, and the form to add more."""
    generate_demo(store, seed=7)
    app = make_app(store, store.clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=opening(settings, "d"))


def test_settings_money_on_demo_data(snap_compare: Any, store: Store) -> None:
    """Revenue target, currency, the funnel and the value of each kind of action (Escape
    leaves the first field, so no blinking cursor makes the snapshot flaky)."""
    generate_demo(store, seed=7)
    app = make_app(store, store.clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=opening(settings, "m", "escape"))


def test_settings_week_on_demo_data(snap_compare: Any, store: Store) -> None:
    """Working days as checkboxes, then time zone, streak rule and block length."""
    generate_demo(store, seed=7)
    app = make_app(store, store.clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=opening(settings, "w"))


def test_settings_followup_on_demo_data(snap_compare: Any, store: Store) -> None:
    """The cadence with the preview of its touches, then when an open prospect counts as
    abandoned and the weekly hunting target (Escape leaves the cadence field)."""
    generate_demo(store, seed=7)
    app = make_app(store, store.clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=opening(settings, "f", "escape"))
