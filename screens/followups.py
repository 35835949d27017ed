"""The Follow-ups screen: who is due, who is in limbo, and how deep the rep follows up.

Most sales come at the 5th to 12th contact, while most reps stop after three. This
screen keeps both halves of that in view: the queue of prospects whose next touch is
due (Enter logs a touch with the highlighted one), the conversations left in limbo
(``x`` a next step, ``k`` a stop), and the record: touches per prospect beside the
reference figures, the prospects given up early, conversion by source, referrals, and
how the rep's actions split between new and existing customers.

The figures are read in a thread worker and turned into text by the pure functions
below, which the tests check on their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import var
from textual.widgets import DataTable, Header, Static
from textual.worker import Worker, WorkerState

from prospector.clock import Clock, local_date
from prospector.coach import money
from prospector.followup import DEPTH_BUCKETS, REPS_BY_DEPTH, SALES_BY_CONTACT, Depth
from prospector.records import HuntingSplit, LimboItem, ProspectSummary, Referrals, SourceRow
from screens.footer import Footer
from screens.forms import say_failed
from screens.limbo import ResolveModal, save_resolution
from screens.logging import NextStepModal
from screens.main_screen import MainScreen
from screens.memory import collect_after_read
from screens.safe_text import cell, markup
from screens.today import next_touch_text, overdue_text

if TYPE_CHECKING:
    from prospector.store import Store

LOAD_WORKER = "followups.load"
NOTE_WIDTH = 30
"""Characters of a conversation's note in the limbo list (the whole note is in Prospects)."""
RECENT_DAYS = 30
"""The period of the referral and hunting figures: the last 30 days, as the 30/90 rule."""
STATE_LABELS = {
    "active": "Active",
    "won": "Won",
    "stopped": "Stopped",
    "abandoned": "Abandoned",
}
SOURCE_LABELS = {
    "cold": "Cold",
    "referral": "Referral",
    "inbound": "Inbound",
    "event": "Event",
    "existing_customer": "Existing customer",
}


@dataclass(frozen=True)
class FollowUpFigures:
    day: dt.date
    currency: str
    labels: dict[str, str]
    queue: tuple[ProspectSummary, ...]
    limbo: tuple[LimboItem, ...]
    depth: Depth
    sources: tuple[SourceRow, ...]
    referrals: Referrals
    hunting: HuntingSplit
    early: tuple[ProspectSummary, ...] = ()
    """The prospects given up early, by name."""


def read_followups(store: Store, clock: Clock) -> FollowUpFigures:
    """Everything the screen shows; blocking, so it runs in a worker thread."""
    settings = store.settings()
    day = local_date(clock.now(), settings.timezone)
    start = day - dt.timedelta(days=RECENT_DAYS - 1)
    book = store.prospects()  # read once for the queue, the depth and the sources
    figures = FollowUpFigures(
        day=day,
        currency=settings.currency,
        labels={kind.key: kind.label for kind in store.data.kinds},
        queue=tuple(store.followup_queue(day, book)),
        limbo=tuple(store.limbo()),
        depth=store.follow_up_depth(book),
        sources=tuple(store.source_conversion(book)),
        referrals=store.referrals(start, day),
        hunting=store.hunting_split(start, day),
        early=tuple(p for p in book if p.given_up_early),
    )
    collect_after_read(book)  # the figures made from it are kept too
    return figures


def clipped(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def pct(share: float) -> str:
    return f"{share * 100:.0f}%"


def grid(*headings: str, first: str = "") -> Table:
    """A plain table for figures: left-aligned first column, numbers right-aligned."""
    table = Table(box=None, padding=(0, 0, 0, 2), pad_edge=False, header_style="bold")
    table.add_column(first, no_wrap=True, overflow="ellipsis")
    for heading in headings:
        table.add_column(heading, justify="right", no_wrap=True)
    return table


def depth_table(depth: Depth) -> Table:
    """Prospects by state (rows) and touches so far (columns)."""
    buckets = [label for label, _, _ in DEPTH_BUCKETS]
    table = grid(*buckets, first="Touches")
    for state, label in STATE_LABELS.items():
        table.add_row(label, *(str(depth.by_state[state][b]) for b in buckets))
    return table


def left_table(depth: Depth) -> Table:
    """Where stopped and abandoned prospects were left, beside the share of reps who stop
    there (the reference)."""
    table = grid("You", "Reps (reference)", first="Left after")
    for label, _, _, share in REPS_BY_DEPTH:
        table.add_row(label, pct(depth.left_after[label]), Text(pct(share), style="dim"))
    return table


EARLY_NAMED = 6
"""Prospects given up early named under the depth table; the rest are counted."""


def early_names(early: Sequence[ProspectSummary]) -> str:
    """``Lukas Yilmaz (2 touches), ...``: who to pick up again."""
    if not early:
        return ""
    named = ", ".join(
        f"{markup(p.name)} ({p.touch_count} touch{'es' if p.touch_count != 1 else ''})"
        for p in early[:EARLY_NAMED]
    )
    more = len(early) - EARLY_NAMED
    return f"Given up early: {named}" + (f" and {more} more." if more > 0 else ".")


def early_sentence(depth: Depth, currency: str) -> str:
    """The prospects given up early, and the sales the reference says go with them."""
    if depth.early == 0:
        return "[b $success]Nobody given up early[/]: every prospect left had a clear stop."
    who = "1 prospect" if depth.early == 1 else f"{depth.early} prospects"
    value = (
        f" About {money(depth.early_value, currency)} of estimated deal value goes with them."
        if depth.early_value
        else ""
    )
    return (
        f"[b $warning]{who} given up early[/]: left after 1–3 touches without a stop. "
        f"The reference puts {pct(depth.early_sales_share)} of sales after the touch they "
        f"were left at.{value} Pick them up again from the queue, or stop them."
    )


def reference_sentence() -> str:
    shares = ", ".join(f"{pct(share)} at the {label}" for label, _, _, share in SALES_BY_CONTACT)
    return f"[dim]Sales by contact (reference): {shares}.[/]"


def sources_table(rows: Sequence[SourceRow]) -> Table:
    table = grid("Prospects", "Meetings", "Won", "Won %", first="Source")
    for row in rows:
        table.add_row(
            cell(SOURCE_LABELS.get(row.source, row.source)),
            str(row.prospects),
            str(row.meetings),
            str(row.won),
            pct(row.conversion) if row.prospects else "—",
        )
    return table


def referral_sentence(referrals: Referrals) -> str:
    asks = "1 referral ask" if referrals.asks == 1 else f"{referrals.asks} referral asks"
    got = "1 referral" if referrals.received == 1 else f"{referrals.received} referrals"
    text = (
        f"Last {RECENT_DAYS} days: {asks}, {got} received. From a referral: "
        f"{referrals.prospects} prospects, {referrals.won} won."
    )
    if referrals.asks == 0:
        text += (
            " [$warning]No referral asked for lately: the cheapest new customers come "
            "from asking the ones you have.[/]"
        )
    return text


def hunting_table(split: HuntingSplit) -> Table:
    total = split.new_actions + split.existing_actions
    table = grid("Actions", "Share", "Minutes", first=f"Last {RECENT_DAYS} days")
    for label, actions, minutes in (
        ("New customers", split.new_actions, split.new_minutes),
        ("Existing", split.existing_actions, split.existing_minutes),
    ):
        table.add_row(
            label, str(actions), pct(actions / total) if total else "—", f"{minutes:,.0f}"
        )
    return table


def hunting_sentence(split: HuntingSplit) -> str:
    """This week's new-customer actions against the hunting target."""
    if not split.week_target:
        return f"This week: {split.week_new_actions} new-customer actions (no target set)."
    done, target = split.week_new_actions, split.week_target
    tone = "$success" if done >= target else "$warning"
    return (
        f"This week: [b {tone}]{done} of {target}[/] new-customer actions "
        f"({pct(done / target)}). Every action not on an existing customer counts."
    )


def refill(table: DataTable[Any], rows: Iterable[tuple[str, *tuple[str | Text, ...]]]) -> None:
    """Replace a table's rows (each ``(key, *cells)``) after a reload, leaving the cursor
    on the row it was on, or on the last one if the list got shorter. Text from the
    records comes as ``Text`` (``safe_text.cell``): a ``str`` cell is read as markup."""
    cursor = table.cursor_row
    table.clear()
    for key, *cells in rows:
        table.add_row(*cells, key=key)
    if table.row_count:
        table.move_cursor(row=min(cursor, table.row_count - 1), scroll=False)


class FollowUpsScreen(MainScreen):
    """The follow-up queue, limbo, and the depth of the rep's follow-up."""

    CSS_PATH = "followups.tcss"
    BINDINGS = [
        Binding(
            "t",
            "log_touch",
            "Log touch",
            tooltip="Log a touch with the highlighted prospect due (or Enter on it)",
            id="followups.log",
        ),
        Binding(
            "x",
            "resolve('next_step')",
            "Next step",
            tooltip="The highlighted conversation ended in a next step: give its date",
            id="followups.step",
        ),
        Binding(
            "k",
            "resolve('stop')",
            "Stop",
            tooltip="The highlighted conversation ended in a clear no",
            id="followups.stop",
        ),
        Binding(
            "r",
            "refresh",
            "Refresh",
            show=False,  # the screen follows changes made elsewhere by itself
            tooltip="Reload, e.g. after logging from a shell",
            id="followups.refresh",
        ),
    ]

    figures: var[FollowUpFigures | None] = var(None)

    def __init__(self, store: Store, clock: Clock) -> None:
        super().__init__()
        self.store = store
        self.clock = clock

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="body"):
            yield DataTable(id="queue", cursor_type="row", zebra_stripes=True)
            yield DataTable(id="limbo", cursor_type="row", zebra_stripes=True)
            with Vertical(id="depth"):
                yield Static(id="depth-table")
                yield Static(id="left-table")
                yield Static(id="early")
                yield Static(id="early-names")
                yield Static(id="reference")
            with Horizontal(id="mix"):
                with Vertical(id="sources"):
                    yield Static(id="sources-table")
                    yield Static(id="referrals")
                with Vertical(id="hunting"):
                    yield Static(id="hunting-table")
                    yield Static(id="hunting-week")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        queue = self.query_one("#queue", DataTable)
        queue.add_columns("Prospect", "Company", "Due", "Next touch", "Value")
        limbo = self.query_one("#limbo", DataTable)
        limbo.add_columns("Prospect", "Company", "Conversation", "Days", "Note")
        self.query_one("#depth").border_title = "Follow-up depth"
        self.query_one("#sources").border_title = "Sources and referrals"
        self.query_one("#hunting").border_title = "Hunting and farming"
        self.query_one("#body").display = False
        self.load()

    def action_refresh(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, name=LOAD_WORKER, group=LOAD_WORKER)
    def load(self) -> FollowUpFigures:
        return read_followups(self.store, self.clock)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != LOAD_WORKER:
            return
        body = self.query_one("#body")
        if event.state == WorkerState.SUCCESS and isinstance(event.worker.result, FollowUpFigures):
            self.figures = event.worker.result
            body.display = True
            if self.focused is None:
                self.query_one("#queue" if self.figures.queue else "#limbo").focus()
        elif event.state == WorkerState.ERROR:
            body.display = True
            say_failed(self, "read the follow-ups", event.worker.error, "Follow-ups")

    def watch_figures(self, figures: FollowUpFigures | None) -> None:
        if figures is None:
            return
        self.sub_title = f"{figures.day:%A} {figures.day.day} {figures.day:%B %Y}"
        queue = self.query_one("#queue", DataTable)
        refill(
            queue,
            (
                (
                    str(p.id),
                    cell(p.name),
                    cell(p.company or "—"),
                    overdue_text(p.days_overdue(figures.day) or 0),
                    next_touch_text(p, figures.labels),
                    money(p.est_value, figures.currency) if p.est_value else "",
                )
                for p in figures.queue
            ),
        )
        queue.border_title = f"Due · {len(figures.queue)}"
        queue.border_subtitle = (
            "t or enter logs a touch with the highlighted prospect"
            if figures.queue
            else "nothing due: every open prospect's next touch lies ahead"
        )
        limbo = self.query_one("#limbo", DataTable)
        refill(
            limbo,
            (
                (
                    str(item.action_id),
                    cell(item.prospect.name),
                    cell(item.prospect.company or "—"),
                    f"{figures.labels.get(item.kind, item.kind)} · "
                    f"{item.on:%a} {item.on.day} {item.on:%b}",
                    str(item.days(figures.day)),
                    cell(clipped(item.note, NOTE_WIDTH)),
                )
                for item in figures.limbo
            ),
        )
        limbo.border_title = f"In limbo · {len(figures.limbo)}"
        limbo.border_subtitle = (
            "a conversation with no next step and no stop · x next step · k stop"
            if figures.limbo
            else "no conversation left without a next step or a stop"
        )
        for widget_id, content in (
            ("#depth-table", depth_table(figures.depth)),
            ("#left-table", left_table(figures.depth)),
            ("#early", early_sentence(figures.depth, figures.currency)),
            ("#early-names", early_names(figures.early)),
            ("#reference", reference_sentence()),
            ("#sources-table", sources_table(figures.sources)),
            ("#referrals", referral_sentence(figures.referrals)),
            ("#hunting-table", hunting_table(figures.hunting)),
            ("#hunting-week", hunting_sentence(figures.hunting)),
        ):
            widget = self.query_one(widget_id, Static)
            widget.update(content)
            widget.display = not isinstance(content, str) or bool(content)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """x and k act on the limbo list, Enter on the queue: each only where it can."""
        figures = self.figures
        if action == "resolve":
            return figures is not None and bool(figures.limbo)
        if action == "log_touch":
            return figures is not None and bool(figures.queue)
        return True

    def highlighted(self, table_id: str, rows: Sequence[Any]) -> Any | None:
        table = self.query_one(table_id, DataTable)
        if not rows or not 0 <= table.cursor_row < len(rows):
            return None
        return rows[table.cursor_row]

    def action_resolve(self, outcome: str) -> None:
        if self.figures is None:
            return
        item = self.highlighted("#limbo", self.figures.limbo)
        if not isinstance(item, LimboItem):
            return
        figures = self.figures
        if outcome == "stop":
            save_resolution(self, self.store, item, ("stop", None), self.load)
            return

        def dated(day: dt.date | None) -> None:
            if day is not None:
                save_resolution(self, self.store, item, ("next_step", day), self.load)

        modal = NextStepModal(figures.day)
        modal.title_text = f"Next step with {markup(item.prospect.name)}: when?"
        self.app.push_screen(modal, dated)

    @on(DataTable.RowSelected, "#queue")
    def queue_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_log_touch()

    @on(DataTable.RowSelected, "#limbo")
    def limbo_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a conversation in limbo asks what it ended in."""
        event.stop()
        if self.figures is None:
            return
        item = self.highlighted("#limbo", self.figures.limbo)
        if not isinstance(item, LimboItem):
            return

        def resolved(resolution: tuple[str, dt.date | None] | None) -> None:
            if resolution is not None:
                save_resolution(self, self.store, item, resolution, self.load)

        self.app.push_screen(ResolveModal(item, self.figures.day, self.figures.labels), resolved)

    def action_log_touch(self) -> None:
        """Quick log with the highlighted prospect attached; the queue reloads after."""
        if self.figures is None:
            return
        prospect = self.highlighted("#queue", self.figures.queue)
        if not isinstance(prospect, ProspectSummary):
            return
        from screens.quick_log import QuickLogModal

        def logged(action: object) -> None:
            if action is not None:
                self.load()

        self.app.push_screen(QuickLogModal(self.store, self.clock, prospect), logged)
