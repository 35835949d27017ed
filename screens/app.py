"""The Textual application: built by ``make_app`` around a store and a clock, opens on Today.

The CLI, the UI tests and the snapshot tests all build the app the same way, so what
the tests see is what a rep sees; the clock is injected so the date on screen (and so
every figure) is reproducible.

The main screens are Textual modes, one per job (Today, Prospects, Settings, Forecast,
Follow-ups, Review), switched
with the digit keys: the block's one-key logging uses letters, so digits can never
collide with it. Quick log, help and quit are app bindings, in force on every screen.
Every command is a ``Binding`` with an id (so it can be remapped with a keymap), a
description for the footer and a tooltip; the help screen and the command palette are
generated from those bindings.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol, cast, runtime_checkable

from textual.app import App, ScreenStackError
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen

from prospector import write_wait
from prospector.clock import Clock
from prospector.opening import DeferredStore
from screens.commands import BindingCommands
from screens.forms import error_reason
from screens.help import HelpScreen, key_sections
from screens.safe_text import plain
from screens.today import TodayScreen

if TYPE_CHECKING:
    from pathlib import Path

    from prospector.changes import ChangeWatch
    from prospector.models import Action
    from prospector.store import Store

ScreenFactory = Callable[[], Screen[Any]]
FiguresStamp = tuple[int, int]
"""(``data_generation``, quarter hour): what a screen's figures were read at."""
QUARTER_HOUR = 15 * 60
CHECK_AFTER_SECONDS = 2.0
"""The file's integrity check waits until the first figures are on screen."""
WATCH_SECONDS = 1.0
"""How often the app looks for writes made elsewhere (the CLI, a second app)."""


@runtime_checkable
class Refreshable(Protocol):
    """A screen that can reload what it shows (Today's ``r``): the app asks it to after
    something was logged on top of it."""

    def action_refresh(self) -> None: ...


def main_screens(
    store: Store, clock: Clock, ready: Callable[[], None] = lambda: None
) -> dict[str, ScreenFactory]:
    """Mode name -> the factory of its base screen, in the order of the mode keys.

    Prospects, Settings, Forecast, Follow-ups and Review are imported when first opened,
    not at start-up, which only pays for Today (Forecast brings plotext with it). ``ready``
    runs first: it waits for a store still opening, whose thread is importing the ORM
    these modules import too (two threads importing the same modules can deadlock).
    """

    def prospects() -> Screen[Any]:
        ready()
        from screens.prospects import ProspectsScreen

        return ProspectsScreen(store, clock)

    def settings() -> Screen[Any]:
        ready()
        from screens.settings import SettingsScreen

        return SettingsScreen(store, clock)

    def forecast() -> Screen[Any]:
        ready()
        from screens.forecast import ForecastScreen

        return ForecastScreen(store, clock)

    def followups() -> Screen[Any]:
        ready()
        from screens.followups import FollowUpsScreen

        return FollowUpsScreen(store, clock)

    def review() -> Screen[Any]:
        ready()
        from screens.review import ReviewScreen

        return ReviewScreen(store, clock)

    return {
        "today": partial(TodayScreen, store, clock),
        "prospects": prospects,
        "settings": settings,
        "forecast": forecast,
        "followups": followups,
        "review": review,
    }


def in_block(screen: Screen[Any]) -> bool:
    """Whether ``screen`` is a running block (its module is loaded once a block starts)."""
    block = sys.modules.get("screens.block")
    return block is not None and isinstance(screen, block.BlockScreen)


def mode_binding(key: str, mode: str, title: str, tooltip: str) -> Binding:
    return Binding(key, f"switch_mode('{mode}')", title, tooltip=tooltip, id=f"app.{mode}")


class ProspectorApp(App[None]):
    """The rep's prospecting cockpit; it holds the store and hands it to its screens."""

    TITLE = "Prospector"
    DEFAULT_MODE = "today"
    COMMANDS = {BindingCommands}
    BINDINGS = [
        # Quick log and help come first: when a footer is too narrow for every key, the
        # mode keys at its end (numbered, and listed in help) are the ones cut.
        Binding(
            "ctrl+l",
            "quick_log",
            "Quick log",
            tooltip="Log one touch without starting a block: kind key, then outcome key",
            id="app.quick_log",
        ),
        Binding(
            "question_mark",
            "help",
            "Help",
            key_display="?",
            tooltip="Every key of this screen and of the app",
            id="app.help",
        ),
        mode_binding("1", "today", "Today", "Today's and this week's counts, habit, follow-ups"),
        mode_binding("2", "prospects", "Prospects", "Every prospect: search, add, edit, touches"),
        mode_binding("3", "settings", "Settings", "Targets, working days, days off, values"),
        mode_binding(
            "4",
            "forecast",
            "Forecast",
            "Revenue of the next 120 days by the 30/90 rule: months, gaps, recovery plan",
        ),
        mode_binding(
            "5",
            "followups",
            "Follow-ups",
            "Who is due, conversations in limbo, follow-up depth, sources, hunting",
        ),
        mode_binding(
            "6",
            "review",
            "Review",
            "The weekly review: the week against targets, habit, step or stop, reflection",
        ),
        Binding(
            "ctrl+p",
            "command_palette",
            "palette",
            show=False,  # the footer shows the palette key at its right end anyway
            priority=True,
            tooltip="Find any command by name and run it",
            id="app.palette",
        ),
        Binding(
            "ctrl+t",
            "change_theme",
            "Theme",
            show=False,
            tooltip="Pick a colour theme; it is kept for next time",
            id="app.theme",
        ),
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            tooltip="Quit Prospector; everything logged is already saved",
            priority=True,
            id="app.quit",
        ),
    ]

    def __init__(self, store: Store | DeferredStore, clock: Clock) -> None:
        super().__init__()
        self.deferred = store if isinstance(store, DeferredStore) else None
        """The store still opening, if it is: it is begun once the first frame is up."""
        # A DeferredStore answers every Store call (waiting for the open store), and
        # screens call the store only from worker threads.
        self.store = cast("Store", store)
        self.clock = clock
        for mode, factory in main_screens(self.store, clock, self.wait_for_store).items():
            self.add_mode(mode, factory)
        self.shown_modes: dict[str, FiguresStamp | None] = {self.DEFAULT_MODE: None}
        """Modes whose screen exists already, with what its figures were last read at
        (None: not known): coming back to one reloads it when that has changed."""
        self.generation = 0
        """Batches of commits to the file seen since the app began watching it."""
        self.saved_theme = (
            self.deferred.saved_setting("theme") if self.deferred else store.settings().theme
        )
        """The theme as stored; None while only the shipped default is known to apply."""
        self.theme_known = True
        self.change_watch: ChangeWatch | None = None
        self.outside_change = False
        """Something was written elsewhere that the screen on top has not shown yet."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification, with control characters shown and, unless asked, no
        markup: messages quote names, notes and error text that may hold either."""
        super().notify(
            plain(message, one_line=False),
            title=plain(title),
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    def on_mount(self) -> None:
        if self.saved_theme in self.available_themes:
            self.theme = self.saved_theme
        self.quit_on_signals()
        write_wait.on_wait = self.say_waiting
        self.set_interval(WATCH_SECONDS, self.look_for_changes)
        self.set_timer(CHECK_AFTER_SECONDS, self.check_file)
        if self.deferred is None:
            self.change_watch = self.store.watch_changes()
            for note in self.store.upgrade_notes:
                self.notify(note, title="Database upgraded", timeout=30)
            return
        self.call_after_refresh(self.open_deferred)
        if self.saved_theme is None:
            self.run_worker(self.read_theme, thread=True, exit_on_error=False)

    def quit_on_signals(self) -> None:
        """SIGTERM (a shutdown, ``kill``) and SIGHUP (the terminal closed) quit the way
        ctrl+q does, so the terminal is given back in a usable state. Nothing else
        needs saving: every touch was committed before it was shown as logged."""
        if self.is_headless or sys.platform == "win32":  # Windows has no SIGHUP, no handlers
            return
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(sig, self.exit)

    def check_file(self) -> None:
        """Run SQLite's integrity check of the database in the background (unless the
        file as it is passed it today); a damaged file is said at once, before more is
        written to it."""
        path = self.deferred.path if self.deferred is not None else self.store.path
        if path is None:
            return

        def check() -> None:
            from prospector.db import CHECK_FAILED, damage_unless_passed

            problem = damage_unless_passed(path)
            # A check that cannot run (the file busy, a disk error) proves no damage:
            # the store's own reads say what is wrong, in their words.
            if problem is not None and not problem.startswith(CHECK_FAILED):
                self.call_from_thread(self.say_damaged, path, problem)

        self.run_worker(check, thread=True, exit_on_error=False, group="app.check")

    def say_damaged(self, path: Path, problem: str) -> None:
        from prospector.db import damaged_message

        self.notify(
            damaged_message(path, problem),
            title="The database is damaged",
            severity="error",
            timeout=60,
        )

    def open_deferred(self) -> None:
        """Once the first frame is up: watch the file, then open the store. The watch
        comes first so that nothing written between the first read and the watch is
        missed."""
        assert self.deferred is not None
        from prospector.changes import ChangeWatch

        self.change_watch = ChangeWatch(self.deferred.path)
        self.deferred.begin()

    def look_for_changes(self) -> None:
        """Reload the screen on top when the file changed (a touch logged from the CLI
        shows within a second or two). While a dialog is open or the rep is typing in
        a field, the reload waits: it must not take over what they are doing."""
        if self.data_generation() is None:
            return
        try:
            screen = self.screen
        except ScreenStackError:  # the app is closing: its screens are gone already
            return
        if not self.outside_change or isinstance(screen, ModalScreen):
            return
        if self.typing():
            return
        self.outside_change = False
        if isinstance(screen, Refreshable):
            screen.action_refresh()
            if self.screen_stack[0] is screen:  # a main screen: it reads as of now
                self.shown_modes[self.current_mode] = self.figures_stamp()

    def data_generation(self) -> int | None:
        """How many batches of commits, the app's own included, the file has had since
        the app began watching it; None while nothing watches it (any figure may then
        be out of date). Asking costs microseconds."""
        if self.change_watch is None:
            return None
        if self.change_watch.changed():
            self.generation += 1
            self.outside_change = True
        return self.generation

    def figures_stamp(self) -> FiguresStamp | None:
        """What a screen's figures depend on beyond the screen itself: the file's
        content (``data_generation``) and the quarter of an hour (days turn at a
        quarter hour in every time zone; "due today" and "3 days ago" turn with them)."""
        generation = self.data_generation()
        if generation is None:
            return None
        return (generation, int(self.clock.now().timestamp() // QUARTER_HOUR))

    def typing(self) -> bool:
        """Whether focus is in a text field (by class, so as not to import the widgets
        at start-up)."""
        kinds = {cls.__name__ for cls in type(self.focused).__mro__} if self.focused else set()
        return bool(kinds & {"Input", "TextArea"})

    def on_unmount(self) -> None:
        if write_wait.on_wait == self.say_waiting:
            write_wait.on_wait = None
        if self.change_watch is not None:
            self.change_watch.close()

    def say_waiting(self, what: str) -> None:
        """From a worker whose write waits for an import's merge: tell the rep, who
        otherwise sees a touch not yet counted."""
        say = partial(self.notify, what[0].upper() + what[1:], timeout=10, markup=False)
        try:
            self.call_from_thread(say)
        except RuntimeError:  # a write on the UI thread itself
            say()

    def wait_for_store(self) -> None:
        """Block until a store still opening is open (a split second, and only when a
        screen is asked for right at start-up). A failure to open is said here; the
        screen then opens and its own reads report it again where it matters."""
        if self.deferred is None:
            return
        try:
            self.deferred.wait()
        except Exception as error:  # noqa: BLE001 - whatever stopped it, the rep must see it
            reason = error_reason(error)
            self.notify(f"Could not open the database: {reason}", severity="error", timeout=10)

    def read_theme(self) -> None:
        """The shipped default theme, once the store (and so the shipped data) is open."""
        theme = self.store.settings().theme
        self.call_from_thread(self.adopt_theme, theme)

    def adopt_theme(self, theme: str) -> None:
        self.saved_theme = theme
        if theme in self.available_themes:
            self.theme = theme

    def watch_theme(self, theme: str) -> None:
        """Keep the rep's choice of theme for the next start (saved off the UI thread)."""
        if not getattr(self, "theme_known", False) or theme == self.saved_theme:
            return
        self.saved_theme = theme
        self.run_worker(
            partial(self.store.set_setting, "theme", theme),
            thread=True,
            exit_on_error=False,
            group="app.theme",
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the key of the screen already showing, and navigation during a block.

        Footers are crowded, so a key that would do nothing is not shown. A running
        block is a focus mode: its footer is for logging, it logs touches itself, and
        ctrl+e ends it before the rep moves on.
        """
        if action in ("switch_mode", "quick_log") and any(map(in_block, self.screen_stack)):
            return False
        here = action == "switch_mode" and bool(parameters) and parameters[0] == self.current_mode
        return not here

    async def action_switch_mode(self, mode: str) -> None:
        """Show a main screen. One shown before reloads when anything was written since
        it last read its figures (a block run, a target set, a prospect edited, a touch
        logged from the CLI) or a quarter hour has turned; otherwise it shows at once
        what it showed: on a rep's years, reading Prospects again took a second."""
        if mode == self.current_mode:
            return
        await self.switch_mode(mode)
        stamp = self.figures_stamp()
        known = self.shown_modes.get(mode)
        again = mode in self.shown_modes and isinstance(self.screen, Refreshable)
        if again and (stamp is None or known != stamp):
            cast("Refreshable", self.screen).action_refresh()
            self.outside_change = False  # what was written is being read now
        self.shown_modes[mode] = stamp

    def action_quick_log(self) -> None:
        """Open the quick-log modal over whatever screen is showing."""
        self.wait_for_store()
        from screens.quick_log import QuickLogModal

        under = self.screen
        self.push_screen(QuickLogModal(self.store, self.clock), partial(self.logged, under))

    def logged(self, screen: Screen[Any], action: Action | None) -> None:
        """After a quick log, the screen it was opened on shows the new count."""
        if action is not None and isinstance(screen, Refreshable):
            screen.action_refresh()

    def action_help(self) -> None:
        """The keys in force on the current screen, read from its bindings."""
        self.push_screen(HelpScreen(key_sections(self.screen)))


def make_app(store: Store | DeferredStore, clock: Clock) -> ProspectorApp:
    """The app over ``store`` (open, or still opening), telling time by ``clock``."""
    return ProspectorApp(store, clock)
