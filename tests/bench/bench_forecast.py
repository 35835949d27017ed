"""Forecast benchmark: the 30/90 projection on a big history. A report, not a test.

    python tests/bench/bench_forecast.py [--size 1000000] [--runs 20] [--rebuild]

``store.forecast()`` on the cached demo database of ``--size`` actions (built by
``benchlib.benchmark_db``, ``generate_demo(actions=N)``, seed 7), in-process,
median of ``--runs`` after a warm-up. Bar: under 100 ms. The store aggregates per day
and kind in SQL (the trigger-kept ``action_day_count``) and the projection convolves the
daily totals, so the figure should not grow with the number of actions.

Then where the time goes, each a median of ``--runs`` on its own:

* **read counts**: ``store.day_counts(...)`` over the span the forecast reads (the
  calibration year plus one kernel length before ``as_of``);
* **read the rest**: settings, target rules, calendar (days off) and wins;
* **compute**: the pure ``projection.forecast(...)`` on those inputs: calibration,
  the three curves, months, gaps and the recovery plan.

The demo database may cover fewer days than the forecast reads, so the pure
computation is also timed on a synthetic history with every kind on every day of that
span (the most it can ever be handed) and held to the same bar.

The split mirrors ``FiguresMixin.forecast`` and is checked to give the same result.
``python tests/bench`` runs this with the other benchmarks. Always exits 0: read the
result column.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass

import benchlib
from benchlib import BenchDB, Row

from prospector.clock import local_date
from prospector.projection import CALIBRATION_DAYS, Forecast, forecast
from prospector.settings import Settings
from prospector.store import Store
from prospector.targets import TargetPlan

SIZE = 1_000_000
"""The size the bar below is set for: the figure should not grow with it."""
RUNS = {"runs": 20}
QUICK = {"runs": 5}
FORECAST_BAR_MS = 100.0


@dataclass(frozen=True)
class Inputs:
    """What ``Store.forecast`` reads before it hands over to the pure projection."""

    as_of: dt.date
    settings: Settings
    counts: dict[dt.date, dict[str, int]]
    plan: TargetPlan
    wins: list[tuple[dt.date, float]]


def read_counts(store: Store, as_of: dt.date, current: Settings) -> dict[dt.date, dict[str, int]]:
    span = CALIBRATION_DAYS + current.delay_days + current.window_days
    return store.day_counts(as_of - dt.timedelta(days=span), as_of)


def read_rest(store: Store) -> tuple[Settings, TargetPlan, list[tuple[dt.date, float]]]:
    current = store.settings()
    plan = TargetPlan(store.target_rules(), store.calendar())
    wins = [(w.local_date, w.amount_cents / 100) for w in store.wins()]
    return current, plan, wins


def read_inputs(store: Store) -> Inputs:
    current, plan, wins = read_rest(store)
    as_of = local_date(store.now(), current.timezone)
    return Inputs(as_of, current, read_counts(store, as_of, current), plan, wins)


def compute(inputs: Inputs) -> Forecast:
    current = inputs.settings
    return forecast(
        inputs.as_of,
        inputs.counts,
        inputs.plan,
        current.value_per_action,
        current.revenue_target_month,
        inputs.wins,
        current.delay_days,
        current.window_days,
    )


def worst_case(inputs: Inputs) -> Inputs:
    """The same settings and targets, with actions of every kind on every day of the span
    the forecast reads and 200 wins over the last year: the most days the pure
    projection can be handed, whatever the number of actions behind them."""
    current = inputs.settings
    span = CALIBRATION_DAYS + current.delay_days + current.window_days
    kinds = list(current.value_per_action)
    counts = {
        inputs.as_of - dt.timedelta(days=i): dict.fromkeys(kinds, 10) for i in range(span + 1)
    }
    wins = [(inputs.as_of - dt.timedelta(days=i * 365 // 200), 5_000.0) for i in range(200)]
    return Inputs(inputs.as_of, current, counts, inputs.plan, wins)


def median_ms(fn: Callable[[], object], runs: int) -> float:
    return benchlib.median_seconds(fn, runs) * 1000


def figures(db: BenchDB, *, runs: int) -> list[Row]:
    """The whole forecast and the pure computation at its largest, with where time goes."""
    store = Store.open(db.path)
    try:
        result = store.forecast()  # warm-up: first query, page cache, imports
        total_ms = median_ms(store.forecast, runs)

        inputs = read_inputs(store)
        same = compute(inputs) == result
        current = inputs.settings
        counts_ms = median_ms(lambda: read_counts(store, inputs.as_of, current), runs)
        rest_ms = median_ms(lambda: read_rest(store), runs)
        compute_ms = median_ms(lambda: compute(inputs), runs)
    finally:
        store.close()

    pairs = sum(len(kinds) for kinds in inputs.counts.values())
    print(
        f"As of {inputs.as_of}: {len(inputs.counts)} days with actions read "
        f"({pairs} day x kind rows, {sum(sum(k.values()) for k in inputs.counts.values()):,} "
        f"actions), {len(inputs.wins)} wins, {len(result.gaps)} gaps, "
        f"recovery plan: {'yes' if result.recovery else 'no'}."
    )
    worst = worst_case(inputs)
    worst_ms = median_ms(lambda: compute(worst), runs)

    split = [
        ("read counts: store.day_counts()", counts_ms),
        ("read the rest: settings, targets, calendar, wins", rest_ms),
        ("compute: projection.forecast() (pure)", compute_ms),
    ]
    parts = sum(ms for _, ms in split)
    print(f"Where the time goes (each a median of {runs} on its own):")
    for label, ms in split:
        print(f"  {label:<50} {ms:6.1f} ms  {100 * ms / parts:3.0f}%")
    print(f"  {'sum of the parts':<50} {parts:6.1f} ms")
    print(f"Split gives the same forecast as store.forecast(): {'yes' if same else 'NO'}")

    bar = f"< {FORECAST_BAR_MS:.0f} ms"
    return [
        Row(
            f"store.forecast(), median of {runs}",
            db.size,
            f"{total_ms:.1f} ms",
            bar,
            total_ms < FORECAST_BAR_MS,
        ),
        Row(
            f"  forecast compute alone, every day of the span read (synthetic), median of {runs}",
            None,
            f"{worst_ms:.1f} ms",
            bar,
            worst_ms < FORECAST_BAR_MS,
        ),
    ]


if __name__ == "__main__":
    sys.exit(benchlib.script(__doc__, SIZE, figures, RUNS))
