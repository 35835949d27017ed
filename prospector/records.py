"""Read models the store hands out: plain frozen values, safe to pass to any thread.

Table rows (``prospector.models``) are what is stored; these are what a screen or a
command shows, with the figures the store derives (touch counts, last touches, block
totals) already worked out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from prospector.status import Progress


@dataclass(frozen=True)
class ProspectSummary:
    id: int
    name: str
    company: str
    source: str
    stage: str
    existing_customer: bool
    est_value: float | None
    stopped: bool
    next_touch_on: dt.date | None
    note: str
    touch_count: int
    last_touch_on: dt.date | None

    def days_overdue(self, today: dt.date) -> int | None:
        """Days past the planned next touch (0 = due today); None when none is planned."""
        if self.next_touch_on is None:
            return None
        return (today - self.next_touch_on).days


@dataclass(frozen=True)
class BlockSummary:
    """What a prospecting block produced, for the summary shown when it ends."""

    id: int
    local_date: dt.date
    planned_minutes: int
    minutes: int
    """Minutes actually spent: until the end, or until now while it runs."""
    interruptions: int
    ended: bool
    by_kind: dict[str, int]
    by_outcome: dict[str, int]
    today: dict[str, Progress]
    """Today's done / target per kind when the summary was taken."""

    @property
    def actions(self) -> int:
        return sum(self.by_kind.values())


@dataclass(frozen=True)
class DayAttainment:
    """One working day's done against its target (the Today sparkline)."""

    day: dt.date
    done: int
    target: float
    day_off: str | None = None
