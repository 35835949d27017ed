"""One-key logging, shared by the block screen and the quick-log modal.

A touch is logged with two keystrokes: a kind hotkey, then an outcome hotkey (a
no-answer call is ``c`` ``n``); an outcome that needs a date (``next_step``) asks for it
in a small modal first. The keys come from ``store.data`` (``data/kinds.toml`` and
``data/outcomes.toml``), never from code, so a kind added there is loggable here.

``LogPad`` holds that little state machine and shows the prompt; it never touches the
store. It posts ``LogPad.Picked`` up to its screen, which saves the touch through
``StoreJobs``: store calls run one at a time in a thread worker and their results come
back to the UI thread as messages, so a touch is shown as logged only once it is
committed, and a failed write becomes an error notification instead of a lie.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import pendulum
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.markup import escape
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from prospector.clock import check_day, parse_date, readable_zone
from prospector.errors import InvalidInput
from prospector.models import Action, Prospect
from prospector.names import name_key
from prospector.records import ProspectSummary
from prospector.shipped import Kind, Outcome
from prospector.status import Progress
from prospector.store import Store
from screens.forms import Dialog, error_reason, say_failed
from screens.safe_text import SafeInput, markup, plain

__all__ = [
    "LogPad",
    "NextStepModal",
    "NoteModal",
    "Pick",
    "ProspectSearchModal",
    "StoreJobs",
    "Touch",
    "parse_step_date",
    "save_pick",
    "set_line",
]

T = TypeVar("T")

MAX_STEP_DAYS = 2 * 366
"""A next step further out than this is far more likely a typo (2062) than a plan."""
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_OFFSET_RE = re.compile(r"^(?:\+\s*([0-9]{1,3})\s*([dw]?)|([0-9]{1,3})\s*([dw]))$")
_ISO_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
STEP_DATE_HINT = "YYYY-MM-DD, +3 (days), +2w, tomorrow, fri, next week"


def parse_step_date(text: str, today: dt.date) -> dt.date:
    """The date of a committed next step, as a rep types it in a hurry.

    Accepts ``YYYY-MM-DD``, ``today``, ``tomorrow``, ``+3`` / ``3d`` (days ahead),
    ``+2w`` / ``2w`` (weeks ahead), a weekday name or its first letters (``fri``, ``th``:
    the next such day after today) and ``next week`` (next Monday). A next step lies
    ahead, so a date before today is refused, as is one more than two years out.
    """
    word = " ".join(text.strip().lower().split())
    if not word:
        raise InvalidInput(f"type the date of the next step: {STEP_DATE_HINT}")
    day: dt.date | None = None
    if word in ("today", "tomorrow", "tmrw", "tmr"):
        day = today + dt.timedelta(days=0 if word == "today" else 1)
    elif word == "next week":
        day = today + dt.timedelta(days=7 - today.weekday())
    elif match := _OFFSET_RE.match(word):
        number = int(match.group(1) or match.group(3))
        unit = match.group(2) or match.group(4) or "d"
        day = today + dt.timedelta(days=number * (7 if unit == "w" else 1))
    else:
        name = word.removeprefix("next ").removeprefix("on ")
        named = [
            i for i, full in enumerate(WEEKDAY_NAMES) if len(name) >= 2 and full.startswith(name)
        ]
        if len(named) == 1:
            ahead = (named[0] - today.weekday()) % 7 or 7
            day = today + dt.timedelta(days=ahead)
        elif len(named) > 1:
            raise InvalidInput(
                f"{text.strip()!r} could be {' or '.join(WEEKDAY_NAMES[i] for i in named)}"
            )
        elif _ISO_RE.match(word):
            day = parse_date(word)  # its own error says what is wrong with the date
        else:
            raise InvalidInput(f"cannot read {text.strip()!r} as a date; try {STEP_DATE_HINT}")
    if day < today:
        raise InvalidInput(f"{day:%a %d %b %Y} is in the past; a next step lies ahead")
    if (day - today).days > MAX_STEP_DAYS:
        raise InvalidInput(f"{day:%d %b %Y} is more than two years ahead; check the year")
    return check_day(day, "next step date")  # +3 on the last days of the range


def describe_step_date(day: dt.date, today: dt.date) -> str:
    """``Thursday 26 November 2026 (in 3 days)``: what a typed date resolved to."""
    ahead = (day - today).days
    when = {0: "today", 1: "tomorrow"}.get(ahead, f"in {ahead} days")
    return f"{day:%A} {day.day} {day:%B %Y} ({when})"


@dataclass(frozen=True)
class Pick:
    """A kind and an outcome chosen with their hotkeys (and the date a next step needs)."""

    kind: Kind
    outcome: Outcome
    next_step_on: dt.date | None = None


@dataclass(frozen=True)
class Touch:
    """A logged touch as the screens show it; built only from a committed action."""

    action_id: int
    kind: Kind
    outcome: Outcome
    at: pendulum.DateTime
    """When it was logged, in the zone it was logged in."""
    local_date: dt.date
    prospect: str | None
    prospect_id: int | None = None
    next_step_on: dt.date | None = None
    note: str = ""

    @classmethod
    def from_action(cls, action: Action, pick: Pick, prospect: ProspectSummary | None) -> Touch:
        assert action.id is not None, "a committed action has an id"
        return cls(
            action_id=action.id,
            kind=pick.kind,
            outcome=pick.outcome,
            at=pendulum.instance(action.at).in_timezone(readable_zone(action.tz)),
            local_date=action.local_date,
            prospect=None if prospect is None else prospect.name,
            prospect_id=None if prospect is None else prospect.id,
            next_step_on=action.next_step_on,
            note=action.note,
        )

    def describe(self) -> str:
        """``call, no response, 10:42 with Anna de Vries``: enough to know which one."""
        outcome = self.outcome.label.lower()
        if self.next_step_on is not None:
            outcome += f" on {self.next_step_on:%a %d %b}"
        text = f"{self.kind.noun}, {outcome}, {self.at:%H:%M}"
        return f"{text} with {self.prospect}" if self.prospect else text


@dataclass(frozen=True)
class Saved:
    """What one save hands back to the UI thread: the touch, and counters if asked for."""

    touch: Touch
    action: Action
    day_progress: dict[str, Progress] | None = None
    kind_progress: tuple[str, Progress] | None = None
    """``store.progress_on`` for the touch's kind: ("day" | "week" | "none", progress)."""


def save_pick(
    store: Store,
    pick: Pick,
    *,
    prospect: ProspectSummary | None = None,
    block_id: int | None = None,
    tz: str | None = None,
    day_progress: bool = False,
    kind_progress: bool = False,
) -> Saved:
    """Commit one touch and, if asked, read back the counters it changes. Blocking: call
    it in a thread. ``tz`` (the zone the caller already knows) spares a settings read."""
    fields: dict[str, Any] = {"tz": tz} if tz is not None else {}
    action = store.log_action(
        pick.kind.key,
        outcome=pick.outcome.key,
        prospect_id=None if prospect is None else prospect.id,
        block_id=block_id,
        next_step_on=pick.next_step_on,
        **fields,
    )
    touch = Touch.from_action(action, pick, prospect)
    return Saved(
        touch=touch,
        action=action,
        day_progress=store.day_progress(action.local_date) if day_progress else None,
        kind_progress=store.progress_on(action.local_date, pick.kind.key)
        if kind_progress
        else None,
    )


@dataclass
class _Job(Generic[T]):
    what: str
    run: Callable[[], T]
    done: Callable[[T], None]
    failed: Callable[[BaseException], None] | None = None


@dataclass
class StoreJobs:
    """Store calls for one screen, run one at a time in a thread worker, in order.

    One at a time because the order is the rep's: a touch, then its note, then an undo
    must reach the database in the order the keys were pressed. Each result comes back
    to the UI thread as a callback message on ``node``; a failure becomes an error
    notification naming ``what`` failed (or goes to the job's own ``failed``).
    """

    node: Widget
    group: str
    _queue: deque[_Job[Any]] = field(default_factory=deque)
    _busy: bool = False

    @property
    def busy(self) -> bool:
        return self._busy or bool(self._queue)

    def submit(
        self,
        what: str,
        run: Callable[[], T],
        done: Callable[[T], None],
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        self._queue.append(_Job(what, run, done, failed))
        self._pump()

    def _pump(self) -> None:
        if self._busy or not self._queue:
            return
        self._busy = True
        job = self._queue.popleft()
        self.node.run_worker(
            lambda: self._run(job),
            name=job.what,
            group=self.group,
            thread=True,
            exit_on_error=False,
        )

    def _run(self, job: _Job[Any]) -> None:
        """In the worker thread: the store call, then the result posted to the UI thread."""
        try:
            result = job.run()
        except Exception as error:  # noqa: BLE001 - every failure must reach the rep
            self.node.call_later(self._failed, job, error)
        else:
            self.node.call_later(self._done, job, result)

    def _done(self, job: _Job[Any], result: Any) -> None:
        try:
            job.done(result)
        finally:
            self._busy = False
            self._pump()

    def _failed(self, job: _Job[Any], error: BaseException) -> None:
        try:
            if job.failed is not None:
                job.failed(error)
            else:
                say_failed(self.node, job.what, error, "Not saved")
        finally:
            self._busy = False
            self._pump()


def set_line(widget: Static, markup: str) -> None:
    """Update a one-line ``Static`` without a layout pass while the line still fits.

    ``Static.update`` re-lays-out the whole screen by default (the text might now wrap);
    on the keystroke path that pass is most of a frame, so it is skipped when the new
    line fits the width the widget already has on one row.
    """
    content = Content.from_markup(markup)
    size = widget.content_size
    fits = size.width > 0 and size.height == 1 and content.cell_length <= size.width
    widget.update(content, layout=not fits)


class LogPad(Static):
    """The one-key logging prompt: kind keys when idle, outcome keys once a kind is chosen.

    It is not focusable: its screen hands it every key first (``take_key``) so logging
    works whatever has focus, and what the pad does not take goes on to the bindings.
    """

    DEFAULT_CSS = """
    LogPad {
        height: auto;
        padding: 0 1;
        border: round $primary;
        border-title-color: $primary;
        border-title-style: bold;
        border-subtitle-color: $text-muted;
        &.-pending {
            border: round $accent;
            border-title-color: $accent;
            background: $accent 8%;
        }
    }
    """

    class Picked(Message):
        """A kind and an outcome (and a date, if it needs one) were chosen: save it."""

        def __init__(self, pick: Pick) -> None:
            super().__init__()
            self.pick = pick

    pending: reactive[Kind | None] = reactive(None, always_update=True)

    def __init__(
        self,
        kinds: Sequence[Kind],
        outcomes: Sequence[Outcome],
        today: Callable[[], dt.date],
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.kinds = {kind.hotkey: kind for kind in kinds}
        self.outcomes = {outcome.hotkey: outcome for outcome in outcomes}
        self.today = today
        self.asking_date = False
        self._repaint = True

    def on_mount(self) -> None:
        self.show_prompt()

    def take_key(self, key: str, character: str | None) -> bool:
        """Handle ``key`` if it is part of the logging flow; False lets it go on."""
        if self.asking_date:
            return False
        if self.pending is not None:
            if key == "escape":
                self.pending = None
                return True
            if character in self.outcomes:
                self._choose(self.pending, self.outcomes[character])
                return True
        if character in self.kinds:
            self.pending = self.kinds[character]
            return True
        return False

    def cancel(self) -> None:
        self.pending = None

    def _choose(self, kind: Kind, outcome: Outcome) -> None:
        if not outcome.needs_date:
            # The prompt stays on screen until the screen has saved the touch and calls
            # ``show_prompt``: repainting it now would compete with the save for the
            # interpreter, and the keystroke-to-counter path is held to one frame.
            self._repaint = False
            self.pending = None
            self._repaint = True
            self.screen.post_message(self.Picked(Pick(kind, outcome)))  # one hop, not three
            return

        def dated(day: dt.date | None) -> None:
            self.asking_date = False
            if day is None:
                self.pending = kind  # back to the outcome prompt: pick another, or escape
                return
            self.pending = None
            self.post_message(self.Picked(Pick(kind, outcome, day)))

        self.asking_date = True
        self.app.push_screen(NextStepModal(self.today(), kind, outcome), dated)

    def show_prompt(self) -> None:
        """Show the prompt for the current state (after a save, or a failed one)."""
        self._render_prompt(self.pending)

    def watch_pending(self, kind: Kind | None) -> None:
        if self._repaint:
            self._render_prompt(kind)

    def _render_prompt(self, kind: Kind | None) -> None:
        self.set_class(kind is not None, "-pending")
        if kind is None:
            self.border_title = "Log a touch: kind, then outcome"
            self.border_subtitle = ""
            keys = [(k.hotkey, k.label) for k in self.kinds.values()]
        else:
            self.border_title = f"{kind.label}: how did it go?"
            self.border_subtitle = "esc cancels"
            keys = [
                (o.hotkey, o.label + ("…" if o.needs_date else "")) for o in self.outcomes.values()
            ]
        set_line(
            self, "   ".join(f"[b $accent]{escape(key)}[/] {escape(label)}" for key, label in keys)
        )


class NextStepModal(Dialog[dt.date | None]):
    """Ask when the committed next step is; Enter saves, Escape goes back to the outcome."""

    DEFAULT_CSS = """
    NextStepModal {
        & > Vertical { width: 64; }
        & Input { margin-bottom: 1; }
        & #resolved { color: $text-muted; }
        & #resolved.-ok { color: $success; }
        & #resolved.-error { color: $error; }
    }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Back", tooltip="Back to the outcome keys", id="step.cancel"),
    ]

    def __init__(self, today: dt.date, kind: Kind | None = None, outcome: Outcome | None = None):
        super().__init__()
        self.today = today
        self.title_text = (
            f"{kind.label} · {outcome.label}: when?"
            if kind is not None and outcome is not None
            else "Next step: when?"
        )

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.title_text
            box.border_subtitle = "enter saves · esc back"
            yield SafeInput(placeholder="date of the next step", id="date")
            yield Label(STEP_DATE_HINT, id="resolved", markup=False)

    @on(Input.Changed)
    def preview(self, event: Input.Changed) -> None:
        """Say what the typed text means as it is typed; complain only on Enter."""
        label = self.query_one("#resolved", Label)
        label.remove_class("-error")
        try:
            day = parse_step_date(event.value, self.today)
        except InvalidInput:
            label.update(STEP_DATE_HINT)
            label.remove_class("-ok")
        else:
            label.update(f"→ {describe_step_date(day, self.today)}")
            label.add_class("-ok")

    @on(Input.Submitted)
    def accept(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            day = parse_step_date(event.value, self.today)
        except InvalidInput as error:
            label = self.query_one("#resolved", Label)
            message = str(error)
            label.update(message[:1].upper() + message[1:])
            label.set_class(False, "-ok")
            label.add_class("-error")
            return
        self.dismiss(day)

    def action_cancel(self) -> None:
        self.dismiss(None)


class NoteModal(Dialog[str | None]):
    """A one-line note for a logged touch; Enter saves (empty clears it), Escape keeps it."""

    DEFAULT_CSS = """
    NoteModal {
        & > Vertical { width: 80; }
        & Label { color: $text-muted; margin-bottom: 1; }
    }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Keep the note as it was", id="note.cancel"),
    ]

    def __init__(self, about: str, note: str = "") -> None:
        super().__init__()
        self.about = about
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Note"
            box.border_subtitle = "enter saves · esc cancels"
            yield Label(f"On: {plain(self.about)}", markup=False)
            yield SafeInput(self.note, placeholder="What was said, what to do next…", id="note")

    @on(Input.Submitted)
    def accept(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReferralModal(Dialog[str | None]):
    """Who the rep was referred to: a new prospect, sourced from a referral.

    A name received is the cheapest lead there is; taking it down while the call is
    fresh makes it a prospect with its own follow-up. Escape skips. The modal adds the
    prospect itself (an app worker), since the quick log that opened it is gone by the
    time the name is typed; it dismisses with the name added.
    """

    DEFAULT_CSS = """
    ReferralModal {
        & > Vertical { width: 80; }
        & Label { color: $text-muted; margin-bottom: 1; }
        & #referral-error { color: $error; margin-bottom: 0; }
    }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Skip", tooltip="Log no new prospect", id="referral.skip"),
    ]

    def __init__(self, store: Store, referrer: str | None) -> None:
        super().__init__()
        self.store = store
        self.referrer = referrer

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Referral received: who?"
            box.border_subtitle = "enter adds the prospect · esc skips"
            by = f" by {plain(self.referrer)}" if self.referrer else ""
            yield Label(f"A new prospect, tagged as referred{by}.", markup=False)
            yield SafeInput(placeholder="their name, then a comma and the company", id="referral")
            yield Label("", id="referral-error", markup=False)

    @on(Input.Submitted)
    def accept(self, event: Input.Submitted) -> None:
        """One field, ``Joost Bakker, Bakker Bouw``: typed ahead, nothing lands in the
        wrong box, as it could if Enter moved to a second field."""
        event.stop()
        name, _, company = event.value.partition(",")
        name, company = name.strip(), company.strip()
        if not name:
            self.query_one("#referral-error", Label).update("A name, please (or esc to skip).")
            return
        note = f"Referred by {self.referrer}" if self.referrer else ""
        app, store = self.app, self.store

        def work() -> None:
            try:
                store.add_prospect(name, company, source="referral", note=note)
            except Exception as error:  # noqa: BLE001 - every failure must reach the rep
                app.call_from_thread(
                    app.notify,
                    f"Could not add {name}: {error_reason(error)}",
                    title="Referral",
                    severity="error",
                )
            else:
                app.call_from_thread(
                    app.notify, f"{name} added, tagged as a referral.", title="Referral"
                )

        app.run_worker(work, thread=True, group="referral.add", exit_on_error=False)
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)


def ask_referral(screen: Screen[Any], store: Store, referrer: str | None) -> None:
    """After a ``referral`` outcome: take down who, as a prospect sourced from a referral."""
    screen.app.push_screen(ReferralModal(store, referrer))


NEW_OPTION = "new"
SEARCH_WORKER = "prospects.search"
MAX_OPTIONS = 200


def prospect_from_row(row: Prospect) -> ProspectSummary:
    """The read model of a prospect just created: no touches yet."""
    return ProspectSummary.of(row)


def prospect_line(prospect: ProspectSummary, today: dt.date) -> str:
    """``Acme BV · 3 touches · next touch 2 days overdue``: a prospect at a glance."""
    parts = [prospect.company] if prospect.company else []
    touches = prospect.touch_count
    parts.append(f"{touches} touch" + ("" if touches == 1 else "es"))
    how = f" ({prospect.next_kind.replace('_', ' ')})" if prospect.next_kind else ""
    if prospect.stopped:
        parts.append("stopped")
    elif prospect.won:
        parts.append("won")
    elif (late := prospect.days_overdue(today)) is not None:
        assert prospect.next_touch_on is not None
        if late > 0:
            parts.append(f"next touch{how} {late} day{'s' if late != 1 else ''} overdue")
        elif late == 0:
            parts.append(f"next touch{how} due today")
        else:
            parts.append(f"next touch{how} {prospect.next_touch_on:%a %d %b}")
    elif prospect.next_reason == "cadence done":
        parts.append("cadence done: a next step or a stop?")
    return " · ".join(parts)


class ProspectSearchModal(ModalScreen[ProspectSummary | None]):
    """Type-ahead search over the rep's prospects; Enter picks, or adds a new name inline."""

    DEFAULT_CSS = """
    ProspectSearchModal {
        align: center top;
        & > Vertical {
            margin-top: 3;
            width: 90;
            height: auto;
            max-height: 30;
            padding: 0 1;
            border: thick $accent;
            border-title-color: $accent;
            border-title-style: bold;
            border-subtitle-color: $text-muted;
            background: $surface;
        }
        & OptionList { height: auto; max-height: 20; border: none; padding: 0; }
        & #message { color: $text-muted; padding: 0 1; }
        & #message.-error { color: $error; }
    }
    """
    BINDINGS = [
        Binding(
            "escape", "cancel", "Cancel", tooltip="Keep the current prospect", id="find.cancel"
        ),
        Binding("down", "move(1)", "Next", show=False, id="find.down"),
        Binding("up", "move(-1)", "Previous", show=False, id="find.up"),
    ]

    def __init__(self, store: Store, today: dt.date) -> None:
        super().__init__()
        self.store = store
        self.today = today
        self.matches: dict[str, ProspectSummary] = {}
        self.creating = False

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Prospect"
            box.border_subtitle = "↑↓ choose · enter picks · esc cancels"
            yield SafeInput(placeholder="Type a name or company…", id="query")
            yield OptionList(id="matches")
            yield Label("", id="message", markup=False)

    def on_mount(self) -> None:
        self.search("")

    @on(Input.Changed)
    def typed(self, event: Input.Changed) -> None:
        self.query_one("#message", Label).remove_class("-error")
        self.search(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False, name=SEARCH_WORKER, group=SEARCH_WORKER)
    def search(self, text: str) -> tuple[str, list[ProspectSummary]]:
        return text, self.store.prospects(text)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != SEARCH_WORKER:
            return
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.show_message(f"Could not search: {error_reason(event.worker.error)}", error=True)
        elif event.state == WorkerState.SUCCESS and event.worker.result is not None:
            text, found = event.worker.result
            if text == self.query_one("#query", Input).value:
                self.show_matches(text, found)

    def show_matches(self, text: str, found: list[ProspectSummary]) -> None:
        """Names starting with the typed text first, then the rest, as the store sorts them."""
        needle = name_key(text)
        found = sorted(found, key=lambda p: not name_key(p.name).startswith(needle))
        options: list[Option] = []
        self.matches = {}
        for prospect in found[:MAX_OPTIONS]:
            key = str(prospect.id)
            self.matches[key] = prospect
            line = prospect_line(prospect, self.today)
            options.append(Option(f"[b]{markup(prospect.name)}[/]  [dim]{markup(line)}[/]", key))
        exact = any(name_key(p.name) == needle for p in found)
        if needle and not exact:
            options.append(
                Option(f"[b $success]+ Add new prospect “{markup(text.strip())}”[/]", NEW_OPTION)
            )
        matches = self.query_one("#matches", OptionList)
        matches.set_options(options)
        matches.highlighted = 0 if options else None
        if not options:
            self.show_message("No prospects yet: type a name to add one.")
        elif needle and not found:
            self.show_message("Nobody by that name or company: Enter adds them as a new prospect.")
        elif len(found) > MAX_OPTIONS:
            self.show_message(f"{len(found)} matches; showing the first {MAX_OPTIONS}. Type more.")
        else:
            count = len(found)
            self.show_message(f"{count} match{'' if count == 1 else 'es'}" if needle else "")

    def show_message(self, text: str, error: bool = False) -> None:
        label = self.query_one("#message", Label)
        label.update(text)
        label.set_class(error, "-error")

    def action_move(self, step: int) -> None:
        matches = self.query_one("#matches", OptionList)
        if step > 0:
            matches.action_cursor_down()
        else:
            matches.action_cursor_up()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        matches = self.query_one("#matches", OptionList)
        option = matches.highlighted_option
        if option is not None and option.id is not None:
            self.choose(option.id)
        elif event.value.strip():
            self.choose(NEW_OPTION)

    @on(OptionList.OptionSelected)
    def selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.choose(event.option.id)

    def choose(self, option_id: str) -> None:
        if option_id != NEW_OPTION:
            self.dismiss(self.matches[option_id])
            return
        name = self.query_one("#query", Input).value.strip()
        if name and not self.creating:
            self.creating = True
            self.create(name)

    @work(thread=True, exit_on_error=False, group="prospects.create")
    def create(self, name: str) -> None:
        """Add the typed name as a new prospect, then pick it."""
        try:
            row = self.store.add_prospect(name)
        except Exception as error:  # noqa: BLE001 - shown inline, the modal stays open
            self.call_later(self.create_failed, error)
        else:
            self.call_later(self.created, prospect_from_row(row))

    def created(self, prospect: ProspectSummary) -> None:
        self.dismiss(prospect)  # not awaited: a screen cannot await its own dismissal

    def create_failed(self, error: BaseException) -> None:
        self.creating = False
        self.show_message(f"Could not add: {error_reason(error)}", error=True)

    def action_cancel(self) -> None:
        self.dismiss(None)
