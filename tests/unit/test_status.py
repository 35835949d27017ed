"""Streak, buffer, discipline score and rolling-30 against small hand-computed histories."""

from __future__ import annotations

import datetime as dt

import pytest

from prospector.status import buffer, compute_status, discipline_score, rolling, streak
from prospector.targets import TargetPlan, TargetRule, WorkCalendar, days

MON_TO_FRI = frozenset({1, 2, 3, 4, 5})
EVERY_DAY = frozenset(range(1, 8))
LONG_AGO = dt.date(2026, 1, 1)


def plan(
    working: frozenset[int] = MON_TO_FRI,
    off: dict[dt.date, str] | None = None,
    rules: list[TargetRule] | None = None,
    tracking_from: dt.date | None = LONG_AGO,
) -> TargetPlan:
    calendar = WorkCalendar(working, off or {}, tracking_from)
    return TargetPlan(rules or [TargetRule("call", 10, "day", LONG_AGO)], calendar)


def d(day: int, month: int = 11) -> dt.date:
    return dt.date(2026, month, day)


def calls(*dates: dt.date, n: int = 1) -> dict[dt.date, dict[str, int]]:
    return {day: {"call": n} for day in dates}


class TestStreak:
    def test_counts_consecutive_working_days_and_today_only_once_done(self) -> None:
        # Mon 2 - Fri 6 Nov done, Mon 9 missed, Tue 10 - Thu 12 done; as of Fri 13.
        history = calls(d(2), d(3), d(4), d(5), d(6), d(10), d(11), d(12))
        assert streak(history, plan(), d(13), d(2)) == 3
        assert streak(history, plan(), d(13), d(2), day_over=True) == 0
        history[d(13)] = {"call": 1}
        assert streak(history, plan(), d(13), d(2)) == 4

    def test_weekend_neither_breaks_nor_extends_it(self) -> None:
        history = calls(d(2), d(3), d(4), d(5), d(6), d(7))  # Sat 7 Nov too
        assert streak(history, plan(), d(9), d(2)) == 5

    def test_a_day_off_freezes_it(self) -> None:
        history = calls(d(9), d(10), d(12))  # Wed 11 Nov is a day off
        frozen = plan(off={d(11): "vacation"})
        assert streak(history, frozen, d(13), d(9)) == 3
        assert streak(history, plan(), d(13), d(9)) == 1

    def test_no_history_means_no_streak(self) -> None:
        assert streak({}, plan(), d(13), None) == 0

    def test_target_rule_needs_the_daily_target(self) -> None:
        history = {d(10): {"call": 10}, d(11): {"call": 9}, d(12): {"call": 12}}
        assert streak(history, plan(), d(13), d(10), rule="target") == 1
        assert streak(history, plan(), d(13), d(10), rule="action") == 3

    def test_block_rule_needs_a_finished_block(self) -> None:
        history = calls(d(10), d(11), d(12))
        assert streak(history, plan(), d(13), d(10), "block", {d(11), d(12)}) == 2


class TestBuffer:
    def test_safe_days_hand_computed(self) -> None:
        # Every day a working day, target 10/day: 300 over 30 days. Done 12 a day.
        # After n empty days the window holds 12 * (30 - n) >= 300 while n <= 5.
        as_of = d(30)
        history = calls(*days(as_of - dt.timedelta(days=29), as_of), n=12)
        result = buffer(history, plan(EVERY_DAY), as_of, day_over=True)
        assert (result.working_days, result.actions_short) == (5, 0)
        assert result.describe() == "safe for 5 working days"

    def test_behind_says_how_many_actions_short(self) -> None:
        as_of = d(30)
        history = calls(*days(as_of - dt.timedelta(days=29), as_of), n=8)
        result = buffer(history, plan(EVERY_DAY), as_of, day_over=True)
        assert (result.working_days, result.actions_short) == (0, 60)
        assert result.describe() == "behind: 60 actions short"

    def test_days_off_lower_the_target_they_fall_in(self) -> None:
        # Five days off with nothing logged: target 250, done 25 days x 8 = 200.
        as_of = d(30)
        window = list(days(as_of - dt.timedelta(days=29), as_of))
        off = {day: "vacation" for day in window[10:15]}
        history = calls(*[day for day in window if day not in off], n=8)
        assert buffer(history, plan(EVERY_DAY, off), as_of, day_over=True).actions_short == 50

    def test_weekends_are_skipped_when_counting_safe_days(self) -> None:
        # Mon-Fri target 10; Fri 27 Nov; 22 working days in the window, 220 asked.
        as_of = d(27)
        window = [day for day in days(as_of - dt.timedelta(days=29), as_of)]
        history = calls(*[day for day in window if day.isoweekday() <= 5], n=11)
        # Done 242 of 220. Sat 28 and Sun 29 drop Thu 29 and Fri 30 Oct (231/210,
        # 220/200); Mon 30 Nov: 220 of 210, safe; Tue 1 Dec: 220 of 220, safe;
        # Wed 2 Dec drops Mon 2 Nov: 209 of 220, short. So two safe working days.
        result = buffer(history, plan(), as_of, day_over=True)
        assert result.working_days == 2

    def test_today_counts_against_the_buffer_only_once_it_is_over(self) -> None:
        # Exactly on pace through yesterday (10 a day), nothing yet today, 9:00.
        as_of = d(30)
        history = calls(*days(as_of - dt.timedelta(days=29), as_of - dt.timedelta(days=1)), n=10)
        morning = buffer(history, plan(EVERY_DAY), as_of)
        assert (morning.working_days, morning.actions_short) == (0, 0)
        assert morning.describe() == "no slack: today's target needed"
        # The same day once it is over, still with nothing logged: 10 short.
        assert buffer(history, plan(EVERY_DAY), as_of, day_over=True).actions_short == 10
        # 20 done today: today and one more day could pass with nothing logged.
        history[as_of] = {"call": 20}
        assert buffer(history, plan(EVERY_DAY), as_of).working_days == 2

    def test_no_target_owed_before_tracking_began(self) -> None:
        as_of = d(30)
        history = calls(as_of, n=10)
        result = buffer(history, plan(EVERY_DAY, tracking_from=as_of), as_of)
        assert result.actions_short == 0
        tracked = plan(EVERY_DAY, tracking_from=as_of)
        assert rolling(history, tracked, as_of).target == 0
        assert rolling(history, tracked, as_of, day_over=True).target == 10

    def test_no_targets_at_all(self) -> None:
        none = plan(rules=[TargetRule("call", 0, "day", LONG_AGO)])
        assert buffer({}, none, d(30)).working_days is None


class TestDisciplineScore:
    def test_a_bad_fortnight_halves_it(self) -> None:
        # Ten working days fully on target, then ten with nothing: half-life 10 days.
        good = [day for day in days(d(2), d(13)) if day.isoweekday() <= 5]
        score = discipline_score(calls(*good, n=10), plan(), d(28), d(2), 10)
        assert score == pytest.approx(0.5)

    def test_one_bad_day_dents_it(self) -> None:
        good = [day for day in days(d(2), d(12)) if day.isoweekday() <= 5]
        score = discipline_score(calls(*good, n=10), plan(), d(14), d(2), 10)
        assert score == pytest.approx(0.5 ** (1 / 10))

    def test_attainment_is_capped_at_one_and_days_off_are_skipped(self) -> None:
        history = {d(9): {"call": 30}, d(10): {"call": 5}}
        off = {d(11): "sick"}
        alpha = 1 - 0.5 ** (1 / 10)
        score = discipline_score(history, plan(off=off), d(12), d(9), 10)
        assert score == pytest.approx(alpha * 0.5 + (1 - alpha) * 1.0)

    def test_today_does_not_count_until_it_is_over(self) -> None:
        history = calls(d(9), n=10)
        assert discipline_score(history, plan(), d(9), d(9)) is None
        assert discipline_score(history, plan(), d(9), d(9), day_over=True) == 1.0
        assert discipline_score(history, plan(), d(10), d(9)) == 1.0


class TestTargets:
    def test_history_is_judged_by_the_target_in_force_then(self) -> None:
        rules = [TargetRule("call", 10, "day", LONG_AGO), TargetRule("call", 20, "day", d(11))]
        p = plan(rules=rules)
        assert p.share("call", d(10)) == 10
        assert p.share("call", d(11)) == 20

    def test_weekly_target_spread_over_working_days(self) -> None:
        p = plan(rules=[TargetRule("visit", 2, "week", LONG_AGO)], off={d(11): "holiday"})
        week = [p.share("visit", day) for day in days(d(9), d(15))]
        assert week == pytest.approx([0.4, 0.4, 0.0, 0.4, 0.4, 0.0, 0.0])


def test_compute_status_today_and_week() -> None:
    history = {d(23): {"call": 3, "email": 1}, d(24): {"call": 5}, d(20): {"call": 4}}
    rules = [TargetRule("call", 20, "day", LONG_AGO), TargetRule("visit", 2, "week", LONG_AGO)]
    result = compute_status(d(24), history, plan(rules=rules), ["call", "email", "visit"], d(20))
    assert result.today["call"].done == 5 and result.today["call"].target == 20
    assert result.week["call"].done == 8 and result.week["call"].target == 100
    assert result.week["email"].target == 0
    assert result.week["visit"].target == pytest.approx(2)
    assert result.streak == 3  # Fri 20, Mon 23, Tue 24
