"""The app and its database file: changes made elsewhere, and a damaged file.

A rep keeps the app open and logs a call from a script or a second terminal: Today's
counters (and a running block's) must follow within two seconds, without ``r``. A
dialog or a text field with the focus is never taken over: the reload waits until the
rep is done. A damaged file is said soon after start.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests_support import settle, shown
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Label

from prospector.store import Store
from screens.app import ProspectorApp, make_app
from screens.block import BlockScreen, CounterTable
from screens.quick_log import QuickLogModal
from screens.today import TodayScreen
from screens.widgets import TargetTable

SIZE = (120, 40)
ROOT = Path(__file__).resolve().parents[2]


def calls_on(app: ProspectorApp, table: type[Widget]) -> str:
    counters = app.screen.query_one("#today", table)
    if isinstance(counters, CounterTable):
        return counters.shown()["Call"]
    labels = list(counters.query(Label))
    kinds = [shown(w) for w in labels if w.has_class("kind")]
    counts = [shown(w) for w in labels if w.has_class("count")]
    return dict(zip(kinds, counts, strict=True))["Call"]


def log_elsewhere(db: Path, count: int) -> None:
    """``prospector log call --count N`` in a process of its own, as from a terminal."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    subprocess.run(
        [sys.executable, "-m", "prospector", "--db", str(db), "log", "call", "--count", str(count)],
        env=env,
        check=True,
        capture_output=True,
    )


async def wait_until(
    app: ProspectorApp, pilot: Pilot[Any], table: type[Widget], text: str, seconds: float
) -> float:
    """Seconds until the call counter reads ``text``; fails after ``seconds``."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        await pilot.pause()
        if calls_on(app, table).startswith(text):
            return time.monotonic() - start
        await asyncio.sleep(0.05)
    raise AssertionError(f"the counter still reads {calls_on(app, table)!r}, not {text!r}")


async def test_today_shows_a_call_logged_from_another_process(store: Store, db_path: Path) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert calls_on(app, TargetTable) == "0 / 20"
        log_elsewhere(db_path, 3)
        await wait_until(app, pilot, TargetTable, "3 / 20", seconds=2.0)


async def test_a_dialog_is_not_taken_over_and_today_follows_once_it_closes(
    store: Store, db_path: Path
) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, QuickLogModal)
        log_elsewhere(db_path, 2)
        await asyncio.sleep(1.5)
        await pilot.pause()
        assert isinstance(app.screen, QuickLogModal)  # still there, untouched
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        await wait_until(app, pilot, TargetTable, "2 / 20", seconds=2.0)


async def test_a_running_block_counts_calls_logged_elsewhere(store: Store, db_path: Path) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("b")
        await pilot.pause()
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, BlockScreen)
        assert calls_on(app, CounterTable).startswith("0")
        log_elsewhere(db_path, 4)
        await wait_until(app, pilot, CounterTable, "4", seconds=2.0)


async def test_a_damaged_file_is_said_soon_after_start(store: Store, db_path: Path) -> None:
    """The integrity check runs in the background once Today is up; a damaged page is said
    in a notification naming the file and what to do."""
    from prospector.demo import generate_demo

    generate_demo(store, seed=1, actions=2000)
    store.close()
    with db_path.open("r+b") as fh:  # no connection is open now
        fh.seek(4096 * 12)
        fh.write(b"\xde\xad\xbe\xef" * 1024)
    damaged = Store.open(db_path, clock=store.clock)
    app = make_app(damaged, damaged.clock)
    async with app.run_test(size=SIZE) as pilot:
        deadline = time.monotonic() + 6
        said: list[str] = []
        while time.monotonic() < deadline and not said:
            await asyncio.sleep(0.2)
            await pilot.pause()
            said = [n.message for n in app._notifications if "integrity check" in n.message]
        assert said, "no word of the damage"
        assert str(db_path) in said[0] and "prospector db check" in said[0]
    damaged.close()


def log_with_prospect(db: Path, name: str) -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "prospector", "--db", str(db), "log", "call"]
    subprocess.run([*command, "--prospect", name], env=env, check=True, capture_output=True)


async def test_typing_in_a_field_holds_the_reload_back(store: Store, db_path: Path) -> None:
    from textual.widgets import DataTable, Input

    from screens.prospects import ProspectsScreen

    store.add_prospect("Anna Early")
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        assert isinstance(app.screen, ProspectsScreen)
        table = app.screen.query_one("#prospects", DataTable)
        assert table.row_count == 1
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.focused, Input)
        log_with_prospect(db_path, "Zed Newcomer")
        await asyncio.sleep(1.5)
        await settle(app, pilot)
        assert table.row_count == 1, "reloaded under the rep's typing"
        await pilot.press("escape")  # back to the list
        deadline = time.monotonic() + 2.0
        while table.row_count == 1 and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
            await settle(app, pilot)
        assert table.row_count == 2
