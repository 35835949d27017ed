"""The follow-up rules on their own: cadence, next touch, state, depth, sales share."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prospector.errors import InvalidInput
from prospector.followup import (
    Cadence,
    CadenceStep,
    add_working_days,
    committed_pending,
    depth,
    next_touch,
    parse_cadence,
    sales_share_after,
    state_of,
)
from prospector.shipped import shipped
from prospector.targets import WorkCalendar

KINDS = shipped().kind_keys
WEEKDAYS = WorkCalendar(frozenset({1, 2, 3, 4, 5}), {})
FRI = dt.date(2026, 11, 20)
MON = dt.date(2026, 11, 23)


def test_the_shipped_cadence_is_twelve_touches_over_six_weeks_across_channels() -> None:
    cadence = parse_cadence(shipped().defaults.followup.cadence, KINDS)
    assert len(cadence) == 12
    assert cadence.working_days == 30  # six working weeks
    assert len({step.kind for step in cadence.steps}) >= 4
    assert cadence.steps[0] == CadenceStep("call", 0)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "at least one touch"),
        ("call, fax+2", "unknown kind 'fax'"),
        ("call, email", "touch 2 of the cadence, 'email', needs the working days"),
        ("call+3, email+1", "first touch of the cadence is due at once"),
        ("call, email+0", "needs the working days"),
        ("call, email two", "should be a kind and the working days"),
    ],
)
def test_a_bad_cadence_says_which_touch_is_wrong(text: str, problem: str) -> None:
    with pytest.raises(InvalidInput, match=problem):
        parse_cadence(text, KINDS)


@given(
    st.lists(
        st.tuples(st.sampled_from(KINDS), st.integers(min_value=1, max_value=20)),
        min_size=0,
        max_size=15,
    ),
    st.sampled_from(KINDS),
)
def test_a_cadence_reads_back_from_its_own_text(rest: list[tuple[str, int]], first: str) -> None:
    cadence = Cadence((CadenceStep(first, 0), *(CadenceStep(k, n) for k, n in rest)))
    assert parse_cadence(cadence.text(), KINDS) == cadence


def test_working_days_skip_the_weekend_and_days_off() -> None:
    assert add_working_days(WEEKDAYS, FRI, 1) == MON
    assert add_working_days(WEEKDAYS, FRI, 3) == dt.date(2026, 11, 25)
    off = WorkCalendar(frozenset({1, 2, 3, 4, 5}), {MON: "vacation", MON.replace(day=24): "sick"})
    assert add_working_days(off, FRI, 1) == dt.date(2026, 11, 25)
    four_days = WorkCalendar(frozenset({1, 2, 3, 4}), {})
    assert add_working_days(four_days, dt.date(2026, 11, 19), 1) == MON, "Thu -> Mon"


@given(st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)), st.integers(0, 60))
def test_a_cadence_date_is_always_a_working_day_n_working_days_on(start: dt.date, n: int) -> None:
    day = add_working_days(WEEKDAYS, start, n)
    if n:
        assert day.isoweekday() <= 5
        worked = sum(
            (start + dt.timedelta(days=i)).isoweekday() <= 5
            for i in range(1, (day - start).days + 1)
        )
        assert worked == n


def plan(**kw: object) -> tuple[dt.date | None, str | None, str]:
    args: dict[str, object] = {
        "touches": 0,
        "last_touch_on": None,
        "created_on": MON,
        "committed_on": None,
        "committed_pending": False,
        "closed": False,
        "cadence": parse_cadence("call, email+1, linkedin+2", KINDS),
        "calendar": WEEKDAYS,
    }
    args.update(kw)
    touch = next_touch(**args)  # type: ignore[arg-type]
    return touch.on, touch.kind, touch.reason


def test_a_new_prospect_is_due_on_the_first_working_day_from_its_creation() -> None:
    assert plan() == (MON, "call", "cadence")
    assert plan(created_on=dt.date(2026, 11, 21)) == (MON, "call", "cadence"), "a Saturday"


def test_the_cadence_counts_from_the_last_touch() -> None:
    assert plan(touches=1, last_touch_on=FRI) == (MON, "email", "cadence")
    assert plan(touches=2, last_touch_on=FRI) == (dt.date(2026, 11, 24), "linkedin", "cadence")
    assert plan(touches=3, last_touch_on=FRI) == (None, None, "cadence done")


def test_a_committed_next_step_beats_the_cadence_even_on_a_weekend() -> None:
    saturday = dt.date(2026, 11, 28)
    assert plan(touches=1, last_touch_on=FRI, committed_on=saturday, committed_pending=True) == (
        saturday,
        None,
        "committed",
    )
    assert plan(touches=1, last_touch_on=FRI, committed_on=saturday, committed_pending=False)[
        2
    ] == ("cadence")


def test_closed_prospects_have_no_next_touch() -> None:
    assert plan(closed=True, committed_on=MON, committed_pending=True) == (None, None, "closed")


def test_a_step_is_pending_until_a_later_touch_makes_it() -> None:
    assert committed_pending(MON, FRI, last_touch_planned_it=False), "step after the last touch"
    assert not committed_pending(FRI, MON, last_touch_planned_it=False), "made on Monday"
    assert committed_pending(MON, MON, last_touch_planned_it=True), "agreed today for today"
    assert not committed_pending(None, MON, last_touch_planned_it=False)


def test_an_open_prospect_is_abandoned_a_month_after_its_touch_fell_due() -> None:
    def state(today: dt.date, won: bool = False, stopped: bool = False) -> str:
        return state_of(
            won=won,
            stopped=stopped,
            next_on=FRI,
            last_touch_on=None,
            created_on=FRI,
            today=today,
            abandon_after_days=30,
        )

    assert state(FRI + dt.timedelta(days=30)) == "active"
    assert state(FRI + dt.timedelta(days=31)) == "abandoned"
    assert state(MON, won=True) == "won"
    assert state(MON, stopped=True) == "stopped"


def test_the_sales_left_behind_follow_the_reference() -> None:
    assert sales_share_after(0) == pytest.approx(1.0)
    assert sales_share_after(1) == pytest.approx(0.98)
    assert sales_share_after(2) == pytest.approx(0.95)
    assert sales_share_after(3) == pytest.approx(0.90)
    assert sales_share_after(4) == pytest.approx(0.80)
    assert sales_share_after(12) == pytest.approx(0.0)
    assert sales_share_after(20) == pytest.approx(0.0)


def test_depth_counts_prospects_by_state_and_flags_those_given_up_early() -> None:
    result = depth(
        [
            ("abandoned", 1, 10000.0),
            ("abandoned", 3, None),
            ("abandoned", 6, 5000.0),  # followed far enough: not early
            ("stopped", 2, 8000.0),  # a clear stop is not giving up
            ("won", 7, 15000.0),
            ("active", 0, None),
        ]
    )
    assert result.by_state["abandoned"] == {
        "0": 0,
        "1": 1,
        "2": 0,
        "3": 1,
        "4": 0,
        "5–12": 1,
        "13+": 0,
    }
    assert result.by_state["won"]["5–12"] == 1 and result.by_state["active"]["0"] == 1
    assert result.early == 2
    assert result.early_sales_share == pytest.approx((0.98 + 0.90) / 2)
    assert result.early_value == pytest.approx(0.98 * 10000)
    assert result.left_total == 4
    assert result.left_after == {
        "1 touch": 0.25,
        "2 touches": 0.25,
        "3 touches": 0.25,
        "4 or more": 0.25,
    }
