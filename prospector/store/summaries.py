"""How a stored prospect becomes its summary: the columns read, and the follow-up rules
applied with one cadence and calendar for every prospect of a read.

Apart from ``prospects`` because only the reads that list or show prospects need it
(and the follow-up rules and records it brings): ``log`` adds a prospect by name
without loading any of it.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple
from zoneinfo import ZoneInfo

from prospector.followup import Cadence, committed_pending, next_touch, state_of
from prospector.models import FIRST_INSTANT, LAST_INSTANT, read_utc_text
from prospector.records import ProspectSummary
from prospector.targets import WorkCalendar


class StoredProspect(NamedTuple):
    """The columns of a prospect row its summary is made from."""

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
    created_at: object
    """As stored (UTC text, or whatever a hand-edited file holds): only its local day is
    needed, and reading 80,000 of them into pendulum instants cost a second."""


PROSPECT_FIELDS = StoredProspect._fields


class FollowUpPlan:
    """What turns a stored prospect and its touch figures into its summary, with the
    cadence, calendar and day the store read once for all prospects."""

    def __init__(
        self,
        cadence: Cadence,
        calendar: WorkCalendar,
        today: dt.date,
        timezone: str,
        abandon_after_days: int,
    ) -> None:
        self.cadence = cadence
        self.calendar = calendar
        self.today = today
        self.timezone = timezone
        self.abandon_after_days = abandon_after_days
        self.zone = ZoneInfo(timezone)
        """The standard library's zone: it converts in C, pendulum's in Python (both
        give the same days; the tests hold them to it)."""

    def created_on(self, stored: object) -> dt.date:
        """The local day of a stored creation instant, read as ``models.UTCDateTime``
        reads it: an unreadable one as the first instant, any within the range."""
        parsed = read_utc_text(stored) if isinstance(stored, str) else None
        kept = FIRST_INSTANT if parsed is None else min(max(parsed, FIRST_INSTANT), LAST_INSTANT)
        local = kept.astimezone(self.zone)
        return dt.date(local.year, local.month, local.day)

    def summary(
        self,
        row: StoredProspect,
        touches: int,
        last: dt.date | None,
        planned_it: bool,
        won: bool,
    ) -> ProspectSummary:
        """``planned_it``: whether the latest touch is the one that set the stored next
        step (a step agreed for the same day is still to be made)."""
        won = won or row.stage == "won"
        # The creation day counts only for a prospect never touched (its first touch is
        # due from it, and it ages from it): reading it for 80,000 touched prospects was
        # a third of the list's time. Any day stands in for it otherwise.
        created_on = self.created_on(row.created_at) if last is None else last
        nxt = next_touch(
            touches=touches,
            last_touch_on=last,
            created_on=created_on,
            committed_on=row.next_touch_on,
            committed_pending=committed_pending(row.next_touch_on, last, planned_it),
            closed=row.stopped or won,
            cadence=self.cadence,
            calendar=self.calendar,
        )
        return ProspectSummary.of(
            row,
            touches,
            last,
            next_touch_on=nxt.on,
            next_kind=nxt.kind,
            next_reason=nxt.reason,
            won=won,
            state=state_of(
                won=won,
                stopped=row.stopped,
                next_on=nxt.on,
                last_touch_on=last,
                created_on=created_on,
                today=self.today,
                abandon_after_days=self.abandon_after_days,
            ),
        )
