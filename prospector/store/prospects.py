"""Prospects: adding, finding, editing, their touch history and the follow-up queue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from prospector.clock import check_day, local_date
from prospector.errors import InvalidInput, NotFound
from prospector.models import Action, Prospect, ProspectTouches, Win
from prospector.names import clean_name, name_key
from prospector.store.base import (
    SOURCES,
    StoreBase,
    _in_range,
)
from prospector.targets import WorkCalendar

if TYPE_CHECKING:
    from prospector.records import ProspectSummary
    from prospector.store.summaries import FollowUpPlan

MAX_LISTED_IDS = 900
"""Past this many matches, a search filters the summaries rather than name each id in
SQL (SQLite caps the parameters of one statement)."""


class ProspectsMixin(StoreBase):
    """Prospects and what the rep knows of them."""

    def find_prospect(self, name: str) -> Prospect | None:
        """The prospect whose name matches ``name`` by ``name_key`` (any case, any
        Unicode spelling, any spacing), or None."""
        with self._session() as s:
            return s.exec(select(Prospect).where(Prospect.name_key == name_key(name))).first()

    def add_prospect(
        self,
        name: str,
        company: str = "",
        source: str = "cold",
        existing_customer: bool = False,
        est_value: float | None = None,
        note: str = "",
    ) -> Prospect:
        name = checked_name(name)
        if source not in SOURCES:
            raise InvalidInput(
                f"unknown source {source!r}; sources are {', '.join(SOURCES)}", "source"
            )
        _check_value(est_value)
        prospect = Prospect(
            name=name,
            company=company.strip(),
            source=source,
            existing_customer=existing_customer or source == "existing_customer",
            est_value=est_value,
            note=note.strip(),
            created_at=self.now(),
        )
        with self._writing() as s:
            # Looked up inside the write transaction: no other process can add the
            # same name between the look and the insert.
            existing = _named(s, name)
            if existing is not None:
                raise InvalidInput(f"a prospect named {existing.name!r} already exists", "name")
            s.add(prospect)
            s.commit()
            s.refresh(prospect)
        return prospect

    def prospect_for(self, name: str | None) -> tuple[Prospect | None, bool]:
        """The prospect called ``name``, created when new; and whether it was created.
        The look-up and the creation are one write transaction."""
        if name is None:
            return None, False
        name = checked_name(name)
        now = self.now()
        with self._writing() as s:
            prospect, created = prospect_in(s, name, now)
            s.commit()
        return prospect, created

    def _plan(self) -> FollowUpPlan:
        """The cadence, calendar and day every summary of one read is worked out with."""
        from prospector.followup import parse_cadence
        from prospector.store.summaries import FollowUpPlan

        current = self.settings()
        return FollowUpPlan(
            parse_cadence(current.cadence, self.data.kind_keys),
            WorkCalendar(frozenset(current.working_days), self.days_off()),
            local_date(self.now(), current.timezone),
            current.timezone,
            current.abandon_after_days,
        )

    def _summaries(
        self,
        where: Any = None,
        order: Any = None,
        plan: FollowUpPlan | None = None,
        limit: int | None = None,
    ) -> list[ProspectSummary]:
        """Prospects with their touches counted and their next touch worked out.

        The touch count, last touch and whether that last touch planned the stored next
        step come from ``prospect_touches`` (kept by triggers, one row per touched
        prospect), so this reads one row per prospect whatever the history; the cadence
        and the calendar then give the next touch (``prospector.followup``).
        """
        from prospector.store.summaries import PROSPECT_FIELDS, StoredProspect

        touches = ProspectTouches
        won = sa.exists().where(col(Win.prospect_id) == col(Prospect.id))
        # The creation instant as stored: the plan reads its local day straight from it.
        created = sa.type_coerce(col(Prospect.created_at), sa.String())
        stmt = sa.select(
            *(
                created if field == "created_at" else col(getattr(Prospect, field))
                for field in PROSPECT_FIELDS
            ),
            col(touches.touches),
            col(touches.last_on),
            # Whether the latest touch set the stored next step: compared as stored
            # text, so no instant of 20,000 rows needs reading into Python.
            sa.func.coalesce(col(touches.planned_at) == col(touches.last_at), False),
            won,
            col(Prospect.name_key),
        ).outerjoin(touches, col(touches.prospect_id) == col(Prospect.id))
        if where is not None:
            stmt = stmt.where(where)
        # By name unless told otherwise, sorted here: read along the name index, each
        # of 80,000 prospects costs a random page read, three times the whole read in
        # the table's own order. Python orders the keys as SQLite does (code points).
        stmt = stmt.order_by(*(order if order is not None else [col(Prospect.id)]))
        if limit is not None:
            stmt = stmt.limit(limit)
        plan = plan or self._plan()
        width = len(PROSPECT_FIELDS)
        with self._session() as s:
            rows = list(s.execute(stmt))
        if order is None:
            rows.sort(key=lambda row: (row[width + 4], row[0]))
        # Plain rows, not ORM objects: tracking 80,000 entities in a session cost more
        # than working out their next touches.
        return [
            plan.summary(
                StoredProspect(*row[:width]),
                row[width] or 0,
                row[width + 1],
                bool(row[width + 2]),
                bool(row[width + 3]),
            )
            for row in rows
        ]

    def prospects(
        self,
        search: str = "",
        include_stopped: bool = True,
        *,
        open_only: bool = False,
        limit: int | None = None,
    ) -> list[ProspectSummary]:
        """Prospects by name, filtered by a match on name or company in any case and
        any Unicode spelling (by ``name_key``, which SQL cannot compute: the few
        columns it needs are read first and matched here). ``open_only`` leaves out
        the stopped and the won; ``limit`` keeps the first so many by name, read
        along the name index: a page of 80,000 prospects costs what a short list does.
        """
        if not search.strip() and include_stopped and not open_only and limit is None:
            return self.book()
        return self._listed_rows(
            self._matching(search), self._listed(include_stopped, open_only), limit
        )

    def prospect_page(
        self, search: str = "", *, open_only: bool = False, limit: int
    ) -> tuple[list[ProspectSummary], int]:
        """The first ``limit`` of ``prospects(search, open_only=...)`` and how many that
        list holds in all, matching the search once for both."""
        ids = self._matching(search)
        conditions = self._listed(True, open_only)
        rows = self._listed_rows(ids, conditions, limit)
        return rows, len(rows) if len(rows) < limit else self._count(ids, conditions)

    def _listed_rows(
        self, ids: list[int] | None, conditions: list[Any], limit: int | None
    ) -> list[ProspectSummary]:
        """The summaries meeting ``conditions`` among ``ids`` (all when None), by name."""
        conditions = list(conditions)
        if ids is not None:
            if not ids:
                return []
            if len(ids) > MAX_LISTED_IDS and limit is None:  # a short needle: filter here
                wanted = set(ids)
                where = sa.and_(*conditions) if conditions else None
                return [p for p in self._summaries(where) if p.id in wanted]
            if limit is not None and len(ids) > MAX_LISTED_IDS:  # a page: batches, by name
                page: list[ProspectSummary] = []
                for start in range(0, len(ids), MAX_LISTED_IDS):
                    batch = col(Prospect.id).in_(ids[start : start + MAX_LISTED_IDS])
                    order = [col(Prospect.name_key)]
                    page += self._summaries(sa.and_(*conditions, batch), order, limit=limit)
                    if len(page) >= limit:
                        return page[:limit]
                return page
            conditions.append(col(Prospect.id).in_(ids))
        where = sa.and_(*conditions) if conditions else None
        if limit is None:
            return self._summaries(where)
        return self._summaries(where, [col(Prospect.name_key)], limit=limit)

    def book(self) -> list[ProspectSummary]:
        """Every prospect's summary, by name: what Prospects, Follow-ups and the export
        read whole. It is read again only when something was committed to the file since
        (by anyone: SQLite's ``data_version``) or the day turned (a prospect's state
        ages with the day); on 80,000 prospects a read takes well over a second. One
        reader at a time: a second waits for the first's result instead of reading the
        same rows beside it."""
        if self.path is None:
            return self._summaries()
        with self._book_lock:
            if self._book_watch is None:
                self._book_watch = self.watch_changes()
            version = self._book_watch.version() if self._book_watch is not None else None
            # Taken before the read: a commit landing during it makes the next call read.
            key = (version, self.today())
            if version is not None and self._book is not None and self._book[0] == key:
                return list(self._book[1])
            book = self._summaries()
            self._book = (key, book) if version is not None else None
            return list(book)

    def prospect_count(
        self, search: str = "", include_stopped: bool = True, *, open_only: bool = False
    ) -> int:
        """How many prospects ``prospects`` with the same filters lists, without a limit."""
        return self._count(self._matching(search), self._listed(include_stopped, open_only))

    def _count(self, ids: list[int] | None, conditions: list[Any]) -> int:
        batches: list[list[Any]] = [conditions]
        if ids is not None:
            batches = [
                [*conditions, col(Prospect.id).in_(ids[start : start + MAX_LISTED_IDS])]
                for start in range(0, len(ids), MAX_LISTED_IDS)
            ]
        total = 0
        with self._session() as s:
            for where in batches:
                stmt = sa.select(sa.func.count()).select_from(Prospect)
                if where:
                    stmt = stmt.where(sa.and_(*where))
                total += int(s.execute(stmt).scalar_one())
        return total

    @staticmethod
    def _listed(include_stopped: bool, open_only: bool) -> list[Any]:
        conditions: list[Any] = []
        if not include_stopped or open_only:
            conditions.append(col(Prospect.stopped).is_(False))
        if open_only:  # closed: stopped, or won (a win recorded, or the stage set to won)
            conditions.append(col(Prospect.stage) != "won")
            conditions.append(~sa.exists().where(col(Win.prospect_id) == col(Prospect.id)))
        return conditions

    def _matching(self, search: str) -> list[int] | None:
        """The ids of the prospects whose name or company holds ``search`` in any case
        and spelling, in the order of their names' keys (the list's order); None for
        no search at all."""
        needle = name_key(search)
        if not needle:
            return None
        with self._session() as s:
            rows = s.execute(sa.select(col(Prospect.id), col(Prospect.name), col(Prospect.company)))
            found = sorted(
                (key, pid)
                for pid, name, company in rows
                if needle in (key := name_key(name)) or needle in name_key(company)
            )
        return [pid for _, pid in found]

    def prospect_names(self, ids: Iterable[int]) -> dict[int, str]:
        """The names of the prospects with these ids (a few: one statement each batch)."""
        wanted = sorted(set(ids))
        names: dict[int, str] = {}
        with self._session() as s:
            for start in range(0, len(wanted), MAX_LISTED_IDS):
                batch = wanted[start : start + MAX_LISTED_IDS]
                stmt = sa.select(col(Prospect.id), col(Prospect.name)).where(
                    col(Prospect.id).in_(batch)
                )
                names.update({pid: name for pid, name in s.execute(stmt)})
        return names

    def prospect(self, prospect_id: int) -> ProspectSummary:
        found = self._summaries(col(Prospect.id) == prospect_id)
        if not found:
            raise NotFound(f"no prospect with id {prospect_id}")
        return found[0]

    def update_prospect(self, prospect_id: int, **fields: Any) -> ProspectSummary:
        """Change a prospect's details; names stay unique and sources known."""
        editable = {
            "name",
            "company",
            "source",
            "stage",
            "existing_customer",
            "est_value",
            "stopped",
            "next_touch_on",
            "note",
        }
        unknown = set(fields) - editable
        if unknown:
            raise InvalidInput(f"cannot edit {', '.join(sorted(unknown))} of a prospect")
        if "name" in fields:
            fields["name"] = checked_name(str(fields["name"]))
        if "source" in fields and fields["source"] not in SOURCES:
            raise InvalidInput(
                f"unknown source {fields['source']!r}; sources are {', '.join(SOURCES)}",
                "source",
            )
        if fields.get("next_touch_on") is not None:
            check_day(fields["next_touch_on"], "next touch date")
        if fields.get("est_value") is not None:
            _check_value(float(fields["est_value"]))
        with self._writing() as s:
            row = s.get(Prospect, prospect_id)
            if row is None:
                raise NotFound(f"no prospect with id {prospect_id}")
            other = _named(s, fields["name"]) if "name" in fields else None
            if other is not None and other.id != prospect_id:
                raise InvalidInput(f"a prospect named {other.name!r} already exists", "name")
            for key, value in fields.items():
                setattr(row, key, value.strip() if isinstance(value, str) else value)
            s.add(row)
            s.commit()
        return self.prospect(prospect_id)

    def prospect_history(self, prospect_id: int) -> list[Action]:
        """Every touch of one prospect, newest first."""
        with self._session() as s:
            return list(
                s.exec(
                    select(Action)
                    .where(Action.prospect_id == prospect_id)
                    .order_by(col(Action.at).desc(), col(Action.id).desc())
                )
            )

    def followup_queue(
        self, as_of: dt.date | None = None, book: Sequence[ProspectSummary] | None = None
    ) -> list[ProspectSummary]:
        """Open prospects whose next touch is due or overdue on ``as_of``: most overdue
        first, then the highest estimated value, then by name. ``book``: every prospect's
        summary, when the caller has read them already."""
        as_of = as_of or self.today()
        if book is not None:
            return _due(book, as_of)
        # Only an open prospect with a committed step due by ``as_of``, or with cadence
        # steps left, can be due: the rest (most of a long history) never reaches
        # Python. The summary below decides; this only has to keep every candidate.
        touches = ProspectTouches
        plan = self._plan()
        steps = len(plan.cadence)
        committed = col(Prospect.next_touch_on)
        last_on = col(touches.last_on)
        # A step still to make, exactly as ``followup.committed_pending`` has it, on days
        # stored as SQL compares them; any other stored day is left to Python.
        readable = sa.and_(_in_range(committed), sa.or_(last_on.is_(None), _in_range(last_on)))
        pending = sa.and_(
            committed.is_not(None),
            sa.or_(
                last_on.is_(None),
                committed > last_on,
                sa.func.coalesce(col(touches.planned_at) == col(touches.last_at), False),
            ),
        )
        won = sa.or_(
            col(Prospect.stage) == "won",
            sa.exists().where(col(Win.prospect_id) == col(Prospect.id)),
        )
        candidates = sa.and_(
            col(Prospect.stopped).is_(False),
            sa.not_(won),
            sa.or_(
                sa.and_(committed.is_not(None), sa.not_(sa.func.coalesce(readable, False))),
                sa.and_(readable, pending, committed <= as_of),
                sa.and_(sa.not_(pending), sa.func.coalesce(col(touches.touches), 0) < steps),
            ),
        )
        # In the table's own order: the queue is sorted below, and reading 80,000
        # prospects along the name index costs a random page read each (3x the time).
        return _due(self._summaries(candidates, [col(Prospect.id)], plan=plan), as_of)


def _due(summaries: Iterable[ProspectSummary], as_of: dt.date) -> list[ProspectSummary]:
    """The open ones of ``summaries`` due by ``as_of``, in the queue's order."""
    due = [
        p
        for p in summaries
        if not p.closed and p.next_touch_on is not None and p.next_touch_on <= as_of
    ]
    return sorted(due, key=lambda p: (p.next_touch_on, -(p.est_value or 0), name_key(p.name), p.id))


def checked_name(name: str) -> str:
    """``name`` as it is saved (``clean_name``); refused when nothing is left of it."""
    cleaned = clean_name(name)
    if not cleaned:
        raise InvalidInput("a prospect needs a name", "name")
    return cleaned


def _named(s: Session, name: str) -> Prospect | None:
    return s.exec(select(Prospect).where(Prospect.name_key == name_key(name))).first()


def prospect_in(s: Session, name: str, now: dt.datetime) -> tuple[Prospect, bool]:
    """Inside the write transaction of ``s``: the prospect called ``name`` (cleaned and
    checked already), added with the creation time ``now`` when there is none; and
    whether it was added. It has its id, and is committed with the rest of ``s``, so
    what is logged with it lands together with it or not at all."""
    found = _named(s, name)
    if found is not None:
        return found, False
    prospect = Prospect(name=name, created_at=now)
    s.add(prospect)
    s.flush()
    return prospect, True


def _check_value(value: float | None) -> None:
    """An estimated deal value: unknown, or a finite amount from 0 up to (not including)
    a trillion, the limit on every amount (a larger one would overflow the figures)."""
    if value is not None and not 0 <= value < 1e12:  # NaN fails too
        raise InvalidInput(
            "the estimated deal value must be 0 or more and below 1,000,000,000,000", "est_value"
        )
