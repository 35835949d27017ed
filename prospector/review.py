"""The weekly self-review: one ISO week's figures against targets, and the rep's words.

Once a week the rep looks back for a quarter of an hour: what was done against the
targets, day by day; whether the habit held (streak and discipline score, and where
they were at the end of each of the last eight weeks); which conversations ended in a
step or a stop and which were left in limbo; how the work split between new and
existing customers and over the hours of the day; what the week adds to revenue under
the 30/90 rule against what the targets would have added; the deals won. Then three
lines of reflection: what went well, what got in the way, what the rep commits to
next week; the next week's review asks whether those commitments were kept.

``build_review`` reads a ``WeekReview`` from the store; everything else here is a pure
function of it: the JSON contract, the plain-text report and the Markdown document
(which is also the Markdown export of a review), and the sentences the Review screen
shows, so a figure is worded the same wherever it appears.

Two choices, documented in the README:

* The figures shown are always the live ones, read from the store: an action logged
  late or a conversation settled afterwards counts. The figures as they were when the
  review was written are kept with it (``figures_json``): saves during the week refresh
  them, the first save after the week is over freezes them.
* Whether a week's commitments were kept is stored in that week's own row
  (``commitments_kept`` next to ``commitments``), answered from the next week's review.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from prospector.clock import parse_week, week_key
from prospector.coach import money, month_name
from prospector.errors import InvalidInput, NotFound
from prospector.projection import kernel, landing_window, month_key, project, value_by_day
from prospector.status import discipline_score, streak, targeted_done
from prospector.targets import TargetPlan, days

if TYPE_CHECKING:
    from prospector.records import HuntingSplit, LimboItem, ProspectSummary
    from prospector.settings import Settings
    from prospector.store import Store
    from prospector.store.reviews import SavedReview

TREND_WEEKS = 8
"""Weeks in the streak and discipline trend, the reviewed week last."""
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAY_OFF_SHORT = {"vacation": "vac", "holiday": "hol", "sick": "sick"}
NAMED = 8
"""Prospects named in a list of the text report; the rest are counted."""
TEXT_WIDTH = 88
"""Sentences of the text report wrap at this width."""
MONTH_SHOWN_SHARE = 0.01
"""Months that receive less than 1% of a week's effect are left out of its tables."""
REFLECTION_LABELS = {
    "went_well": "What went well",
    "got_in_the_way": "What got in the way",
    "commitments": "What I commit to next week",
}


def week_of(day: dt.date) -> dt.date:
    """The Monday of the ISO week ``day`` falls in."""
    return day - dt.timedelta(days=day.isoweekday() - 1)


def default_week(today: dt.date) -> dt.date:
    """The last complete week: the one before the week that holds ``today``."""
    return week_of(today) - dt.timedelta(days=7)


def week_span(monday: dt.date) -> str:
    """``16–22 Nov 2026``, ``28 Dec 2026 – 3 Jan 2027``."""
    sunday = monday + dt.timedelta(days=6)
    if monday.year != sunday.year:
        return f"{monday.day} {monday:%b %Y} – {sunday.day} {sunday:%b %Y}"
    if monday.month != sunday.month:
        return f"{monday.day} {monday:%b} – {sunday.day} {sunday:%b %Y}"
    return f"{monday.day}–{sunday.day} {sunday:%b %Y}"


@dataclass(frozen=True)
class KindTotal:
    kind: str
    label: str
    done: int
    target: float
    """The week's target: daily targets summed, a weekly target less its days off."""

    @property
    def short(self) -> float:
        return max(0.0, self.target - self.done)


@dataclass(frozen=True)
class ReviewDay:
    day: dt.date
    working: bool
    """A working weekday by the settings (a day off is one too)."""
    day_off: str | None
    """vacation, holiday or sick on a working weekday marked off, else None."""
    counts: dict[str, int]
    targets: dict[str, float]
    """What each targeted kind asked for that day (nothing on a day off or weekend)."""
    future: bool
    """Still ahead: the reviewed week is the current one and this day has not come."""
    shared: frozenset[str] = frozenset()
    """Kinds whose target that day is a share of a weekly target (judged by the week)."""

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def done(self) -> int:
        """Actions of the kinds with a target that day."""
        return targeted_done(self.counts, self.targets)

    @property
    def target(self) -> float:
        return sum(self.targets.values())


@dataclass(frozen=True)
class StepOrStop:
    """The week's contacts (touches that reached someone) by what they ended in."""

    step: int
    stop: int
    settled_later: int
    """Conversations a later touch of the same prospect ended in a step or a stop."""
    limbo: int
    """Conversations still left without a step or a stop."""

    @property
    def contacts(self) -> int:
        return self.step + self.stop + self.settled_later + self.limbo

    @property
    def resolved(self) -> int:
        return self.step + self.stop + self.settled_later

    @property
    def ratio(self) -> float | None:
        return self.resolved / self.contacts if self.contacts else None


@dataclass(frozen=True)
class TrendPoint:
    week: str
    as_of: dt.date
    """The last day counted: the week's Sunday, or today for the current week."""
    streak: int
    discipline_score: float | None


@dataclass(frozen=True)
class MonthEffect:
    month: str
    added: float
    at_target: float


@dataclass(frozen=True)
class ProjectionEffect:
    """What the week's actions add to revenue under the 30/90 rule, and what the week's
    targets would have added, spread over the months it lands in."""

    added: float
    at_target: float
    months: tuple[MonthEffect, ...]
    lands_from: dt.date | None
    lands_to: dt.date | None
    """Where the central 80% of it lands (None when the week adds nothing)."""


@dataclass(frozen=True)
class WeekWin:
    day: dt.date
    amount: float
    currency: str
    prospect: str


@dataclass(frozen=True)
class Reflection:
    went_well: str = ""
    got_in_the_way: str = ""
    commitments: str = ""
    commitments_kept: bool | None = None
    """Whether this week's commitments were kept: answered in next week's review."""
    updated_at: dt.datetime | None = None
    """When the review was last saved; None when it never was."""

    @property
    def written(self) -> bool:
        return bool(self.went_well or self.got_in_the_way or self.commitments)


@dataclass(frozen=True)
class LastWeek:
    """The previous week's commitments, asked about in this week's review."""

    week: str
    commitments: str
    kept: bool | None


@dataclass(frozen=True)
class WeekReview:
    week: str
    start: dt.date
    end: dt.date
    as_of: dt.date
    """Today: the day the figures were read."""
    complete: bool
    """Whether the week is over; the current week is reviewed as far as it went."""
    currency: str
    kind_labels: dict[str, str]
    kind_plurals: dict[str, str]
    outcome_labels: dict[str, str]
    totals: tuple[KindTotal, ...]
    """Every kind, in the shipped order."""
    days: tuple[ReviewDay, ...]
    outcomes: dict[str, int]
    """Actions per outcome, every outcome in the shipped order."""
    step_or_stop: StepOrStop
    streak: int
    discipline_score: float | None
    trend: tuple[TrendPoint, ...]
    """Streak and discipline at the end of each of the last ``TREND_WEEKS`` weeks."""
    limbo: tuple[LimboItem, ...]
    """Conversations in limbo now (not only this week's), oldest first."""
    given_up_early: tuple[ProspectSummary, ...]
    """Prospects abandoned after 1 to 3 touches, now."""
    hunting: HuntingSplit
    hours: tuple[int, ...]
    """Actions per local hour of the day, 0 to 23."""
    effect: ProjectionEffect
    wins: tuple[WeekWin, ...]
    reflection: Reflection
    last_week: LastWeek | None
    """Last week's commitments, when it has any."""
    snapshot: dict[str, Any] | None = None
    """The figures as kept with the saved review (see the module docstring)."""

    @property
    def targeted(self) -> tuple[int, float]:
        """Actions of targeted kinds, and the week's whole target."""
        return (
            sum(day.done for day in self.days),
            sum(total.target for total in self.totals),
        )

    @property
    def actions(self) -> int:
        return sum(total.done for total in self.totals)

    @property
    def shown_totals(self) -> tuple[KindTotal, ...]:
        """The kinds the week asked for or saw."""
        return tuple(t for t in self.totals if t.target > 0 or t.done)

    @property
    def wins_total(self) -> float:
        return sum(win.amount for win in self.wins)


def build_review(
    store: Store, week: dt.date | str | None = None, today: dt.date | None = None
) -> WeekReview:
    """The review of ``week`` (a Monday, a day in it, or ``2026-W47``; default the
    last complete week) as of ``today`` (default: the store's today). Refuses a week
    that has not begun."""
    settings = store.settings()
    today = today or store.today()
    if week is None:
        monday = default_week(today)
    elif isinstance(week, str):
        monday = parse_week(week)
    else:
        monday = week_of(week)
    current = week_of(today)
    if monday > current:
        raise InvalidInput(
            f"{week_key(monday)} has not begun yet; the latest week to review is "
            f"{week_key(current)} (this week, so far)"
        )
    end = monday + dt.timedelta(days=6)
    as_of = min(end, today)
    week_days = list(days(monday, end))
    calendar = store.calendar()
    plan = TargetPlan(store.target_rules(), calendar)
    counts = store.day_counts(None, as_of)
    first = store.first_action_day()
    kinds = store.data.kinds

    review_days = tuple(
        ReviewDay(
            day=day,
            working=day.isoweekday() in calendar.working_days,
            day_off=calendar.days_off.get(day) if calendar.is_day_off(day) else None,
            counts=dict(counts.get(day, {})) if day <= today else {},
            targets=plan.day_targets(day),
            future=day > today,
            shared=frozenset(
                kind
                for kind in plan.day_targets(day)
                if (rule := plan.rule(kind, day)) is not None and rule.per == "week"
            ),
        )
        for day in week_days
    )
    totals = tuple(
        KindTotal(
            kind.key,
            kind.label,
            sum(day.counts.get(kind.key, 0) for day in review_days),
            sum(plan.share(kind.key, day) for day in week_days),
        )
        for kind in kinds
    )

    blocks = (
        store.block_days(first, as_of)
        if first is not None and settings.streak_rule == "block"
        else frozenset[dt.date]()
    )
    trend = tuple(
        _trend_point(
            settings, counts, plan, blocks, monday - dt.timedelta(days=7 * back), today, first
        )
        for back in range(TREND_WEEKS - 1, -1, -1)
    )

    outcomes_found = store.week_outcomes(monday, end)
    outcomes = {o.key: outcomes_found.get(o.key, 0) for o in store.data.outcomes}
    resolution = {o.key: o.resolution for o in store.data.outcomes}

    def of(kind: str) -> int:
        return sum(n for key, n in outcomes.items() if resolution.get(key) == kind)

    settled = store.settled_later(monday, end)
    step_or_stop = StepOrStop(of("step"), of("stop"), settled, of("limbo") - settled)

    values = store.forecast(as_of).values
    effect = projection_effect(
        {day.day: day.counts for day in review_days},
        {day.day: day.targets for day in review_days},
        values,
        kernel(settings.delay_days, settings.window_days),
    )

    week_wins = store.wins(monday, end)
    names = store.prospect_names(w.prospect_id for w in week_wins if w.prospect_id is not None)
    wins = tuple(
        WeekWin(
            w.local_date,
            w.amount_cents / 100,
            w.currency,
            names.get(w.prospect_id, "") if w.prospect_id is not None else "",
        )
        for w in week_wins
    )
    saved = store.review(week_key(monday))
    before = store.review(week_key(monday - dt.timedelta(days=7)))
    last_point = trend[-1]
    return WeekReview(
        week=week_key(monday),
        start=monday,
        end=end,
        as_of=today,
        complete=end < today,
        currency=settings.currency,
        kind_labels={k.key: k.label for k in kinds},
        kind_plurals={k.key: k.plural for k in kinds},
        outcome_labels={o.key: o.label for o in store.data.outcomes},
        totals=totals,
        days=review_days,
        outcomes=outcomes,
        step_or_stop=step_or_stop,
        streak=last_point.streak,
        discipline_score=last_point.discipline_score,
        trend=trend,
        limbo=tuple(store.limbo()),
        given_up_early=tuple(store.given_up_early()),
        hunting=store.hunting_split(monday, end),
        hours=tuple(store.week_hours(monday, end)),
        effect=effect,
        wins=wins,
        reflection=_reflection(saved),
        last_week=(
            LastWeek(before.week, before.commitments, before.commitments_kept)
            if before is not None and before.commitments
            else None
        ),
        snapshot=saved.figures if saved is not None else None,
    )


def _trend_point(
    settings: Settings,
    counts: Mapping[dt.date, Mapping[str, int]],
    plan: TargetPlan,
    blocks: AbstractSet[dt.date],
    monday: dt.date,
    today: dt.date,
    first: dt.date | None,
) -> TrendPoint:
    """Streak and discipline as ``store.status`` gives them at the end of the week."""
    as_of = min(monday + dt.timedelta(days=6), today)
    day_over = as_of < today
    if first is None or as_of < first:
        return TrendPoint(week_key(monday), as_of, 0, None)
    return TrendPoint(
        week_key(monday),
        as_of,
        streak(counts, plan, as_of, first, settings.streak_rule, blocks, day_over),
        discipline_score(counts, plan, as_of, first, settings.discipline_half_life_days, day_over),
    )


def _reflection(saved: SavedReview | None) -> Reflection:
    if saved is None:
        return Reflection()
    return Reflection(
        saved.went_well,
        saved.got_in_the_way,
        saved.commitments,
        saved.commitments_kept,
        saved.updated_at,
    )


def projection_effect(
    done: Mapping[dt.date, Mapping[str, int]],
    asked: Mapping[dt.date, Mapping[str, float]],
    values: Mapping[str, float],
    k: Sequence[float],
) -> ProjectionEffect:
    """The week's actions, and its targets, through the 30/90 kernel, per month."""
    done_value = {day: v for day, v in value_by_day(done, values).items() if v > 0}
    asked_value = {
        day: v
        for day, kinds in asked.items()
        if (v := sum(n * values.get(kind, 0.0) for kind, n in kinds.items())) > 0
    }
    every = [*done, *asked]
    if not every:
        return ProjectionEffect(0.0, 0.0, (), None, None)
    first = min(every) + dt.timedelta(days=1)
    last = max(every) + dt.timedelta(days=len(k) - 1)
    landing = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    by_month: dict[str, list[float]] = {}
    for day, added, at_target in zip(
        landing, project(done_value, landing, k), project(asked_value, landing, k), strict=True
    ):
        month = by_month.setdefault(month_key(day), [0.0, 0.0])
        month[0] += added
        month[1] += at_target
    lands = (
        landing_window(done_value, k)
        if done_value
        else landing_window(asked_value, k)
        if asked_value
        else (None, None)
    )
    return ProjectionEffect(
        added=sum(done_value.values()),
        at_target=sum(asked_value.values()),
        months=tuple(
            MonthEffect(month, added, at_target)
            for month, (added, at_target) in by_month.items()
            if added > 0.005 or at_target > 0.005
        ),
        lands_from=lands[0],
        lands_to=lands[1],
    )


def snapshot_due(review: WeekReview) -> bool:
    """Whether saving the review now should (re)store its figures: none kept yet, or
    the ones kept were taken before the week was over."""
    snapshot = review.snapshot
    if not snapshot:
        return True
    taken = snapshot.get("as_of")
    try:
        return taken is None or dt.date.fromisoformat(str(taken)) <= review.end
    except ValueError:
        return True


def snapshot_note(review: WeekReview) -> str:
    """How the figures kept with the saved review differ from the live ones (late
    logging, an undo), or nothing when they agree."""
    snap = review.snapshot
    if not snap:
        return ""
    try:
        taken = dt.date.fromisoformat(str(snap["as_of"]))
        then = sum(int(total["done"]) for total in snap["totals"].values())
    except (KeyError, TypeError, ValueError, AttributeError):
        return ""
    if then == review.actions:
        return ""
    return (
        f"When this review was saved ({short_day(taken)}) the week counted "
        f"{plural(then, 'action')}; it counts {review.actions} now."
    )


def save_reflection(store: Store, review: WeekReview, **fields: str) -> SavedReview:
    """Save reflection fields of the reviewed week, with its figures when they are due
    (``snapshot_due``)."""
    figures = review_figures(review) if snapshot_due(review) else None
    return store.save_reflection(review.week, figures=figures, **fields)


def set_last_week_kept(store: Store, review: WeekReview, kept: bool | None) -> SavedReview:
    """Answer whether last week's commitments were kept (stored in last week's row)."""
    if review.last_week is None:
        raise NotFound(f"{week_key(review.start - dt.timedelta(days=7))} has no commitments")
    return store.set_commitments_kept(review.last_week.week, kept)


def _num(value: float) -> int | float:
    rounded = round(value, 2)
    return int(rounded) if float(rounded).is_integer() else rounded


def _amount(value: float) -> float:
    return round(value, 2)


def _share(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def review_figures(review: WeekReview) -> dict[str, Any]:
    """The week's figures as the JSON contract holds them (no reflection): also what is
    kept with a saved review."""
    done, target = review.targeted
    sos = review.step_or_stop
    hunting = review.hunting
    effect = review.effect
    return {
        "week": review.week,
        "start": review.start.isoformat(),
        "end": review.end.isoformat(),
        "as_of": review.as_of.isoformat(),
        "complete": review.complete,
        "currency": review.currency,
        "totals": {t.kind: {"done": t.done, "target": _num(t.target)} for t in review.totals},
        "targeted": {"done": done, "target": _num(target)},
        "days": [
            {
                "date": day.day.isoformat(),
                "working_day": day.working,
                "day_off": day.day_off,
                "future": day.future,
                "counts": dict(day.counts),
                "targets": {kind: _num(n) for kind, n in day.targets.items()},
                "done": day.done,
                "target": _num(day.target),
            }
            for day in review.days
        ],
        "outcomes": dict(review.outcomes),
        "step_or_stop": {
            "contacts": sos.contacts,
            "step": sos.step,
            "stop": sos.stop,
            "settled_later": sos.settled_later,
            "limbo": sos.limbo,
            "ratio": _share(sos.ratio),
        },
        "streak": review.streak,
        "discipline_score": _share(review.discipline_score),
        "trend": [
            {
                "week": point.week,
                "as_of": point.as_of.isoformat(),
                "streak": point.streak,
                "discipline_score": _share(point.discipline_score),
            }
            for point in review.trend
        ],
        "hunting": {
            "new_actions": hunting.new_actions,
            "existing_actions": hunting.existing_actions,
            "new_minutes": round(hunting.new_minutes),
            "existing_minutes": round(hunting.existing_minutes),
            "new_target": hunting.week_target,
        },
        "hours": list(review.hours),
        "projection_effect": {
            "added": _amount(effect.added),
            "at_target": _amount(effect.at_target),
            "lands_from": None if effect.lands_from is None else effect.lands_from.isoformat(),
            "lands_to": None if effect.lands_to is None else effect.lands_to.isoformat(),
            "months": [
                {"month": m.month, "added": _amount(m.added), "at_target": _amount(m.at_target)}
                for m in effect.months
            ],
            "text": effect_sentence(review),
        },
        "wins": [
            {
                "date": win.day.isoformat(),
                "amount": _amount(win.amount),
                "currency": win.currency,
                "prospect": win.prospect,
            }
            for win in review.wins
        ],
        "limbo": [
            {
                "id": item.prospect.id,
                "name": item.prospect.name,
                "company": item.prospect.company,
                "conversation_on": item.on.isoformat(),
                "kind": item.kind,
                "days": item.days(review.as_of),
            }
            for item in review.limbo
        ],
        "given_up_early": [
            {
                "id": p.id,
                "name": p.name,
                "company": p.company,
                "touches": p.touch_count,
                "last_touch": None if p.last_touch_on is None else p.last_touch_on.isoformat(),
            }
            for p in review.given_up_early
        ],
    }


def review_json(review: WeekReview) -> dict[str, Any]:
    """``prospector review --format json``: the figures, the reflection, last week's
    commitments and the figures kept with the saved review."""
    r = review.reflection
    last = review.last_week
    return {
        **review_figures(review),
        "reflection": {
            "went_well": r.went_well,
            "got_in_the_way": r.got_in_the_way,
            "commitments": r.commitments,
            "commitments_kept": r.commitments_kept,
            "updated_at": None if r.updated_at is None else r.updated_at.isoformat(),
        },
        "last_week": None
        if last is None
        else {"week": last.week, "commitments": last.commitments, "kept": last.kept},
        "snapshot": review.snapshot,
    }


def pct(share: float) -> str:
    return f"{share * 100:.0f}%"


def count(n: float) -> str:
    """``20``, or ``2.4`` for a weekly target shared out over the days."""
    rounded = round(n, 1)
    return str(int(rounded)) if rounded.is_integer() else f"{rounded:.1f}"


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


def short_day(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def title(review: WeekReview) -> str:
    """``Week 47 · 16–22 Nov 2026``."""
    return f"Week {review.start.isocalendar()[1]} · {week_span(review.start)}"


def attainment_sentence(review: WeekReview) -> str:
    done, target = review.targeted
    so_far = "" if review.complete else " so far"
    if target <= 0:
        logged = plural(review.actions, "action") if review.actions else "Nothing logged"
        return f"{logged}{so_far}; the week asked for nothing."
    return (
        f"{done} of {count(target)} targeted actions{so_far} ({pct(done / target)}), "
        f"{plural(review.actions, 'action')} in all."
    )


def habit_sentence(review: WeekReview) -> str:
    """Streak and discipline at the end of the week, and the change on a week before."""
    when = "at the end of the week" if review.complete else "so far"
    streak_text = f"Streak {plural(review.streak, 'working day')} {when}"
    score = review.discipline_score
    if score is None:
        return f"{streak_text}; no discipline score yet."
    text = f"{streak_text}; discipline score {pct(score)}"
    before = review.trend[-2].discipline_score if len(review.trend) > 1 else None
    if before is not None:
        change = round(100 * score) - round(100 * before)
        if change > 0:
            text += f", up {plural(change, 'point')} on the week before"
        elif change < 0:
            text += f", down {plural(-change, 'point')} on the week before"
        else:
            text += ", as the week before"
    return text + "."


def step_or_stop_sentence(review: WeekReview, ratio: bool = True) -> str:
    sos = review.step_or_stop
    if not sos.contacts:
        return "No contact made this week: no conversation to settle."
    parts = [f"{sos.step} ended in a step", f"{sos.stop} in a stop"]
    if sos.settled_later:
        verb = "was" if sos.settled_later == 1 else "were"
        parts.append(f"{sos.settled_later} {verb} settled by a later touch")
    tail = (
        f"{sos.limbo} {'is' if sos.limbo == 1 else 'are'} still in limbo"
        if sos.limbo
        else "none is left in limbo"
    )
    text = f"{plural(sos.contacts, 'contact')}: {', '.join(parts)}; {tail}."
    return f"{text} Step or stop: {pct(sos.ratio or 0.0)}." if ratio else text


def hunting_sentence(review: WeekReview) -> str:
    h = review.hunting
    total = h.new_actions + h.existing_actions
    if not total:
        return "No actions this week, on new or existing customers."
    text = (
        f"New customers: {plural(h.new_actions, 'action')} ({pct(h.new_actions / total)}), "
        f"{h.new_minutes:,.0f} min; existing customers: {plural(h.existing_actions, 'action')}, "
        f"{h.existing_minutes:,.0f} min."
    )
    if h.week_target:
        text += f" Hunting target: {h.new_actions} of {h.week_target}."
    return text


def hours_sentence(hours: Sequence[int]) -> str:
    """When the prospecting happened: the busiest hours, in the rep's own time."""
    total = sum(hours)
    if not total:
        return "Nothing logged, so no hours to show."
    first = next(h for h, n in enumerate(hours) if n)
    last = max(h for h, n in enumerate(hours) if n)
    peak = max(range(24), key=lambda h: (hours[h], -h))
    # The narrowest run of hours that holds at least 80% of the actions.
    best = (0, 23)
    for start in range(24):
        running = 0
        for end in range(start, 24):
            running += hours[end]
            if running >= 0.8 * total:
                if end - start < best[1] - best[0]:
                    best = (start, end)
                break
    share = sum(hours[best[0] : best[1] + 1]) / total
    return (
        f"Prospecting between {first}:00 and {last + 1}:00; {pct(share)} of it "
        f"{best[0]}:00–{best[1] + 1}:00, the busiest hour {peak}:00–{peak + 1}:00."
    )


def months_named(first: dt.date, last: dt.date) -> str:
    a, b = first.strftime("%B"), last.strftime("%B")
    return a if (first.year, first.month) == (last.year, last.month) else f"{a}–{b}"


def effect_sentence(review: WeekReview) -> str:
    """``This week adds about €6,100, landing mostly December–February; at target it
    would have added €7,000.``"""
    effect, currency = review.effect, review.currency
    where = (
        f", landing mostly {months_named(effect.lands_from, effect.lands_to)}"
        if effect.lands_from is not None and effect.lands_to is not None
        else ""
    )
    week = "This week" if review.complete else "So far this week"
    if effect.added <= 0:
        first = f"{week} adds nothing to revenue"
    else:
        first = f"{week} adds about {money(effect.added, currency)} to revenue{where}"
    if effect.at_target <= 0:
        return f"{first}; it asked for nothing."
    second = f"at target it would have added {money(effect.at_target, currency)}"
    if not review.complete:
        second = f"at target the whole week would add {money(effect.at_target, currency)}"
    gap = effect.at_target - effect.added
    if review.complete and gap >= 0.5:
        second += f": {money(gap, currency)} less revenue for those months"
    elif review.complete and gap <= -0.5:
        second += f": {money(-gap, currency)} more than the targets ask"
    return f"{first}; {second}."


def shown_months(effect: ProjectionEffect) -> tuple[MonthEffect, ...]:
    """The months that get a noticeable share of the week's effect."""
    top = max(effect.added, effect.at_target)
    return tuple(m for m in effect.months if max(m.added, m.at_target) >= MONTH_SHOWN_SHARE * top)


def win_line(win: WeekWin) -> str:
    who = f" with {win.prospect}" if win.prospect else ""
    return f"{money(win.amount, win.currency)}{who} on {short_day(win.day)}"


def wins_sentence(review: WeekReview) -> str:
    if not review.wins:
        return "No deal won this week."
    total = money(review.wins_total, review.currency)
    lines = "; ".join(win_line(w) for w in review.wins)
    deals = plural(len(review.wins), "deal")
    return f"{deals} won, {total}: {lines}."


def limbo_line(item: LimboItem, today: dt.date, labels: Mapping[str, str]) -> str:
    company = f" ({item.prospect.company})" if item.prospect.company else ""
    kind = labels.get(item.kind, item.kind).lower()
    return (
        f"{item.prospect.name}{company}: {kind} on {short_day(item.on)}, "
        f"{plural(item.days(today), 'day')} ago"
    )


def early_line(p: ProspectSummary) -> str:
    company = f" ({p.company})" if p.company else ""
    return f"{p.name}{company} after {plural(p.touch_count, 'touch', 'touches')}"


def kept_text(kept: bool | None) -> str:
    return {True: "kept", False: "not kept", None: "not answered yet"}[kept]


def to_do(review: WeekReview) -> list[str]:
    """What the review asks of the rep next, most useful first (at most five)."""
    out: list[str] = []
    if review.last_week is not None and review.last_week.kept is None:
        out.append(f"Say whether you kept last week's commitments ({review.last_week.week}).")
    short = sorted(
        (t for t in review.totals if t.target > 0 and t.short >= 0.5),
        key=lambda t: t.short / t.target,
        reverse=True,
    )
    if review.complete and short:
        t = short[0]
        out.append(
            f"{t.label} fell furthest short: {t.done} of {count(t.target)}. "
            "Plan it into next week's blocks first."
        )
    if review.limbo:
        n = len(review.limbo)
        out.append(
            f"Settle the {plural(n, 'conversation')} in limbo: a next step with a date, "
            "or a clear stop."
        )
    if review.given_up_early:
        n = len(review.given_up_early)
        out.append(
            f"Pick up the {plural(n, 'prospect')} given up after 1–3 touches, or stop them: "
            "most sales come at the 5th to 12th contact."
        )
    h = review.hunting
    if review.complete and review.actions and h.week_target and h.new_actions < h.week_target:
        out.append(
            f"New customers got {h.new_actions} of {h.week_target} actions: give hunting "
            "its own block."
        )
    if not review.reflection.commitments:
        out.append("Write down what you commit to next week.")
    return out[:5]


def _cell_count(day: ReviewDay, kind: str, none: str, future: str = "·") -> str:
    """A day's count of a kind; ``none`` when nothing was done or asked."""
    if day.future:
        return future
    n = day.counts.get(kind, 0)
    return str(n) if n or day.targets.get(kind) else none


def _day_grid(review: WeekReview) -> list[str]:
    """Kinds by weekday, with the week's totals, days off and targets per day."""
    head = f"{'':<16}" + "".join(f"{name:>6}" for name in WEEKDAY_NAMES) + f"{'Week':>7}"
    dates = f"{'':<16}" + "".join(f"{day.day.day:>6}" for day in review.days)
    lines = [head, dates]
    for total in review.shown_totals:
        cells = "".join(f"{_cell_count(day, total.kind, '-'):>6}" for day in review.days)
        lines.append(f"{total.label:<16}{cells}{total.done:>7}")
    cells = "".join(f"{'·' if day.future else day.total:>6}" for day in review.days)
    lines.append(f"{'All actions':<16}{cells}{review.actions:>7}")
    done, target = review.targeted
    cells = "".join(f"{count(day.target) if day.target else '-':>6}" for day in review.days)
    lines.append(f"{'Target':<16}{cells}{count(target):>7}")
    if any(day.day_off for day in review.days):
        cells = "".join(
            f"{DAY_OFF_SHORT.get(day.day_off, day.day_off) if day.day_off else '':>6}"
            for day in review.days
        )
        lines.append(f"{'Day off':<16}{cells}")
    return lines


def _wrap(text: str, indent: str = "", hanging: str = "") -> list[str]:
    return textwrap.wrap(
        text, TEXT_WIDTH, initial_indent=indent, subsequent_indent=hanging or indent
    )


def review_text(review: WeekReview) -> str:
    """``prospector review``: the week in plain words, then what to do about it."""
    lines = [title(review), ""]
    lines += _wrap(attainment_sentence(review))
    shown = review.shown_totals
    if shown:
        width = max(len(t.label) for t in shown) + 2
        for t in shown:
            if t.target > 0:
                share = pct(t.done / t.target)
                short = f"  {count(t.short)} short" if t.short >= 0.5 else ""
                lines.append(
                    f"  {t.label:<{width}}{t.done:>5} of {count(t.target):<5}{share:>5}{short}"
                )
            else:
                lines.append(f"  {t.label:<{width}}{t.done:>5}  (no target)")
    lines += ["", "Day by day:", *("  " + line for line in _day_grid(review))]
    lines += ["", *_wrap(habit_sentence(review))]
    lines += _wrap(
        "Discipline score at the end of the last 8 weeks: "
        + ", ".join(
            f"W{p.week[-2:]} {'-' if p.discipline_score is None else pct(p.discipline_score)}"
            for p in review.trend
        )
        + "."
    )
    lines += ["", *_wrap(step_or_stop_sentence(review))]
    outcomes = ", ".join(
        f"{review.outcome_labels.get(key, key).lower()} {n}"
        for key, n in review.outcomes.items()
        if n
    )
    if outcomes:
        lines += _wrap(f"Outcomes: {outcomes}.")
    lines += ["", *_wrap(hunting_sentence(review)), *_wrap(hours_sentence(review.hours))]
    lines += ["", *_wrap(effect_sentence(review)), "", *_wrap(wins_sentence(review))]
    if review.limbo:
        lines += ["", f"In limbo now ({len(review.limbo)}):"]
        lines += [
            f"  {limbo_line(i, review.as_of, review.kind_labels)}" for i in review.limbo[:NAMED]
        ]
        if len(review.limbo) > NAMED:
            lines.append(f"  and {len(review.limbo) - NAMED} more (prospector limbo)")
    if review.given_up_early:
        lines += ["", f"Given up early ({len(review.given_up_early)}):"]
        lines += [f"  {early_line(p)}" for p in review.given_up_early[:NAMED]]
        if len(review.given_up_early) > NAMED:
            lines.append(f"  and {len(review.given_up_early) - NAMED} more")
    lines += ["", "Reflection:"]
    r = review.reflection
    if review.last_week is not None:
        lines += _wrap(
            f"Last week's commitments ({review.last_week.week}, "
            f"{kept_text(review.last_week.kept)}): {review.last_week.commitments}",
            "  ",
            "    ",
        )
    if r.written:
        for key, label in REFLECTION_LABELS.items():
            lines += _wrap(f"{label}: {getattr(r, key) or '—'}", "  ", "    ")
    else:
        lines.append("  Not written yet: open the app and press 6 (Review).")
    if note := snapshot_note(review):
        lines += _wrap(note, "  ", "    ")
    todo = to_do(review)
    if todo:
        lines += ["", "To do:"]
        for item in todo:
            lines += _wrap(item, "  - ", "    ")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").strip()


def _table(head: Sequence[str], rows: Iterable[Sequence[str]], right: int = 1) -> list[str]:
    """A Markdown table; columns from ``right`` on are aligned right."""
    align = ["---" if i < right else "--:" for i in range(len(head))]
    out = ["| " + " | ".join(head) + " |", "| " + " | ".join(align) + " |"]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return out


def review_markdown(review: WeekReview) -> str:
    """The weekly review as a Markdown document: ``review --format md`` and the export."""
    done, target = review.targeted
    out = [f"# Weekly review: {review.week} ({week_span(review.start)})", ""]
    if not review.complete:
        out += [f"*The week so far, as of {short_day(review.as_of)}.*", ""]
    out += [
        f"**{attainment_sentence(review)}** {habit_sentence(review)}",
        "",
        "## Against targets",
        "",
    ]
    out += _table(
        ("Activity", "Done", "Target", "Share"),
        (
            (
                t.label,
                str(t.done),
                count(t.target) if t.target else "—",
                pct(t.done / t.target) if t.target else "—",
            )
            for t in review.shown_totals
        ),
    )
    out += ["", "## Day by day", ""]
    head = [
        "",
        *(f"{name} {day.day.day}" for name, day in zip(WEEKDAY_NAMES, review.days, strict=True)),
    ]
    rows: list[list[str]] = []
    for t in review.shown_totals:
        rows.append(
            [
                t.label,
                *(_cell_count(day, t.kind, "—", future="") for day in review.days),
            ]
        )
    rows.append(["**All actions**", *("" if d.future else str(d.total) for d in review.days)])
    rows.append(["Target", *(count(d.target) if d.target else "—" for d in review.days)])
    if any(day.day_off for day in review.days):
        rows.append(["Day off", *(day.day_off or "" for day in review.days)])
    out += _table(head, rows)
    out += ["", "## Habit", "", habit_sentence(review), ""]
    out += _table(
        ("Week", "Streak", "Discipline score"),
        (
            (
                p.week,
                str(p.streak),
                "—" if p.discipline_score is None else pct(p.discipline_score),
            )
            for p in review.trend
        ),
    )
    out += ["", "## Step or stop", "", step_or_stop_sentence(review), ""]
    out += _table(
        ("Outcome", "Actions"),
        ((review.outcome_labels.get(k, k), str(n)) for k, n in review.outcomes.items()),
    )
    h = review.hunting
    out += ["", "## New and existing customers", ""]
    out += _table(
        ("", "Actions", "Minutes"),
        (
            ("New customers", str(h.new_actions), f"{h.new_minutes:,.0f}"),
            ("Existing customers", str(h.existing_actions), f"{h.existing_minutes:,.0f}"),
        ),
    )
    if h.week_target:
        out += ["", f"Hunting target: {h.new_actions} of {h.week_target} new-customer actions."]
    out += ["", "## Hours of the day", "", hours_sentence(review.hours)]
    if sum(review.hours):
        out += [""]
        out += _table(
            ("Hour", "Actions"),
            ((f"{hour:02d}:00", str(n)) for hour, n in enumerate(review.hours) if n),
        )
    out += ["", "## What the week adds to revenue (30/90 rule)", "", effect_sentence(review)]
    months = shown_months(review.effect)
    if months:
        out += [""]
        out += _table(
            ("Month", "This week adds", "At target"),
            (
                (
                    f"{month_name(m.month)} {m.month[:4]}",
                    money(m.added, review.currency),
                    money(m.at_target, review.currency),
                )
                for m in months
            ),
        )
    out += ["", "## Wins", ""]
    if review.wins:
        out += _table(
            ("Date", "Prospect", "Amount"),
            (
                (short_day(w.day), w.prospect or "—", money(w.amount, w.currency))
                for w in review.wins
            ),
            right=2,
        )
    else:
        out.append("No deal won this week.")
    out += ["", "## In limbo now", ""]
    if review.limbo:
        out += [f"- {_cell(limbo_line(i, review.as_of, review.kind_labels))}" for i in review.limbo]
    else:
        out.append("No conversation left without a next step or a stop.")
    out += ["", "## Given up early", ""]
    if review.given_up_early:
        out += [f"- {_cell(early_line(p))}" for p in review.given_up_early]
    else:
        out.append("Nobody given up after 1–3 touches.")
    out += ["", "## Reflection", ""]
    if review.last_week is not None:
        out += [
            f"**Last week's commitments ({review.last_week.week})**, "
            f"{kept_text(review.last_week.kept)}:",
            "",
            _quote(review.last_week.commitments),
            "",
        ]
    for key, label in REFLECTION_LABELS.items():
        text = getattr(review.reflection, key)
        out += [f"### {label}", "", _quote(text) if text else "*Not written.*", ""]
    if note := snapshot_note(review):
        out += [f"*{note}*", ""]
    todo = to_do(review)
    if todo:
        out += ["## To do", "", *(f"- {item}" for item in todo), ""]
    return "\n".join(out).rstrip() + "\n"


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())
