"""The Review screen: the weekly self-review, one ISO week at a time.

Once a week the rep looks back: the week against its targets day by day, whether the
habit held (streak and discipline score over the last eight weeks), which conversations
ended in a step or a stop, what the week adds to revenue under the 30/90 rule against
what the targets would have added, the hours and the customers the work went to, the
wins, and who is left in limbo or was given up early. Then three lines of reflection,
each saved the moment the rep presses Enter or leaves the field; next week's review
asks whether this week's commitments were kept (``y`` / ``n``).

It opens on the last complete week; ``[`` and ``]`` step through the weeks, never past
the current one. The figures are read in a thread worker (``prospector.review``) and
turned into markup by the pure functions below; saves run in thread workers too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pendulum
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.markup import escape
from textual.reactive import var
from textual.widgets import Header, Input, Label, Static
from textual.worker import Worker, WorkerState

from prospector import review as rv
from prospector.clock import Clock, local_date
from prospector.coach import money, month_name
from prospector.review import WeekReview
from screens.footer import Footer
from screens.forms import error_reason, say_failed
from screens.help import key_for
from screens.main_screen import MainScreen
from screens.safe_text import SafeInput, markup, plain

if TYPE_CHECKING:
    from prospector.store import Store
    from prospector.store.reviews import SavedReview

LOAD_WORKER = "review.load"
SAVE_GROUP = "review.save"
KEPT_WORKER = "review.kept"
REFLECTION_WORKER = "review.reflection"
LABEL_WIDTH = 13
DAY_WIDTH = 4
WEEK_WIDTH = 11
TREND_WIDTH = 5
"""Cells per week in the trend chart."""
TREND_LABEL = 11
HOURS_SHOWN = (7, 19)
"""The hours the histogram always shows (local time); more when actions fall outside."""
LISTED = 5
"""Prospects listed in the limbo and given-up-early panels; the rest are counted."""
NAME_WIDTH = 28
FIELDS = tuple(rv.REFLECTION_LABELS)
PLACEHOLDERS = {
    "went_well": "e.g. three blocks before ten; two meetings from referrals",
    "got_in_the_way": "e.g. Thursday went to a customer escalation",
    "commitments": "e.g. a block every morning at 8:30; settle the limbo on Monday",
}
EIGHTHS = " ▁▂▃▄▅▆▇█"


def cell_style(done: int, target: float) -> str:
    """The theme colour of a count against its target: met, under, or nothing done."""
    if target <= 0:
        return ""
    if done >= target - 1e-9:
        return "$success"
    return "$warning" if done else "$error"


def styled(text: str, style: str) -> str:
    return f"[{style}]{text}[/]" if style else text


def day_grid(review: WeekReview) -> str:
    """Kinds by weekday, the week's done / target per kind, each day's total and target.

    A count is green on target, amber under, red when nothing was done of a kind the
    day asked for; a weekly target's share of a day is not judged day by day, only in
    the week column. Days off are marked under their column; days still ahead are dots.
    """
    head = " " * LABEL_WIDTH + "".join(f"{n:>{DAY_WIDTH}}" for n in rv.WEEKDAY_NAMES)
    dates = " " * LABEL_WIDTH + "".join(f"{d.day.day:>{DAY_WIDTH}}" for d in review.days)
    lines = [
        f"[b $text-muted]{head}{'Week':>{WEEK_WIDTH}}[/]",
        f"[$text-muted]{dates}[/]",
    ]
    for total in review.shown_totals:
        cells = []
        for day in review.days:
            if day.future:
                cells.append(styled(f"{'·':>{DAY_WIDTH}}", "$text-muted"))
                continue
            n = day.counts.get(total.kind, 0)
            asked = day.targets.get(total.kind, 0.0)
            style = "" if total.kind in day.shared else cell_style(n, asked)
            text = str(n) if n or asked else "-"
            cells.append(styled(f"{text:>{DAY_WIDTH}}", style or ("$text-muted" if not n else "")))
        week = f"{total.done}/{rv.count(total.target)}" if total.target else str(total.done)
        week_style = "" if total.target <= 0 else "$success" if total.short < 0.5 else "$warning"
        lines.append(
            f"{escape(total.label[: LABEL_WIDTH - 1]):<{LABEL_WIDTH}}"
            + "".join(cells)
            + styled(f"{week:>{WEEK_WIDTH}}", week_style)
        )
    done, target = review.targeted
    cells = []
    for day in review.days:
        if day.future:
            cells.append(styled(f"{'·':>{DAY_WIDTH}}", "$text-muted"))
        else:
            cells.append(styled(f"{day.total:>{DAY_WIDTH}}", cell_style(day.done, day.target)))
    week = f"{done}/{rv.count(target)}" if target else str(review.actions)
    lines.append(
        f"[b]{'All':<{LABEL_WIDTH}}[/]"
        + "".join(cells)
        + styled(f"{week:>{WEEK_WIDTH}}", cell_style(done, target))
    )
    targets = "".join(
        f"{rv.count(day.target) if day.target else '-':>{DAY_WIDTH}}" for day in review.days
    )
    lines.append(f"[$text-muted]{'Target':<{LABEL_WIDTH}}{targets}[/]")
    if any(day.day_off for day in review.days):
        off = "".join(
            f"{rv.DAY_OFF_SHORT.get(day.day_off, day.day_off) if day.day_off else '':>{DAY_WIDTH}}"
            for day in review.days
        )
        lines.append(f"[$text-muted]{'Day off':<{LABEL_WIDTH}}{off}[/]")
    return "\n".join(lines)


def bars(values: Sequence[float | None], rows: int, width: int) -> list[str]:
    """Vertical bars, ``rows`` high, one per value from 0 to 1 (top row first)."""
    out = []
    for row in range(rows):
        floor = (rows - 1 - row) * 8
        line = ""
        for value in values:
            if value is None:
                line += " " * width
                continue
            level = max(1, round(value * rows * 8))
            cell = EIGHTHS[max(0, min(8, level - floor))]
            line += f"{cell * (width - 1)} "
        out.append(line.rstrip())
    return out


def trend_chart(review: WeekReview) -> str:
    """Discipline score (bars and %) and streak at the end of each of the last weeks;
    the reviewed week in the accent colour."""
    points = review.trend
    label = TREND_LABEL
    weeks = " " * label + "".join(f"{'W' + p.week[-2:]:<{TREND_WIDTH}}" for p in points)
    scores = [p.discipline_score for p in points]
    rows = bars(scores, 2, TREND_WIDTH)
    shares = "".join(f"{'—' if s is None else rv.pct(s):<{TREND_WIDTH}}" for s in scores)
    streaks = "".join(f"{p.streak:<{TREND_WIDTH}}" for p in points)
    cut = label + TREND_WIDTH * (len(points) - 1)

    def last_accent(line: str) -> str:
        return escape(line[:cut]) + f"[b $accent]{escape(line[cut:])}[/]"

    return "\n".join(
        [
            f"[$text-muted]{escape(weeks)}[/]",
            *(" " * label + f"[$primary]{row}[/]" for row in rows),
            last_accent(f"{'Discipline':<{label}}{shares}"),
            last_accent(f"{'Streak':<{label}}{streaks}"),
        ]
    )


def habit_text(review: WeekReview) -> str:
    return f"{trend_chart(review)}\n\n{escape(rv.habit_sentence(review))}"


def step_text(review: WeekReview) -> str:
    """The step-or-stop ratio in large type, what the contacts ended in, the outcomes."""
    sos = review.step_or_stop
    outcomes = " · ".join(
        f"{escape(review.outcome_labels.get(key, key))} {n}"
        for key, n in review.outcomes.items()
        if n
    )
    if sos.ratio is None:
        head = "[b]No contacts[/b]"
    else:
        tone = "$success" if sos.ratio >= 0.7 else "$warning"
        head = f"[b {tone}]{rv.pct(sos.ratio)} step or stop[/]"
    sentence = escape(rv.step_or_stop_sentence(review, ratio=False))
    return f"{head}\n{sentence}\n[$text-muted]{outcomes}[/]"


def hours_chart(hours: Sequence[int]) -> str:
    """Actions per local hour as bars (three cells an hour), every even hour labelled."""
    busy = [h for h, n in enumerate(hours) if n]
    first = min([HOURS_SHOWN[0], *busy])
    last = max([HOURS_SHOWN[1], *busy])
    shown = list(range(first, last + 1))
    top = max(hours) or 1
    rows = bars([hours[h] / top if hours[h] else None for h in shown], 3, 3)
    axis = ""
    for h in shown:
        if h % 2 == 0 and len(axis) <= (h - first) * 3:
            axis = axis.ljust((h - first) * 3) + str(h)
    lines = [f"[$accent]{row}[/]" for row in rows]
    lines.append(f"[$text-muted]{axis}[/]")
    lines.append(escape(rv.hours_sentence(hours)))
    return "\n".join(lines)


def effect_text(review: WeekReview) -> str:
    """What the week adds to revenue (30/90), per month against what the targets add."""
    lines = [escape(rv.effect_sentence(review))]
    months = rv.shown_months(review.effect)
    if months:
        lines.append("")
        head = f"{'':<10}{'adds':>9}{'at target':>11}"
        lines.append(f"[$text-muted]{head}[/]")
        for m in months:
            label = f"{month_name(m.month)[:3]} {m.month[:4]}"
            added = money(m.added, review.currency)
            target = money(m.at_target, review.currency)
            tone = "$success" if m.added >= m.at_target - 0.5 else "$warning"
            lines.append(
                f"{label:<10}[{tone}]{escape(added):>9}[/][$text-muted]{escape(target):>11}[/]"
            )
    return "\n".join(lines)


def customers_text(review: WeekReview) -> str:
    """New against existing customers (actions, minutes), then the wins of the week."""
    h = review.hunting
    total = h.new_actions + h.existing_actions
    lines = [f"[$text-muted]{'':<10}{'actions':>8}{'min':>7}[/]"]
    for label, actions, minutes in (
        ("New", h.new_actions, h.new_minutes),
        ("Existing", h.existing_actions, h.existing_minutes),
    ):
        lines.append(f"{label:<10}{actions:>8}{minutes:>7,.0f}")
    if h.week_target:
        tone = "$success" if h.new_actions >= h.week_target else "$warning"
        lines.append(f"Hunting: [{tone}]{h.new_actions} of {h.week_target}[/] new")
    elif total:
        lines.append(f"New customers: {rv.pct(h.new_actions / total)}")
    lines.append("")
    if review.wins:
        total_won = money(review.wins_total, review.currency)
        lines.append(f"[b $success]Won {escape(total_won)}[/]")
        lines += [markup(rv.win_line(w)) for w in review.wins]
    else:
        lines.append("[$text-muted]No deal won this week.[/]")
    return "\n".join(lines)


def clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def person(name: str, company: str, width: int = NAME_WIDTH) -> str:
    """``Anna Smit, Groningen Agri…`` in ``width`` cells, escaped for markup."""
    who = plain(f"{name}, {company}" if company else name)
    return markup(f"{clip(who, width):<{width}}")


def limbo_text(review: WeekReview) -> str:
    """The oldest conversations in limbo now: who, how it was left, how long ago."""
    if not review.limbo:
        return "[$success]Nobody in limbo[/]: every conversation has a step or a stop."
    lines = []
    for item in review.limbo[:LISTED]:
        kind = review.kind_labels.get(item.kind, item.kind).lower()
        when = f"{kind} {item.on.day} {item.on:%b}"
        days = rv.plural(item.days(review.as_of), "day")
        lines.append(
            f"{person(item.prospect.name, item.prospect.company)} {escape(clip(when, 13)):<13}"
            f"[$warning]{days:>9}[/]"
        )
    more = len(review.limbo) - LISTED
    hint = "settle them on Follow-ups"
    lines.append(f"[$text-muted]{f'and {more} more; ' if more > 0 else ''}{hint}[/]")
    return "\n".join(lines)


def early_text(review: WeekReview) -> str:
    """Prospects left after 1 to 3 touches without a stop."""
    if not review.given_up_early:
        return "[$success]Nobody given up early[/]: no one left after 1–3 touches."
    lines = [
        f"{person(p.name, p.company)} "
        f"[$warning]{rv.plural(p.touch_count, 'touch', 'touches'):>9}[/]"
        for p in review.given_up_early[:LISTED]
    ]
    more = len(review.given_up_early) - LISTED
    tail = "most sales come at the 5th to 12th contact"
    lines.append(f"[$text-muted]{f'and {more} more; ' if more > 0 else ''}{tail}[/]")
    return "\n".join(lines)


def headline_text(review: WeekReview, write_key: str | None = "w") -> str:
    """The week's attainment, and whether the reflection is written yet."""
    done, target = review.targeted
    tone = cell_style(done, target) or "$text"
    parts = [f"[b {tone}]{escape(rv.attainment_sentence(review))}[/]"]
    if review.reflection.written:
        parts.append("[$success]Reflection written.[/]")
    elif write_key:
        key = escape(write_key)
        parts.append(f"[$warning]No reflection yet:[/] [b $accent]{key}[/] to write it.")
    return "  ".join(parts)


def todo_text(review: WeekReview) -> str:
    items = rv.to_do(review)
    if not items:
        return "[$success]Nothing left to act on: a clean week.[/]"
    return "\n".join(f"• {escape(item)}" for item in items)


def last_week_text(review: WeekReview) -> str:
    """Last week's commitments and whether they were kept, with the keys to answer."""
    last = review.last_week
    if last is None:
        return ""
    said = markup(last.commitments)
    if last.kept is None:
        answer = "Kept? [b $accent]y[/] yes · [b $accent]n[/] no"
    elif last.kept:
        answer = "[b $success]Kept.[/] [$text-muted](n: not kept)[/]"
    else:
        answer = "[b $warning]Not kept.[/] [$text-muted](y: kept)[/]"
    return f"Last week ({last.week}) you committed to: [i]{said}[/i]  {answer}"


def saved_text(review: WeekReview, clock_zone: str) -> str:
    """When the reflection was last saved, and how the kept figures differ."""
    r = review.reflection
    parts = []
    if r.updated_at is not None:
        local = pendulum.instance(r.updated_at).in_timezone(clock_zone)
        parts.append(f"Saved at {local:%H:%M} on {local:%a} {local.day} {local:%b}.")
    parts.append("Each field is saved when you press Enter or leave it.")
    if note := rv.snapshot_note(review):
        parts.append(note)
    return escape(" ".join(parts))


class ReviewScreen(MainScreen):
    """One ISO week looked back on, and the rep's reflection on it."""

    CSS_PATH = "review.tcss"
    BINDINGS = [
        Binding(
            "left_square_bracket",
            "week(-1)",
            "Prev week",
            key_display="[",
            tooltip="Review the week before",
            id="review.previous",
        ),
        Binding(
            "right_square_bracket",
            "week(1)",
            "Next week",
            key_display="]",
            tooltip="Review the week after (up to the current week)",
            id="review.next",
        ),
        Binding(
            "w",
            "write",
            "Write",
            tooltip="Write the reflection: what went well, what got in the way, commitments",
            id="review.write",
        ),
        Binding(
            "y",
            "kept(True)",
            "Kept",
            tooltip="Last week's commitments were kept",
            id="review.kept",
        ),
        Binding(
            "n",
            "kept(False)",
            "Not kept",
            tooltip="Last week's commitments were not kept",
            id="review.not_kept",
        ),
        Binding(
            "r",
            "refresh",
            "Refresh",
            tooltip="Reload the figures, e.g. after logging from a shell",
            show=False,
            id="review.refresh",
        ),
        Binding(
            "escape",
            "leave_field",
            "Done writing",
            show=False,
            tooltip="Leave the field (it is saved) so the keys work again",
            id="review.leave",
        ),
    ]

    review: var[WeekReview | None] = var(None)

    def __init__(self, store: Store, clock: Clock) -> None:
        super().__init__()
        self.store = store
        self.clock = clock
        self.week: dt.date | None = None
        """The Monday of the week shown; None until the default week is known."""
        self.timezone = "UTC"
        self.saved: dict[str, str] = {}
        """Each field's text as last saved (or loaded), so an unchanged one is not saved."""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="body"):
            yield Static(id="summary")
            yield Static(id="last-week")
            with Grid(id="top"):
                with Vertical(id="first-column"):
                    yield Static(id="grid")
                    yield Static(id="step")
                with Vertical(id="second-column"):
                    yield Static(id="trend")
                    yield Static(id="todo")
            with Grid(id="middle"):
                yield Static(id="effect")
                yield Static(id="hours")
                yield Static(id="customers")
            with Grid(id="lists"):
                yield Static(id="in-limbo")
                yield Static(id="given-up")
            with Vertical(id="reflection"):
                for field in FIELDS:
                    yield Label(rv.REFLECTION_LABELS[field], classes="field-label")
                    yield SafeInput(
                        id=field,
                        placeholder=PLACEHOLDERS[field],
                        max_length=2000,
                        select_on_focus=False,
                    )
                yield Static(id="saved")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        titles = {
            "#grid": "Day by day",
            "#todo": "To do",
            "#trend": "Discipline score and streak · end of each week",
            "#step": "Step or stop",
            "#effect": "What the week adds (30/90)",
            "#hours": "Hours of the day",
            "#customers": "Customers and wins",
            "#in-limbo": "In limbo now",
            "#given-up": "Given up early",
            "#reflection": "Reflection",
        }
        for selector, text in titles.items():
            self.query_one(selector).border_title = text
        self.query_one("#body").display = False
        self.load(None)

    def action_refresh(self) -> None:
        self.load(self.week)

    @work(thread=True, exclusive=True, exit_on_error=False, name=LOAD_WORKER, group=LOAD_WORKER)
    def load(self, week: dt.date | None) -> tuple[WeekReview, str]:
        """Read the week's review off the UI thread (the store's first, then the day)."""
        zone = self.store.settings().timezone
        today = local_date(self.clock.now(), zone)
        return rv.build_review(self.store, week, today), zone

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != LOAD_WORKER:
            return
        body = self.query_one("#body")
        if event.state == WorkerState.SUCCESS and isinstance(event.worker.result, tuple):
            review, zone = event.worker.result
            self.timezone = zone
            if self.week is not None and review.start != self.week:
                return  # a week stepped past while it loaded
            self.week = review.start
            self.review = review
            body.display = True
            if self.focused is None:
                body.focus()
        elif event.state == WorkerState.ERROR:
            body.display = True
            say_failed(self, "read the review", event.worker.error, "Review")

    def watch_review(self, review: WeekReview | None) -> None:
        if review is None:
            return
        self.sub_title = f"{review.week} · {rv.week_span(review.start)}"
        self.show_last_week(review)
        for selector, content in (
            ("#summary", headline_text(review, key_for(self, "review.write"))),
            ("#todo", todo_text(review)),
            ("#grid", day_grid(review)),
            ("#trend", habit_text(review)),
            ("#step", step_text(review)),
            ("#effect", effect_text(review)),
            ("#hours", hours_chart(review.hours)),
            ("#customers", customers_text(review)),
            ("#in-limbo", limbo_text(review)),
            ("#given-up", early_text(review)),
            ("#saved", saved_text(review, self.timezone)),
        ):
            self.query_one(selector, Static).update(content)
        grid = self.query_one("#grid")
        grid.border_subtitle = "" if review.complete else "the week so far"
        self.query_one("#in-limbo").border_title = f"In limbo now · {len(review.limbo)}"
        self.query_one("#given-up").border_title = f"Given up early · {len(review.given_up_early)}"
        reflection = self.query_one("#reflection")
        reflection.border_title = f"Reflection on {review.week}"
        reflection.border_subtitle = "w writes · Enter saves and moves on · Esc leaves"
        for field in FIELDS:
            text = getattr(review.reflection, field)
            self.saved[field] = text
            box = self.query_one(f"#{field}", Input)
            with box.prevent(Input.Changed):
                box.value = text
        self.refresh_bindings()

    def show_last_week(self, review: WeekReview) -> None:
        line = self.query_one("#last-week", Static)
        text = last_week_text(review)
        line.update(text)
        line.display = bool(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``]`` stops at the current week; ``y`` and ``n`` only when there is a question."""
        review = self.review
        if action == "week" and parameters and parameters[0] == 1:
            return None if review is not None and not review.complete else True
        if action == "kept":
            return review is not None and review.last_week is not None
        return True

    def action_week(self, step: int) -> None:
        """Step a week back or forward; quick presses add up, and the current week is
        as far forward as it goes."""
        review = self.review
        if review is None or self.week is None:
            return
        current = rv.week_of(review.as_of)
        week = min(current, self.week + dt.timedelta(days=7 * step))
        if week == self.week:
            return
        self.week = week
        self.load(week)

    def action_write(self) -> None:
        """Focus the first reflection field still empty (the first one when all are
        written), scrolled into view."""
        boxes = [self.query_one(f"#{field}", Input) for field in FIELDS]
        target = next((box for box in boxes if not box.value.strip()), boxes[0])
        target.focus()
        self.query_one("#reflection").scroll_visible(animate=False)

    def action_leave_field(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one("#body").focus()

    def action_kept(self, kept: bool) -> None:
        review = self.review
        if review is None or review.last_week is None:
            return
        self.save_kept(review, kept)

    @work(thread=True, exit_on_error=False, group=SAVE_GROUP, name=KEPT_WORKER)
    def save_kept(self, review: WeekReview, kept: bool) -> SavedReview:
        return rv.set_last_week_kept(self.store, review, kept)

    @on(Input.Submitted)
    def field_submitted(self, event: Input.Submitted) -> None:
        """Enter saves the field and moves on to the next one (the last one leaves)."""
        field = event.input.id or ""
        if field not in FIELDS:
            return
        self.save_field(field, event.value)
        index = FIELDS.index(field)
        if index + 1 < len(FIELDS):
            self.query_one(f"#{FIELDS[index + 1]}", Input).focus()
        else:
            self.query_one("#body").focus()

    @on(Input.Blurred)
    def field_left(self, event: Input.Blurred) -> None:
        field = event.input.id or ""
        if field in FIELDS and self.is_attached:
            self.save_field(field, event.value)

    def save_field(self, field: str, text: str) -> None:
        review = self.review
        if review is None or text.strip() == self.saved.get(field, "").strip():
            return
        self.saved[field] = text.strip()
        self.save_reflection(review, field, text)

    @work(thread=True, exit_on_error=False, group=SAVE_GROUP, name=REFLECTION_WORKER)
    def save_reflection(self, review: WeekReview, field: str, text: str) -> SavedReview:
        return rv.save_reflection(self.store, review, **{field: text})

    @on(Worker.StateChanged)
    def saved_or_refused(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != SAVE_GROUP or event.state not in (
            WorkerState.SUCCESS,
            WorkerState.ERROR,
        ):
            return
        if event.state == WorkerState.ERROR:
            if worker.name == REFLECTION_WORKER:
                self.saved.clear()  # so leaving a field tries again
            self.notify(
                f"Not saved: {error_reason(worker.error)}",
                title="Review",
                severity="error",
                timeout=10,
            )
            return
        saved = worker.result
        review = self.review
        if saved is None or review is None:
            return
        if worker.name == KEPT_WORKER:
            if review.last_week is None or saved.week != review.last_week.week:
                return  # answered for a week no longer shown
            updated = dataclasses.replace(
                review,
                last_week=dataclasses.replace(review.last_week, kept=saved.commitments_kept),
            )
            self.set_reactive(ReviewScreen.review, updated)
            self.show_last_week(updated)
            self.query_one("#todo", Static).update(todo_text(updated))
            self.refresh_bindings()
            return
        if saved.week != review.week:
            return  # saved for a week no longer shown
        updated = dataclasses.replace(
            review,
            snapshot=saved.figures,
            reflection=rv.Reflection(
                saved.went_well,
                saved.got_in_the_way,
                saved.commitments,
                saved.commitments_kept,
                saved.updated_at,
            ),
        )
        self.set_reactive(ReviewScreen.review, updated)
        for selector, content in (
            ("#saved", saved_text(updated, self.timezone)),
            ("#summary", headline_text(updated, key_for(self, "review.write"))),
            ("#todo", todo_text(updated)),
        ):
            self.query_one(selector, Static).update(content)
