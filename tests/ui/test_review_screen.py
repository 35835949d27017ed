"""The Review screen, driven by keys as a rep would: weeks, reflection, commitments."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests_support import at_local, settle, shown
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Input

from prospector import review as rv
from prospector.store import Store
from screens.app import ProspectorApp, make_app
from screens.review import (
    ReviewScreen,
    bars,
    day_grid,
    hours_chart,
    last_week_text,
    limbo_text,
    trend_chart,
)

SIZE = (120, 40)


def plain(markup: str) -> str:
    return Content.from_markup(markup).plain


async def open_review(app: ProspectorApp, pilot: Pilot[Any]) -> ReviewScreen:
    await settle(app, pilot)
    await pilot.press("6")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


def text_of(app: ProspectorApp, selector: str) -> str:
    return shown(app.screen.query_one(selector))


@pytest.fixture
def history(store: Store) -> dict[str, int]:
    """A week 47 of calls and a visit, a sick Tuesday, a conversation in limbo, a win."""
    cor = store.add_prospect("Cor de Wit", "Delta BV").id or 0
    bas = store.add_prospect("Bas Hendriks", source="existing_customer").id or 0
    store.log_actions("call", at=at_local(2026, 11, 13, 9), count=20)
    store.log_actions("call", at=at_local(2026, 11, 16, 9), count=22)
    store.log_actions("call", at=at_local(2026, 11, 16, 9), outcome="conversation", prospect_id=cor)
    store.add_days_off(dt.date(2026, 11, 17), reason="sick")
    store.log_actions("call", at=at_local(2026, 11, 18, 14), count=5)
    store.log_actions("visit", at=at_local(2026, 11, 19, 11), outcome="meeting", prospect_id=bas)
    store.add_win("12000", bas, at=at_local(2026, 11, 19, 16))
    return {"cor": cor, "bas": bas}


async def test_six_opens_the_last_complete_week(store: Store, history: dict[str, int]) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(app, pilot)
        assert screen.sub_title == "2026-W47 · 16–22 Nov 2026"
        grid = text_of(app, "#grid").splitlines()
        assert grid[0].split() == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Week"]
        assert grid[2].split() == ["Call", "23", "-", "5", "0", "0", "-", "-", "28/80"]
        assert grid[-1].split() == ["Day", "off", "sick"]
        summary = text_of(app, "#summary")
        assert summary.startswith("29 of ")
        assert "No reflection yet: w to write it." in summary
        step = text_of(app, "#step").splitlines()
        assert step[0] == "50% step or stop"
        assert step[1] == "2 contacts: 1 ended in a step, 0 in a stop; 1 is still in limbo."
        assert "Cor de Wit, Delta BV" in text_of(app, "#in-limbo")
        assert "Won €12,000" in text_of(app, "#customers")
        assert "This week adds about" in text_of(app, "#effect")
        assert "busiest hour 9:00–10:00" in text_of(app, "#hours").replace("\n", " ")
        assert "W47" in text_of(app, "#trend")
        assert not app.screen.query_one("#last-week").display


async def test_brackets_move_between_weeks_never_past_the_current_one(
    store: Store, history: dict[str, int]
) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(app, pilot)
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        assert screen.sub_title.startswith("2026-W46")
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(app, pilot)
        assert screen.sub_title.startswith("2026-W44"), "quick presses add up"
        for _ in range(6):
            await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert screen.sub_title == "2026-W48 · 23–29 Nov 2026", "the current week, no further"
        assert "the week so far" in str(screen.query_one("#grid").border_subtitle)
        assert screen.check_action("week", (1,)) is None, "] is shown disabled"
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert screen.sub_title.startswith("2026-W48")


async def test_the_reflection_is_saved_on_enter_and_on_leaving_a_field(
    store: Store, history: dict[str, int]
) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(app, pilot)
        await pilot.press("w")
        await pilot.pause()
        assert screen.focused is screen.query_one("#went_well", Input)
        await pilot.press(*"Blocks [early] y n 6", "enter")
        await settle(app, pilot)
        saved = store.review("2026-W47")
        assert saved is not None and saved.went_well == "Blocks [early] y n 6"
        assert screen.sub_title.startswith("2026-W47"), "keys typed in a field stay there"
        assert screen.focused is screen.query_one("#got_in_the_way", Input), "Enter moves on"
        await pilot.press(*"Sick on Tuesday", "escape")
        await settle(app, pilot)
        saved = store.review("2026-W47")
        assert saved is not None and saved.got_in_the_way == "Sick on Tuesday", "saved on leaving"
        assert not isinstance(screen.focused, Input), "escape leaves the field"
        assert saved.figures is not None and saved.figures["week"] == "2026-W47"
        assert "Reflection written." in text_of(app, "#summary")
        assert "Saved at 10:00 on Mon 23 Nov." in text_of(app, "#saved")
        await pilot.press("w")
        await settle(app, pilot)  # a reload the saves above set off may land meanwhile
        assert screen.focused is screen.query_one("#commitments", Input), "the first empty one"
        await pilot.press(*"Call Cor on Monday", "enter")
        await settle(app, pilot)
        saved = store.review("2026-W47")
        assert saved is not None and saved.commitments == "Call Cor on Monday"
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        assert screen.query_one("#went_well", Input).value == "", "W46 has its own reflection"
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert screen.query_one("#went_well", Input).value == "Blocks [early] y n 6"


async def test_next_week_asks_whether_last_weeks_commitments_were_kept(
    store: Store, history: dict[str, int]
) -> None:
    rv.save_reflection(store, rv.build_review(store), commitments="Settle Cor by Tuesday")
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(app, pilot)
        assert screen.check_action("kept", (True,)) is False, "W46 holds no commitments"
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        line = text_of(app, "#last-week")
        assert line.startswith("Last week (2026-W47) you committed to: Settle Cor by Tuesday")
        assert "Kept? y yes · n no" in line
        await pilot.press("y")
        await settle(app, pilot)
        kept = store.review("2026-W47")
        assert kept is not None and kept.commitments_kept is True
        assert "Kept." in text_of(app, "#last-week")
        await pilot.press("n")
        await settle(app, pilot)
        kept = store.review("2026-W47")
        assert kept is not None and kept.commitments_kept is False
        assert "Not kept." in text_of(app, "#last-week")


async def test_coming_back_to_the_review_reloads_it(store: Store, history: dict[str, int]) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(app, pilot)
        store.log_actions("call", at=at_local(2026, 11, 20, 9), count=4)
        await pilot.press("1")
        await settle(app, pilot)
        await pilot.press("6")
        await settle(app, pilot)
        grid = text_of(app, "#grid").splitlines()
        assert grid[2].split()[5] == "4", "Friday's late calls"


def test_the_markup_helpers_render_what_they_say(store: Store, history: dict[str, int]) -> None:
    review = rv.build_review(store)
    grid = plain(day_grid(review)).splitlines()
    assert grid[1].split() == [str(n) for n in range(16, 23)]
    assert "[$success]" in day_grid(review) and "[$error]" in day_grid(review)
    trend = plain(trend_chart(review)).splitlines()
    assert trend[0].split() == [f"W{n}" for n in range(40, 48)]
    assert trend[-1].split()[0] == "Streak"
    hours = plain(hours_chart(review.hours)).splitlines()
    assert hours[3].split() == ["8", "10", "12", "14", "16", "18"]
    assert bars([1.0, None, 0.5, 0.75], 2, 3) == ["██       ▄▄", "██    ██ ██"]
    assert "Cor de Wit, Delta BV" in plain(limbo_text(review))
    assert last_week_text(review) == ""
