"""The Forecast screen as a rep meets it: opened with ``4``, read as plain text."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

import pendulum
import pytest
from tests_support import settle, shown
from textual.color import Color
from textual.pilot import Pilot
from textual.widgets import Static
from textual.worker import WorkerFailed

from prospector.coach import gap_sentence, headline
from prospector.errors import DatabaseError
from prospector.projection import Calibration
from prospector.store import Store
from screens.app import ProspectorApp, make_app
from screens.forecast import (
    ForecastScreen,
    OutlookChart,
    WinsChart,
    calibration_text,
    money_ticks,
    month_ticks,
    nice_step,
)
from screens.today import TodayScreen

SIZE = (120, 40)
TODAY = dt.date(2026, 11, 23)
HOLE = (dt.date(2026, 10, 12), dt.date(2026, 10, 23))
"""Two working weeks in October with nothing logged."""


@pytest.fixture(autouse=True)
def revenue_target(store: Store) -> None:
    """The figures below were worked out for a revenue target of 25,000 a month."""
    store.set_setting("revenue_target_month", "25000")


def text_of(app: ProspectorApp, selector: str) -> str:
    return shown(app.screen.query_one(selector, Static))


def log_steady_history(store: Store, hole: tuple[dt.date, dt.date] | None = HOLE) -> None:
    """Every working day from 3 Aug to Fri 20 Nov 2026 on the daily targets (20 calls,
    10 emails, 5 LinkedIn messages), except the working days inside ``hole``."""
    day = dt.date(2026, 8, 3)
    while day < TODAY:
        in_hole = hole is not None and hole[0] <= day <= hole[1]
        if day.isoweekday() <= 5 and not in_hole:
            when = pendulum.datetime(day.year, day.month, day.day, 9, tz="Europe/Amsterdam")
            for kind, count in (("call", 20), ("email", 10), ("linkedin", 5)):
                store.log_actions(kind, when, count=count)
        day += dt.timedelta(days=1)


async def open_forecast(app: ProspectorApp, pilot: Pilot[Any]) -> ForecastScreen:
    await settle(app, pilot)
    await pilot.press("4")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, ForecastScreen)
    return screen


async def test_key_4_opens_the_forecast_from_today_and_1_goes_back(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        await open_forecast(app, pilot)
        assert app.screen.sub_title == "As of Monday 23 November 2026"
        await pilot.press("1")
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)


async def test_an_october_hole_is_worded_and_the_months_are_tabled(store: Store) -> None:
    log_steady_history(store)
    forecast = store.forecast(TODAY)
    [gap] = forecast.gaps
    assert (gap.start, gap.end, gap.kind) == (*HOLE, "under_target")
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_forecast(app, pilot)
        assert text_of(app, "#headline") == headline(forecast, "EUR")
        assert "The October gap shows up in" in text_of(app, "#headline")
        gaps = text_of(app, "#gaps")
        assert gaps == gap_sentence(gap, "EUR")
        assert gaps.startswith("The 10 working days of 12–23 Oct were 100% under target: about €")
        table = [" ".join(line.split()) for line in text_of(app, "#months").splitlines()]
        assert table[:2] == [
            "Locked At At Revenue",
            "Month in pace target target Gap",
        ]
        assert [row.split()[0] for row in table[2:]] == [
            "November",
            "December",
            "January",
            "February",
            "March",
        ]
        assert table[2].startswith("November (7 days) €")
        march = forecast.months[-1]
        assert table[-1].endswith(f"€25,000 {'€' + format(round(march.gap, -2), ',.0f')}")
        calibration = text_of(app, "#calibration")
        assert calibration.startswith("Values per action are the funnel defaults: Call €75")
        assert calibration.endswith("0 wins in the last year; calibration starts at 3.")
        assert app.screen.query_one("#forecast").display
        assert not app.screen.query_one("#empty").display


async def test_the_charts_get_the_next_120_days_and_the_last_90_days_of_wins(
    store: Store,
) -> None:
    log_steady_history(store)
    store.add_win("12000", None, pendulum.datetime(2026, 11, 2, 15, tz="Europe/Amsterdam"))
    store.add_win("8000", None, pendulum.datetime(2026, 6, 2, 15, tz="Europe/Amsterdam"))
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_forecast(app, pilot)
        outlook = app.screen.query_one(OutlookChart).series
        assert outlook is not None
        assert (outlook.days[0].day, outlook.days[-1].day) == (
            dt.date(2026, 11, 24),
            dt.date(2027, 3, 23),
        )
        assert outlook.daily_target == pytest.approx(25000 * 12 / 365)
        wins = app.screen.query_one(WinsChart)
        assert wins.series is not None
        assert wins.series.wins == ((dt.date(2026, 11, 2), 12000.0),), "June is too old"
        assert wins.border_subtitle == "1 deal, €12,000"
        legend = text_of(app, "#legend")
        for name in ("won", "locked in", "at your pace", "at target", "revenue target"):
            assert name in legend
        rendered = wins.render()
        assert "1 Nov" in str(rendered) and "€10,000" in str(rendered)
        assert "1 Jan" in str(app.screen.query_one(OutlookChart).render())


async def test_a_database_without_actions_explains_instead_of_charting(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_forecast(app, pilot)
        empty = text_of(app, "#empty")
        assert empty.startswith("Nothing to forecast yet.")
        assert "Press 1 for Today" in empty
        assert "prospector log call" in empty
        assert not app.screen.query_one("#forecast").display
        assert not app.screen.query_one("#headline").display, "no invented figures"


async def test_r_recomputes_after_logging_from_a_shell(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_forecast(app, pilot)
        assert not app.screen.query_one("#forecast").display
        log_steady_history(store, hole=None)
        await pilot.press("r")
        await settle(app, pilot)
        assert app.screen.query_one("#forecast").display
        assert text_of(app, "#gaps").startswith("No activity gaps")
        assert text_of(app, "#headline") == headline(store.forecast(TODAY), "EUR")


async def test_coming_back_to_the_forecast_recomputes_it(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_forecast(app, pilot)
        await pilot.press("1")
        await settle(app, pilot)
        log_steady_history(store)
        await pilot.press("4")
        await settle(app, pilot)
        assert "12–23 Oct" in text_of(app, "#gaps")


async def test_at_pace_needs_no_refill_and_says_so(store: Store) -> None:
    log_steady_history(store, hole=None)
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_forecast(app, pilot)
        assert text_of(app, "#recovery").startswith(
            "At your pace every month ahead reaches its revenue target"
        )


async def test_a_shortfall_at_pace_gets_a_recovery_plan(store: Store) -> None:
    log_steady_history(store)
    store.set_setting("revenue_target_month", "60000")
    forecast = store.forecast(TODAY)
    assert forecast.recovery is not None
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_forecast(app, pilot)
        recovery = text_of(app, "#recovery")
        assert "To refill " in recovery
        assert recovery.endswith("a day for the next 10 working days.")


async def test_a_failed_load_becomes_an_error_notification(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(as_of: dt.date | None = None) -> None:
        raise DatabaseError("cannot read p.db: disk I/O error")

    monkeypatch.setattr(store, "forecast", broken)
    app = make_app(store, store.clock)
    notes: list[tuple[str, str]] = []
    monkeypatch.setattr(
        app, "notify", lambda message, **kw: notes.append((message, kw["severity"]))
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        with contextlib.suppress(WorkerFailed):
            await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
        assert ("Could not compute the forecast: cannot read p.db: disk I/O error", "error") in (
            notes
        )


async def test_the_chart_colours_follow_the_theme(store: Store) -> None:
    log_steady_history(store)
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_forecast(app, pilot)
        chart = app.screen.query_one(OutlookChart)
        before = chart.colour("chart--locked")
        app.theme = "nord" if app.theme != "nord" else "gruvbox"
        await pilot.pause()
        await pilot.pause()
        assert chart.colour("chart--locked") != before
        success = Color.parse(app.get_css_variables()["success"])
        assert chart.colour("chart--locked") == success.rgb


def test_the_calibration_shows_both_values_and_the_wins_behind_them() -> None:
    calibration = Calibration(
        wins=7,
        won=141_750,
        projected=155_424,
        scale=0.912,
        weight=0.41,
        default_values={"call": 75.0, "visit": 300.0},
        calibrated_values={"call": 72.3, "visit": 289.1},
    )
    assert calibration_text(calibration, {}, "EUR") == (
        "Calibrated on 7 wins in the last year: you won €141,800 where the rule projected "
        "€155,400 (x0.91, counted at 41% against the defaults). Value per action, "
        "calibrated (default): call €72 (€75), visit €289 (€300)."
    )


def test_chart_axes_are_round_amounts_and_first_days_of_months() -> None:
    assert nice_step(1600) == 500
    assert nice_step(31_000) == 10_000
    assert nice_step(0) == 1
    assert money_ticks(1680, "EUR") == ([0, 500, 1000, 1500], ["€0", "€500", "€1,000", "€1,500"])
    ticks, labels = month_ticks(dt.date(2026, 11, 24), dt.date(2027, 3, 23), TODAY)
    assert labels == ["1 Dec", "1 Jan", "1 Feb", "1 Mar"]
    assert ticks == [8, 39, 70, 98]
