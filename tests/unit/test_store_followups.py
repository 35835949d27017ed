"""Follow-up discipline through the store: next touches, limbo, depth, sources, hunting."""

from __future__ import annotations

import datetime as dt

import pytest
from tests_support import TODAY, at_local

from prospector.errors import InvalidInput
from prospector.store import Store

FRI = dt.date(2026, 11, 20)


def test_touch_count_last_and_next_touch_stay_current(store: Store) -> None:
    anna = store.add_prospect("Anna Smit")
    assert anna.id is not None
    fresh = store.prospect(anna.id)
    assert (fresh.touch_count, fresh.next_touch_on, fresh.next_kind) == (0, TODAY, "call")
    store.log_action("call", at=at_local(2026, 11, 20), prospect_id=anna.id)
    after = store.prospect(anna.id)
    assert after.touch_count == 1 and after.last_touch_on == FRI
    assert (after.next_touch_on, after.next_kind) == (TODAY, "email"), "Fri +1 working day"
    store.add_days_off(TODAY)
    assert store.prospect(anna.id).next_touch_on == TODAY + dt.timedelta(days=1)


def test_a_committed_next_step_sets_the_date_until_it_is_made(store: Store) -> None:
    bas = store.add_prospect("Bas Hendriks")
    assert bas.id is not None
    step = dt.date(2026, 12, 3)
    store.log_action("call", prospect_id=bas.id, outcome="next_step", next_step_on=step)
    planned = store.prospect(bas.id)
    assert (planned.next_touch_on, planned.next_reason) == (step, "committed")
    store.clock = type(store.clock)(at_local(2026, 12, 3, 11))  # type: ignore[call-arg]
    store.log_action("call", prospect_id=bas.id, outcome="conversation")
    made = store.prospect(bas.id)
    assert made.next_reason == "cadence" and made.next_touch_on == dt.date(2026, 12, 7)  # Thu +2


def test_the_queue_orders_by_days_overdue_then_value(store: Store) -> None:
    low = store.add_prospect("Low value", est_value=1000)
    high = store.add_prospect("High value", est_value=90000)
    late = store.add_prospect("Late", est_value=10)
    for p in (low, high):
        store.log_action("call", at=at_local(2026, 11, 20), prospect_id=p.id)
    store.log_action("call", at=at_local(2026, 11, 16), prospect_id=late.id)
    stopped = store.add_prospect("Stopped")
    store.update_prospect(stopped.id or 0, stopped=True)
    queue = [p.name for p in store.followup_queue(TODAY)]
    assert queue == ["Late", "High value", "Low value"]


def test_a_conversation_without_step_or_stop_is_in_limbo_until_resolved(store: Store) -> None:
    cor = store.add_prospect("Cor de Wit")
    dirk = store.add_prospect("Dirk Vos")
    talk = store.log_action(
        "call", at=at_local(2026, 11, 18), prospect_id=cor.id, outcome="conversation"
    )
    store.log_action("email", at=at_local(2026, 11, 19), prospect_id=cor.id)  # no answer
    store.log_action("call", at=at_local(2026, 11, 18), prospect_id=dirk.id, outcome="conversation")
    store.log_action("call", at=at_local(2026, 11, 19), prospect_id=dirk.id, outcome="meeting")
    store.log_action("call", outcome="conversation")  # no prospect: nobody to follow up
    limbo = store.limbo()
    assert [(i.prospect.name, i.on, i.action_id) for i in limbo] == [
        ("Cor de Wit", dt.date(2026, 11, 18), talk.id)
    ]
    assert limbo[0].days(TODAY) == 5

    with pytest.raises(InvalidInput, match="needs its date"):
        store.resolve_conversation(talk.id or 0, "next_step")
    with pytest.raises(InvalidInput, match="next step or a stop"):
        store.resolve_conversation(talk.id or 0, "no_response")
    store.resolve_conversation(talk.id or 0, "next_step", dt.date(2026, 11, 26))
    assert store.limbo() == []
    resolved = store.prospect(cor.id or 0)
    assert (resolved.next_touch_on, resolved.next_reason) == (dt.date(2026, 11, 26), "committed")
    history = store.prospect_history(cor.id or 0)
    assert [a.outcome for a in history] == ["no_response", "next_step"], "the touch is kept"
    with pytest.raises(InvalidInput, match="already resolved"):
        store.resolve_conversation(talk.id or 0, "stop")


def test_a_stop_resolves_limbo_and_closes_the_prospect(store: Store) -> None:
    eva = store.add_prospect("Eva Bakker")
    talk = store.log_action("visit", prospect_id=eva.id, outcome="conversation")
    store.resolve_conversation(talk.id or 0, "stop")
    assert store.limbo() == []
    eva_now = store.prospect(eva.id or 0)
    assert eva_now.stopped and eva_now.next_touch_on is None and eva_now.state == "stopped"


def test_depth_flags_prospects_given_up_after_three_touches_or_fewer(store: Store) -> None:
    early = store.add_prospect("Given up", est_value=20000)
    deep = store.add_prospect("Followed")
    for day in (2, 3, 6):
        store.log_action("call", at=at_local(2026, 10, day), prospect_id=early.id)
    for day in range(1, 8):
        store.log_action("email", at=at_local(2026, 9, day), prospect_id=deep.id)
    stopped = store.add_prospect("Said no")
    store.log_action("call", at=at_local(2026, 10, 1), prospect_id=stopped.id, outcome="stop")
    won = store.add_prospect("Won one")
    store.log_action("call", at=at_local(2026, 10, 1), prospect_id=won.id, outcome="meeting")
    store.add_win("15000", won.id, at_local(2026, 11, 2))

    states = {p.name: p.state for p in store.prospects()}
    assert states == {
        "Given up": "abandoned",
        "Followed": "abandoned",
        "Said no": "stopped",
        "Won one": "won",
    }
    assert store.prospect(early.id or 0).given_up_early
    assert not store.prospect(deep.id or 0).given_up_early, "seven touches is not early"
    result = store.follow_up_depth()
    assert result.early == 1
    assert result.early_value == pytest.approx(0.90 * 20000)
    assert result.by_state["abandoned"]["3"] == 1 and result.by_state["abandoned"]["5–12"] == 1
    assert result.by_state["won"]["1"] == 1 and result.by_state["stopped"]["1"] == 1


def test_conversion_and_referrals_by_source(store: Store) -> None:
    ref = store.add_prospect("From Anna", source="referral")
    cold = store.add_prospect("Cold one")
    store.add_prospect("Cold two")
    store.log_action("call", prospect_id=ref.id, outcome="meeting")
    store.add_win("9000", ref.id)
    store.log_actions("referral_ask", count=3)
    store.log_action("visit", prospect_id=cold.id, outcome="referral")
    rows = {r.source: r for r in store.source_conversion()}
    assert (rows["referral"].prospects, rows["referral"].meetings, rows["referral"].won) == (
        1,
        1,
        1,
    )
    assert rows["referral"].conversion == 1.0
    assert (rows["cold"].prospects, rows["cold"].won, rows["cold"].conversion) == (2, 0, 0.0)
    assert rows["event"].prospects == 0
    referrals = store.referrals(TODAY, TODAY)
    assert (referrals.asks, referrals.received, referrals.prospects, referrals.won) == (3, 1, 1, 1)


def test_hunting_and_farming_split_actions_and_minutes(store: Store) -> None:
    customer = store.add_prospect("Old customer", existing_customer=True)
    new = store.add_prospect("New logo")
    block = store.start_block(60)
    store.log_action("call", prospect_id=customer.id, block_id=block.id)
    store.log_action("call", prospect_id=new.id, block_id=block.id)
    store.log_action("call", prospect_id=new.id, block_id=block.id, minutes=10)
    store.log_action("email")  # not on a prospect: counts as hunting
    store.log_action("visit", at=at_local(2026, 11, 16), prospect_id=customer.id, minutes=90)
    store.clock = type(store.clock)(at_local(2026, 11, 23, 10).add(minutes=40))  # type: ignore[call-arg]
    store.end_block(block.id or 0)
    split = store.hunting_split(TODAY - dt.timedelta(days=29), TODAY)
    assert (split.new_actions, split.existing_actions) == (3, 2)
    # The block's 40 minutes go to its two untimed touches, 20 each.
    assert split.new_minutes == pytest.approx(10 + 20)
    assert split.existing_minutes == pytest.approx(90 + 20)
    assert split.week_new_actions == 3 and split.week_target == 120
    assert split.new_share == pytest.approx(0.6)
