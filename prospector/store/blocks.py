"""Prospecting blocks: timed sessions, their interruptions and their summary."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlmodel import col, func, select

from prospector.clock import check_instant, local_date
from prospector.errors import InvalidInput, NotFound
from prospector.models import Action, Block
from prospector.store.base import StoreBase, _utc

if TYPE_CHECKING:
    from prospector.records import BlockSummary


class BlocksMixin(StoreBase):
    """Timed prospecting blocks."""

    def start_block(self, planned_minutes: int | None = None) -> Block:
        """Start a timed prospecting block now; a block still open is ended first."""
        current = self.settings()
        minutes = current.block_minutes if planned_minutes is None else planned_minutes
        if not 1 <= minutes <= 600:
            raise InvalidInput(f"a block lasts 1 to 600 minutes, got {minutes}")
        running = self.open_block()
        if running is not None and running.id is not None:
            self.end_block(running.id, at=self._abandoned_end(running))
        now = check_instant(self.now(), current.timezone, "the clock's time")
        row = Block(
            started_at=now,
            tz=current.timezone,
            local_date=local_date(now, current.timezone),
            planned_minutes=minutes,
        )
        with self._writing() as s:
            s.add(row)
            s.commit()
        return row

    def open_block(self) -> Block | None:
        """The block that was started and not ended, if any (e.g. after a crash)."""
        with self._session() as s:
            return s.exec(
                select(Block).where(col(Block.ended_at).is_(None)).order_by(col(Block.id).desc())
            ).first()

    def add_interruption(self, block_id: int) -> int:
        with self._writing() as s:
            row = s.get(Block, block_id)
            if row is None:
                raise NotFound(f"no block with id {block_id}")
            row.interruptions += 1
            s.add(row)
            s.commit()
            return row.interruptions

    def _abandoned_end(self, block: Block) -> dt.datetime:
        """When a block left open (the app closed mid-block) really ended: at its last
        action, or at its start when nothing was logged; never hours later."""
        with self._session() as s:
            last = s.exec(select(func.max(Action.at)).where(col(Action.block_id) == block.id)).one()
        end = last or block.started_at
        return min(max(end, block.started_at), self.now())

    def end_block(self, block_id: int, at: dt.datetime | None = None) -> BlockSummary:
        """End a block (now, or at ``at``) and sum it up; ending it twice changes nothing."""
        with self._writing() as s:
            row = s.get(Block, block_id)
            if row is None:
                raise NotFound(f"no block with id {block_id}")
            if row.ended_at is None:
                row.ended_at = check_instant(_utc(at) if at is not None else self.now())
                row.actual_minutes = _minutes_between(row.started_at, row.ended_at)
                s.add(row)
                s.commit()
        return self.block_summary(block_id)

    def block_summary(self, block_id: int) -> BlockSummary:
        from prospector.records import BlockSummary

        with self._session() as s:
            row = s.get(Block, block_id)
            if row is None:
                raise NotFound(f"no block with id {block_id}")
            pairs = s.execute(
                sa.select(col(Action.kind), col(Action.outcome), sa.func.count())
                .where(col(Action.block_id) == block_id)
                .group_by(col(Action.kind), col(Action.outcome))
            ).all()
        by_kind: dict[str, int] = defaultdict(int)
        by_outcome: dict[str, int] = defaultdict(int)
        for kind, outcome, n in pairs:
            by_kind[kind] += n
            by_outcome[outcome] += n
        minutes = row.actual_minutes
        if minutes is None:
            minutes = _minutes_between(row.started_at, self.now())
        return BlockSummary(
            id=block_id,
            local_date=row.local_date,
            planned_minutes=row.planned_minutes,
            minutes=minutes,
            interruptions=row.interruptions,
            ended=row.ended_at is not None,
            by_kind=dict(by_kind),
            by_outcome=dict(by_outcome),
            today=self.day_progress(row.local_date),
        )


def _minutes_between(start: dt.datetime, end: dt.datetime) -> int:
    return max(0, round((end - start).total_seconds() / 60))
