"""Logging actions, undoing them, notes, and bulk history for demo data and imports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, func, select

from prospector.clock import (
    FIRST_DAY,
    LAST_DAY,
    check_day,
    check_instant,
    check_timezone,
    local_date,
    require_aware,
)
from prospector.errors import InvalidInput, NotFound
from prospector.models import FIRST_INSTANT, LAST_INSTANT, Action, Block, DayOff, Prospect, Win
from prospector.names import name_key
from prospector.store.base import (
    MAX_COUNT,
    StoreBase,
    _utc,
)
from prospector.store.prospects import checked_name, prospect_in


@dataclass(frozen=True)
class Logged:
    """What ``log_for`` saved: the actions, their prospect, and whether it was added."""

    actions: list[Action]
    prospect: Prospect | None
    created: bool


class ActionsMixin(StoreBase):
    """Actions: each saved in its own committed transaction the moment it is logged."""

    def log_actions(
        self,
        kind: str,
        at: dt.datetime | None = None,
        *,
        count: int = 1,
        outcome: str = "no_response",
        prospect_id: int | None = None,
        next_step_on: dt.date | None = None,
        note: str = "",
        minutes: int | None = None,
        block_id: int | None = None,
        tz: str | None = None,
    ) -> list[Action]:
        """Save ``count`` identical actions in one committed transaction."""
        return self.log_for(
            None,
            kind,
            at,
            count=count,
            outcome=outcome,
            prospect_id=prospect_id,
            next_step_on=next_step_on,
            note=note,
            minutes=minutes,
            block_id=block_id,
            tz=tz,
        ).actions

    def log_for(
        self,
        prospect: str | None,
        kind: str,
        at: dt.datetime | None = None,
        *,
        count: int = 1,
        outcome: str = "no_response",
        prospect_id: int | None = None,
        next_step_on: dt.date | None = None,
        note: str = "",
        minutes: int | None = None,
        block_id: int | None = None,
        tz: str | None = None,
    ) -> Logged:
        """Save ``count`` identical actions with the prospect named ``prospect`` (found
        by its name key, or added), all in one committed transaction.

        Every input is checked before anything is written, and the prospect is looked
        up and added inside the same write transaction as its actions: a refused count
        leaves no new prospect behind, and two processes logging one new name at once
        add it once (the second waits for the first's write lock, then finds it).
        """
        self.check_kind(kind)
        self.check_outcome(outcome)
        if not 1 <= count <= MAX_COUNT:
            raise InvalidInput(f"count must be between 1 and {MAX_COUNT}, got {count}")
        if minutes is not None and not 0 <= minutes <= 24 * 60:
            raise InvalidInput(f"minutes must be between 0 and 1440, got {minutes}")
        needs_date = {o.key for o in self.data.outcomes if o.needs_date}
        if outcome in needs_date and next_step_on is None:
            raise InvalidInput(f"outcome {outcome} needs the date of the next step (--next DATE)")
        name = checked_name(prospect) if prospect is not None else None
        if name is not None and prospect_id is not None:
            raise InvalidInput("give the prospect by name or by id, not both")
        instant = _utc(at) if at is not None else self.now()
        zone = check_timezone(tz) if tz is not None else self.settings().timezone
        check_instant(instant, zone, "time")
        if next_step_on is not None:
            check_day(next_step_on, "next step date")
        day = local_date(instant, zone)
        now = self.now()
        rows = [
            Action(
                at=instant,
                tz=zone,
                local_date=day,
                kind=kind,
                outcome=outcome,
                next_step_on=next_step_on,
                prospect_id=prospect_id,
                block_id=block_id,
                note=note,
                minutes=minutes,
            )
            for _ in range(count)
        ]
        created = False
        row: Prospect | None = None
        with self._writing() as s:
            if name is not None:
                row, created = prospect_in(s, name, now)
                prospect_id = row.id
                for action in rows:
                    action.prospect_id = prospect_id
            s.add_all(rows)
            if prospect_id is not None:
                row = s.get(Prospect, prospect_id)
                if row is None:
                    raise NotFound(f"no prospect with id {prospect_id}")
                if next_step_on is not None:
                    row.next_touch_on = next_step_on
                if outcome == "stop":
                    row.stopped = True
                s.add(row)
            s.commit()
        return Logged(rows, row, created)

    def log_action(self, kind: str, **fields: Any) -> Action:
        """Save one action; see ``log_actions`` for the fields."""
        return self.log_actions(kind, fields.pop("at", None), count=1, **fields)[0]

    def delete_action(self, action_id: int) -> Action:
        """Remove an action (undo) and put its prospect's next touch and stop back."""
        with self._writing() as s:
            row = s.get(Action, action_id)
            if row is None:
                raise NotFound(f"no action with id {action_id}; it may already be undone")
            s.delete(row)
            s.flush()
            if row.prospect_id is not None:
                prospect = s.get(Prospect, row.prospect_id)
                if prospect is not None:
                    remaining = select(Action).where(Action.prospect_id == row.prospect_id)
                    if row.next_step_on is not None:
                        latest = s.exec(
                            remaining.where(col(Action.next_step_on).is_not(None)).order_by(
                                col(Action.at).desc(), col(Action.id).desc()
                            )
                        ).first()
                        prospect.next_touch_on = latest.next_step_on if latest else None
                    if row.outcome == "stop":
                        still = s.exec(remaining.where(Action.outcome == "stop")).first()
                        prospect.stopped = still is not None
                    s.add(prospect)
            s.commit()
        return row

    def set_action_note(self, action_id: int, note: str) -> Action:
        with self._writing() as s:
            row = s.get(Action, action_id)
            if row is None:
                raise NotFound(f"no action with id {action_id}")
            row.note = note.strip()
            s.add(row)
            s.commit()
        return row

    def recent_actions(self, limit: int = 20, block_id: int | None = None) -> list[Action]:
        """The latest actions, newest first (of one block when ``block_id`` is given)."""
        stmt = select(Action).order_by(col(Action.at).desc(), col(Action.id).desc()).limit(limit)
        if block_id is not None:
            stmt = stmt.where(Action.block_id == block_id)
        with self._session() as s:
            return list(s.exec(stmt))

    def action_count(self) -> int:
        with self._session() as s:
            return s.exec(select(func.count()).select_from(Action)).one()

    def insert_actions_bulk(self, rows: Sequence[Mapping[str, Any]]) -> int:
        """Insert many prepared action rows in one transaction (demo data, imports)."""
        for row in rows:
            _check_dates(row)
        with self.writer.begin() as conn:
            conn.execute(sa.insert(Action), list(rows))
        return len(rows)

    def insert_history_bulk(
        self,
        *,
        prospects: Sequence[Mapping[str, Any]] = (),
        blocks: Sequence[Mapping[str, Any]] = (),
        actions: Iterable[Mapping[str, Any]] = (),
        wins: Sequence[Mapping[str, Any]] = (),
        days_off: Sequence[Mapping[str, Any]] = (),
        batch_size: int = 20_000,
    ) -> dict[str, int]:
        """Write a prepared history in one transaction, so it lands whole or not at all.

        Demo data and imports write up to a million rows at once: one transaction keeps
        that fast, and an interrupted run leaves no half history behind that a second run
        would then duplicate. Prospects and blocks only get their ids when inserted, so
        actions and wins name them by position: ``prospect_ref`` is an index into
        ``prospects`` and ``block_ref`` one into ``blocks`` (None: no link); every other
        key is a column of the table, given in full as for ``insert_actions_bulk``.
        ``actions`` may be a generator: it is consumed in batches, never held whole.
        A day off replaces an existing mark of the same day, as in ``add_days_off``.
        Returns the rows written per table.
        """
        from itertools import islice

        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        refs = ("prospect_ref", "block_ref")
        written = {"prospects": 0, "blocks": 0, "actions": 0, "wins": 0, "days_off": 0}
        for row in (*prospects, *blocks, *wins, *days_off):
            _check_dates(row)
        with self.writer.begin() as conn:
            prospect_ids = [_insert_prospect(conn, row) for row in prospects]
            block_ids = [_new_id(conn.execute(sa.insert(Block).values(**row))) for row in blocks]

            def linked(row: Mapping[str, Any]) -> dict[str, Any]:
                _check_dates(row)
                out = {key: value for key, value in row.items() if key not in refs}
                if "prospect_ref" in row:
                    ref = row["prospect_ref"]
                    out["prospect_id"] = None if ref is None else prospect_ids[ref]
                if "block_ref" in row:
                    ref = row["block_ref"]
                    out["block_id"] = None if ref is None else block_ids[ref]
                return out

            rows = iter(actions)
            while batch := [linked(row) for row in islice(rows, batch_size)]:
                conn.execute(sa.insert(Action), batch)
                written["actions"] += len(batch)
            if wins:
                conn.execute(sa.insert(Win), [linked(row) for row in wins])
            if days_off:
                upsert = sqlite_insert(DayOff)
                upsert = upsert.on_conflict_do_update(
                    index_elements=["day"],
                    set_={
                        "reason": upsert.excluded.reason,
                        "note": upsert.excluded.note,
                    },
                )
                conn.execute(upsert, [{"note": "", **row} for row in days_off])
        written.update(
            prospects=len(prospect_ids),
            blocks=len(block_ids),
            wins=len(wins),
            days_off=len(days_off),
        )
        return written


def _check_dates(row: Mapping[str, Any]) -> None:
    """Refuse a prepared row with a day or an instant outside the supported range: the
    bulk paths skip ``log_actions``' checks for speed, but not this one (two
    comparisons a value)."""
    for key, value in row.items():
        if isinstance(value, dt.datetime):
            if not FIRST_INSTANT <= require_aware(value) <= LAST_INSTANT:
                check_instant(value, what=key)
        elif isinstance(value, dt.date) and not FIRST_DAY <= value <= LAST_DAY:
            check_day(value, key)


def _insert_prospect(conn: sa.Connection, row: Mapping[str, Any]) -> int:
    """Insert a prospect row with its name key (which the ORM adds, and Core does not);
    a name the database already holds is refused, and the whole history with it."""
    key = name_key(row["name"])
    held = conn.execute(
        sa.select(col(Prospect.name)).where(col(Prospect.name_key) == key)
    ).scalar_one_or_none()
    if held is not None:
        raise InvalidInput(f"a prospect named {held!r} already exists; nothing was written")
    return _new_id(conn.execute(sa.insert(Prospect).values({**row, "name_key": key})))


def _new_id(result: sa.CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])
