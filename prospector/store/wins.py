"""Wins: the closed deals the revenue projection is judged against."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from sqlmodel import col, select

from prospector.clock import check_instant, local_date
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
        check_instant(instant, current.timezone, "time of the win")
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


_AMOUNT_RE = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")


def parse_amount(raw: str | Decimal) -> int:
    """An amount of money as whole cents; refuses anything but a positive number.

    Typed in ASCII digits with an optional point: ``Decimal`` alone would also take
    ``1_000``, ``1e3``, ``+5`` and Arabic-Indic digits."""
    text = str(raw).strip()
    if text.startswith("-") and _AMOUNT_RE.fullmatch(text[1:]):
        raise InvalidInput(f"amount must be a positive number, got {raw!r}")
    if not _AMOUNT_RE.fullmatch(text):
        raise InvalidInput(
            f"amount must be a number in digits 0-9 such as 12500 or 12500.50, got {raw!r}"
        )
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        raise InvalidInput(f"amount must be a number such as 12500, got {raw!r}") from None
    if not value.is_finite() or value <= 0:
        raise InvalidInput(f"amount must be a positive number, got {raw!r}")
    if value > Decimal("1e12"):
        raise InvalidInput(f"amount {raw} is implausibly large")
    cents = value * 100
    if cents != cents.to_integral_value():
        raise InvalidInput(f"amount {raw} has more than two decimals")
    return int(cents)
