"""Wins: the closed deals the revenue projection is judged against."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from sqlmodel import col, select

from prospector.clock import FIRST_DAY, LAST_DAY, check_instant, local_date
from prospector.errors import InvalidInput, NotFound
from prospector.models import Prospect, Win, read_utc_text
from prospector.store.base import StoreBase, _in_range, _utc
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
        check_instant(instant, current.timezone, "time of the win")
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

    def wins(self, start: dt.date | None = None, end: dt.date | None = None) -> list[Win]:
        """The wins the figures count, oldest first: those on a day in the supported
        range (``win_records`` lists every one, to find and delete a wrong one); from
        ``start`` to ``end`` when given, read along the index on the day."""
        day = col(Win.local_date)
        stmt = select(Win).where(_in_range(day))
        if start is not None:
            stmt = stmt.where(day >= start)
        if end is not None:
            stmt = stmt.where(day <= end)
        with self._session() as s:
            return list(s.exec(stmt.order_by(col(Win.at))))

    def won_by_day(self, start: dt.date, end: dt.date) -> list[tuple[dt.date, float]]:
        """(day, amount) of each win from ``start`` to ``end``, as ``wins`` counts them:
        what the calibration reads, without loading every win of the history."""
        day = col(Win.local_date)
        stmt = (
            sa.select(day, col(Win.amount_cents))
            .where(_in_range(day), day >= start, day <= end)
            .order_by(col(Win.at))
        )
        with self._session() as s:
            return [(on, cents / 100) for on, cents in s.execute(stmt)]

    def win_records(self) -> list[WinRecord]:
        """Every win with its prospect's name, oldest first, including any whose date lies
        outside the supported range or cannot be read, so that a wrong one can be found
        and deleted. Read as text, so no stored value can make the list fail."""
        stmt = (
            sa.select(
                col(Win.id),
                sa.cast(col(Win.local_date), sa.String),
                sa.cast(col(Win.at), sa.String),
                col(Win.tz),
                col(Win.amount_cents),
                col(Win.currency),
                col(Win.prospect_id),
                col(Prospect.name),
            )
            .select_from(Win)
            .join(Prospect, col(Prospect.id) == col(Win.prospect_id), isouter=True)
            .order_by(sa.cast(col(Win.local_date), sa.String), col(Win.id))
        )
        with self._session() as s:
            rows = list(s.execute(stmt))
        return [
            WinRecord(
                id=int(win_id),
                local_date=_day_or_none(day_text),
                day_text=str(day_text),
                at=read_utc_text(at_text) if isinstance(at_text, str) else None,
                tz=str(tz),
                amount_cents=int(cents) if isinstance(cents, int) else 0,
                currency=str(currency),
                prospect_id=prospect_id,
                prospect=name or "",
            )
            for win_id, day_text, at_text, tz, cents, currency, prospect_id, name in rows
        ]

    def delete_win(self, win_id: int) -> WinRecord:
        """Delete a wrongly recorded win; returns what was deleted."""
        found = next((w for w in self.win_records() if w.id == win_id), None)
        if found is None:
            raise NotFound(f"no win with id {win_id}; 'prospector win list' shows the ids")
        with self._writing() as s:
            s.execute(sa.delete(Win).where(col(Win.id) == win_id))
            s.commit()
        return found


@dataclass(frozen=True)
class WinRecord:
    """One stored win as the rep sees it in a list: every value as it is on file."""

    id: int
    local_date: dt.date | None
    """The day it was won, or None when the stored day is not a real calendar day."""
    day_text: str
    """The stored day as text, to show when it is not a readable day in range."""
    at: dt.datetime | None
    tz: str
    amount_cents: int
    currency: str
    prospect_id: int | None
    prospect: str

    @property
    def amount(self) -> float:
        return self.amount_cents / 100

    @property
    def shown_day(self) -> str:
        """``Tue 01 Dec 2026``, or the stored text when it is no day. The year is written
        with four digits by hand: ``%Y`` gives ``26`` for the year 26."""
        day = self.local_date
        return f"{day:%a %d %b} {day.year:04d}" if day is not None else repr(self.day_text)

    @property
    def shown_amount(self) -> str:
        """``EUR 2,500.50``, ``EUR 100``."""
        return f"{self.currency} {self.amount:,.2f}".removesuffix(".00")

    def describe(self) -> str:
        """``EUR 100 with Anna on Tue 01 Dec 2026``: what a confirmation names."""
        who = f" with {self.prospect}" if self.prospect else ""
        return f"{self.shown_amount}{who} on {self.shown_day}"

    @property
    def in_range(self) -> bool:
        """Whether the figures count it: its day is a real day in the supported range."""
        return self.local_date is not None and FIRST_DAY <= self.local_date <= LAST_DAY


def _day_or_none(text: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text)) if len(str(text)) == 10 else None
    except ValueError:
        return None


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
