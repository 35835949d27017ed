"""The figures shown to the rep: status, today's progress and the 30-day sparkline."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from prospector.clock import local_date
from prospector.status import (
    DISCIPLINE_LOOKBACK_DAYS,
    Progress,
    Status,
    compute_status,
    targeted_done,
)
from prospector.store.wins import WinsMixin
from prospector.targets import TargetPlan, WorkCalendar

if TYPE_CHECKING:
    # The projection and the attainment records load with the figures that use them:
    # ``log`` asks only for ``progress_on``.
    from prospector.projection import Forecast
    from prospector.records import DayAttainment


class FiguresMixin(WinsMixin):
    """Figures derived from the history, computed as of a day."""

    def progress_on(self, day: dt.date, kind: str) -> tuple[str, Progress]:
        """The quick answer after a log: ("day", done and target that day) for a daily
        target, ("week", done and target that ISO week) for a weekly one, ("none", ...)
        when the kind has no target."""
        plan = TargetPlan(self.target_rules(), self.calendar())
        rule = plan.rule(kind, day)
        if rule is None or rule.count == 0:
            done = self.day_counts(day, day).get(day, {}).get(kind, 0)
            return "none", Progress(done, 0.0)
        if rule.per == "day":
            done = self.day_counts(day, day).get(day, {}).get(kind, 0)
            return "day", Progress(done, plan.share(kind, day))
        monday = day - dt.timedelta(days=day.isoweekday() - 1)
        week = [monday + dt.timedelta(days=i) for i in range(7)]
        counts = self.day_counts(week[0], week[-1])
        done = sum(counts.get(d, {}).get(kind, 0) for d in week)
        return "week", Progress(done, sum(plan.share(kind, d) for d in week))

    def status(self, as_of: dt.date | None = None) -> Status:
        """Every figure of the status line as of ``as_of`` (default: today, under way).

        A past ``as_of`` is judged as a finished day; today's own target counts against
        the rep only once today is over.
        """
        current = self.settings()
        today = local_date(self.now(), current.timezone)
        as_of = as_of or today
        first = self.first_action_day()
        calendar = WorkCalendar(frozenset(current.working_days), self.days_off(), first or today)
        plan = TargetPlan(self.target_rules(), calendar)
        start = as_of - dt.timedelta(days=DISCIPLINE_LOOKBACK_DAYS + 7)

        def compute(counts_from: dt.date | None) -> Status:
            block_from = counts_from or first or as_of
            blocks = self.block_days(block_from, as_of) if current.streak_rule == "block" else set()
            return compute_status(
                as_of,
                self.day_counts(counts_from, as_of),
                plan,
                list(self.data.kind_keys),
                first,
                current.streak_rule,
                blocks,
                current.discipline_half_life_days,
                day_over=as_of < today,
            )

        result = compute(start)
        if (
            first is not None
            and first < start
            and result.streak >= _working_days_between(calendar, start, as_of)
        ):
            # A streak older than the look-back window: count it over the whole history.
            result = compute(None)
        return result

    def forecast(self, as_of: dt.date | None = None) -> Forecast:
        """The 30/90 projection as of the end of ``as_of`` (default today)."""
        from prospector.projection import CALIBRATION_DAYS, forecast

        current = self.settings()
        as_of = as_of or local_date(self.now(), current.timezone)
        k_days = current.delay_days + current.window_days
        counts = self.day_counts(as_of - dt.timedelta(days=CALIBRATION_DAYS + k_days), as_of)
        plan = TargetPlan(self.target_rules(), self.calendar())
        # Only the calibration reads the wins: those of its period, up to ``as_of``.
        wins = self.won_by_day(as_of - dt.timedelta(days=CALIBRATION_DAYS - 1), as_of)
        return forecast(
            as_of,
            counts,
            plan,
            current.value_per_action,
            current.revenue_target_month,
            wins,
            current.delay_days,
            current.window_days,
        )

    def has_actions(self) -> bool:
        return self.first_action_day() is not None

    def daily_attainment(
        self, as_of: dt.date | None = None, working_days: int = 30
    ) -> list[DayAttainment]:
        """The last ``working_days`` working days before ``as_of`` (days off included, marked),
        oldest first, each with its done and target."""
        from prospector.records import DayAttainment

        as_of = as_of or self.today()
        calendar = self.calendar()
        plan = TargetPlan(self.target_rules(), calendar)
        start = as_of - dt.timedelta(days=working_days * 2 + 14)
        counts = self.day_counts(start, as_of)
        out: list[DayAttainment] = []
        day = as_of - dt.timedelta(days=1)
        while len(out) < working_days and day >= start:
            if day.isoweekday() in calendar.working_days and (
                calendar.tracking_from is None or day >= calendar.tracking_from
            ):
                asked = plan.day_targets(day)
                out.append(
                    DayAttainment(
                        day,
                        targeted_done(counts.get(day, {}), asked),
                        sum(asked.values()),
                        calendar.days_off.get(day),
                    )
                )
            day -= dt.timedelta(days=1)
        return out[::-1]


def _working_days_between(calendar: WorkCalendar, start: dt.date, end: dt.date) -> int:
    total, day = 0, start
    while day <= end:
        total += calendar.is_working_day(day)
        day += dt.timedelta(days=1)
    return total - 1
