"""The store's foundation: engine, sessions, clock, settings and the calendar.

Every part of the store (actions, prospects, blocks, ...) builds on these: they say
what day it is for the rep, which targets are in force and which days are worked.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, Self

import pendulum
import sqlalchemy as sa
from sqlalchemy.dialects.sqlite.base import DATE as SQLITE_DATE
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from prospector import check_record
from prospector import settings as settings_mod
from prospector.changes import ChangeWatch
from prospector.clock import FIRST_DAY, LAST_DAY, Clock, default_clock, local_date, require_aware
from prospector.db import open_database, writer
from prospector.errors import DatabaseError, InvalidInput
from prospector.models import ActionDayCount, Block, DayOff, Setting, Target
from prospector.settings import Settings
from prospector.shipped import ShippedData, shipped
from prospector.status import Progress
from prospector.targets import TargetPlan, TargetRule, WorkCalendar

if TYPE_CHECKING:
    from prospector.records import ProspectSummary
    from prospector.store.audit import OddValues

SOURCES = ("cold", "referral", "inbound", "event", "existing_customer")
STAGES = ("new", "contacted", "engaged", "meeting", "won", "lost")
"""Where a prospect stands; a prospect may carry another stage from an import."""
DAY_OFF_REASONS = ("vacation", "holiday", "sick")
DEFAULTS_FROM = dt.date(2000, 1, 1)
"""Shipped default targets count as in force from this date until the rep sets their own."""
MAX_COUNT = 1000


class StoreBase:
    """The parts of the store every other part uses."""

    def __init__(
        self,
        engine: Engine,
        data: ShippedData | None = None,
        clock: Clock | None = None,
    ) -> None:
        _read_days_leniently(engine)
        self.engine = engine
        self.writer = writer(engine)
        """The engine for writes: every transaction on it takes the write lock first."""
        self.data = data or shipped()
        self.clock = clock or default_clock()
        self._book: tuple[tuple[object, ...], list[ProspectSummary]] | None = None
        """Every prospect's summary, with what it was read at (``ProspectsMixin.book``)."""
        self._book_lock = threading.Lock()
        self._book_watch: ChangeWatch | None = None
        self.upgrade_notes: list[str] = []
        """What upgrading the file on opening it did that the rep should be told (the
        backup taken, prospects merged); the CLI prints it, the app shows it."""

    @classmethod
    def open(
        cls,
        path: Path | str,
        data: ShippedData | None = None,
        clock: Clock | None = None,
    ) -> Self:
        """Open (creating or upgrading) the database file at ``path``."""
        notes: list[str] = []
        store = cls(open_database(path, notes), data, clock)
        store.upgrade_notes = notes
        return store

    def close(self) -> None:
        """Close every connection. The last one to close moves the write-ahead log into
        the file: SQLite's own write, so a pass of the damage check carries over it."""
        if self._book_watch is not None:
            self._book_watch.close()
        self._book = None
        path = self.path
        if path is None:
            self.engine.dispose()
            return
        before = check_record.file_state(path)
        self.engine.dispose()
        check_record.advance(path, before, check_record.file_state(path))

    @property
    def path(self) -> Path | None:
        """The database file, or None for an in-memory database."""
        name = self.engine.url.database
        return Path(name) if name and name != ":memory:" else None

    def watch_changes(self) -> ChangeWatch | None:
        """A watch saying when another connection (the CLI, a second app) has written
        to this database; None for an in-memory database, which nothing else sees."""
        return ChangeWatch(self.path) if self.path is not None else None

    def holds(self, file: Path) -> bool:
        """Whether ``file`` is this database or one of SQLite's files beside it: writing
        over one of them, or even opening and closing it outside SQLite, would damage
        the database (closing any handle drops this process's locks on it)."""
        if self.path is None:
            return False
        own = self.path.resolve()
        siblings = {own, *(own.with_name(own.name + end) for end in ("-wal", "-shm", "-journal"))}
        return file.expanduser().resolve() in siblings

    def _disagreement(self, what: str) -> NoReturn:
        """Stop a read that found the file disagreeing with itself (``what``): with
        "damaged, restore" when SQLite's check confirms damage, otherwise with what was
        found and ``prospector db check`` to look further."""
        from prospector.db import damage_report

        if self.path is None:
            raise DatabaseError(f"the database disagrees with itself: {what}")
        raise DatabaseError(damage_report(self.path, RuntimeError(what)))

    def _session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def _writing(self) -> Session:
        """A session for a unit of work that writes: it holds the write lock from its
        first statement, so what it read cannot be changed by another process before
        it commits, and it waits for that process rather than failing."""
        return Session(self.writer, expire_on_commit=False)

    def now(self) -> pendulum.DateTime:
        return pendulum.instance(self.clock.now()).in_timezone("UTC")

    def today(self) -> dt.date:
        return local_date(self.now(), self.settings().timezone)

    def stored_settings(self) -> dict[str, str]:
        with self._session() as s:
            return {row.key: row.value for row in s.exec(select(Setting))}

    def settings(self) -> Settings:
        return settings_mod.resolve(self.data, self.stored_settings())

    def set_setting(self, key: str, raw: str) -> str:
        """Validate and save one setting; returns the value as stored."""
        value = settings_mod.validate(self.data, key, raw)
        with self._writing() as s:
            s.merge(Setting(key=key, value=value, updated_at=self.now()))
            s.commit()
        return value

    def clear_setting(self, key: str) -> bool:
        """Go back to the shipped default for ``key``; False if it was not set."""
        settings_mod.validate_key(self.data, key)
        with self._writing() as s:
            row = s.get(Setting, key)
            if row is None:
                return False
            s.delete(row)
            s.commit()
            return True

    def odd_values(self, quick: bool = True, *, tables: bool = True) -> list[OddValues]:
        """Stored values no entry point would accept today (``prospector.store.audit``):
        the figures leave them out, and the command line says so. Without ``tables``,
        only the settings are judged (by this version's rules)."""
        from prospector.store.audit import audit, unusable_settings

        unusable = settings_mod.unusable(self.data, self.stored_settings())
        if not tables:
            return unusable_settings(unusable)
        raw = self.engine.raw_connection()  # after the settings: the pool reuses one connection
        try:
            return audit(raw, quick, unusable)
        finally:
            raw.close()

    def check_kind(self, kind: str) -> str:
        if kind not in self.data.kind_keys:
            raise InvalidInput(f"unknown kind {kind!r}; kinds are {', '.join(self.data.kind_keys)}")
        return kind

    def check_outcome(self, outcome: str) -> str:
        if outcome not in self.data.outcome_keys:
            raise InvalidInput(
                f"unknown outcome {outcome!r}; outcomes are {', '.join(self.data.outcome_keys)}"
            )
        return outcome

    def first_action_day(self) -> dt.date | None:
        with self._session() as s:
            return s.exec(
                select(func.min(ActionDayCount.local_date)).where(
                    ActionDayCount.n > 0, _in_range(col(ActionDayCount.local_date))
                )
            ).one()

    def day_counts(
        self, start: dt.date | None = None, end: dt.date | None = None
    ) -> dict[dt.date, dict[str, int]]:
        """Actions per local day and kind, from the trigger-kept ``action_day_count``.

        Days outside the supported range (written by an older version, or by hand) are
        left out: no figure can count them, and day arithmetic on them could overflow."""
        day_col = col(ActionDayCount.local_date)
        stmt = sa.select(day_col, col(ActionDayCount.kind), col(ActionDayCount.n)).where(
            col(ActionDayCount.n) > 0, _in_range(day_col)
        )
        if start is not None:
            stmt = stmt.where(day_col >= start)
        if end is not None:
            stmt = stmt.where(day_col <= end)
        out: dict[dt.date, dict[str, int]] = defaultdict(dict)
        with self._session() as s:
            for day, kind, n in s.execute(stmt):
                out[day][kind] = n
        return dict(out)

    def target_rules(self) -> list[TargetRule]:
        """Every target rule: the shipped defaults first, then the rep's own."""
        rules = [
            TargetRule(kind, t.count, t.per, DEFAULTS_FROM)
            for kind, t in self.data.defaults.targets.items()
        ]
        with self._session() as s:
            rows = s.exec(select(Target).order_by(col(Target.effective_from), col(Target.id)))
            rules += [TargetRule(r.kind, r.count, r.per, r.effective_from) for r in rows]
        return rules

    def days_off(self) -> dict[dt.date, str]:
        """Every day off in the supported range (one outside it cannot be a working day
        the rep will see)."""
        with self._session() as s:
            return {
                row.day: row.reason
                for row in s.exec(select(DayOff).where(_in_range(col(DayOff.day))))
            }

    def calendar(self) -> WorkCalendar:
        """Working days, days off, and the day tracking began (the first action, or today)."""
        return WorkCalendar(
            frozenset(self.settings().working_days),
            self.days_off(),
            self.first_action_day() or self.today(),
        )

    def block_days(self, start: dt.date, end: dt.date) -> set[dt.date]:
        with self._session() as s:
            rows = s.execute(
                sa.select(col(Block.local_date))
                .where(col(Block.ended_at).is_not(None))
                .where(col(Block.local_date) >= start, col(Block.local_date) <= end)
                .distinct()
            )
            return {row[0] for row in rows}

    def day_progress(self, day: dt.date) -> dict[str, Progress]:
        """Done and target per kind on one day: the counters a block keeps in view."""
        plan = TargetPlan(self.target_rules(), self.calendar())
        counts = self.day_counts(day, day).get(day, {})
        return {k: Progress(counts.get(k, 0), plan.share(k, day)) for k in self.data.kind_keys}


class _LenientDate(SQLITE_DATE):
    """SQLite's date type, reading a stored day that is no real day in the supported
    range as the nearest edge of it (text that is no day at all as the first day), so
    that no stored value can make a read fail or day arithmetic overflow. The figures
    leave such rows out by their stored text (``_in_range``); ``db check`` names them."""

    def result_processor(self, dialect: Any, coltype: object) -> Any:
        def process(value: object) -> dt.date | None:
            if value is None or isinstance(value, dt.date):
                return value
            return stored_day(value)

        return process


def stored_day(value: object) -> dt.date:
    """The day stored as ``value``, kept within the supported range."""
    try:
        day = dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        day = None
    return FIRST_DAY if day is None else min(max(day, FIRST_DAY), LAST_DAY)


def _read_days_leniently(engine: Engine) -> None:
    """Make ``engine`` read date columns with ``_LenientDate`` (SQLite only: other
    engines return real dates, and their schema refuses text that is no date)."""
    dialect = engine.dialect
    if dialect.name == "sqlite" and dialect.colspecs.get(sa.Date) is not _LenientDate:
        dialect.colspecs = {**dialect.colspecs, sa.Date: _LenientDate}


def later_touch(at: Any, touch_id: Any, than_at: Any, than_id: Any) -> sa.ColumnElement[bool]:
    """Whether the touch (``at``, ``touch_id``) came after (``than_at``, ``than_id``): by
    instant, then by id, the order every "latest touch" of the store follows (the
    triggers of ``prospect_touches`` too)."""
    return sa.or_(at > than_at, sa.and_(at == than_at, touch_id > than_id))


def _in_range(column: Any) -> sa.ColumnElement[bool]:
    """``column`` holds a real calendar day in the supported range. Dates are stored as
    ISO text: SQLite's ``date()`` gives back the same text only for a real day (not for
    ``2026-02-30`` or ``garbage``), and text comparison orders real days exactly."""
    return sa.and_(
        sa.func.date(column) == sa.cast(column, sa.String),
        column >= FIRST_DAY,
        column <= LAST_DAY,
    )


def _utc(at: dt.datetime) -> pendulum.DateTime:
    """An aware instant in UTC, as it will read back from the database."""
    return pendulum.instance(require_aware(at)).in_timezone("UTC")
