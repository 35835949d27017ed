"""The store calls behind the daily block: blocks, undo, notes, prospects, the queue."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest
from tests_support import TODAY, at_local

from prospector.clock import FixedClock
from prospector.errors import InvalidInput, NotFound
from prospector.store import Store

pytestmark = pytest.mark.usefixtures("store")


def test_a_block_collects_its_actions_and_summarises_them(store: Store) -> None:
    block = store.start_block(45)
    assert block.id is not None and store.open_block() is not None
    store.log_action("call", block_id=block.id)
    store.log_action("call", block_id=block.id, outcome="conversation")
    store.log_action("email", block_id=block.id, outcome="meeting")
    store.log_action("call")  # outside the block
    assert store.add_interruption(block.id) == 1
    store.clock = FixedClock(pendulum.instance(store.now()).add(minutes=38))
    summary = store.end_block(block.id)
    assert summary.ended and summary.planned_minutes == 45 and summary.minutes == 38
    assert summary.by_kind == {"call": 2, "email": 1}
    assert summary.by_outcome == {"no_response": 1, "conversation": 1, "meeting": 1}
    assert summary.interruptions == 1 and summary.actions == 3
    assert summary.today["call"].done == 3 and summary.today["call"].target == 20
    assert store.open_block() is None
    assert store.block_days(TODAY, TODAY) == {TODAY}


def test_starting_a_block_ends_one_left_open(store: Store) -> None:
    first = store.start_block(30)
    second = store.start_block(30)
    assert first.id != second.id
    open_now = store.open_block()
    assert open_now is not None and open_now.id == second.id


def test_a_block_left_open_ends_at_its_last_action(store: Store) -> None:
    start = pendulum.instance(store.now())
    abandoned = store.start_block(60)
    store.clock = FixedClock(start.add(minutes=12))
    store.log_action("call", block_id=abandoned.id)
    store.clock = FixedClock(start.add(hours=5))  # the app was closed mid-block
    store.start_block(60)
    assert store.block_summary(abandoned.id or 0).minutes == 12


def test_block_length_is_checked(store: Store) -> None:
    with pytest.raises(InvalidInput, match="1 to 600 minutes"):
        store.start_block(0)
    assert store.open_block() is None


def test_undo_restores_the_prospects_next_touch_and_stop(store: Store) -> None:
    anna = store.add_prospect("Anna de Vries", company="Bakker BV")
    assert anna.id is not None
    store.log_action(
        "call", prospect_id=anna.id, outcome="next_step", next_step_on=dt.date(2026, 11, 30)
    )
    later = store.log_action(
        "email", prospect_id=anna.id, outcome="next_step", next_step_on=dt.date(2026, 12, 7)
    )
    assert store.prospect(anna.id).next_touch_on == dt.date(2026, 12, 7)
    undone = store.delete_action(later.id or 0)
    assert undone.kind == "email"
    assert store.prospect(anna.id).next_touch_on == dt.date(2026, 11, 30)
    stop = store.log_action("call", prospect_id=anna.id, outcome="stop")
    assert store.prospect(anna.id).stopped
    store.delete_action(stop.id or 0)
    assert not store.prospect(anna.id).stopped
    with pytest.raises(NotFound, match="already be undone"):
        store.delete_action(stop.id or 0)


def test_a_note_can_be_added_to_the_last_action(store: Store) -> None:
    action = store.log_action("call")
    store.set_action_note(action.id or 0, "  asked to call back after lunch ")
    [latest] = store.recent_actions(1)
    assert latest.note == "asked to call back after lunch"


def test_prospect_summaries_count_touches(store: Store) -> None:
    anna = store.add_prospect("Anna de Vries", company="Bakker BV", est_value=12000)
    store.add_prospect("Piet Jansen", company="Jansen Logistiek")
    store.log_actions("call", at_local(2026, 11, 18), count=2, prospect_id=anna.id)
    store.log_action("email", prospect_id=anna.id)
    [summary] = store.prospects("bakker")
    assert (summary.name, summary.touch_count, summary.last_touch_on) == ("Anna de Vries", 3, TODAY)
    assert [p.name for p in store.prospects()] == ["Anna de Vries", "Piet Jansen"]
    assert [p.name for p in store.prospects("LOGIST")] == ["Piet Jansen"]
    assert [a.kind for a in store.prospect_history(anna.id or 0)] == ["email", "call", "call"]


def test_editing_a_prospect_keeps_names_unique(store: Store) -> None:
    anna = store.add_prospect("Anna de Vries")
    store.add_prospect("Piet Jansen")
    with pytest.raises(InvalidInput, match="already exists"):
        store.update_prospect(anna.id or 0, name="piet jansen")
    with pytest.raises(InvalidInput, match="unknown source"):
        store.update_prospect(anna.id or 0, source="cold-ish")
    edited = store.update_prospect(anna.id or 0, company=" Bakker BV ", est_value=9000.0)
    assert (edited.company, edited.est_value) == ("Bakker BV", 9000.0)


def test_followup_queue_most_overdue_first_then_value(store: Store) -> None:
    def prospect(
        name: str, due: dt.date | None, value: float | None = None, stopped: bool = False
    ) -> None:
        row = store.add_prospect(name, est_value=value)
        store.update_prospect(row.id or 0, next_touch_on=due, stopped=stopped)

    prospect("Due today small", TODAY, 1000)
    prospect("Due today big", TODAY, 50000)
    prospect("Three days late", TODAY - dt.timedelta(days=3))
    prospect("Tomorrow", TODAY + dt.timedelta(days=1))
    prospect("Stopped", TODAY - dt.timedelta(days=9), stopped=True)
    prospect("New, never touched", None)
    queue = store.followup_queue(TODAY)
    assert [p.name for p in queue] == [
        "Three days late",
        "Due today big",
        "Due today small",
        "New, never touched",  # the cadence's first touch is due the day it is added
    ]
    assert queue[0].days_overdue(TODAY) == 3
    touch = store.log_action("call", prospect_id=queue[0].id, outcome="conversation")
    assert "Three days late" not in [p.name for p in store.followup_queue(TODAY)]
    store.delete_action(touch.id or 0)
    assert store.followup_queue(TODAY)[0].name == "Three days late"


def test_daily_attainment_covers_working_days_and_marks_days_off(store: Store) -> None:
    store.log_actions("call", at_local(2026, 11, 16), count=20)  # Mon: tracking begins
    store.log_actions("call", at_local(2026, 11, 17), count=10)
    store.add_days_off(dt.date(2026, 11, 19), reason="sick")
    days = store.daily_attainment(TODAY, working_days=30)
    assert [d.day.day for d in days] == [16, 17, 18, 19, 20]
    assert [d.done for d in days] == [20, 10, 0, 0, 0]
    assert days[0].target == 36 and days[3].target == 0 and days[3].day_off == "sick"
    assert store.remove_day_off(dt.date(2026, 11, 19))
    assert store.daily_attainment(TODAY)[3].day_off is None


def test_refusals_name_the_field_they_are_about(store: Store) -> None:
    with pytest.raises(InvalidInput) as err:
        store.add_prospect("Anna", est_value=-5)
    assert err.value.field == "est_value"
    store.add_prospect("Anna")
    with pytest.raises(InvalidInput) as err:
        store.add_prospect("anna")
    assert err.value.field == "name"
    with pytest.raises(InvalidInput) as err:
        store.set_setting("timezone", "Mars/Base")
    assert err.value.field == "timezone" and "unknown time zone" in str(err.value)


def test_names_match_in_any_case_unicode_spelling_and_spacing(store: Store) -> None:
    import unicodedata

    ozil = store.add_prospect("  ÖZIL \t GMBH ", company="Özil Stahl")
    assert ozil.name == "ÖZIL GMBH" and ozil.name_key == "özil gmbh"
    for spelling in ("Özil GmbH", "özil gmbh", unicodedata.normalize("NFD", "Özil GmbH")):
        found = store.find_prospect(spelling)
        assert found is not None and found.id == ozil.id
    with pytest.raises(InvalidInput, match="a prospect named 'ÖZIL GMBH' already exists"):
        store.add_prospect("Özil  GmbH")
    cafe = store.add_prospect(unicodedata.normalize("NFD", "Café Noir"))
    assert cafe.name == unicodedata.normalize("NFC", "Café Noir")  # saved composed
    with pytest.raises(InvalidInput, match="already exists"):
        store.update_prospect(cafe.id or 0, name="özil gmbh")
    renamed = store.update_prospect(cafe.id or 0, name="CAFÉ NOIR")  # its own key: allowed
    assert renamed.name == "CAFÉ NOIR"
    assert store.find_prospect("café noir") is not None
    assert [p.name for p in store.prospects("özil")] == ["ÖZIL GMBH"]
    assert [p.name for p in store.prospects("STAHL")] == ["ÖZIL GMBH"]
    assert [p.name for p in store.prospects("É")] == ["CAFÉ NOIR"]
    assert [p.name for p in store.prospects("50%")] == []  # no SQL wildcards
    assert [p.name for p in store.prospects()] == ["CAFÉ NOIR", "ÖZIL GMBH"]


def test_logging_with_a_new_name_adds_the_prospect_with_the_touch(store: Store) -> None:
    logged = store.log_for("Anna de Vries", "call", count=2, outcome="conversation")
    assert logged.created and logged.prospect is not None
    assert {a.prospect_id for a in logged.actions} == {logged.prospect.id}
    again = store.log_for("ANNA DE VRIES", "email")
    assert not again.created and again.prospect is not None
    assert again.prospect.id == logged.prospect.id
    win, prospect, created = store.win_for("anna  de vries", "5000")
    assert not created and prospect is not None and win.prospect_id == prospect.id


@pytest.mark.parametrize(
    "fields",
    [
        {"count": 5000},
        {"minutes": 5000},
        {"outcome": "maybe"},
        {"outcome": "next_step"},  # without the date of the next step
        {"kind": "fax"},
    ],
)
def test_a_refused_log_adds_no_prospect(store: Store, fields: dict[str, object]) -> None:
    kind = str(fields.pop("kind", "call"))
    with pytest.raises(InvalidInput):
        store.log_for("Partial Guy", kind, **fields)  # type: ignore[arg-type]
    assert store.prospects() == [] and store.action_count() == 0


def test_a_refused_win_adds_no_prospect(store: Store) -> None:
    with pytest.raises(InvalidInput):
        store.win_for("Partial Guy", "-5")
    with pytest.raises(InvalidInput, match="a prospect needs a name"):
        store.win_for("  \n ", "5")
    assert store.prospects() == [] and store.wins() == []


def test_a_search_matching_more_names_than_sql_takes_at_once(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prospector.store import prospects

    monkeypatch.setattr(prospects, "MAX_LISTED_IDS", 2)
    for name in ("Éva Kiss", "Eve Stone", "Ève Roux", "Adam Ray"):
        store.add_prospect(name)
    roux = store.find_prospect("ève roux")
    assert roux is not None
    store.update_prospect(roux.id or 0, stopped=True)
    assert [p.name for p in store.prospects("ev")] == ["Eve Stone"]
    assert [p.name for p in store.prospects("v")] == ["Eve Stone", "Ève Roux", "Éva Kiss"]
    assert [p.name for p in store.prospects("v", include_stopped=False)] == [
        "Eve Stone",
        "Éva Kiss",
    ]


def test_a_bulk_history_naming_a_prospect_already_held_writes_nothing(store: Store) -> None:
    store.add_prospect("Özil GmbH")
    row = {"name": "ÖZIL GMBH", "created_at": store.now()}
    with pytest.raises(InvalidInput, match="a prospect named 'Özil GmbH' already exists"):
        store.insert_history_bulk(
            prospects=[{"name": "New One", "created_at": store.now()}, row],
            actions=[{"at": store.now(), "tz": "UTC", "local_date": TODAY, "kind": "call",
                      "outcome": "no_response", "prospect_ref": 0, "note": "", "uid": "x" * 32}],
        )  # fmt: skip
    assert [p.name for p in store.prospects()] == ["Özil GmbH"]
    assert store.action_count() == 0
