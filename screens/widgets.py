"""Widgets that render prospecting figures handed to them by a screen.

None of them reads the store: a screen loads the figures off the UI thread, turns them
into the small frozen values defined here, and binds them to these widgets' reactives.
That keeps the widgets reusable (the block screen shows the same target table) and
trivially testable.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Label, ProgressBar, Static

__all__ = ["FigureStrip", "Figure", "KindProgress", "Prose", "TargetTable", "fmt_count"]


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
        & ProgressBar { width: 1fr; }
        & ProgressBar Bar { width: 1fr; }
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
                    bar = ProgressBar(total=row.target, show_eta=False)
                    bar.progress = row.done
                    yield bar
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
