"""The daily prospecting block: a timer, one-key logging, and the counters filling up.

A block is the rep's daily 30-120 minutes of prospecting. The screen starts it in the
store, times it with a large clock (read from the injected clock, so snapshots hold
still), and logs each touch with two keys through the shared ``LogPad``. Every store
call goes through one ``StoreJobs`` queue in a thread worker: the keystroke, the
committed row and today's counters arrive together in one round trip, and the screen
shows a touch as logged only after that commit returned.

Ending the block (ctrl+e: Escape already means "cancel the kind I just pressed") closes
it in the store and shows what it produced against today's targets.
"""

from __future__ import annotations

import dataclasses
import math

import pendulum
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Size
from textual.markup import escape
from textual.reactive import reactive, var
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Digits, Header, Input, Label, Static

from prospector.clock import Clock, local_date
from prospector.models import Block
from prospector.records import BlockSummary, ProspectSummary
from prospector.shipped import ShippedData
from prospector.status import Progress
from prospector.store import Store
from prospector.targets import TargetRule
from screens.footer import Footer
from screens.forms import Dialog, error_reason, say_failed
from screens.logging import (
    LogPad,
    NoteModal,
    ProspectSearchModal,
    Saved,
    StoreJobs,
    Touch,
    ask_referral,
    prospect_line,
    save_pick,
    set_line,
)
from screens.safe_text import SafeInput, markup
from screens.widgets import KindProgress, TargetTable, fmt_count

__all__ = ["BlockScreen", "BlockSummaryModal", "CounterTable", "PlannedMinutesModal"]

MIN_MINUTES, MAX_MINUTES = 1, 600
TICK_SECONDS = 1.0
RECONCILE_SECONDS = 0.4
"""Quiet time after the last touch before today's counters are re-read from the store."""


def clock_text(seconds: float) -> str:
    """Elapsed time as ``mm:ss`` (minutes keep counting past 99 rather than wrap)."""
    whole = max(0, int(seconds))
    return f"{whole // 60:02d}:{whole % 60:02d}"


def plan_text(elapsed_seconds: float, planned_minutes: int) -> str:
    """``of 60 min planned · 42 min left``, or how far over the plan the block runs."""
    left = planned_minutes * 60 - elapsed_seconds
    if left >= 0:
        # Rounded up, as a kitchen timer: the first second of a 60-minute block is 60 left.
        return f"of {planned_minutes} min planned · {math.ceil(left / 60)} min left"
    return f"{int(-left // 60)} min over the {planned_minutes} planned"


def target_rows(
    data: ShippedData,
    progress: dict[str, Progress],
    rules: dict[str, TargetRule],
) -> tuple[KindProgress, ...]:
    """Today's done against target: daily targets with bars, weekly ones and untargeted
    kinds only as counts (a weekly target shared out per day reads as ``0.4``, a riddle)."""
    rows = []
    for kind in data.kinds:
        done = progress.get(kind.key, Progress(0, 0.0)).done
        rule = rules.get(kind.key)
        if rule is not None and rule.per == "day":
            rows.append(KindProgress(kind.label, done, float(rule.count)))
        elif rule is not None:
            rows.append(KindProgress(kind.label, done, 0, f"weekly target: {rule.count}"))
        elif done:
            rows.append(KindProgress(kind.label, done, 0, "no target"))
    return tuple(rows)


def tally_text(data: ShippedData, touches: list[Touch]) -> str:
    """The block's own count: by kind and by outcome side by side, then step or stop."""
    if not touches:
        kind, outcome = data.kinds[0], data.outcomes[0]
        return (
            "[dim]Nothing logged in this block yet.\n\n"
            "A touch is two keys: its kind, then its outcome. "
            f"[b]{escape(kind.hotkey)}[/b] [b]{escape(outcome.hotkey)}[/b] logs "
            f"{escape(kind.noun)} · {escape(outcome.label.lower())}.[/]"
        )
    by_kind = {k.key: sum(t.kind.key == k.key for t in touches) for k in data.kinds}
    by_outcome = {o.key: sum(t.outcome.key == o.key for t in touches) for o in data.outcomes}
    return "\n".join([*tally_columns(data, by_kind, by_outcome), "", step_or_stop(touches)])


def tally_columns(
    data: ShippedData, by_kind: dict[str, int], by_outcome: dict[str, int]
) -> list[str]:
    """Counts by kind and by outcome side by side, in the shipped order, zeros left out."""
    left = [(k.label, by_kind.get(k.key, 0)) for k in data.kinds if by_kind.get(k.key, 0)]
    right = [(o.label, by_outcome.get(o.key, 0)) for o in data.outcomes if by_outcome.get(o.key)]
    lines = []
    for i in range(max(len(left), len(right))):
        k = f"{escape(left[i][0]):<13}[b]{left[i][1]:>3}[/]" if i < len(left) else " " * 16
        o = f"{escape(right[i][0]):<18}[b]{right[i][1]:>3}[/]" if i < len(right) else ""
        lines.append(f"{k}   {o}".rstrip())
    return lines


def step_or_stop(touches: list[Touch]) -> str:
    """How many contacts ended in a commitment or a clear no, and how many in limbo."""
    contacts = [t for t in touches if t.outcome.resolution != "none"]
    if not contacts:
        return "[dim]No contact made yet.[/]"
    settled = sum(t.outcome.resolution in ("step", "stop") for t in contacts)
    limbo = len(contacts) - settled
    text = f"Step or stop: [b]{settled}[/] of {len(contacts)} contacts"
    if limbo:
        text += f" · [b $warning]{limbo} in limbo[/]"
    return text


def log_lines(touches: list[Touch]) -> str:
    """The block's touches, newest first, one line each."""
    if not touches:
        return "[dim]Touches appear here once saved.[/]"
    lines = []
    for touch in reversed(touches):
        outcome = touch.outcome.label
        if touch.next_step_on is not None:
            outcome += f" {touch.next_step_on:%a %d %b}"
        who = markup(touch.prospect) if touch.prospect else "[dim]no prospect[/]"
        line = (
            f"[dim]{touch.at:%H:%M}[/]  {escape(touch.kind.label):<13} {escape(outcome):<22} {who}"
        )
        if touch.note:
            line += f"  [i dim]“{markup(touch.note)}”[/]"
        lines.append(line)
    return "\n".join(lines)


def touched(prospect: ProspectSummary, touch: Touch) -> ProspectSummary:
    """The prospect right after ``touch``, without reading it back: the count and the
    last touch at once; the next touch is re-read (``reread_prospect``), since the
    cadence and the calendar decide it."""
    return dataclasses.replace(
        prospect,
        touch_count=prospect.touch_count + 1,
        last_touch_on=touch.local_date,
        next_touch_on=touch.next_step_on or prospect.next_touch_on,
        stopped=prospect.stopped or touch.outcome.key == "stop",
    )


class CounterTable(Widget):
    """Today's done / target per kind, one line each, drawn by a single ``render``.

    The block updates these counts after every touch. Today's ``TargetTable`` is built
    from some twenty widgets (three of them progress bars) and recomposing or relabelling
    them costs a full-screen layout pass, most of a frame; one widget that repaints
    itself, at a height that only changes with the number of rows, keeps a logged touch
    to a single cheap repaint.
    """

    DEFAULT_CSS = """
    CounterTable { height: auto; }
    """

    rows: reactive[tuple[KindProgress, ...]] = reactive((), layout=False)

    def watch_rows(self, old: tuple[KindProgress, ...], new: tuple[KindProgress, ...]) -> None:
        self.refresh(layout=len(old) != len(new))

    def shown(self) -> dict[str, str]:
        """``{label: count column}`` as drawn, e.g. ``{"Call": "12 / 20"}`` (for tests)."""
        lines = self.render().plain.splitlines() if self.rows else []
        return {line[:16].strip(): line[16:26].strip() for line in lines}

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self.rows))

    def render(self) -> Content:
        width = self.content_size.width
        bar_width = max(0, width - 16 - 10 - 6 - 2)
        lines = []
        for row in self.rows:
            label = Content(row.label[:15].ljust(16))
            count = count_text(row).rjust(10)
            style = "$success b" if row.met else ""
            line = label + Content.styled(count, style) + Content(" ")
            if row.target > 0:
                share = min(1.0, row.done / row.target)
                filled = round(bar_width * share)
                colour = "$success" if row.met else "$primary"
                line += Content.assemble(
                    Content.styled("━" * filled, colour),
                    Content.styled("━" * (bar_width - filled), "$foreground 12%"),
                    Content(f"{round(100 * share):>5}%"),
                )
            else:
                line += Content.styled(row.note, "$foreground 60%")
            lines.append(line)
        return Content("\n").join(lines) if lines else Content("")


def count_text(row: KindProgress) -> str:
    """As ``TargetTable`` writes it: ``12 / 20``, or the bare count without a target."""
    return f"{row.done} / {fmt_count(row.target)}" if row.target else str(row.done)


class PlannedMinutesModal(Dialog[int | None]):
    """How long the block is planned to last; Enter accepts, Escape cancels."""

    DEFAULT_CSS = """
    PlannedMinutesModal {
        & > Vertical { width: 56; }
        & Input { margin-bottom: 1; }
        & #hint { color: $text-muted; }
        & #hint.-error { color: $error; }
    }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Back without a block", id="minutes.cancel"),
    ]

    def __init__(self, default: int) -> None:
        super().__init__()
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Start a prospecting block"
            box.border_subtitle = "enter starts · esc cancels"
            yield SafeInput(str(self.default), placeholder="minutes", id="minutes")
            yield Label(f"Minutes planned ({MIN_MINUTES}–{MAX_MINUTES})", id="hint", markup=False)

    @on(Input.Submitted)
    def accept(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        hint = self.query_one("#hint", Label)
        if not (text.isascii() and text.isdigit()):  # int() takes "1_0", "+5" and "٥"
            hint.update(f"“{text}” is not a whole number of minutes; type e.g. 60")
            hint.add_class("-error")
            return
        minutes = int(text)
        if not MIN_MINUTES <= minutes <= MAX_MINUTES:
            hint.update(f"A block lasts {MIN_MINUTES} to {MAX_MINUTES} minutes, not {minutes}")
            hint.add_class("-error")
            return
        self.dismiss(minutes)

    def action_cancel(self) -> None:
        self.dismiss(None)


class BlockSummaryModal(ModalScreen[None]):
    """What the block produced: by kind and outcome, minutes, interruptions, vs target.

    Styled in block.tcss: it only ever shows on top of a block.
    """

    BINDINGS = [
        Binding("escape", "close", "Back to Today", id="summary.close"),
        Binding("enter", "close", "Back to Today", show=False, id="summary.enter"),
    ]

    def __init__(
        self,
        data: ShippedData,
        summary: BlockSummary,
        touches: list[Touch],
        rows: tuple[KindProgress, ...],
    ) -> None:
        super().__init__()
        self.data = data
        self.summary = summary
        self.touches = touches
        self.rows = rows

    def compose(self) -> ComposeResult:
        s = self.summary
        with Vertical() as box:
            box.border_title = f"Block done · {s.local_date:%a %d %b}"
            box.border_subtitle = "enter or esc: back to Today"
            yield Static(headline(s), id="headline")
            yield Static(self.tally(), id="summary-tally")
            yield Label("Today against target", classes="caption")
            yield TargetTable(id="summary-today")

    def on_mount(self) -> None:
        self.query_one("#summary-today", TargetTable).rows = self.rows

    def tally(self) -> str:
        """By kind and by outcome from the store's summary (the committed truth)."""
        s = self.summary
        if not s.actions:
            return "[dim]Nothing was logged in this block.[/]"
        lines = [
            f"[dim]{'By kind':<16}   By outcome[/]",
            *tally_columns(self.data, s.by_kind, s.by_outcome),
        ]
        return "\n".join([*lines, "", step_or_stop(self.touches)])

    def action_close(self) -> None:
        self.dismiss(None)


def headline(summary: BlockSummary) -> str:
    """``12 touches in 47 of 60 planned minutes · 2 interruptions``."""
    n = summary.actions
    touches = f"{n} touch" + ("" if n == 1 else "es")
    minutes = f"{summary.minutes} of {summary.planned_minutes} planned minutes"
    breaks = summary.interruptions
    interruptions = (
        "no interruptions"
        if not breaks
        else (f"{breaks} interruption" + ("" if breaks == 1 else "s"))
    )
    return f"{touches} in {minutes} · {interruptions}"


class BlockScreen(Screen[None]):
    """A running prospecting block: timer, one-key logging, prospect, counters, undo."""

    CSS_PATH = "block.tcss"
    AUTO_FOCUS = None
    BINDINGS = [
        Binding(
            "slash",
            "find_prospect",
            "Find",
            tooltip="Search prospects by name or company, or add a new one",
            id="block.find_prospect",
        ),
        Binding(
            "p",
            "next_prospect",
            "Next due",
            tooltip="Take the next prospect from the follow-up queue",
            id="block.next_prospect",
        ),
        Binding(
            "backspace",
            "clear_prospect",
            "Clear",
            tooltip="Log the next touches without a prospect",
            key_display="⌫",
            id="block.clear_prospect",
        ),
        Binding(
            "a",
            "note",
            "Note",
            tooltip="Add a note to the last touch",
            id="block.note",
        ),
        Binding(
            "i",
            "interruption",
            "Interrupt",
            tooltip="Count an interruption of this block",
            id="block.interruption",
        ),
        Binding(
            "u",
            "undo",
            "Undo",
            tooltip="Undo the last touch of this block (again to go further back)",
            id="block.undo",
        ),
        Binding(
            "ctrl+l",
            "log_here",
            "Quick log",
            show=False,
            tooltip="In a block every touch is logged here, with the block: kind key, outcome key",
            id="block.quick_log",
        ),
        Binding(
            "ctrl+e",
            "end_block",
            "End",
            tooltip="End the block and see what it produced",
            id="block.end",
        ),
    ]

    prospect: var[ProspectSummary | None] = var(None)
    today_rows: var[tuple[KindProgress, ...]] = var(())

    def __init__(self, store: Store, clock: Clock, planned_minutes: int) -> None:
        super().__init__()
        self.store = store
        self.clock = clock
        self.planned_minutes = planned_minutes
        self.jobs = StoreJobs(self, "block.store")
        self.block: Block | None = None
        self.timezone = "UTC"
        self.day = local_date(clock.now(), "UTC")
        """Until the block has started and told the rep's zone and day."""
        self.rules: dict[str, TargetRule] = {}
        self.progress: dict[str, Progress] = {}
        self.touches: list[Touch] = []
        self.undoing: set[int] = set()
        self.interruptions = 0
        self.due_count: int | None = None
        self.ending = False
        self.reconcile_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="body"):
            yield from self.compose_body()
        yield Footer(compact=True)

    def compose_body(self) -> ComposeResult:
        data = self.store.data
        with Horizontal(id="top"):
            with Vertical(id="clock"):
                yield Digits("00:00", id="timer")
                yield Label(plan_text(0, self.planned_minutes), id="plan", markup=False)
                yield Label("", id="interruptions")
            yield CounterTable(id="today").data_bind(rows=BlockScreen.today_rows)
        yield Static("", id="prospect")
        yield LogPad(data.kinds, data.outcomes, lambda: self.day, id="pad")
        yield Static("", id="status")
        with Horizontal(id="bottom"):
            yield Static(tally_text(data, []), id="tally")
            with Vertical(id="log-box"):
                yield Static(log_lines([]), id="log")

    def on_mount(self) -> None:
        self.query_one("#clock").border_title = "Block"
        self.query_one("#today").border_title = "Today"
        self.query_one("#prospect").border_title = "Prospect"
        self.query_one("#tally").border_title = "This block"
        self.query_one("#log-box").border_title = "Logged"
        self.sub_title = "Prospecting block · starting…"
        self.show_interruptions()
        self.watch_prospect(None)
        self.jobs.submit("start the block", self.start_block, self.started, self.start_failed)
        self.set_interval(TICK_SECONDS, self.tick)

    def start_block(self) -> tuple[Block, dict[str, TargetRule], dict[str, Progress], int]:
        """In a thread: open the block and read what the counters start from."""
        block = self.store.start_block(self.planned_minutes)
        rules = self.store.targets_in_force(block.local_date)
        progress = self.store.day_progress(block.local_date)
        due = len(self.store.followup_queue(block.local_date))
        return block, rules, progress, due

    def started(
        self, result: tuple[Block, dict[str, TargetRule], dict[str, Progress], int]
    ) -> None:
        self.block, self.rules, progress, self.due_count = result
        self.timezone = self.block.tz
        self.day = self.block.local_date
        start = pendulum.instance(self.block.started_at).in_timezone(self.timezone)
        day = f"{self.day:%A} {self.day.day} {self.day:%B %Y}"
        self.sub_title = f"Prospecting block · {day} · started {start:%H:%M}"
        self.show_progress(progress)
        self.watch_prospect(self.prospect)
        self.tick()

    def start_failed(self, error: BaseException) -> None:
        say_failed(self, "start the block", error, "Block")
        self.dismiss(None)

    def tick(self) -> None:
        """Redraw the timer from the clock; no database work, so it may run every second."""
        if self.block is None:
            return
        started = pendulum.instance(self.block.started_at)
        elapsed = (pendulum.instance(self.clock.now()) - started).total_seconds()
        self.query_one("#timer", Digits).update(clock_text(elapsed))
        set_line(self.query_one("#plan", Label), plan_text(elapsed, self.block.planned_minutes))
        self.query_one("#clock").set_class(elapsed > self.block.planned_minutes * 60, "-over")

    def on_key(self, event: events.Key) -> None:
        """Logging keys first, wherever focus is; what the pad leaves goes to the bindings."""
        if self.ending:
            return
        if self.query_one(LogPad).take_key(event.key, event.character):
            event.stop()
            event.prevent_default()
        elif event.key == "escape":
            event.stop()
            self.say(f"Nothing to cancel. {self.key_for('block.end')} ends the block.", "-hint")

    def key_for(self, binding_id: str) -> str:
        """The key of a binding as the footer shows it (bindings can be remapped by id)."""
        for active in self.active_bindings.values():
            if active.binding.id == binding_id:
                return self.app.get_key_display(active.binding)
        return binding_id

    @on(LogPad.Picked)
    def log_touch(self, event: LogPad.Picked) -> None:
        """Save the touch (with the prospect in view when the outcome key was pressed)."""
        pick, prospect = event.pick, self.prospect
        if self.ending:
            return

        block = self.block
        if block is None or block.id is None:
            self.say("The block is still starting; nothing saved. Press the keys again.", "-hint")
            return
        block_id, zone = block.id, block.tz

        def run() -> Saved:
            return save_pick(self.store, pick, prospect=prospect, block_id=block_id, tz=zone)

        def done(saved: Saved) -> None:
            touch = saved.touch
            self.query_one(LogPad).show_prompt()
            self.touches.append(touch)
            self.count_touch(touch)
            if (
                prospect is not None
                and self.prospect is not None
                and self.prospect.id == prospect.id
            ):
                self.prospect = touched(self.prospect, touch)
                self.reread_prospect(prospect.id)
            self.show_touches()
            self.say(f"Saved: {markup(touch.describe())}", "-saved")
            if touch.outcome.key == "referral":
                ask_referral(self, self.store, touch.prospect)

        def failed(error: BaseException) -> None:
            self.query_one(LogPad).show_prompt()
            say_failed(self, f"save the {pick.kind.noun}", error, "Not saved")

        self.jobs.submit(f"save the {pick.kind.noun}", run, done, failed)

    def reread_prospect(self, prospect_id: int) -> None:
        """The prospect's next touch as the cadence now has it. A read beside the queue of
        saves, not in it, so the next touch's save never waits for it."""

        def show(fresh: ProspectSummary) -> None:
            if self.prospect is not None and self.prospect.id == fresh.id:
                self.prospect = fresh

        def read() -> None:
            fresh = self.store.prospect(prospect_id)
            self.app.call_from_thread(show, fresh)

        self.run_worker(
            read, thread=True, exclusive=True, group="block.prospect", exit_on_error=False
        )

    def count_touch(self, touch: Touch) -> None:
        """Add a committed touch to today's counters, then re-read them once typing pauses.

        The count a touch adds is known the moment its row is committed, so the counters
        move at once; ``day_progress`` (five queries) re-reads the truth a moment after
        the last key, off the keystroke path, and so also picks up anything logged
        elsewhere (the CLI) in the meantime.
        """
        if touch.local_date == self.day and touch.kind.key in self.progress:
            counts = dict(self.progress)
            old = counts[touch.kind.key]
            counts[touch.kind.key] = Progress(old.done + 1, old.target)
            self.show_progress(counts)
        else:
            self.day = touch.local_date  # the block ran past midnight
        if self.reconcile_timer is not None:
            self.reconcile_timer.stop()
        self.reconcile_timer = self.set_timer(RECONCILE_SECONDS, self.reconcile)

    def action_refresh(self) -> None:
        """Re-read today's counters (the app asks when something was logged elsewhere)."""
        if self.block is not None and self.reconcile_timer is None:
            self.reconcile()

    def reconcile(self) -> None:
        self.reconcile_timer = None
        day = self.day
        self.jobs.submit(
            "read today's counts", lambda: self.store.day_progress(day), self.show_progress
        )

    def show_progress(self, progress: dict[str, Progress]) -> None:
        self.progress = progress
        self.today_rows = target_rows(self.store.data, progress, self.rules)

    def show_touches(self) -> None:
        # Both fill boxes of a fixed size: no layout pass needed (see ``set_line``).
        tally = tally_text(self.store.data, self.touches)
        self.query_one("#tally", Static).update(tally, layout=False)
        self.query_one("#log", Static).update(log_lines(self.touches), layout=False)
        n = len(self.touches)
        self.query_one("#tally").border_title = f"This block · {n} touch{'' if n == 1 else 'es'}"

    def show_interruptions(self) -> None:
        n = self.interruptions
        text = (
            "No interruptions"
            if not n
            else f"[b $warning]{n}[/] interruption{'s' if n != 1 else ''}"
        )
        set_line(self.query_one("#interruptions", Label), text)

    def say(self, text: str, kind: str) -> None:
        """One line of feedback under the pad: saved, undone, or a hint."""
        status = self.query_one("#status", Static)
        set_line(status, text)
        status.set_classes(kind)

    def watch_prospect(self, prospect: ProspectSummary | None) -> None:
        bar = self.query_one("#prospect", Static)
        if prospect is None:
            due = "" if self.due_count is None else f" ({self.due_count} due)"
            find = escape(self.key_for("block.find_prospect"))
            queue = escape(self.key_for("block.next_prospect"))
            set_line(
                bar,
                "[dim]None: touches are logged without a prospect.[/]   "
                f"[b $accent]{find}[/] find or add one   [b $accent]{queue}[/] next follow-up{due}",
            )
        else:
            set_line(
                bar, f"[b]{markup(prospect.name)}[/]  {markup(prospect_line(prospect, self.day))}"
            )
        bar.set_class(prospect is not None, "-set")

    def last_touch(self) -> Touch | None:
        """The newest touch of this block that is not being undone."""
        for touch in reversed(self.touches):
            if touch.action_id not in self.undoing:
                return touch
        return None

    def action_undo(self) -> None:
        touch = self.last_touch()
        if touch is None:
            self.say("Nothing to undo in this block.", "-hint")
            return
        self.undoing.add(touch.action_id)
        reread = touch.prospect_id

        def run() -> tuple[dict[str, Progress], ProspectSummary | None]:
            self.store.delete_action(touch.action_id)
            prospect = None if reread is None else self.store.prospect(reread)
            return self.store.day_progress(touch.local_date), prospect

        def done(result: tuple[dict[str, Progress], ProspectSummary | None]) -> None:
            progress, prospect = result
            self.undoing.discard(touch.action_id)
            self.touches = [t for t in self.touches if t.action_id != touch.action_id]
            self.show_progress(progress)
            if (
                prospect is not None
                and self.prospect is not None
                and self.prospect.id == prospect.id
            ):
                self.prospect = prospect
            self.show_touches()
            self.say(f"Undid: {markup(touch.describe())}", "-undone")

        def failed(error: BaseException) -> None:
            self.undoing.discard(touch.action_id)
            self.notify(
                f"Could not undo: {error_reason(error)}", title="Not undone", severity="error"
            )

        self.jobs.submit("undo", run, done, failed)

    def action_note(self) -> None:
        touch = self.last_touch()
        if touch is None:
            self.say("Log a touch first; the note goes on the last one.", "-hint")
            return

        def noted(note: str | None) -> None:
            if note is None:
                return

            def done(_: object) -> None:
                self.touches = [
                    dataclasses.replace(t, note=note) if t.action_id == touch.action_id else t
                    for t in self.touches
                ]
                self.show_touches()
                self.say(f"Note saved on: {markup(touch.describe())}", "-saved")

            self.jobs.submit(
                "save the note", lambda: self.store.set_action_note(touch.action_id, note), done
            )

        self.app.push_screen(NoteModal(touch.describe(), touch.note), noted)

    def action_interruption(self) -> None:
        if self.block is None or self.block.id is None:
            return
        block_id = self.block.id

        def done(count: int) -> None:
            self.interruptions = count
            self.show_interruptions()
            self.say("Interruption counted. Back to it.", "-hint")

        self.jobs.submit(
            "count the interruption", lambda: self.store.add_interruption(block_id), done
        )

    def action_find_prospect(self) -> None:
        def picked(prospect: ProspectSummary | None) -> None:
            if prospect is not None:
                self.prospect = prospect

        self.app.push_screen(ProspectSearchModal(self.store, self.day), picked)

    def action_next_prospect(self) -> None:
        """The next due follow-up not yet touched in this block, after the current one."""
        current = self.prospect

        def done(queue: list[ProspectSummary]) -> None:
            self.due_count = len(queue)
            done_ids = {t.prospect_id for t in self.touches}
            ids = [p.id for p in queue]
            start = ids.index(current.id) + 1 if current is not None and current.id in ids else 0
            ordered = queue[start:] + queue[:start]
            fresh = [
                p
                for p in ordered
                if p.id not in done_ids and (current is None or p.id != current.id)
            ]
            if not fresh:
                self.say(
                    "No follow-ups due."
                    if not queue
                    else "Every due follow-up is touched in this block.",
                    "-hint",
                )
                self.watch_prospect(self.prospect)
                return
            chosen = fresh[0]
            self.prospect = chosen
            self.say(f"Follow-up {ids.index(chosen.id) + 1} of {len(queue)} due.", "-hint")

        self.jobs.submit(
            "read the follow-up queue", lambda: self.store.followup_queue(self.day), done
        )

    def action_log_here(self) -> None:
        """The app's quick log would save outside the block; in a block, the pad is it."""
        self.say("In a block, just press a kind key: the touch counts for this block.", "-hint")

    def action_clear_prospect(self) -> None:
        self.prospect = None

    def leave(self, _: object = None) -> None:
        """Back to the screen the block was started from (Today)."""
        self.dismiss(None)

    def action_end_block(self) -> None:
        if self.ending:
            return
        if self.block is None or self.block.id is None:
            self.leave()
            return
        self.ending = True
        self.query_one(LogPad).cancel()
        block_id = self.block.id

        def done(summary: BlockSummary) -> None:
            rows = target_rows(self.store.data, summary.today, self.rules)
            self.app.push_screen(
                BlockSummaryModal(self.store.data, summary, list(self.touches), rows),
                self.leave,
            )

        def failed(error: BaseException) -> None:
            self.ending = False
            self.notify(
                f"Could not end the block: {error_reason(error)}", title="Block", severity="error"
            )

        self.jobs.submit("end the block", lambda: self.store.end_block(block_id), done, failed)
