"""Follow-up discipline as pure functions: the cadence, the next touch, limbo and depth.

Most sales come at the 5th to 12th contact while most reps stop after three, so every
open prospect always has a next touch: the date of the next step the rep committed
to, or else the next step of the cadence counted in working days from the last touch.
These functions take plain values (counts, dates, a calendar) so that each rule can be
tested on its own, over weekends and days off, without a database.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from prospector.errors import InvalidInput
from prospector.targets import WorkCalendar

SALES_BY_CONTACT: tuple[tuple[str, int, int, float], ...] = (
    ("1st", 1, 1, 0.02),
    ("2nd", 2, 2, 0.03),
    ("3rd", 3, 3, 0.05),
    ("4th", 4, 4, 0.10),
    ("5th–12th", 5, 12, 0.80),
)
"""The reference (design brief): share of sales made at each contact, (label, from, to,
share)."""
REPS_BY_DEPTH: tuple[tuple[str, int, int | None, float], ...] = (
    ("1 touch", 1, 1, 0.48),
    ("2 touches", 2, 2, 0.25),
    ("3 touches", 3, 3, 0.12),
    ("4 or more", 4, None, 0.10),
)
"""The reference: share of reps by the touch they stop after (48% never follow up)."""
EARLY_TOUCHES = 3
"""A prospect left after this many touches or fewer, without a stop, was given up early."""
STATES = ("active", "won", "stopped", "abandoned")


@dataclass(frozen=True)
class CadenceStep:
    kind: str
    after: int
    """Working days after the previous touch (0 for the first touch: due at once)."""


@dataclass(frozen=True)
class Cadence:
    steps: tuple[CadenceStep, ...]

    def __len__(self) -> int:
        return len(self.steps)

    @property
    def working_days(self) -> int:
        return sum(step.after for step in self.steps)

    def text(self) -> str:
        """The form a rep types in settings: ``call, email+1, linkedin+2, ...``."""
        return ", ".join(
            step.kind if i == 0 else f"{step.kind}+{step.after}"
            for i, step in enumerate(self.steps)
        )


def parse_cadence(text: str, kinds: Sequence[str]) -> Cadence:
    """``call, email+1, linkedin+2``: the kind of each touch and, after the first, the
    working days since the touch before it. Errors name the step that is wrong."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts:
        raise InvalidInput("a cadence needs at least one touch, e.g. call, email+2, call+3")
    if len(parts) > 30:
        raise InvalidInput(f"a cadence has at most 30 touches, got {len(parts)}")
    steps = []
    for i, part in enumerate(parts, start=1):
        match = re.fullmatch(r"([a-z_][a-z0-9_]*)\s*(?:\+\s*([0-9]{1,2}))?", part.lower())
        if match is None:
            raise InvalidInput(
                f"touch {i} of the cadence, {part!r}, should be a kind and the working days "
                "after the touch before, e.g. email+2"
            )
        kind, after = match.group(1), match.group(2)
        if kind not in kinds:
            raise InvalidInput(
                f"touch {i} of the cadence: unknown kind {kind!r}; kinds are {', '.join(kinds)}"
            )
        if i == 1 and after not in (None, "0"):
            raise InvalidInput("the first touch of the cadence is due at once: give no +days")
        if i > 1 and (after is None or int(after) < 1):
            raise InvalidInput(
                f"touch {i} of the cadence, {part!r}, needs the working days after the touch "
                "before it, e.g. email+2"
            )
        steps.append(CadenceStep(kind, int(after or 0)))
    return Cadence(tuple(steps))


def add_working_days(calendar: WorkCalendar, start: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``start``: weekends off and days off are skipped."""
    day, left = start, n
    for _ in range(n * 7 + 366):  # a year of days off cannot loop forever
        if left == 0:
            return day
        day += dt.timedelta(days=1)
        if day.isoweekday() in calendar.working_days and day not in calendar.days_off:
            left -= 1
    return day


def first_working_day(calendar: WorkCalendar, day: dt.date) -> dt.date:
    """``day`` itself if it is worked, else the working day after it."""
    if day.isoweekday() in calendar.working_days and day not in calendar.days_off:
        return day
    return add_working_days(calendar, day, 1)


@dataclass(frozen=True)
class NextTouch:
    on: dt.date | None
    """None: nothing planned (closed, or the cadence has run out)."""
    kind: str | None
    """The kind the cadence suggests; None for a committed next step."""
    reason: str
    """``committed``, ``cadence``, ``closed`` or ``cadence done``."""


def next_touch(
    *,
    touches: int,
    last_touch_on: dt.date | None,
    created_on: dt.date,
    committed_on: dt.date | None,
    committed_pending: bool,
    closed: bool,
    cadence: Cadence,
    calendar: WorkCalendar,
) -> NextTouch:
    """When the prospect is next to be touched.

    A committed next step that has not been made yet wins: the rep agreed a date with
    the prospect, working day or not. Otherwise the cadence: touch ``touches + 1`` is
    due its step's working days after the last touch (a new prospect: on the first
    working day from the day it was added).
    """
    if closed:
        return NextTouch(None, None, "closed")
    if committed_on is not None and committed_pending:
        return NextTouch(committed_on, None, "committed")
    if touches >= len(cadence):
        return NextTouch(None, None, "cadence done")
    step = cadence.steps[touches]
    if last_touch_on is None:
        return NextTouch(first_working_day(calendar, created_on), step.kind, "cadence")
    return NextTouch(add_working_days(calendar, last_touch_on, step.after), step.kind, "cadence")


def committed_pending(
    committed_on: dt.date | None,
    last_touch_on: dt.date | None,
    last_touch_planned_it: bool,
) -> bool:
    """Whether a committed next step is still to be made: it lies after the last touch,
    or the last touch is the one that planned it (a step agreed for the same day)."""
    if committed_on is None:
        return False
    return last_touch_on is None or committed_on > last_touch_on or last_touch_planned_it


def state_of(
    *,
    won: bool,
    stopped: bool,
    next_on: dt.date | None,
    last_touch_on: dt.date | None,
    created_on: dt.date,
    today: dt.date,
    abandon_after_days: int,
) -> str:
    """``won``, ``stopped``, ``active`` or ``abandoned``: open, with its next touch (or,
    once the cadence ran out, its last touch) more than ``abandon_after_days`` ago."""
    if won:
        return "won"
    if stopped:
        return "stopped"
    since = next_on or last_touch_on or created_on
    return "abandoned" if (today - since).days > abandon_after_days else "active"


def sales_share_after(touches: int) -> float:
    """The share of sales the reference puts at contacts after the ``touches``-th: what
    goes with a prospect left after that many touches."""
    made = sum(
        share * max(0, min(touches, hi) - lo + 1) / (hi - lo + 1)
        for _, lo, hi, share in SALES_BY_CONTACT
    )
    return max(0.0, 1.0 - made)


def given_up_early(state: str, touches: int) -> bool:
    return state == "abandoned" and 1 <= touches <= EARLY_TOUCHES


DEPTH_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0", 0, 0),
    ("1", 1, 1),
    ("2", 2, 2),
    ("3", 3, 3),
    ("4", 4, 4),
    ("5–12", 5, 12),
    ("13+", 13, None),
)


def bucket_of(touches: int, buckets: Iterable[tuple[str, int, int | None]] = DEPTH_BUCKETS) -> str:
    for label, lo, hi in buckets:
        if touches >= lo and (hi is None or touches <= hi):
            return label
    raise ValueError(f"no bucket for {touches} touches")


@dataclass(frozen=True)
class Depth:
    """Touches per prospect, by state, beside the reference figures."""

    by_state: Mapping[str, Mapping[str, int]]
    """State -> depth bucket label -> prospects."""
    left_after: Mapping[str, float]
    """Of the prospects no longer followed (stopped or abandoned) with at least one
    touch: the share left after 1, 2, 3, and 4 or more touches (``REPS_BY_DEPTH`` labels)."""
    left_total: int
    early: int
    """Prospects given up early (abandoned after 1–3 touches)."""
    early_sales_share: float
    """The mean share of sales the reference puts after the touch they were left at."""
    early_value: float
    """Their estimated deal values, each times that share: value likely walked away from."""


def depth(rows: Iterable[tuple[str, int, float | None]]) -> Depth:
    """From (state, touches, estimated value) per prospect."""
    by_state: dict[str, dict[str, int]] = {
        s: {label: 0 for label, _, _ in DEPTH_BUCKETS} for s in STATES
    }
    left = {label: 0 for label, _, _, _ in REPS_BY_DEPTH}
    left_total = early = 0
    shares: list[float] = []
    value = 0.0
    for state, touches, est_value in rows:
        by_state[state][bucket_of(touches)] += 1
        if state in ("stopped", "abandoned") and touches >= 1:
            left_total += 1
            left[bucket_of(touches, [(lbl, lo, hi) for lbl, lo, hi, _ in REPS_BY_DEPTH])] += 1
        if given_up_early(state, touches):
            early += 1
            share = sales_share_after(touches)
            shares.append(share)
            value += share * (est_value or 0.0)
    return Depth(
        by_state=by_state,
        left_after={k: (v / left_total if left_total else 0.0) for k, v in left.items()},
        left_total=left_total,
        early=early,
        early_sales_share=sum(shares) / len(shares) if shares else 0.0,
        early_value=value,
    )
