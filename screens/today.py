"""The Today screen: what today and this week ask for, and whether the habit holds.

The screen owns the figures; it reads them with ``Store`` calls in a thread worker (a
large history takes longer than a frame), turns them into plain values with the pure
functions below, and binds those to widgets that only render. A new rep with an empty
database is told how to log a first action instead of being shown a wall of zeros.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pendulum
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.markup import escape
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Footer, Header
from textual.worker import Worker, WorkerState

from prospector.clock import Clock
from prospector.errors import ProspectorError
from prospector.status import ROLLING_DAYS, Progress, Status
from prospector.store import Store
from screens.widgets import Figure, FigureStrip, KindProgress, Prose, TargetTable

LOAD_WORKER = "today.load"
DAY_CHECK_SECONDS = 60
"""How often the screen checks whether midnight has passed (no database work)."""


@dataclass(frozen=True)
class TodayFigures:
    """Everything the Today screen shows, read from the store in one go."""

    day: dt.date
    """Today in the rep's time zone, from the injected clock."""
    timezone: str
    status: Status
    labels: dict[str, str]
    """Kind key -> label, in the shipped order."""
    daily_kinds: frozenset[str]
    """Kinds whose target in force today is per day (the others are per week)."""
    working_day: bool
    window_days: int
    """W of the 30/90 rule: how many days a 30-day period pays off over."""
    has_actions: bool


def read_today(store: Store, clock: Clock) -> TodayFigures:
    """Read the Today figures; blocking, so it runs in a worker thread."""
    settings = store.settings()
    local = pendulum.instance(clock.now()).in_timezone(settings.timezone)
    day = dt.date(local.year, local.month, local.day)
    in_force = store.targets_in_force(day)
    return TodayFigures(
        day=day,
        timezone=settings.timezone,
        status=store.status(day),
        labels={kind.key: kind.label for kind in store.data.kinds},
        daily_kinds=frozenset(k for k, rule in in_force.items() if rule.per == "day"),
        working_day=day.isoweekday() in settings.working_days,
        window_days=settings.window_days,
        has_actions=store.action_count() > 0,
    )


def long_date(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def today_rows(figures: TodayFigures) -> tuple[KindProgress, ...]:
    """Daily targets, plus anything logged today; weekly targets live in the week table."""
    status = figures.status
    rows = []
    for kind, label in figures.labels.items():
        progress = status.today[kind]
        if kind in figures.daily_kinds and progress.target > 0:
            rows.append(KindProgress(label, progress.done, progress.target))
        elif progress.done:
            if kind in figures.daily_kinds:
                note = "nothing asked today"
            elif status.week[kind].target > 0:
                note = "counts toward this week"
            else:
                note = "no target"
            rows.append(KindProgress(label, progress.done, 0, note))
    return tuple(rows)


def week_rows(figures: TodayFigures) -> tuple[KindProgress, ...]:
    """Every kind this week asks for or has seen, daily targets summed over the week."""
    return tuple(
        KindProgress(label, progress.done, progress.target, "no target")
        for kind, label in figures.labels.items()
        if (progress := figures.status.week[kind]).target > 0 or progress.done
    )


def today_empty_text(figures: TodayFigures) -> str:
    if figures.status.today_off:
        return f"Day off ({figures.status.today_off}): nothing is asked today."
    if not figures.working_day:
        return f"{figures.day:%A} is not a working day: nothing is asked today."
    return "No daily targets. Set one from a shell: prospector target set call 20"


def habit_figures(status: Status) -> tuple[Figure, ...]:
    """Streak, buffer and discipline score, worded so each stands on its own."""
    days = "working day" if status.streak == 1 else "working days"
    streak = f"{status.streak} {days}"
    if status.today_off:
        streak += ", frozen today"
    score = status.discipline_score
    return (
        Figure("Streak", streak),
        Figure("Buffer", status.buffer.describe(), warn=status.buffer.actions_short > 0),
        Figure(
            "Discipline score",
            "not yet: needs a finished working day" if score is None else f"{score:.0%}",
        ),
    )


def outlook_sentence(rolling: Progress, window_days: int) -> str:
    """What the last 30 days mean for the days they pay off over (Blount's 30-day rule)."""
    if rolling.target <= 0:
        return (
            f"No target has fallen due in the last {ROLLING_DAYS} days yet (today's counts "
            f"once the day is over). What you log now pays off over the next {window_days} days."
        )
    share = round(100 * rolling.done / rolling.target)
    if rolling.done >= rolling.target - 1e-9:
        return (
            f"Your last {ROLLING_DAYS} days are on target ({share}%): "
            f"that work pays off over the next {window_days} days."
        )
    return (
        # Rounded like the bar beside it, but never up to a 100% that is not there.
        f"Your last {ROLLING_DAYS} days are at {min(share, 99)}% of target: "
        f"the next {window_days} days will feel that gap."
    )


def day_off_text(reason: str | None) -> str:
    if reason is None:
        return ""
    return (
        f"[b]Day off today ({escape(reason)}).[/b] No target today, and your streak is "
        "frozen until you are back."
    )


def getting_started(kinds: list[str], refresh_key: str) -> str:
    """Guidance for a database with no actions: the first commands to type."""
    return (
        "[b]Welcome to Prospector.[/b] Nothing is logged yet; start from a shell:\n\n"
        "    Log your first action          [b $accent]prospector log call[/]\n"
        "    Log several at once            [b $accent]prospector log email --count 5[/]\n"
        "    Set your own daily target      [b $accent]prospector target set call 25[/]\n\n"
        f"Then press [b]{escape(refresh_key)}[/b] here to see it count against the "
        "targets below. "
        f"Kinds you can log: {escape(', '.join(kinds))}.\n\n"
        "Just looking around? [b $accent]prospector --demo[/] opens the app on a "
        "realistic demo history."
    )


class TodayScreen(Screen[None]):
    """Today's and this week's counts against target, streak, buffer and the 30-day view."""

    CSS_PATH = "today.tcss"
    BINDINGS = [
        Binding(
            "r",
            "refresh",
            "Refresh",
            tooltip="Reload today's figures, e.g. after logging from a shell",
            id="today.refresh",
        ),
    ]

    figures: var[TodayFigures | None] = var(None)
    day_off: var[str] = var("")
    guide: var[str] = var("")
    today_rows: var[tuple[KindProgress, ...]] = var(())
    today_empty: var[str] = var("")
    week_rows: var[tuple[KindProgress, ...]] = var(())
    habits: var[tuple[Figure, ...]] = var(())
    rolling_rows: var[tuple[KindProgress, ...]] = var(())
    outlook: var[str] = var("")

    def __init__(self, store: Store, clock: Clock) -> None:
        super().__init__()
        self.store = store
        self.clock = clock

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="body"):
            yield Prose(id="day-off").data_bind(text=TodayScreen.day_off)
            yield Prose(id="guide").data_bind(text=TodayScreen.guide)
            with Grid(id="targets"):
                yield TargetTable(id="today").data_bind(
                    rows=TodayScreen.today_rows, empty_text=TodayScreen.today_empty
                )
                yield TargetTable(id="week").data_bind(rows=TodayScreen.week_rows)
            yield FigureStrip(id="habits").data_bind(figures=TodayScreen.habits)
            with Vertical(id="rolling"):
                yield TargetTable().data_bind(rows=TodayScreen.rolling_rows)
                yield Prose(id="outlook").data_bind(text=TodayScreen.outlook)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#today").border_title = "Today"
        self.query_one("#week").border_title = "This week"
        self.query_one("#habits").border_title = "Habit"
        self.query_one("#guide").border_title = "Getting started"
        rolling = self.query_one("#rolling")
        rolling.border_title = f"Last {ROLLING_DAYS} days"
        rolling.border_subtitle = "Blount's 30-day rule"
        self.query_one("#body").loading = True
        self.load()
        self.set_interval(DAY_CHECK_SECONDS, self.check_day)

    def action_refresh(self) -> None:
        self.load()

    def check_day(self) -> None:
        """Reload once the rep's local day has turned, so an app left open stays honest."""
        if self.figures is None:
            return
        now = pendulum.instance(self.clock.now()).in_timezone(self.figures.timezone)
        if now.date() != self.figures.day:
            self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, name=LOAD_WORKER, group=LOAD_WORKER)
    def load(self) -> TodayFigures:
        """Read the figures off the UI thread; the result arrives as a worker state change."""
        return read_today(self.store, self.clock)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != LOAD_WORKER:
            return
        if event.state == WorkerState.SUCCESS and isinstance(event.worker.result, TodayFigures):
            self.figures = event.worker.result
            self.query_one("#body").loading = False
        elif event.state == WorkerState.ERROR:
            self.query_one("#body").loading = False
            error = event.worker.error
            reason = error if isinstance(error, ProspectorError) else getattr(error, "orig", error)
            self.notify(
                f"Could not read today's figures: {reason}",
                title="Today",
                severity="error",
                timeout=10,
            )

    def watch_figures(self, figures: TodayFigures | None) -> None:
        if figures is None:
            return
        status = figures.status
        self.sub_title = f"{long_date(figures.day)} · {figures.timezone}"
        monday = figures.day - dt.timedelta(days=figures.day.isoweekday() - 1)
        sunday = monday + dt.timedelta(days=6)
        self.query_one("#week").border_title = f"This week · {monday:%a %d %b} – {sunday:%a %d %b}"
        self.set_class(not figures.has_actions, "-new")
        self.day_off = day_off_text(status.today_off)
        self.guide = (
            "" if figures.has_actions else getting_started(list(figures.labels), self.refresh_key)
        )
        self.today_rows = today_rows(figures)
        self.today_empty = today_empty_text(figures)
        self.week_rows = week_rows(figures)
        self.habits = habit_figures(status)
        self.rolling_rows = (
            KindProgress(
                "Targeted actions", status.rolling_30.done, status.rolling_30.target, "no target"
            ),
        )
        self.outlook = outlook_sentence(status.rolling_30, figures.window_days)

    @property
    def refresh_key(self) -> str:
        """The key that refreshes, as the footer shows it (it may be remapped by id)."""
        for active in self.active_bindings.values():
            if active.binding.id == "today.refresh":
                return self.app.get_key_display(active.binding)
        return "r"
