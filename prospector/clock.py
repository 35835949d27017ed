"""Time: the clock as a dependency, time zones, and parsing what a rep types as "when".

Every action is stored as a UTC instant plus the IANA zone it was logged in, and belongs
to the local calendar day of that zone. Core functions take ``today``/``now`` from a
``Clock`` instead of reading the system time, so tests and snapshots are deterministic.

pendulum is imported inside the functions that use it: the app's first frame needs
none of it, and importing it costs a tenth of that frame.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from typing import TYPE_CHECKING, Protocol, TypeVar

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


@functools.cache
def _iana_zones() -> frozenset[str]:
    """The zone names of the IANA database as shipped in the ``tzdata`` package.

    Read from that package's list, not from the system's zone folder: the folder also
    holds ``localtime``, ``posixrules``, ``right/...`` and ``posix/...`` files, which load
    but are not zone names, and what they mean differs from machine to machine.
    """
    from importlib import resources

    try:
        text = resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError):  # no tzdata package: trust the system's list
        import zoneinfo

        return frozenset(zoneinfo.available_timezones()) - _NOT_ZONES
    return frozenset(text.split()) - _NOT_ZONES


_NOT_ZONES = frozenset({"Factory", "localtime", "posixrules"})
"""In the IANA files, but placeholders rather than places: a rep cannot work in them."""


def is_iana_zone(name: str) -> bool:
    """Whether ``name`` is an IANA time zone name (``Europe/Amsterdam``, ``UTC``), spelt
    exactly. The one rule for settings, forms and imports alike."""
    return name in _iana_zones()


def readable_zone(name: str) -> str:
    """``name`` when it is an IANA zone, else ``UTC``: for showing a stored row whose zone
    no entry point would accept today (``db check`` names it), rather than failing."""
    return name if is_iana_zone(name) else "UTC"


def check_timezone(name: str) -> str:
    """Return ``name`` if it is an IANA zone name, else explain how to find one."""
    if is_iana_zone(name):
        return name
    spelt = [zone for zone in _iana_zones() if zone.lower() == name.strip().lower()]
    hint = (
        f"did you mean {spelt[0]}?"
        if spelt
        else ("use an IANA name such as Europe/Amsterdam, America/New_York or UTC")
    )
    raise InvalidInput(f"unknown time zone {name!r}; {hint}")


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


@functools.lru_cache(maxsize=512)
def zone(name: str) -> pendulum.Timezone:
    """The zone called ``name``, read from the zone database once per process: pendulum
    reads the file again for every conversion by name, which made a list of 20,000
    prospects spend most of its time re-reading one file. An unknown name raises
    pendulum's ``InvalidTimezone``, as a conversion by name does."""
    import pendulum

    return pendulum.timezone(name)  # type: ignore[return-value]


def local_date(instant: dt.datetime, tz: str) -> dt.date:
    """The calendar day ``instant`` falls on in zone ``tz``."""
    local = require_aware(instant).astimezone(zone(tz))
    # A plain date: pendulum's Date subclass makes day arithmetic several times slower.
    return dt.date(local.year, local.month, local.day)


_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WHEN_RE = re.compile(
    r"(?P<day>[0-9]{4}-[0-9]{2}-[0-9]{2})"
    r"(?:[T ](?P<time>[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?)"
    r"(?P<offset>Z|[+-][0-9]{2}:[0-9]{2})?)?"
)
"""The forms of a time a rep may type, and no others: Python's ``fromisoformat`` also
reads week dates (``2026-W47``), ordinal dates and digits of other scripts, which
nobody means when they type a time. ``[0-9]``, not ``\\d``: ``\\d`` matches ``٥``."""
WHEN_FORMS = (
    "a date (2026-11-23), a date and time (2026-11-23T14:30 or 2026-11-23 14:30, "
    "optionally with seconds and an offset such as Z or +01:00), now, today or yesterday"
)


def parse_date(text: str, today: dt.date | None = None, what: str = "date") -> dt.date:
    """A calendar date: ``YYYY-MM-DD``, ``today`` or ``yesterday`` (and ``tomorrow``),
    in the supported range."""
    word = text.strip().lower()
    if today is not None and word in ("today", "yesterday", "tomorrow"):
        shift = {"today": 0, "yesterday": -1, "tomorrow": 1}[word]
        return check_day(today + dt.timedelta(days=shift), what)
    if not _DATE_RE.fullmatch(word):
        raise InvalidInput(f"bad {what} {text!r}; write it as YYYY-MM-DD, e.g. 2026-11-23")
    try:
        day = dt.date.fromisoformat(word)
    except ValueError:
        raise InvalidInput(f"bad {what} {text!r}: no such day in the calendar") from None
    return check_day(day, what)


def parse_when(text: str, tz: str, now: dt.datetime, what: str = "time") -> pendulum.DateTime:
    """Read a rep's ``--at``: a date (noon that day), a date and time, or a word.

    A datetime without an offset is read in the rep's zone ``tz``; one with an offset
    (or ``Z``) is that instant. ``now``, ``today`` and ``yesterday`` keep the current
    time of day. An empty text is an error, not "now": an empty ``--at ""`` is more
    likely a script's missing variable than a wish. Returns an aware instant in UTC,
    whose day lies in the supported range both in UTC and in ``tz``.
    """
    import pendulum

    word = text.strip()
    local_now = pendulum.instance(require_aware(now)).in_timezone(zone(tz))
    if word.lower() in ("now", "today", "yesterday"):
        days = 1 if word.lower() == "yesterday" else 0
        return check_instant(local_now.subtract(days=days).in_timezone("UTC"), tz, what)
    match = _WHEN_RE.fullmatch(word)
    if match is None:
        raise InvalidInput(f"bad {what} {text!r}; write {WHEN_FORMS}")
    day = parse_date(match["day"], what=what)
    try:
        clock_time = dt.time.fromisoformat(match["time"] or "12:00")  # a date: noon
    except ValueError:
        raise InvalidInput(f"bad {what} {text!r}: no such time of day") from None
    offset = match["offset"]
    if offset is None:  # read in the rep's zone, by the one rule for clock changes
        utc = local_instant(dt.datetime.combine(day, clock_time), tz)
        return pendulum.instance(check_instant(utc, tz, what)).in_timezone("UTC")
    try:
        fixed = dt.UTC if offset == "Z" else dt.datetime.strptime(offset, "%z").tzinfo
        aware = dt.datetime.combine(day, clock_time, tzinfo=fixed)
    except ValueError:
        raise InvalidInput(f"bad {what} {text!r}: no such offset from UTC") from None
    check_instant(aware, tz, what)
    return pendulum.instance(aware).in_timezone("UTC")


FIRST_DAY = dt.date(1970, 1, 1)
LAST_DAY = dt.date(2199, 12, 31)
DATE_RANGE = "1970-01-01 to 2199-12-31"
"""Every date a rep can type or import lies in this range, and every stored instant too
(in UTC and in its own zone). Outside it Python's dates run out (year 9999 plus an
offset), text sorts wrong (year 26 is not four digits) and no sales history lives."""


_LAST_WEEK = dt.date(LAST_DAY.year, 12, 28).isocalendar()[1]
WEEK_RANGE = f"{FIRST_DAY.year}-W01 to {LAST_DAY.year}-W{_LAST_WEEK:02d}"
"""The ISO weeks of the years in the range (a review's week): its first week begins on
a Monday in 1969, which is fine, since only typed and stored dates must lie in range."""


_Instant = TypeVar("_Instant", bound=dt.datetime)


def check_day(day: dt.date, what: str = "date") -> dt.date:
    """Return ``day`` if it lies in the supported range, else say the range."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidInput(
            f"{what} {day.isoformat()} is out of range; use a date from {DATE_RANGE}"
        )
    return day


def check_instant(instant: _Instant, tz: str = "UTC", what: str = "time") -> _Instant:
    """Return ``instant`` if its UTC day and its local day in ``tz`` both lie in the range.

    Computed with the standard library first, so that an instant at the very edge of
    Python's calendar (year 1 or 9999 with an offset) is refused instead of overflowing.
    """
    aware = require_aware(instant)
    out_of_range = InvalidInput(
        f"{what} {aware.isoformat()} is out of range; use a date from {DATE_RANGE}"
    )
    try:
        utc = aware.astimezone(dt.UTC)
    except OverflowError:
        raise out_of_range from None
    if not FIRST_DAY <= utc.date() <= LAST_DAY:
        raise out_of_range
    check_day(local_date(utc, tz), what)
    return instant


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


_WEEK_RE = re.compile(r"\s*([0-9]{4})-?[Ww]([0-9]{1,2})\s*")


def parse_week(text: str, name: str = "--week") -> dt.date:
    """The Monday of an ISO week written ``2026-W47``; a clear error for anything else."""
    match = _WEEK_RE.fullmatch(text or "")
    if match is None:
        raise InvalidInput(
            f"{name} must look like 2026-W47 (a year, W and the ISO week number), got {text!r}"
        )
    year, number = int(match[1]), int(match[2])
    if not FIRST_DAY.year <= year <= LAST_DAY.year:
        raise InvalidInput(f"{name} {text.strip()} is out of range; use a week from {WEEK_RANGE}")
    weeks = dt.date(year, 12, 28).isocalendar()[1]
    if not 1 <= number <= weeks:
        raise InvalidInput(f"{name} {text.strip()}: {year} has weeks W01 to W{weeks}")
    return dt.date.fromisocalendar(year, number, 1)


def week_key(monday: dt.date) -> str:
    """``2026-W47``: how a week is written and stored."""
    return iso_week(monday)


def local_instant(wall: dt.datetime, tz: str) -> dt.datetime:
    """The UTC instant of the wall-clock time ``wall`` (naive) in zone ``tz``.

    The one rule for a local time that a change of the clocks makes ambiguous, shared by
    ``log --at`` (``parse_when``) and every imported row, so the same
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
