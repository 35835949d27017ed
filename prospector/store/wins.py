"""Wins: the closed deals the revenue projection is judged against."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from sqlmodel import col, select

from prospector.clock import local_date
from prospector.errors import InvalidInput
from prospector.models import Prospect, Win
from prospector.store.base import (
    StoreBase,
    _utc,
)
from prospector.store.prospects import checked_name, prospect_in


class WinsMixin(StoreBase):
    """Closed deals."""

    def add_win(
        self,
        amount: str | Decimal,
        prospect_id: int | None,
        at: dt.datetime | None = None,
    ) -> Win:
        return self.win_for(None, amount, at, prospect_id=prospect_id)[0]

    def win_for(
        self,
        prospect: str | None,
        amount: str | Decimal,
        at: dt.datetime | None = None,
        *,
        prospect_id: int | None = None,
    ) -> tuple[Win, Prospect | None, bool]:
        """Save a win with the prospect named ``prospect`` (found by its name key, or
        added); the win, its prospect, and whether the prospect was added. The amount
        and name are checked first, and the prospect is added in the win's own write
        transaction, so a refused win adds no prospect."""
        cents = parse_amount(amount)
        name = checked_name(prospect) if prospect is not None else None
        instant = _utc(at) if at is not None else self.now()
        current = self.settings()
        now = self.now()
        row = Win(
            amount_cents=cents,
            currency=current.currency,
            at=instant,
            tz=current.timezone,
            local_date=local_date(instant, current.timezone),
            prospect_id=prospect_id,
        )
        found: Prospect | None = None
        created = False
        with self._writing() as s:
            if name is not None:
                found, created = prospect_in(s, name, now)
                row.prospect_id = found.id
            s.add(row)
            s.commit()
            s.refresh(row)
        return row, found, created

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
