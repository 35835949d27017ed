"""Which days are working days, and which target is in force on a given day.

History is judged against the target that was in force at the time, so targets are a
schedule (count per kind per day or week, effective from a date), not a single number.
A weekly target is spread evenly over the working days of a normal week; a day off
carries no target, so a week with a day off asks for proportionally less.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class TargetRule:
    kind: str
    count: int
    per: str  # "day" | "week"
    effective_from: dt.date


@dataclass(frozen=True)
class WorkCalendar:
    working_days: frozenset[int]
    """ISO weekday numbers (1 = Monday)."""
    days_off: Mapping[dt.date, str]
    """Vacation, holiday or sick days, with their reason."""
    tracking_from: dt.date | None = None
    """The first day the rep logged anything: no target is owed for the days before."""

    def is_working_day(self, day: dt.date) -> bool:
        """A day that carries a target: a tracked working weekday that is not a day off."""
        if self.tracking_from is not None and day < self.tracking_from:
            return False
        return day.isoweekday() in self.working_days and day not in self.days_off

    def is_day_off(self, day: dt.date) -> bool:
        return day.isoweekday() in self.working_days and day in self.days_off


class TargetPlan:
    """The targets in force on each day, for every kind."""

    def __init__(self, rules: Iterable[TargetRule], calendar: WorkCalendar) -> None:
        self.calendar = calendar
        self._by_kind: dict[str, list[TargetRule]] = {}
        for rule in sorted(rules, key=lambda r: r.effective_from):
            self._by_kind.setdefault(rule.kind, []).append(rule)
        self._starts = {k: [r.effective_from for r in v] for k, v in self._by_kind.items()}
        self._per_week_days = max(1, len(calendar.working_days))

    @property
    def kinds(self) -> list[str]:
        return list(self._by_kind)

    @property
    def rules(self) -> list[TargetRule]:
        return [rule for rules in self._by_kind.values() for rule in rules]

    def with_calendar(self, calendar: WorkCalendar) -> TargetPlan:
        """The same targets over another calendar (e.g. as if there were no days off)."""
        return TargetPlan(self.rules, calendar)

    def rule(self, kind: str, day: dt.date) -> TargetRule | None:
        """The rule for ``kind`` in force on ``day`` (the latest that started by then)."""
        starts = self._starts.get(kind)
        if not starts:
            return None
        index = bisect.bisect_right(starts, day) - 1
        return self._by_kind[kind][index] if index >= 0 else None

    def share(self, kind: str, day: dt.date) -> float:
        """How many actions of ``kind`` the target asks for on ``day``."""
        if not self.calendar.is_working_day(day):
            return 0.0
        rule = self.rule(kind, day)
        if rule is None:
            return 0.0
        return float(rule.count) if rule.per == "day" else rule.count / self._per_week_days

    def day_targets(self, day: dt.date) -> dict[str, float]:
        """Kind -> actions asked for on ``day``, only kinds with a target above zero."""
        out = {}
        for kind in self._by_kind:
            share = self.share(kind, day)
            if share > 0:
                out[kind] = share
        return out


def days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    """Every calendar day from ``start`` to ``end`` inclusive."""
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)
