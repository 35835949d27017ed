"""The Today screen as a rep meets it: driven with a Pilot, checked on the text it shows."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import threading
from typing import Any

import pendulum
import pytest
from tests_support import settle, shown
from textual.widgets import Input, Label, Static
from textual.worker import WorkerFailed

from prospector.clock import FixedClock
from prospector.coach import headline
from prospector.errors import DatabaseError
from prospector.records import DayAttainment
from prospector.status import Progress
from prospector.store import Store
from screens.app import ProspectorApp, make_app
from screens.block import BlockScreen, PlannedMinutesModal
from screens.today import (
    LOADING_AFTER_SECONDS,
    TodayScreen,
    attainment_caption,
    outlook_sentence,
)
from screens.widgets import (
    AttainmentChart,
    FigureStrip,
    FollowUpTable,
    Meter,
    TargetTable,
    attainment_class,
)

SIZE = (120, 40)
TODAY = dt.date(2026, 11, 23)


def table(app: ProspectorApp, table_id: str) -> dict[str, str]:
    """A target table as ``{label: what the count column shows}``."""
    labels = list(app.screen.query_one(f"#{table_id}", TargetTable).query(Label))
    kinds = [w for w in labels if w.has_class("kind")]
    counts = [w for w in labels if w.has_class("count")]
    return {shown(k): shown(c) for k, c in zip(kinds, counts, strict=True)}


def figures(app: ProspectorApp) -> dict[str, str]:
    """The habit strip as ``{title: value}``."""
    labels = list(app.screen.query_one("#habits", FigureStrip).query(Label))
    titles = [shown(w) for w in labels if w.has_class("title")]
    values = [shown(w) for w in labels if w.has_class("value")]
    return dict(zip(titles, values, strict=True))


def followups(app: ProspectorApp) -> list[str]:
    """The follow-up preview as the rep reads it, one line per row, spaces squeezed."""
    preview = app.screen.query_one("#followups", FollowUpTable)
    lines = app.console.render_lines(preview.render(), app.console.options.update_width(100))
    text = ["".join(segment.text for segment in line) for line in lines]
    return [" ".join(line.split()) for line in text if line.strip()]


async def test_an_empty_database_tells_a_new_rep_how_to_start(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        guide = app.screen.query_one("#guide", Static)
        assert guide.display
        text = shown(guide)
        assert "Nothing is logged yet" in text
        assert "prospector log call" in text
        assert "prospector --demo" in text
        assert "Start a prospecting block       b " in text
        assert "Log one touch, on any screen    ctrl+l " in text
        assert "Set your own targets            3 " in text
        assert "what you log from a shell shows here within two seconds" in text
        assert table(app, "today")["Call"] == "0 / 20"
        for panel in ("#followups", "#habit", "#rolling"):
            assert not app.screen.query_one(panel).display, panel


async def test_logged_calls_count_against_the_call_target(store: Store) -> None:
    store.log_actions("call", pendulum.datetime(2026, 11, 20, 9, tz="Europe/Amsterdam"), count=2)
    store.log_actions("call", count=3)
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert not app.screen.query_one("#guide").display
        today = table(app, "today")
        assert today["Call"] == "3 / 20"
        assert today["Email"] == "0 / 10"
        assert "Visit" not in today, "weekly targets belong to the week table"
        assert table(app, "week")["Visit"] == "0 / 2"
        bar = app.screen.query_one("#today", TargetTable).query(Meter).first()
        assert (bar.progress, bar.total) == (3, 20)
        assert figures(app)["Streak"] == "2 working days"
        assert figures(app)["Buffer"] == store.status().buffer.describe()
        outlook = shown(app.screen.query_one("#outlook", Static))
        # Friday asked 36 actions; today's target counts once today is over.
        assert outlook == (
            "Your last 30 days are at 14% of target: the next 90 days will feel that gap."
        )


def log_history_with_an_october_hole(store: Store) -> None:
    """On the daily targets every working day from 3 Aug to Fri 20 Nov 2026, except
    nothing at all from 12 to 23 October."""
    day = dt.date(2026, 8, 3)
    while day < TODAY:
        if day.isoweekday() <= 5 and not dt.date(2026, 10, 12) <= day <= dt.date(2026, 10, 23):
            when = pendulum.datetime(day.year, day.month, day.day, 9, tz="Europe/Amsterdam")
            for kind, count in (("call", 20), ("email", 10), ("linkedin", 5)):
                store.log_actions(kind, when, count=count)
        day += dt.timedelta(days=1)


async def test_the_30_day_panel_leads_with_the_coach_headline(store: Store) -> None:
    log_history_with_an_october_hole(store)
    expected = headline(store.forecast(TODAY), "EUR")
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        rolling = app.screen.query_one("#rolling")
        assert rolling.border_title == "Last 30 days · next 90"
        said = shown(rolling.query_one("#headline", Static))
        assert said == expected, "the CLI and Today word the forecast the same way"
        assert said.startswith("€") and " locked in for the next 90 days: " in said
        assert "The October gap shows up in" in said
        # The activity behind the money follows: the bar, then what it means.
        assert shown(rolling.query_one("#outlook", Static)).startswith("Your last 30 days are")
        assert [type(w).__name__ for w in rolling.children] == ["Prose", "TargetTable", "Prose"]


async def test_the_headline_names_no_figure_before_anything_is_logged(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        assert screen.figures is not None and screen.figures.headline == ""
        assert not screen.query_one("#headline").display


async def test_refresh_picks_up_an_action_logged_after_opening(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert table(app, "today")["Call"] == "0 / 20"
        store.log_actions("call", count=2)
        await pilot.press("r")
        await settle(app, pilot)
        assert table(app, "today")["Call"] == "2 / 20"
        assert not app.screen.query_one("#guide").display


async def test_a_day_off_today_is_shown_as_such(store: Store) -> None:
    friday = store.today() - dt.timedelta(days=3)
    store.log_actions("call", pendulum.datetime(2026, 11, 20, 11, tz="Europe/Amsterdam"), count=20)
    assert store.status(friday).today["call"].done == 20
    store.add_days_off(store.today(), store.today(), "vacation")
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        banner = shown(app.screen.query_one("#day-off", Static))
        assert banner.startswith("Day off today (vacation).")
        empty = shown(app.screen.query_one("#today", TargetTable).query_one(Static))
        assert empty == "Day off (vacation): nothing is asked today."
        assert figures(app)["Streak"] == "1 working day, frozen today"


async def test_the_header_shows_the_local_date_from_the_injected_clock(tmp_path: Any) -> None:
    # 23:30 UTC on Monday is already Tuesday in Amsterdam.
    late = FixedClock(pendulum.datetime(2026, 11, 23, 23, 30, tz="UTC"))
    store = Store.open(tmp_path / "p.db", clock=late)
    store.set_setting("timezone", "Europe/Amsterdam")
    app = make_app(store, late)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.screen.sub_title == "Tuesday 24 November 2026 · Europe/Amsterdam"
        assert app.screen.query_one("#week").border_title == ("This week · Mon 23 Nov – Sun 29 Nov")
    store.close()


async def test_the_screen_moves_on_when_midnight_passes(tmp_path: Any) -> None:
    clock = FixedClock(pendulum.datetime(2026, 11, 23, 23, 59, tz="Europe/Amsterdam"))
    store = Store.open(tmp_path / "p.db", clock=clock)
    store.set_setting("timezone", "Europe/Amsterdam")
    app = make_app(store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        screen.check_day()
        await settle(app, pilot)
        assert str(screen.sub_title).startswith("Monday 23 November 2026")
        clock.instant = pendulum.datetime(2026, 11, 24, 0, 1, tz="Europe/Amsterdam")
        screen.check_day()
        await settle(app, pilot)
        assert str(screen.sub_title).startswith("Tuesday 24 November 2026")
    store.close()


async def test_a_failed_load_becomes_an_error_notification(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(as_of: dt.date | None = None) -> None:
        raise DatabaseError("cannot read p.db: disk I/O error")

    monkeypatch.setattr(store, "status", broken)
    app = make_app(store, store.clock)
    notes: list[tuple[str, str]] = []
    monkeypatch.setattr(
        app, "notify", lambda message, **kw: notes.append((message, kw["severity"]))
    )
    async with app.run_test(size=SIZE) as pilot:
        with contextlib.suppress(WorkerFailed):  # raised only if the worker is still listed
            await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running, "a failed load must not end the app"
        assert notes == [
            ("Could not read today's figures: cannot read p.db: disk I/O error", "error")
        ]
        assert not app.screen.query_one("#body").loading


async def test_the_chart_shows_each_working_day_and_the_caption_counts_them(
    store: Store,
) -> None:
    # Two weeks of history: 20 calls + 10 emails + 5 LinkedIn (35 asked, plus weekly
    # shares) on most days, a short day, a day with nothing, and a vacation day.
    monday = dt.date(2026, 11, 9)
    days = [monday + dt.timedelta(days=i) for i in range(12) if (i % 7) < 5]
    for day in days:
        when = pendulum.datetime(day.year, day.month, day.day, 9, tz="Europe/Amsterdam")
        if day == dt.date(2026, 11, 11):
            store.log_actions("call", when, count=5)  # under target
        elif day == dt.date(2026, 11, 12):
            continue  # nothing logged: missed
        else:
            for kind, count in (("call", 22), ("email", 10), ("linkedin", 5)):
                store.log_actions(kind, when, count=count)
    store.add_days_off(dt.date(2026, 11, 18), reason="vacation")
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        caption = shown(app.screen.query_one("#attainment-caption", Static))
        # 9 Nov (first action) to Fri 20 Nov: 10 working days, one of them off.
        assert caption == "Last 10 working days: 7 on target, 2 under, 1 off"
        chart = app.screen.query_one("#attainment", AttainmentChart)
        assert [attainment_class(d) for d in chart.days] == [
            "met", "met", "under", "missed", "met", "met", "met", "off", "met", "met",
        ]  # fmt: skip
        lines = chart.render().plain.splitlines()
        assert len(lines) == 4, "three rows of bars and the date axis"
        assert lines[0][21:23] == "░░", "the day off is hatched, full height"
        assert lines[-1].startswith("9 Nov") and "16 Nov" in lines[-1]


def test_the_caption_reads_plainly() -> None:
    day = dt.date(2026, 11, 20)
    assert attainment_caption([DayAttainment(day, 40, 36.0)]) == (
        "Last working day: 1 on target, 0 under"
    )
    assert attainment_caption([DayAttainment(day, 0, 0.0, "sick")], markup=True) == (
        "Last working day: [$success]0 on target[/], [$warning]0 under[/], [$text-muted]1 off[/]"
    )
    assert attainment_caption([]).startswith("From tomorrow, each working day gets a bar")


async def test_the_follow_up_preview_lists_the_most_overdue_first(store: Store) -> None:
    due_today, _ = store.prospect_for("Bram Dekker")
    late, _ = store.prospect_for("Daan Prins")
    later, _ = store.prospect_for("Ingrid Huisman")
    store.update_prospect(late.id, company="Arnhem Energy")
    friday = pendulum.datetime(2026, 11, 20, 9, tz="Europe/Amsterdam")
    store.log_action("call", at=friday, outcome="next_step", prospect_id=due_today.id,
                     next_step_on=TODAY)  # fmt: skip
    for _ in range(2):
        store.log_action("call", at=friday, outcome="next_step", prospect_id=late.id,
                         next_step_on=dt.date(2026, 11, 20))  # fmt: skip
    store.log_action("email", at=friday, outcome="next_step", prospect_id=later.id,
                     next_step_on=dt.date(2026, 12, 1))  # fmt: skip
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert followups(app) == [
            "Prospect Company Due Due on Next touch",
            "Daan Prins Arnhem Energy 3 days late Fri 20 Nov 3rd · agreed step",
            "Bram Dekker — due today Mon 23 Nov 2nd · agreed step",
        ]
        assert app.screen.query_one("#followups").border_title == "Follow-ups due · 2"
        rows = app.screen.query_one("#followups", FollowUpTable).rows
        assert [row.overdue for row in rows] == [True, False]


async def test_the_preview_shows_six_and_counts_the_rest(store: Store) -> None:
    for n in range(9):
        prospect, _ = store.prospect_for(f"Prospect {n}")
        store.log_action("call", outcome="next_step", prospect_id=prospect.id,
                         next_step_on=TODAY - dt.timedelta(days=n))  # fmt: skip
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        lines = followups(app)
        assert [line.split(" —")[0] for line in lines[1:-1]] == [
            f"Prospect {n}" for n in range(8, 2, -1)
        ]
        assert lines[-1] == "+3 more due"


async def test_b_asks_for_the_minutes_then_starts_the_block(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("b")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, PlannedMinutesModal)
        assert modal.query_one(Input).value == "60", "the block_minutes setting"
        await pilot.press("enter")
        await settle(app, pilot)
        block = app.screen
        assert isinstance(block, BlockScreen)
        assert block.planned_minutes == 60
        assert store.open_block() is not None
        await pilot.press("c", "n")  # a call, no answer
        await settle(app, pilot)
        await pilot.press("ctrl+e")  # end the block: its summary, then back to Today
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        assert table(app, "today")["Call"] == "1 / 20", "Today reloads once the block ends"


async def test_escape_in_the_minutes_modal_starts_no_block(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("b")
        await pilot.pause()
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        assert store.open_block() is None


async def test_b_does_nothing_until_the_figures_are_in(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        screen.figures = None  # as while the first load is under way
        await pilot.press("b")
        await pilot.pause()
        assert app.screen is screen, "no block without the block length setting"


async def test_a_slow_first_load_shows_the_loading_indicator(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    status = store.status
    release = threading.Event()

    def slow(as_of: dt.date | None = None) -> Any:
        release.wait(5)
        return status(as_of)

    monkeypatch.setattr(store, "status", slow)
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        body = app.screen.query_one("#body")
        assert not body.display or body.loading, "no empty boxes before the figures"
        await asyncio.sleep(LOADING_AFTER_SECONDS + 0.2)
        await pilot.pause()
        assert body.display and body.loading
        release.set()
        await settle(app, pilot)
        assert not body.loading
        assert table(app, "today")["Call"] == "0 / 20"


@pytest.mark.parametrize(
    ("done", "target", "sentence"),
    [
        (
            656,
            800,
            "Your last 30 days are at 82% of target: the next 90 days will feel that gap.",
        ),
        (
            557,
            800,
            "Your last 30 days are at 70% of target: the next 90 days will feel that gap.",
        ),
        (
            799,
            800,
            "Your last 30 days are at 99% of target: the next 90 days will feel that gap.",
        ),
        (
            820,
            800,
            "Your last 30 days are on target (102%): that work pays off over the next 90 days.",
        ),
        (
            0,
            0,
            "No target has fallen due in the last 30 days yet (today's counts once the day "
            "is over). What you log now pays off over the next 90 days.",
        ),
    ],
)
def test_the_outlook_is_one_plain_sentence(done: int, target: float, sentence: str) -> None:
    assert outlook_sentence(Progress(done, target), 90) == sentence
