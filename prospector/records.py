"""Read models the store hands out: plain frozen values, safe to pass to any thread.

Table rows (``prospector.models``) are what is stored; these are what a screen or a
command shows, with the figures the store derives (touch counts, last touches, block
totals) already worked out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from prospector.status import Progress

if TYPE_CHECKING:
    from prospector.models import Prospect


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

    @classmethod
    def of(cls, row: Prospect, touches: int = 0, last: dt.date | None = None) -> ProspectSummary:
        """The read model of a stored prospect (a new one has no touches yet)."""
        assert row.id is not None
        return cls(
            id=row.id,
            name=row.name,
            company=row.company,
            source=row.source,
            stage=row.stage,
            existing_customer=row.existing_customer,
            est_value=row.est_value,
            stopped=row.stopped,
            next_touch_on=row.next_touch_on,
            note=row.note,
            touch_count=touches,
            last_touch_on=last,
        )

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
