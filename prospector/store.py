"""The one API through which the CLI and the TUI read and write a rep's data.

Each method is one unit of work in one short session; writes commit before the method
returns, so anything the caller reports as saved is on disk. Methods validate their
input against the shipped kinds, outcomes and settings and raise ``InvalidInput`` with
the valid choices, so nothing half-checked reaches the database.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pendulum
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from prospector import settings as settings_mod
from prospector.clock import Clock, SystemClock, local_date, require_aware
from prospector.db import open_database
from prospector.errors import InvalidInput, NotFound
from prospector.models import Action, Block, DayOff, Prospect, Setting, Target, Win
from prospector.records import BlockSummary, DayAttainment, ProspectSummary
from prospector.settings import Settings
from prospector.shipped import ShippedData, shipped
from prospector.status import (
    DISCIPLINE_LOOKBACK_DAYS,
    Progress,
    Status,
    compute_status,
    targeted_done,
)
from prospector.targets import TargetPlan, TargetRule, WorkCalendar

SOURCES = ("cold", "referral", "inbound", "event", "existing_customer")
DAY_OFF_REASONS = ("vacation", "holiday", "sick")
DEFAULTS_FROM = dt.date(2000, 1, 1)
"""Shipped default targets count as in force from this date until the rep sets their own."""
MAX_COUNT = 1000


class Store:
    """A rep's database: actions, prospects, targets, wins, blocks, days off, settings."""

    def __init__(
        self, engine: Engine, data: ShippedData | None = None, clock: Clock | None = None
    ) -> None:
        self.engine = engine
        self.data = data or shipped()
        self.clock = clock or SystemClock()

    @classmethod
    def open(
        cls, path: Path | str, data: ShippedData | None = None, clock: Clock | None = None
    ) -> Store:
        """Open (creating or upgrading) the database file at ``path``."""
        return cls(open_database(path), data, clock)

    def close(self) -> None:
        self.engine.dispose()

    def _session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def now(self) -> pendulum.DateTime:
        return pendulum.instance(self.clock.now()).in_timezone("UTC")

    def today(self) -> dt.date:
        return local_date(self.now(), self.settings().timezone)

    # Settings

    def stored_settings(self) -> dict[str, str]:
        with self._session() as s:
            return {row.key: row.value for row in s.exec(select(Setting))}

    def settings(self) -> Settings:
        return settings_mod.resolve(self.data, self.stored_settings())

    def set_setting(self, key: str, raw: str) -> str:
        """Validate and save one setting; returns the value as stored."""
        value = settings_mod.validate(self.data, key, raw)
        with self._session() as s:
            s.merge(Setting(key=key, value=value, updated_at=self.now()))
            s.commit()
        return value

    # Validation helpers

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

    # Prospects

    def find_prospect(self, name: str) -> Prospect | None:
        with self._session() as s:
            return s.exec(
                select(Prospect).where(func.lower(Prospect.name) == name.strip().lower())
            ).first()

    def add_prospect(
        self,
        name: str,
        company: str = "",
        source: str = "cold",
        existing_customer: bool = False,
        est_value: float | None = None,
    ) -> Prospect:
        name = name.strip()
        if not name:
            raise InvalidInput("a prospect needs a name")
        if source not in SOURCES:
            raise InvalidInput(f"unknown source {source!r}; sources are {', '.join(SOURCES)}")
        if self.find_prospect(name) is not None:
            raise InvalidInput(f"a prospect named {name!r} already exists")
        prospect = Prospect(
            name=name,
            company=company.strip(),
            source=source,
            existing_customer=existing_customer or source == "existing_customer",
            est_value=est_value,
            created_at=self.now(),
        )
        with self._session() as s:
            s.add(prospect)
            s.commit()
            s.refresh(prospect)
        return prospect

    def prospect_for(self, name: str | None) -> tuple[Prospect | None, bool]:
        """The prospect called ``name``, created when new; and whether it was created."""
        if name is None:
            return None, False
        found = self.find_prospect(name)
        if found is not None:
            return found, False
        return self.add_prospect(name), True

    # Actions

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
        self.check_kind(kind)
        self.check_outcome(outcome)
        if not 1 <= count <= MAX_COUNT:
            raise InvalidInput(f"count must be between 1 and {MAX_COUNT}, got {count}")
        if minutes is not None and not 0 <= minutes <= 24 * 60:
            raise InvalidInput(f"minutes must be between 0 and 1440, got {minutes}")
        needs_date = {o.key for o in self.data.outcomes if o.needs_date}
        if outcome in needs_date and next_step_on is None:
            raise InvalidInput(f"outcome {outcome} needs the date of the next step (--next DATE)")
        instant = _utc(at) if at is not None else self.now()
        zone = tz or self.settings().timezone
        day = local_date(instant, zone)
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
        with self._session() as s:
            s.add_all(rows)
            if prospect_id is not None:
                prospect = s.get(Prospect, prospect_id)
                if prospect is None:
                    raise NotFound(f"no prospect with id {prospect_id}")
                if next_step_on is not None:
                    prospect.next_touch_on = next_step_on
                if outcome == "stop":
                    prospect.stopped = True
                s.add(prospect)
            s.commit()
        return rows

    def log_action(self, kind: str, **fields: Any) -> Action:
        """Save one action; see ``log_actions`` for the fields."""
        return self.log_actions(kind, fields.pop("at", None), count=1, **fields)[0]

    def delete_action(self, action_id: int) -> Action:
        """Remove an action (undo) and put its prospect's next touch and stop back."""
        with self._session() as s:
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
        with self._session() as s:
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

    def first_action_day(self) -> dt.date | None:
        with self._session() as s:
            return s.exec(select(func.min(Action.local_date))).one()

    def day_counts(
        self, start: dt.date | None = None, end: dt.date | None = None
    ) -> dict[dt.date, dict[str, int]]:
        """Actions per local day and kind, from an index-only ``GROUP BY``."""
        day_col, kind_col = col(Action.local_date), col(Action.kind)
        stmt = sa.select(day_col, kind_col, sa.func.count()).group_by(day_col, kind_col)
        if start is not None:
            stmt = stmt.where(day_col >= start)
        if end is not None:
            stmt = stmt.where(day_col <= end)
        out: dict[dt.date, dict[str, int]] = defaultdict(dict)
        with self._session() as s:
            for day, kind, n in s.execute(stmt):
                out[day][kind] = n
        return dict(out)

    def insert_actions_bulk(self, rows: Sequence[Mapping[str, Any]]) -> int:
        """Insert many prepared action rows in one transaction (demo data, imports)."""
        with self.engine.begin() as conn:
            conn.execute(sa.insert(Action), list(rows))
        return len(rows)

    # Targets

    def set_target(
        self, kind: str, count: int, per: str = "day", effective_from: dt.date | None = None
    ) -> Target:
        self.check_kind(kind)
        if per not in ("day", "week"):
            raise InvalidInput(f"--per must be day or week, got {per!r}")
        if not 0 <= count <= MAX_COUNT:
            raise InvalidInput(
                f"target count must be between 0 and {MAX_COUNT} (0 removes the target), "
                f"got {count}"
            )
        row = Target(
            kind=kind,
            count=count,
            per=per,
            effective_from=effective_from or self.today(),
            created_at=self.now(),
        )
        with self._session() as s:
            s.add(row)
            s.commit()
            s.refresh(row)
        return row

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

    def targets_in_force(self, day: dt.date) -> dict[str, TargetRule]:
        plan = TargetPlan(self.target_rules(), self.calendar())
        out = {}
        for kind in self.data.kind_keys:
            rule = plan.rule(kind, day)
            if rule is not None and rule.count > 0:
                out[kind] = rule
        return out

    # Days off and calendar

    def add_days_off(
        self, start: dt.date, end: dt.date | None = None, reason: str = "vacation", note: str = ""
    ) -> int:
        """Mark every working day from ``start`` to ``end`` as a day off."""
        if reason not in DAY_OFF_REASONS:
            raise InvalidInput(
                f"unknown reason {reason!r}; reasons are {', '.join(DAY_OFF_REASONS)}"
            )
        end = end or start
        if end < start:
            raise InvalidInput(f"the end date {end} is before the start date {start}")
        if (end - start).days > 366:
            raise InvalidInput("a run of days off can be at most a year long")
        working = set(self.settings().working_days)
        marked = 0
        with self._session() as s:
            day = start
            while day <= end:
                if day.isoweekday() in working:
                    s.merge(DayOff(day=day, reason=reason, note=note))
                    marked += 1
                day += dt.timedelta(days=1)
            s.commit()
        return marked

    def days_off(self) -> dict[dt.date, str]:
        with self._session() as s:
            return {row.day: row.reason for row in s.exec(select(DayOff))}

    def calendar(self) -> WorkCalendar:
        """Working days, days off, and the day tracking began (the first action, or today)."""
        return WorkCalendar(
            frozenset(self.settings().working_days),
            self.days_off(),
            self.first_action_day() or self.today(),
        )

    # Wins

    def add_win(
        self, amount: str | Decimal, prospect_id: int | None, at: dt.datetime | None = None
    ) -> Win:
        cents = parse_amount(amount)
        instant = _utc(at) if at is not None else self.now()
        current = self.settings()
        row = Win(
            amount_cents=cents,
            currency=current.currency,
            at=instant,
            tz=current.timezone,
            local_date=local_date(instant, current.timezone),
            prospect_id=prospect_id,
        )
        with self._session() as s:
            s.add(row)
            s.commit()
            s.refresh(row)
        return row

    def wins(self) -> list[Win]:
        with self._session() as s:
            return list(s.exec(select(Win).order_by(col(Win.at))))

    # Blocks

    def block_days(self, start: dt.date, end: dt.date) -> set[dt.date]:
        with self._session() as s:
            rows = s.execute(
                sa.select(col(Block.local_date))
                .where(col(Block.ended_at).is_not(None))
                .where(col(Block.local_date) >= start, col(Block.local_date) <= end)
                .distinct()
            )
            return {row[0] for row in rows}

    # Prospects: read models, editing, history, the follow-up queue

    def _summaries(self, where: Any = None, order: Any = None) -> list[ProspectSummary]:
        touches = (
            sa.select(
                col(Action.prospect_id).label("pid"),
                sa.func.count().label("n"),
                sa.func.max(col(Action.local_date)).label("last"),
            )
            .where(col(Action.prospect_id).is_not(None))
            .group_by(col(Action.prospect_id))
            .subquery()
        )
        stmt = sa.select(Prospect, touches.c.n, touches.c.last).outerjoin(
            touches, touches.c.pid == col(Prospect.id)
        )
        if where is not None:
            stmt = stmt.where(where)
        stmt = stmt.order_by(*(order if order is not None else [sa.func.lower(Prospect.name)]))
        with self._session() as s:
            return [_summary(p, n or 0, last) for p, n, last in s.execute(stmt)]

    def prospects(self, search: str = "", include_stopped: bool = True) -> list[ProspectSummary]:
        """Prospects by name, filtered by a case-insensitive match on name or company."""
        conditions = []
        if search.strip():
            needle = f"%{search.strip().lower()}%"
            conditions.append(
                sa.or_(
                    sa.func.lower(Prospect.name).like(needle),
                    sa.func.lower(Prospect.company).like(needle),
                )
            )
        if not include_stopped:
            conditions.append(col(Prospect.stopped).is_(False))
        return self._summaries(sa.and_(*conditions) if conditions else None)

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
            fields["name"] = str(fields["name"]).strip()
            if not fields["name"]:
                raise InvalidInput("a prospect needs a name")
            other = self.find_prospect(fields["name"])
            if other is not None and other.id != prospect_id:
                raise InvalidInput(f"a prospect named {fields['name']!r} already exists")
        if "source" in fields and fields["source"] not in SOURCES:
            raise InvalidInput(
                f"unknown source {fields['source']!r}; sources are {', '.join(SOURCES)}"
            )
        if fields.get("est_value") is not None and float(fields["est_value"]) < 0:
            raise InvalidInput("the estimated deal value cannot be negative")
        with self._session() as s:
            row = s.get(Prospect, prospect_id)
            if row is None:
                raise NotFound(f"no prospect with id {prospect_id}")
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

    def followup_queue(self, as_of: dt.date | None = None) -> list[ProspectSummary]:
        """Prospects whose next touch is due or overdue: most overdue first, then value."""
        as_of = as_of or self.today()
        return self._summaries(
            sa.and_(
                col(Prospect.next_touch_on).is_not(None),
                col(Prospect.next_touch_on) <= as_of,
                col(Prospect.stopped).is_(False),
            ),
            [
                col(Prospect.next_touch_on),
                sa.func.coalesce(Prospect.est_value, 0).desc(),
                sa.func.lower(Prospect.name),
            ],
        )

    # Blocks

    def start_block(self, planned_minutes: int | None = None) -> Block:
        """Start a timed prospecting block now; a block still open is ended first."""
        current = self.settings()
        minutes = current.block_minutes if planned_minutes is None else planned_minutes
        if not 1 <= minutes <= 600:
            raise InvalidInput(f"a block lasts 1 to 600 minutes, got {minutes}")
        running = self.open_block()
        if running is not None and running.id is not None:
            self.end_block(running.id)
        now = self.now()
        row = Block(
            started_at=now,
            tz=current.timezone,
            local_date=local_date(now, current.timezone),
            planned_minutes=minutes,
        )
        with self._session() as s:
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
        with self._session() as s:
            row = s.get(Block, block_id)
            if row is None:
                raise NotFound(f"no block with id {block_id}")
            row.interruptions += 1
            s.add(row)
            s.commit()
            return row.interruptions

    def end_block(self, block_id: int) -> BlockSummary:
        with self._session() as s:
            row = s.get(Block, block_id)
            if row is None:
                raise NotFound(f"no block with id {block_id}")
            if row.ended_at is None:
                row.ended_at = self.now()
                row.actual_minutes = _minutes_between(row.started_at, row.ended_at)
                s.add(row)
                s.commit()
        return self.block_summary(block_id)

    def block_summary(self, block_id: int) -> BlockSummary:
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

    def day_progress(self, day: dt.date) -> dict[str, Progress]:
        """Done and target per kind on one day: the counters a block keeps in view."""
        plan = TargetPlan(self.target_rules(), self.calendar())
        counts = self.day_counts(day, day).get(day, {})
        return {k: Progress(counts.get(k, 0), plan.share(k, day)) for k in self.data.kind_keys}

    # Days off

    def remove_day_off(self, day: dt.date) -> bool:
        with self._session() as s:
            row = s.get(DayOff, day)
            if row is None:
                return False
            s.delete(row)
            s.commit()
            return True

    # The sparkline

    def daily_attainment(
        self, as_of: dt.date | None = None, working_days: int = 30
    ) -> list[DayAttainment]:
        """The last ``working_days`` working days before ``as_of`` (days off included, marked),
        oldest first, each with its done and target."""
        as_of = as_of or self.today()
        calendar = self.calendar()
        plan = TargetPlan(self.target_rules(), calendar)
        start = as_of - dt.timedelta(days=working_days * 2 + 14)
        counts = self.day_counts(start, as_of)
        out: list[DayAttainment] = []
        day = as_of - dt.timedelta(days=1)
        while len(out) < working_days and day >= start:
            if day.isoweekday() in calendar.working_days and (
                calendar.tracking_from is None or day >= calendar.tracking_from
            ):
                asked = plan.day_targets(day)
                out.append(
                    DayAttainment(
                        day,
                        targeted_done(counts.get(day, {}), asked),
                        sum(asked.values()),
                        calendar.days_off.get(day),
                    )
                )
            day -= dt.timedelta(days=1)
        return out[::-1]

    # Status

    def progress_on(self, day: dt.date, kind: str) -> tuple[str, Progress]:
        """The quick answer after a log: ("day", done and target that day) for a daily
        target, ("week", done and target that ISO week) for a weekly one, ("none", ...)
        when the kind has no target."""
        plan = TargetPlan(self.target_rules(), self.calendar())
        rule = plan.rule(kind, day)
        if rule is None or rule.count == 0:
            done = self.day_counts(day, day).get(day, {}).get(kind, 0)
            return "none", Progress(done, 0.0)
        if rule.per == "day":
            done = self.day_counts(day, day).get(day, {}).get(kind, 0)
            return "day", Progress(done, plan.share(kind, day))
        monday = day - dt.timedelta(days=day.isoweekday() - 1)
        week = [monday + dt.timedelta(days=i) for i in range(7)]
        counts = self.day_counts(week[0], week[-1])
        done = sum(counts.get(d, {}).get(kind, 0) for d in week)
        return "week", Progress(done, sum(plan.share(kind, d) for d in week))

    def status(self, as_of: dt.date | None = None) -> Status:
        """Every figure of the status line as of ``as_of`` (default: today, under way).

        A past ``as_of`` is judged as a finished day; today's own target counts against
        the rep only once today is over.
        """
        current = self.settings()
        today = local_date(self.now(), current.timezone)
        as_of = as_of or today
        first = self.first_action_day()
        calendar = WorkCalendar(frozenset(current.working_days), self.days_off(), first or today)
        plan = TargetPlan(self.target_rules(), calendar)
        start = as_of - dt.timedelta(days=DISCIPLINE_LOOKBACK_DAYS + 7)

        def compute(counts_from: dt.date | None) -> Status:
            block_from = counts_from or first or as_of
            blocks = self.block_days(block_from, as_of) if current.streak_rule == "block" else set()
            return compute_status(
                as_of,
                self.day_counts(counts_from, as_of),
                plan,
                list(self.data.kind_keys),
                first,
                current.streak_rule,
                blocks,
                current.discipline_half_life_days,
                day_over=as_of < today,
            )

        result = compute(start)
        if (
            first is not None
            and first < start
            and result.streak >= _working_days_between(calendar, start, as_of)
        ):
            # A streak older than the look-back window: count it over the whole history.
            result = compute(None)
        return result

    def has_actions(self) -> bool:
        return self.first_action_day() is not None

    # Bulk history (demo data, imports)

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
        with self.engine.begin() as conn:
            prospect_ids = [
                _new_id(conn.execute(sa.insert(Prospect).values(**row))) for row in prospects
            ]
            block_ids = [_new_id(conn.execute(sa.insert(Block).values(**row))) for row in blocks]

            def linked(row: Mapping[str, Any]) -> dict[str, Any]:
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
                    set_={"reason": upsert.excluded.reason, "note": upsert.excluded.note},
                )
                conn.execute(upsert, [{"note": "", **row} for row in days_off])
        written.update(
            prospects=len(prospect_ids),
            blocks=len(block_ids),
            wins=len(wins),
            days_off=len(days_off),
        )
        return written


def _summary(row: Prospect, touches: int, last: dt.date | None) -> ProspectSummary:
    assert row.id is not None
    return ProspectSummary(
        id=row.id,
        name=row.name,
        company=row.company,
        source=row.source,
        stage=row.stage,
        existing_customer=row.existing_customer,
        est_value=row.est_value,
        stopped=row.stopped,
        next_touch_on=row.next_touch_on,
        note=row.note,
        touch_count=touches,
        last_touch_on=last,
    )


def _utc(at: dt.datetime) -> pendulum.DateTime:
    """An aware instant in UTC, as it will read back from the database."""
    return pendulum.instance(require_aware(at)).in_timezone("UTC")


def _minutes_between(start: dt.datetime, end: dt.datetime) -> int:
    return max(0, round((end - start).total_seconds() / 60))


def _new_id(result: sa.CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _working_days_between(calendar: WorkCalendar, start: dt.date, end: dt.date) -> int:
    total, day = 0, start
    while day <= end:
        total += calendar.is_working_day(day)
        day += dt.timedelta(days=1)
    return total - 1


def parse_amount(raw: str | Decimal) -> int:
    """An amount of money as whole cents; refuses anything but a positive number."""
    try:
        value = Decimal(str(raw).strip().replace("_", ""))
    except InvalidOperation:
        raise InvalidInput(
            f"amount must be a number such as 12500 or 12500.50, got {raw!r}"
        ) from None
    if not value.is_finite() or value <= 0:
        raise InvalidInput(f"amount must be a positive number, got {raw!r}")
    if value > Decimal("1e12"):
        raise InvalidInput(f"amount {raw} is implausibly large")
    cents = value * 100
    if cents != cents.to_integral_value():
        raise InvalidInput(f"amount {raw} has more than two decimals")
    return int(cents)


def rows_by_kind(rows: Iterable[Action]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for row in rows:
        out[row.kind] += 1
    return dict(out)
