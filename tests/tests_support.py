"""Small helpers shared by tests (fixtures live in conftest.py)."""

from __future__ import annotations

import datetime as dt

import pendulum

TODAY = dt.date(2026, 11, 23)
ZONE = "Europe/Amsterdam"


def at_local(year: int, month: int, day: int, hour: int = 10) -> pendulum.DateTime:
    """An instant at ``hour`` o'clock on a local day in the tests' zone."""
    return pendulum.datetime(year, month, day, hour, tz=ZONE)
