"""The Textual application: built by ``make_app`` around a store and a clock, opens on Today.

The CLI, the UI tests and the snapshot tests all build the app the same way, so what
the tests see is what a rep sees; the clock is injected so the date on screen (and so
every figure) is reproducible.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from prospector.clock import Clock
from prospector.store import Store
from screens.today import TodayScreen


class ProspectorApp(App[None]):
    """The rep's prospecting cockpit; it holds the store and hands it to its screens."""

    TITLE = "Prospector"
    DEFAULT_MODE = "today"
    """Each main screen is a mode (Today now; the block and review screens later)."""
    BINDINGS = [
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            tooltip="Quit Prospector; everything logged is already saved",
            priority=True,
            id="app.quit",
        ),
    ]

    def __init__(self, store: Store, clock: Clock) -> None:
        super().__init__()
        self.store = store
        self.clock = clock
        self.add_mode("today", partial(TodayScreen, store, clock))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's commands, plus every described binding of the screen.

        Commands are defined once, as bindings with ids; the palette offers them from
        there, so a key, its footer label and its palette entry cannot drift apart.
        """
        builtin = list(super().get_system_commands(screen))
        yield from builtin
        titles = {command.title for command in builtin}
        for active in screen.active_bindings.values():
            binding = active.binding
            if binding.id is None or not binding.description or binding.description in titles:
                continue
            if not active.enabled:
                continue
            titles.add(binding.description)
            yield SystemCommand(
                binding.description,
                binding.tooltip or binding.description,
                partial(self.run_action, binding.action, active.node),
            )


def make_app(store: Store, clock: Clock) -> ProspectorApp:
    """The app over ``store``, telling time by ``clock``."""
    return ProspectorApp(store, clock)
