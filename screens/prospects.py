"""The Prospects screen: every prospect at a glance, a search, the add and edit form, and
the touch history of the one under the cursor.

A rep comes here to find someone ("who was that at Noordkade?"), to see how far they
have followed a prospect up (the design brief's point: most sales come after the fifth
touch, most reps stop after two), and to fix a prospect's details. Reads and writes go
through the store in thread workers; the table only renders what they bring back.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

import pendulum
from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.reactive import var
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Header,
    Input,
    Label,
    Select,
    Static,
)
from textual.worker import Worker, WorkerState

from prospector.clock import Clock, local_date, parse_date
from prospector.errors import InvalidInput
from prospector.models import Action
from prospector.names import name_key
from prospector.records import ProspectSummary
from prospector.store import SOURCES, STAGES, Store
from screens.footer import Footer
from screens.forms import FormField, ParseValidator, money, say_failed, short_date
from screens.main_screen import MainScreen
from screens.memory import collect_after_read
from screens.safe_text import SafeInput, cell, markup, plain

__all__ = ["ProspectForm", "ProspectsScreen", "read_history", "read_prospects"]

LOAD_WORKER = "prospects.load"
HISTORY_WORKER = "prospects.history"
SAVE_WORKER = "prospect-form.save"
SEARCH_DEBOUNCE = 0.2
"""Seconds of quiet typing before the search runs: one query per pause, not per key."""
COLUMNS: tuple[tuple[str | Text, str, int | None], ...] = (
    ("Name", "name", 20),
    ("Company", "company", 23),
    ("Source", "source", 17),
    (Text("Touches", justify="right"), "touches", None),
    ("Last touch", "last", None),
    ("Next touch", "next", 13),
    (Text("Est. value", justify="right"), "value", None),
)
"""The list's columns, sized to fit 120 columns: long names and companies are cut short
with an ellipsis rather than pushing the next touch off screen."""
SORTS: tuple[tuple[str, str], ...] = (
    ("name", "by name"),
    ("next", "by next touch"),
    ("value", "by value"),
    ("touches", "by fewest touches"),
)
"""The orders ``o`` cycles through: overdue first, biggest first, least followed up first."""


SHOWN_ROWS = 500
"""Rows the list holds at once. A table of 20,000 rows took seconds to fill; a rep works
the top of the chosen order, and finds any other prospect by searching."""


def shown_window(
    ordered: list[ProspectSummary], keep: int | None
) -> tuple[list[ProspectSummary], int]:
    """The rows to put in the table and the position of the first: the top
    ``SHOWN_ROWS`` of ``ordered``, or the stretch around ``keep`` when that prospect
    (just added) lies further down."""
    start = 0
    if keep is not None and len(ordered) > SHOWN_ROWS:
        at = next((i for i, p in enumerate(ordered) if p.id == keep), 0)
        if at >= SHOWN_ROWS:
            start = min(at - SHOWN_ROWS // 2, len(ordered) - SHOWN_ROWS)
    return ordered[start : start + SHOWN_ROWS], start


def sort_rows(rows: tuple[ProspectSummary, ...], order: str) -> list[ProspectSummary]:
    """The page in the rep's chosen order; stopped prospects always sink to the end."""

    def key(p: ProspectSummary) -> tuple[Any, ...]:
        name = p.name.lower()
        if order == "next":
            return (p.stopped, p.next_touch_on is None, p.next_touch_on or dt.date.max, name)
        if order == "value":
            return (p.stopped, -(p.est_value or 0), name)
        if order == "touches":
            return (p.stopped, p.touch_count, name)
        return (False, name)

    return sorted(rows, key=key)


"""The stages the app offers; a prospect keeps any other stage it already has."""


def label_of(key: str) -> str:
    """``existing_customer`` -> ``Existing customer``: keys as a rep reads them."""
    return key.replace("_", " ").capitalize()


@dataclass(frozen=True)
class ProspectsPage:
    """One search's worth of prospects, with what is needed to show them."""

    search: str
    rows: tuple[ProspectSummary, ...]
    today: dt.date
    currency: str
    timezone: str


@dataclass(frozen=True)
class Touch:
    """One row of the history pane, already in the rep's words and time zone."""

    when: str
    kind: str
    outcome: str
    note: str


@dataclass(frozen=True)
class History:
    prospect_id: int
    touches: tuple[Touch, ...]


def read_prospects(store: Store, clock: Clock, search: str) -> ProspectsPage:
    """Prospects matching ``search``; blocking, so it runs in a worker thread."""
    settings = store.settings()
    rows = tuple(store.prospects(search))
    collect_after_read(rows)
    return ProspectsPage(
        search=search,
        rows=rows,
        today=local_date(clock.now(), settings.timezone),
        currency=settings.currency,
        timezone=settings.timezone,
    )


def describe_touch(store: Store, action: Action, timezone: str, today: dt.date) -> Touch:
    """An action as the history pane shows it: local time, kind and outcome labels."""
    kinds = {kind.key: kind.label for kind in store.data.kinds}
    outcomes = {outcome.key: outcome.label for outcome in store.data.outcomes}
    local = pendulum.instance(action.at).in_timezone(timezone)
    year = "" if local.year == today.year else f" {local.year}"
    outcome = outcomes.get(action.outcome, label_of(action.outcome))
    if action.next_step_on is not None:
        outcome += f" → {short_date(action.next_step_on, today)}"
    return Touch(
        when=f"{local:%a} {local.day} {local:%b}{year} {local:%H:%M}",
        kind=kinds.get(action.kind, label_of(action.kind)),
        outcome=outcome,
        note=action.note,
    )


def read_history(store: Store, prospect_id: int, timezone: str, today: dt.date) -> History:
    """Every touch of one prospect, newest first, ready to show."""
    actions = store.prospect_history(prospect_id)
    return History(prospect_id, tuple(describe_touch(store, a, timezone, today) for a in actions))


def source_text(prospect: ProspectSummary) -> str:
    """Where the prospect came from, and whether they already buy from the rep: the
    hunter-versus-farmer split the design brief wants visible."""
    source = label_of(prospect.source)
    if prospect.existing_customer and prospect.source != "existing_customer":
        return f"{source}, existing"
    return source


def next_touch_text(prospect: ProspectSummary, today: dt.date) -> tuple[str, str]:
    """The next-touch cell and its tone: ``overdue``, ``due`` (today) or ``""``.

    A stopped prospect has no next touch that matters, so the cell says ``stopped``
    instead (and the whole row is muted): one column answers "what now with them?".
    """
    if prospect.stopped:
        return "stopped", ""
    if prospect.won:
        return "won", ""
    if prospect.next_touch_on is None:
        return ("cadence done", "due") if prospect.next_reason == "cadence done" else ("", "")
    late = prospect.days_overdue(today)
    if late is None or late < 0:
        return short_date(prospect.next_touch_on, today), ""
    if late == 0:
        return "today", "due"
    return f"{late} day{'s' if late != 1 else ''} late", "overdue"


class ProspectTable(DataTable[Any]):
    """The prospect list; overdue, due and stopped rows take their colours from the theme.

    DataTable cells are Rich renderables, which cannot name theme variables, so the
    tones are component classes styled in ``prospects.tcss`` and read back as Rich styles.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = DataTable.COMPONENT_CLASSES | {
        "prospect-table--overdue",
        "prospect-table--due",
        "prospect-table--stopped",
    }

    def tone(self, name: str) -> Style:
        """The Rich style of a tone, its colour blended over the table's background
        (a theme colour such as ``$text-muted`` is partly transparent, which a Rich
        style cannot express)."""
        if not name:
            return Style()
        styles = self.get_component_styles(f"prospect-table--{name}")
        _, background = self.background_colors
        color = background + styles.color
        return styles.text_style + Style(color=color.rich_color)


class ProspectsScreen(MainScreen):
    """All prospects with search, add and edit, and the selected one's touch history."""

    CSS_PATH = "prospects.tcss"
    BINDINGS = [
        Binding(
            "slash",
            "focus_search",
            "Search",
            tooltip="Find prospects by name or company as you type",
            id="prospects.search",
        ),
        Binding(
            "n",
            "add",
            "New",
            tooltip="Add a prospect: name, company, source and estimated value",
            id="prospects.add",
        ),
        Binding(
            "e",
            "edit",
            "Edit",
            key_display="e/⏎",
            tooltip="Change the selected prospect: details, stage, next touch, stopped, note",
            id="prospects.edit",
        ),
        Binding(
            "o",
            "sort",
            "Sort",
            tooltip="Order by name, next touch (overdue first), value or fewest touches",
            id="prospects.sort",
        ),
        Binding(
            "r",
            "refresh",
            "Refresh",
            show=False,
            tooltip="Reload the list and the history, e.g. after logging from a shell",
            id="prospects.refresh",
        ),
        Binding(
            "escape",
            "clear_search",
            "Clear search",
            show=False,
            tooltip="Show every prospect again and go back to the list",
            id="prospects.clear_search",
        ),
    ]

    page: var[ProspectsPage | None] = var(None)
    order: var[str] = var("name")

    def __init__(self, store: Store, clock: Clock) -> None:
        super().__init__()
        self.store = store
        self.clock = clock
        self._by_key: dict[str, ProspectSummary] = {}
        self._select_id: int | None = None
        """The prospect to put the cursor on once the next load lands (just added)."""
        self._search_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="search-bar"):
            yield Label("Search", id="search-label")
            yield SafeInput(
                placeholder="name or company · press / to search",
                id="search",
                compact=True,
                tooltip="Filters as you type; Enter or ↓ goes to the list, Escape clears",
            )
        with Vertical(id="list"):
            yield ProspectTable(id="prospects", cursor_type="row", zebra_stripes=True)
            yield Static(id="list-empty", markup=False)
        with Vertical(id="history"):
            yield Static(id="prospect-note", markup=False)
            yield DataTable(id="touches", cursor_type="row", show_cursor=False)
            yield Static(id="history-empty", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Prospects"
        table = self.query_one("#prospects", ProspectTable)
        for label, key, width in COLUMNS:
            table.add_column(label, key=key, width=width)
        touches = self.query_one("#touches", DataTable)
        touches.add_column("When", key="when")
        touches.add_column("Kind", key="kind")
        touches.add_column("Outcome", key="outcome")
        touches.add_column("Note", key="note")
        self.query_one("#list").border_title = "Prospects"
        self.query_one("#history").border_title = "Touches"
        self.query_one("#list").loading = True
        table.focus()
        self.app.theme_changed_signal.subscribe(
            self, lambda _theme: self.call_after_refresh(self._refill)
        )
        self.load("")

    # Loading

    @work(thread=True, exclusive=True, exit_on_error=False, name=LOAD_WORKER, group=LOAD_WORKER)
    def load(self, search: str) -> ProspectsPage:
        """Read the list off the UI thread; a newer search cancels an older one."""
        return read_prospects(self.store, self.clock, search)

    @work(
        thread=True, exclusive=True, exit_on_error=False, name=HISTORY_WORKER, group=HISTORY_WORKER
    )
    def load_history(self, prospect_id: int, timezone: str, today: dt.date) -> History:
        return read_history(self.store, prospect_id, timezone, today)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        name, result = event.worker.name, event.worker.result
        if name not in (LOAD_WORKER, HISTORY_WORKER):
            return
        if event.state == WorkerState.SUCCESS:
            if isinstance(result, ProspectsPage):
                self.query_one("#list").loading = False
                self.page = result
            elif isinstance(result, History):
                self.show_history(result)
        elif event.state == WorkerState.ERROR:
            self.query_one("#list").loading = False
            what = "prospects" if name == LOAD_WORKER else "the touch history"
            say_failed(self, f"read {what}", event.worker.error, "Prospects")

    def watch_page(self, page: ProspectsPage | None) -> None:
        if page is not None:
            self._refill()

    def _refill(self) -> None:
        """Put the current page in the table, keeping the cursor on the same prospect."""
        page = self.page
        if page is None:
            return
        table = self.query_one("#prospects", ProspectTable)
        chosen = self._select_id  # a prospect just added or asked for: shown wherever it is
        keep = chosen if chosen is not None else self.selected_id
        self._select_id = None
        table.clear()
        self._by_key = {}
        ordered = sort_rows(page.rows, self.order)
        # A new order or search opens on its top rows; the cursor stays on the prospect
        # it was on only when that one is among them.
        shown, start = shown_window(ordered, chosen)
        for prospect in shown:
            key = str(prospect.id)
            self._by_key[key] = prospect
            table.add_row(*self.cells(table, prospect, page), key=key)
        count = len(page.rows)
        box = self.query_one("#list")
        order = dict(SORTS)[self.order]
        if page.search:
            box.border_title = f"Prospects · {count:,} matching “{markup(page.search)}” · {order}"
        else:
            box.border_title = f"Prospects · {count:,} · {order}"
        if len(shown) < count:
            # The search line above says how to reach the rest; at 80 columns the
            # title has room for the span only.
            box.border_title += f" · {start + 1:,}–{start + len(shown):,} shown"
        overdue = sum(1 for p in page.rows if next_touch_text(p, page.today)[1] == "overdue")
        box.border_subtitle = f"{overdue} overdue" if overdue else ""
        empty = self.query_one("#list-empty", Static)
        if page.rows:
            empty.display = False
        elif page.search:
            empty.update(f"No prospect matches “{page.search}”. Press n to add one.")
            empty.display = True
        else:
            empty.update(
                "No prospects yet. Press n to add the first one, or log a touch with "
                "a name during a block and it is added for you."
            )
            empty.display = True
        table.display = bool(page.rows)
        if keep is not None and str(keep) in self._by_key:
            table.move_cursor(row=table.get_row_index(str(keep)))
        if not page.rows:
            self.show_history(None)
        self.refresh_bindings()

    def cells(
        self, table: ProspectTable, prospect: ProspectSummary, page: ProspectsPage
    ) -> list[Text]:
        """One row of the list; a stopped prospect is muted, an overdue touch stands out."""
        base = table.tone("stopped" if prospect.stopped else "")
        next_text, next_tone = next_touch_text(prospect, page.today)
        last = prospect.last_touch_on

        def cell(text: str, tone: Style | None = None, justify: str = "left") -> Text:
            return Text(
                plain(text),
                style=tone or base,
                justify=justify,  # type: ignore[arg-type]
                no_wrap=True,
                overflow="ellipsis",
            )

        return [
            cell(prospect.name),
            cell(prospect.company),
            cell(source_text(prospect)),
            cell(str(prospect.touch_count), justify="right"),
            cell(short_date(last, page.today) if last else ""),
            cell(next_text, table.tone(next_tone) if next_tone else None),
            cell(money(prospect.est_value, page.currency), justify="right"),
        ]

    @property
    def selected_id(self) -> int | None:
        prospect = self.selected
        return prospect.id if prospect else None

    @property
    def selected(self) -> ProspectSummary | None:
        table = self.query_one("#prospects", ProspectTable)
        if not self._by_key or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self._by_key.get(key or "")

    # History

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id != "prospects" or self.page is None:
            return
        prospect = self._by_key.get(event.row_key.value or "")
        if prospect is None:
            return
        pane = self.query_one("#history")
        company = f", {markup(prospect.company)}" if prospect.company else ""
        pane.border_title = f"Touches · {markup(prospect.name)}{company}"
        self.load_history(prospect.id, self.page.timezone, self.page.today)

    def show_history(self, history: History | None) -> None:
        pane = self.query_one("#history")
        touches = self.query_one("#touches", DataTable)
        empty = self.query_one("#history-empty", Static)
        note = self.query_one("#prospect-note", Static)
        prospect = self._by_key.get(str(history.prospect_id)) if history else None
        if history is None or prospect is None:
            pane.border_title = "Touches"
            pane.border_subtitle = ""
            touches.clear()
            touches.display = False
            note.display = False
            empty.update("Select a prospect to see every touch with them.")
            empty.display = True
            return
        touches.clear()
        for touch in history.touches:
            touches.add_row(*map(cell, (touch.when, touch.kind, touch.outcome, touch.note)))
        count = len(history.touches)
        pane.border_subtitle = (
            f"{count} touch{'es' if count != 1 else ''} · stage {label_of(prospect.stage)}"
        )
        note.update(f"Note: {plain(prospect.note, one_line=False)}" if prospect.note else "")
        note.display = bool(prospect.note)
        touches.display = bool(history.touches)
        empty.update(f"No touches logged with {plain(prospect.name)} yet.")
        empty.display = not history.touches

    def action_sort(self) -> None:
        keys = [key for key, _ in SORTS]
        self.order = keys[(keys.index(self.order) + 1) % len(keys)]

    def watch_order(self) -> None:
        self._refill()

    def action_refresh(self) -> None:
        """Reload (the app also calls this after a quick log made on top of the screen)."""
        self.load(self.page.search if self.page else "")

    # Search

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "search":
            return
        if self._search_timer is not None:
            self._search_timer.stop()
        value = event.value
        self._search_timer = self.set_timer(SEARCH_DEBOUNCE, lambda: self.search_now(value))

    def search_now(self, text: str) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        if self.page is None or text.strip() != self.page.search:
            self.load(text.strip())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "search":
            self.search_now(event.value)
            self.query_one("#prospects").focus()

    def on_key(self, event: events.Key) -> None:
        """↓ in the search box goes to the list, as a rep expects from a filter box."""
        if event.key == "down" and self.focused is self.query_one("#search"):
            self.query_one("#prospects").focus()
            event.stop()

    def action_clear_search(self) -> None:
        search = self.query_one("#search", Input)
        if search.value:
            search.value = ""
            self.search_now("")
        self.query_one("#prospects").focus()

    # Add and edit

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "edit" and self.selected is None:
            return None
        return True

    def action_add(self) -> None:
        if self.page is None:
            return
        self.app.push_screen(
            ProspectForm(self.store, self.page.today, self.page.currency), self.after_save
        )

    def action_edit(self) -> None:
        prospect = self.selected
        if prospect is None or self.page is None:
            return
        self.app.push_screen(
            ProspectForm(self.store, self.page.today, self.page.currency, prospect),
            self.after_save,
        )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "prospects":
            self.action_edit()

    def after_save(self, saved: ProspectSummary | None) -> None:
        """Reload with the saved prospect under the cursor (clearing a search it misses)."""
        if saved is None:
            return
        self._select_id = saved.id
        search = self.query_one("#search", Input)
        needle = name_key(search.value)
        if needle and needle not in name_key(saved.name) and needle not in name_key(saved.company):
            with self.prevent(Input.Changed):
                search.value = ""
        self.load(search.value.strip())
        self.query_one("#prospects").focus()


def parse_name(raw: str) -> str:
    name = raw.strip()
    if not name:
        raise InvalidInput("a prospect needs a name")
    return name


def parse_value(raw: str) -> float | None:
    """An estimated deal value: empty for unknown, else a plain non-negative number."""
    text = raw.strip()
    for sign in ("€", "$", "£"):
        text = text.removeprefix(sign)
    text = text.replace("_", "").replace(" ", "")
    if not text:
        return None
    if "," in text:
        raise InvalidInput("write the value without separators, e.g. 15000 or 15000.50")
    if text.startswith("-"):
        raise InvalidInput("the estimated deal value cannot be negative")
    # ASCII digits only: Decimal() would also take "٥", "1e5", "Infinity" or "NaN".
    if not re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", text, re.ASCII):
        raise InvalidInput(f"the value must be a number such as 15000, got {raw.strip()!r}")
    value = Decimal(text)
    if value >= 10**12:
        raise InvalidInput("the estimated deal value must be below 1,000,000,000,000")
    return float(value)


class ProspectForm(ModalScreen[ProspectSummary | None]):
    """Add a prospect, or edit one (with stage, next touch, stopped and note).

    The form saves through the store itself, so that an error only the store can find
    (a duplicate name) appears under its field while the form stays open; it dismisses
    with the saved prospect, or ``None`` when cancelled.
    """

    CSS_PATH = "prospects.tcss"
    BINDINGS = [
        Binding(
            "ctrl+s",
            "save",
            "Save",
            tooltip="Save the prospect (Enter in a text field does the same)",
            id="prospect_form.save",
        ),
        Binding(
            "escape",
            "cancel",
            "Cancel",
            tooltip="Close the form without saving",
            id="prospect_form.cancel",
        ),
    ]

    def __init__(
        self,
        store: Store,
        today: dt.date,
        currency: str,
        prospect: ProspectSummary | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.today = today
        self.currency = currency
        self.prospect = prospect
        self.saving = False
        committed = prospect is not None and prospect.next_reason == "committed"
        self.shown_next = (
            prospect.planned_on.isoformat()
            if committed and prospect and prospect.planned_on
            else ""
        )
        """The committed next step shown for editing: one still to be made, else empty."""

    def compose(self) -> ComposeResult:
        p = self.prospect
        with Vertical(id="form") as box:
            box.border_title = "New prospect" if p is None else f"Edit {markup(p.name)}"
            box.border_subtitle = "Enter or ctrl+s saves · Esc cancels"
            with Grid(id="fields"):
                yield FormField(
                    "Name",
                    SafeInput(
                        p.name if p else "",
                        placeholder="First and last name",
                        id="name",
                        validators=[ParseValidator(parse_name)],
                        validate_on=["submitted"],
                    ),
                    id="name-field",
                )
                yield FormField(
                    "Company", SafeInput(p.company if p else "", id="company"), id="company-field"
                )
                yield FormField(
                    "Source",
                    Select(
                        [(label_of(s), s) for s in SOURCES],
                        value=p.source if p and p.source in SOURCES else "cold",
                        allow_blank=False,
                        id="source",
                    ),
                    id="source-field",
                )
                yield FormField(
                    "Customer",
                    Checkbox(
                        "Existing customer", p.existing_customer if p else False, id="existing"
                    ),
                    id="existing-field",
                )
                value = "" if p is None or p.est_value is None else f"{p.est_value:g}"
                yield FormField(
                    f"Estimated deal value ({self.currency})",
                    SafeInput(
                        value,
                        placeholder="e.g. 15000; empty if unknown",
                        id="value",
                        validators=[ParseValidator(parse_value)],
                        validate_on=["blur", "submitted"],
                    ),
                    id="value-field",
                )
                if p is not None:
                    stages = list(STAGES) if p.stage in STAGES else [*STAGES, p.stage]
                    yield FormField(
                        "Stage",
                        Select(
                            [(label_of(s), s) for s in stages],
                            value=p.stage,
                            allow_blank=False,
                            id="stage",
                        ),
                        id="stage-field",
                    )
                    yield FormField(
                        "Next step on",
                        SafeInput(
                            self.shown_next,
                            placeholder="a date agreed with them; empty: the cadence decides",
                            id="next",
                            validators=[ParseValidator(self.parse_next)],
                            validate_on=["blur", "submitted"],
                        ),
                        id="next-field",
                    )
                    yield FormField(
                        "Follow-up",
                        Checkbox("Stopped: a clear no", p.stopped, id="stopped"),
                        id="stopped-field",
                    )
                    yield FormField("Note", SafeInput(p.note, id="note"), id="note-field")
            yield Static(id="form-error", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#form-error").display = False
        self.query_one("#name", Input).focus()

    def parse_next(self, raw: str) -> dt.date | None:
        return parse_date(raw, self.today) if raw.strip() else None

    def on_select_changed(self, event: Select.Changed) -> None:
        """A prospect sourced from an existing customer is an existing customer."""
        if event.select.id == "source" and event.value == "existing_customer":
            self.query_one("#existing", Checkbox).value = True

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def fields(self) -> dict[str, Any]:
        """What the form says, as ``add_prospect`` / ``update_prospect`` keywords."""
        out: dict[str, Any] = {
            "name": parse_name(self.query_one("#name", Input).value),
            "company": self.query_one("#company", Input).value.strip(),
            "source": self.query_one("#source", Select).value,
            "existing_customer": self.query_one("#existing", Checkbox).value,
            "est_value": parse_value(self.query_one("#value", Input).value),
        }
        if self.prospect is not None:
            out["stage"] = self.query_one("#stage", Select).value
            typed = self.query_one("#next", Input).value
            if typed.strip() != self.shown_next:  # a fulfilled step's date stays as it was
                out["next_touch_on"] = self.parse_next(typed)
            out["stopped"] = self.query_one("#stopped", Checkbox).value
            out["note"] = self.query_one("#note", Input).value.strip()
        return out

    def action_save(self) -> None:
        """Check every field; save only when all pass, else focus the first that fails."""
        if self.saving:
            return
        self.show_form_error("")
        failed = [field for field in self.query(FormField) if not field.check()]
        if failed:
            failed[0].control.focus()
            return
        fields = self.fields()
        if self.prospect is not None:
            # Only what the rep changed: a touch logged meanwhile keeps its next-touch date.
            current = self.prospect
            fields = {k: v for k, v in fields.items() if getattr(current, k) != v}
            if not fields:
                self.dismiss(None)
                self.notify("Nothing changed.", title="Prospects")
                return
        self.saving = True
        self.query_one("#save", Button).disabled = True
        self.save(fields)

    @work(thread=True, exclusive=True, exit_on_error=False, name=SAVE_WORKER, group=SAVE_WORKER)
    def save(self, fields: dict[str, Any]) -> ProspectSummary | InvalidInput:
        """Write through the store; its refusal comes back as a value, to show inline."""
        try:
            if self.prospect is None:
                row = self.store.add_prospect(**fields)
                assert row.id is not None
                return self.store.prospect(row.id)
            return self.store.update_prospect(self.prospect.id, **fields)
        except InvalidInput as refusal:
            return refusal

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != SAVE_WORKER or event.state not in (
            WorkerState.SUCCESS,
            WorkerState.ERROR,
        ):
            return
        self.saving = False
        self.query_one("#save", Button).disabled = False
        result = event.worker.result
        if event.state == WorkerState.SUCCESS and isinstance(result, ProspectSummary):
            verb = "Added" if self.prospect is None else "Saved"
            self.notify(f"{verb} {result.name}.", title="Prospects")
            self.dismiss(result)
        elif event.state == WorkerState.SUCCESS and isinstance(result, InvalidInput):
            self.show_refusal(result)
        else:
            say_failed(self, "save the prospect", event.worker.error, "Prospects")

    def show_refusal(self, refusal: InvalidInput) -> None:
        """Put the store's message under the field it is about, else under the form."""
        field_id = {"name": "name", "source": "source", "est_value": "value"}.get(
            refusal.field or ""
        )
        if field_id is not None:
            field = self.query_one(f"#{field_id}-field", FormField)
            field.show_error(str(refusal))
            field.control.focus()
            return
        self.show_form_error(str(refusal))

    def show_form_error(self, message: str) -> None:
        line = self.query_one("#form-error", Static)
        line.update(message[:1].upper() + message[1:])
        line.display = bool(message)
