"""Time: the clock as a dependency, time zones, and parsing what a rep types as "when".

Every action is stored as a UTC instant plus the IANA zone it was logged in, and belongs
to the local calendar day of that zone. Core functions take ``today``/``now`` from a
``Clock`` instead of reading the system time, so tests and snapshots are deterministic.

pendulum is imported inside the functions that use it: the app's first frame needs
none of it, and importing it costs a tenth of that frame.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import TYPE_CHECKING, Protocol

from prospector.errors import InvalidInput, NaiveDatetimeError

if TYPE_CHECKING:
    import pendulum


class Clock(Protocol):
    def now(self) -> pendulum.DateTime:
        """The current instant, time-zone aware."""
        ...


class SystemClock:
    def now(self) -> pendulum.DateTime:
        import pendulum

        return pendulum.now("UTC")


class FixedClock:
    """A clock stopped at one instant (tests, snapshots, ``--as-of``)."""

    def __init__(self, instant: dt.datetime) -> None:
        import pendulum

        self.instant = pendulum.instance(require_aware(instant)).in_timezone("UTC")

    def now(self) -> pendulum.DateTime:
        return self.instant


TEST_CLOCK_ENV = "PROSPECTOR_TEST_NOW"
"""Set by the test suite to an ISO instant: every process it starts, children included,
then runs on the test's clock instead of the real one. Nothing else sets it."""


def default_clock() -> Clock:
    """The real clock, or the test suite's stopped clock when it handed one down."""
    frozen = os.environ.get(TEST_CLOCK_ENV)
    if frozen:
        return FixedClock(dt.datetime.fromisoformat(frozen))
    return SystemClock()


def require_aware(value: dt.datetime) -> dt.datetime:
    """Refuse a naive datetime: without a zone its instant, and so its day, is a guess."""
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise NaiveDatetimeError(
            f"datetime {value.isoformat()} has no time zone; give an offset or a zone"
        )
    return value


def check_timezone(name: str) -> str:
    """Return ``name`` if it is a known IANA zone, else explain how to find one."""
    import pendulum

    try:
        pendulum.timezone(name)
    except Exception:
        raise InvalidInput(
            f"unknown time zone {name!r}; use an IANA name such as Europe/Amsterdam, "
            "America/New_York or UTC"
        ) from None
    if name.lower() == "local":
        raise InvalidInput("time zone must be an IANA name such as Europe/Amsterdam, not 'local'")
    return name


def system_timezone() -> str:
    """The machine's IANA zone, or UTC when it cannot be told."""
    import pendulum

    try:
        name = pendulum.local_timezone().name  # type: ignore[operator]
    except Exception:
        return "UTC"
    try:
        return check_timezone(name)
    except InvalidInput:
        return "UTC"


def local_date(instant: dt.datetime, tz: str) -> dt.date:
    """The calendar day ``instant`` falls on in zone ``tz``."""
    import pendulum

    local = pendulum.instance(require_aware(instant)).in_timezone(tz)
    # A plain date: pendulum's Date subclass makes day arithmetic several times slower.
    return dt.date(local.year, local.month, local.day)


_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(text: str, today: dt.date | None = None) -> dt.date:
    """A calendar date: ``YYYY-MM-DD``, ``today`` or ``yesterday``."""
    word = text.strip().lower()
    if today is not None and word in ("today", "yesterday", "tomorrow"):
        shift = {"today": 0, "yesterday": -1, "tomorrow": 1}[word]
        return today + dt.timedelta(days=shift)
    if not _DATE_RE.match(word):
        raise InvalidInput(f"bad date {text!r}; write it as YYYY-MM-DD, e.g. 2026-11-23")
    try:
        day = dt.date.fromisoformat(word)
    except ValueError:
        raise InvalidInput(f"bad date {text!r}: no such day in the calendar") from None
    return check_day(day)


def parse_when(text: str, tz: str, now: dt.datetime) -> pendulum.DateTime:
    """Read a rep's ``--at``: a date (noon that day), or an ISO datetime.

    A datetime without an offset is read in the rep's zone ``tz``; one with an offset
    (or ``Z``) is that instant. ``today``/``yesterday`` keep the current time of day.
    Returns an aware instant in UTC.
    """
    import pendulum

    word = text.strip()
    local_now = pendulum.instance(require_aware(now)).in_timezone(tz)
    if word.lower() in ("now", ""):
        return local_now.in_timezone("UTC")
    if word.lower() in ("today", "yesterday"):
        days = 0 if word.lower() == "today" else 1
        return local_now.subtract(days=days).in_timezone("UTC")
    if _DATE_RE.match(word):
        day = parse_date(word)
        return pendulum.datetime(day.year, day.month, day.day, 12, tz=tz).in_timezone("UTC")
    try:
        parsed = dt.datetime.fromisoformat(word.replace(" ", "T", 1) if " " in word else word)
    except ValueError:
        raise InvalidInput(
            f"bad time {text!r}; write a date (2026-11-23) or a date and time "
            "(2026-11-23T14:30, optionally with an offset such as +01:00)"
        ) from None
    if parsed.tzinfo is None:
        local = pendulum.datetime(
            parsed.year,
            parsed.month,
            parsed.day,
            parsed.hour,
            parsed.minute,
            parsed.second,
            parsed.microsecond,
            tz=tz,
        )
        return local.in_timezone("UTC")
    return pendulum.instance(parsed).in_timezone("UTC")


FIRST_DAY = dt.date(1970, 1, 1)
LAST_DAY = dt.date(2199, 12, 31)
DATE_RANGE = "1970-01-01 to 2199-12-31"
"""Every date a rep can type or import lies in this range, and every stored instant too
(in UTC and in its own zone). Outside it Python's dates run out (year 9999 plus an
offset), text sorts wrong (year 26 is not four digits) and no sales history lives."""


def check_day(day: dt.date, what: str = "date") -> dt.date:
    """Return ``day`` if it lies in the supported range, else say the range."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidInput(
            f"{what} {day.isoformat()} is out of range; use a date from {DATE_RANGE}"
        )
    return day


def check_instant(instant: dt.datetime, tz: str = "UTC", what: str = "time") -> dt.datetime:
    """Return ``instant`` if its UTC day and its local day in ``tz`` both lie in the range.

    Computed with the standard library first, so that an instant at the very edge of
    Python's calendar (year 1 or 9999 with an offset) is refused instead of overflowing.
    """
    aware = require_aware(instant)
    try:
        utc = aware.astimezone(dt.UTC)
    except OverflowError:
        raise InvalidInput(
            f"{what} {aware.isoformat()} is out of range; use a date from {DATE_RANGE}"
        ) from None
    if not FIRST_DAY <= utc.date() <= LAST_DAY:
        raise InvalidInput(
            f"{what} {aware.isoformat()} is out of range; use a date from {DATE_RANGE}"
        )
    check_day(local_date(utc, tz), what)
    return instant


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def local_instant(wall: dt.datetime, tz: str) -> dt.datetime:
    """The UTC instant of the wall-clock time ``wall`` (naive) in zone ``tz``.

    The one rule for a local time that a change of the clocks makes ambiguous, shared by
    ``log --at`` (``parse_when``, through pendulum) and every imported row, so the same
    text always lands on the same instant: a time that occurs twice (the clocks go
    back) is its second occurrence, after the change; a time that never occurs (the
    clocks go forward) moves forward by the size of the jump (02:30 becomes 03:30).
    Worked out with the standard library, as an import calls it once a row.
    """
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(tz)
    first = wall.replace(tzinfo=zone, fold=0)
    second = wall.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first.astimezone(dt.UTC)
    back = first.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
    # The time exists (it comes back round): twice, so the second. Else a gap: read with
    # the offset in force before the jump, which is the same as moving forward by it.
    return (second if back == wall else first).astimezone(dt.UTC)
