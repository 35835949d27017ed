"""Step or stop: resolving a conversation left in limbo, from Today or Follow-ups.

A conversation that ended in neither a next step nor a stop is the most expensive
kind of touch: the prospect talked, and nothing happens next. Resolving one records
what it actually ended in: ``x`` a next step (its date is asked), ``k`` a stop.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from prospector.records import LimboItem
from screens.forms import Dialog, error_reason
from screens.safe_text import markup

if TYPE_CHECKING:
    from prospector.store import Store

Resolution = tuple[str, dt.date | None]
"""The outcome the conversation ended in, and the date of the next step (if one)."""


def limbo_line(item: LimboItem, today: dt.date, labels: dict[str, str]) -> str:
    """``Iris Willems · call on Fri 14 Aug, 101 days ago · “Send some information”``."""
    days = item.days(today)
    ago = "today" if days == 0 else "yesterday" if days == 1 else f"{days} days ago"
    kind = labels.get(item.kind, item.kind).lower()
    line = f"[b]{markup(item.prospect.name)}[/] · {kind} on {item.on:%a} {item.on.day} "
    line += f"{item.on:%b}, {ago}"
    if item.note:
        line += f" · [i]“{markup(item.note)}”[/]"
    return line


class ResolveModal(Dialog[Resolution | None]):
    """What did this conversation end in? ``x`` a next step (then its date), ``k`` a stop."""

    DEFAULT_CSS = """
    ResolveModal {
        & > Vertical { width: 80; }
        & #conversation { margin-bottom: 1; }
    }
    """
    BINDINGS = [
        Binding("x", "step", "Next step", tooltip="It ended in a next step: give its date"),
        Binding("k", "stop", "Stop", tooltip="It ended in a clear no: stop following up"),
        Binding("escape", "cancel", "Back", tooltip="Leave it in limbo for now"),
    ]

    def __init__(self, item: LimboItem, today: dt.date, labels: dict[str, str]) -> None:
        super().__init__()
        self.item = item
        self.today = today
        self.labels = labels

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Step or stop"
            box.border_subtitle = "x next step · k stop · esc back"
            yield Static(limbo_line(self.item, self.today, self.labels), id="conversation")
            yield Static(
                "What did it end in? [b $accent]x[/] a next step on a date, "
                "[b $accent]k[/] a clear stop.",
                id="ask",
            )

    def action_step(self) -> None:
        from screens.logging import NextStepModal  # not at start-up: it brings the ORM

        def dated(day: dt.date | None) -> None:
            if day is not None:
                self.dismiss(("next_step", day))

        self.app.push_screen(NextStepModal(self.today), dated)

    def action_stop(self) -> None:
        self.dismiss(("stop", None))

    def action_cancel(self) -> None:
        self.dismiss(None)


def save_resolution(
    screen: Screen[Any],
    store: Store,
    item: LimboItem,
    resolution: Resolution,
    saved: Callable[[], object],
) -> None:
    """Record what the conversation ended in (off the UI thread), then say so."""
    outcome, day = resolution

    def run() -> None:
        store.resolve_conversation(item.action_id, outcome, day)

    def done() -> None:
        what = (
            f"next step on {day:%a} {day.day} {day:%b}"
            if outcome == "next_step" and day is not None
            else "stopped"
        )
        screen.notify(f"{item.prospect.name}: {what}.", title="Out of limbo")
        saved()

    def work() -> None:
        try:
            run()
        except Exception as error:  # noqa: BLE001 - every failure must reach the rep
            screen.app.call_from_thread(
                screen.notify,
                f"Could not save: {error_reason(error)}",
                title="Still in limbo",
                severity="error",
            )
        else:
            screen.app.call_from_thread(done)

    screen.run_worker(work, thread=True, group="limbo.resolve", exit_on_error=False)
