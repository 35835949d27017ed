"""The app shell: mode keys, quick log from any screen, help, the palette, themes, quit."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from tests_support import settle, shown
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Label

from prospector.opening import DeferredStore
from prospector.store import Store
from screens.app import ProspectorApp, make_app
from screens.block import BlockScreen, PlannedMinutesModal
from screens.commands import BindingCommands
from screens.forecast import ForecastScreen
from screens.help import HelpScreen, key_sections
from screens.prospects import ProspectsScreen
from screens.quick_log import QuickLogModal
from screens.settings import SettingsScreen
from screens.today import TodayScreen
from screens.widgets import AttainmentChart, TargetTable

SIZE = (120, 40)


def footer_keys(app: ProspectorApp) -> dict[str, str]:
    """What the footer offers on the current screen: key -> description."""
    return {
        app.get_key_display(active.binding): active.binding.description
        for active in app.screen.active_bindings.values()
        if active.binding.show
    }


def calls_today(app: ProspectorApp) -> str:
    labels = list(app.screen.query_one("#today", TargetTable).query(Label))
    kinds = [shown(w) for w in labels if w.has_class("kind")]
    counts = [shown(w) for w in labels if w.has_class("count")]
    return dict(zip(kinds, counts, strict=True))["Call"]


async def palette_titles(app: ProspectorApp, pilot: Pilot[Any], query: str) -> list[str]:
    """Open the palette, type ``query``, and read the commands it lists."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(app.screen, CommandPalette)
    await pilot.press(*query)
    for _ in range(20):  # the palette searches in the background
        await asyncio.sleep(0.05)
        await pilot.pause()
        found = app.screen.query_one(CommandList)
        if found.option_count:
            break
    return [
        str(found.get_option_at_index(i).prompt).split("\n")[0] for i in range(found.option_count)
    ]


async def test_the_digit_keys_switch_between_the_main_screens(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        keys = footer_keys(app)
        assert {
            "2": "Prospects",
            "3": "Settings",
            "4": "Forecast",
            "?": "Help",
            "^l": "Quick log",
        }.items() <= keys.items()
        assert "1" not in keys, "the key of the screen already showing is not offered"
        await pilot.press("2")
        await settle(app, pilot)
        assert isinstance(app.screen, ProspectsScreen)
        assert footer_keys(app)["1"] == "Today"
        await pilot.press("3")
        await settle(app, pilot)
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("4")
        await settle(app, pilot)
        assert isinstance(app.screen, ForecastScreen)
        assert "4" not in footer_keys(app)
        await pilot.press("1")
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)


async def test_coming_back_to_today_shows_what_changed_meanwhile(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert calls_today(app) == "0 / 20"
        await pilot.press("2")
        await settle(app, pilot)
        store.log_actions("call", count=3)
        await pilot.press("1")
        await settle(app, pilot)
        assert calls_today(app) == "3 / 20"


async def test_quick_log_opens_on_any_screen_and_refreshes_it(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, QuickLogModal)
        await pilot.press("c", "n")  # a call, no answer: saved at once
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        assert calls_today(app) == "1 / 20"
        assert store.action_count() == 1

        await pilot.press("2")
        await settle(app, pilot)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, QuickLogModal)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ProspectsScreen)


async def test_a_running_block_hides_navigation_and_quick_log(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("b")
        await pilot.pause()
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, BlockScreen)
        keys = footer_keys(app)
        assert not {"1", "2", "3", "4", "^l"} & set(keys)
        assert keys["?"] == "Help"
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, BlockScreen)


async def test_question_mark_lists_the_keys_of_the_screen_and_the_app(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        sections = {s.title: {r.keys: r.description for r in s.rows} for s in help_screen.sections}
        assert list(sections) == ["On this screen", "Everywhere"]
        assert sections["On this screen"] == {"b": "Start a block", "r": "Refresh"}
        assert {
            "2": "Prospects",
            "3": "Settings",
            "4": "Forecast",
            "^l": "Quick log",
            "?": "Help",
            "^t": "Theme",
            "^p": "Palette",
            "^q": "Quit",
        }.items() <= sections["Everywhere"].items()
        text = [shown(w) for w in help_screen.query(Label)]
        assert "Start a timed prospecting block with one-key logging" in text
        assert not any("Focus" in line for line in text), "Textual's plumbing is left out"
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)


async def test_help_follows_the_screen_and_a_remapped_key(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.set_keymap({"app.quick_log": "ctrl+k"})
        await pilot.press("2")
        await settle(app, pilot)
        sections = {
            s.title: {r.description: r.keys for r in s.rows} for s in key_sections(app.screen)
        }
        assert sections["On this screen"]["New"] == "n"
        assert sections["Everywhere"]["Quick log"] == "^k"
        assert sections["Everywhere"]["Today"] == "1"


async def test_the_palette_finds_start_a_block_and_runs_it(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        titles = await palette_titles(app, pilot, "block")
        assert titles[0] == "Start a block"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, PlannedMinutesModal)


async def test_the_palette_offers_each_command_once(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        provider = BindingCommands(app.screen)
        titles = [command.title for command in provider.commands()]
        assert titles == [
            "Start a block",
            "Refresh",
            "Quit",
            "Quick log",
            "Help",
            "Prospects",
            "Settings",
            "Forecast",
            "Follow-ups",
            "Review",
            "Theme",
        ]


async def test_themes_switch_at_runtime_and_reach_the_chart(store: Store) -> None:
    from prospector.demo import generate_demo

    generate_demo(store, seed=7)
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette), "the theme picker"
        await pilot.press("escape")
        await pilot.pause()
        chart = app.screen.query_one(AttainmentChart)
        before = chart.get_component_rich_style("attainment--met")
        app.theme = "nord" if app.theme != "nord" else "gruvbox"
        await pilot.pause()
        assert chart.get_component_rich_style("attainment--met") != before


@pytest.mark.parametrize("where", ["today", "modal"])
async def test_ctrl_q_quits_from_anywhere(store: Store, where: str) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        if where == "modal":
            await pilot.press("ctrl+l")
            await pilot.pause()
            assert isinstance(app.screen, QuickLogModal)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


def test_the_forecast_screen_and_plotext_load_only_when_opened() -> None:
    """Start-up pays for Today only: the Forecast screen brings plotext with it."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from screens.app import make_app\n"
        "print(sorted(m for m in ('screens.forecast', 'textual_plotext', 'plotext')"
        " if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


async def test_the_chosen_theme_is_kept_for_next_time(store: Store) -> None:
    store.set_setting("theme", "nord")
    app = make_app(store, store.clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.theme == "nord"
        app.theme = "gruvbox"
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert store.settings().theme == "gruvbox"


async def test_on_a_store_still_opening_today_fills_in_and_b_waits_for_it(
    store: Store, db_path: Path
) -> None:
    """The app paints before the store is open; a block asked for meanwhile starts after."""
    store.log_actions("call", count=4)
    store.set_setting("theme", "nord")
    deferred = DeferredStore(db_path, store.clock)
    app = make_app(deferred, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme == "nord", "the stored theme is read before the first frame"
        await pilot.press("b")
        await settle(app, pilot)
        assert isinstance(app.screen, PlannedMinutesModal)
        await pilot.press("escape")
        await settle(app, pilot)
        assert calls_today(app) == "4 / 20"


class MovableClock:
    """The tests' instant, moved forward by the test."""

    def __init__(self, start: Any) -> None:
        self.instant = start

    def now(self) -> Any:
        return self.instant


async def test_coming_back_rereads_only_after_a_write_or_a_quarter_hour(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    from textual.widgets import DataTable

    store.add_prospect("Ada Lovelace")
    reads: list[str] = []
    real = store.prospects

    def counted(*args: Any, **kwargs: Any) -> Any:
        reads.append("prospects")
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "prospects", counted)
    clock = MovableClock(store.clock.now())
    app = make_app(store, clock)  # type: ignore[arg-type]

    async def to_prospects() -> int:
        await pilot.press("1")
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        assert isinstance(app.screen, ProspectsScreen)
        return app.screen.query_one(DataTable).row_count

    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        assert reads == ["prospects"]
        assert await to_prospects() == 1
        assert reads == ["prospects"], "nothing was written: shown as it was, at once"
        store.add_prospect("Grace Hopper")  # as a second terminal would
        assert await to_prospects() == 2
        assert len(reads) == 2
        assert await to_prospects() == 2
        assert len(reads) == 2
        clock.instant += dt.timedelta(minutes=15)  # "due today" may have turned
        await to_prospects()
        assert len(reads) == 3


async def test_a_screen_shown_again_wears_a_theme_chosen_while_it_was_away(store: Store) -> None:
    from prospector.demo import generate_demo

    generate_demo(store, seed=7, actions=300)
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        chart = app.screen.query_one(AttainmentChart)
        before = chart.get_component_rich_style("attainment--met")
        background = app.screen.styles.background
        for key in "21":  # away and back, nothing changed: kept as it was
            await pilot.press(key)
            await settle(app, pilot)
        assert chart.get_component_rich_style("attainment--met") == before
        await pilot.press("3")
        await settle(app, pilot)
        app.theme = "nord" if app.theme != "nord" else "gruvbox"
        await settle(app, pilot)
        await pilot.press("1")
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        assert chart.get_component_rich_style("attainment--met") != before
        assert app.screen.styles.background != background
