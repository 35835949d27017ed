"""Each prospect's touches summed up, worked out from the actions themselves.

``prospect_touches`` is kept by triggers (migration 0003) so that reads need not scan
the history. This is the second, independent way to the same rows: a plain pass over
the actions in Python, with the outcomes read from the shipped data. ``prospector db
check`` compares the two, and the tests compare them after every kind of write, so a
trigger that drifts from the rule cannot go unseen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from prospector.shipped import ShippedData
from prospector.sqlite import sqlite3

__all__ = ["TouchSummary", "disagreeing", "kept", "recount"]


@dataclass(frozen=True)
class TouchSummary:
    """One prospect's row of ``prospect_touches``, as stored (instants and days as text)."""

    touches: int
    last_on: str
    last_at: str
    planned_at: str | None
    conversation_id: int | None
    conversation_at: str | None
    settled_id: int | None
    settled_at: str | None
    meetings: int


ActionRow = tuple[int, int, str, str, str, str | None]
"""An action as the recount reads it: id, prospect id, instant, local day, outcome and
next step date, as stored."""


@dataclass
class _Tally:
    touches: int
    last_on: str
    last_at: str
    planned_at: str | None = None
    conversation: tuple[str, int] | None = None
    settled: tuple[str, int] | None = None
    meetings: int = 0

    def summary(self) -> TouchSummary:
        conversation, settled = self.conversation, self.settled
        return TouchSummary(
            touches=self.touches,
            last_on=self.last_on,
            last_at=self.last_at,
            planned_at=self.planned_at,
            conversation_id=None if conversation is None else conversation[1],
            conversation_at=None if conversation is None else conversation[0],
            settled_id=None if settled is None else settled[1],
            settled_at=None if settled is None else settled[0],
            meetings=self.meetings,
        )


def _later(held: tuple[str, int] | None, at: str, action_id: int) -> tuple[str, int]:
    """The later of the touch held and this one: by instant, then id."""
    return (at, action_id) if held is None or (at, action_id) > held else held


def recount(actions: Iterable[ActionRow], data: ShippedData) -> dict[int, TouchSummary]:
    """The summary of every prospect with a touch among ``actions``."""
    open_outcomes = {o.key for o in data.outcomes if o.resolution == "limbo"}
    settling = {o.key for o in data.outcomes if o.resolution in ("step", "stop")}
    tallies: dict[int, _Tally] = {}
    for action_id, pid, at, day, outcome, next_step_on in actions:
        tally = tallies.get(pid)
        if tally is None:
            tally = tallies[pid] = _Tally(0, day, at)
        tally.touches += 1
        tally.last_on = max(tally.last_on, day)
        tally.last_at = max(tally.last_at, at)
        if next_step_on is not None:
            tally.planned_at = at if tally.planned_at is None else max(tally.planned_at, at)
        if outcome in open_outcomes:
            tally.conversation = _later(tally.conversation, at, action_id)
        if outcome in settling:
            tally.settled = _later(tally.settled, at, action_id)
        tally.meetings += outcome == "meeting"
    return {pid: tally.summary() for pid, tally in tallies.items()}


def kept(con: sqlite3.Connection) -> dict[int, TouchSummary]:
    """The rows the triggers keep, by prospect id."""
    return {
        row[0]: TouchSummary(*row[1:])
        for row in con.execute(
            "SELECT prospect_id, touches, last_on, last_at, planned_at, conversation_id, "
            "conversation_at, settled_id, settled_at, meetings FROM prospect_touches"
        )
    }


def disagreeing(con: sqlite3.Connection, data: ShippedData) -> list[int]:
    """Ids of the prospects whose kept summary is not the recount of their actions."""
    actions = con.execute(
        "SELECT id, prospect_id, at, local_date, outcome, next_step_on FROM action "
        "WHERE prospect_id IS NOT NULL"
    )
    expected = recount(actions, data)
    stored = kept(con)
    return sorted(
        pid for pid in expected.keys() | stored.keys() if expected.get(pid) != stored.get(pid)
    )
