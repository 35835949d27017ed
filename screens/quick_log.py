"""Quick log: the block's two-key logging from any screen, without starting a block.

A rep between meetings who just made a call should not have to open a block to count
it. This modal runs the same ``LogPad`` flow as the block screen (kind key, outcome key,
a date for a next step), saves at once with no block, tells the rep where the kind now
stands against its target, and closes with the saved action (``None`` on Escape).
"""

from __future__ import annotations

import datetime as dt

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from prospector.clock import Clock, local_date
from prospector.models import Action
from prospector.records import ProspectSummary
from prospector.store import Store
from screens.forms import Dialog, error_reason
from screens.logging import (
    LogPad,
    ProspectSearchModal,
    Saved,
    StoreJobs,
    ask_referral,
    save_pick,
)
from screens.safe_text import markup
from screens.widgets import fmt_count

__all__ = ["QuickLogModal", "progress_sentence"]


def progress_sentence(saved: Saved) -> str:
    """``4 / 20 calls today``: what the rep wants to know right after logging."""
    noun = saved.touch.kind.plural
    if saved.kind_progress is None:
        return ""
    per, progress = saved.kind_progress
    if per == "day":
        return f"{progress.done} / {fmt_count(progress.target)} {noun} today"
    if per == "week":
        return f"{progress.done} / {fmt_count(progress.target)} {noun} this week"
    return f"{progress.done} {noun} today"


class QuickLogModal(Dialog[Action | None]):
    """Log one touch outside a block: kind key, outcome key, saved at once."""

    DEFAULT_CSS = """
    QuickLogModal {
        & > Vertical { width: 100; padding: 0 1; }
        & #quick-prospect { padding: 0 1; margin-top: 1; }
        & #quick-status { padding: 0 1; color: $text-muted; }
    }
    """
    BINDINGS = [
        Binding(
            "slash",
            "find_prospect",
            "Prospect",
            tooltip="Attach a prospect to this touch (search, or add a new one)",
            id="quick.find_prospect",
        ),
        Binding("escape", "close", "Close", tooltip="Close without logging", id="quick.close"),
    ]

    def __init__(self, store: Store, clock: Clock, prospect: ProspectSummary | None = None) -> None:
        super().__init__()
        self.store = store
        self.clock = clock
        self.jobs = StoreJobs(self, "quick.store")
        self.prospect: ProspectSummary | None = prospect
        """Who the touch is with: picked with ``/``, or given (a follow-up being worked)."""
        self.saving = False

    def today(self) -> dt.date:
        return local_date(self.clock.now(), self.store.settings().timezone)

    def compose(self) -> ComposeResult:
        data = self.store.data
        with Vertical() as box:
            box.border_title = "Quick log"
            box.border_subtitle = "/ prospect · esc closes"
            yield Static("", id="quick-prospect")
            yield LogPad(data.kinds, data.outcomes, self.today, id="quick-pad")
            yield Static("Saved at once, outside any block.", id="quick-status")

    def on_mount(self) -> None:
        self.show_prospect()

    def show_prospect(self) -> None:
        who = (
            f"[b]{markup(self.prospect.name)}[/]"
            if self.prospect is not None
            else "[dim]none[/]  ([b $accent]/[/] to pick or add one)"
        )
        self.query_one("#quick-prospect", Static).update(f"Prospect: {who}")

    def on_key(self, event: events.Key) -> None:
        """The pad takes kind and outcome keys (and Escape while a kind is pending)."""
        if self.saving:
            event.stop()
            event.prevent_default()
            return
        if self.query_one(LogPad).take_key(event.key, event.character):
            event.stop()
            event.prevent_default()

    @on(LogPad.Picked)
    def save(self, event: LogPad.Picked) -> None:
        pick, prospect = event.pick, self.prospect
        self.saving = True
        self.query_one("#quick-status", Static).update("Saving…")

        def done(saved: Saved) -> None:
            progress = progress_sentence(saved)
            self.app.notify(
                f"Logged: {saved.touch.describe()}" + (f" · {progress}" if progress else ""),
                title="Quick log",
            )
            self.dismiss(saved.action)
            if saved.touch.outcome.key == "referral":
                ask_referral(self, self.store, saved.touch.prospect)

        def failed(error: BaseException) -> None:
            self.saving = False
            self.query_one(LogPad).show_prompt()
            self.query_one("#quick-status", Static).update("Not saved; try again or esc.")
            self.notify(
                f"Could not log: {error_reason(error)}", title="Not saved", severity="error"
            )

        self.jobs.submit(
            f"save the {pick.kind.noun}",
            lambda: save_pick(self.store, pick, prospect=prospect, kind_progress=True),
            done,
            failed,
        )

    def action_find_prospect(self) -> None:
        def picked(prospect: ProspectSummary | None) -> None:
            if prospect is not None:
                self.prospect = prospect
                self.show_prospect()

        self.app.push_screen(ProspectSearchModal(self.store, self.today()), picked)

    def action_close(self) -> None:
        if not self.saving:
            self.dismiss(None)
