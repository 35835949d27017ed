"""Targets and days off: what each working day asks of the rep."""

from __future__ import annotations

import datetime as dt

from prospector.clock import check_day
from prospector.errors import InvalidInput
from prospector.models import DayOff, Target
from prospector.store.base import (
    DAY_OFF_REASONS,
    MAX_COUNT,
    StoreBase,
)
from prospector.targets import TargetPlan, TargetRule


class PlanningMixin(StoreBase):
    """Targets and days off."""

    def set_target(
        self,
        kind: str,
        count: int,
        per: str = "day",
        effective_from: dt.date | None = None,
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
            effective_from=check_day(effective_from or self.today(), "first day of the target"),
            created_at=self.now(),
        )
        with self._writing() as s:
            s.add(row)
            s.commit()
            s.refresh(row)
        return row

    def targets_in_force(self, day: dt.date) -> dict[str, TargetRule]:
        plan = TargetPlan(self.target_rules(), self.calendar())
        out = {}
        for kind in self.data.kind_keys:
            rule = plan.rule(kind, day)
            if rule is not None and rule.count > 0:
                out[kind] = rule
        return out

    def add_days_off(
        self,
        start: dt.date,
        end: dt.date | None = None,
        reason: str = "vacation",
        note: str = "",
    ) -> int:
        """Mark every working day from ``start`` to ``end`` as a day off."""
        if reason not in DAY_OFF_REASONS:
            raise InvalidInput(
                f"unknown reason {reason!r}; reasons are {', '.join(DAY_OFF_REASONS)}"
            )
        end = end or start
        check_day(start, "first day off")
        check_day(end, "last day off")
        if end < start:
            raise InvalidInput(f"the end date {end} is before the start date {start}")
        if (end - start).days > 366:
            raise InvalidInput("a run of days off can be at most a year long")
        working = set(self.settings().working_days)
        marked = 0
        with self._writing() as s:
            day = start
            while day <= end:
                if day.isoweekday() in working:
                    s.merge(DayOff(day=day, reason=reason, note=note))
                    marked += 1
                day += dt.timedelta(days=1)
            s.commit()
        return marked

    def remove_day_off(self, day: dt.date) -> bool:
        with self._writing() as s:
            row = s.get(DayOff, day)
            if row is None:
                return False
            s.delete(row)
            s.commit()
            return True
