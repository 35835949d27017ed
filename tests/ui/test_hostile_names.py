"""A name built to attack the terminal is shown on every screen, never obeyed.

Textual passes ESC, C1 and DEL in widget text straight to the terminal (it strips only
BEL, BS, VT, FF and CR), so an ESC in a DataTable cell would break out of the cell.
These tests render each screen as the bytes the driver would write and look for any
control character that came from the data, and for markup in a name being obeyed.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from tests_support import TODAY, at_local, settle
from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input

from prospector.store import Store
from screens.app import make_app

SIZE = (160, 50)
HOSTILE = "Esc\x1b]0;PWNED\x07\x1b[2J\x9b31m\u202eRLO\x7f[/]"
SHOWN = "Esc␛]0;PWNED␇␛[2J<U+009B>31m<U+202E>RLO␡[/]"
MARKUP = "[b]Bold[/b] [@click=app.quit]Quit[/]"
NOTE = "Said \x1b[31mred\x1b[0m\nnext\rline\t[i]x[/i]"

TEXTUAL_OWN = re.compile(r"\x1b\[[0-9;:]*[mH]")
"""The sequences Textual itself writes in a full frame: styles and cursor moves."""
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def frame(app: App[Any]) -> str:
    """Every byte the driver would write to repaint the whole screen."""
    update = app.screen._compositor.render_update(full=True)
    assert update is not None
    return "".join(update.render_segments(app.console))


def text_of(app: App[Any]) -> str:
    """The frame as a rep reads it: Textual's own sequences taken out."""
    return TEXTUAL_OWN.sub("", frame(app))


def assert_safe(app: App[Any], where: str) -> str:
    """Nothing from the data reaches the terminal raw; returns what is on screen."""
    seen = text_of(app)
    leak = RAW.search(seen)
    assert leak is None, (
        f"{where}: {leak.group()!r} raw at {seen[leak.start() - 20 : leak.end()]!r}"
    )
    assert "\x1b" not in seen, where
    return seen


@pytest.fixture
def hostile(store: Store) -> Store:
    """Hostile prospects: one due and in limbo, one given up early, one won; and a
    reflection on last week."""
    bad = store.add_prospect(HOSTILE, company=MARKUP, note=NOTE)
    early = store.add_prospect(MARKUP, company=HOSTILE)
    assert bad.id is not None and early.id is not None
    store.log_action(
        "call", at=at_local(2026, 11, 17), prospect_id=bad.id, outcome="conversation", note=NOTE
    )
    store.log_action("call", at=at_local(2026, 11, 18), prospect_id=early.id, note=HOSTILE)
    store.update_prospect(early.id, stopped=True)
    store.update_prospect(bad.id, next_touch_on=TODAY - dt.timedelta(days=1))
    winner = store.add_prospect("Won " + HOSTILE, company=HOSTILE)
    store.add_win("5000", winner.id, at=at_local(2026, 11, 19))
    store.save_reflection("2026-W47", went_well=HOSTILE, got_in_the_way=MARKUP, commitments=NOTE)
    store.save_reflection("2026-W46", commitments=HOSTILE)
    return store


async def visit(app: App[Any], pilot: Pilot[Any], key: str) -> str:
    await pilot.press(key)
    await settle(app, pilot)
    return assert_safe(app, f"screen {key}")


async def test_every_screen_shows_a_hostile_name_and_obeys_none_of_it(hostile: Store) -> None:
    app = make_app(hostile, hostile.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        seen = assert_safe(app, "Today")
        for key in ("2", "3", "4", "5", "6"):
            seen += await visit(app, pilot, key)
        assert "PWNED" in seen and SHOWN[:12] in seen
        assert SHOWN in seen  # last week's commitments, quoted in full on Review
        assert app.is_running  # the [@click=app.quit] in a name did not quit


async def test_markup_in_a_name_is_shown_as_written(hostile: Store) -> None:
    app = make_app(hostile, hostile.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        seen = await visit(app, pilot, "2")
        assert "[b]Bold[/b]" in seen


async def test_a_block_shows_the_hostile_prospect(hostile: Store) -> None:
    from screens.block import BlockScreen

    app = make_app(hostile, hostile.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await app.push_screen(BlockScreen(hostile, hostile.clock, 45))
        await settle(app, pilot)
        assert_safe(app, "block")
        await pilot.press("p")
        await settle(app, pilot)
        seen = assert_safe(app, "block with the prospect")
        assert "PWNED" in seen
        await pilot.press("c", "n")
        await settle(app, pilot)
        seen = assert_safe(app, "block after a touch")


async def test_modals_that_quote_the_prospect(hostile: Store) -> None:
    """The edit form (its inputs filled from the record), the next-step and the
    step-or-stop dialogs, and the prospect search of a block."""
    from screens.block import BlockScreen

    app = make_app(hostile, hostile.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("s")  # step or stop for the oldest conversation in limbo
        await settle(app, pilot)
        assert "PWNED" in assert_safe(app, "step or stop")
        await pilot.press("x")
        await settle(app, pilot)
        assert_safe(app, "next step date")
        await pilot.press("escape", "escape")
        await visit(app, pilot, "2")
        for key, title in (("e", "Edit "), ("n", "New prospect")):
            await pilot.press(key)
            await settle(app, pilot)
            assert title in assert_safe(app, f"prospect form {key}")
            await pilot.press("escape")
            await settle(app, pilot)
        await app.push_screen(BlockScreen(hostile, hostile.clock, 45))
        await settle(app, pilot)
        await pilot.press("slash", *"esc")
        await settle(app, pilot)
        assert "PWNED" in assert_safe(app, "prospect search")
        app.screen.query_one("#query", Input).post_message(events.Paste(" " + HOSTILE))
        await settle(app, pilot)
        seen = assert_safe(app, "a hostile name pasted into the search")
        assert HOSTILE in app.screen.query_one("#query", Input).value
        assert "Add new prospect “esc Esc␛]0;PWNED␇␛[2J" in seen
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        assert_safe(app, "command palette")


async def test_a_name_ending_in_a_backslash_keeps_its_markup_closed(store: Store) -> None:
    store.add_prospect("Back\\slash\\", company="[$accent]Acme[B]x[/B]")
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        seen = await visit(app, pilot, "2")
        assert "Back\\slash\\" in seen and "[$accent]Acme[B]x[/B]" in seen
        seen = await visit(app, pilot, "5")
        assert "[$accent]Acme[B]x[/B]" in seen
