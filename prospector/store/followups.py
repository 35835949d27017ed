"""Follow-up discipline read from the store: limbo, depth, sources, referrals, hunting.

The rules themselves are pure functions in ``prospector.followup``; this module reads
what they need and writes the one change limbo asks for: what a conversation ended in.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlmodel import col

from prospector.clock import check_day
from prospector.errors import InvalidInput, NotFound
from prospector.models import Action, Block, Prospect, ProspectTouches
from prospector.store.base import SOURCES, later_touch
from prospector.store.prospects import ProspectsMixin

if TYPE_CHECKING:
    # The follow-up rules and records load with the reads that use them: ``log``
    # needs neither.
    from prospector.followup import Depth
    from prospector.records import HuntingSplit, LimboItem, ProspectSummary, Referrals, SourceRow


class FollowUpsMixin(ProspectsMixin):
    """Step or stop, follow-up depth, and where the rep's prospecting goes."""

    def _resolution(self, kind: str) -> set[str]:
        return {o.key for o in self.data.outcomes if o.resolution == kind}

    def limbo(self) -> list[LimboItem]:
        """Open prospects whose latest conversation-or-commitment touch is a conversation
        (no next step, no stop since): oldest conversation first.

        Read from ``prospect_touches``: a prospect is in limbo when its latest open
        conversation came after its latest step or stop (by instant, then id)."""
        from prospector.records import LimboItem

        touches = ProspectTouches
        after_settled = sa.or_(
            col(touches.settled_id).is_(None),
            later_touch(
                col(touches.conversation_at),
                col(touches.conversation_id),
                col(touches.settled_at),
                col(touches.settled_id),
            ),
        )
        stmt = (
            sa.select(
                col(Action.id).label("id"),
                col(Action.prospect_id).label("pid"),
                col(Action.kind).label("kind"),
                col(Action.local_date).label("day"),
                col(Action.note).label("note"),
            )
            .add_columns(col(touches.prospect_id).label("summarised"))
            .select_from(touches)
            .outerjoin(Action, col(Action.id) == col(touches.conversation_id))
            .where(col(touches.conversation_id).is_not(None), after_settled)
        )
        with self._session() as s:
            rows = list(s.execute(stmt))
        missing = [row.summarised for row in rows if row.id is None]
        if missing:
            # The summary names a conversation the action table no longer yields: the
            # file disagrees with itself. Said, never shown as a shorter limbo.
            self._disagreement(
                f"the conversation of prospect {missing[0]} is missing from the actions"
            )
        latest = {row.pid: row for row in rows}
        if not latest:
            return []
        prospects = self._summaries(col(Prospect.id).in_(latest))
        items = [
            LimboItem(p, latest[p.id].id, latest[p.id].kind, latest[p.id].day, latest[p.id].note)
            for p in prospects
            if not p.closed
        ]
        return sorted(items, key=lambda i: (i.on, i.prospect.name.lower()))

    def resolve_conversation(
        self, action_id: int, outcome: str, next_step_on: dt.date | None = None
    ) -> Action:
        """Record what a conversation in limbo ended in: a step (with its date when the
        outcome needs one) or a stop. The touch keeps its day, kind and note."""
        self.check_outcome(outcome)
        steps, stops = self._resolution("step"), self._resolution("stop")
        if outcome not in steps | stops:
            raise InvalidInput(
                f"a conversation is resolved by a next step or a stop, not {outcome!r}",
                "outcome",
            )
        needs_date = {o.key for o in self.data.outcomes if o.needs_date}
        if outcome in needs_date and next_step_on is None:
            raise InvalidInput("a next step needs its date", "next_step_on")
        if next_step_on is not None:
            check_day(next_step_on, "next step date")
        with self._writing() as s:
            row = s.get(Action, action_id)
            if row is None:
                raise NotFound(f"no touch with id {action_id}; it may have been undone")
            if row.outcome not in self._resolution("limbo"):
                raise InvalidInput(f"that touch is already resolved ({row.outcome})")
            row.outcome = outcome
            row.next_step_on = next_step_on if outcome in needs_date else None
            s.add(row)
            if row.prospect_id is not None:
                prospect = s.get(Prospect, row.prospect_id)
                if prospect is not None:
                    if row.next_step_on is not None:
                        prospect.next_touch_on = row.next_step_on
                    if outcome in stops:
                        prospect.stopped = True
                    s.add(prospect)
            s.commit()
        return row

    def given_up_early(self) -> list[ProspectSummary]:
        """Open prospects left after a few touches: only those with 1 to
        ``EARLY_TOUCHES`` touches are read, not the whole book."""
        from prospector.followup import EARLY_TOUCHES

        few = sa.and_(
            col(Prospect.stopped).is_(False),
            col(ProspectTouches.touches).between(1, EARLY_TOUCHES),
        )
        return [p for p in self._summaries(few) if p.given_up_early]

    def follow_up_depth(self, book: Sequence[ProspectSummary] | None = None) -> Depth:
        """Touches per prospect by state, and the prospects given up early. ``book``:
        every prospect's summary, when the caller has read them already."""
        from prospector.followup import depth

        book = self._summaries() if book is None else book
        return depth((p.state, p.touch_count, p.est_value) for p in book)

    def source_conversion(self, book: Sequence[ProspectSummary] | None = None) -> list[SourceRow]:
        """Prospects, meetings and wins per source, in the order of ``SOURCES``.
        ``book``: every prospect's summary, when the caller has read them already."""
        from prospector.records import SourceRow

        touches = ProspectTouches
        with self._session() as s:
            met = set(
                s.execute(
                    sa.select(col(touches.prospect_id)).where(col(touches.meetings) > 0)
                ).scalars()
            )
        rows: dict[str, list[int]] = {src: [0, 0, 0] for src in SOURCES}
        for p in self._summaries() if book is None else book:
            counts = rows.setdefault(p.source, [0, 0, 0])
            counts[0] += 1
            counts[1] += p.id in met
            counts[2] += p.won
        return [SourceRow(src, *counts) for src, counts in rows.items()]

    def referrals(self, start: dt.date | None = None, end: dt.date | None = None) -> Referrals:
        """Referral asks made and referrals received between ``start`` and ``end``, and the
        prospects sourced from a referral (all time) with how many were won."""
        from prospector.records import Referrals

        asked = sa.select(sa.func.count()).where(col(Action.kind) == "referral_ask")
        got = sa.select(sa.func.count()).where(col(Action.outcome) == "referral")
        if start is not None:
            asked = asked.where(col(Action.local_date) >= start)
            got = got.where(col(Action.local_date) >= start)
        if end is not None:
            asked = asked.where(col(Action.local_date) <= end)
            got = got.where(col(Action.local_date) <= end)
        with self._session() as s:
            asks = s.execute(asked.select_from(Action)).scalar_one()
            received = s.execute(got.select_from(Action)).scalar_one()
        sourced = self._summaries(col(Prospect.source) == "referral")
        return Referrals(asks, received, len(sourced), sum(p.won for p in sourced))

    def hunting_split(self, start: dt.date, end: dt.date) -> HuntingSplit:
        """Actions and minutes from ``start`` to ``end`` on new customers (every action not
        on an existing customer) and on existing ones, with the new-customer actions of
        the week of ``end`` against the weekly hunting target.

        Minutes: an action's own minutes; a block's minutes are shared among the actions
        logged in it that have none of their own.
        """
        from prospector.records import HuntingSplit

        existing = sa.func.coalesce(col(Prospect.existing_customer), False)
        stmt = (
            sa.select(
                existing.label("existing"),
                col(Action.block_id),
                col(Action.local_date),
                sa.func.count().label("n"),
                sa.func.count(col(Action.minutes)).label("timed"),
                sa.func.coalesce(sa.func.sum(col(Action.minutes)), 0).label("minutes"),
            )
            .select_from(Action)
            .outerjoin(Prospect, col(Prospect.id) == col(Action.prospect_id))
            .where(col(Action.local_date) >= start, col(Action.local_date) <= end)
            .group_by(existing, col(Action.block_id), col(Action.local_date))
        )
        actions = {True: 0, False: 0}
        minutes = {True: 0.0, False: 0.0}
        untimed: dict[int, dict[bool, int]] = defaultdict(lambda: {True: 0, False: 0})
        monday = end - dt.timedelta(days=end.isoweekday() - 1)
        week_new = 0
        with self._session() as s:
            for is_existing, block_id, day, n, timed, spent in s.execute(stmt):
                key = bool(is_existing)
                actions[key] += n
                minutes[key] += spent
                if block_id is not None and n > timed:
                    untimed[block_id][key] += n - timed
                if not key and day >= monday:
                    week_new += n
            if untimed:
                blocks = s.execute(
                    sa.select(col(Block.id), col(Block.actual_minutes)).where(
                        col(Block.id).in_(untimed)
                    )
                )
                for block_id, block_minutes in blocks:
                    shares = untimed[block_id]
                    total = shares[True] + shares[False]
                    for key in (True, False):
                        minutes[key] += (block_minutes or 0) * shares[key] / total
        if monday < start:
            week_new += self._new_actions(monday, start - dt.timedelta(days=1))
        return HuntingSplit(
            start=start,
            end=end,
            new_actions=actions[False],
            existing_actions=actions[True],
            new_minutes=minutes[False],
            existing_minutes=minutes[True],
            week_new_actions=week_new,
            week_target=self.settings().new_customer_actions_week,
        )

    def _new_actions(self, start: dt.date, end: dt.date) -> int:
        stmt = (
            sa.select(sa.func.count())
            .select_from(Action)
            .outerjoin(Prospect, col(Prospect.id) == col(Action.prospect_id))
            .where(
                col(Action.local_date) >= start,
                col(Action.local_date) <= end,
                sa.func.coalesce(col(Prospect.existing_customer), False).is_(False),
            )
        )
        with self._session() as s:
            return int(s.execute(stmt).scalar_one())
