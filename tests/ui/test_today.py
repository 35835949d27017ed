"""The Today screen as a rep meets it: driven with a Pilot, checked on the text it shows."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

import pendulum
import pytest
from textual.content import Content
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Label, ProgressBar, Static
from textual.worker import WorkerFailed

from prospector.clock import FixedClock
from prospector.errors import DatabaseError
from prospector.status import Progress
from prospector.store import Store
from screens.app import ProspectorApp, make_app
from screens.today import TodayScreen, outlook_sentence
from screens.widgets import FigureStrip, TargetTable

SIZE = (120, 40)


def shown(widget: Widget) -> str:
    """The plain text a Static or Label renders, markup and styles stripped."""
    assert isinstance(widget, Static)
    visual = widget.visual
    return visual.plain if isinstance(visual, Content) else str(visual)


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


async def settle(app: ProspectorApp, pilot: Pilot[Any]) -> None:
    """Let the load worker finish and its result reach the widgets."""
    await app.workers.wait_for_complete()
    await pilot.pause()


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
        assert "press r" in text
        assert table(app, "today")["Call"] == "0 / 20"
        assert not app.screen.query_one("#habits").display


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
        bar = app.screen.query_one("#today", TargetTable).query(ProgressBar).first()
        assert (bar.progress, bar.total) == (3, 20)
        assert figures(app)["Streak"] == "2 working days"
        assert figures(app)["Buffer"] == store.status().buffer.describe()
        outlook = shown(app.screen.query_one("#outlook", Static))
        # Friday asked 36 actions; today's target counts once today is over.
        assert outlook == (
            "Your last 30 days are at 14% of target: the next 90 days will feel that gap."
        )


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


async def test_bindings_show_in_the_footer_and_the_command_palette(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        shown_keys = {
            active.binding.id: active.binding.description
            for active in app.screen.active_bindings.values()
            if active.binding.show
        }
        assert shown_keys == {"today.refresh": "Refresh", "app.quit": "Quit"}
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert titles.count("Refresh") == 1
        assert titles.count("Quit") == 1


async def test_ctrl_q_quits(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


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
