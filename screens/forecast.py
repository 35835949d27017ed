"""The Forecast screen: what today's prospecting brings in one to four months.

Blount's 30/90 rule is only useful if a rep can see it: the money already "in the
pipe" for the next 120 days, what the current pace and the targets would add, and the
wins of the last 90 days on the same time scale beside it, so a slump shows up as a
dip months before it costs a commission. Under the charts, the month-by-month figures
and the coach's sentences (gaps, recovery plan, calibration) say the same thing in
words; every sentence comes from ``prospector.coach`` so the CLI and this screen word a
figure identically.

Like Today, the screen reads the store in a thread worker and binds plain values to
widgets that only render; the charts take their colours from component classes styled
with theme variables in ``forecast.tcss``, so they follow the theme.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pendulum
from textual import work
from textual.app import ComposeResult, RenderResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.reactive import reactive, var
from textual.theme import Theme
from textual.widgets import Header, Static
from textual.worker import Worker, WorkerState
from textual_plotext import PlotextPlot

from prospector import coach
from prospector.clock import Clock
from prospector.coach import gap_sentence, money, month_name, recovery_sentence
from prospector.projection import MIN_WINS_TO_CALIBRATE, Calibration, DayForecast, Forecast
from prospector.shipped import Kind
from prospector.store import Store
from screens.footer import Footer
from screens.forms import say_failed
from screens.help import key_for
from screens.main_screen import MainScreen
from screens.widgets import Prose

LOAD_WORKER = "forecast.load"
WINS_DAYS = 90
"""Days of past wins shown beside the 120 days ahead."""
GAPS_SHOWN = 4
"""Activity gaps worded on screen, biggest first; the rest cost less and would bury them."""
MONTH_WIDTH = 17
AMOUNT_WIDTH = 9


@dataclass(frozen=True)
class ForecastFigures:
    """Everything the Forecast screen shows, read from the store in one go."""

    day: dt.date
    currency: str
    has_actions: bool
    forecast: Forecast
    daily_target: float
    """The monthly revenue target spread over the year's days (target x 12 / 365)."""
    wins: tuple[tuple[dt.date, float], ...]
    """Wins of the last ``WINS_DAYS`` days (today included): local date and amount."""
    kinds: dict[str, Kind]


def read_forecast(store: Store, clock: Clock) -> ForecastFigures:
    """Read the forecast and the recent wins; blocking, so it runs in a worker thread."""
    settings = store.settings()
    local = pendulum.instance(clock.now()).in_timezone(settings.timezone)
    day = dt.date(local.year, local.month, local.day)
    since = day - dt.timedelta(days=WINS_DAYS - 1)
    wins = tuple(store.won_by_day(since, day))
    return ForecastFigures(
        day=day,
        currency=settings.currency,
        has_actions=store.has_actions(),
        forecast=store.forecast(day),
        daily_target=settings.revenue_target_month * 12 / 365,
        wins=wins,
        kinds={kind.key: kind for kind in store.data.kinds},
    )


def month_table(forecast: Forecast, currency: str) -> str:
    """The months ahead as aligned markup rows; a gap (locked in short of the revenue
    target) in the error colour, since that is what today's prospecting has to fill.

    The header takes two lines so the columns stay as narrow as the amounts, leaving
    room beside the table for the coach's sentences.
    """
    tops = ("Locked", "At", "At", "Revenue", "")
    bottoms = ("in", "pace", "target", "target", "Gap")
    head = [
        " " * MONTH_WIDTH + "".join(f"{c:>{AMOUNT_WIDTH}}" for c in tops),
        f"{'Month':<{MONTH_WIDTH}}" + "".join(f"{c:>{AMOUNT_WIDTH}}" for c in bottoms),
    ]
    lines = [f"[b $text-muted]{line.rstrip()}[/]" for line in head]
    for month in forecast.months:
        label = month_name(month.month)
        if month.days < 28:
            label += f" ({month.days} days)"
        amounts = [
            money(value, currency)
            for value in (month.locked_in, month.at_pace, month.at_target, month.revenue_target)
        ]
        row = f"{label:<{MONTH_WIDTH}}" + "".join(f"{a:>{AMOUNT_WIDTH}}" for a in amounts)
        if month.gap > 0.5:
            gap = f"[$error]{money(month.gap, currency):>{AMOUNT_WIDTH}}[/]"
        else:
            gap = f"[$text-muted]{'—':>{AMOUNT_WIDTH}}[/]"
        lines.append(escape(row) + gap)
    return "\n".join(lines)


def gap_text(forecast: Forecast, currency: str, limit: int = GAPS_SHOWN) -> str:
    """The biggest activity gaps, one sentence each, biggest first."""
    gaps = sorted(forecast.gaps, key=lambda gap: gap.cost, reverse=True)
    if not gaps:
        return "No activity gaps: every working day of the last four months met its target."
    lines = [gap_sentence(gap, currency) for gap in gaps[:limit]]
    if len(gaps) > limit:
        rest = len(gaps) - limit
        lines.append(f"And {rest} smaller {'gap' if rest == 1 else 'gaps'}.")
    return "\n\n".join(escape(line) for line in lines)


def recovery_text(forecast: Forecast, kinds: Mapping[str, Kind]) -> str:
    """The recovery plan, or that the current pace already fills every month."""
    plan = forecast.recovery
    sentence = recovery_sentence(plan, kinds) if plan is not None else ""
    if sentence:
        return escape(sentence)
    if not forecast.trailing_per_day:
        return "No pace yet: nothing was logged in the last 30 days."
    return (
        "At your pace every month ahead reaches its revenue target: keep it up and the "
        "gaps in locked-in revenue fill themselves."
    )


def calibration_text(calibration: Calibration, kinds: Mapping[str, Kind], currency: str) -> str:
    """Values per action, calibrated against defaults, and how many wins back them."""

    def label(kind: str) -> str:
        return kinds[kind].label if kind in kinds else kind

    if calibration.scale is None:
        values = ", ".join(
            f"{label(kind)} {money(value, currency)}"
            for kind, value in calibration.default_values.items()
        )
        wins = "1 win" if calibration.wins == 1 else f"{calibration.wins} wins"
        return escape(
            f"Values per action are the funnel defaults: {values}. {wins} in the last "
            f"year; calibration starts at {MIN_WINS_TO_CALIBRATE}."
        )
    values = ", ".join(
        f"{label(kind)} {money(calibration.calibrated_values.get(kind, 0.0), currency)} "
        f"({money(value, currency)})"
        for kind, value in calibration.default_values.items()
    )
    return escape(
        f"Calibrated on {calibration.wins} wins in the last year: you won "
        f"{money(calibration.won, currency)} where the rule projected "
        f"{money(calibration.projected, currency)} (x{calibration.scale:.2f}, counted at "
        f"{round(100 * calibration.weight)}% against the defaults). "
        f"Value per action, calibrated (default): {values}."
    )


def empty_text(keys: Mapping[str, str | None]) -> str:
    """What a database with no actions shows instead of charts of zeros."""
    today = keys.get("today")
    start = (
        f"Press [b $accent]{escape(today)}[/] for Today and start a block, or log"
        if today
        else "Log"
    )
    return (
        "[b]Nothing to forecast yet.[/b] The forecast turns each logged action into the "
        "revenue it is likely to bring 1 to 4 months later (Blount's 30-day rule), so it "
        "needs a history of actions.\n\n"
        f"{start} from a shell: [b $accent]prospector log call[/]. Record a closed deal "
        "with [b $accent]prospector win 12000 --prospect NAME[/]: with a few wins, values "
        "per action are calibrated on your own results."
    )


def nice_step(top: float, ticks: int = 4) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) that covers ``top`` in about
    ``ticks`` steps."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def money_ticks(top: float, currency: str) -> tuple[list[float], list[str]]:
    """Round amounts from 0 up to ``top`` (the chart keeps its headroom tight, so the
    highest tick may sit below the top of the frame)."""
    step = nice_step(top)
    count = math.floor(top / step + 1e-9)
    ticks = [i * step for i in range(count + 1)]
    return ticks, [money(tick, currency) for tick in ticks]


def month_ticks(first: dt.date, last: dt.date, origin: dt.date) -> tuple[list[float], list[str]]:
    """The first day of each month between ``first`` and ``last``, as day offsets from
    ``origin`` with labels like ``1 Dec``."""
    ticks: list[float] = []
    labels: list[str] = []
    day = first.replace(day=1)
    while day <= last:
        if day >= first:
            ticks.append((day - origin).days)
            labels.append(f"1 {day:%b}")
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return ticks, labels


@dataclass(frozen=True)
class OutlookSeries:
    """The projected revenue a day for the days ahead, and the revenue target a day."""

    as_of: dt.date
    days: tuple[DayForecast, ...]
    daily_target: float
    currency: str


@dataclass(frozen=True)
class WinsSeries:
    """Wins of the last days up to ``as_of``: bars at their dates."""

    as_of: dt.date
    wins: tuple[tuple[dt.date, float], ...]
    currency: str
    days: int = WINS_DAYS


class ThemedPlot(PlotextPlot):
    """A plotext chart whose series colours come from its component classes (theme
    variables in the stylesheet), redrawn on every render so a theme change or a resize
    takes effect at once."""

    def colour(self, component: str) -> tuple[int, int, int]:
        color = self.get_component_rich_style(component).color
        if color is None:
            return (128, 128, 128)
        red, green, blue = color.get_truecolor()
        return (red, green, blue)

    def on_mount(self) -> None:
        super().on_mount()
        self.app.theme_changed_signal.subscribe(self, self.theme_changed)

    def theme_changed(self, _: Theme) -> None:
        self.refresh()

    def draw(self) -> None:
        """Plot the data into ``self.plt`` (cleared before each call)."""

    def render(self) -> RenderResult:
        self.plt.clear_figure()
        self.draw()
        return super().render()


class OutlookChart(ThemedPlot):
    """Locked in, at pace and at target a day for the next 120 days, with the revenue
    target a day as a flat line."""

    COMPONENT_CLASSES = {"chart--locked", "chart--pace", "chart--target", "chart--revenue"}

    series: reactive[OutlookSeries | None] = reactive(None)

    def draw(self) -> None:
        series = self.series
        if series is None or not series.days:
            return
        plt = self.plt
        xs = [(row.day - series.as_of).days for row in series.days]
        curves = (
            ("chart--target", [row.at_target for row in series.days]),
            ("chart--pace", [row.at_pace for row in series.days]),
            ("chart--locked", [row.locked_in for row in series.days]),
        )
        plt.plot(
            xs, [series.daily_target] * len(xs), marker="·", color=self.colour("chart--revenue")
        )
        for component, values in curves:
            plt.plot(xs, values, marker="braille", color=self.colour(component))
        top = max(series.daily_target, *(max(values) for _, values in curves)) * 1.05
        plt.ylim(0, top)
        plt.yticks(*money_ticks(top, series.currency))
        plt.xlim(xs[0], xs[-1])
        plt.xticks(*month_ticks(series.days[0].day, series.days[-1].day, series.as_of))


class WinsChart(ThemedPlot):
    """The deals won in the last 90 days, one bar at each win's date."""

    COMPONENT_CLASSES = {"chart--wins"}

    series: reactive[WinsSeries | None] = reactive(None)

    def draw(self) -> None:
        series = self.series
        if series is None:
            return
        plt = self.plt
        first = series.as_of - dt.timedelta(days=series.days - 1)
        by_day: dict[int, float] = {}
        for day, amount in series.wins:
            offset = (day - series.as_of).days
            by_day[offset] = by_day.get(offset, 0.0) + amount
        if by_day:
            plt.bar(
                list(by_day), list(by_day.values()), width=0.1, color=self.colour("chart--wins")
            )
        top = max(by_day.values(), default=0.0) * 1.05 or 1.0
        plt.ylim(0, top)
        plt.yticks(
            *money_ticks(top, series.currency) if by_day else ([0], [money(0, series.currency)])
        )
        plt.xlim(-(series.days - 1), 0)
        plt.xticks(*month_ticks(first, series.as_of, series.as_of))


LEGEND = (
    "[$success]▇▇[/] won   "
    "[$success]━━[/] locked in   "
    "[$primary]━━[/] at your pace   "
    "[$accent]━━[/] at target   "
    "[$warning]··[/] revenue target"
)


class ForecastScreen(MainScreen):
    """The next 120 days of revenue from the 30/90 rule, the months, gaps and plan."""

    CSS_PATH = "forecast.tcss"
    BINDINGS = [
        Binding(
            "r",
            "refresh",
            "Refresh",
            show=False,  # the screen follows changes made elsewhere by itself
            tooltip="Recompute the forecast, e.g. after logging or a win from a shell",
            id="forecast.refresh",
        ),
        Binding(
            "w",
            "wins",
            "Wins",
            tooltip="List every recorded win; delete a wrong one",
            id="forecast.wins",
        ),
    ]

    figures: var[ForecastFigures | None] = var(None)
    headline: var[str] = var("")
    empty: var[str] = var("")
    outlook: var[OutlookSeries | None] = var(None)
    wins: var[WinsSeries | None] = var(None)
    months: var[str] = var("")
    gaps: var[str] = var("")
    recovery: var[str] = var("")
    calibration: var[str] = var("")

    def __init__(self, store: Store, clock: Clock) -> None:
        super().__init__()
        self.store = store
        self.clock = clock

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="body"):
            yield Prose(id="headline").data_bind(text=ForecastScreen.headline)
            yield Prose(id="empty").data_bind(text=ForecastScreen.empty)
            with Vertical(id="forecast"):
                with Horizontal(id="charts"):
                    yield WinsChart(id="wins-chart").data_bind(series=ForecastScreen.wins)
                    yield OutlookChart(id="outlook-chart").data_bind(series=ForecastScreen.outlook)
                yield Static(LEGEND, id="legend")
                with Horizontal(id="details"):
                    with Vertical(id="left"):
                        yield Prose(id="months").data_bind(text=ForecastScreen.months)
                        yield Prose(id="recovery").data_bind(text=ForecastScreen.recovery)
                    with Vertical(id="right"):
                        yield Prose(id="gaps").data_bind(text=ForecastScreen.gaps)
                        yield Prose(id="calibration").data_bind(text=ForecastScreen.calibration)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#wins-chart").border_title = f"Won · last {WINS_DAYS} days"
        self.query_one("#outlook-chart").border_title = "Expected revenue a day · next 120 days"
        self.query_one("#months").border_title = "Months ahead"
        self.query_one("#calibration").border_title = "Value per action"
        self.query_one("#gaps").border_title = "Activity gaps"
        self.query_one("#recovery").border_title = "Recovery plan"
        self.query_one("#empty").border_title = "Forecast"
        self.query_one("#body").display = False
        self.load()

    def action_refresh(self) -> None:
        self.load()

    def action_wins(self) -> None:
        """The Wins screen; the forecast is recomputed when a win was deleted there."""
        from screens.wins import WinsScreen

        def closed(deleted: bool | None) -> None:
            if deleted:
                self.load()

        self.app.push_screen(WinsScreen(self.store), closed)

    @work(thread=True, exclusive=True, exit_on_error=False, name=LOAD_WORKER, group=LOAD_WORKER)
    def load(self) -> ForecastFigures:
        """Compute the forecast off the UI thread; the result arrives as a state change."""
        return read_forecast(self.store, self.clock)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != LOAD_WORKER:
            return
        body = self.query_one("#body")
        if event.state == WorkerState.SUCCESS and isinstance(event.worker.result, ForecastFigures):
            self.figures = event.worker.result
            body.display = True
            if self.focused is None:
                body.focus()
        elif event.state == WorkerState.ERROR:
            body.display = True
            say_failed(self, "compute the forecast", event.worker.error, "Forecast")

    def watch_figures(self, figures: ForecastFigures | None) -> None:
        if figures is None:
            return
        self.sub_title = f"As of {figures.day:%A} {figures.day.day} {figures.day:%B %Y}"
        self.query_one("#forecast").display = figures.has_actions
        if not figures.has_actions:
            self.headline = ""
            self.empty = empty_text({"today": key_for(self, "app.today")})
            return
        forecast = figures.forecast
        self.empty = ""
        self.headline = escape(coach.headline(forecast, figures.currency))
        self.wins = WinsSeries(figures.day, figures.wins, figures.currency)
        self.outlook = OutlookSeries(
            figures.day, tuple(forecast.daily), figures.daily_target, figures.currency
        )
        self.query_one("#wins-chart").border_subtitle = wins_caption(figures.wins, figures.currency)
        self.months = month_table(forecast, figures.currency)
        self.gaps = gap_text(forecast, figures.currency)
        self.recovery = recovery_text(forecast, figures.kinds)
        self.calibration = calibration_text(forecast.calibration, figures.kinds, figures.currency)


def wins_caption(wins: Sequence[tuple[dt.date, float]], currency: str) -> str:
    """``5 deals, €91,000`` under the wins chart; ``no deals recorded`` when empty."""
    if not wins:
        return "no deals recorded"
    total = money(sum(amount for _, amount in wins), currency)
    return f"1 deal, {total}" if len(wins) == 1 else f"{len(wins)} deals, {total}"
