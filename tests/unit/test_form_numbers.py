"""Numbers typed in the app's forms: ASCII digits in range, or a message naming why.

``int()`` and ``Decimal()`` accept more than a rep means: ``1_000``, ``+5``, ``٥``,
``1e5``, ``NaN``, ``Infinity``. A value that gets through either is stored silently wrong
or breaks a figure later.
"""

from __future__ import annotations

import math

import pytest

from prospector.errors import InvalidInput
from prospector.store import Store
from screens.prospects import parse_value


@pytest.mark.parametrize("typed", ["٥", "1e5", "NaN", "Infinity", "+5", "-3", "1,5", "5."])
def test_a_deal_value_takes_ascii_digits_and_a_decimal_point_only(typed: str) -> None:
    with pytest.raises(InvalidInput):
        parse_value(typed)


@pytest.mark.parametrize(
    ("typed", "value"), [("15000", 15000.0), ("€ 15 000.50", 15000.5), ("", None), ("0", 0.0)]
)
def test_a_deal_value_as_a_rep_writes_it(typed: str, value: float | None) -> None:
    assert parse_value(typed) == value


def test_a_deal_value_of_a_trillion_or_more_is_refused() -> None:
    with pytest.raises(InvalidInput, match="below 1,000,000,000,000"):
        parse_value("1000000000000")
    assert parse_value("999999999999.99") == pytest.approx(999999999999.99)


@pytest.mark.parametrize("value", [math.nan, math.inf, -1.0, 1e12])
def test_the_store_refuses_a_deal_value_out_of_bounds_on_add_and_on_update(
    store: Store, value: float
) -> None:
    with pytest.raises(InvalidInput, match="estimated deal value"):
        store.add_prospect("Anna", est_value=value)
    anna = store.add_prospect("Anna", est_value=100.0)
    assert anna.id is not None
    with pytest.raises(InvalidInput, match="estimated deal value"):
        store.update_prospect(anna.id, est_value=value)
    assert store.prospect(anna.id).est_value == 100.0
