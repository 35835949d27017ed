"""The weekly review read from the store: the week's outcomes and hours, and the
reflection the rep writes about it.

The figures themselves are worked out in ``prospector.review``; this module reads what
they need that the other parts of the store do not already give (outcomes, settled
conversations, local hours) and keeps the one ``Review`` row per ISO week.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select

from prospector.clock import readable_zone
from prospector.errors import InvalidInput, NotFound
from prospector.models import Action, ActionDayCount, ProspectTouches, Review
from prospector.store.base import StoreBase, later_touch

_WEEK_TEXT = re.compile(r"[0-9]{4}-?[Ww][0-9]{1,2}")
REFLECTION_FIELDS = ("went_well", "got_in_the_way", "commitments")
MAX_REFLECTION_CHARS = 2000


@dataclass(frozen=True)
class SavedReview:
    """One week's saved review: the rep's words, and the figures as they were saved."""

    week: str
    went_well: str
    got_in_the_way: str
    commitments: str
    commitments_kept: bool | None
    """Whether this week's commitments were kept, answered in the next week's review."""
    figures: dict[str, Any] | None
    """The week's figures as first saved (``prospector.review`` decides when), or None."""
    updated_at: dt.datetime


class ReviewsMixin(StoreBase):
    """Weekly reviews: one row per ISO week, every change committed at once."""

    def week_outcomes(self, start: dt.date, end: dt.date) -> dict[str, int]:
        """Actions per outcome on the local days from ``start`` to ``end``.

        The review reads the week's actions along the day index. Their number is checked
        against the trigger-kept day counts: a damaged index that skipped touches
        stops the review with the file's own words instead of showing a thinner week
        (``prospector db check`` then looks at the whole file)."""
        stmt = (
            sa.select(col(Action.outcome), sa.func.count())
            .where(col(Action.local_date) >= start, col(Action.local_date) <= end)
            .group_by(col(Action.outcome))
        )
        kept = sa.select(sa.func.coalesce(sa.func.sum(col(ActionDayCount.n)), 0)).where(
            col(ActionDayCount.local_date) >= start, col(ActionDayCount.local_date) <= end
        )
        with self._session() as s:
            found = {outcome: int(n) for outcome, n in s.execute(stmt)}
            counted = int(s.execute(kept).scalar_one())
        if sum(found.values()) != counted:
            self._disagreement(
                f"{sum(found.values())} actions were read for {start} to {end}, where the "
                f"day counts hold {counted}"
            )
        return found

    def settled_later(self, start: dt.date, end: dt.date) -> int:
        """Conversations of those days (outcome in limbo) that a later touch of the same
        prospect settled with a next step or a stop: the prospect's latest step or stop
        (kept in ``prospect_touches``) came after the conversation, by instant then id.
        One look-up per conversation of the week, whatever the history."""
        limbo = [o.key for o in self.data.outcomes if o.resolution == "limbo"]
        touches = ProspectTouches
        later = later_touch(
            col(touches.settled_at), col(touches.settled_id), col(Action.at), col(Action.id)
        )
        stmt = (
            sa.select(sa.func.count())
            .select_from(Action)
            .join(touches, col(touches.prospect_id) == col(Action.prospect_id))
            .where(
                col(Action.local_date) >= start,
                col(Action.local_date) <= end,
                col(Action.outcome).in_(limbo),
                col(touches.settled_id).is_not(None),
                later,
            )
        )
        with self._session() as s:
            return int(s.execute(stmt).scalar_one())

    def week_hours(self, start: dt.date, end: dt.date) -> list[int]:
        """Actions per local hour of day (24 buckets) on the days from ``start`` to
        ``end``, each in the zone it was logged in.

        Grouped by UTC minute and zone in SQL, so only a few hundred groups reach
        Python whatever the volume; zones with half-hour offsets stay exact.
        """
        minute = sa.func.substr(sa.cast(col(Action.at), sa.String), 1, 16)
        stmt = (
            sa.select(minute, col(Action.tz), sa.func.count())
            .where(col(Action.local_date) >= start, col(Action.local_date) <= end)
            .group_by(minute, col(Action.tz))
        )
        hours = [0] * 24
        offsets: dict[tuple[str, str], int] = {}  # (zone, UTC hour) -> offset in minutes
        with self._session() as s:
            rows = list(s.execute(stmt))
        for utc_minute, tz, n in rows:
            text = str(utc_minute)
            key = (tz, text[:13])
            try:
                if key not in offsets:
                    instant = dt.datetime.fromisoformat(f"{key[1]}:00+00:00")
                    zone = ZoneInfo(readable_zone(str(tz)))
                    offset = instant.astimezone(zone).utcoffset() or dt.timedelta()
                    offsets[key] = int(offset.total_seconds() // 60)
                minutes = int(text[11:13]) * 60 + int(text[14:16]) + offsets[key]
            except (ValueError, TypeError, OverflowError):
                continue  # not a stored instant (db check names the row): no hour to count
            hours[(minutes // 60) % 24] += int(n)
        return hours

    def review(self, week: str) -> SavedReview | None:
        """The saved review of ``week`` (``2026-W47``), or None when none was saved
        (as for a week outside the supported range, such as the one before 1970-W01:
        none can have been saved)."""
        try:
            week = _week_key(week)
        except InvalidInput:
            if _WEEK_TEXT.fullmatch(week.strip()):
                return None
            raise
        with self._session() as s:
            row = s.exec(select(Review).where(Review.week == week)).first()
        return None if row is None else _saved(row)

    def save_reflection(
        self,
        week: str,
        *,
        figures: Mapping[str, Any] | None = None,
        **fields: str,
    ) -> SavedReview:
        """Save some of the week's reflection fields (``went_well``, ``got_in_the_way``,
        ``commitments``), creating the week's row if needed; with ``figures``, also
        store them as the week's figures. One upsert, committed at once, so two fields
        saved in quick succession never race to create the row."""
        week = _week_key(week)
        unknown = set(fields) - set(REFLECTION_FIELDS)
        if unknown:
            raise InvalidInput(
                f"a review has no field {', '.join(sorted(unknown))}; "
                f"fields are {', '.join(REFLECTION_FIELDS)}"
            )
        values: dict[str, Any] = {}
        for key, text in fields.items():
            cleaned = text.strip()
            if len(cleaned) > MAX_REFLECTION_CHARS:
                raise InvalidInput(
                    f"keep it under {MAX_REFLECTION_CHARS} characters ({len(cleaned)} typed)",
                    key,
                )
            values[key] = cleaned
        if figures is not None:
            values["figures_json"] = json.dumps(figures, ensure_ascii=False, sort_keys=True)
        values["updated_at"] = self.now()
        self._upsert(week, values)
        saved = self.review(week)
        assert saved is not None
        return saved

    def set_commitments_kept(self, week: str, kept: bool | None) -> SavedReview:
        """Record whether the commitments written in ``week``'s review were kept (None:
        not answered). Asked in the review of the week after."""
        week = _week_key(week)
        with self._writing() as s:
            row = s.exec(select(Review).where(Review.week == week)).first()
            if row is None:
                raise NotFound(f"no review saved for {week}: it holds no commitments")
            row.commitments_kept = kept
            row.updated_at = self.now()
            s.add(row)
            s.commit()
            s.refresh(row)
            return _saved(row)

    def reviewed_weeks(self) -> list[str]:
        """The weeks with a saved review, oldest first."""
        with self._session() as s:
            return list(s.exec(select(Review.week).order_by(col(Review.week))))

    def _upsert(self, week: str, values: dict[str, Any]) -> None:
        table = Review.__table__  # type: ignore[attr-defined]
        insert = sqlite_insert(table).values(week=week, **values)
        insert = insert.on_conflict_do_update(
            index_elements=["week"], set_={key: insert.excluded[key] for key in values}
        )
        with self.writer.begin() as conn:
            conn.execute(insert)


def _week_key(week: str) -> str:
    from prospector.clock import parse_week, week_key

    return week_key(parse_week(week, "week"))


def _saved(row: Review) -> SavedReview:
    try:
        figures = json.loads(row.figures_json) if row.figures_json else None
    except ValueError:
        figures = None
    return SavedReview(
        week=row.week,
        went_well=row.went_well,
        got_in_the_way=row.got_in_the_way,
        commitments=row.commitments,
        commitments_kept=row.commitments_kept,
        figures=figures or None,
        updated_at=row.updated_at,
    )
