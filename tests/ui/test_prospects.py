"""The Prospects screen as a rep uses it: driven with a Pilot, checked against the store."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

import pendulum
import pytest
from tests_support import settle, shown
from textual.pilot import Pilot
from textual.widgets import Checkbox, DataTable, Input, Static
from textual.worker import WorkerFailed

from prospector.errors import DatabaseError
from prospector.store import Store
from screens.app import ProspectorApp, make_app
from screens.forms import FormField
from screens.prospects import SEARCH_DEBOUNCE, ProspectForm, ProspectsScreen

SIZE = (120, 40)
AMS = "Europe/Amsterdam"


def rows(app: ProspectorApp, table_id: str = "prospects") -> list[list[str]]:
    """A table's rows as plain text, top to bottom."""
    table = app.screen.query_one(f"#{table_id}", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def names(app: ProspectorApp) -> list[str]:
    return [row[0] for row in rows(app)]


async def open_prospects(app: ProspectorApp, pilot: Pilot[Any], store: Store) -> ProspectsScreen:
    await settle(app, pilot)
    screen = ProspectsScreen(store, store.clock)
    await app.push_screen(screen)
    await settle(app, pilot)
    return screen


def field_error(app: ProspectorApp, field_id: str) -> str:
    field = app.screen.query_one(f"#{field_id}", FormField)
    return shown(field.query_one(".field-error", Static)) if field.error else ""


@pytest.fixture
def people(store: Store) -> dict[str, int]:
    """Three prospects: one overdue with two touches, one due later, one stopped."""
    anna = store.add_prospect("Anna Smit", "Groningen AgriTech", "referral", est_value=12000)
    bas = store.add_prospect("Bas Hendriks", "Noordkade Logistiek", "event", est_value=11500)
    cor = store.add_prospect("Cor de Wit", "Delta BV", "existing_customer")
    assert anna.id and bas.id and cor.id
    store.log_action(
        "call",
        at=pendulum.datetime(2026, 11, 16, 9, 5, tz=AMS),
        outcome="next_step",
        next_step_on=dt.date(2026, 11, 20),
        prospect_id=anna.id,
        note="Send the price list",
    )
    store.log_action(
        "email", at=pendulum.datetime(2026, 11, 18, 14, 30, tz=AMS), prospect_id=anna.id
    )
    store.update_prospect(bas.id, next_touch_on=dt.date(2026, 12, 1))
    store.update_prospect(cor.id, stopped=True)
    return {"anna": anna.id, "bas": bas.id, "cor": cor.id}


async def test_the_list_shows_every_prospect_with_its_follow_up_state(
    store: Store, people: dict[str, int]
) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_prospects(app, pilot, store)
        assert rows(app) == [
            [
                "Anna Smit",
                "Groningen AgriTech",
                "Referral",
                "2",
                "18 Nov",
                "3 days late",
                "€12,000",
            ],
            ["Bas Hendriks", "Noordkade Logistiek", "Event", "0", "", "1 Dec", "€11,500"],
            ["Cor de Wit", "Delta BV", "Existing customer", "0", "", "stopped", ""],
        ]
        box = app.screen.query_one("#list")
        assert box.border_title == "Prospects · 3 · by name"
        assert box.border_subtitle == "1 overdue"


async def test_search_filters_as_you_type(store: Store, people: dict[str, int]) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_prospects(app, pilot, store)
        await pilot.press("slash")
        assert app.focused is app.screen.query_one("#search")
        await pilot.press(*"noord")
        await pilot.pause(SEARCH_DEBOUNCE + 0.1)
        await settle(app, pilot)
        assert names(app) == ["Bas Hendriks"], "matches the company, not only the name"
        title = app.screen.query_one("#list").border_title
        assert title == "Prospects · 1 matching “noord” · by name"
        await pilot.press("escape")
        await settle(app, pilot)
        assert len(names(app)) == 3
        assert app.focused is app.screen.query_one("#prospects")


async def test_o_sorts_by_next_touch_then_value_then_fewest_touches(
    store: Store, people: dict[str, int]
) -> None:
    store.add_prospect("Dirk Vos", "Vos Metaal", est_value=40000)
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_prospects(app, pilot, store)
        await pilot.press("o")
        # Dirk, new, has his first touch due today: between Anna's and Bas's steps.
        assert names(app) == ["Anna Smit", "Dirk Vos", "Bas Hendriks", "Cor de Wit"]
        assert screen.selected is not None and screen.selected.name == "Anna Smit"
        await pilot.press("o")
        assert names(app) == ["Dirk Vos", "Anna Smit", "Bas Hendriks", "Cor de Wit"]
        assert app.screen.query_one("#list").border_title == "Prospects · 4 · by value"
        await pilot.press("o")
        assert names(app) == ["Bas Hendriks", "Dirk Vos", "Anna Smit", "Cor de Wit"]
        await pilot.press("o")
        assert names(app)[0] == "Anna Smit"


async def test_enter_in_the_search_box_searches_at_once_and_goes_to_the_list(
    store: Store, people: dict[str, int]
) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_prospects(app, pilot, store)
        await pilot.press("slash", *"zzz", "enter")
        await settle(app, pilot)
        assert names(app) == []
        empty = shown(app.screen.query_one("#list-empty", Static))
        assert empty == "No prospect matches “zzz”. Press n to add one."


async def test_adding_a_prospect_saves_it_and_selects_it(
    store: Store, people: dict[str, int]
) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_prospects(app, pilot, store)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ProspectForm)
        assert app.focused is app.screen.query_one("#name")
        await pilot.press(*"Sanne de Vries", "tab", *"Utrecht Zorg")
        app.screen.query_one("#value", Input).value = "18000"
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is screen, "the form closes once saved"
        saved = store.find_prospect("sanne de vries")
        assert saved is not None
        assert (saved.company, saved.source, saved.est_value) == ("Utrecht Zorg", "cold", 18000)
        assert screen.selected is not None and screen.selected.name == "Sanne de Vries"
        assert "Sanne de Vries" in names(app)


async def test_a_duplicate_name_is_refused_under_the_name_and_nothing_is_saved(
    store: Store, people: dict[str, int]
) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_prospects(app, pilot, store)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"anna smit", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ProspectForm), "the form stays open to fix the name"
        # The refusal names the prospect there is, as it is spelled.
        assert field_error(app, "name-field") == "A prospect named 'Anna Smit' already exists"
        assert app.screen.query_one("#name").has_class("-invalid")
        assert len(store.prospects()) == 3
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ProspectsScreen)
        assert len(store.prospects()) == 3


async def test_an_empty_name_and_a_negative_value_are_refused_before_the_store(
    store: Store, people: dict[str, int]
) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_prospects(app, pilot, store)
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#value", Input).value = "-5"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert field_error(app, "name-field") == "A prospect needs a name"
        assert field_error(app, "value-field") == "The estimated deal value cannot be negative"
        assert app.focused is app.screen.query_one("#name"), "the first field to fix"
        assert len(store.prospects()) == 3


async def test_editing_changes_only_what_was_changed(store: Store, people: dict[str, int]) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_prospects(app, pilot, store)
        await pilot.press("down")  # Bas Hendriks
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ProspectForm)
        assert form.query_one("#name", Input).value == "Bas Hendriks"
        assert form.query_one("#next", Input).value == "2026-12-01"
        form.query_one("#company", Input).value = "Noordkade Logistiek B.V."
        form.query_one("#stopped", Checkbox).value = True
        form.query_one("#note", Input).value = "Chose a competitor"
        # Meanwhile a touch logged elsewhere moves the next touch: the edit must keep it.
        store.update_prospect(people["bas"], next_touch_on=dt.date(2026, 12, 4))
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        bas = store.prospect(people["bas"])
        assert bas.company == "Noordkade Logistiek B.V."
        assert bas.stopped and bas.note == "Chose a competitor"
        assert bas.planned_on == dt.date(2026, 12, 4)
        assert bas.next_touch_on is None, "a stopped prospect has no next touch"
        assert rows(app)[1][5] == "stopped"
        assert screen.selected is not None and screen.selected.id == people["bas"]


async def test_a_bad_next_touch_date_is_explained_and_not_saved(
    store: Store, people: dict[str, int]
) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_prospects(app, pilot, store)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#next", Input).value = "next friday"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert field_error(app, "next-field") == (
            "Bad date 'next friday'; write it as YYYY-MM-DD, e.g. 2026-11-23"
        )
        assert store.prospect(people["anna"]).next_touch_on == dt.date(2026, 11, 20)


async def test_the_history_pane_follows_the_cursor(store: Store, people: dict[str, int]) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_prospects(app, pilot, store)
        pane = app.screen.query_one("#history")
        assert pane.border_title == "Touches · Anna Smit, Groningen AgriTech"
        assert pane.border_subtitle == "2 touches · stage New"
        assert rows(app, "touches") == [
            ["Wed 18 Nov 14:30", "Email", "No response", ""],
            ["Mon 16 Nov 09:05", "Call", "Next step → 20 Nov", "Send the price list"],
        ]
        await pilot.press("down")
        await settle(app, pilot)
        assert pane.border_title == "Touches · Bas Hendriks, Noordkade Logistiek"
        assert not app.screen.query_one("#touches").display
        empty = shown(app.screen.query_one("#history-empty", Static))
        assert empty == "No touches logged with Bas Hendriks yet."


async def test_an_empty_database_says_how_to_add_the_first_prospect(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_prospects(app, pilot, store)
        assert shown(app.screen.query_one("#list-empty", Static)).startswith(
            "No prospects yet. Press n to add the first one"
        )
        edit = next(
            a for a in app.screen.active_bindings.values() if a.binding.id == "prospects.edit"
        )
        assert not edit.enabled, "nothing to edit yet"


async def test_bindings_show_in_the_footer(store: Store, people: dict[str, int]) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_prospects(app, pilot, store)
        ids = {
            active.binding.id
            for active in app.screen.active_bindings.values()
            if active.binding.show and active.binding.id
        }
        assert {"prospects.search", "prospects.add", "prospects.edit"} <= ids
        for active in app.screen.active_bindings.values():
            if (active.binding.id or "").startswith("prospects."):
                assert active.binding.tooltip, active.binding.id


async def test_a_failed_load_becomes_an_error_notification(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(search: str = "", include_stopped: bool = True) -> None:
        raise DatabaseError("cannot read p.db: disk I/O error")

    monkeypatch.setattr(store, "prospects", broken)
    app = make_app(store, store.clock)
    notes: list[tuple[str, str]] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        monkeypatch.setattr(
            app, "notify", lambda message, **kw: notes.append((message, kw["severity"]))
        )
        await app.push_screen(ProspectsScreen(store, store.clock))
        with contextlib.suppress(WorkerFailed):
            await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
        assert notes == [("Could not read prospects: cannot read p.db: disk I/O error", "error")]
        assert not app.screen.query_one("#list").loading


async def test_a_long_book_shows_its_top_rows_and_finds_the_rest_by_search(store: Store) -> None:
    from screens.prospects import SHOWN_ROWS

    names = [{"name": f"Prospect {i:04d}", "created_at": store.now()} for i in range(620)]
    store.insert_history_bulk(prospects=names)
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_prospects(app, pilot, store)
        table = app.screen.query_one("#prospects", DataTable)
        assert table.row_count == SHOWN_ROWS == 500
        title = str(app.screen.query_one("#list").border_title)
        assert "Prospects · 620 ·" in title and title.endswith(" · 1–500 shown")
        await pilot.press("slash", *"0617")
        await pilot.pause(SEARCH_DEBOUNCE + 0.1)
        await settle(app, pilot)
        assert table.row_count == 1
        assert "shown" not in str(app.screen.query_one("#list").border_title)


def test_a_prospect_further_down_is_shown_with_the_rows_around_it() -> None:
    from prospector.records import ProspectSummary
    from screens.prospects import SHOWN_ROWS, shown_window

    def one(i: int) -> ProspectSummary:
        return ProspectSummary(i, f"P{i}", "", "cold", "new", False, None, False, None, "", 0, None)

    ordered = [one(i) for i in range(1200)]
    top, start = shown_window(ordered, None)
    assert start == 0 and [p.id for p in top] == list(range(SHOWN_ROWS))
    around, start = shown_window(ordered, 900)
    assert 900 in {p.id for p in around} and len(around) == SHOWN_ROWS and start == 650
    last, start = shown_window(ordered, 1199)
    assert last[-1].id == 1199 and start == 1200 - SHOWN_ROWS
    assert shown_window(ordered[:10], 9) == (ordered[:10], 0)


async def test_the_search_words_show_in_the_title_as_typed(store: Store) -> None:
    store.add_prospect("Anna")
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_prospects(app, pilot, store)
        await pilot.press("slash", *"[red]x")
        await pilot.pause(SEARCH_DEBOUNCE + 0.1)
        await settle(app, pilot)
        from textual.content import Content

        title = Content.from_markup(str(app.screen.query_one("#list").border_title)).plain
        assert "0 matching “[red]x”" in title
