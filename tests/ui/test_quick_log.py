"""Quick log, and the one-key flow it shares with the block: the keys, the next-step date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests_support import settle, shown
from textual.pilot import Pilot
from textual.widgets import Label

from prospector.errors import InvalidInput
from prospector.models import Action
from prospector.store import Store
from screens.app import ProspectorApp, make_app
from screens.logging import LogPad, NextStepModal, ReferralModal, parse_step_date
from screens.quick_log import QuickLogModal

SIZE = (120, 40)

MONDAY = dt.date(2026, 11, 23)


async def open_quick_log(
    app: ProspectorApp, pilot: Pilot[Any], store: Store
) -> tuple[QuickLogModal, list[Action | None]]:
    await settle(app, pilot)
    results: list[Action | None] = []
    modal = QuickLogModal(store, store.clock)
    await app.push_screen(modal, results.append)
    await pilot.pause()
    return modal, results


async def test_quick_log_saves_one_action_with_no_block(store: Store) -> None:
    app = make_app(store, store.clock)
    notes: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        app.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
        modal, results = await open_quick_log(app, pilot, store)
        await pilot.press("e")
        assert modal.query_one(LogPad).border_title == "Email: how did it go?"
        await pilot.press("n")
        await settle(app, pilot)
        assert app.screen is not modal
        assert len(results) == 1 and results[0] is not None
        saved = results[0]
        assert (saved.kind, saved.outcome, saved.block_id) == ("email", "no_response", None)
        rows = store.recent_actions()
        assert [(r.id, r.block_id) for r in rows] == [(saved.id, None)]
        assert notes == ["Logged: email, no response, 10:00 · 1 / 10 emails today"]


async def test_quick_log_asks_the_date_of_a_next_step_and_can_attach_a_prospect(
    store: Store,
) -> None:
    store.add_prospect("Anna de Vries")
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        _, results = await open_quick_log(app, pilot, store)
        await pilot.press("slash", *"anna")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("v", "x")
        assert isinstance(app.screen, NextStepModal)
        await pilot.press(*"tomorrow", "enter")
        await settle(app, pilot)
        saved = results[0]
        assert saved is not None
        assert (saved.kind, saved.outcome) == ("visit", "next_step")
        assert saved.next_step_on == MONDAY + dt.timedelta(days=1)
        anna = store.find_prospect("Anna de Vries")
        assert anna is not None and saved.prospect_id == anna.id
        assert anna.next_touch_on == MONDAY + dt.timedelta(days=1)


async def test_escape_closes_quick_log_without_saving(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        modal, results = await open_quick_log(app, pilot, store)
        await pilot.press("c", "escape")
        assert app.screen is modal, "the first escape only cancels the pending kind"
        await pilot.press("escape")
        await settle(app, pilot)
        assert results == [None]
        assert store.action_count() == 0


async def test_a_bad_date_in_quick_log_saves_nothing(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        modal, results = await open_quick_log(app, pilot, store)
        await pilot.press("c", "x", *"31-02", "enter")
        await pilot.pause()
        step = app.screen
        assert isinstance(step, NextStepModal)
        assert shown(step.query_one("#resolved", Label)).startswith("Cannot read '31-02'")
        await pilot.press("escape", "escape", "escape")
        await settle(app, pilot)
        assert results == [None]
        assert store.action_count() == 0


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2026-12-01", dt.date(2026, 12, 1)),
        ("today", MONDAY),
        ("tomorrow", dt.date(2026, 11, 24)),
        ("+3", dt.date(2026, 11, 26)),
        ("3d", dt.date(2026, 11, 26)),
        ("+2w", dt.date(2026, 12, 7)),
        ("fri", dt.date(2026, 11, 27)),
        ("Thursday", dt.date(2026, 11, 26)),
        ("mon", dt.date(2026, 11, 30)),
        ("next week", dt.date(2026, 11, 30)),
        ("  +1  ", dt.date(2026, 11, 24)),
    ],
)
def test_next_step_dates_read_as_a_rep_types_them(typed: str, day: dt.date) -> None:
    assert parse_step_date(typed, MONDAY) == day


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "type the date of the next step"),
        ("someday", "cannot read 'someday' as a date"),
        ("2026-02-30", "no such day in the calendar"),
        ("2026-11-20", "Fri 20 Nov 2026 is in the past"),
        ("2062-11-20", "more than two years ahead"),
        ("t", "cannot read 't' as a date"),
        ("s", "cannot read 's' as a date"),
    ],
)
def test_bad_next_step_dates_say_what_is_wrong(typed: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_step_date(typed, MONDAY)


async def test_a_referral_received_is_taken_down_as_a_tagged_prospect(store: Store) -> None:
    anna = store.add_prospect("Anna Smit", "Groningen AgriTech")
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        summary = store.prospect(anna.id or 0)
        await app.push_screen(QuickLogModal(store, store.clock, summary))
        await pilot.pause()
        await pilot.press("v", "f")  # a visit; she gave a name
        await settle(app, pilot)
        assert isinstance(app.screen, ReferralModal)
        await pilot.press("enter")  # no name yet: asked again, nothing added
        await pilot.pause()
        assert isinstance(app.screen, ReferralModal)
        await pilot.press(*"Joost", "space", *"Bakker,", "space", *"Bakker", "space", *"Bouw")
        await pilot.press("enter")
        await settle(app, pilot)
        joost = store.find_prospect("Joost Bakker")
        assert joost is not None
        assert (joost.source, joost.company, joost.note) == (
            "referral",
            "Bakker Bouw",
            "Referred by Anna Smit",
        )
        assert [a.outcome for a in store.prospect_history(anna.id or 0)] == ["referral"]
        assert store.referrals().received == 1 and store.referrals().prospects == 1


async def test_the_prospect_picker_finds_a_name_in_any_case_or_spelling(store: Store) -> None:
    """Typing "özil gmbh" (or with a decomposed accent) picks ÖZIL GMBH: no offer to
    add it again, which the store would refuse."""
    import unicodedata

    from textual.widgets import OptionList

    from screens.logging import NEW_OPTION, ProspectSearchModal

    store.add_prospect("ÖZIL GMBH")
    store.add_prospect("Anna de Vries")
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_quick_log(app, pilot, store)
        await pilot.press("slash")
        await settle(app, pilot)
        picker = app.screen
        assert isinstance(picker, ProspectSearchModal)
        for typed in ("özil gmbh", unicodedata.normalize("NFD", "Özil GmbH")):
            picker.query_one("#query").value = typed  # type: ignore[attr-defined]
            await settle(app, pilot)
            options = picker.query_one("#matches", OptionList)
            ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
            assert NEW_OPTION not in ids, typed
            assert [picker.matches[i].name for i in ids if i] == ["ÖZIL GMBH"], typed
        await pilot.press("enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, ProspectSearchModal)
    assert len(store.prospects()) == 2
