"""Screen-switch benchmark: from a number key to that screen with its figures painted.

    python tests/bench/bench_switch.py [--size 250000|1000000] [--rounds 4] [--rebuild]

On the rep histories of ``rep_history.py`` (250,000 actions on 20,000 prospects, and
1,000,000 on 80,000; ``python tests/bench`` runs both), the app runs headless at 120x40
on a copy, at the history's clock, through Textual's ``Pilot``. After Today has settled
and the integrity check it starts in the background has ended, each round presses 2, 3,
4, 5, 6 and 1 in turn and times each press until the last frame composed before the
screen it opens has no worker still running: its figures are on screen. (The Pilot's own
waits for the process to go idle come after that frame and are not counted.) The first
round opens
each screen for the first time (it is built, then it loads); the later ones switch back
to a screen already built, which reloads only when something was written meanwhile
(nothing is, here). Bar: 100 ms for each screen, on the first visit and on the median of
the later ones (three by default: the second visit to a screen can meet a pass of
Python's cycle collector over what the first visits read, which the per-press lines
show). Always exits 0: read the result column.
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import benchlib
import rep_history
from benchlib import BenchDB, Row

SIZE = 250_000
DATABASES = rep_history.SIZES
RUNS = {"rounds": 4}
QUICK = {"rounds": 2}
BAR_MS = 100.0
KEYS = "234561"


START_CHECK = "app.check"
"""The worker of the integrity check the app starts after its first figures: part of
opening the app, not of a switch (on a million actions it takes seconds)."""


async def _settled(app: Any, pilot: Any, *, start_check: bool = False) -> None:
    """Until no worker of the app runs (the start-up check only if ``start_check``),
    then one more frame."""
    while True:
        await pilot.pause()
        if not any(
            worker.is_running and (start_check or worker.group != START_CHECK)
            for worker in app.workers
        ):
            await pilot.pause()
            return


async def _measure(path: Path, rounds: int) -> dict[str, list[float]]:
    from prospector.clock import FixedClock
    from prospector.store import Store
    from screens.app import CHECK_AFTER_SECONDS, make_app

    clock = FixedClock(rep_history.NOW)
    store = Store.open(path, clock=clock)
    app = make_app(store, clock)
    times: dict[str, list[float]] = {}
    frames: list[float] = []
    display = app._display

    def timed_display(screen: Any, renderable: Any) -> None:
        # Headless, a frame is composed in full and then not written: the moment it is
        # handed over is when a terminal would show it.
        display(screen, renderable)
        if renderable is not None:
            frames.append(time.perf_counter())

    app._display = timed_display  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await _settled(app, pilot)
        # Let the start-up check begin and end first: it would take a core from the
        # switches, and it is not what is timed.
        await asyncio.sleep(CHECK_AFTER_SECONDS + 0.5)
        await _settled(app, pilot, start_check=True)
        for _ in range(rounds):
            for key in KEYS:
                frames.clear()
                started = time.perf_counter()
                await pilot.press(key)
                await _settled(app, pilot)
                elapsed = ((frames[-1] if frames else time.perf_counter()) - started) * 1000
                name = f"{key} {type(app.screen).__name__.removesuffix('Screen')}"
                times.setdefault(name, []).append(elapsed)
                print(f"  {name:<12} {elapsed:8.0f} ms", flush=True)
    store.close()
    return times


def figures(db: BenchDB, *, rounds: int) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="prospector-bench-", dir=db.path.parent) as tmp:
        copy = Path(tmp) / "copy.db"
        shutil.copyfile(db.path, copy)
        times = asyncio.run(_measure(copy, max(2, rounds)))
    rows = []
    for name, each in times.items():
        first, again = each[0], statistics.median(each[1:])
        rows.append(
            Row(
                f"switch to {name}: first visit / again (median of {len(each) - 1})",
                db.size,
                f"{first:,.0f} / {again:,.0f} ms",
                f"≤ {BAR_MS:.0f} ms",
                max(first, again) <= BAR_MS,
            )
        )
    return rows


if __name__ == "__main__":
    sys.exit(benchlib.rep_script(__doc__, DATABASES, SIZE, figures, RUNS))
