"""What each headless command does and prints; ``cli`` parses, this module acts.

Text output reads like a short report for a rep; ``--json`` output is a stable contract
documented in the README.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from prospector import coach
from prospector import settings as settings_mod
from prospector.clock import parse_date, parse_when
from prospector.errors import InvalidInput
from prospector.projection import Forecast
from prospector.shipped import Kind
from prospector.status import Progress, Status
from prospector.store import Store


def open_store(path: Path) -> Store:
    return Store.open(path)


def fill_demo(store: Store, seed: int, actions: int | None = None) -> dict[str, int]:
    from prospector.demo import generate_demo

    return generate_demo(store, seed=seed, actions=actions)


def _emit_json(payload: Any) -> None:
    json.dump(payload, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def _num(value: float) -> int | float:
    """A count for JSON: whole numbers as ints, weekly shares to two decimals."""
    rounded = round(value, 2)
    return int(rounded) if float(rounded).is_integer() else rounded


def _plural(n: int | float, word: str) -> str:
    return f"{_num(n)} {word}" + ("" if n == 1 else "s")


def log(store: Store, args: argparse.Namespace) -> int:
    store.check_kind(args.kind)
    store.check_outcome(args.outcome)
    current = store.settings()
    now = store.now()
    at = parse_when(args.at, current.timezone, now) if args.at else None
    next_on = parse_date(args.next_on, store.today()) if args.next_on else None
    if args.next_on and args.outcome not in ("next_step", "meeting"):
        raise InvalidInput("--next goes with --outcome next_step or meeting")
    needs_date = {o.key for o in store.data.outcomes if o.needs_date}
    if args.outcome in needs_date and next_on is None:
        raise InvalidInput(f"outcome {args.outcome} needs the date of the next step: --next DATE")
    prospect, created = store.prospect_for(args.prospect)
    rows = store.log_actions(
        args.kind,
        at,
        count=args.count,
        outcome=args.outcome,
        prospect_id=prospect.id if prospect else None,
        next_step_on=next_on,
        note=args.note,
        minutes=args.minutes,
    )
    day = rows[0].local_date
    kind = store.data.kind(args.kind)
    outcome = next(o.label for o in store.data.outcomes if o.key == args.outcome).lower()
    who = f" with {prospect.name}" if prospect else ""
    print(f"Logged {kind.count(len(rows))}{who} ({outcome}) on {day:%a %d %b %Y}.")
    if created and prospect:
        print(f"New prospect: {prospect.name}.")
    if next_on:
        print(f"Next step on {next_on:%a %d %b %Y}.")
    per, progress = store.progress_on(day, args.kind)
    if per == "day":
        print(f"{day:%a %d %b}: {progress.done} of {kind.count(_num(progress.target))} done.")
    elif per == "week":
        print(f"Week {day:%V}: {progress.done} of {kind.count(_num(progress.target))} done.")
    return 0


def target(store: Store, args: argparse.Namespace) -> int:
    if args.target_command == "set":
        start = parse_date(args.from_, store.today()) if args.from_ else None
        row = store.set_target(args.kind, args.count, args.per, start)
        kind = store.data.kind(row.kind)
        if row.count == 0:
            print(f"From {row.effective_from}: no target for {kind.plural}.")
        else:
            print(f"From {row.effective_from}: {kind.count(row.count)} a {row.per}.")
        return 0
    if args.target_command == "list":
        today = store.today()
        in_force = store.targets_in_force(today)
        rules = store.target_rules()
        listed: list[dict[str, Any]] = [
            {
                "kind": r.kind,
                "count": r.count,
                "per": r.per,
                "effective_from": r.effective_from.isoformat(),
                "default": r.effective_from == dt.date(2000, 1, 1),
                "in_force": in_force.get(r.kind) == r,
            }
            for r in rules
            if r.effective_from > today or in_force.get(r.kind) == r
        ]
        if args.json:
            _emit_json({"as_of": today.isoformat(), "targets": listed})
            return 0
        print(f"Targets as of {today:%a %d %b %Y}:")
        for item in listed:
            label = store.data.kind(item["kind"]).label
            when = "shipped default" if item["default"] else f"from {item['effective_from']}"
            mark = "" if item["in_force"] else "  (scheduled)"
            print(f"  {label:<16}{item['count']:>5} a {item['per']:<5} {when}{mark}")
        return 0
    raise InvalidInput("target needs an action: set or list")


def win(store: Store, args: argparse.Namespace) -> int:
    current = store.settings()
    at = parse_when(args.at, current.timezone, store.now()) if args.at else None
    from prospector.store import parse_amount

    parse_amount(args.amount)
    prospect, created = store.prospect_for(args.prospect)
    row = store.add_win(args.amount, prospect.id if prospect else None, at)
    amount = f"{row.amount_cents / 100:,.2f}".removesuffix(".00")
    print(f"Won {row.currency} {amount} with {args.prospect} on {row.local_date:%a %d %b %Y}.")
    if created:
        print(f"New prospect: {args.prospect}.")
    return 0


def settings(store: Store, args: argparse.Namespace) -> int:
    if args.settings_command == "set":
        value = store.set_setting(args.key, args.value)
        print(f"{args.key} = {value}")
        return 0
    if args.settings_command == "reset":
        cleared = store.clear_setting(args.key)
        value = settings_mod.as_display(store.settings()).get(args.key, "")
        state = "back to the default" if cleared else "already the default"
        print(f"{args.key} = {value} ({state})")
        return 0
    if args.settings_command == "show":
        current = store.settings()
        shown = settings_mod.as_display(current)
        stored = store.stored_settings()
        if args.json:
            _emit_json(
                {key: {"value": v, "default": key not in stored} for key, v in shown.items()}
            )
            return 0
        width = max(len(k) for k in shown)
        for key, value in shown.items():
            origin = "" if key in stored else "  (default)"
            print(f"{key:<{width}}  {value}{origin}")
        return 0
    raise InvalidInput("settings needs an action: show, set or reset")


def status_payload(status: Status) -> dict[str, Any]:
    def progress(p: Progress) -> dict[str, int | float]:
        return {"done": p.done, "target": _num(p.target)}

    return {
        "as_of": status.as_of.isoformat(),
        "today": {k: progress(p) for k, p in status.today.items()},
        "week": {k: progress(p) for k, p in status.week.items()},
        "streak": status.streak,
        "buffer": {
            "working_days": status.buffer.working_days,
            "actions_short": status.buffer.actions_short,
            "text": status.buffer.describe(),
        },
        "rolling_30": progress(status.rolling_30),
        "discipline_score": None
        if status.discipline_score is None
        else round(status.discipline_score, 3),
        "day_off": status.today_off,
    }


def _bar(p: Progress, width: int = 20) -> str:
    if p.target <= 0:
        return ""
    filled = min(width, round(width * p.done / p.target))
    return "█" * filled + "░" * (width - filled)


def status(store: Store, args: argparse.Namespace) -> int:
    as_of = parse_date(args.as_of, store.today()) if args.as_of else None
    result = store.status(as_of)
    if args.json:
        _emit_json(status_payload(result))
        return 0
    labels = {k.key: k.label for k in store.data.kinds}
    tz = store.settings().timezone
    print(f"{result.as_of:%A %d %B %Y} ({tz})")
    if result.today_off:
        print(f"Today is a day off ({result.today_off}): no target, the streak is frozen.")
    in_force = store.targets_in_force(result.as_of)
    print(f"\n{'Today':<18}{'done':>6}{'target':>8}")
    for kind, p in result.today.items():
        rule = in_force.get(kind)
        if rule is not None and rule.per == "day" and p.target:
            print(f"  {labels[kind]:<16}{p.done:>6}{_num(p.target):>8}  {_bar(p)}")
        elif p.done:
            note = "weekly target" if rule is not None else "no target"
            print(f"  {labels[kind]:<16}{p.done:>6}{'-':>8}  ({note})")
    print(f"\n{'This week':<18}{'done':>6}{'target':>8}")
    for kind, p in result.week.items():
        if p.target:
            print(f"  {labels[kind]:<16}{p.done:>6}{_num(p.target):>8}  {_bar(p)}")
        elif p.done:
            print(f"  {labels[kind]:<16}{p.done:>6}{'-':>8}  (no target)")
    r30 = result.rolling_30
    share = f" ({r30.done / r30.target:.0%})" if r30.target else ""
    print(f"\nLast 30 days: {r30.done} of {_num(r30.target)} targeted actions{share}")
    days = "working day" if result.streak == 1 else "working days"
    score = "-" if result.discipline_score is None else f"{result.discipline_score:.0%}"
    print(f"Streak: {result.streak} {days} · Buffer: {result.buffer.describe()}")
    print(f"Discipline score: {score}")
    return 0


def _money(amount: float) -> float:
    return round(amount, 2)


def forecast_payload(result: Forecast, currency: str, kinds: Sequence[Kind]) -> dict[str, Any]:
    cal = result.calibration
    plan = result.recovery
    return {
        "as_of": result.as_of.isoformat(),
        "currency": currency,
        "headline": coach.headline(result, currency),
        "value_per_action": {k: _money(v) for k, v in result.values.items()},
        "locked_in_90": _money(result.locked_in_90),
        "target_90": _money(result.target_90),
        "daily": [
            {
                "date": row.day.isoformat(),
                "locked_in": _money(row.locked_in),
                "at_pace": _money(row.at_pace),
                "at_target": _money(row.at_target),
            }
            for row in result.daily
        ],
        "months": [
            {
                "month": m.month,
                "days": m.days,
                "locked_in": _money(m.locked_in),
                "at_pace": _money(m.at_pace),
                "at_target": _money(m.at_target),
                "revenue_target": _money(m.revenue_target),
                "gap": _money(m.gap),
            }
            for m in result.months
        ],
        "gaps": [
            {
                "start": g.start.isoformat(),
                "end": g.end.isoformat(),
                "kind": g.kind,
                "working_days": g.working_days,
                "missed_actions": round(g.missed_actions, 1),
                "cost": _money(g.cost),
                "lands_from": g.lands_from.isoformat(),
                "lands_to": g.lands_to.isoformat(),
                "text": coach.gap_sentence(g, currency),
            }
            for g in result.gaps
        ],
        "recovery": None
        if plan is None
        else {
            "month": plan.month,
            "shortfall": _money(plan.shortfall),
            "working_days": plan.working_days,
            "extra_per_day": plan.extra_per_day,
            "too_close": list(plan.too_close),
            "text": coach.recovery_sentence(plan, {k.key: k for k in kinds}),
        },
        "calibration": {
            "wins": cal.wins,
            "won": _money(cal.won),
            "projected": _money(cal.projected),
            "scale": None if cal.scale is None else round(cal.scale, 4),
            "weight": round(cal.weight, 4),
            "default_values": {k: _money(v) for k, v in cal.default_values.items()},
            "calibrated_values": {k: _money(v) for k, v in cal.calibrated_values.items()},
        },
    }


def forecast(store: Store, args: argparse.Namespace) -> int:
    as_of = parse_date(args.as_of, store.today()) if args.as_of else None
    result = store.forecast(as_of)
    currency = store.settings().currency
    if args.json:
        _emit_json(forecast_payload(result, currency, store.data.kinds))
        return 0
    kinds = {k.key: k for k in store.data.kinds}
    print(f"Forecast as of {result.as_of:%A %d %B %Y} (Blount's 30-day rule)\n")
    for line in coach.forecast_report(result, currency, kinds):
        print(line)
    return 0


def dayoff(store: Store, args: argparse.Namespace) -> int:
    if args.dayoff_command == "add":
        today = store.today()
        start = parse_date(args.start, today)
        end = parse_date(args.to, today) if args.to else start
        marked = store.add_days_off(start, end, args.reason)
        span = f"{start}" if end == start else f"{start} to {end}"
        print(f"Marked {_plural(marked, 'working day')} off ({args.reason}): {span}.")
        return 0
    if args.dayoff_command == "list":
        off = sorted(store.days_off().items())
        if args.json:
            _emit_json([{"day": d.isoformat(), "reason": r} for d, r in off])
            return 0
        if not off:
            print("No days off.")
        for day, reason in off:
            print(f"{day:%a %Y-%m-%d}  {reason}")
        return 0
    raise InvalidInput("dayoff needs an action: add or list")


def demo(store: Store, args: argparse.Namespace) -> int:
    made = fill_demo(store, seed=args.seed, actions=args.actions)
    print(
        f"Demo history written: {made['actions']} actions, {made['prospects']} prospects, "
        f"{made['wins']} wins, {made['days_off']} days off."
    )
    return 0
