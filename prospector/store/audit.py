"""Stored values no entry point would accept today: dates outside the supported range,
text that is no date or time, unknown time zones, week keys and settings out of rule.

Every entry point refuses such values now, but a file may still hold them: written by
an older version (``--at 0026-12-01`` was once taken, and stored as year 26), by hand,
or by another tool. Read commands keep working on such a file: the figures leave those
rows out (``Store.day_counts``, ``wins``, ``days_off``), stored instants read back within
the range (``models.UTCDateTime``) and unusable settings fall back to their defaults
(``settings.resolve``). This module finds the rows, so that the command line can warn
that something was left out and ``prospector db check`` can name each one.

It runs plain SQL on a DB-API connection: ``db check`` opens the file read-only with
``sqlite3`` and never through the store, which may not be fit to open.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from prospector.clock import DATE_RANGE, FIRST_DAY, LAST_DAY, WEEK_RANGE, is_iana_zone

_FIRST, _LAST = FIRST_DAY.isoformat(), LAST_DAY.isoformat()
_INSTANT_GLOB = (
    "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]"
    ".[0-9][0-9][0-9][0-9][0-9][0-9]Z"
)
"""``models.UTC_FORMAT`` with its four-digit year, the only form ever written."""

DAYS: tuple[tuple[str, str, str], ...] = (
    ("action_day_count", "local_date", "local_date || ' ' || kind"),
    ("action", "local_date", "id"),
    ("action", "next_step_on", "id"),
    ("prospect", "next_touch_on", "id"),
    ("target", "effective_from", "id"),
    ("win", "local_date", "id"),
    ("block", "local_date", "id"),
    ("day_off", "day", "day"),
)
"""(table, date column, how a row is named) for every calendar-day column."""
INSTANTS: tuple[tuple[str, str, str], ...] = (
    ("action", "at", "id"),
    ("prospect", "created_at", "id"),
    ("target", "created_at", "id"),
    ("win", "at", "id"),
    ("block", "started_at", "id"),
    ("block", "ended_at", "id"),
    ("review", "updated_at", "week"),
    ("setting", "updated_at", "key"),
)
"""(table, instant column, how a row is named) for every stored instant."""
ZONES = (("action", "tz"), ("win", "tz"), ("block", "tz"))
BIG_TABLES = frozenset({"action"})
"""Left out of the quick audit every read command makes: scanning a million actions
would slow each command down. Their days are seen through ``action_day_count``."""
SHOWN = 5
"""Rows named per column; the rest are counted."""


@dataclass(frozen=True)
class OddValues:
    """The rows of one column that hold a value no entry point would accept."""

    table: str
    column: str
    problem: str
    count: int
    examples: tuple[tuple[str, str], ...]
    """(row, stored value) of the first few."""

    def describe(self) -> str:
        if not self.examples:
            return f"{self.table}.{self.column}: {self.problem}"
        rows = ", ".join(f"{row} ({value})" for row, value in self.examples)
        more = f" and {self.count - len(self.examples)} more" if self.count > SHOWN else ""
        return f"{self.table}.{self.column}: {self.count} {self.problem}: {rows}{more}"

    def payload(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "column": self.column,
            "problem": self.problem,
            "count": self.count,
            "examples": [{"row": row, "value": value} for row, value in self.examples],
        }


def day_ok(column: str) -> str:
    """SQL: ``column`` holds a real calendar day in the supported range."""
    return (
        f"(typeof({column}) = 'text' AND date({column}) = {column} "
        f"AND {column} BETWEEN '{_FIRST}' AND '{_LAST}')"
    )


def instant_ok(column: str) -> str:
    """SQL: ``column`` holds an instant as written by ``models.utc_text``, in the range."""
    day = f"substr({column}, 1, 10)"
    return (
        f"(typeof({column}) = 'text' AND {column} GLOB '{_INSTANT_GLOB}' "
        f"AND length({column}) = 27 "
        f"AND date({day}) = {day} AND {day} BETWEEN '{_FIRST}' AND '{_LAST}')"
    )


def _rows(con: Any, sql: str) -> list[tuple[Any, ...]]:
    cursor = con.cursor()
    try:
        cursor.execute(sql)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _odd(con: Any, table: str, column: str, key: str, ok: str, problem: str) -> OddValues | None:
    where = f'FROM "{table}" WHERE {column} IS NOT NULL AND NOT {ok}'
    try:
        [(count,)] = _rows(con, f"SELECT count(*) {where}")
        if not count:
            return None
        found = _rows(con, f"SELECT {key}, {column} {where} LIMIT {SHOWN}")
    except Exception:  # noqa: BLE001 - a table the file lacks is not this audit's to report
        return None
    return OddValues(table, column, problem, int(count), tuple((str(k), repr(v)) for k, v in found))


def audit(
    con: Any, quick: bool = False, settings_problems: dict[str, str] | None = None
) -> list[OddValues]:
    """Every column holding values no entry point would accept, on a DB-API connection.

    ``quick`` leaves out the big tables (``BIG_TABLES``), for the check every read
    command makes. ``settings_problems`` (from ``settings.unusable``) are added as they
    are, since judging a setting needs the shipped data.
    """
    found: list[OddValues | None] = []
    out_of_range = f"not a real day from {DATE_RANGE}"
    for table, column, key in DAYS:
        if not (quick and table in BIG_TABLES):
            found.append(_odd(con, table, column, key, day_ok(column), out_of_range))
    for table, column, key in INSTANTS:
        if not (quick and table in BIG_TABLES):
            problem = f"not a time in {DATE_RANGE} (read as the nearest edge of the range)"
            found.append(_odd(con, table, column, key, instant_ok(column), problem))
    for table, column in ZONES:
        if quick and table in BIG_TABLES:
            continue
        try:
            zones = [z for (z,) in _rows(con, f'SELECT DISTINCT {column} FROM "{table}"')]
        except Exception:  # noqa: BLE001 - see _odd
            continue
        bad = [z for z in zones if not (isinstance(z, str) and is_iana_zone(z))]
        if bad:
            listed = ", ".join(f"'{z}'" for z in bad)
            found.append(
                _odd(con, table, column, "id", f"{column} NOT IN ({listed})", "unknown time zones")
                if all(isinstance(z, str) and "'" not in z for z in bad)
                else OddValues(table, column, "unknown time zones", len(bad), ())
            )
    found.append(_odd_weeks(con))
    return [f for f in found if f is not None] + unusable_settings(settings_problems or {})


def unusable_settings(problems: dict[str, str]) -> list[OddValues]:
    """The settings ``settings.unusable`` refused, as findings of the audit."""
    return [
        OddValues("setting", key, f"stored value refused, the default applies: {problem}", 1, ())
        for key, problem in problems.items()
    ]


def _odd_weeks(con: Any) -> OddValues | None:
    from prospector.clock import parse_week, week_key
    from prospector.errors import InvalidInput

    try:
        weeks = [w for (w,) in _rows(con, 'SELECT week FROM "review"')]
    except Exception:  # noqa: BLE001 - see _odd
        return None
    bad = []
    for week in weeks:
        try:
            if week_key(parse_week(str(week), "week")) != week:
                bad.append(week)
        except InvalidInput:
            bad.append(week)
    if not bad:
        return None
    return OddValues(
        "review",
        "week",
        f"not an ISO week such as 2026-W47 from {WEEK_RANGE}",
        len(bad),
        tuple((str(w), repr(w)) for w in bad[:SHOWN]),
    )
