"""Instants, zones and local days: naive datetimes are refused, days are local."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from prospector.clock import FIRST_DAY, LAST_DAY, local_date, parse_date, parse_when
from prospector.errors import InvalidInput, NaiveDatetimeError
from prospector.models import Action
from prospector.store import Store

NOW = pendulum.datetime(2026, 11, 23, 9, 0, tz="UTC")


def test_the_store_refuses_a_naive_datetime(store: Store) -> None:
    with pytest.raises(NaiveDatetimeError, match="no time zone"):
        store.log_actions("call", dt.datetime(2026, 11, 23, 10, 0))
    assert store.action_count() == 0


def test_the_column_type_refuses_a_naive_datetime(store: Store) -> None:
    row = {
        "uid": "x" * 32,
        "at": dt.datetime(2026, 11, 23, 10),
        "tz": "UTC",
        "local_date": dt.date(2026, 11, 23),
        "kind": "call",
        "outcome": "no_response",
        "note": "",
    }
    with pytest.raises(Exception, match="no time zone"):
        store.insert_actions_bulk([row])
    assert store.action_count() == 0


def test_instants_come_back_in_utc(store: Store) -> None:
    at = pendulum.datetime(2026, 11, 20, 9, 15, tz="Europe/Amsterdam")
    [row] = store.log_actions("call", at)
    assert row.at == at and row.at.utcoffset() == dt.timedelta(0)


@pytest.mark.parametrize(
    ("zone", "local", "day"),
    [
        # DST ends in Amsterdam at 03:00 on Sunday 25 October 2026.
        ("Europe/Amsterdam", "2026-10-24T23:30", dt.date(2026, 10, 24)),
        ("Europe/Amsterdam", "2026-10-25T23:30", dt.date(2026, 10, 25)),
        # 21:30 in New York is already the next day in UTC.
        ("America/New_York", "2026-11-20T21:30", dt.date(2026, 11, 20)),
    ],
)
def test_actions_land_on_their_local_day(store: Store, zone: str, local: str, day: dt.date) -> None:
    store.set_setting("timezone", zone)
    at = parse_when(local, zone, NOW)
    [row] = store.log_actions("call", at)
    assert row.local_date == day
    assert row.tz == zone
    assert store.day_counts(day, day) == {day: {"call": 1}}


def test_night_dst_ends_offsets() -> None:
    before = parse_when("2026-10-24T23:30", "Europe/Amsterdam", NOW)
    after = parse_when("2026-10-25T23:30", "Europe/Amsterdam", NOW)
    assert before.isoformat() == "2026-10-24T21:30:00+00:00"
    assert after.isoformat() == "2026-10-25T22:30:00+00:00"


def test_a_past_action_keeps_its_day_when_the_rep_moves_zone(store: Store) -> None:
    store.set_setting("timezone", "America/New_York")
    store.log_actions("call", parse_when("2026-11-20T21:30", "America/New_York", NOW))
    store.set_setting("timezone", "Europe/Amsterdam")
    assert store.day_counts() == {dt.date(2026, 11, 20): {"call": 1}}


def test_parse_when_forms() -> None:
    assert parse_when("2026-11-20", "Europe/Amsterdam", NOW).isoformat() == (
        "2026-11-20T11:00:00+00:00"
    )
    assert parse_when("2026-11-20T08:00Z", "Europe/Amsterdam", NOW).hour == 8
    assert parse_when("2026-11-20 08:00+01:00", "UTC", NOW).hour == 7
    assert parse_when("yesterday", "UTC", NOW) == NOW.subtract(days=1)


@pytest.mark.parametrize("bad", ["2026-13-01", "23/11/2026", "next week", "2026-02-30"])
def test_parse_when_rejects_nonsense(bad: str) -> None:
    with pytest.raises(InvalidInput, match="bad"):
        parse_when(bad, "UTC", NOW)


@given(st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2090, 1, 1)))
def test_parse_when_round_trips_any_local_minute(moment: dt.datetime) -> None:
    moment = moment.replace(second=0, microsecond=0)
    zone = "America/New_York"
    instant = parse_when(moment.strftime("%Y-%m-%dT%H:%M"), zone, NOW)
    local = instant.in_timezone(zone)
    # Inside a spring-forward gap the clock moves on; otherwise it is the same wall time.
    assert local.naive() >= moment
    assert local.naive() - moment <= dt.timedelta(hours=1)
    assert local_date(instant, zone) in (moment.date(), moment.date() + dt.timedelta(days=1))


@given(st.dates(min_value=FIRST_DAY, max_value=LAST_DAY))
def test_parse_date_round_trips(day: dt.date) -> None:
    assert parse_date(day.isoformat()) == day


@given(st.dates().filter(lambda d: not FIRST_DAY <= d <= LAST_DAY))
def test_a_date_outside_the_supported_range_is_refused_naming_the_range(day: dt.date) -> None:
    with pytest.raises(InvalidInput, match="1970-01-01 to 2199-12-31"):
        parse_date(day.isoformat())


def test_action_table_has_local_date_index() -> None:
    names = {ix.name for ix in Action.__table__.indexes}  # type: ignore[attr-defined]
    assert "ix_action_day_kind" in names
