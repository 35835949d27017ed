"""Export: the activity log as CSV or JSON Lines, a full JSON dump, and a calendar.

Every writer takes the store and an open text stream and streams: rows come from one
plain ``sqlite3`` cursor over the store's database, fetched in batches, and go straight
to the stream, so a million actions never sit in memory and no ORM object is built per
row. Each writer returns what it wrote, so the caller can say so.

CSV cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) get a single quote in front, as OWASP advises against
CSV injection; ``unneutralise`` takes it off again when our own file is imported.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, TextIO
from zoneinfo import ZoneInfo

from prospector import __version__
from prospector.sqlite import sqlite3
from prospector.terminal_text import json_encoder

if TYPE_CHECKING:
    from prospector.records import ProspectSummary
    from prospector.store import Store

ACTION_COLUMNS = (
    "uid",
    "date",
    "time",
    "timezone",
    "at_utc",
    "kind",
    "outcome",
    "next_step_on",
    "prospect",
    "company",
    "prospect_uid",
    "block_uid",
    "minutes",
    "note",
)
"""The columns of the CSV and JSON Lines exports, in order: one row per action.

``date`` is the local day the action counts for and ``time`` its local time in
``timezone``; ``at_utc`` is the exact instant. On import ``at_utc``, ``timezone`` and
``date`` are what count; ``time`` is there to read.
"""
FORMULA_START = frozenset("=+-@\t\r")
"""First characters that make a spreadsheet treat a cell as a formula (OWASP)."""
_QUOTE_OR_FORMULA = frozenset("=+-@\t\r'")
BATCH = 5000
DUMP_FORMAT = "prospector-dump"
DUMP_VERSION = 1


def needs_neutralising(cell: str) -> bool:
    """Whether a cell must be quoted: it starts (after any single quotes) with a formula
    character. Counting leading quotes keeps the rule reversible for every cell."""
    return cell.lstrip("'")[:1] in FORMULA_START


def neutralise(cell: str) -> str:
    """The cell as written to CSV: a single quote in front when a spreadsheet would
    otherwise run it as a formula (``=SUM(A1)`` becomes ``'=SUM(A1)``)."""
    if cell and cell[0] in _QUOTE_OR_FORMULA and needs_neutralising(cell):
        return "'" + cell
    return cell


def unneutralise(cell: str) -> str:
    """Undo ``neutralise``: exactly one quote off a cell that ``neutralise`` quoted."""
    if cell.startswith("'") and needs_neutralising(cell[1:]):
        return cell[1:]
    return cell


class LocalTimes:
    """Local wall-clock times of stored UTC instants, worked out once per zone and minute.

    A million actions fall on far fewer distinct minutes, so the zone lookup runs once
    per minute of history and every other row is a dictionary hit.
    """

    def __init__(self) -> None:
        self._minutes: dict[str, dict[str, tuple[str, str]]] = {}

    def day_and_time(self, tz: str, at: str) -> tuple[str, str]:
        """``("2026-11-23", "14:30:05")`` for ``at`` (stored UTC text) in zone ``tz``."""
        per_zone = self._minutes.get(tz)
        if per_zone is None:
            per_zone = self._minutes[tz] = {}
        key = at[:16]
        hit = per_zone.get(key)
        if hit is None:
            if len(per_zone) > 500_000:
                per_zone.clear()
            hit = per_zone[key] = _local_minute(tz, at)
        return hit[0], hit[1] + at[16:19]


def _local_minute(tz: str, at: str) -> tuple[str, str]:
    instant = dt.datetime(
        int(at[0:4]), int(at[5:7]), int(at[8:10]), int(at[11:13]), int(at[14:16]), tzinfo=dt.UTC
    )
    try:
        local = instant.astimezone(ZoneInfo(tz))
    except (ValueError, KeyError, OSError):
        local = instant
    return local.date().isoformat(), f"{local.hour:02d}:{local.minute:02d}"


# --- reading ---------------------------------------------------------------------------


@contextmanager
def _reader(store: Store) -> Iterator[sqlite3.Connection]:
    """A plain ``sqlite3`` connection of the store's engine inside one read transaction,
    so every table of a dump comes from the same moment."""
    raw = store.engine.raw_connection()
    try:
        con = raw.driver_connection
        assert isinstance(con, sqlite3.Connection)
        if con.in_transaction:
            con.rollback()
        con.execute("BEGIN")
        try:
            yield con
        finally:
            con.rollback()
    finally:
        raw.close()


def _batches(cur: sqlite3.Cursor) -> Iterator[list[Any]]:
    while rows := cur.fetchmany(BATCH):
        yield rows


def _range(
    start: dt.date | None, end: dt.date | None, check_rows: bool = True
) -> tuple[str, list[str]]:
    """A WHERE clause on ``local_date`` for the range, and its parameters. Rows whose day
    or time is out of the supported range or unreadable are left out, as from every
    figure (``prospector.store.audit``; the command line warns of them), unless
    ``check_rows`` is off: the file is known to hold none (``HistoryRead``)."""
    from prospector.store.audit import day_ok, instant_ok

    clauses = [day_ok("local_date"), instant_ok("at")] if check_rows else []
    params: list[str] = []
    # A local day lies within a day of its UTC day (zones run from -12 to +14 hours):
    # bounds on the instant too, two days wide to spare, let a range be read along the
    # instant's index.
    if start is not None:
        clauses.append("local_date >= ? AND at >= ?")
        params += [start.isoformat(), (start - dt.timedelta(days=2)).isoformat()]
    if end is not None:
        clauses.append("local_date <= ? AND at < ?")
        params += [end.isoformat(), (end + dt.timedelta(days=3)).isoformat()]
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _in_time_order(
    con: sqlite3.Connection, where: str, params: list[str], columns: str
) -> sqlite3.Cursor:
    """Rows of ``columns`` for the actions of the range in time order, with their
    prospect (``p``) and block (``b``); inside ``_reader``'s transaction.

    Read along ``ix_action_at`` (by instant, ties by id), so the rows stream out in
    order and nothing is sorted in memory, whatever the size of the history. The index
    is named: left to itself, the planner reads the day index for the range checks and
    sorts every row. The range's conditions name the action's own columns, so they stay
    inside the subquery.
    """
    return con.execute(time_order_sql(where, columns), params)


def time_order_sql(where: str, columns: str) -> str:
    """The statement ``_in_time_order`` runs."""
    return (
        f"SELECT {columns} FROM (SELECT * FROM action INDEXED BY ix_action_at{where}) AS a "
        "LEFT JOIN prospect AS p ON p.id = a.prospect_id "
        "LEFT JOIN block AS b ON b.id = a.block_id ORDER BY a.at, a.id"
    )


ACTION_FIELDS = (
    "a.uid, a.local_date, a.at, a.tz, a.kind, a.outcome, a.next_step_on, "
    "p.name, p.company, p.uid, b.uid, a.minutes, a.note"
)
"""The stored values behind ``ACTION_COLUMNS`` (the local time comes from at and tz)."""


class HistoryRead:
    """The actions an export reads, with each row's day and instant checked only when
    the file is not known to hold none out of range (``check_record.history_clean``):
    the checks were a third of an export of a million actions.

    An export of the whole history that checked every row and left none out has seen
    that the file holds no odd one, and notes it for the file as it was read."""

    def __init__(self, store: Store, start: dt.date | None, end: dt.date | None) -> None:
        from prospector import check_record

        self.path = store.path
        self.state = check_record.file_state(self.path) if self.path is not None else None
        known = self.path is not None and check_record.history_clean(self.path, self.state)
        self.whole = start is None and end is None
        self.checked = not known
        self.where, self.params = _range(start, end, check_rows=self.checked)

    def done(self, con: sqlite3.Connection, written: int) -> None:
        """Inside the export's read transaction, once ``written`` rows are out."""
        from prospector import check_record

        if self.path is None or not self.checked or not self.whole:
            return
        (stored,) = con.execute("SELECT count(*) FROM action").fetchone()
        if written == stored:
            check_record.record_history_clean(self.path, self.state)


def _action_batches(
    store: Store, start: dt.date | None, end: dt.date | None
) -> Iterator[list[Any]]:
    read = HistoryRead(store, start, end)
    written = 0
    with _reader(store) as con:
        for batch in _batches(_in_time_order(con, read.where, read.params, ACTION_FIELDS)):
            written += len(batch)
            yield batch
        read.done(con, written)


# --- CSV and JSON Lines ---------------------------------------------------------------


def write_csv(
    store: Store,
    out: TextIO,
    start: dt.date | None = None,
    end: dt.date | None = None,
    excel: bool = False,
) -> int:
    """Every action from ``start`` to ``end`` (local days, inclusive) as CSV; the count.

    UTF-8 with a header and CRLF line ends; ``excel`` adds a byte order mark and uses
    ``;`` between cells, which is what Excel expects in most European locales. ``out``
    must be opened with ``newline=""``.

    SQLite writes each line itself (quoting, the formula quote and the local time
    included) and Python only moves finished lines to the file, so a million actions
    take about as long as ``sqlite3 -csv`` needs for the same rows. The lines are the
    ones ``csv.writer`` writes for the same cells; the tests hold them to it.
    """
    delimiter = ";" if excel else ","
    if excel:
        out.write("\ufeff")
    out.write(delimiter.join(ACTION_COLUMNS) + "\r\n")
    read = HistoryRead(store, start, end)
    where, params = read.where, read.params
    written = 0
    with _reader(store) as con:
        cells = [
            "a.uid",
            "a.local_date",
            _local_time_sql(con, where, params),
            "a.tz",
            "a.at",
            "a.kind",
            "a.outcome",
            "a.next_step_on",
            _text_cell("p.name", delimiter),
            _text_cell("p.company", delimiter),
            "p.uid",
            "b.uid",
            "a.minutes",
            _text_cell("a.note", delimiter),
        ]
        pattern = delimiter.join(["%s"] * len(cells))
        line = f"printf('{pattern}' || char(13, 10), {', '.join(cells)})"
        for batch in _batches(_in_time_order(con, where, params, line)):
            out.write("".join([row[0] for row in batch]))
            written += len(batch)
        read.done(con, written)
    return written


FORMULA_GLOB = "[''=+@\t\r-]*"
"""A cell that starts with a single quote or a formula character (SQL GLOB pattern)."""


def _text_cell(value: str, delimiter: str) -> str:
    """SQL for a free-text cell as ``csv.writer`` writes ``neutralise(cell)``: a single
    quote in front of a formula, and the cell in double quotes when it holds the
    delimiter, a double quote or a line break; NULL and empty cells stay empty at once.
    The other cells are keys, zones, uids, dates and numbers that the store writes in a
    fixed form, which never need either; ``printf('%s')`` writes NULL as nothing."""
    quote = "''''"
    neutral = (
        f"(CASE WHEN {value} GLOB '{FORMULA_GLOB}' AND substr(ltrim({value}, {quote}), 1, 1) "
        f"IN ('=', '+', '-', '@', char(9), char(13)) THEN {quote} || {value} ELSE {value} END)"
    )
    special = f'*["{delimiter}\n\r]*'
    return (
        f"(CASE WHEN {value} IS NULL OR {value} = '' THEN '' WHEN {value} GLOB '{special}' "
        f"THEN '\"' || replace({neutral}, '\"', '\"\"') || '\"' ELSE {neutral} END)"
    )


def _local_time_sql(con: sqlite3.Connection, where: str, params: list[str]) -> str:
    """SQL for the local time of day (``HH:MM:SS``) of ``a.at`` in zone ``a.tz``.

    The offsets of each zone in the range, and the instants they change, come from the
    IANA database here, once; SQLite finds each row's offset by a binary search over
    those instants, so no row waits on Python to convert its time.
    """
    # The zones of the whole history, not only of the range: a branch too many costs
    # nothing, while the range's conditions, checked on every row, cost seconds.
    zones = [z for (z,) in con.execute("SELECT DISTINCT tz FROM action") if isinstance(z, str)]
    if not zones:
        return "''"
    first = con.execute(f"SELECT min(local_date) FROM action{where}", params).fetchone()[0]
    last = con.execute(f"SELECT max(local_date) FROM action{where}", params).fetchone()[0]
    if first is None or last is None:
        return "''"  # no action in the range: no row asks
    lo = dt.datetime.fromisoformat(str(first)).replace(tzinfo=dt.UTC) - dt.timedelta(days=2)
    hi = dt.datetime.fromisoformat(str(last)).replace(tzinfo=dt.UTC) + dt.timedelta(days=3)
    branches = []
    for zone in zones:
        spans = _offset_spans(zone, lo, hi)
        if spans == [("", "+0 seconds")]:
            time = "substr(a.at, 12, 8)"  # UTC all along: the stored time is the local one
        else:
            time = f"time(substr(a.at, 1, 19), {_search(spans)})"
        branches.append(f"WHEN {_sql_text(zone)} THEN {time}")
    return f"CASE a.tz {' '.join(branches)} ELSE substr(a.at, 12, 8) END"


def _offset_spans(zone: str, lo: dt.datetime, hi: dt.datetime) -> list[tuple[str, str]]:
    """(from, SQLite modifier) for each offset ``zone`` has between ``lo`` and ``hi``: the
    first span from the beginning of time, each later one from the stored text of the
    instant the offset changes."""
    try:
        tz = ZoneInfo(zone)
    except (ValueError, KeyError, OSError):
        return [("", "+0 seconds")]

    def modifier(delta: dt.timedelta | None) -> str:
        return f"{int((delta or dt.timedelta(0)).total_seconds()):+d} seconds"

    spans = [("", modifier(lo.astimezone(tz).utcoffset()))]
    for year in range(lo.year, hi.year + 1):
        for instant, _, after in _offset_changes(tz, year):
            if lo < instant <= hi:
                spans.append((instant.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), modifier(after)))
    return spans


def _search(spans: list[tuple[str, str]]) -> str:
    """The modifier of the span ``a.at`` falls in: a binary search in nested CASEs."""
    if len(spans) == 1:
        return _sql_text(spans[0][1])
    middle = len(spans) // 2
    return (
        f"(CASE WHEN a.at < {_sql_text(spans[middle][0])} THEN {_search(spans[:middle])} "
        f"ELSE {_search(spans[middle:])} END)"
    )


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def write_jsonl(
    store: Store, out: TextIO, start: dt.date | None = None, end: dt.date | None = None
) -> int:
    """Every action from ``start`` to ``end`` as one JSON object a line (the CSV's
    columns, with ``null`` for what is missing and ``minutes`` a number); the count."""
    times = LocalTimes()
    dumps = json_encoder()
    written = 0
    for batch in _action_batches(store, start, end):
        lines = []
        for uid, day, at, tz, kind, outcome, nxt, name, company, puid, buid, mins, note in batch:
            record = {
                "uid": uid,
                "date": day,
                "time": times.day_and_time(tz, at)[1],
                "timezone": tz,
                "at_utc": at,
                "kind": kind,
                "outcome": outcome,
                "next_step_on": nxt,
                "prospect": name,
                "company": company,
                "prospect_uid": puid,
                "block_uid": buid,
                "minutes": mins,
                "note": note,
            }
            lines.append(dumps(record))
        out.write("\n".join(lines))
        out.write("\n")
        written += len(lines)
    return written


# --- the full JSON dump ---------------------------------------------------------------


@dataclass(frozen=True)
class DumpTable:
    """One section of the JSON dump: a table, its columns, and links to other rows.

    Rows name the prospect or block they belong to by uid (``prospect_uid``,
    ``block_uid``), which stays the same in every database; ``id`` is kept as well so
    that a restore into an empty database gives every row its old number back.
    """

    key: str
    table: str
    columns: tuple[str, ...]
    booleans: frozenset[str] = frozenset()
    links: tuple[tuple[str, str], ...] = ()
    """(column, table): ``prospect_id`` is written as ``prospect_uid`` of ``prospect``."""
    order: str = "id"

    def fields(self) -> tuple[str, ...]:
        linked = dict(self.links)
        return tuple(c.removesuffix("_id") + "_uid" if c in linked else c for c in self.columns)

    def select(self) -> str:
        linked = dict(self.links)
        parts = []
        for column in self.columns:
            if column in linked:
                other = linked[column]
                parts.append(f"(SELECT o.uid FROM {other} AS o WHERE o.id = t.{column})")
            else:
                parts.append(f"t.{column}")
        return f"SELECT {', '.join(parts)} FROM {self.table} AS t ORDER BY t.{self.order}"


def _dump_tables() -> tuple[DumpTable, ...]:
    import sqlalchemy as sa

    from prospector.models import Action, Block, DayOff, Prospect, Review, Setting, Target, Win

    def spec(
        key: str, model: Any, links: Sequence[tuple[str, str]] = (), order: str = "id"
    ) -> DumpTable:
        table: sa.Table = model.__table__
        return DumpTable(
            key=key,
            table=table.name,
            columns=tuple(c.name for c in table.columns),
            booleans=frozenset(c.name for c in table.columns if isinstance(c.type, sa.Boolean)),
            links=tuple(links),
            order=order,
        )

    return (
        spec("settings", Setting, order="key"),
        spec("targets", Target),
        spec("days_off", DayOff, order="day"),
        spec("prospects", Prospect),
        spec("blocks", Block),
        spec("wins", Win, [("prospect_id", "prospect")]),
        spec("reviews", Review),
        spec("actions", Action, [("prospect_id", "prospect"), ("block_id", "block")]),
    )


@cache
def dump_tables() -> tuple[DumpTable, ...]:
    """The sections of the dump in the order they are written (actions last)."""
    return _dump_tables()


def write_dump(store: Store, out: TextIO) -> dict[str, int]:
    """Everything in the database as one JSON document; rows written per section.

    One row a line inside each section's list, actions last, so the file streams in
    both directions; ``prospector import`` restores it into an empty database.
    """
    encode = json_encoder()
    counts: dict[str, int] = {}
    out.write("{\n")
    out.write(f'  "format": "{DUMP_FORMAT}",\n  "version": {DUMP_VERSION},\n')
    out.write(f'  "app": {encode("prospector " + __version__)},\n')
    out.write(f'  "exported_at": {encode(_utc_text(store.now()))},\n')
    tables = dump_tables()
    with _reader(store) as con:
        for number, spec in enumerate(tables):
            fields = spec.fields()
            booleans = [i for i, c in enumerate(spec.columns) if c in spec.booleans]
            out.write(f'  "{spec.key}": [')
            n = 0
            for batch in _batches(con.execute(spec.select())):
                lines = []
                for row in batch:
                    values = list(row)
                    for i in booleans:
                        if values[i] is not None:
                            values[i] = bool(values[i])
                    lines.append(encode(dict(zip(fields, values, strict=True))))
                out.write(("\n    " if n == 0 else ",\n    ") + ",\n    ".join(lines))
                n += len(lines)
            out.write("\n  ]" if n else "]")
            out.write(",\n" if number < len(tables) - 1 else "\n")
            counts[spec.key] = n
    out.write("}\n")
    return counts


def _utc_text(instant: dt.datetime) -> str:
    from prospector.models import utc_text

    return utc_text(instant)


# --- the calendar ---------------------------------------------------------------------

ICS_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class CalendarCounts:
    blocks: int
    """Recurring block series written (0 or 1)."""
    followups: int


def write_ics(
    store: Store, out: TextIO, start: dt.date | None = None, end: dt.date | None = None
) -> CalendarCounts:
    """The prospecting block as a recurring event and the follow-ups due as all-day
    events, as an iCalendar file (RFC 5545). ``out`` must be opened with ``newline=""``.

    The block recurs on every working day at ``block.start_time`` for ``block_minutes``,
    from ``start`` (default today) until ``end`` if given, skipping the days off already
    marked. Follow-ups: each open prospect's next touch from ``start`` to ``end``; one that
    is overdue is put on today, so the follow-up queue is on today's page.
    """
    current = store.settings()
    today = store.today()
    first = start or today
    zone = current.timezone
    stamp = store.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//Prospector//Prospector {__version__}//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Prospecting",
        f"X-WR-TIMEZONE:{zone}",
    ]
    blocks = 0
    block_day = first
    working = set(current.working_days)
    while block_day.isoweekday() not in working:
        block_day += dt.timedelta(days=1)
    if end is None or block_day <= end:
        blocks = 1
        lines += _block_event(store, zone, block_day, end, stamp)
    with _reader(store) as con:
        uids = dict(con.execute("SELECT id, uid FROM prospect").fetchall())
    due = []
    for p in store.prospects():
        if p.closed or p.next_touch_on is None:
            continue
        day = max(p.next_touch_on, today)
        if day >= first and (end is None or day <= end):
            due.append((day, p))
    due.sort(key=lambda item: (item[0], item[1].next_touch_on, item[1].name.lower()))
    for day, p in due:
        overdue = p.next_touch_on is not None and p.next_touch_on < today
        lines += _followup_event(store, p, uids.get(p.id, p.id), day, overdue, stamp)
    followups = len(due)
    lines.append("END:VCALENDAR")
    for line in lines:
        out.write(fold(line))
    return CalendarCounts(blocks, followups)


def _block_event(
    store: Store, zone: str, first: dt.date, end: dt.date | None, stamp: str
) -> list[str]:
    current = store.settings()
    hour, minute = (int(part) for part in current.block_start_time.split(":"))
    begins = dt.datetime(first.year, first.month, first.day, hour, minute)
    ends = begins + dt.timedelta(minutes=current.block_minutes)
    days = ",".join(ICS_WEEKDAYS[d - 1] for d in sorted(current.working_days))
    rule = f"FREQ=WEEKLY;BYDAY={days}"
    if end is not None:
        last = dt.datetime(end.year, end.month, end.day, 23, 59, 59, tzinfo=ZoneInfo(zone))
        rule += f";UNTIL={last.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}"
    skipped = sorted(
        day
        for day in store.days_off()
        if day >= first and (end is None or day <= end) and day.isoweekday() in current.working_days
    )
    event = [
        *vtimezone(zone, first.year),
        "BEGIN:VEVENT",
        f"UID:prospecting-block-{_short_hash(zone)}@prospector",
        f"DTSTAMP:{stamp}",
        f"DTSTART;TZID={zone}:{begins:%Y%m%dT%H%M%S}",
        f"DTEND;TZID={zone}:{ends:%Y%m%dT%H%M%S}",
        f"RRULE:{rule}",
    ]
    if skipped:
        dates = ",".join(f"{d:%Y%m%d}T{begins:%H%M%S}" for d in skipped)
        event.append(f"EXDATE;TZID={zone}:{dates}")
    event += [
        f"SUMMARY:{ics_text('Prospecting block')}",
        "DESCRIPTION:"
        + ics_text(
            f"{current.block_minutes} minutes of prospecting: work the follow-ups due, "
            "then new prospects. Every working day."
        ),
        "CATEGORIES:Prospecting",
        "TRANSP:OPAQUE",
        "END:VEVENT",
    ]
    return event


def _followup_event(
    store: Store, p: ProspectSummary, uid: object, day: dt.date, overdue: bool, stamp: str
) -> list[str]:
    what = "Next step" if p.next_kind is None else store.data.kind(p.next_kind).label
    who = p.name + (f" ({p.company})" if p.company else "")
    summary = f"{what}: {who}"
    if overdue:
        summary += f" (overdue since {p.next_touch_on:%d %b})"
    touches = f"{p.touch_count} touch" + ("" if p.touch_count == 1 else "es")
    details = [f"Follow-up {p.touch_count + 1} with {who}; {touches} so far"]
    if p.last_touch_on is not None:
        details.append(f"last touch {p.last_touch_on.isoformat()}")
    if p.next_reason == "committed":
        details.append("a next step you agreed")
    if p.est_value:
        details.append(f"estimated value {p.est_value:,.0f}")
    next_day = day + dt.timedelta(days=1)
    return [
        "BEGIN:VEVENT",
        f"UID:followup-{uid}@prospector",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{next_day:%Y%m%d}",
        f"SUMMARY:{ics_text(summary)}",
        f"DESCRIPTION:{ics_text('; '.join(details) + '.')}",
        "CATEGORIES:Prospecting,Follow-up",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def ics_text(value: str) -> str:
    """A TEXT value escaped as RFC 5545 asks: backslash, semicolon, comma, newline."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """One content line with its CRLF, folded so no physical line exceeds 75 octets;
    a fold never splits a UTF-8 character."""
    data = line.encode()
    if len(data) <= 75:
        return line + "\r\n"
    parts: list[str] = []
    chunk = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append(chunk)
            chunk, size, limit = "", 0, 74
        chunk += char
        size += width
    parts.append(chunk)
    return "\r\n ".join(parts) + "\r\n"


def vtimezone(zone: str, year: int) -> list[str]:
    """A VTIMEZONE for ``zone`` with the rules in force in ``year``, worked out from the
    IANA database: each change of offset becomes a yearly rule (``BYMONTH=3;BYDAY=-1SU``)."""
    tz = ZoneInfo(zone)
    changes = _offset_changes(tz, year)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{zone}"]
    if not changes:
        instant = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
        offset = instant.astimezone(tz).utcoffset() or dt.timedelta(0)
        name = instant.astimezone(tz).tzname() or zone
        lines += [
            "BEGIN:STANDARD",
            f"DTSTART:{year}0101T000000",
            f"TZOFFSETFROM:{_offset(offset)}",
            f"TZOFFSETTO:{_offset(offset)}",
            f"TZNAME:{ics_text(name)}",
            "END:STANDARD",
        ]
    for instant, before, after in changes:
        local = (instant + before).replace(tzinfo=None)
        kind = "DAYLIGHT" if (instant.astimezone(tz).dst() or dt.timedelta(0)) else "STANDARD"
        last_day = (local.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        last_day -= dt.timedelta(days=1)
        week = -1 if local.day + 7 > last_day.day else (local.day - 1) // 7 + 1
        lines += [
            f"BEGIN:{kind}",
            f"DTSTART:{local:%Y%m%dT%H%M%S}",
            f"RRULE:FREQ=YEARLY;BYMONTH={local.month};BYDAY={week}{ICS_WEEKDAYS[local.weekday()]}",
            f"TZOFFSETFROM:{_offset(before)}",
            f"TZOFFSETTO:{_offset(after)}",
            f"TZNAME:{ics_text(instant.astimezone(tz).tzname() or zone)}",
            f"END:{kind}",
        ]
    lines.append("END:VTIMEZONE")
    return lines


def _offset_changes(
    tz: ZoneInfo, year: int
) -> list[tuple[dt.datetime, dt.timedelta, dt.timedelta]]:
    """Each instant of ``year`` at which ``tz`` changes its offset: (UTC instant, offset
    before, offset after)."""

    def offset(instant: dt.datetime) -> dt.timedelta:
        return instant.astimezone(tz).utcoffset() or dt.timedelta(0)

    out = []
    day = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    while day.year == year:
        nxt = day + dt.timedelta(days=1)
        if offset(day) != offset(nxt):
            lo, hi = day, nxt
            while hi - lo > dt.timedelta(minutes=1):
                mid = lo + (hi - lo) / 2
                mid = mid.replace(second=0, microsecond=0)
                if mid <= lo:
                    mid = lo + dt.timedelta(minutes=1)
                if offset(mid) == offset(lo):
                    lo = mid
                else:
                    hi = mid
            out.append((hi, offset(lo), offset(hi)))
        day = nxt
    return out


def _offset(delta: dt.timedelta) -> str:
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else "+"
    seconds = abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{secs:02d}" if secs else "")
