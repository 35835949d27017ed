"""The Wins screen: opened from the Forecast with ``w`` or the palette, a wrong win is
deleted with ``d`` after a confirmation, and the forecast recalibrates."""

from __future__ import annotations

from typing import Any

import pendulum
from tests_support import settle
from textual.pilot import Pilot
from textual.widgets import DataTable

from prospector.sqlite import sqlite3
from prospector.store import Store
from screens.app import make_app
from screens.forecast import ForecastScreen
from screens.forms import ConfirmScreen
from screens.wins import WinsScreen

SIZE = (120, 40)


def record_wins(store: Store) -> None:
    anna = store.add_prospect("Anna")
    bob = store.add_prospect("Bob")
    store.log_actions("call", count=5)
    store.add_win("12000", anna.id, pendulum.datetime(2026, 10, 2, 12, tz="UTC"))
    store.add_win("99999", bob.id, pendulum.datetime(2026, 11, 20, 12, tz="UTC"))


async def open_wins(app: Any, pilot: Pilot[Any]) -> None:
    await settle(app, pilot)
    await pilot.press("4")
    await settle(app, pilot)
    assert isinstance(app.screen, ForecastScreen)
    await pilot.press("w")
    await settle(app, pilot)
    assert isinstance(app.screen, WinsScreen)


def rows(app: Any) -> list[list[str]]:
    table = app.screen.query_one("#wins", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_the_wins_are_listed_newest_first(store: Store) -> None:
    record_wins(store)
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_wins(app, pilot)
        assert [r[:4] for r in rows(app)] == [
            ["2", "Fri 20 Nov 2026", "EUR 99,999", "Bob"],
            ["1", "Fri 02 Oct 2026", "EUR 12,000", "Anna"],
        ]


async def test_a_wrong_win_is_deleted_after_a_yes(store: Store) -> None:
    record_wins(store)
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_wins(app, pilot)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert [w.id for w in store.win_records()] == [1]
        assert [r[0] for r in rows(app)] == ["1"]
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ForecastScreen)


async def test_no_keeps_the_win(store: Store) -> None:
    record_wins(store)
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_wins(app, pilot)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, WinsScreen)
        assert len(store.win_records()) == 2


async def test_a_win_with_a_date_out_of_range_is_marked_and_can_go(
    store: Store, db_path: Any
) -> None:
    record_wins(store)
    con = sqlite3.connect(db_path)
    con.execute(
        "UPDATE win SET local_date = '0026-12-01', at = '26-12-01T12:00:00.000000Z' WHERE id = 1"
    )
    con.commit()
    con.close()
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_wins(app, pilot)
        listed = rows(app)
        assert listed[-1][0] == "1" and "not counted" in listed[-1][4]
        assert listed[0][4] == ""
        await pilot.press("down", "d", "y")
        await settle(app, pilot)
        assert [w.id for w in store.win_records()] == [2]


async def test_the_palette_offers_the_wins(store: Store) -> None:
    record_wins(store)
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("4")
        await settle(app, pilot)
        from screens.commands import BindingCommands

        titles = [c.title for c in BindingCommands(app.screen).commands()]
        assert "Wins" in titles
