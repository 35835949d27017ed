"""The tables, one class per concept in the design brief.

Instants are stored as UTC text through ``UTCDateTime``, which refuses naive datetimes,
next to the IANA zone they were logged in and the local calendar day they belong to.
The local day is stored rather than recomputed so that per-day counts are an indexed
``GROUP BY`` even on millions of actions, and so a later change of the rep's zone never
moves a past action to another day.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pendulum
import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from prospector.clock import FIRST_DAY, LAST_DAY, require_aware
from prospector.names import name_key

UTC_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
"""The layout of a stored instant; ``utc_text`` writes it with a four-digit year, which
``strftime("%Y")`` does not (year 26 comes out as ``26``, and sorts after 2026)."""
FIRST_INSTANT = dt.datetime.combine(FIRST_DAY, dt.time(), tzinfo=dt.UTC)
LAST_INSTANT = dt.datetime.combine(LAST_DAY, dt.time.max, tzinfo=dt.UTC)
"""A stored instant reads back within these two, whatever the file holds: one before
the supported range (year 26, from an older version that took any year) reads as the
first, one after it as the last, and text that is no instant at all as the first.
Every reader can then shift it by a zone or a horizon without leaving Python's
calendar, and no read command fails on it; ``prospector db check`` names such rows."""


def utc_text(value: dt.datetime) -> str:
    """An aware instant as fixed-width, sortable UTC text: ``2026-11-23T13:08:00.000000Z``."""
    utc = require_aware(value).astimezone(dt.UTC)
    return f"{utc.year:04d}-{utc:%m-%dT%H:%M:%S.%f}Z"


def read_utc_text(value: str) -> dt.datetime | None:
    """The instant stored as ``value``, or None when it is not one."""
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except (ValueError, TypeError, AttributeError):
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=dt.UTC)
    try:
        return parsed.astimezone(dt.UTC)
    except OverflowError:
        return None


class UTCDateTime(TypeDecorator[dt.datetime]):
    """An aware instant stored as sortable UTC text (``2026-11-23T13:08:00.000000Z``)."""

    impl = sa.String(27)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: object) -> str | None:
        if value is None:
            return None
        return utc_text(value)

    def process_result_value(self, value: str | None, dialect: object) -> dt.datetime | None:
        if value is None:
            return None
        parsed = read_utc_text(value) if isinstance(value, str) else None
        kept = FIRST_INSTANT if parsed is None else min(max(parsed, FIRST_INSTANT), LAST_INSTANT)
        # Built directly: ``pendulum.instance(...).in_timezone("UTC")`` looks the zone up
        # by name each time, and every instant of every row read comes through here.
        return pendulum.DateTime(
            kept.year,
            kept.month,
            kept.day,
            kept.hour,
            kept.minute,
            kept.second,
            kept.microsecond,
            tzinfo=pendulum.UTC,
        )


def new_uid() -> str:
    return uuid.uuid4().hex


def _instant(**kw: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kw)  # type: ignore[call-overload]


class Prospect(SQLModel, table=True):
    """Someone the rep prospects; found by ``name_key``, shown by ``name``."""

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True)
    name: str = Field(index=True)
    name_key: str = Field(default="", unique=True, index=True)
    """``prospector.names.name_key(name)``, kept by ``_keep_name_key`` on every ORM
    write; raw SQL inserts give it themselves. Unique: one prospect per name."""
    company: str = ""
    source: str = "cold"
    stage: str = "new"
    existing_customer: bool = False
    est_value: float | None = None
    stopped: bool = False
    next_touch_on: dt.date | None = Field(default=None, index=True)
    note: str = ""
    created_at: dt.datetime = _instant()


@sa.event.listens_for(Prospect, "before_insert")
@sa.event.listens_for(Prospect, "before_update")
def _keep_name_key(_mapper: object, _connection: object, target: Prospect) -> None:
    """Derive the key from the name as it is written, so no code path can save a name
    with a stale key (SQL cannot compute it: SQLite has no Unicode case folding)."""
    target.name_key = name_key(target.name)


class Block(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True)
    started_at: dt.datetime = _instant()
    tz: str
    local_date: dt.date = Field(index=True)
    planned_minutes: int
    ended_at: dt.datetime | None = _instant(default=None, nullable=True)
    actual_minutes: int | None = None
    interruptions: int = 0


class Action(SQLModel, table=True):
    __table_args__ = (
        sa.Index("ix_action_day_kind", "local_date", "kind"),
        # Time order (ties by id, which the index holds): an export streams the history
        # in order instead of sorting a million rows in memory (migration 0004).
        sa.Index("ix_action_at", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True)
    at: dt.datetime = _instant()
    tz: str
    local_date: dt.date
    kind: str
    outcome: str = "no_response"
    next_step_on: dt.date | None = None
    prospect_id: int | None = Field(default=None, foreign_key="prospect.id", index=True)
    block_id: int | None = Field(default=None, foreign_key="block.id", index=True)
    note: str = ""
    minutes: int | None = None


class ActionDayCount(SQLModel, table=True):
    """Actions per local day and kind, kept by triggers on ``action`` (see migration 0001).

    Every figure starts from per-day counts; reading them from here instead of grouping
    a million actions keeps status and forecast fast at any history size. The triggers
    run inside the transaction that writes the action, so the two cannot disagree.
    """

    __tablename__ = "action_day_count"

    local_date: dt.date = Field(primary_key=True)
    kind: str = Field(primary_key=True)
    n: int


class ProspectTouches(SQLModel, table=True):
    """Each prospect's touches summed up, kept by triggers on ``action`` (migration 0003).

    The follow-up queue, limbo, depth, sources and the prospect list need, per prospect,
    the count and the last of its touches, its latest conversation and its latest step or
    stop. Worked out from the actions, that is a scan of the whole history on every read;
    kept here, a read costs the same on ten years as on ten days. The triggers run in the
    transaction that writes the action (log, undo, import, resolution), so the two cannot
    disagree; a prospect with no touch has no row.
    """

    __tablename__ = "prospect_touches"

    prospect_id: int = Field(primary_key=True, foreign_key="prospect.id", ondelete="CASCADE")
    touches: int
    last_on: dt.date
    """The local day of the latest touch."""
    last_at: dt.datetime = _instant()
    planned_at: dt.datetime | None = _instant(default=None, nullable=True)
    """The latest touch that set a next step date."""
    conversation_id: int | None = None
    """The latest touch whose outcome leaves the conversation open (resolution "limbo")."""
    conversation_at: dt.datetime | None = _instant(default=None, nullable=True)
    settled_id: int | None = None
    """The latest touch that ended in a next step or a stop."""
    settled_at: dt.datetime | None = _instant(default=None, nullable=True)
    meetings: int = 0


class Target(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(index=True)
    count: int
    per: str = "day"
    effective_from: dt.date
    created_at: dt.datetime = _instant()


class Win(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True)
    amount_cents: int
    currency: str
    at: dt.datetime = _instant()
    tz: str
    local_date: dt.date = Field(index=True)
    prospect_id: int | None = Field(default=None, foreign_key="prospect.id", index=True)
    note: str = ""


class DayOff(SQLModel, table=True):
    __tablename__ = "day_off"

    day: dt.date = Field(primary_key=True)
    reason: str = "vacation"
    note: str = ""


class Review(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    week: str = Field(unique=True)
    figures_json: str = "{}"
    went_well: str = ""
    got_in_the_way: str = ""
    commitments: str = ""
    commitments_kept: bool | None = None
    updated_at: dt.datetime = _instant()


class Setting(SQLModel, table=True):
    key: str = Field(primary_key=True)
    value: str
    updated_at: dt.datetime = _instant()
