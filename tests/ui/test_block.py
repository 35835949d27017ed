"""The prospecting block as a rep works it: keys pressed with a Pilot, rows checked in the
store, counts checked on screen and in the summary."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pendulum
import pytest
from tests_support import settle, shown
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Digits, Input, Label, OptionList, Static

from prospector.clock import FixedClock
from prospector.errors import DatabaseError
from prospector.store import Store
from screens.app import ProspectorApp, make_app
from screens.block import BlockScreen, BlockSummaryModal, CounterTable, PlannedMinutesModal
from screens.logging import LogPad, NextStepModal, NoteModal, ProspectSearchModal, ReferralModal
from screens.today import TodayScreen
from screens.widgets import TargetTable

SIZE = (120, 40)
TODAY = dt.date(2026, 11, 23)


def text_of(app: ProspectorApp, selector: str) -> str:
    return shown(app.screen.query_one(selector, Static))


def table(screen: Widget, selector: str) -> dict[str, str]:
    """A target table as ``{label: what the count column shows}``."""
    counters = screen.query_one(selector)
    if isinstance(counters, CounterTable):
        return counters.shown()
    labels = list(screen.query_one(selector, TargetTable).query(Label))
    kinds = [w for w in labels if w.has_class("kind")]
    counts = [w for w in labels if w.has_class("count")]
    return {shown(k): shown(c) for k, c in zip(kinds, counts, strict=True)}


async def press(app: ProspectorApp, pilot: Pilot[Any], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(app, pilot)


async def start(
    app: ProspectorApp, pilot: Pilot[Any], store: Store, minutes: int = 45
) -> BlockScreen:
    await settle(app, pilot)
    screen = BlockScreen(store, store.clock, minutes)
    await app.push_screen(screen)
    await settle(app, pilot)
    assert app.screen is screen
    return screen


async def test_a_whole_block_from_start_to_summary(store: Store) -> None:
    anna = store.add_prospect("Anna de Vries", company="Acme BV")
    assert anna.id is not None
    store.update_prospect(anna.id, next_touch_on=TODAY - dt.timedelta(days=2))
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(app, pilot, store, 45)
        block = store.open_block()
        assert block is not None and block.planned_minutes == 45
        assert screen.query_one("#timer", Digits).value == "00:00"
        assert text_of(app, "#plan") == "of 45 min planned · 45 min left"
        assert table(screen, "#today")["Call"] == "0 / 20"

        # 1. A no-answer call: two keys, no prospect.
        await press(app, pilot, "c", "n")
        assert text_of(app, "#status") == "Saved: call, no response, 10:00"
        assert table(screen, "#today")["Call"] == "1 / 20"

        # 2. The next follow-up due, then an email that got a reply.
        await press(app, pilot, "p")
        assert "Anna de Vries" in text_of(app, "#prospect")
        assert "2 days overdue" in text_of(app, "#prospect")
        await press(app, pilot, "e", "s")
        assert text_of(app, "#status") == "Saved: email, conversation, 10:00 with Anna de Vries"
        assert "1 touch ·" in text_of(app, "#prospect")

        # 3. A new prospect added inline from the search, and a next step with a date.
        await press(app, pilot, "slash")
        assert isinstance(app.screen, ProspectSearchModal)
        await pilot.press(*"Bram Smit")
        await settle(app, pilot)
        options = app.screen.query_one(OptionList)
        assert options.option_count == 1
        assert "Add new prospect “Bram Smit”" in str(options.get_option_at_index(0).prompt)
        await press(app, pilot, "enter")
        assert app.screen is screen
        assert text_of(app, "#prospect").startswith("Bram Smit")
        await press(app, pilot, "c", "x")
        assert isinstance(app.screen, NextStepModal)
        await pilot.press("plus", "3")
        assert shown(app.screen.query_one("#resolved", Label)) == (
            "→ Thursday 26 November 2026 (in 3 days)"
        )
        await press(app, pilot, "enter")
        assert text_of(app, "#status") == (
            "Saved: call, next step on Thu 26 Nov, 10:00 with Bram Smit"
        )

        # 4. An existing prospect picked by type-ahead search, and a meeting set.
        await press(app, pilot, "slash")
        await pilot.press(*"anna")
        await settle(app, pilot)
        options = app.screen.query_one(OptionList)
        assert options.option_count == 2, "Anna de Vries, then the offer to add “anna”"
        assert "Anna de Vries" in str(options.get_option_at_index(0).prompt)
        await press(app, pilot, "enter")
        assert text_of(app, "#prospect").startswith("Anna de Vries")
        await press(app, pilot, "l", "m")

        # 5. No prospect again, and a referral ask that got a name.
        await press(app, pilot, "backspace")
        assert text_of(app, "#prospect").startswith("None")
        await press(app, pilot, "r", "f")
        assert isinstance(app.screen, ReferralModal), "who was the name?"
        await press(app, pilot, "escape")  # taken down later
        assert text_of(app, "#status") == "Saved: referral ask, referral received, 10:00"
        assert screen.query_one("#tally").border_title == "This block · 5 touches"

        # Undo the referral ask: it says which one it undid.
        await press(app, pilot, "u")
        assert text_of(app, "#status") == "Undid: referral ask, referral received, 10:00"
        assert screen.query_one("#tally").border_title == "This block · 4 touches"

        # A note on the last touch, and an interruption.
        await press(app, pilot, "a")
        assert isinstance(app.screen, NoteModal)
        await pilot.press(*"wants a demo")
        await press(app, pilot, "enter")
        assert text_of(app, "#status") == (
            "Note saved on: LinkedIn message, meeting set, 10:00 with Anna de Vries"
        )
        assert "“wants a demo”" in text_of(app, "#log")
        await press(app, pilot, "i")
        assert text_of(app, "#interruptions") == "1 interruption"

        tally = text_of(app, "#tally")
        assert "Call           2" in tally
        assert "Step or stop: 2 of 3 contacts · 1 in limbo" in tally
        today = table(screen, "#today")
        assert (today["Call"], today["Email"], today["LinkedIn"]) == ("2 / 20", "1 / 10", "1 / 5")
        assert "Referral ask" in today and today["Referral ask"] == "0"

        # The database holds exactly the four touches, in this block.
        assert block.id is not None
        rows = store.recent_actions(block_id=block.id)
        assert [(r.kind, r.outcome) for r in reversed(rows)] == [
            ("call", "no_response"),
            ("email", "conversation"),
            ("call", "next_step"),
            ("linkedin", "meeting"),
        ]
        assert store.action_count() == 4
        bram = store.find_prospect("Bram Smit")
        assert bram is not None and bram.next_touch_on == dt.date(2026, 11, 26)
        assert (rows[0].kind, rows[0].prospect_id, rows[0].note) == (
            "linkedin",
            anna.id,
            "wants a demo",
        )
        assert rows[-1].prospect_id is None and rows[-1].note == ""

        # End the block: the summary, then back to Today.
        await press(app, pilot, "ctrl+e")
        summary = app.screen
        assert isinstance(summary, BlockSummaryModal)
        assert shown(summary.query_one("#headline", Static)) == (
            "4 touches in 0 of 45 planned minutes · 1 interruption"
        )
        lines = shown(summary.query_one("#summary-tally", Static)).splitlines()
        assert lines[1:5] == [
            "Call           2   No response         1",
            "Email          1   Conversation        1",
            "LinkedIn       1   Next step           1",
            "                   Meeting set         1",
        ]
        assert table(summary, "#summary-today")["Call"] == "2 / 20"
        assert store.open_block() is None
        ended = store.block_summary(block.id)
        assert ended.ended and ended.interruptions == 1 and ended.actions == 4
        await press(app, pilot, "enter")
        assert isinstance(app.screen, TodayScreen)


async def test_a_bad_next_step_date_is_refused_inline_and_nothing_is_saved(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(app, pilot, store)
        await press(app, pilot, "c", "x")
        modal = app.screen
        assert isinstance(modal, NextStepModal)
        await pilot.press(*"someday")
        await press(app, pilot, "enter")
        assert app.screen is modal, "a bad date keeps the modal open"
        error = modal.query_one("#resolved", Label)
        assert error.has_class("-error")
        assert shown(error).startswith("Cannot read 'someday' as a date")
        await pilot.press("home", "ctrl+k", *"2026-11-20")
        await press(app, pilot, "enter")
        assert shown(error) == "Fri 20 Nov 2026 is in the past; a next step lies ahead"
        await press(app, pilot, "escape")
        assert app.screen is screen
        pad = screen.query_one(LogPad)
        assert pad.pending is not None and pad.pending.key == "call", "back at the outcome keys"
        await press(app, pilot, "escape")
        assert pad.pending is None
        assert store.action_count() == 0
        assert text_of(app, "#status") == ""


async def test_escape_after_a_kind_key_saves_nothing(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(app, pilot, store)
        pad = screen.query_one(LogPad)
        await press(app, pilot, "e")
        assert pad.has_class("-pending")
        assert pad.border_title == "Email: how did it go?"
        assert "n No response" in shown(pad)
        await press(app, pilot, "escape")
        assert not pad.has_class("-pending")
        await press(app, pilot, "n")
        assert store.action_count() == 0
        await press(app, pilot, "escape")
        assert app.screen is screen, "escape with nothing pending does not end the block"
        assert text_of(app, "#status") == "Nothing to cancel. ^e ends the block."


async def test_undo_goes_back_one_touch_at_a_time(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot, store)
        await press(app, pilot, "c", "n", "e", "n")
        assert store.action_count() == 2
        await press(app, pilot, "u")
        assert text_of(app, "#status") == "Undid: email, no response, 10:00"
        await press(app, pilot, "u")
        assert text_of(app, "#status") == "Undid: call, no response, 10:00"
        await press(app, pilot, "u")
        assert text_of(app, "#status") == "Nothing to undo in this block."
        assert store.action_count() == 0
        assert text_of(app, "#log") == "Touches appear here once saved."


async def test_undo_leaves_touches_from_before_the_block_alone(store: Store) -> None:
    store.log_action("call")
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(app, pilot, store)
        assert table(screen, "#today")["Call"] == "1 / 20"
        await press(app, pilot, "u")
        assert text_of(app, "#status") == "Nothing to undo in this block."
        assert store.action_count() == 1


async def test_a_failed_save_is_an_error_and_not_shown_as_logged(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(kind: str, **fields: Any) -> None:
        raise DatabaseError("cannot write p.db: disk is full")

    app = make_app(store, store.clock)
    notes: list[tuple[str, str]] = []
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(app, pilot, store)
        monkeypatch.setattr(store, "log_action", broken)
        monkeypatch.setattr(
            screen, "notify", lambda message, **kw: notes.append((message, kw["severity"]))
        )
        await press(app, pilot, "c", "n")
        assert notes == [("Could not save the call: cannot write p.db: disk is full", "error")]
        assert text_of(app, "#log") == "Touches appear here once saved."
        assert table(screen, "#today")["Call"] == "0 / 20"
        assert text_of(app, "#status") == ""
        assert app.is_running


async def test_the_timer_counts_against_the_plan(tmp_path: Any) -> None:
    clock = FixedClock(pendulum.datetime(2026, 11, 23, 10, 0, tz="Europe/Amsterdam"))
    store = Store.open(tmp_path / "p.db", clock=clock)
    app = make_app(store, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(app, pilot, store, 30)
        clock.instant = clock.instant.add(minutes=12, seconds=5)
        screen.tick()
        await pilot.pause()
        assert screen.query_one("#timer", Digits).value == "12:05"
        assert text_of(app, "#plan") == "of 30 min planned · 18 min left"
        clock.instant = clock.instant.add(minutes=20)
        screen.tick()
        await pilot.pause()
        assert screen.query_one("#timer", Digits).value == "32:05"
        assert text_of(app, "#plan") == "2 min over the 30 planned"
        assert screen.query_one("#clock").has_class("-over")
        await press(app, pilot, "ctrl+e")
        assert shown(app.screen.query_one("#headline", Static)) == (
            "0 touches in 32 of 30 planned minutes · no interruptions"
        )
    store.close()


async def test_next_due_walks_the_follow_up_queue(store: Store) -> None:
    for name, late in (("Anna", 3), ("Bram", 1), ("Cees", 0), ("Dirk", -2)):
        row = store.add_prospect(name)
        assert row.id is not None
        store.update_prospect(row.id, next_touch_on=TODAY - dt.timedelta(days=late))
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot, store)
        assert "p next follow-up (3 due)" in text_of(app, "#prospect")
        await press(app, pilot, "p")
        assert text_of(app, "#prospect").startswith("Anna")
        assert text_of(app, "#status") == "Follow-up 1 of 3 due."
        await press(app, pilot, "c", "x", *"fri", "enter")
        await press(app, pilot, "p")
        assert text_of(app, "#prospect").startswith("Bram"), "Anna is no longer due"
        await press(app, pilot, "p")
        assert text_of(app, "#prospect").startswith("Cees")
        assert "next touch due today" in text_of(app, "#prospect")
        await press(app, pilot, "p")
        assert text_of(app, "#prospect").startswith("Bram"), "round again, skipping Cees"


async def test_the_search_adds_no_duplicate_and_escape_keeps_the_prospect(store: Store) -> None:
    store.add_prospect("Anna de Vries", company="Acme BV")
    store.add_prospect("Annemieke Bos", company="Bos & Zn")
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(app, pilot, store)
        await press(app, pilot, "slash")
        await pilot.press(*"acme")
        await settle(app, pilot)
        options = app.screen.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert len(prompts) == 2 and "Anna de Vries" in prompts[0]
        assert "Add new prospect “acme”" in prompts[1]
        await press(app, pilot, "escape")
        assert app.screen is screen
        assert text_of(app, "#prospect").startswith("None")
        await press(app, pilot, "slash")
        await pilot.press(*"ann")
        await settle(app, pilot)
        await press(app, pilot, "down", "enter")
        assert text_of(app, "#prospect").startswith("Annemieke Bos")
        assert len(store.prospects()) == 2


async def test_the_block_keys_show_in_the_footer_with_tooltips(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot, store)
        shown_ids = {
            active.binding.id
            for active in app.screen.active_bindings.values()
            if active.binding.show
        }
        assert {
            "block.find_prospect",
            "block.next_prospect",
            "block.clear_prospect",
            "block.note",
            "block.interruption",
            "block.undo",
            "block.end",
        } <= shown_ids
        for active in app.screen.active_bindings.values():
            if (active.binding.id or "").startswith("block."):
                assert active.binding.tooltip, f"{active.binding.id} needs a tooltip"


async def test_planned_minutes_are_asked_with_an_inline_error(store: Store) -> None:
    app = make_app(store, store.clock)
    results: list[int | None] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await app.push_screen(PlannedMinutesModal(store.settings().block_minutes), results.append)
        await pilot.pause()
        modal = app.screen
        assert modal.query_one(Input).value == "60"
        await press(app, pilot, *"abc", "enter")
        assert shown(modal.query_one("#hint", Label)) == (
            "“abc” is not a whole number of minutes; type e.g. 60"
        )
        for typed in ("٤٥", "+45", "4_5"):  # int() would take each of these
            await press(app, pilot, "home", "ctrl+k", *typed, "enter")
            assert shown(modal.query_one("#hint", Label)) == (
                f"“{typed}” is not a whole number of minutes; type e.g. 60"
            )
        await press(app, pilot, "home", "ctrl+k", *"900", "enter")
        assert shown(modal.query_one("#hint", Label)) == "A block lasts 1 to 600 minutes, not 900"
        assert app.screen is modal and results == []
        await press(app, pilot, "home", "ctrl+k", *"45", "enter")
        assert results == [45]
        await app.push_screen(PlannedMinutesModal(60), results.append)
        await press(app, pilot, "escape")
        assert results == [45, None]


async def test_the_counters_catch_up_with_touches_logged_elsewhere(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(app, pilot, store)
        await press(app, pilot, "c", "n")
        assert table(screen, "#today")["Call"] == "1 / 20", "counted at once from the commit"
        store.log_actions("call", count=3)  # e.g. `prospector log call --count 3` in a shell
        await press(app, pilot, "c", "n")
        # The store is re-read once typing pauses (or a second later, when the file
        # changed): however busy the machine, the three from elsewhere arrive.
        deadline = time.monotonic() + 10
        while table(screen, "#today")["Call"] != "5 / 20" and time.monotonic() < deadline:
            await pilot.pause(0.1)
            await settle(app, pilot)
        assert table(screen, "#today")["Call"] == "5 / 20"


async def test_quick_log_in_a_block_points_at_the_pad(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(app, pilot, store)
        await press(app, pilot, "ctrl+l")
        assert app.screen is screen
        assert text_of(app, "#status").startswith("In a block, just press a kind key")


async def test_a_referral_in_a_block_asks_who_and_escape_skips(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(app, pilot, store)
        await press(app, pilot, "c", "f")
        assert isinstance(app.screen, ReferralModal)
        await press(app, pilot, "escape")
        assert app.screen is screen
        assert store.prospects() == [], "skipping adds nobody"
        assert [a.outcome for a in store.recent_actions()] == ["referral"], "the touch is kept"
