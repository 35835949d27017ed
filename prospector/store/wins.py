"""Wins: the closed deals the revenue projection is judged against."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from sqlmodel import col, select

from prospector.clock import local_date
from prospector.errors import InvalidInput
from prospector.models import Win
from prospector.store.base import (
    StoreBase,
    _utc,
)


class WinsMixin(StoreBase):
    """Closed deals."""

    def add_win(
        self,
        amount: str | Decimal,
        prospect_id: int | None,
        at: dt.datetime | None = None,
    ) -> Win:
        cents = parse_amount(amount)
        instant = _utc(at) if at is not None else self.now()
        current = self.settings()
        row = Win(
            amount_cents=cents,
            currency=current.currency,
            at=instant,
            tz=current.timezone,
            local_date=local_date(instant, current.timezone),
            prospect_id=prospect_id,
        )
        with self._writing() as s:
            s.add(row)
            s.commit()
            s.refresh(row)
        return row

    def wins(self) -> list[Win]:
        with self._session() as s:
            return list(s.exec(select(Win).order_by(col(Win.at))))


def parse_amount(raw: str | Decimal) -> int:
    """An amount of money as whole cents; refuses anything but a positive number."""
    try:
        value = Decimal(str(raw).strip().replace("_", ""))
    except InvalidOperation:
        raise InvalidInput(
            f"amount must be a number such as 12500 or 12500.50, got {raw!r}"
        ) from None
    if not value.is_finite() or value <= 0:
        raise InvalidInput(f"amount must be a positive number, got {raw!r}")
    if value > Decimal("1e12"):
        raise InvalidInput(f"amount {raw} is implausibly large")
    cents = value * 100
    if cents != cents.to_integral_value():
        raise InvalidInput(f"amount {raw} has more than two decimals")
    return int(cents)
