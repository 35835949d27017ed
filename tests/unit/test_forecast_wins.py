"""The forecast reads only the wins its calibration counts, and counts the same."""

from __future__ import annotations

import datetime as dt

from conftest import NOW
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prospector.projection import CALIBRATION_DAYS
from prospector.store import Store


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    offsets=st.lists(st.integers(-2 * CALIBRATION_DAYS, 40), min_size=0, max_size=12),
    back=st.integers(0, 60),
)
def test_the_calibration_counts_the_wins_of_its_period_only(
    store: Store, offsets: list[int], back: int
) -> None:
    with store.writer.begin() as con:
        con.exec_driver_sql("DELETE FROM win")
    for n, offset in enumerate(offsets):
        store.win_for(f"Client {n}", f"{1000 + n}.50", NOW.add(days=offset, minutes=n))
    as_of = NOW.date() - dt.timedelta(days=back)
    start = as_of - dt.timedelta(days=CALIBRATION_DAYS - 1)
    counted = [w.amount_cents / 100 for w in store.wins() if start <= w.local_date <= as_of]
    calibration = store.forecast(as_of).calibration
    assert calibration.wins == len(counted)
    assert round(calibration.won, 2) == round(sum(counted), 2)
