"""The Today screen: what today and this week ask for, and whether the habit holds.

The screen owns the figures; it reads them with ``Store`` calls in a thread worker (a
large history takes longer than a frame), turns them into plain values with the pure
functions below, and binds those to widgets that only render. A new rep with an empty
database is told how to log a first action instead of being shown a wall of zeros.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.markup import escape
from textual.reactive import var
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, LoadingIndicator
from textual.worker import Worker, WorkerState

from prospector import coach
from prospector.clock import Clock
from prospector.records import DayAttainment, LimboItem, ProspectSummary
from prospector.status import ROLLING_DAYS, Progress, Status
from screens.footer import Footer
from screens.forms import say_failed
from screens.help import key_for
from screens.limbo import ResolveModal, limbo_line, save_resolution
from screens.main_screen import MainScreen
from screens.safe_text import plain
from screens.widgets import (
    AttainmentChart,
    Figure,
    FigureStrip,
    FollowUp,
    FollowUpTable,
    KindProgress,
    Prose,
    TargetTable,
    attainment_class,
)

if TYPE_CHECKING:
    from prospector.store import Store

# Imported here, not lazily by Textual when ``loading`` is first set: that happens while
# the store may be importing the ORM on its own thread.
_ = LoadingIndicator

LOAD_WORKER = "today.load"
DAY_CHECK_SECONDS = 60
"""How often the screen checks whether midnight has passed (no database work)."""
LOADING_AFTER_SECONDS = 0.3
"""Until the first figures arrive the panels stay hidden (empty boxes would flash); a
loading indicator shows only if that takes longer than this."""
HISTORY_DAYS = 30
"""Working days in the attainment chart: six weeks, long enough for a slump to show."""
FOLLOWUPS_SHOWN = 6
"""Follow-ups listed on Today; the rest are counted (the block works the whole queue)."""


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
    attainment: tuple[DayAttainment, ...]
    """The last working days before today, oldest first, days off included."""
    followups: tuple[ProspectSummary, ...]
    """Prospects whose next touch is due or overdue, most overdue first."""
    block_minutes: int
    """The planned length a new block is offered with."""
    headline: str = ""
    limbo: tuple[LimboItem, ...] = ()
    """Conversations with neither a next step nor a stop, oldest first."""
    """The coach's 30/90 headline (money locked in for 90 days, the next dip); empty
    without actions, where any figure would be made up."""


def read_today(store: Store, clock: Clock) -> TodayFigures:
    """Read the Today figures; blocking, so it runs in a worker thread."""
    # The store first: at start-up it may still be opening on its own thread, and an
    # import here meanwhile could deadlock against the imports that thread is doing.
    settings = store.settings()
    import pendulum  # not at start-up: the first frame does not need it

    local = pendulum.instance(clock.now()).in_timezone(settings.timezone)
    day = dt.date(local.year, local.month, local.day)
    in_force = store.targets_in_force(day)
    has_actions = store.action_count() > 0
    return TodayFigures(
        day=day,
        timezone=settings.timezone,
        status=store.status(day),
        labels={kind.key: kind.label for kind in store.data.kinds},
        daily_kinds=frozenset(k for k, rule in in_force.items() if rule.per == "day"),
        working_day=day.isoweekday() in settings.working_days,
        window_days=settings.window_days,
        has_actions=has_actions,
        attainment=tuple(store.daily_attainment(day, HISTORY_DAYS)),
        followups=tuple(store.followup_queue(day)),
        block_minutes=settings.block_minutes,
        headline=coach.headline(store.forecast(day), settings.currency) if has_actions else "",
        limbo=tuple(store.limbo()),
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


def attainment_caption(days: Sequence[DayAttainment], markup: bool = False) -> str:
    """``Last 30 working days: 24 on target, 4 under, 2 off`` (days off are not misses).

    With ``markup`` each count takes the colour its days have in the chart above it,
    so the caption is the chart's legend too.
    """
    if not days:
        return "From tomorrow, each working day gets a bar here: its count against its target."
    counts = {"met": 0, "under": 0, "off": 0, "free": 0}
    for day in days:
        kind = attainment_class(day)
        counts["under" if kind == "missed" else kind] += 1

    def part(text: str, style: str) -> str:
        return f"[{style}]{text}[/]" if markup else text

    parts = [
        part(f"{counts['met']} on target", "$success"),
        part(f"{counts['under']} under", "$warning"),
    ]
    if counts["off"]:
        parts.append(part(f"{counts['off']} off", "$text-muted"))
    if counts["free"]:
        parts.append(part(f"{counts['free']} without a target", "$text-muted"))
    span = "working day" if len(days) == 1 else f"{len(days)} working days"
    return f"Last {span}: {', '.join(parts)}"


def overdue_text(days: int) -> str:
    if days <= 0:
        return "due today"
    return "1 day late" if days == 1 else f"{days} days late"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def next_touch_text(prospect: ProspectSummary, labels: dict[str, str]) -> str:
    """``6th · Call`` from the cadence, ``3rd · agreed step`` for a committed one."""
    what = labels.get(prospect.next_kind, prospect.next_kind) if prospect.next_kind else ""
    return f"{ordinal(prospect.touch_count + 1)} · {what or 'agreed step'}"


def followup_rows(
    queue: Sequence[ProspectSummary],
    today: dt.date,
    labels: dict[str, str],
    limit: int = FOLLOWUPS_SHOWN,
) -> tuple[FollowUp, ...]:
    """The first ``limit`` prospects of the queue as the preview shows them."""
    rows = []
    for prospect in queue[:limit]:
        late = prospect.days_overdue(today) or 0
        planned = prospect.next_touch_on
        rows.append(
            FollowUp(
                name=plain(prospect.name),
                company=plain(prospect.company) or "—",
                due=overdue_text(late),
                planned="" if planned is None else f"{planned:%a} {planned.day} {planned:%b}",
                next_touch=next_touch_text(prospect, labels),
                overdue=late > 0,
            )
        )
    return tuple(rows)


LIMBO_SHOWN = 3
"""Conversations in limbo listed on Today; the Follow-ups screen lists them all."""


def limbo_text(figures: TodayFigures, keys: dict[str, str | None]) -> str:
    """The oldest conversations left without a step or a stop, and the key that resolves
    them; empty (the panel hides) when there are none."""
    if not figures.limbo:
        return ""
    lines = [limbo_line(item, figures.day, figures.labels) for item in figures.limbo[:LIMBO_SHOWN]]
    more = len(figures.limbo) - LIMBO_SHOWN
    key = keys.get("step_or_stop") or "s"
    hint = f"[b $accent]{key}[/] resolves the oldest: a next step or a stop"
    if more > 0:
        hint += f" · {more} more on Follow-ups ([b $accent]{keys.get('followups') or '5'}[/])"
    return "\n".join([*lines, f"[dim]{hint}[/]"])


def getting_started(kinds: Sequence[str], keys: dict[str, str | None]) -> str:
    """Guidance for a database with no actions: how to log from here, or from a shell.

    ``keys`` maps ``block``, ``quick_log``, ``refresh`` and ``settings`` to the keys
    that do them right now; a missing key is left out.
    """

    def row(label: str, command: str, note: str = "") -> str:
        pad = " " * max(1, 12 - len(command))
        return f"    {label:<32}[b $accent]{escape(command)}[/]{pad}{note}".rstrip()

    lines = ["[b]Welcome to Prospector.[/b] Nothing is logged yet. Log your first touch:", ""]
    if block := keys.get("block"):
        lines.append(row("Start a prospecting block", block, "a timer, and one key per touch"))
    if quick := keys.get("quick_log"):
        lines.append(row("Log one touch, on any screen", quick, "kind key, then outcome key"))
    lines.append(row("Or from a shell or a script", "prospector log call"))
    if settings := keys.get("settings"):
        lines.append(row("Set your own targets", settings, "the Settings screen"))
    else:
        lines.append(row("Set your own targets", "prospector target set call 25"))
    lines += [
        "",
        "Everything you log counts against the targets below at once; what you log from "
        "a shell shows here within two seconds "
        f"(kinds: {escape(', '.join(kinds))}).",
        "",
        "Just looking around? [b $accent]prospector --demo[/] opens the app on a "
        "realistic demo history.",
    ]
    return "\n".join(lines)


def spelled(key: str | None) -> str | None:
    """A key as a new user reads it: ``ctrl+l`` rather than the footer's ``^l``."""
    return f"ctrl+{key[1:]}" if key and key.startswith("^") else key


class TodayScreen(MainScreen):
    """Today's and this week's counts against target, follow-ups due, habit, 30-day view."""

    CSS_PATH = "today.tcss"
    BINDINGS = [
        Binding(
            "b",
            "start_block",
            "Start a block",
            tooltip="Start a timed prospecting block with one-key logging",
            id="today.start_block",
        ),
        Binding(
            "s",
            "step_or_stop",
            "Step or stop",
            tooltip="Resolve the oldest conversation in limbo: a next step or a stop",
            id="today.step_or_stop",
        ),
        Binding(
            "r",
            "refresh",
            "Refresh",
            show=False,  # the screen follows changes made elsewhere by itself
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
    followups: var[tuple[FollowUp, ...]] = var(())
    followups_more: var[int] = var(0)
    followups_empty: var[str] = var("")
    limbo_text: var[str] = var("")
    habits: var[tuple[Figure, ...]] = var(())
    attainment: var[tuple[DayAttainment, ...]] = var(())
    attainment_caption: var[str] = var("")
    rolling_rows: var[tuple[KindProgress, ...]] = var(())
    outlook: var[str] = var("")
    headline: var[str] = var("")

    def __init__(self, store: Store, clock: Clock) -> None:
        super().__init__()
        self.store = store
        self.clock = clock
        self.block_asked = False
        """``b`` was pressed before the figures arrived."""
        self.panels_built = False
        """The panels are mounted (just after the first frame): figures can be shown."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(id="body")
        yield Footer(compact=True)

    def panels(self) -> list[Widget]:
        """The panels of the body, bound to the screen's figures."""
        return [
            Prose(id="day-off").data_bind(text=TodayScreen.day_off),
            Prose(id="guide").data_bind(text=TodayScreen.guide),
            Grid(
                TargetTable(id="today").data_bind(
                    rows=TodayScreen.today_rows, empty_text=TodayScreen.today_empty
                ),
                TargetTable(id="week").data_bind(rows=TodayScreen.week_rows),
                id="targets",
            ),
            FollowUpTable(id="followups").data_bind(
                rows=TodayScreen.followups,
                more=TodayScreen.followups_more,
                empty_text=TodayScreen.followups_empty,
            ),
            Prose(id="limbo").data_bind(text=TodayScreen.limbo_text),
            Vertical(
                FigureStrip(id="habits").data_bind(figures=TodayScreen.habits),
                Vertical(
                    AttainmentChart(id="attainment").data_bind(days=TodayScreen.attainment),
                    Prose(id="attainment-caption").data_bind(text=TodayScreen.attainment_caption),
                    id="history",
                ),
                id="habit",
            ),
            Vertical(
                Prose(id="headline").data_bind(text=TodayScreen.headline),
                TargetTable().data_bind(rows=TodayScreen.rolling_rows),
                Prose(id="outlook").data_bind(text=TodayScreen.outlook),
                id="rolling",
            ),
        ]

    def on_mount(self) -> None:
        self.query_one("#body").display = False
        self.set_timer(LOADING_AFTER_SECONDS, self.show_loading)
        self.set_interval(DAY_CHECK_SECONDS, self.check_day)
        # The panels stay hidden until the figures arrive, so building them waits for
        # the first frame: the screen and its keys come up at once, then the panels,
        # while the store (which may still be opening) is read on a worker.
        self.call_after_refresh(self.build_panels)

    async def build_panels(self) -> None:
        await self.query_one("#body").mount_all(self.panels())
        self.query_one("#today").border_title = "Today"
        self.query_one("#week").border_title = "This week"
        self.query_one("#followups").border_title = "Follow-ups due"
        self.query_one("#limbo").border_title = "In limbo"
        self.query_one("#habit").border_title = "Habit"
        self.query_one("#guide").border_title = "Getting started"
        rolling = self.query_one("#rolling")
        rolling.border_title = f"Last {ROLLING_DAYS} days · next 90"
        rolling.border_subtitle = "Blount's 30-day rule"
        self.panels_built = True
        self.load()

    def show_loading(self) -> None:
        """A first load that takes a while shows Textual's loading indicator."""
        body = self.query_one("#body")
        if self.figures is None and not body.display:
            body.display = True
            body.loading = True

    def loaded(self) -> None:
        """Show the figures. Only ``display`` and ``loading`` change, not a class: a
        class on the screen would restyle every widget on it."""
        body = self.query_one("#body")
        body.display = True
        body.loading = False
        if self.focused is None:
            body.focus()  # arrow keys and page keys scroll a screen taller than the terminal

    def action_refresh(self) -> None:
        if self.panels_built:  # else the first load is on its way
            self.load()

    def action_start_block(self) -> None:
        """Ask for the planned minutes, then run the block; Today reloads once it ends.

        The offered length is a setting, read with the figures: a key pressed before
        they arrive (the store may still be opening) starts the block once they do.
        """
        if self.figures is None:
            self.block_asked = True
            return
        self.block_asked = False
        start_block(self, self.store, self.clock, self.figures.block_minutes, self.load)

    def action_step_or_stop(self) -> None:
        """Ask what the oldest conversation in limbo ended in, and record it."""
        figures = self.figures
        if figures is None or not figures.limbo:
            return
        item = figures.limbo[0]

        def resolved(resolution: tuple[str, dt.date | None] | None) -> None:
            if resolution is not None:
                save_resolution(self, self.store, item, resolution, self.load)

        self.app.push_screen(ResolveModal(item, figures.day, figures.labels), resolved)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``s`` is offered only while a conversation is in limbo."""
        if action == "step_or_stop":
            return self.figures is not None and bool(self.figures.limbo)
        return True

    def check_day(self) -> None:
        """Reload once the rep's local day has turned, so an app left open stays honest."""
        if self.figures is None:
            return
        import pendulum

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
            self.loaded()
            if self.block_asked:
                self.action_start_block()
        elif event.state == WorkerState.ERROR:
            self.loaded()
            say_failed(self, "read today's figures", event.worker.error, "Today")

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
        kinds = list(figures.labels)
        self.guide = "" if figures.has_actions else getting_started(kinds, self.guide_keys())
        self.today_rows = today_rows(figures)
        self.today_empty = today_empty_text(figures)
        self.week_rows = week_rows(figures)
        due = len(figures.followups)
        self.query_one("#followups").border_title = (
            f"Follow-ups due · {due}" if due else "Follow-ups due"
        )
        self.followups = followup_rows(figures.followups, figures.day, figures.labels)
        self.followups_more = max(0, due - FOLLOWUPS_SHOWN)
        self.followups_empty = (
            "Nothing due. A next step logged with a date comes back here on that day."
        )
        self.limbo_text = limbo_text(figures, self.guide_keys())
        self.query_one("#limbo").border_title = f"In limbo · {len(figures.limbo)}"
        self.refresh_bindings()
        self.habits = habit_figures(status)
        self.attainment = figures.attainment
        self.attainment_caption = attainment_caption(figures.attainment, markup=True)
        self.rolling_rows = (
            KindProgress(
                "Targeted actions",
                status.rolling_30.done,
                status.rolling_30.target,
                "no target has fallen due yet",
            ),
        )
        self.outlook = outlook_sentence(status.rolling_30, figures.window_days)
        self.headline = escape(figures.headline)

    def guide_keys(self) -> dict[str, str | None]:
        """The keys the guide names, as the footer shows them (they may be remapped)."""
        ids = {
            "block": "today.start_block",
            "quick_log": "app.quick_log",
            "settings": "app.settings",
            "step_or_stop": "today.step_or_stop",
            "followups": "app.followups",
        }
        return {name: spelled(key_for(self, binding)) for name, binding in ids.items()}


def start_block(
    screen: Screen[Any], store: Store, clock: Clock, default: int, ended: Callable[[], object]
) -> None:
    """Wiring to the block screens: the planned minutes, then the block; ``ended`` runs
    when the block screen closes.

    Kept apart so the block's module (``screens.block``) is imported when a block
    starts rather than when the app starts.
    """
    from screens.block import BlockScreen, PlannedMinutesModal

    def closed(_: None) -> None:
        ended()

    def planned(minutes: int | None) -> None:
        if minutes is not None:
            screen.app.push_screen(BlockScreen(store, clock, minutes), closed)

    screen.app.push_screen(PlannedMinutesModal(default), planned)
