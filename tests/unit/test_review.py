"""The weekly review: every figure of a hand-computed week, its three outputs, the
reflection saved and read back, and last week's commitments asked about next week.

The week is 2026-W47 (Mon 16 - Sun 22 November), reviewed on Monday 23 November (the
tests' clock). Targets: 10 calls a day and 2 visits a week from 1 November, nothing
else. Tuesday is a sick day, so the week asks for 4 x 10 calls and 4 x 0.4 visits.

    Thu 12  9 calls, 1 call with Eve (her only touch)               <- first action
    Fri 13  5 calls
    Mon 16  8 calls at 9:00; calls with Anna and Cor at 9:00/9:10, both conversations
    Tue 17  sick
    Wed 18  12 calls at 14:00; a visit to Bas (existing customer) at 11:00, a meeting,
            60 minutes; Bas signs for 5,000 at 16:00
    Thu 19  4 calls at 10:00, one of them with Anna: a next step on 26 Nov (which
            settles Monday's conversation with her)
    Fri 20  an email to Dan at 15:00: a stop
    Sat 21  2 calls at 11:00
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pendulum
import pytest
from tests_support import ZONE, at_local

from prospector import review as rv
from prospector.cli import _Parser
from prospector.errors import InvalidInput, NotFound
from prospector.projection import kernel, landing_window
from prospector.review_command import add_parser
from prospector.review_command import review as review_command
from prospector.store import Store

MON = dt.date(2026, 11, 16)
NOV = dt.date(2026, 11, 1)


def day(n: int) -> dt.date:
    return dt.date(2026, 11, n)


@pytest.fixture
def week(store: Store) -> dict[str, int]:
    """The history described in the module docstring; returns the prospects' ids."""
    store.set_setting("followup.abandon_after_days", "5")
    store.set_target("call", 10, "day", NOV)
    store.set_target("visit", 2, "week", NOV)
    for kind in ("email", "linkedin", "referral_ask"):
        store.set_target(kind, 0, "day", NOV)
    ids = {
        name: store.add_prospect(name, **extra).id or 0
        for name, extra in (
            ("Anna", {}),
            ("Bas", {"source": "existing_customer"}),
            ("Cor", {}),
            ("Dan", {}),
            ("Eve", {}),
        )
    }
    store.log_actions("call", at=at_local(2026, 11, 12, 9), count=9)
    store.log_actions("call", at=at_local(2026, 11, 12, 9), prospect_id=ids["Eve"])
    store.log_actions("call", at=at_local(2026, 11, 13, 9), count=5)
    store.log_actions("call", at=at_local(2026, 11, 16, 9), count=8)
    store.log_actions(
        "call", at=at_local(2026, 11, 16, 9), outcome="conversation", prospect_id=ids["Anna"]
    )
    store.log_actions(
        "call",
        at=pendulum.datetime(2026, 11, 16, 9, 10, tz=ZONE),
        outcome="conversation",
        prospect_id=ids["Cor"],
    )
    store.add_days_off(day(17), reason="sick")
    store.log_actions("call", at=at_local(2026, 11, 18, 14), count=12)
    store.log_actions(
        "visit",
        at=at_local(2026, 11, 18, 11),
        outcome="meeting",
        prospect_id=ids["Bas"],
        minutes=60,
    )
    store.add_win("5000", ids["Bas"], at=at_local(2026, 11, 18, 16))
    store.log_actions("call", at=at_local(2026, 11, 19, 10), count=3)
    store.log_actions(
        "call",
        at=at_local(2026, 11, 19, 10),
        outcome="next_step",
        next_step_on=day(26),
        prospect_id=ids["Anna"],
    )
    store.log_actions(
        "email", at=at_local(2026, 11, 20, 15), outcome="stop", prospect_id=ids["Dan"]
    )
    store.log_actions("call", at=at_local(2026, 11, 21, 11), count=2)
    return ids


def test_parse_week_reads_iso_weeks_and_explains_bad_ones() -> None:
    assert rv.parse_week("2026-W47") == MON
    assert rv.parse_week(" 2026-w47 ") == MON
    assert rv.parse_week("2026W47") == MON
    assert rv.parse_week("2026-W01") == dt.date(2025, 12, 29), "ISO week 1 starts in December"
    assert rv.parse_week("2026-W53") == dt.date(2026, 12, 28), "2026 has 53 weeks"
    with pytest.raises(InvalidInput, match=r"--week must look like 2026-W47"):
        rv.parse_week("47")
    with pytest.raises(InvalidInput, match=r"--week must look like 2026-W47"):
        rv.parse_week("2026-11-16")
    with pytest.raises(InvalidInput, match=r"2027 has weeks W01 to W52"):
        rv.parse_week("2027-W53")
    with pytest.raises(InvalidInput, match=r"has weeks W01"):
        rv.parse_week("2026-W00")
    assert rv.week_key(MON) == "2026-W47"
    assert rv.default_week(day(23)) == MON, "Monday: the last complete week"
    assert rv.default_week(day(22)) == day(9), "Sunday: that week is not over yet"
    assert rv.week_span(MON) == "16–22 Nov 2026"
    assert rv.week_span(dt.date(2026, 12, 28)) == "28 Dec 2026 – 3 Jan 2027"


def test_every_figure_of_the_week(store: Store, week: dict[str, int]) -> None:
    review = rv.build_review(store)
    assert (review.week, review.start, review.end) == ("2026-W47", MON, day(22))
    assert review.complete and review.as_of == day(23)

    totals = {t.kind: (t.done, t.target) for t in review.totals}
    assert totals["call"] == (28, 40.0), "10 + 12 + 4 + 0 on working days, 2 on Saturday"
    assert totals["visit"][0] == 1
    assert totals["visit"][1] == pytest.approx(1.6), "2 a week less the sick day's share"
    assert totals["email"] == (1, 0.0)
    assert totals["linkedin"] == (0, 0.0)
    assert [t.kind for t in review.shown_totals] == ["call", "email", "visit"]
    done, target = review.targeted
    assert (done, target) == (27, pytest.approx(41.6)), "targeted kinds only"
    assert review.actions == 30

    days = {d.day: d for d in review.days}
    assert [d.day for d in review.days] == [day(n) for n in range(16, 23)]
    assert days[day(16)].counts == {"call": 10}
    assert days[day(16)].targets == {"call": 10.0, "visit": pytest.approx(0.4)}
    assert days[day(16)].shared == frozenset({"visit"}), "a weekly target's share"
    assert (days[day(17)].day_off, days[day(17)].targets, days[day(17)].total) == ("sick", {}, 0)
    assert days[day(18)].counts == {"call": 12, "visit": 1}
    assert (days[day(18)].done, days[day(18)].target) == (13, pytest.approx(10.4))
    assert days[day(19)].counts == {"call": 4}
    assert (days[day(20)].counts, days[day(20)].done) == ({"email": 1}, 0)
    assert (days[day(21)].working, days[day(21)].counts, days[day(21)].targets) == (
        False,
        {"call": 2},
        {},
    )
    assert days[day(22)].total == 0 and not any(d.future for d in review.days)

    assert review.outcomes == {
        "no_response": 25,
        "conversation": 2,
        "next_step": 1,
        "meeting": 1,
        "referral": 0,
        "stop": 1,
    }
    sos = review.step_or_stop
    assert (sos.step, sos.stop, sos.settled_later, sos.limbo) == (2, 1, 1, 1)
    assert sos.contacts == 5 and sos.ratio == pytest.approx(0.8), "Anna's talk was settled"

    # Streak: Thu 12, Fri 13, Mon 16, (Tue off), Wed 18, Thu 19, Fri 20 (one email).
    assert review.streak == 6
    alpha = 1 - 0.5 ** (1 / 10)
    score = 10 / 10.4  # Thu 12
    for attainment in (5 / 10.4, 10 / 10.4, 1.0, 4 / 10.4, 0.0):  # Fri 13 .. Fri 20
        score = alpha * attainment + (1 - alpha) * score
    assert review.discipline_score == pytest.approx(score)
    status = store.status(day(22))
    assert (review.streak, review.discipline_score) == (status.streak, status.discipline_score)
    assert [p.week for p in review.trend] == [f"2026-W{n}" for n in range(40, 48)]
    assert [p.streak for p in review.trend] == [0, 0, 0, 0, 0, 0, 2, 6]
    assert [p.discipline_score for p in review.trend[:6]] == [None] * 6
    before = alpha * (5 / 10.4) + (1 - alpha) * (10 / 10.4)
    assert review.trend[6].discipline_score == pytest.approx(before)
    assert review.trend[6].as_of == day(15)

    assert review.hours[9] == 10 and review.hours[10] == 4 and review.hours[11] == 3
    assert review.hours[14] == 12 and review.hours[15] == 1
    assert sum(review.hours) == 30

    hunting = review.hunting
    assert (hunting.new_actions, hunting.existing_actions) == (29, 1)
    assert (hunting.new_minutes, hunting.existing_minutes) == (0, 60)
    assert hunting.week_target == 120

    values = store.settings().value_per_action
    assert (values["call"], values["email"], values["visit"]) == pytest.approx((75, 22.5, 300))
    effect = review.effect
    assert effect.added == pytest.approx(28 * 75 + 22.5 + 300)
    assert effect.at_target == pytest.approx(40 * 75 + 1.6 * 300)
    assert sum(m.added for m in effect.months) == pytest.approx(effect.added)
    assert sum(m.at_target for m in effect.months) == pytest.approx(effect.at_target)
    assert [m.month for m in effect.months] == [
        "2026-11",
        "2026-12",
        "2027-01",
        "2027-02",
        "2027-03",
    ]
    worth = {day(16): 750.0, day(18): 1200.0, day(19): 300.0, day(20): 22.5, day(21): 150.0}
    assert (effect.lands_from, effect.lands_to) == landing_window(worth, kernel())
    assert rv.effect_sentence(review) == (
        "This week adds about €2,400 to revenue, landing mostly December–February; at "
        "target it would have added €3,500: €1,100 less revenue for those months."
    )

    assert [(w.day, w.amount, w.prospect) for w in review.wins] == [(day(18), 5000.0, "Bas")]
    assert [i.prospect.name for i in review.limbo] == ["Cor"]
    assert [p.name for p in review.given_up_early] == ["Eve"], "1 touch, 10 days overdue"
    assert review.reflection == rv.Reflection() and review.last_week is None
    assert review.snapshot is None


def test_the_week_so_far_and_a_week_not_begun(store: Store, week: dict[str, int]) -> None:
    store.log_actions("call", at=at_local(2026, 11, 23, 9), count=3)
    current = rv.build_review(store, "2026-W48")
    assert not current.complete
    assert [d.future for d in current.days] == [False] + [True] * 6
    assert current.totals[0].done == 3 and current.totals[0].target == 50
    assert rv.attainment_sentence(current).startswith("3 of 52 targeted actions so far")
    assert current.effect.at_target == pytest.approx(50 * 75 + 2 * 300), "the whole week"
    assert rv.effect_sentence(current).startswith("So far this week adds about €225")
    with pytest.raises(InvalidInput, match=r"2026-W49 has not begun yet.*2026-W48"):
        rv.build_review(store, "2026-W49")
    assert rv.build_review(store, day(18)).week == "2026-W47", "a day picks its week"


def test_an_empty_week_says_so(store: Store) -> None:
    review = rv.build_review(store)
    assert review.actions == 0 and review.step_or_stop.ratio is None
    assert review.discipline_score is None and review.effect.added == 0
    assert rv.step_or_stop_sentence(review) == (
        "No contact made this week: no conversation to settle."
    )
    assert rv.hours_sentence(review.hours) == "Nothing logged, so no hours to show."
    assert rv.wins_sentence(review) == "No deal won this week."
    text = rv.review_text(review)
    assert "Nothing logged; the week asked for nothing." in text, "no target before a first action"
    assert rv.review_markdown(review).startswith("# Weekly review: 2026-W47")


def test_hours_are_local_to_the_zone_each_action_was_logged_in(store: Store) -> None:
    # 03:45 UTC is 09:15 in Kolkata (UTC+5:30) and 04:45 in Amsterdam.
    instant = pendulum.datetime(2026, 11, 18, 3, 45, tz="UTC")
    store.log_actions("call", at=instant, tz="Asia/Kolkata", count=2)
    store.log_actions("call", at=instant, count=1)
    hours = store.week_hours(MON, day(22))
    assert (hours[9], hours[4], sum(hours)) == (2, 1, 3)


def test_a_conversation_settled_later_counts_only_after_it(store: Store) -> None:
    anna = store.add_prospect("Anna").id
    store.log_actions("call", at=at_local(2026, 11, 16), outcome="next_step", prospect_id=anna,
                      next_step_on=day(17))  # fmt: skip
    store.log_actions("call", at=at_local(2026, 11, 17), outcome="conversation", prospect_id=anna)
    store.log_actions("call", at=at_local(2026, 11, 18), outcome="conversation")
    assert store.settled_later(MON, day(22)) == 0, "a step before the talk settles nothing"
    store.log_actions("email", at=at_local(2026, 11, 24), outcome="stop", prospect_id=anna)
    assert store.settled_later(MON, day(22)) == 1, "a stop next week settles it"


def test_text_output_a_rep_acts_on(store: Store, week: dict[str, int]) -> None:
    text = rv.review_text(rv.build_review(store))
    lines = text.splitlines()
    assert lines[0] == "Week 47 · 16–22 Nov 2026"
    assert "27 of 41.6 targeted actions (65%), 30 actions in all." in text
    assert "  Call      28 of 40     70%  12 short" in lines
    assert "  Email      1  (no target)" in lines
    assert "  Visit      1 of 1.6    62%  0.6 short" in lines
    grid = lines[lines.index("Day by day:") + 1 :]
    assert grid[0].split() == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Week"]
    assert grid[2].split() == ["Call", "10", "-", "12", "4", "0", "2", "-", "28"]
    assert "Day off" in text and "sick" in text
    assert "Streak 6 working days at the end of the week" in text
    assert (
        "5 contacts: 2 ended in a step, 1 in a stop, 1 was settled by a later touch; 1 is "
        "still in limbo. Step or stop: 80%." in " ".join(lines)
    )
    assert "New customers: 29 actions (97%), 0 min; existing customers: 1 action, 60 min." in (
        " ".join(lines)
    )
    assert "Prospecting between 9:00 and 16:00" in text
    assert "1 deal won, €5,000: €5,000 with Bas on Wed 18 Nov." in text
    assert "  Cor: call on Mon 16 Nov, 7 days ago" in lines
    assert "  Eve after 1 touch" in lines
    assert "  Not written yet: open the app and press 6 (Review)." in lines
    todo = lines[lines.index("To do:") + 1 :]
    assert todo[0].startswith("  - Visit fell furthest short: 1 of 1.6.")
    assert any("Settle the 1 conversation in limbo" in line for line in todo)
    assert all(len(line) <= 100 for line in lines)


def test_markdown_is_a_document_with_headings_and_tables(
    store: Store, week: dict[str, int]
) -> None:
    review = rv.build_review(store)
    rv.save_reflection(store, review, went_well="Wednesday | two blocks", commitments="Call Cor")
    md = rv.review_markdown(rv.build_review(store))
    assert md.startswith("# Weekly review: 2026-W47 (16–22 Nov 2026)\n")
    for heading in (
        "## Against targets",
        "## Day by day",
        "## Habit",
        "## Step or stop",
        "## New and existing customers",
        "## Hours of the day",
        "## What the week adds to revenue (30/90 rule)",
        "## Wins",
        "## In limbo now",
        "## Given up early",
        "## Reflection",
        "### What went well",
        "### What got in the way",
        "### What I commit to next week",
    ):
        assert f"\n{heading}\n" in md, heading
    assert "| Activity | Done | Target | Share |\n| --- | --: | --: | --: |\n" in md
    assert "| Call | 28 | 40 | 70% |" in md
    assert "| Visit | 1 | 1.6 | 62% |" in md
    assert "|  | Mon 16 | Tue 17 | Wed 18 | Thu 19 | Fri 20 | Sat 21 | Sun 22 |" in md
    assert "| Day off |  | sick |  |  |  |  |  |" in md
    assert "| 2026-W47 | 6 |" in md
    assert "| Wed 18 Nov | Bas | €5,000 |" in md
    assert "> Wednesday | two blocks" in md, "quoted as typed"
    assert "> Call Cor" in md
    assert "### What got in the way\n\n*Not written.*" in md


def test_json_holds_the_contract(store: Store, week: dict[str, int]) -> None:
    payload = rv.review_json(rv.build_review(store))
    for key in (
        "week",
        "totals",
        "days",
        "outcomes",
        "step_or_stop",
        "streak",
        "discipline_score",
        "projection_effect",
        "wins",
        "reflection",
    ):
        assert key in payload, key
    assert payload["week"] == "2026-W47"
    assert payload["totals"]["call"] == {"done": 28, "target": 40}
    assert payload["totals"]["visit"] == {"done": 1, "target": 1.6}
    assert payload["targeted"] == {"done": 27, "target": 41.6}
    assert payload["days"][1] == {
        "date": "2026-11-17",
        "working_day": True,
        "day_off": "sick",
        "future": False,
        "counts": {},
        "targets": {},
        "done": 0,
        "target": 0,
    }
    assert payload["step_or_stop"] == {
        "contacts": 5,
        "step": 2,
        "stop": 1,
        "settled_later": 1,
        "limbo": 1,
        "ratio": 0.8,
    }
    assert payload["streak"] == 6 and isinstance(payload["discipline_score"], float)
    assert len(payload["trend"]) == 8
    assert payload["projection_effect"]["added"] == 2422.5
    assert payload["projection_effect"]["at_target"] == 3480.0
    assert payload["projection_effect"]["text"].startswith("This week adds about €2,400")
    assert payload["wins"] == [
        {"date": "2026-11-18", "amount": 5000.0, "currency": "EUR", "prospect": "Bas"}
    ]
    assert payload["hunting"] == {
        "new_actions": 29,
        "existing_actions": 1,
        "new_minutes": 0,
        "existing_minutes": 60,
        "new_target": 120,
    }
    assert payload["hours"][14] == 12
    assert [p["name"] for p in payload["limbo"]] == ["Cor"]
    assert [p["name"] for p in payload["given_up_early"]] == ["Eve"]
    assert payload["reflection"] == {
        "went_well": "",
        "got_in_the_way": "",
        "commitments": "",
        "commitments_kept": None,
        "updated_at": None,
    }
    assert payload["last_week"] is None and payload["snapshot"] is None
    json.dumps(payload)  # plain values only


def test_the_reflection_is_saved_at_once_and_read_back(
    store: Store, week: dict[str, int], db_path: Path
) -> None:
    review = rv.build_review(store)
    saved = rv.save_reflection(store, review, went_well="  Three blocks before ten ")
    assert saved.went_well == "Three blocks before ten" and saved.commitments == ""
    rv.save_reflection(store, review, got_in_the_way="Thursday's escalation")
    other = Store.open(db_path, clock=store.clock)  # a second connection sees it committed
    try:
        back = other.review("2026-W47")
    finally:
        other.close()
    assert back is not None
    assert (back.went_well, back.got_in_the_way) == (
        "Three blocks before ten",
        "Thursday's escalation",
    )
    assert back.updated_at == store.now()
    reread = rv.build_review(store)
    assert reread.reflection.went_well == "Three blocks before ten"
    assert reread.reflection.written
    assert store.reviewed_weeks() == ["2026-W47"]
    with pytest.raises(InvalidInput, match="no field mood"):
        store.save_reflection("2026-W47", mood="fine")
    with pytest.raises(InvalidInput, match="under 2000 characters"):
        store.save_reflection("2026-W47", went_well="x" * 2001)
    with pytest.raises(InvalidInput, match="week must look like 2026-W47"):
        store.review("last week")


def test_the_figures_are_kept_with_the_review_as_they_were(
    store: Store, week: dict[str, int]
) -> None:
    review = rv.build_review(store)
    assert rv.snapshot_due(review)
    rv.save_reflection(store, review, went_well="Wednesday")
    kept = store.review("2026-W47")
    assert kept is not None and kept.figures is not None
    assert kept.figures == rv.review_figures(review)
    assert kept.figures["as_of"] == "2026-11-23"
    # A call logged late for Friday: the live figures count it, the kept ones do not.
    store.log_actions("call", at=at_local(2026, 11, 20, 16))
    later = rv.build_review(store)
    assert later.actions == 31 and later.snapshot == kept.figures
    assert not rv.snapshot_due(later), "taken after the week was over: frozen"
    assert rv.snapshot_note(later) == (
        "When this review was saved (Mon 23 Nov) the week counted 30 actions; it counts 31 now."
    )
    rv.save_reflection(store, later, commitments="Call Cor")
    again = store.review("2026-W47")
    assert again is not None and again.figures == kept.figures
    assert rv.review_json(later)["snapshot"]["totals"]["call"]["done"] == 28


def test_a_review_saved_during_the_week_keeps_its_figures_fresh(
    store: Store, week: dict[str, int]
) -> None:
    current = rv.build_review(store, "2026-W48")
    rv.save_reflection(store, current, went_well="A good Monday")
    store.log_actions("call", at=at_local(2026, 11, 23, 11), count=4)
    fresher = rv.build_review(store, "2026-W48")
    assert rv.snapshot_due(fresher), "taken while the week was under way"
    rv.save_reflection(store, fresher, got_in_the_way="Nothing yet")
    kept = store.review("2026-W48")
    assert kept is not None and kept.figures is not None
    assert kept.figures["totals"]["call"]["done"] == 4


def test_last_weeks_commitments_are_asked_about_next_week(
    store: Store, week: dict[str, int]
) -> None:
    w47 = rv.build_review(store)
    rv.save_reflection(store, w47, commitments="Settle Cor; a visit a day")
    w48 = rv.build_review(store, "2026-W48")
    assert w48.last_week == rv.LastWeek("2026-W47", "Settle Cor; a visit a day", None)
    assert rv.to_do(w48)[0] == "Say whether you kept last week's commitments (2026-W47)."
    assert "Last week's commitments (2026-W47, not answered yet): Settle Cor; a visit a day" in (
        rv.review_text(w48)
    )
    rv.set_last_week_kept(store, w48, True)
    kept = store.review("2026-W47")
    assert kept is not None and kept.commitments_kept is True, "stored in last week's row"
    assert store.review("2026-W48") is None, "nothing written about this week yet"
    w48 = rv.build_review(store, "2026-W48")
    assert w48.last_week is not None and w48.last_week.kept is True
    assert rv.review_json(w48)["last_week"] == {
        "week": "2026-W47",
        "commitments": "Settle Cor; a visit a day",
        "kept": True,
    }
    assert rv.review_json(rv.build_review(store))["reflection"]["commitments_kept"] is True
    rv.set_last_week_kept(store, w48, False)
    assert rv.build_review(store, "2026-W48").last_week == rv.LastWeek(
        "2026-W47", "Settle Cor; a visit a day", False
    )
    with pytest.raises(NotFound):
        rv.set_last_week_kept(store, w47, True)  # W46 holds no commitments
    with pytest.raises(NotFound):
        store.set_commitments_kept("2026-W30", True)


def test_a_week_without_commitments_asks_nothing(store: Store, week: dict[str, int]) -> None:
    rv.save_reflection(store, rv.build_review(store), went_well="Wednesday")
    assert rv.build_review(store, "2026-W48").last_week is None


@pytest.fixture
def run_review(store: Store, capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str]]:
    """``prospector review ARGS`` through the command's own parser and handler."""
    parser = _Parser(prog="prospector")
    add_parser(parser.add_subparsers(dest="command", parser_class=_Parser), _Parser)

    def run(*argv: str) -> tuple[int, str]:
        capsys.readouterr()
        args: Any = parser.parse_args(["review", *argv])
        assert isinstance(args, argparse.Namespace)
        code = review_command(store, args)
        return code, capsys.readouterr().out

    return run


def test_the_command_prints_text_md_and_json(
    run_review: Callable[..., tuple[int, str]], week: dict[str, int]
) -> None:
    code, out = run_review()
    assert code == 0 and out.startswith("Week 47 · 16–22 Nov 2026\n")
    code, out = run_review("--week", "2026-W47", "--format", "md")
    assert code == 0 and out.startswith("# Weekly review: 2026-W47")
    code, out = run_review("--week", "2026-W46", "--format", "json")
    payload = json.loads(out)
    assert payload["week"] == "2026-W46" and payload["totals"]["call"]["done"] == 15
    code, out = run_review("--format", "JSON")
    assert json.loads(out)["week"] == "2026-W47"


def test_the_command_refuses_bad_input_clearly(
    run_review: Callable[..., tuple[int, str]],
) -> None:
    with pytest.raises(InvalidInput, match=r"^--week must look like 2026-W47"):
        run_review("--week", "week 47")
    with pytest.raises(InvalidInput, match=r"^--format must be text, md or json, got 'html'"):
        run_review("--format", "html")
    with pytest.raises(InvalidInput, match=r"has not begun yet"):
        run_review("--week", "2027-W02")


def test_the_installed_command_prints_the_error_on_one_line(
    store: Store, db_path: Path, capsys: pytest.CaptureFixture[str], isolated_env: Path
) -> None:
    """Through ``prospector.cli.main`` once ``review`` is wired there."""
    from prospector import cli

    if "review" not in cli.build_parser().format_help():
        pytest.skip("review is not wired into prospector.cli yet")
    code = cli.main(["--db", str(db_path), "review", "--week", "47"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("prospector: --week must look like 2026-W47")


def test_a_week_read_short_of_its_day_counts_stops_the_review(
    store: Store, cli: Callable[..., tuple[int, str, str]]
) -> None:
    """The review reads the week along the day index; a count that disagrees with the
    trigger-kept day counts is said, not shown as a thinner week."""
    from prospector.sqlite import sqlite3

    store.log_actions("call", at_local(2026, 11, 17), count=3)
    assert cli("review", "--week", "2026-W47")[0] == 0
    con = sqlite3.connect(store.path)
    with con:
        con.execute("UPDATE action_day_count SET n = n + 1 WHERE local_date = '2026-11-17'")
    con.close()
    code, out, err = cli("review", "--week", "2026-W47")
    assert code == 2 and out == ""
    assert "3 actions were read for 2026-11-16 to 2026-11-22, where the day counts hold 4" in err
    assert "prospector db check" in err
