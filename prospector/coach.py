"""The forecast in plain words: sentences a rep reads once and acts on.

The CLI and the screens both speak through these functions, so a figure is worded the
same way wherever it appears. Amounts are rounded to what matters for a decision
(hundreds of euros), dates are written as a rep says them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from prospector.projection import ActivityGap, Forecast, MonthForecast, RecoveryPlan

if TYPE_CHECKING:
    from prospector.shipped import Kind

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


def money(amount: float, currency: str) -> str:
    """``€4,100``: rounded to the hundred above 1,000, to the euro below."""
    step = Decimal(100) if abs(amount) >= 1000 else Decimal(1)
    rounded = float((Decimal(str(amount)) / step).quantize(Decimal(1), ROUND_HALF_UP) * step)
    symbol = SYMBOLS.get(currency)
    text = f"{abs(rounded):,.0f}"
    sign = "-" if rounded < 0 else ""
    return f"{sign}{symbol}{text}" if symbol else f"{sign}{currency} {text}"


def day_month(day: dt.date) -> str:
    return f"{day.day} {day:%b}"


def span(start: dt.date, end: dt.date) -> str:
    """``3-20 Oct``, ``28 Sep - 9 Oct``, ``14 Dec 2026 - 8 Jan 2027``."""
    if start == end:
        return day_month(start)
    if start.year != end.year:
        return f"{day_month(start)} {start.year} – {day_month(end)} {end.year}"
    if start.month == end.month:
        return f"{start.day}–{end.day} {end:%b}"
    return f"{day_month(start)} – {day_month(end)}"


def month_name(key: str) -> str:
    """``2027-01`` -> ``January``."""
    year, month = (int(part) for part in key.split("-"))
    return dt.date(year, month, 1).strftime("%B")


def month_of(day: dt.date) -> str:
    return day.strftime("%B")


def gap_sentence(gap: ActivityGap, currency: str) -> str:
    """One gap, its cost and when that cost lands."""
    days = "working day" if gap.working_days == 1 else "working days"
    when = f"The {gap.working_days} {days} of {span(gap.start, gap.end)}"
    if gap.kind == "day_off":
        what = "were days off: no missed target, but"
    else:
        under = round(100 * (1 - gap.done_share))
        what = f"were {under}% under target:"
    return (
        f"{when} {what} about {money(gap.cost, currency)} less revenue, "
        f"landing mostly {span(gap.lands_from, gap.lands_to)}."
    )


def recovery_sentence(plan: RecoveryPlan, kinds: Mapping[str, Kind]) -> str:
    """``To refill December, add 9 calls a day for the next 10 working days.``"""
    parts = [
        kinds[kind].count(n) if kind in kinds else f"{n} {kind}"
        for kind, n in plan.extra_per_day.items()
    ]
    if not parts:
        return ""
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    sentence = (
        f"To refill {month_name(plan.month)}, add {listed} a day "
        f"for the next {plan.working_days} working days."
    )
    if plan.too_close:
        names = " and ".join(month_name(key) for key in plan.too_close)
        verb = "is" if len(plan.too_close) == 1 else "are"
        sentence = (
            f"{names} {verb} short at your pace but too close to refill: what you do now "
            f"pays off mostly later. {sentence}"
        )
    return sentence


def first_gap_month(forecast: Forecast) -> MonthForecast | None:
    """The first full month whose locked-in revenue falls short of its target."""
    for month in forecast.months:
        if month.gap > 0.05 * max(month.revenue_target, 1.0):
            return month
    return None


def biggest_gap(forecast: Forecast) -> ActivityGap | None:
    return max(forecast.gaps, key=lambda gap: gap.cost, default=None)


def _months(first: dt.date, last: dt.date) -> str:
    return (
        month_of(first)
        if month_of(first) == month_of(last)
        else (f"{month_of(first)}–{month_of(last)}")
    )


def headline(forecast: Forecast, currency: str) -> str:
    """The Today headline: what is locked in for 90 days, and where the next dip is."""
    locked = money(forecast.locked_in_90, currency)
    if forecast.target_90 > 0:
        share = round(100 * forecast.locked_in_90 / forecast.target_90)
        first = f"{locked} locked in for the next 90 days: {share}% of target."
    else:
        first = f"{locked} locked in for the next 90 days."
    soon = forecast.as_of + dt.timedelta(days=14)
    ahead = [gap for gap in forecast.gaps if gap.lands_to > soon]
    gap = max(ahead, key=lambda g: g.cost, default=None)
    if gap is not None and gap.cost > 0.05 * max(forecast.target_90 / 3, 1.0):
        label = "time off" if gap.kind == "day_off" else "gap"
        lands = max(gap.lands_from, forecast.as_of + dt.timedelta(days=1))
        return (
            f"{first} The {_months(gap.start, gap.end)} {label} shows up in "
            f"{_months(lands, gap.lands_to)}."
        )
    short = first_gap_month(forecast)
    if short is not None and short.revenue_target > 0:
        filled = round(100 * short.locked_in / short.revenue_target)
        return (
            f"{first} {month_name(short.month)} is {filled}% filled so far: "
            "today's prospecting fills it."
        )
    return f"{first} Keep the pace and every month ahead stays on target."


def forecast_report(forecast: Forecast, currency: str, kinds: Mapping[str, Kind]) -> list[str]:
    """The coach's paragraph for ``prospector forecast``: headline, months, gaps, plan."""
    lines = [headline(forecast, currency), ""]
    for month in forecast.months:
        target = money(month.revenue_target, currency)
        partial = f" ({month.days} days)" if month.days < 28 else ""
        lines.append(
            f"{month_name(month.month)}{partial}: {money(month.locked_in, currency)} locked in, "
            f"{money(month.at_pace, currency)} at your pace, "
            f"{money(month.at_target, currency)} at target (revenue target {target})."
        )
    gaps = sorted(forecast.gaps, key=lambda gap: gap.cost, reverse=True)[:3]
    if gaps:
        lines.append("")
        lines.extend(gap_sentence(gap, currency) for gap in sorted(gaps, key=lambda g: g.start))
    if forecast.recovery is not None:
        lines += ["", recovery_sentence(forecast.recovery, kinds)]
    cal = forecast.calibration
    lines.append("")
    if cal.scale is None:
        lines.append(
            f"Values per action are the funnel defaults ({cal.wins} wins in the last year; "
            "calibration starts at 3)."
        )
    else:
        lines.append(
            f"Values per action are calibrated on {cal.wins} wins: you won "
            f"{money(cal.won, currency)} where the rule projected "
            f"{money(cal.projected, currency)} (x{cal.scale:.2f}, counted at "
            f"{round(100 * cal.weight)}% against the defaults)."
        )
    return lines
