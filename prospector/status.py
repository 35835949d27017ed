"""Today's and this week's counts against target, streak, buffer and discipline score.

Pure functions over per-day counts, so every rule in the design brief can be checked
against small hand-computed histories:

* **streak**: consecutive working days with prospecting done (per ``streak_rule``);
  days off and weekends freeze it; today adds to it once done, never breaks it.
* **buffer**: how many working days, today included, the rep could log nothing more
  before the rolling-30-day total falls below the rolling-30-day target; or, when it is
  already below, how many actions short it is.
* **discipline score**: exponential moving average of each completed working day's
  attainment ``min(1, done / target)`` with a half-life of about two weeks.

Like the streak, every figure lets today's own target count against the rep only once
today is over (``day_over``): a rep exactly on pace at 9:00 is on pace, not behind.
A past ``as_of`` is a finished day.

"Done" for targets counts the actions of kinds that have a target that day.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Set
from dataclasses import dataclass

from prospector.targets import TargetPlan, days

ROLLING_DAYS = 30
DISCIPLINE_LOOKBACK_DAYS = 365
"""Older days weigh less than 2**-25 in the score; they are left out."""
BUFFER_HORIZON_DAYS = 62

DayCounts = Mapping[dt.date, Mapping[str, int]]


@dataclass(frozen=True)
class Progress:
    done: int
    target: float


@dataclass(frozen=True)
class Buffer:
    working_days: int | None
    """Working days that can pass with nothing logged; None when nothing is targeted."""
    actions_short: int
    """How far the rolling-30 total is below its target at the end of today (0 if not)."""

    def describe(self) -> str:
        if self.actions_short > 0:
            return f"behind: {self.actions_short} actions short"
        if self.working_days is None:
            return "no targets set"
        if self.working_days == 0:
            return "no slack: today's target needed"
        if self.working_days == 1:
            return "safe for 1 working day"
        return f"safe for {self.working_days} working days"


@dataclass(frozen=True)
class Status:
    as_of: dt.date
    today: dict[str, Progress]
    week: dict[str, Progress]
    streak: int
    buffer: Buffer
    rolling_30: Progress
    discipline_score: float | None
    today_off: str | None
    """The reason if today is a day off (vacation, holiday, sick), else None."""


def targeted_done(counts: Mapping[str, int], targets: Mapping[str, float]) -> int:
    return sum(n for kind, n in counts.items() if kind in targets)


def rolling(counts: DayCounts, plan: TargetPlan, end: dt.date, day_over: bool = False) -> Progress:
    """Done and target over the 30 days ending with ``end``.

    While ``end`` is still under way its actions count but its target does not yet.
    """
    done, target = 0, 0.0
    for day in days(end - dt.timedelta(days=ROLLING_DAYS - 1), end):
        asked = plan.day_targets(day)
        if day < end or day_over:
            target += sum(asked.values())
        done += targeted_done(counts.get(day, {}), asked)
    return Progress(done, target)


def buffer(counts: DayCounts, plan: TargetPlan, as_of: dt.date, day_over: bool = False) -> Buffer:
    """Simulate working days with nothing more logged until the rolling total falls short.

    Today is one of those days while it is under way: "safe for 2 working days" in the
    morning means today and tomorrow could pass with nothing more logged.
    """
    now = rolling(counts, plan, as_of, day_over)
    if now.done < now.target - 1e-9:
        return Buffer(0, math.ceil(now.target - now.done - 1e-9))
    calendar = plan.calendar
    safe = 0
    any_target = now.target > 0
    for ahead in range(0 if not day_over else 1, BUFFER_HORIZON_DAYS + 1):
        day = as_of + dt.timedelta(days=ahead)
        if not calendar.is_working_day(day):
            continue
        future = rolling(counts, plan, day, day_over=True)
        any_target = any_target or future.target > 0
        if future.done < future.target - 1e-9:
            return Buffer(safe, 0)
        safe += 1
    return Buffer(None if not any_target else safe, 0)


def day_qualifies(
    day: dt.date, counts: DayCounts, plan: TargetPlan, rule: str, block_days: Set[dt.date]
) -> bool:
    """Whether ``day`` counts for the streak under ``rule`` (action, block or target)."""
    if rule == "block":
        return day in block_days
    done = counts.get(day, {})
    if rule == "target":
        asked = plan.day_targets(day)
        return bool(asked) and targeted_done(done, asked) >= sum(asked.values()) - 1e-9
    return sum(done.values()) > 0


def streak(
    counts: DayCounts,
    plan: TargetPlan,
    as_of: dt.date,
    first_day: dt.date | None,
    rule: str = "action",
    block_days: Set[dt.date] = frozenset(),
    day_over: bool = False,
) -> int:
    """Consecutive qualifying working days up to yesterday, plus today once it qualifies.

    Today can only break the streak once it is over (``day_over``).
    """
    if first_day is None:
        return 0
    calendar = plan.calendar
    total = 0
    if calendar.is_working_day(as_of):
        if day_qualifies(as_of, counts, plan, rule, block_days):
            total = 1
        elif day_over:
            return 0
    day = as_of - dt.timedelta(days=1)
    while day >= first_day:
        if calendar.is_working_day(day):
            if not day_qualifies(day, counts, plan, rule, block_days):
                break
            total += 1
        day -= dt.timedelta(days=1)
    return total


def discipline_score(
    counts: DayCounts,
    plan: TargetPlan,
    as_of: dt.date,
    first_day: dt.date | None,
    half_life_days: float = 10.0,
    day_over: bool = False,
) -> float | None:
    """EMA of daily attainment over completed working days; None before the first one."""
    if first_day is None:
        return None
    alpha = 1 - 0.5 ** (1 / half_life_days)
    start = max(first_day, as_of - dt.timedelta(days=DISCIPLINE_LOOKBACK_DAYS))
    score: float | None = None
    last = as_of if day_over else as_of - dt.timedelta(days=1)
    for day in days(start, last):
        asked = plan.day_targets(day)
        if not asked:
            continue
        attainment = min(1.0, targeted_done(counts.get(day, {}), asked) / sum(asked.values()))
        score = attainment if score is None else alpha * attainment + (1 - alpha) * score
    return score


def compute_status(
    as_of: dt.date,
    counts: DayCounts,
    plan: TargetPlan,
    kinds: list[str],
    first_day: dt.date | None,
    streak_rule: str = "action",
    block_days: Set[dt.date] = frozenset(),
    half_life_days: float = 10.0,
    day_over: bool = False,
) -> Status:
    """Every figure of the status line, from per-day per-kind counts.

    ``day_over`` says whether ``as_of`` has ended (a past date) or is today, under way.
    """
    today_counts = counts.get(as_of, {})
    today = {k: Progress(today_counts.get(k, 0), plan.share(k, as_of)) for k in kinds}
    monday = as_of - dt.timedelta(days=as_of.isoweekday() - 1)
    week_days = list(days(monday, monday + dt.timedelta(days=6)))
    week = {
        k: Progress(
            sum(counts.get(d, {}).get(k, 0) for d in week_days),
            sum(plan.share(k, d) for d in week_days),
        )
        for k in kinds
    }
    return Status(
        as_of=as_of,
        today=today,
        week=week,
        streak=streak(counts, plan, as_of, first_day, streak_rule, block_days, day_over),
        buffer=buffer(counts, plan, as_of, day_over),
        rolling_30=rolling(counts, plan, as_of, day_over),
        discipline_score=discipline_score(counts, plan, as_of, first_day, half_life_days, day_over),
        today_off=plan.calendar.days_off.get(as_of) if plan.calendar.is_day_off(as_of) else None,
    )
