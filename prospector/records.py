"""Read models the store hands out: plain frozen values, safe to pass to any thread.

Table rows (``prospector.models``) are what is stored; these are what a screen or a
command shows, with the figures the store derives (touch counts, last touches, block
totals) already worked out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from prospector.status import Progress

if TYPE_CHECKING:
    from prospector.models import Prospect
    from prospector.store.summaries import StoredProspect


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
    """When the prospect is next to be touched: a committed next step, else the cadence
    (``prospector.followup.next_touch``); None once closed or the cadence ran out."""
    note: str
    touch_count: int
    last_touch_on: dt.date | None
    planned_on: dt.date | None = None
    """The next step the rep committed to (or typed in), as stored; may lie in the past."""
    next_kind: str | None = None
    """The kind of touch the cadence suggests next (None for a committed step)."""
    next_reason: str = ""
    """Why ``next_touch_on`` is what it is: committed, cadence, cadence done, closed."""
    state: str = "active"
    """active, won, stopped or abandoned (``prospector.followup.state_of``)."""
    won: bool = False

    @classmethod
    def of(
        cls,
        row: Prospect | StoredProspect,
        touches: int = 0,
        last: dt.date | None = None,
        **derived: Any,
    ) -> ProspectSummary:
        """The read model of a stored prospect as it stands in the row (a new one has no
        touches yet); ``derived`` holds what the store's reads also work out (the next
        touch, the state, whether it was won)."""
        assert row.id is not None
        # Keyword arguments, not a merged dict: this runs for every prospect of a list.
        return cls(
            id=row.id,
            name=row.name,
            company=row.company,
            source=row.source,
            stage=row.stage,
            existing_customer=row.existing_customer,
            est_value=row.est_value,
            stopped=row.stopped,
            next_touch_on=derived.pop("next_touch_on", row.next_touch_on),
            note=row.note,
            touch_count=touches,
            last_touch_on=last,
            planned_on=row.next_touch_on,
            **derived,
        )

    @property
    def closed(self) -> bool:
        return self.stopped or self.won

    @property
    def given_up_early(self) -> bool:
        from prospector.followup import given_up_early

        return given_up_early(self.state, self.touch_count)

    def days_overdue(self, today: dt.date) -> int | None:
        """Days past the planned next touch (0 = due today); None when none is planned."""
        if self.next_touch_on is None:
            return None
        return (today - self.next_touch_on).days


@dataclass(frozen=True)
class LimboItem:
    """A prospect whose last conversation ended in neither a next step nor a stop."""

    prospect: ProspectSummary
    action_id: int
    """The conversation: resolving the limbo records what it actually ended in."""
    kind: str
    on: dt.date
    note: str

    def days(self, today: dt.date) -> int:
        return (today - self.on).days


@dataclass(frozen=True)
class SourceRow:
    """How prospects of one source convert."""

    source: str
    prospects: int
    meetings: int
    """Prospects with at least one meeting set."""
    won: int

    @property
    def conversion(self) -> float:
        return self.won / self.prospects if self.prospects else 0.0


@dataclass(frozen=True)
class HuntingSplit:
    """Actions and minutes on new customers (hunting) against existing ones (farming)."""

    start: dt.date
    end: dt.date
    new_actions: int
    existing_actions: int
    new_minutes: float
    existing_minutes: float
    week_new_actions: int
    """New-customer actions in the ISO week of ``end``, for the hunting target."""
    week_target: int

    @property
    def new_share(self) -> float:
        total = self.new_actions + self.existing_actions
        return self.new_actions / total if total else 0.0


@dataclass(frozen=True)
class Referrals:
    asks: int
    received: int
    prospects: int
    """Prospects whose source is a referral."""
    won: int


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
