"""The Follow-ups screen and Today's limbo panel, driven by keys as a rep would."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from rich.console import Console
from rich.table import Table
from tests_support import TODAY, at_local, settle
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from prospector.followup import depth
from prospector.records import HuntingSplit, Referrals, SourceRow
from prospector.store import Store
from screens.app import ProspectorApp, make_app
from screens.followups import (
    FollowUpsScreen,
    depth_table,
    early_sentence,
    hunting_sentence,
    hunting_table,
    left_table,
    referral_sentence,
    sources_table,
)
from screens.limbo import ResolveModal
from screens.logging import NextStepModal
from screens.quick_log import QuickLogModal
from screens.today import TodayScreen

SIZE = (120, 40)


def cells(app: ProspectorApp, table_id: str) -> list[list[str]]:
    table = app.screen.query_one(table_id, DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


@pytest.fixture
def book(store: Store) -> dict[str, int]:
    """Three prospects: one due (a step agreed for Friday), one in limbo, one new."""
    due = store.add_prospect("Anna Smit", "Groningen AgriTech", est_value=12000)
    talk = store.add_prospect("Bas Hendriks", "Noordkade Logistiek")
    new = store.add_prospect("Cor de Wit", "Delta BV")
    store.log_action(
        "call",
        at=at_local(2026, 11, 18),
        prospect_id=due.id,
        outcome="next_step",
        next_step_on=dt.date(2026, 11, 20),
    )
    conversation = store.log_action(
        "call",
        at=at_local(2026, 11, 19),
        prospect_id=talk.id,
        outcome="conversation",
        note="Call back after their board meeting",
    )
    return {
        "anna": due.id or 0,
        "bas": talk.id or 0,
        "cor": new.id or 0,
        "talk": conversation.id or 0,
    }


async def open_followups(app: ProspectorApp, pilot: Pilot[Any]) -> FollowUpsScreen:
    await settle(app, pilot)
    await pilot.press("5")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, FollowUpsScreen)
    return screen


async def test_the_queue_and_limbo_are_listed_in_order(store: Store, book: dict[str, int]) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_followups(app, pilot)
        assert cells(app, "#queue") == [
            ["Anna Smit", "Groningen AgriTech", "3 days late", "2nd · agreed step", "€12,000"],
            ["Bas Hendriks", "Noordkade Logistiek", "3 days late", "2nd · Email", ""],
            ["Cor de Wit", "Delta BV", "due today", "1st · Call", ""],
        ]
        assert cells(app, "#limbo") == [
            [
                "Bas Hendriks",
                "Noordkade Logistiek",
                "Call · Thu 19 Nov",
                "4",
                "Call back after their board m…",  # clipped: the whole note is in Prospects
            ]
        ]


async def test_x_records_a_next_step_for_the_conversation_in_limbo(
    store: Store, book: dict[str, int]
) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_followups(app, pilot)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, NextStepModal)
        await pilot.press(*"2026-11-30", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, FollowUpsScreen)
        assert cells(app, "#limbo") == []
        assert store.limbo() == []
        bas = store.prospect(book["bas"])
        assert (bas.next_touch_on, bas.next_reason) == (dt.date(2026, 11, 30), "committed")
        assert "Bas Hendriks" not in [row[0] for row in cells(app, "#queue")]


async def test_k_stops_the_prospect_of_the_conversation(store: Store, book: dict[str, int]) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_followups(app, pilot)
        await pilot.press("k")
        await settle(app, pilot)
        assert store.prospect(book["bas"]).stopped
        assert [a.outcome for a in store.prospect_history(book["bas"])] == ["stop"]
        assert cells(app, "#limbo") == []


async def test_enter_on_a_due_prospect_logs_a_touch_with_them(
    store: Store, book: dict[str, int]
) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_followups(app, pilot)
        screen.query_one("#queue", DataTable).focus()
        await pilot.press("down", "down", "enter")  # Cor de Wit, never touched
        await pilot.pause()
        assert isinstance(app.screen, QuickLogModal)
        await pilot.press("c", "n")
        await settle(app, pilot)
        assert isinstance(app.screen, FollowUpsScreen)
        cor = store.prospect(book["cor"])
        assert cor.touch_count == 1 and cor.last_touch_on == TODAY
        assert cor.next_touch_on == dt.date(2026, 11, 24) and cor.next_kind == "email"
        assert "Cor de Wit" not in [row[0] for row in cells(app, "#queue")]


async def test_today_lists_limbo_and_s_resolves_the_oldest(
    store: Store, book: dict[str, int]
) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        panel = app.screen.query_one("#limbo", Static)
        text = str(panel.render())
        assert "Bas Hendriks · call on Thu 19 Nov, 4 days ago" in text
        assert "s resolves the oldest" in text
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ResolveModal)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, NextStepModal)
        await pilot.press(*"+2", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        assert store.limbo() == []
        assert not app.screen.query_one("#limbo").display, "the panel hides once empty"
        assert store.prospect(book["bas"]).next_touch_on == dt.date(2026, 11, 25)


async def test_s_is_not_offered_without_a_conversation_in_limbo(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        keys = {b.binding.key for b in app.screen.active_bindings.values() if b.binding.show}
        assert "b" in keys and "s" not in keys


def plain(table: Table) -> list[str]:
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(table)
    return [line.rstrip() for line in console.export_text().splitlines()]


def test_the_depth_view_sets_the_rep_beside_the_reference() -> None:
    result = depth([("abandoned", 1, 10000.0), ("abandoned", 2, None), ("stopped", 6, None)])
    assert plain(depth_table(result))[4] == "Abandoned  0  1  1  0  0     0    0"
    assert plain(left_table(result)) == [
        "Left after  You  Reps (reference)",
        "1 touch     33%               48%",
        "2 touches   33%               25%",
        "3 touches    0%               12%",
        "4 or more   33%               10%",
    ]
    sentence = early_sentence(result, "EUR")
    assert "2 prospects given up early" in sentence
    assert "96% of sales after the touch they were left at" in sentence
    assert "About €9,800 of estimated deal value" in sentence
    assert "Nobody given up early" in early_sentence(depth([("won", 7, None)]), "EUR")


async def test_the_prospects_given_up_early_are_named(store: Store) -> None:
    lukas = store.add_prospect("Lukas Yilmaz")
    for day in (1, 2):
        store.log_action("call", at=at_local(2026, 9, day), prospect_id=lukas.id)
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_followups(app, pilot)
        names = str(app.screen.query_one("#early-names", Static).render())
        assert names == "Given up early: Lukas Yilmaz (2 touches)."
        assert "1 prospect given up early" in str(app.screen.query_one("#early", Static).render())


def test_sources_referrals_and_hunting_are_worded_for_the_rep() -> None:
    assert plain(sources_table([SourceRow("cold", 10, 3, 1), SourceRow("event", 0, 0, 0)])) == [
        "Source  Prospects  Meetings  Won  Won %",
        "Cold           10         3    1    10%",
        "Event           0         0    0      —",
    ]
    assert "No referral asked for lately" in referral_sentence(Referrals(0, 0, 2, 1))
    assert "3 referral asks, 1 referral received" in referral_sentence(Referrals(3, 1, 2, 1))
    split = HuntingSplit(TODAY, TODAY, 30, 10, 300.0, 100.0, 45, 120)
    assert plain(hunting_table(split))[1] == "New customers       30    75%      300"
    assert hunting_sentence(split).startswith(
        "This week: [b $warning]45 of 120[/] new-customer actions (38%)"
    )
