"""Small helpers shared by tests (fixtures live in conftest.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pendulum
from textual.app import App
from textual.content import Content
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Static

from prospector.sqlite import sqlite3

TODAY = dt.date(2026, 11, 23)
ZONE = "Europe/Amsterdam"


def at_local(year: int, month: int, day: int, hour: int = 10) -> pendulum.DateTime:
    """An instant at ``hour`` o'clock on a local day in the tests' zone."""
    return pendulum.datetime(year, month, day, hour, tz=ZONE)


def shown(widget: Widget) -> str:
    """The plain text a Static or Label renders, markup and styles stripped."""
    assert isinstance(widget, Static)
    visual = widget.visual
    return visual.plain if isinstance(visual, Content) else str(visual)


async def settle(app: App[Any], pilot: Pilot[Any]) -> None:
    """Let the workers finish and their results reach the widgets. A result may start
    the next worker, as a block's start does, so this goes round again while a worker
    is left; a pause costs a repaint, so it stops as soon as none is."""
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if all(worker.is_finished for worker in app.workers):
            return


def checksum(db: Path) -> str:
    """Every row of every table, hashed: a refused import must leave it the same."""
    con = sqlite3.connect(db)
    try:
        digest = hashlib.sha256()
        tables = [
            name
            for (name,) in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        for table in tables:
            for row in con.execute(f"SELECT * FROM {table} ORDER BY 1"):
                digest.update(repr((table, row)).encode())
        return digest.hexdigest()
    finally:
        con.close()
