"""Widgets that render prospecting figures handed to them by a screen.

None of them reads the store: a screen loads the figures off the UI thread, turns them
into the small frozen values defined here, and binds them to these widgets' reactives.
That keeps the widgets reusable (the block screen shows the same target table) and
trivially testable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.geometry import Size
from textual.reactive import reactive
from textual.renderables.bar import Bar as BarRenderable
from textual.widget import Widget
from textual.widgets import Label, Static

from prospector.records import DayAttainment

__all__ = [
    "AttainmentChart",
    "Figure",
    "FigureStrip",
    "FollowUp",
    "FollowUpTable",
    "KindProgress",
    "Meter",
    "Prose",
    "TargetTable",
    "attainment_class",
    "fmt_count",
]


def fmt_count(value: float) -> str:
    """A target as a rep reads it: ``20``, or ``2.4`` when a weekly target is shared out."""
    rounded = round(value, 1)
    return str(int(rounded)) if rounded.is_integer() else f"{rounded:.1f}"


@dataclass(frozen=True)
class KindProgress:
    """One row of a target table: an activity's count against what its target asks."""

    label: str
    done: int
    target: float
    """What the target asks for in the period; 0 when nothing is asked."""
    note: str = ""
    """Shown instead of a bar when nothing is asked, to say why (``no target``)."""

    @property
    def met(self) -> bool:
        return self.target > 0 and self.done >= self.target - 1e-9


class Meter(Widget):
    """A share of a target as a bar and a percentage, capped at 100%.

    It looks like Textual's ``ProgressBar`` but is one widget with no timer: a
    ``ProgressBar`` is four widgets and ticks every second for its ETA, and Today shows
    a dozen of them.
    """

    COMPONENT_CLASSES = {"meter--bar", "meter--complete"}
    DEFAULT_CSS = """
    Meter {
        height: 1;
        width: 1fr;
        & > .meter--bar { color: $primary; background: $surface; }
        & > .meter--complete { color: $success; background: $surface; }
    }
    """
    PERCENT_WIDTH = 5

    progress: reactive[float] = reactive(0.0)
    total: reactive[float] = reactive(0.0)

    def __init__(self, progress: float, total: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.set_reactive(Meter.progress, progress)
        self.set_reactive(Meter.total, total)

    @property
    def share(self) -> float:
        return min(1.0, self.progress / self.total) if self.total > 0 else 0.0

    def render(self) -> RenderableType:
        share = self.share
        width = max(0, self.size.width - self.PERCENT_WIDTH)
        style = self.get_component_rich_style("meter--complete" if share >= 1 else "meter--bar")
        grid = Table.grid(expand=True)
        grid.add_column(width=width)
        grid.add_column(width=self.PERCENT_WIDTH, justify="right")
        grid.add_row(
            BarRenderable(
                highlight_range=(0, width * share),
                highlight_style=Style.from_color(style.color),
                background_style=Style.from_color(style.bgcolor),
                width=width,
            ),
            f"{round(share * 100)}%",
        )
        return grid


class TargetTable(Widget):
    """Label, ``done / target`` and a bar per row; ``empty_text`` when there are no rows."""

    DEFAULT_CSS = """
    TargetTable {
        height: auto;
        & > Grid {
            grid-size: 3;
            grid-columns: 16 10 1fr;
            grid-rows: 1;
            grid-gutter: 0 1;
            height: auto;
        }
        & .count { width: 1fr; text-align: right; }
        & .count.-met { color: $success; text-style: bold; }
        & .note { color: $text-muted; }
        & .empty { color: $text-muted; }
    }
    """

    rows: reactive[tuple[KindProgress, ...]] = reactive((), recompose=True)
    empty_text: reactive[str] = reactive("", recompose=True)

    def compose(self) -> ComposeResult:
        if not self.rows:
            yield Static(self.empty_text, classes="empty", markup=False)
            return
        with Grid():
            for row in self.rows:
                yield Label(row.label, classes="kind", markup=False)
                count = f"{row.done} / {fmt_count(row.target)}" if row.target else str(row.done)
                yield Label(count, classes="count -met" if row.met else "count")
                if row.target > 0:
                    yield Meter(row.done, row.target)
                else:
                    yield Label(row.note, classes="note", markup=False)


@dataclass(frozen=True)
class Figure:
    """A headline number with its caption, such as the streak or the buffer."""

    title: str
    value: str
    warn: bool = False
    """Shown in the theme's error colour: the rep should act on it."""


class FigureStrip(Widget):
    """A row of captioned headline figures of equal width."""

    DEFAULT_CSS = """
    FigureStrip {
        height: auto;
        & > Horizontal { height: auto; }
        & Vertical { width: 1fr; height: auto; }
        & .title { color: $text-muted; }
        & .value { text-style: bold; }
        & .value.-warn { color: $error; }
    }
    """

    figures: reactive[tuple[Figure, ...]] = reactive((), recompose=True)

    def compose(self) -> ComposeResult:
        with Horizontal():
            for figure in self.figures:
                with Vertical():
                    yield Label(figure.title, classes="title", markup=False)
                    classes = "value -warn" if figure.warn else "value"
                    yield Label(figure.value, classes=classes, markup=False)


class Prose(Static):
    """A paragraph set through a reactive, hidden while it is empty.

    ``text`` is Textual markup (so guidance can highlight the commands to type);
    whoever builds it escapes any data that goes into it.
    """

    DEFAULT_CSS = """
    Prose { height: auto; }
    """

    text: reactive[str] = reactive("")

    def watch_text(self, text: str) -> None:
        self.update(text)
        self.display = bool(text)


def attainment_class(day: DayAttainment) -> str:
    """How a day went against its target: ``met``, ``under``, ``missed``, ``off`` or ``free``.

    ``missed`` is an under-target day with nothing logged at all; ``free`` a working day
    that asked for nothing (no target in force).
    """
    if day.day_off:
        return "off"
    if day.target <= 0:
        return "free"
    if day.done >= day.target - 1e-9:
        return "met"
    return "under" if day.done else "missed"


class AttainmentChart(Widget):
    """One bar per working day: how much of that day's target was done, days off hatched.

    Textual's ``Sparkline`` colours bars on one gradient by value; here a day's colour
    has to say something the height cannot (on target, under, nothing logged, day
    off), so the bars are drawn directly, in the theme colours of the component
    classes below. Full height is the day's target; more than that is still full.
    Under the bars, each Monday that has room is labelled with its date.
    """

    COMPONENT_CLASSES = {
        "attainment--met",
        "attainment--under",
        "attainment--missed",
        "attainment--off",
        "attainment--free",
        "attainment--axis",
    }
    DEFAULT_CSS = """
    AttainmentChart {
        height: auto;
        width: 1fr;
        & > .attainment--met { color: $success; }
        & > .attainment--under { color: $warning; }
        & > .attainment--missed { color: $error; }
        & > .attainment--off { color: $text-muted; }
        & > .attainment--free { color: $text-muted; }
        & > .attainment--axis { color: $text-muted; }
    }
    """

    BAR_ROWS = 3
    BAR_WIDTH = 2
    GAP = 1
    EIGHTHS = " ▁▂▃▄▅▆▇█"

    days: reactive[tuple[DayAttainment, ...]] = reactive(())

    def watch_days(self, days: tuple[DayAttainment, ...]) -> None:
        self.display = bool(days)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.BAR_ROWS + 1 if self.days else 0

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return len(self.days) * (self.BAR_WIDTH + self.GAP)

    def level(self, day: DayAttainment) -> int:
        """Bar height in eighths of a cell, never zero: a missed day must not look like a
        gap in the data, so it keeps a one-eighth stub in its own colour."""
        if day.target <= 0 or day.done <= 0:
            return 1
        full = self.BAR_ROWS * 8
        return max(1, min(full, round(full * day.done / day.target)))

    def render(self) -> Text:
        styles = {
            name: self.get_component_rich_style(f"attainment--{name}")
            for name in ("met", "under", "missed", "off", "free", "axis")
        }
        text = Text(no_wrap=True, overflow="crop")
        gap = " " * self.GAP
        for row in range(self.BAR_ROWS):
            floor = (self.BAR_ROWS - 1 - row) * 8
            for index, day in enumerate(self.days):
                kind = attainment_class(day)
                if kind == "off":
                    cell = "░"
                else:
                    cell = self.EIGHTHS[max(0, min(8, self.level(day) - floor))]
                text.append(cell * self.BAR_WIDTH, styles[kind])
                if index < len(self.days) - 1:
                    text.append(gap)
            text.append("\n")
        text.append(self.axis(), styles["axis"])
        return text

    def axis(self) -> str:
        """Date labels under the first working day of each week, where they fit."""
        step = self.BAR_WIDTH + self.GAP
        line = [" "] * (len(self.days) * step)
        free_from = 0
        previous: dt.date | None = None
        for index, day in enumerate(self.days):
            new_week = previous is None or day.day.isocalendar()[:2] != previous.isocalendar()[:2]
            previous = day.day
            label = f"{day.day.day} {day.day:%b}"
            start = index * step
            if new_week and start >= free_from and start + len(label) <= len(line):
                line[start : start + len(label)] = label
                free_from = start + len(label) + 1
        return "".join(line).rstrip()


@dataclass(frozen=True)
class FollowUp:
    """One prospect in the follow-up preview, worded for the rep."""

    name: str
    company: str
    due: str
    """``due today`` or ``3 days late``."""
    planned: str
    """The day the next touch was planned for, e.g. ``Fri 13 Nov``."""
    next_touch: str
    """Which touch is next and how, e.g. ``3rd · Email``: most sales come at the 5th
    to 12th."""
    overdue: bool


class FollowUpTable(Widget):
    """Prospects whose next touch is due, under a header row; ``+N more`` below them.

    Drawn as one Rich table rather than a grid of labels: it is read, never
    focused, and some forty small widgets would cost the Today screen's first paint
    more than everything else on it.
    """

    COMPONENT_CLASSES = {
        "followups--head",
        "followups--name",
        "followups--overdue",
        "followups--muted",
    }
    DEFAULT_CSS = """
    FollowUpTable {
        height: auto;
        & > .followups--head { color: $text-muted; }
        & > .followups--name { text-style: bold; }
        & > .followups--overdue { color: $error; }
        & > .followups--muted { color: $text-muted; }
    }
    """

    HEADINGS = ("Prospect", "Company", "Due", "Due on", "Next touch")
    WIDTHS = (-2, -3, 15, 11, 20)
    """Cells per column; a negative number is a share of what the fixed ones leave."""

    rows: reactive[tuple[FollowUp, ...]] = reactive((), layout=True)
    more: reactive[int] = reactive(0, layout=True)
    empty_text: reactive[str] = reactive("", layout=True)

    def render(self) -> RenderableType:
        muted = self.get_component_rich_style("followups--muted")
        if not self.rows:
            return Text(self.empty_text, style=muted)
        head = self.get_component_rich_style("followups--head")
        table = Table(box=None, padding=(0, 2, 0, 0), expand=True, header_style=head)
        for heading, width in zip(self.HEADINGS, self.WIDTHS, strict=True):
            table.add_column(
                heading,
                ratio=None if width > 0 else -width,
                width=width if width > 0 else None,
                no_wrap=True,
                overflow="ellipsis",
            )
        name = self.get_component_rich_style("followups--name")
        overdue = self.get_component_rich_style("followups--overdue")
        for row in self.rows:
            table.add_row(
                Text(row.name, style=name),
                Text(row.company),
                Text(row.due, style=overdue if row.overdue else ""),
                row.planned,
                row.next_touch,
            )
        if not self.more:
            return table
        return Group(table, Text(f"+{self.more} more due", style=muted))
