"""The 30/90 projection: what today's prospecting brings in 1 to 4 months from now.

Blount's 30-day rule says the prospecting done in any 30-day period pays off over the
90 days after it. Averaged over every 30-day window that contains an action, that rule
becomes a kernel ``K``: the share of an action's expected value that lands on each day
after it (a trapezoid rising over days 1-30, flat to day 90, falling to day 119, summing
to 1). Everything here is a pure function of per-day counts, so it can be tested
exhaustively and runs on a million actions without a per-action loop: the store hands
in per-day totals and the projection convolves them with the kernel.

Definitions follow ``DESIGN.md`` ("The 30/90 projection") exactly; D and W are the
``payoff.delay_days`` and ``payoff.window_days`` settings.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from prospector.targets import TargetPlan, WorkCalendar

HORIZON_DAYS = 120
"""The curves cover the 120 days after ``as_of``."""
TRAILING_DAYS = 30
"""At-pace activity continues the average of the last 30 days."""
CALIBRATION_DAYS = 365
MIN_WINS_TO_CALIBRATE = 3
SHRINKAGE_WINS = 10
"""With n wins the calibrated scale gets weight n / (n + 10): few wins, mostly defaults."""
LANDING_SHARE = 0.8
"""A gap's cost "lands mostly" between the dates that hold the central 80% of it."""
RECOVERY_WORKING_DAYS = 10
MIN_GAP_COST_SHARE = 0.01
"""Gaps costing less than 1% of a month's revenue target are left out: noise, not news."""
GAP_TOLERANCE = 0.9
"""A working day below 90% of its target starts or extends an activity gap; a day
within 10% of target does not, so day-to-day noise does not chain into one long gap."""

DayCounts = Mapping[dt.date, Mapping[str, int]]


def kernel(delay_days: int = 30, window_days: int = 90) -> tuple[float, ...]:
    """``K[tau]`` for tau = 0 .. D+W-1; ``K[0] = 0`` (nothing pays off the same day).

    K[tau] = #{(i, j) : 0 <= i < D, 1 <= j <= W, i + j = tau} / (D * W)
    """
    if delay_days < 1 or window_days < 1:
        raise ValueError("the payoff delay and window must be at least one day")
    size = delay_days * window_days
    out = [0.0] * (delay_days + window_days)
    for tau in range(1, delay_days + window_days):
        low, high = max(0, tau - window_days), min(delay_days - 1, tau - 1)
        out[tau] = max(0, high - low + 1) / size
    return tuple(out)


def days_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every day from ``start`` to ``end`` inclusive."""
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def value_by_day(counts: DayCounts, values: Mapping[str, float]) -> dict[dt.date, float]:
    """The expected revenue of each day's actions: sum of count x value per kind."""
    return {
        day: sum(n * values.get(kind, 0.0) for kind, n in kinds.items())
        for day, kinds in counts.items()
    }


def project(
    daily_value: Mapping[dt.date, float], days: Sequence[dt.date], k: Sequence[float]
) -> list[float]:
    """``P(d) = sum over action days t of value(t) * K[d - t]`` for each ``d`` in ``days``.

    A convolution over day offsets (``days`` ascending), so its cost depends on the
    number of days, never on the number of actions.
    """
    if not days:
        return []
    reach = len(k) - 1
    base = days[0].toordinal() - reach
    series = [0.0] * (days[-1].toordinal() - base + 1)
    for day, value in daily_value.items():
        offset = day.toordinal() - base
        if 0 <= offset < len(series):
            series[offset] += value
    backwards = list(reversed(k[1:]))  # K[reach] .. K[1], aligned with days d-reach .. d-1
    out = []
    for day in days:
        end = day.toordinal() - base
        out.append(sum(map(operator.mul, series[end - reach : end], backwards)))
    return out


def month_key(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


@dataclass(frozen=True)
class DayForecast:
    day: dt.date
    locked_in: float
    at_pace: float
    at_target: float


@dataclass(frozen=True)
class MonthForecast:
    month: str
    """``YYYY-MM``."""
    days: int
    """Days of the month inside the forecast (the current month only from tomorrow)."""
    locked_in: float
    at_pace: float
    at_target: float
    revenue_target: float
    """The monthly revenue target, pro rata for a partly covered month."""

    @property
    def gap(self) -> float:
        """How far locked-in revenue falls short of the target (0 when it does not)."""
        return max(0.0, self.revenue_target - self.locked_in)


@dataclass(frozen=True)
class ActivityGap:
    """A run of working days under target, or of days off, and what it costs later."""

    start: dt.date
    end: dt.date
    kind: str
    """``under_target`` or ``day_off`` (not a missed target, but it costs all the same)."""
    working_days: int
    missed_actions: float
    done_share: float
    """Share of the asked actions that were done in the run (0 for days off)."""
    cost: float
    lands_from: dt.date
    lands_to: dt.date


@dataclass(frozen=True)
class RecoveryPlan:
    """Extra actions a working day that refill the first month with a gap."""

    month: str
    shortfall: float
    working_days: int
    extra_per_day: dict[str, int]
    """Kind -> extra actions a day, in the rep's usual kind mix."""
    too_close: tuple[str, ...] = ()
    """Earlier months short at pace that start too soon for work done now to refill."""


@dataclass(frozen=True)
class Calibration:
    wins: int
    won: float
    projected: float
    scale: float | None
    """won / projected over the calibration period; None with too few wins."""
    weight: float
    """How much the calibrated scale counts against the defaults (0 to 1)."""
    default_values: dict[str, float]
    calibrated_values: dict[str, float]


@dataclass(frozen=True)
class Forecast:
    as_of: dt.date
    values: dict[str, float]
    """Value per action used for the curves (calibrated where there are enough wins)."""
    daily: list[DayForecast]
    months: list[MonthForecast]
    gaps: list[ActivityGap]
    recovery: RecoveryPlan | None
    calibration: Calibration
    locked_in_90: float
    """Locked-in revenue over the next 90 days."""
    target_90: float
    """The revenue target over the same 90 days."""
    trailing_per_day: dict[str, float] = field(default_factory=dict)
    """Actions per working day and kind over the last 30 days (the at-pace rate)."""


def trailing_rates(counts: DayCounts, plan: TargetPlan, as_of: dt.date) -> dict[str, float]:
    """Actions per working day and kind over the 30 days ending with ``as_of``."""
    window = days_between(as_of - dt.timedelta(days=TRAILING_DAYS - 1), as_of)
    working = sum(1 for day in window if plan.calendar.is_working_day(day))
    if working == 0:
        return {}
    totals: dict[str, int] = {}
    for day in window:
        for kind, n in counts.get(day, {}).items():
            totals[kind] = totals.get(kind, 0) + n
    return {kind: n / working for kind, n in totals.items()}


def _future_value(
    days: Iterable[dt.date], per_day: Callable[[dt.date], float], calendar_: WorkCalendar
) -> dict[dt.date, float]:
    return {day: per_day(day) for day in days if calendar_.is_working_day(day)}


def landing_window(
    missed_value: Mapping[dt.date, float], k: Sequence[float]
) -> tuple[dt.date, dt.date]:
    """The dates between which the central ``LANDING_SHARE`` of a cost lands."""
    first = min(missed_value)
    last = max(missed_value) + dt.timedelta(days=len(k) - 1)
    days = days_between(first + dt.timedelta(days=1), last)
    landing = project(missed_value, days, k)
    total = sum(landing)
    tail = (1 - LANDING_SHARE) / 2 * total
    running, start, end = 0.0, days[0], days[-1]
    for day, amount in zip(days, landing, strict=True):
        running += amount
        if running > tail:
            start = day
            break
    running = 0.0
    for day, amount in zip(reversed(days), reversed(landing), strict=True):
        running += amount
        if running > tail:
            end = day
            break
    return start, end


def activity_gaps(
    counts: DayCounts,
    plan: TargetPlan,
    values: Mapping[str, float],
    as_of: dt.date,
    k: Sequence[float],
) -> list[ActivityGap]:
    """Runs of finished working days under target, and runs of days off, whose cost
    still lands on or after ``as_of``; weekends neither break nor extend a run."""
    calendar_ = plan.calendar
    without_days_off = plan.with_calendar(
        WorkCalendar(calendar_.working_days, {}, calendar_.tracking_from)
    )
    start = as_of - dt.timedelta(days=len(k) - 1)
    runs: list[tuple[str, list[dt.date]]] = []
    for day in days_between(start, as_of - dt.timedelta(days=1)):
        if day.isoweekday() not in calendar_.working_days:
            continue
        if calendar_.tracking_from is not None and day < calendar_.tracking_from:
            continue
        if day in calendar_.days_off:
            kind = "day_off"
        else:
            asked = plan.day_targets(day)
            done = counts.get(day, {})
            done_targeted = sum(min(n, done.get(kind, 0)) for kind, n in asked.items())
            asked_total_day = sum(asked.values())
            under = asked_total_day > 0 and done_targeted < GAP_TOLERANCE * asked_total_day
            kind = "under_target" if under else ""
        if not kind:
            runs.append(("", []))
            continue
        if runs and runs[-1][0] == kind:
            runs[-1][1].append(day)
        else:
            runs.append((kind, [day]))
    gaps = []
    for kind, run in runs:
        if not kind:
            continue
        missed_by_day: dict[dt.date, float] = {}
        asked_total = done_total = missed_total = 0.0
        for day in run:
            asked = (
                without_days_off.day_targets(day) if kind == "day_off" else plan.day_targets(day)
            )
            done = {} if kind == "day_off" else counts.get(day, {})
            missed = {k_: max(0.0, n - done.get(k_, 0)) for k_, n in asked.items()}
            asked_total += sum(asked.values())
            done_total += sum(min(n, done.get(k_, 0)) for k_, n in asked.items())
            missed_total += sum(missed.values())
            missed_by_day[day] = sum(n * values.get(k_, 0.0) for k_, n in missed.items())
        cost = sum(missed_by_day.values())
        if cost <= 0:
            continue
        lands_from, lands_to = landing_window(missed_by_day, k)
        gaps.append(
            ActivityGap(
                start=run[0],
                end=run[-1],
                kind=kind,
                working_days=len(run),
                missed_actions=missed_total,
                done_share=done_total / asked_total if asked_total else 0.0,
                cost=cost,
                lands_from=lands_from,
                lands_to=lands_to,
            )
        )
    return gaps


def calibrate(
    counts: DayCounts,
    values: Mapping[str, float],
    wins: Sequence[tuple[dt.date, float]],
    as_of: dt.date,
    k: Sequence[float],
) -> Calibration:
    """Compare revenue won over the last year with what the kernel projected for it."""
    period = days_between(as_of - dt.timedelta(days=CALIBRATION_DAYS - 1), as_of)
    in_period = [amount for day, amount in wins if period[0] <= day <= as_of]
    won = sum(in_period)
    projected = sum(project(value_by_day(counts, values), period, k))
    n = len(in_period)
    scale: float | None = None
    weight = 0.0
    if n >= MIN_WINS_TO_CALIBRATE and projected > 0:
        scale = won / projected
        weight = n / (n + SHRINKAGE_WINS)
    factor = 1.0 if scale is None else weight * scale + (1 - weight)
    return Calibration(
        wins=n,
        won=won,
        projected=projected,
        scale=scale,
        weight=weight,
        default_values=dict(values),
        calibrated_values={kind: v * factor for kind, v in values.items()},
    )


def recovery_plan(
    months: Sequence[MonthForecast],
    plan: TargetPlan,
    values: Mapping[str, float],
    mix: Mapping[str, float],
    as_of: dt.date,
    k: Sequence[float],
    working_days: int = RECOVERY_WORKING_DAYS,
    window_days: int = 90,
) -> RecoveryPlan | None:
    """Extra actions a working day over the next working days, in the usual kind mix,
    that bring the first month short of target at pace up to its target."""
    total_mix = sum(mix.values())
    if total_mix <= 0:
        return None
    shares = {kind: n / total_mix for kind, n in mix.items()}
    value_per_action = sum(share * values.get(kind, 0.0) for kind, share in shares.items())
    if value_per_action <= 0:
        return None
    upcoming: list[dt.date] = []
    day = as_of
    while len(upcoming) < working_days and day < as_of + dt.timedelta(days=366):
        day += dt.timedelta(days=1)
        if plan.calendar.is_working_day(day):
            upcoming.append(day)
    too_close: list[str] = []
    for month in months:
        shortfall = month.revenue_target - month.at_pace
        if shortfall <= 0:
            continue
        year, number = (int(part) for part in month.month.split("-"))
        first = dt.date(year, number, 1)
        if first < as_of + dt.timedelta(days=len(k) - window_days):
            # Work done now has barely started paying off by then: the first month it
            # can refill begins a full payoff delay (D days) from now.
            too_close.append(month.month)
            continue
        month_days = days_between(first, month_end(first))
        reach = sum(project(dict.fromkeys(upcoming, 1.0), month_days, k))
        if reach <= 1e-6:
            continue
        extra = shortfall / (reach * value_per_action)
        # Kinds whose share rounds to nothing are left out, so the kinds kept must carry
        # the whole shortfall (else a rare, valuable kind such as visits leaves it short);
        # with nothing kept, the most usual kind that has a value carries it alone.
        kept = {kind: share for kind, share in shares.items() if extra * share >= 0.5}
        if sum(share * values.get(kind, 0.0) for kind, share in kept.items()) <= 0:
            best = max(shares, key=lambda kind: (values.get(kind, 0.0) > 0, shares[kind]))
            kept[best] = shares[best]
        kept_value = sum(share * values.get(kind, 0.0) for kind, share in kept.items())
        extra = shortfall / (reach * kept_value)
        return RecoveryPlan(
            month=month.month,
            shortfall=shortfall,
            working_days=len(upcoming),
            extra_per_day={
                kind: math.ceil(extra * share)
                for kind, share in sorted(kept.items(), key=lambda item: -item[1])
            },
            too_close=tuple(too_close),
        )
    return None


def forecast(
    as_of: dt.date,
    counts: DayCounts,
    plan: TargetPlan,
    values: Mapping[str, float],
    revenue_target_month: float,
    wins: Sequence[tuple[dt.date, float]] = (),
    delay_days: int = 30,
    window_days: int = 90,
) -> Forecast:
    """Locked-in, at-pace and at-target revenue for the 120 days after ``as_of``, per
    month, the activity gaps behind it, a recovery plan and the calibration."""
    k = kernel(delay_days, window_days)
    history = {day: kinds for day, kinds in counts.items() if day <= as_of}
    calibration = calibrate(history, values, wins, as_of, k)
    used = calibration.calibrated_values
    locked = value_by_day(history, used)
    rates = trailing_rates(history, plan, as_of)
    pace_value = sum(rate * used.get(kind, 0.0) for kind, rate in rates.items())
    horizon_end = as_of + dt.timedelta(days=HORIZON_DAYS)
    last = month_end(horizon_end)
    future = days_between(as_of + dt.timedelta(days=1), last)
    at_pace = {**locked, **_future_value(future, lambda _: pace_value, plan.calendar)}
    at_target = {
        **locked,
        **_future_value(
            future,
            lambda day: sum(n * used.get(kind, 0.0) for kind, n in plan.day_targets(day).items()),
            plan.calendar,
        ),
    }
    curves = [project(series, future, k) for series in (locked, at_pace, at_target)]
    daily = [
        DayForecast(day, locked_in, pace, target)
        for day, locked_in, pace, target in zip(future, *curves, strict=True)
    ]
    months = []
    by_month: dict[str, list[DayForecast]] = {}
    for row in daily:
        by_month.setdefault(month_key(row.day), []).append(row)
    for key, rows in by_month.items():
        length = calendar.monthrange(rows[0].day.year, rows[0].day.month)[1]
        months.append(
            MonthForecast(
                month=key,
                days=len(rows),
                locked_in=sum(r.locked_in for r in rows),
                at_pace=sum(r.at_pace for r in rows),
                at_target=sum(r.at_target for r in rows),
                revenue_target=revenue_target_month * len(rows) / length,
            )
        )
    in_horizon = [row for row in daily if row.day <= horizon_end]
    next_90 = in_horizon[:90]
    return Forecast(
        as_of=as_of,
        values=dict(used),
        daily=in_horizon,
        months=months,
        gaps=[
            gap
            for gap in activity_gaps(history, plan, used, as_of, k)
            if gap.cost >= MIN_GAP_COST_SHARE * revenue_target_month
        ],
        recovery=recovery_plan(months, plan, used, rates, as_of, k, window_days=window_days),
        calibration=calibration,
        locked_in_90=sum(row.locked_in for row in next_90),
        target_90=revenue_target_month * 12 / 365 * len(next_90),
        trailing_per_day=rates,
    )
