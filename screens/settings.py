"""Targets & settings: what each day asks for, when the rep works, and what an action is
worth.

Five sections, one key each (t, w, d, m, f): targets per kind with their schedule, the
working week and routine, days off, money (revenue target, value per action, the funnel),
and follow-up (the cadence with a preview of its touches, when a prospect counts as
abandoned, the hunting target). Every field is checked with the core's own validation
(``prospector.settings.validate``, ``parse_date``, the store's ``InvalidInput``) and the
message appears under the field; nothing reaches the database until it passes. Reads and
writes run in thread workers.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult, RenderResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Size
from textual.lazy import Lazy
from textual.message import Message
from textual.reactive import reactive, var
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Header,
    Input,
    Label,
    Select,
    Static,
    TabbedContent,
    TabPane,
    Tabs,
)
from textual.worker import Worker, WorkerState

from prospector import settings as settings_mod
from prospector.clock import Clock, local_date, parse_date
from prospector.errors import InvalidInput
from prospector.followup import Cadence, parse_cadence
from prospector.settings import VALUE_PREFIX, Settings
from prospector.shipped import WEEKDAYS
from prospector.store import DAY_OFF_REASONS, DEFAULTS_FROM, MAX_COUNT, Store
from prospector.targets import TargetPlan, TargetRule, WorkCalendar
from screens.footer import Footer
from screens.forms import ConfirmScreen, FormField, ParseValidator, money, say_failed
from screens.main_screen import MainScreen
from screens.safe_text import SafeInput

__all__ = [
    "CadencePreview",
    "DayOffRun",
    "SettingsFigures",
    "SettingsScreen",
    "cadence_summary",
    "cadence_touches",
    "day_off_runs",
    "read_settings",
]

LOAD_WORKER = "settings.load"
SAVE_WORKER = "settings.save"
SECTIONS = (
    ("t", "targets-section", "Targets"),
    ("w", "week-section", "Week"),
    ("d", "days-off-section", "Days off"),
    ("m", "money-section", "Money"),
    ("f", "followup-section", "Follow-up"),
)
"""Key, pane id and title of each section. Letters, because the app's digits switch
screens; a text field takes letters as text, so there Escape first leaves the field.
Pane ids carry a suffix because screen stylesheets are app-wide: Today styles ``#week``."""
CADENCE = "followup.cadence"
SECTION_KEYS = Binding.Group("Section")
"""The footer shows the section keys as one entry: five titles would push the app's own
keys (help, quick log) off a 120-column footer."""
STREAK_RULES = (
    ("at least one action", "action"),
    ("a finished block", "block"),
    ("the daily target met", "target"),
)


@dataclass(frozen=True)
class SettingsFigures:
    """Everything the screen shows, read in one go off the UI thread."""

    today: dt.date
    settings: Settings
    display: dict[str, str]
    """Every setting key as the rep would type its current value."""
    funnel_values: dict[str, float]
    """Value per action from the funnel alone: what an overridden value replaced."""
    rules: tuple[TargetRule, ...]
    days_off: dict[dt.date, str]
    stored: frozenset[str] = frozenset()
    """The setting keys the rep has set; the others are at their shipped default."""


def read_settings(store: Store, clock: Clock) -> SettingsFigures:
    """Read settings, targets and days off; blocking, so it runs in a worker thread."""
    stored = store.stored_settings()
    current = settings_mod.resolve(store.data, stored)
    unvalued = {k: v for k, v in stored.items() if not k.startswith(VALUE_PREFIX)}
    funnel = settings_mod.resolve(store.data, unvalued).value_per_action
    return SettingsFigures(
        today=local_date(clock.now(), current.timezone),
        settings=current,
        display=settings_mod.as_display(current),
        funnel_values=dict(funnel),
        rules=tuple(store.target_rules()),
        days_off=store.days_off(),
        stored=frozenset(stored),
    )


@cache
def time_zones() -> tuple[str, ...]:
    """Every IANA zone, for the time zone field's suggestions (read from disk once)."""
    return tuple(sorted(zoneinfo.available_timezones()))


def rule_text(rule: TargetRule | None) -> str:
    if rule is None or rule.count == 0:
        return "no target"
    return f"{rule.count} a {rule.per}"


def long_day(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


@dataclass(frozen=True)
class TargetRow:
    kind: str
    label: str
    today: TargetRule | None
    scheduled: tuple[TargetRule, ...]

    def cells(self) -> tuple[str, str, str, str]:
        if self.today is None:
            since = ""
        elif self.today.effective_from == DEFAULTS_FROM:
            since = "shipped default"
        else:
            since = long_day(self.today.effective_from)
        later = "; ".join(
            f"{rule_text(r)} from {r.effective_from.day} {r.effective_from:%b %Y}"
            for r in self.scheduled
        )
        return self.label, rule_text(self.today), since, later


def target_rows(
    kinds: list[tuple[str, str]], rules: tuple[TargetRule, ...], today: dt.date
) -> list[TargetRow]:
    """Per kind: the rule in force today and the changes already scheduled after it.

    Of several rules starting on the same day the last one set wins, as in the core's
    ``TargetPlan``, so a correction made twice shows once.
    """
    plan = TargetPlan(rules, WorkCalendar(frozenset(range(1, 8)), {}))
    rows = []
    for kind, label in kinds:
        later: dict[dt.date, TargetRule] = {}
        for rule in rules:
            if rule.kind == kind and rule.effective_from > today:
                later[rule.effective_from] = rule
        rows.append(
            TargetRow(kind, label, plan.rule(kind, today), tuple(later[d] for d in sorted(later)))
        )
    return rows


@dataclass(frozen=True)
class DayOffRun:
    """Consecutive working days off for one reason (weekends in between do not split it)."""

    start: dt.date
    end: dt.date
    reason: str
    days: tuple[dt.date, ...]

    def when(self, today: dt.date) -> str:
        if self.end < today:
            return "past"
        return "now" if self.start <= today else "upcoming"


def day_off_runs(days_off: dict[dt.date, str], working_days: tuple[int, ...]) -> list[DayOffRun]:
    """Days off grouped into runs, newest first: a two-week vacation is one row, not ten."""
    runs: list[list[dt.date]] = []
    for day in sorted(days_off):
        if runs:
            previous = runs[-1][-1]
            gap = [previous + dt.timedelta(days=i) for i in range(1, (day - previous).days)]
            if days_off[previous] == days_off[day] and all(
                d.isoweekday() not in working_days for d in gap
            ):
                runs[-1].append(day)
                continue
        runs.append([day])
    return [DayOffRun(r[0], r[-1], days_off[r[0]], tuple(r)) for r in reversed(runs)]


@dataclass(frozen=True)
class Touch:
    """One touch of the cadence as the preview shows it."""

    number: int
    label: str
    day: int
    """Working days after the first touch (the first is day 0)."""

    def text(self) -> Text:
        return Text.assemble(
            (str(self.number), "bold"), f" {self.label} ", (f"day {self.day}", "dim")
        )


def cadence_touches(cadence: Cadence, labels: dict[str, str]) -> tuple[Touch, ...]:
    """Each touch with its kind's label and its working day counted from the first."""
    touches = []
    day = 0
    for number, step in enumerate(cadence.steps, start=1):
        day += step.after
        touches.append(Touch(number, labels.get(step.kind, step.kind), day))
    return tuple(touches)


def cadence_summary(cadence: Cadence, days_per_week: int) -> str:
    """``12 touches over 30 working days (about 6 weeks)``, weeks of the rep's own week."""
    count = len(cadence)
    touches = "1 touch" if count == 1 else f"{count} touches"
    days = cadence.working_days
    if days == 0:
        return f"{touches}, due at once"
    span = "1 working day" if days == 1 else f"{days} working days"
    weeks = round(days / max(1, days_per_week))
    about = (
        "under a week" if weeks == 0 else "about 1 week" if weeks == 1 else f"about {weeks} weeks"
    )
    return f"{touches} over {span} ({about})"


class CadencePreview(Widget):
    """The touches of a cadence, as many to a line as fit: ``1 Call day 0 · 2 Email day 1``.

    Lines break only between touches (a ``Static`` would split ``2 Email day 1`` over two
    lines), so the height follows the width.
    """

    DEFAULT_CSS = """
    CadencePreview { height: auto; }
    """
    SEPARATOR = " · "

    touches: reactive[tuple[Touch, ...]] = reactive((), layout=True)

    @property
    def plain(self) -> str:
        return self.SEPARATOR.join(touch.text().plain for touch in self.touches)

    def lines(self, width: int) -> list[Text]:
        lines: list[Text] = []
        line = Text()
        for touch in self.touches:
            piece = touch.text()
            if line.cell_len and line.cell_len + len(self.SEPARATOR) + piece.cell_len > width > 0:
                lines.append(line)
                line = Text()
            if line.cell_len:
                line.append(self.SEPARATOR, style="dim")
            line.append_text(piece)
        lines.append(line)
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width)) if self.touches else 0

    def render(self) -> RenderResult:
        return Text("\n").join(self.lines(self.content_size.width))


@dataclass(frozen=True)
class Change:
    """One write for the save worker: where a refusal belongs, and the write itself
    (which returns the sentence confirming it)."""

    target: str
    apply: Callable[[Store], str]
    setting: tuple[str, str] | None = None
    """(key, raw) when the change is one setting field."""
    clear: tuple[str, ...] = ()
    """Ids of form inputs to empty once it is saved, ready for the next entry."""


@dataclass(frozen=True)
class Outcome:
    change: Change
    done: str = ""
    refusal: str = ""


def parse_count(raw: str) -> int:
    """A target's count: ASCII digits only (``int()`` would take ``1_000`` or ``٥``)."""
    text = raw.strip()
    if not (text.isascii() and text.isdigit()):
        raise InvalidInput(
            f"the count must be a whole number (0 removes the target), got {raw.strip()!r}"
        )
    count = int(text)
    if not 0 <= count <= MAX_COUNT:
        raise InvalidInput(f"the count must be between 0 and {MAX_COUNT}; 0 removes the target")
    return count


class SettingField(FormField):
    """One setting on one line: label, control, a hint; its error on the line below.

    ``key`` is the settings key the control edits; the screen saves it on Enter (or on
    leaving the field) once the core's validation passes.
    """

    hint: reactive[str] = reactive("")

    def __init__(self, key: str, label: str, control: Widget, hint: str = "") -> None:
        super().__init__(label, control, id="field-" + key.replace(".", "-"), classes="setting")
        self.key = key
        self.set_reactive(SettingField.hint, hint)

    def compose(self) -> ComposeResult:
        with Horizontal(classes="setting-line"):
            yield Label(self.label, classes="field-label", markup=False)
            yield self.control
            yield Static(self.hint, classes="setting-hint", markup=False)
        yield Static("", classes="field-error", markup=False)

    def watch_hint(self, hint: str) -> None:
        if self.is_mounted:
            self.query_one(".setting-hint", Static).update(hint)


class WideSettingField(SettingField):
    """A setting typed as a line of text: label and hint on one line, the control the
    whole width of its box on the next, its error under that."""

    def compose(self) -> ComposeResult:
        with Horizontal(classes="setting-line"):
            yield Label(self.label, classes="field-label", markup=False)
            yield Static(self.hint, classes="setting-hint", markup=False)
        yield self.control
        yield Static("", classes="field-error", markup=False)


def setting_field_of(widget: Widget) -> SettingField | None:
    """The setting a control belongs to, if any."""
    return next((a for a in widget.ancestors if isinstance(a, SettingField)), None)


def setting_input(store: Store, key: str, label: str, **kw: Any) -> Input:
    """An Input checked by ``settings.validate`` for ``key``, naming the field in errors."""
    return SafeInput(
        id="input-" + key.replace(".", "-"),
        compact=True,
        validators=[
            ParseValidator(
                lambda raw: settings_mod.validate(store.data, key, raw), rename=(key, label)
            )
        ],
        validate_on=["blur", "submitted"],
        **kw,
    )


class Section(Vertical):
    """The body of one tab. The hidden tabs are mounted lazily, just after the first
    paint, so the screen opens on its targets at once; ``Ready`` tells the screen a
    body is there to be filled."""

    DEFAULT_CSS = """
    Section { height: auto; }
    """

    class Ready(Message):
        def __init__(self, section: Section) -> None:
            super().__init__()
            self.section = section

    def on_mount(self) -> None:
        self.post_message(self.Ready(self))


def boxed(widget: Widget, title: str, subtitle: str = "") -> Widget:
    widget.border_title = title
    widget.border_subtitle = subtitle
    return widget


def make_table(
    table_id: str, *columns: tuple[str | Text, str], cursor: bool = True
) -> DataTable[Any]:
    """A read-only table with its columns, ready before it is mounted."""
    grid: DataTable[Any] = DataTable(
        id=table_id,
        cursor_type="row" if cursor else "none",
        show_cursor=cursor,
        zebra_stripes=cursor,
    )
    for label, key in columns:
        grid.add_column(label, key=key)
    return grid


class SettingsScreen(MainScreen):
    """Targets per kind, working days, days off and the money settings, each editable."""

    CSS_PATH = "settings.tcss"
    BINDINGS = [
        *(
            Binding(
                key,
                f"section('{pane}')",
                title,
                tooltip=f"Go to {title.lower()}",
                id=f"settings.section.{pane}",
                group=SECTION_KEYS,
            )
            for key, pane, title in SECTIONS
        ),
        Binding(
            "delete,backspace",
            "remove_day_off",
            "Remove",
            key_display="del",
            tooltip="Remove the selected run of days off",
            id="settings.remove_day_off",
        ),
        Binding(
            "r",
            "reset_cadence",
            "Shipped cadence",
            tooltip="Put the follow-up cadence back to the shipped default",
            id="settings.reset_cadence",
            show=False,  # the cadence box says so: the footer has no room left for it
        ),
        Binding(
            "escape",
            "leave_field",
            "Leave field",
            tooltip="Leave the text field for the section tabs, where t w d m f switch sections",
            id="settings.leave_field",
        ),
    ]

    figures: var[SettingsFigures | None] = var(None)

    def __init__(self, store: Store, clock: Clock) -> None:
        super().__init__()
        self.store = store
        self.clock = clock
        self.kinds = [(kind.key, kind.label) for kind in store.data.kinds]
        """Shipped data (in memory, no database): what the forms are built from."""
        self._shown: dict[str, str] = {}
        """Setting key -> the value last loaded into its field; a field that differs
        has been edited and is not overwritten by a reload."""
        self._rows: list[TargetRow] = []
        self._runs: list[DayOffRun] = []
        self._ready: set[str] = set()
        """Ids of the section bodies mounted so far (see ``Section``)."""

    # Layout

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="sections"):
            with TabPane("Targets", id="targets-section"), Section(id="targets-body"):
                yield from self.compose_targets()
            with TabPane("Week & routine", id="week-section"), Lazy(Section(id="week-body")):
                yield from self.compose_week()
            with TabPane("Days off", id="days-off-section"), Lazy(Section(id="days-off-body")):
                yield from self.compose_days_off()
            with TabPane("Money & values", id="money-section"), Lazy(Section(id="money-body")):
                yield from self.compose_money()
            with TabPane("Follow-up", id="followup-section"), Lazy(Section(id="followup-body")):
                yield from self.compose_followup()
        yield Footer()

    def compose_targets(self) -> ComposeResult:
        yield Static(
            "What each working day (or week) asks for. A change applies from its date on; "
            "the days before stay judged against the target in force then. "
            "Count 0 removes a target.",
            classes="explain",
        )
        with boxed(
            Vertical(id="target-table-box", classes="box"),
            "Per kind",
            "Enter: change the selected kind",
        ):
            yield make_table(
                "target-table",
                ("Kind", "kind"),
                ("In force today", "today"),
                ("Since", "since"),
                ("Scheduled changes", "later"),
            )
        with boxed(Vertical(id="target-box", classes="form-box"), "Set a target"):
            with Horizontal(classes="form-row"):
                yield FormField(
                    "Kind",
                    Select(
                        [(label, key) for key, label in self.kinds],
                        allow_blank=False,
                        id="target-kind",
                    ),
                    id="target-kind-field",
                )
                yield FormField(
                    "Count",
                    SafeInput(
                        placeholder="e.g. 20",
                        id="target-count",
                        validators=[ParseValidator(parse_count)],
                        validate_on=["submitted"],
                    ),
                    id="target-count-field",
                )
                yield FormField(
                    "Per",
                    Select([("day", "day"), ("week", "week")], allow_blank=False, id="target-per"),
                    id="target-per-field",
                )
                yield FormField(
                    "From",
                    SafeInput(
                        placeholder="YYYY-MM-DD or today",
                        id="target-from",
                        validators=[ParseValidator(self.parse_day)],
                        validate_on=["blur", "submitted"],
                    ),
                    id="target-from-field",
                )
                yield Button("Set target", variant="primary", id="target-save")
            yield Static(id="target-error", classes="form-error", markup=False)
        with boxed(Vertical(id="target-history-box", classes="box"), "Your target changes"):
            yield make_table(
                "target-history",
                ("From", "from"),
                ("Kind", "kind"),
                ("Target", "target"),
                cursor=False,
            )
            yield Static(id="target-history-empty", classes="explain", markup=False)

    def compose_week(self) -> ComposeResult:
        with boxed(Vertical(id="weekdays-box", classes="box"), "Working days"):
            yield Static(
                "Targets are asked on working days; a weekly target is spread over them. "
                "Space toggles a day and saves it.",
                classes="explain",
            )
            with Horizontal(id="weekdays"):
                for day in WEEKDAYS:
                    yield Checkbox(day.capitalize(), id=f"day-{day}")
            yield Static(id="working-days-error", classes="form-error", markup=False)
        with boxed(Vertical(id="routine-box", classes="box"), "Routine"):
            yield SettingField(
                "timezone",
                "Time zone",
                setting_input(
                    self.store,
                    "timezone",
                    "Time zone",
                    suggester=SuggestFromList(time_zones(), case_sensitive=False),
                ),
                "IANA name, e.g. Europe/Amsterdam; → takes the suggestion",
            )
            yield SettingField(
                "streak_rule",
                "Streak day needs",
                Select(STREAK_RULES, allow_blank=False, compact=True, id="input-streak_rule"),
                "what keeps the streak going",
            )
            yield SettingField(
                "block_minutes",
                "Block length",
                setting_input(self.store, "block_minutes", "Block length"),
                "minutes a prospecting block is planned for",
            )

    def compose_days_off(self) -> ComposeResult:
        yield Static(
            "Vacation, holidays and sick days: no target is asked and the streak is frozen. "
            "The projection still shows their cost, because the 30-day rule takes no days off.",
            classes="explain",
        )
        with boxed(
            Vertical(id="days-off-box", classes="box"),
            "Your days off",
            "del: remove the selected run",
        ):
            yield make_table(
                "days-off-table",
                ("First day", "start"),
                ("Last day", "end"),
                (Text("Working days", justify="right"), "days"),
                ("Reason", "reason"),
                ("", "when"),
            )
            yield Static(id="days-off-empty", markup=False)
        with boxed(Vertical(id="day-off-box", classes="form-box"), "Add days off"):
            with Horizontal(classes="form-row"):
                yield FormField(
                    "First day",
                    SafeInput(
                        placeholder="YYYY-MM-DD",
                        id="off-start",
                        validators=[ParseValidator(self.parse_day)],
                        validate_on=["blur", "submitted"],
                    ),
                    id="off-start-field",
                )
                yield FormField(
                    "Last day",
                    SafeInput(
                        placeholder="empty: just one day",
                        id="off-end",
                        validators=[ParseValidator(self.parse_optional_day)],
                        validate_on=["blur", "submitted"],
                    ),
                    id="off-end-field",
                )
                yield FormField(
                    "Reason",
                    Select(
                        [(reason, reason) for reason in DAY_OFF_REASONS],
                        allow_blank=False,
                        id="off-reason",
                    ),
                    id="off-reason-field",
                )
                yield Button("Add days off", variant="primary", id="off-save")
            yield Static(id="day-off-error", classes="form-error", markup=False)

    def compose_money(self) -> ComposeResult:
        with Horizontal(id="money-columns"):
            with boxed(Vertical(id="money-box", classes="box"), "Revenue"):
                yield SettingField(
                    "revenue_target_month",
                    "Revenue target",
                    setting_input(self.store, "revenue_target_month", "Revenue target"),
                    "per month",
                )
                yield SettingField(
                    "currency",
                    "Currency",
                    setting_input(self.store, "currency", "Currency", max_length=3),
                    "EUR, USD, GBP, …",
                )
                yield Static(
                    "The funnel: default values per action are built from these.",
                    classes="explain -between",
                )
                yield SettingField(
                    "funnel.meeting_rate",
                    "Meeting rate",
                    setting_input(self.store, "funnel.meeting_rate", "Meeting rate"),
                    "talks → meetings",
                )
                yield SettingField(
                    "funnel.close_rate",
                    "Close rate",
                    setting_input(self.store, "funnel.close_rate", "Close rate"),
                    "meetings → deals",
                )
                yield SettingField(
                    "funnel.average_deal_value",
                    "Average deal",
                    setting_input(self.store, "funnel.average_deal_value", "Average deal"),
                    "per won deal",
                )
            with boxed(VerticalScroll(id="values-box", classes="box"), "Value per action"):
                yield Static(
                    "What one action is expected to earn, paid out by the 30/90 rule.",
                    classes="explain",
                )
                for key, label in self.kinds:
                    yield SettingField(
                        VALUE_PREFIX + key,
                        label,
                        setting_input(self.store, VALUE_PREFIX + key, f"{label} value"),
                    )
        yield Static(
            "Enter saves a field, and so does leaving it; a field with an error is not saved.",
            classes="explain",
        )

    def compose_followup(self) -> ComposeResult:
        yield Static(
            "Every open prospect always has a next touch: the next step agreed with them, "
            "else the next touch of the cadence. Most sales come at the 5th to 12th contact.",
            classes="explain",
        )
        with boxed(
            Vertical(id="cadence-box", classes="box"),
            "Cadence",
            "r: back to the shipped cadence",
        ):
            kinds = ", ".join(self.store.data.kind_keys)
            yield Static(
                "Each touch's kind and, after the first, the working days after the touch "
                f"before it, e.g. call, email+2, call+3. Kinds: {kinds}.",
                classes="explain",
                markup=False,
            )
            yield WideSettingField(
                CADENCE,
                "Cadence",
                setting_input(self.store, CADENCE, "Cadence", placeholder="e.g. call, email+2"),
            )
            yield CadencePreview(id="cadence-preview")
            with Horizontal(id="cadence-summary-line"):
                yield Static(id="cadence-summary", markup=False)
                yield Button(
                    "Shipped cadence",
                    id="cadence-reset",
                    compact=True,
                    tooltip="Put the shipped cadence back (key r)",
                )
        with boxed(Vertical(id="limbo-box", classes="box"), "Limbo and hunting"):
            yield SettingField(
                "followup.abandon_after_days",
                "Abandoned after",
                setting_input(self.store, "followup.abandon_after_days", "Abandoned after"),
                "days overdue: an open prospect then counts as abandoned",
            )
            yield SettingField(
                "followup.new_customer_actions_week",
                "Hunting target",
                setting_input(self.store, "followup.new_customer_actions_week", "Hunting target"),
                "actions on new customers a week",
            )
        yield Static(
            "Enter saves a field, and so does leaving it; a field with an error is not saved.",
            classes="explain",
        )

    def on_mount(self) -> None:
        self.sub_title = "Targets & settings"
        self.query_one("#target-table").focus()
        self.load()

    def on_section_ready(self, event: Section.Ready) -> None:
        """A lazily mounted section is there: fill it from the figures already read."""
        self._ready.add(event.section.id or "")
        if self.figures is not None:
            self.show(self.figures)

    # Loading

    @work(thread=True, exclusive=True, exit_on_error=False, name=LOAD_WORKER, group=LOAD_WORKER)
    def load(self) -> SettingsFigures:
        return read_settings(self.store, self.clock)

    @work(thread=True, exit_on_error=False, name=SAVE_WORKER, group=SAVE_WORKER)
    def save(self, change: Change) -> Outcome:
        """Write one change; the store's refusal comes back as a value, to show inline.

        Not exclusive, unlike the load: two fields saved in quick succession are two
        writes that must both land, not a newer read replacing an older one.
        """
        try:
            return Outcome(change, done=change.apply(self.store))
        except InvalidInput as refusal:
            return Outcome(change, refusal=str(refusal))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.name not in (LOAD_WORKER, SAVE_WORKER):
            return
        if event.state == WorkerState.SUCCESS:
            if isinstance(worker.result, SettingsFigures):
                self.figures = worker.result
            elif isinstance(worker.result, Outcome):
                self.saved(worker.result)
        elif event.state == WorkerState.ERROR:
            what = "read the settings" if worker.name == LOAD_WORKER else "save"
            say_failed(self, what, worker.error, "Settings")

    def watch_figures(self, figures: SettingsFigures | None) -> None:
        if figures is not None:
            self.show(figures)

    def show(self, figures: SettingsFigures) -> None:
        """Fill every section mounted so far; the others are filled when they mount."""
        if "targets-body" in self._ready:
            self.show_targets(figures)
        if "week-body" in self._ready:
            self.show_week(figures)
        if "days-off-body" in self._ready:
            self.show_days_off(figures)
        self.show_settings(figures)
        if "followup-body" in self._ready:
            self.show_followup(figures)
        self.refresh_bindings()

    def show_targets(self, figures: SettingsFigures) -> None:
        table = self.query_one("#target-table", DataTable)
        row = table.cursor_row
        self._rows = target_rows(self.kinds, figures.rules, figures.today)
        table.clear()
        for target in self._rows:
            table.add_row(*target.cells(), key=target.kind)
        table.move_cursor(row=min(row, table.row_count - 1))
        history = self.query_one("#target-history", DataTable)
        history.clear()
        labels = dict(self.kinds)
        own = [r for r in figures.rules if r.effective_from != DEFAULTS_FROM]
        for rule in reversed(own):
            history.add_row(
                long_day(rule.effective_from),
                labels.get(rule.kind, rule.kind),
                "removed" if rule.count == 0 else rule_text(rule),
            )
        history.display = bool(own)
        empty = self.query_one("#target-history-empty", Static)
        empty.update("None yet: the shipped default targets are in force.")
        empty.display = not own
        start = self.query_one("#target-from", Input)
        if not start.value:
            start.value = figures.today.isoformat()

    def show_week(self, figures: SettingsFigures) -> None:
        with self.prevent(Checkbox.Changed):
            for number, day in enumerate(WEEKDAYS, start=1):
                self.query_one(f"#day-{day}", Checkbox).value = (
                    number in figures.settings.working_days
                )

    def show_days_off(self, figures: SettingsFigures) -> None:
        table = self.query_one("#days-off-table", DataTable)
        row = table.cursor_row
        self._runs = day_off_runs(figures.days_off, figures.settings.working_days)
        table.clear()
        for run in self._runs:
            count = len(run.days)
            table.add_row(
                long_day(run.start),
                long_day(run.end) if run.end != run.start else "",
                Text(str(count), justify="right"),
                run.reason,
                run.when(figures.today),
                key=run.start.isoformat(),
            )
        table.move_cursor(row=min(row, max(0, table.row_count - 1)))
        table.display = bool(self._runs)
        empty = self.query_one("#days-off-empty", Static)
        empty.update("No days off yet: add a vacation below.")
        empty.display = not self._runs

    def show_settings(self, figures: SettingsFigures) -> None:
        """Put loaded values in the fields the rep has not edited since the last load."""
        current = figures.settings
        for field in self.query(SettingField):
            value = figures.display[field.key]
            control = field.control
            if isinstance(control, Input):
                shown = self._shown.get(field.key)
                if shown is None or control.value == shown:
                    with self.prevent(Input.Changed):
                        control.value = value
                    field.error = ""
            elif isinstance(control, Select):
                with self.prevent(Select.Changed):
                    control.value = value
            self._shown[field.key] = value
            if field.key.startswith(VALUE_PREFIX):
                kind = field.key.removeprefix(VALUE_PREFIX)
                default = money(round(figures.funnel_values[kind], 2), current.currency)
                field.hint = (
                    f"yours; funnel: {default}"
                    if kind in current.value_overridden
                    else "funnel default"
                )
        for revenue in self.query("#field-revenue_target_month").results(SettingField):
            revenue.hint = f"{current.currency} to win a month"
        for deal in self.query("#field-funnel-average_deal_value").results(SettingField):
            deal.hint = f"{current.currency} per won deal"
        for cadence in self.query("#field-followup-cadence").results(SettingField):
            cadence.hint = "yours" if CADENCE in figures.stored else "shipped default"

    def show_followup(self, figures: SettingsFigures) -> None:
        self.show_preview()
        self.query_one("#cadence-reset", Button).disabled = CADENCE not in figures.stored

    # Sections

    def action_section(self, pane: str) -> None:
        """Show a section and put the cursor where its work starts: the kind to change,
        Monday, the first day off to add (shift+tab reaches the list), the revenue."""
        self.query_one("#sections", TabbedContent).active = pane
        start = {
            "targets-section": "#target-table",
            "week-section": "#day-mon",
            "days-off-section": "#off-start",
            "money-section": "#input-revenue_target_month",
            "followup-section": "#input-followup-cadence",
        }[pane]
        for widget in self.query(start):  # absent for an instant while a tab mounts
            widget.focus()

    def action_leave_field(self) -> None:
        self.query_one("#sections", TabbedContent).query_one(Tabs).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Section keys are dimmed while a text field has them; Escape is offered there."""
        typing = isinstance(self.focused, Input)
        if action == "section":
            return None if typing else True
        if action == "leave_field":
            return typing
        if action == "remove_day_off":
            tabs = self.query_one("#sections", TabbedContent)
            if tabs.active != "days-off-section":
                return False
            # Only from the list, where the rep can see which run the cursor is on.
            listed = self.focused is not None and self.focused.id == "days-off-table"
            return True if listed and self.selected_run() else None
        if action == "reset_cadence":
            tabs = self.query_one("#sections", TabbedContent)
            if tabs.active != "followup-section":
                return False
            stored = self.figures is not None and CADENCE in self.figures.stored
            return None if typing or not stored else True
        return True

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.refresh_bindings()

    # Targets

    def parse_day(self, raw: str) -> dt.date:
        today = self.figures.today if self.figures else None
        return parse_date(raw, today)

    def parse_optional_day(self, raw: str) -> dt.date | None:
        return self.parse_day(raw) if raw.strip() else None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "target-table" and event.data_table.has_focus:
            # Only when the rep moves the cursor: a reload after a save must not wipe
            # the form they are still in.
            self.prefill_target(event.row_key.value or "")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "target-table":
            self.query_one("#target-count", Input).focus()

    def prefill_target(self, kind: str) -> None:
        """Fill the form from the kind's rule in force today, ready to be changed."""
        row = next((r for r in self._rows if r.kind == kind), None)
        if row is None:
            return
        with self.prevent(Select.Changed):
            self.query_one("#target-kind", Select).value = kind
            if row.today is not None:
                self.query_one("#target-per", Select).value = row.today.per
        count = self.query_one("#target-count", Input)
        count.value = str(row.today.count) if row.today is not None else ""

    def on_select_changed(self, event: Select.Changed) -> None:
        select_id = event.select.id
        if select_id == "target-kind" and isinstance(event.value, str):
            self.prefill_target(event.value)
        elif select_id == "input-streak_rule" and isinstance(event.value, str):
            field = self.query_one("#field-streak_rule", SettingField)
            self.commit_setting(field, event.value)

    def submit_target(self) -> None:
        fields = [self.query_one(f"#target-{name}-field", FormField) for name in ("count", "from")]
        if not all([field.check() for field in fields]):
            next(f for f in fields if f.error).control.focus()
            return
        kind = str(self.query_one("#target-kind", Select).value)
        per = str(self.query_one("#target-per", Select).value)
        count = parse_count(self.query_one("#target-count", Input).value)
        start = self.parse_day(self.query_one("#target-from", Input).value)
        label = dict(self.kinds)[kind]

        def apply(store: Store) -> str:
            store.set_target(kind, count, per, start)
            if count == 0:
                return f"{label}: no target from {long_day(start)}."
            return f"{label}: {count} a {per} from {long_day(start)}."

        self.show_line("#target-error", "")
        self.save(Change("#target-error", apply))

    # Working days

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        if not (event.checkbox.id or "").startswith("day-"):
            return
        days = [d for d in WEEKDAYS if self.query_one(f"#day-{d}", Checkbox).value]
        if not days:
            self.show_line(
                "#working-days-error",
                "Keep at least one working day: targets are only asked on working days. Not saved.",
            )
            return
        self.show_line("#working-days-error", "")
        raw = ",".join(days)
        names = ", ".join(d.capitalize() for d in days)

        def apply(store: Store) -> str:
            store.set_setting("working_days", raw)
            return f"Working days: {names}."

        self.save(Change("#working-days-error", apply))

    # Days off

    def submit_day_off(self) -> None:
        fields = [self.query_one(f"#off-{name}-field", FormField) for name in ("start", "end")]
        start_input = self.query_one("#off-start", Input)
        if not start_input.value.strip():
            fields[0].show_error("give the first day off, e.g. 2026-12-24")
            start_input.focus()
            return
        if not all([field.check() for field in fields]):
            next(f for f in fields if f.error).control.focus()
            return
        start = self.parse_day(start_input.value)
        end = self.parse_optional_day(self.query_one("#off-end", Input).value) or start
        reason = str(self.query_one("#off-reason", Select).value)

        def apply(store: Store) -> str:
            marked = store.add_days_off(start, end, reason)
            span = long_day(start) if end == start else f"{long_day(start)} – {long_day(end)}"
            if marked == 0:
                raise InvalidInput(f"{span} has no working day: nothing to mark")
            days = "working day" if marked == 1 else "working days"
            return f"Marked {marked} {days} as {reason}: {span}."

        self.show_line("#day-off-error", "")
        self.save(Change("#day-off-error", apply, clear=("off-start", "off-end")))

    # Follow-up

    def show_preview(self) -> None:
        """The touches of the cadence as typed so far; parsing is pure and in memory."""
        if self.figures is None:
            return
        preview = self.query_one("#cadence-preview", CadencePreview)
        summary = self.query_one("#cadence-summary", Static)
        raw = self.query_one("#input-followup-cadence", Input).value
        try:
            cadence = parse_cadence(raw, self.store.data.kind_keys)
        except InvalidInput:
            preview.touches = ()
            summary.update("No preview while the cadence does not read right; Enter says why.")
            summary.add_class("-stale")
            return
        preview.touches = cadence_touches(cadence, dict(self.kinds))
        summary.update(cadence_summary(cadence, len(self.figures.settings.working_days)))
        summary.remove_class("-stale")

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "input-followup-cadence":
            self.show_preview()

    def action_reset_cadence(self) -> None:
        if self.figures is None or CADENCE not in self.figures.stored:
            return
        shipped = parse_cadence(
            self.store.data.defaults.followup.cadence, self.store.data.kind_keys
        ).text()
        question = (
            "Put the follow-up cadence back to the shipped one?\n\n"
            f"Yours: {self.figures.settings.cadence}\n\nShipped: {shipped}"
        )

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            # Whatever the field holds now is replaced by the shipped cadence on reload.
            typed = self.query_one("#input-followup-cadence", Input).value

            def apply(store: Store) -> str:
                store.clear_setting(CADENCE)
                return "Cadence: back to the shipped one."

            self.save(Change("#field-followup-cadence", apply, setting=(CADENCE, typed)))

        self.app.push_screen(ConfirmScreen("Shipped cadence", question, yes="Reset"), answered)

    def selected_run(self) -> DayOffRun | None:
        table = self.query_one("#days-off-table", DataTable)
        if not self._runs or table.row_count == 0:
            return None
        return self._runs[min(table.cursor_row, len(self._runs) - 1)]

    def action_remove_day_off(self) -> None:
        run = self.selected_run()
        if run is None:
            return
        span = (
            long_day(run.start)
            if run.end == run.start
            else (f"{long_day(run.start)} – {long_day(run.end)}")
        )
        count = len(run.days)
        days = "working day" if count == 1 else "working days"
        question = f"Remove the {run.reason} of {span} ({count} {days})?"

        def answered(yes: bool | None) -> None:
            if not yes:
                return

            def apply(store: Store) -> str:
                for day in run.days:
                    store.remove_day_off(day)
                return f"Removed the {run.reason} of {span}."

            self.save(Change("#day-off-error", apply))

        self.app.push_screen(ConfirmScreen("Remove days off", question), answered)

    # Setting fields

    def on_input_submitted(self, event: Input.Submitted) -> None:
        input_id = event.input.id or ""
        if input_id in ("target-count", "target-from"):
            self.submit_target()
        elif input_id in ("off-start", "off-end"):
            self.submit_day_off()
        elif (field := setting_field_of(event.input)) is not None:
            self.commit_setting(field, event.value)

    def on_input_blurred(self, event: Input.Blurred) -> None:
        field = setting_field_of(event.input)
        if field is not None and self.is_attached:
            self.commit_setting(field, event.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "target-save":
            self.submit_target()
        elif event.button.id == "off-save":
            self.submit_day_off()
        elif event.button.id == "cadence-reset":
            self.action_reset_cadence()

    def commit_setting(self, field: SettingField, raw: str) -> None:
        """Save one field if it changed and the core accepts it; else say why inline."""
        if field.key not in self._shown or raw == self._shown[field.key]:
            return  # not loaded yet (a Select announcing its first value), or unchanged
        if not field.check():
            return
        key, label = field.key, field.label
        self.save(
            Change(
                f"#{field.id}",
                lambda store: f"{label}: {store.set_setting(key, raw)}",
                setting=(key, raw),
            )
        )

    def saved(self, outcome: Outcome) -> None:
        """Show where a change went: its confirmation, or its refusal next to its field."""
        target = outcome.change.target
        widget = self.query_one(target)
        if outcome.refusal:
            if isinstance(widget, FormField):
                widget.show_error(outcome.refusal)
            else:
                self.show_line(target, outcome.refusal)
            return
        if outcome.change.setting is not None:
            key, raw = outcome.change.setting
            # The field holds what was typed; marking it as shown lets the reload put
            # the canonical form ("eur" -> "EUR") in its place.
            self._shown[key] = raw
        for input_id in outcome.change.clear:
            self.query_one(f"#{input_id}", Input).value = ""
        self.notify(outcome.done, title="Saved", timeout=3)
        self.load()

    def show_line(self, selector: str, message: str) -> None:
        line = self.query_one(selector, Static)
        line.update(message[:1].upper() + message[1:])
        line.set_class(bool(message), "-shown")
