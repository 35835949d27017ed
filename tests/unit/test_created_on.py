"""A prospect's creation day, read straight from the stored text, is the day the rest of
the app gives the same instant (``clock.local_date``, through pendulum), in every zone."""

from __future__ import annotations

import datetime as dt

import pendulum
from hypothesis import given, settings
from hypothesis import strategies as st

from prospector.clock import _iana_zones, local_date
from prospector.models import FIRST_INSTANT, LAST_INSTANT, utc_text
from prospector.store.summaries import FollowUpPlan
from prospector.targets import WorkCalendar

ZONES = sorted(_iana_zones())


def plan(zone: str) -> FollowUpPlan:
    calendar = WorkCalendar(frozenset(range(1, 6)), {})
    return FollowUpPlan((), calendar, dt.date(2026, 11, 23), zone, 30)  # type: ignore[arg-type]


@settings(max_examples=300)
@given(
    seconds=st.integers(0, 2_140_000_000),
    micros=st.integers(0, 999_999),
    zone=st.sampled_from(ZONES),
)
def test_the_creation_day_is_the_apps_day_of_that_instant(
    seconds: int, micros: int, zone: str
) -> None:
    instant = pendulum.from_timestamp(seconds).add(microseconds=micros)
    assert plan(zone).created_on(utc_text(instant)) == local_date(instant, zone)


def test_an_odd_stored_creation_reads_as_the_instant_the_column_gives() -> None:
    amsterdam = plan("Europe/Amsterdam")
    first = local_date(FIRST_INSTANT, "Europe/Amsterdam")
    assert amsterdam.created_on("not a time") == first
    assert amsterdam.created_on(None) == first
    assert amsterdam.created_on(20261123) == first
    assert amsterdam.created_on("0026-12-01T10:00:00.000000Z") == first
    assert amsterdam.created_on("2300-01-01T00:00:00.000000Z") == local_date(
        LAST_INSTANT, "Europe/Amsterdam"
    )
    assert amsterdam.created_on("2026-11-22T23:30:00.000000Z") == dt.date(2026, 11, 23)
