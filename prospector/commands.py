"""What each headless command does and prints; ``cli`` parses, this module acts.

Text output reads like a short report for a rep; ``--json`` output is a stable contract
documented in the README.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prospector import settings as settings_mod
from prospector.clock import DATE_RANGE, parse_date, parse_when, readable_zone, zone
from prospector.errors import InvalidInput, NotFound
from prospector.names import shell_quoted
from prospector.store import Store  # the ORM: ``cli`` loads it while the damage check runs
from prospector.terminal_text import json_text

if TYPE_CHECKING:
    # For annotations only: the forecast's, the status's and the prospect list's
    # modules load in the commands that print them, so ``log`` starts without them.
    from prospector.projection import Forecast
    from prospector.records import LimboItem, ProspectSummary
    from prospector.shipped import Kind
    from prospector.status import Progress, Status
    from prospector.store.wins import WinRecord


def open_store(path: Path) -> Store:
    """The store at ``path``. What an upgrade of the file did, and a warning when the file
    holds values no entry point accepts today (left out of every figure; ``db check``
    names them), are said on stderr, where they cannot mix with ``--json`` output."""
    store = Store.open(path)
    for note in store.upgrade_notes:
        print(f"prospector: {note}", file=sys.stderr)
    warn_odd_values(store)
    return store


def warn_odd_values(store: Store) -> None:
    """One line on stderr naming the columns that hold values no entry point accepts
    today; ``db check`` names each row. Output on stdout (``--json``) is untouched.

    The tables of a file that passed the damage check and this audit as it is now
    are not audited again (``check_record``): on 80,000 prospects that cost more than
    the ``log`` itself. The settings, judged by this version's rules, always are."""
    from prospector import check_record

    path = store.path
    state = check_record.file_state(path) if path is not None else None
    if path is not None and check_record.clean(path, state):
        odd = store.odd_values(quick=True, tables=False)
    else:
        odd = store.odd_values(quick=True)
        if path is not None and odd == store.odd_values(quick=True, tables=False):
            check_record.record_clean(path, state)  # nothing odd but the settings
    if not odd:
        return
    rows = sum(found.count for found in odd)
    columns = ", ".join(f"{found.table}.{found.column}" for found in odd)
    print(
        f"prospector: warning: {_plural(rows, 'stored value')} outside {DATE_RANGE} "
        f"or the input rules ({columns}) are left out of the figures or read as the "
        "nearest valid value; "
        "'prospector db check' names each row",
        file=sys.stderr,
    )


def fill_demo(store: Store, seed: int, actions: int | None = None) -> dict[str, int]:
    from prospector.demo import generate_demo

    return generate_demo(store, seed=seed, actions=actions)


def _emit_json(payload: Any) -> None:
    """Print ``payload`` as ``--json`` output: UTF-8 as it is, control characters
    escaped (C1 too, which ``json.dump`` alone writes raw), so it is safe on a
    terminal and parses back to the same strings."""
    sys.stdout.write(json_text(payload) + "\n")


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
    at = parse_when(args.at, current.timezone, now, "--at") if args.at is not None else None
    next_on = (
        parse_date(args.next_on, store.today(), "--next") if args.next_on is not None else None
    )
    if next_on is not None and args.outcome not in ("next_step", "meeting"):
        raise InvalidInput("--next goes with --outcome next_step or meeting")
    needs_date = {o.key for o in store.data.outcomes if o.needs_date}
    if args.outcome in needs_date and next_on is None:
        raise InvalidInput(f"outcome {args.outcome} needs the date of the next step: --next DATE")
    # One call: every input is checked before the first write, and a new prospect is
    # added in the same transaction as its touches.
    logged = store.log_for(
        args.prospect,
        args.kind,
        at,
        count=args.count,
        outcome=args.outcome,
        next_step_on=next_on,
        note=args.note,
        minutes=args.minutes,
    )
    rows, prospect, created = logged.actions, logged.prospect, logged.created
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
        start = parse_date(args.from_, store.today(), "--from") if args.from_ is not None else None
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
    if args.amount in ("list", "delete"):
        return win_records(store, args)
    if args.win_id is not None or args.json:
        raise InvalidInput(
            "win AMOUNT takes --prospect NAME and --at WHEN; ID and --json "
            "go with win list and win delete"
        )
    if args.prospect is None:
        raise InvalidInput("the following arguments are required: --prospect")
    current = store.settings()
    at = parse_when(args.at, current.timezone, store.now(), "--at") if args.at is not None else None
    from prospector.store import parse_amount

    parse_amount(args.amount)
    row, prospect, created = store.win_for(args.prospect, args.amount, at)
    amount = f"{row.amount_cents / 100:,.2f}".removesuffix(".00")
    who = prospect.name if prospect else args.prospect
    print(f"Won {row.currency} {amount} with {who} on {row.local_date:%a %d %b %Y}.")
    if created:
        print(f"New prospect: {who}.")
    return 0


def _win_payload(w: WinRecord) -> dict[str, Any]:
    return {
        "id": w.id,
        "date": w.local_date.isoformat() if w.local_date is not None else w.day_text,
        "at": None if w.at is None else w.at.isoformat(),
        "amount": _money(w.amount),
        "currency": w.currency,
        "prospect": w.prospect or None,
        "in_range": w.in_range,
    }


def _win_line(w: WinRecord, width: int) -> str:
    who = f" with {w.prospect}" if w.prospect else ""
    odd = "" if w.in_range else f"  (date outside {DATE_RANGE}: not counted)"
    return f"  {w.id:>{width}}  {w.shown_day}  {w.shown_amount}{who}{odd}"


def win_records(store: Store, args: argparse.Namespace) -> int:
    """``win list``: every win with its id; ``win delete ID``: remove a wrong one."""
    if args.amount == "list":
        if args.win_id is not None:
            raise InvalidInput(f"win list takes no id, got {args.win_id!r}")
        wins = store.win_records()
        if args.json:
            _emit_json({"wins": [_win_payload(w) for w in wins]})
            return 0
        if not wins:
            print("No wins yet: record one with prospector win AMOUNT --prospect NAME.")
        else:
            print(f"{_plural(len(wins), 'win')}, oldest first (id, day, amount):")
        width = max((len(str(w.id)) for w in wins), default=1)
        for w in wins:
            print(_win_line(w, width))
        return 0
    if args.win_id is None:
        raise InvalidInput("win delete needs the id of the win: see prospector win list")
    if args.json or args.prospect is not None or args.at is not None:
        raise InvalidInput("win delete takes only the id of the win")
    from prospector.cli import _int

    gone = store.delete_win(_int("ID")(args.win_id))
    print(f"Deleted win {gone.id}: {gone.describe()}.")
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
    as_of = parse_date(args.as_of, store.today(), "--as-of") if args.as_of is not None else None
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
    from prospector import coach

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
    from prospector import coach

    as_of = parse_date(args.as_of, store.today(), "--as-of") if args.as_of is not None else None
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
        start = parse_date(args.start, today, "day off")
        end = parse_date(args.to, today, "--to") if args.to is not None else start
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


def _day(day: dt.date, today: dt.date) -> str:
    """``Fri 20 Nov``, with the year when it is not this year's."""
    text = f"{day:%a} {day.day} {day:%b}"
    return text if day.year == today.year else f"{text} {day.year}"


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _touches(n: int) -> str:
    return f"{n} touch" if n == 1 else f"{n} touches"


def _lateness(days: int) -> str:
    """``3 days overdue``, ``due today``, ``due in 2 days``."""
    if days == 0:
        return "due today"
    if days > 0:
        return f"{_plural(days, 'day')} overdue"
    return f"due in {_plural(-days, 'day')}"


def _columns(rows: Sequence[Sequence[str]], right: frozenset[int] = frozenset()) -> list[str]:
    """Rows of cells as aligned lines, two spaces apart; ``right`` columns align right.
    A column empty in every row (no prospect has a company) is left out."""
    if not rows:
        return []
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.rjust(w) if i in right else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            if w
        ]
        lines.append(("  " + "  ".join(cells)).rstrip())
    return lines


def _amount(raw: str) -> float:
    """The estimated deal value typed after ``--value``."""
    number = r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+"
    if raw.strip().startswith("-") and re.fullmatch(number, raw.strip()[1:]):
        raise InvalidInput(f"--value must be an amount of 0 or more, got {raw!r}")
    if not re.fullmatch(number, raw.strip()):
        raise InvalidInput(
            f"--value must be an amount such as 15000 or 15000.50 (digits 0-9), got {raw!r}"
        )
    value = float(raw.strip())
    if value >= 1e12:
        raise InvalidInput(f"--value {raw} is implausibly large")
    return value


def _nouns(store: Store) -> dict[str, str]:
    return {k.key: k.noun for k in store.data.kinds}


def _what_next(p: ProspectSummary, nouns: dict[str, str], today: dt.date) -> str:
    """What the next touch is: the cadence's next step, or the step agreed with them."""
    if p.next_reason == "committed" and p.next_touch_on is not None:
        return f"next step agreed for {_day(p.next_touch_on, today)}"
    if p.next_kind is not None:
        return f"{_ordinal(p.touch_count + 1)} touch · {nouns.get(p.next_kind, p.next_kind)}"
    return p.next_reason


def _prospect_payload(p: ProspectSummary, today: dt.date) -> dict[str, Any]:
    """A prospect and its next touch, as ``followups --json`` lists it."""
    return {
        "id": p.id,
        "name": p.name,
        "company": p.company,
        "source": p.source,
        "existing_customer": p.existing_customer,
        "est_value": None if p.est_value is None else _money(p.est_value),
        "touches": p.touch_count,
        "last_touch": _iso(p.last_touch_on),
        "next_touch": _iso(p.next_touch_on),
        "days_overdue": p.days_overdue(today),
        "next_kind": p.next_kind,
        "reason": p.next_reason,
    }


def _prospect_full_payload(p: ProspectSummary, today: dt.date) -> dict[str, Any]:
    """A prospect as ``prospect list --json`` and ``prospect show --json`` give it."""
    return {
        **_prospect_payload(p, today),
        "stage": p.stage,
        "note": p.note,
        "state": p.state,
        "stopped": p.stopped,
        "won": p.won,
        "given_up_early": p.given_up_early,
    }


def _find(store: Store, name: str) -> ProspectSummary:
    """The prospect called ``name`` (any case), or an error that helps find the right one."""
    found = store.find_prospect(name)
    if found is not None and found.id is not None:
        return store.prospect(found.id)
    close = [p.name for p in store.prospects(search=name)][:3]
    hint = (
        f"did you mean {' or '.join(repr(n) for n in close)}?"
        if close
        else "'prospector prospect list' shows every name"
    )
    raise NotFound(f"no prospect named {name.strip()!r}; {hint}")


def prospect(store: Store, args: argparse.Namespace) -> int:
    if args.prospect_command == "add":
        return _prospect_add(store, args)
    if args.prospect_command == "list":
        return _prospect_list(store, args)
    if args.prospect_command == "show":
        return _prospect_show(store, args)
    raise InvalidInput("prospect needs an action: add, list or show")


def _show_command(name: str) -> str:
    """The command that shows ``name``, ready to paste into a shell: the name quoted
    for it, after ``--`` when it starts with a dash (which would read as an option)."""
    dashes = "-- " if name.startswith("-") else ""
    return f"prospector prospect show {dashes}{shell_quoted(name)}"


def _prospect_add(store: Store, args: argparse.Namespace) -> int:
    from prospector import coach

    value = _amount(args.value) if args.value is not None else None
    existing = store.find_prospect(args.name) if args.name.strip() else None
    if existing is not None:
        raise InvalidInput(
            f"a prospect named {existing.name!r} already exists; "
            f"see it with: {_show_command(existing.name)}",
            "name",
        )
    row = store.add_prospect(
        args.name,
        company=args.company,
        source=args.source,
        existing_customer=args.existing,
        est_value=value,
    )
    assert row.id is not None
    p = store.prospect(row.id)
    today = store.today()
    details = [p.company] if p.company else []
    details.append(p.source.replace("_", " "))
    if p.existing_customer and p.source != "existing_customer":
        details.append("existing customer")
    if p.est_value is not None:
        details.append(f"est. {coach.money(p.est_value, store.settings().currency)}")
    print(f"Added {p.name} ({', '.join(details)}).")
    if p.next_touch_on is not None and p.next_kind is not None:
        when = "today" if p.next_touch_on == today else _day(p.next_touch_on, today)
        print(f"First touch: {_nouns(store).get(p.next_kind, p.next_kind)}, due {when}.")
    return 0


def _next_cell(p: ProspectSummary, today: dt.date) -> str:
    if p.next_touch_on is not None:
        late = p.days_overdue(today) or 0
        when = f"next {_day(p.next_touch_on, today)}"
        return f"{when}, {_lateness(late)}" if late >= 0 else when
    if p.next_reason == "cadence done":
        return "cadence done: log a next step or a stop"
    return ""


def _prospect_list(store: Store, args: argparse.Namespace) -> int:
    from prospector.cli import LIST_PAGE

    today = store.today()
    limit = None if args.all else args.limit
    if limit is None and not args.all and not args.json:
        limit = LIST_PAGE
    if limit is None:
        found = store.prospects(search=args.search, open_only=args.open)
        total = len(found)
    else:
        found, total = store.prospect_page(args.search, open_only=args.open, limit=limit)
    if args.json:
        _emit_json({"prospects": [_prospect_full_payload(p, today) for p in found]})
        return 0
    which = f" matching {args.search.strip()!r}" if args.search.strip() else ""
    which += " still open" if args.open else ""
    if not found:
        if which:
            print(f"No prospects{which}.")
        else:
            print("No prospects yet: add one with prospector prospect add NAME.")
        return 0
    if total > len(found):
        return _prospect_page(store, found, total, which, today)
    lateness = [p.days_overdue(today) for p in found]
    overdue = sum(1 for late in lateness if late is not None and late > 0)
    due = lateness.count(0)
    counts = [f"{overdue} overdue"] if overdue else []
    counts += [f"{due} due today"] if due else []
    extra = f" ({', '.join(counts)})" if counts else ""
    print(f"{_plural(len(found), 'prospect')}{which}{extra}:")
    _print_prospect_rows(store, found, today)
    return 0


def _print_prospect_rows(store: Store, found: list[ProspectSummary], today: dt.date) -> None:
    from prospector import coach

    currency = store.settings().currency
    rows = [
        (
            p.name,
            p.company,
            p.state,
            _touches(p.touch_count),
            _next_cell(p, today),
            "" if p.est_value is None else coach.money(p.est_value, currency),
        )
        for p in found
    ]
    for line in _columns(rows, right=frozenset({5})):
        print(line)


def _prospect_show(store: Store, args: argparse.Namespace) -> int:
    import pendulum

    from prospector import coach

    p = _find(store, args.name)
    history = store.prospect_history(p.id)
    today = store.today()
    if args.json:
        payload = _prospect_full_payload(p, today)
        payload["history"] = [
            {
                "at": pendulum.instance(a.at).in_timezone(zone(readable_zone(a.tz))).isoformat(),
                "local_date": a.local_date.isoformat(),
                "kind": a.kind,
                "outcome": a.outcome,
                "next_step_on": _iso(a.next_step_on),
                "note": a.note,
                "minutes": a.minutes,
            }
            for a in history
        ]
        _emit_json(payload)
        return 0
    currency = store.settings().currency
    print(f"{p.name}, {p.company}" if p.company else p.name)
    source = p.source.replace("_", " ")
    if p.existing_customer and p.source != "existing_customer":
        source += " · existing customer"
    state = p.state
    if p.given_up_early:
        state += (
            f": given up early after {_touches(p.touch_count)}"
            " (most sales come at the 5th to 12th contact)"
        )
    facts = [("Source", source), ("Stage", p.stage), ("State", state)]
    if p.est_value is not None:
        facts.append(("Est. value", coach.money(p.est_value, currency)))
    touches = _touches(p.touch_count)
    if p.last_touch_on is not None:
        touches += f", the last on {_day(p.last_touch_on, today)}"
    facts.append(("Touches", touches))
    if p.next_touch_on is not None:
        late = p.days_overdue(today) or 0
        when = _day(p.next_touch_on, today) + (f" ({_lateness(late)})" if late >= 0 else "")
        what = (
            "the next step agreed with them"
            if p.next_reason == "committed"
            else _what_next(p, _nouns(store), today)
        )
        facts.append(("Next touch", f"{when}: {what}"))
    elif p.next_reason == "cadence done":
        facts.append(("Next touch", "none: the cadence is done; log a next step or a stop"))
    if p.note:
        facts.append(("Note", p.note))
    resolution = {o.key: o.resolution for o in store.data.outcomes}
    contact = next((a for a in history if resolution.get(a.outcome) != "none"), None)
    if not p.closed and contact is not None and resolution.get(contact.outcome) == "limbo":
        facts.append(
            (
                "Limbo",
                f"the {_nouns(store).get(contact.kind, contact.kind)} on "
                f"{_day(contact.local_date, today)} ended in no next step and no stop",
            )
        )
    width = max(len(label) for label, _ in facts)
    for label, value in facts:
        print(f"  {label:<{width}}  {value}")
    if not history:
        print("No touches yet.")
        return 0
    print("Touches, newest first:")
    kinds = {k.key: k.label for k in store.data.kinds}
    outcomes = {o.key: o.label for o in store.data.outcomes}
    rows = []
    for a in history:
        local = pendulum.instance(a.at).in_timezone(zone(readable_zone(a.tz)))
        outcome = outcomes.get(a.outcome, a.outcome)
        if a.next_step_on is not None:
            outcome += f" → {_day(a.next_step_on, today)}"
        rows.append(
            (
                f"{_day(a.local_date, today)} {local:%H:%M}",
                kinds.get(a.kind, a.kind),
                outcome,
                "" if a.minutes is None else f"{a.minutes} min",
                a.note,
            )
        )
    for line in _columns(rows):
        print(line)
    return 0


def _prospect_page(
    store: Store, found: list[ProspectSummary], total: int, which: str, today: dt.date
) -> int:
    """The first prospects by name of a list too long to print whole, and how to see
    the rest: 80,000 lines help no one, and cost seconds to read and print."""
    print(f"{total:,} prospects{which}; the first {len(found):,} by name:")
    _print_prospect_rows(store, found, today)
    print(f"... and {total - len(found):,} more: --all lists every one, --search TEXT narrows.")
    return 0


def followups(store: Store, args: argparse.Namespace) -> int:
    from prospector import coach

    today = store.today()
    as_of = parse_date(args.as_of, today, "--as-of") if args.as_of is not None else today
    due = store.followup_queue(as_of)
    if args.json:
        _emit_json({"as_of": as_of.isoformat(), "due": [_prospect_payload(p, as_of) for p in due]})
        return 0
    day = _day(as_of, today)
    if not due:
        ahead = [
            p
            for p in store.prospects(include_stopped=False)
            if not p.closed and p.next_touch_on is not None and p.next_touch_on > as_of
        ]
        if not ahead:
            print(f"Nothing is due on {day}, and no follow-up is planned after it.")
            return 0
        first = min(ahead, key=lambda p: (p.next_touch_on, -(p.est_value or 0), p.name.lower()))
        assert first.next_touch_on is not None
        print(
            f"Nothing is due on {day}. The next follow-up is {first.name} "
            f"on {_day(first.next_touch_on, today)}."
        )
        return 0
    print(f"{_plural(len(due), 'follow-up')} due on {day}:")
    nouns = _nouns(store)
    currency = store.settings().currency
    rows = [
        (
            p.name,
            p.company,
            _lateness(p.days_overdue(as_of) or 0),
            _what_next(p, nouns, today),
            "" if p.est_value is None else coach.money(p.est_value, currency),
        )
        for p in due
    ]
    for line in _columns(rows, right=frozenset({4})):
        print(line)
    print("Log each touch with: prospector log KIND --prospect NAME --outcome OUTCOME")
    return 0


def _limbo_payload(item: LimboItem, today: dt.date) -> dict[str, Any]:
    return {
        "id": item.prospect.id,
        "name": item.prospect.name,
        "company": item.prospect.company,
        "conversation_on": item.on.isoformat(),
        "days": item.days(today),
        "kind": item.kind,
        "note": item.note,
        "action_id": item.action_id,
    }


def limbo(store: Store, args: argparse.Namespace) -> int:
    today = store.today()
    items = store.limbo()
    if args.json:
        _emit_json({"as_of": today.isoformat(), "limbo": [_limbo_payload(i, today) for i in items]})
        return 0
    if not items:
        print("No conversations in limbo: each one ended in a next step or a stop.")
        return 0
    print(f"{_plural(len(items), 'conversation')} with no next step and no stop:")
    nouns = _nouns(store)

    def ago(days: int) -> str:
        return "today" if days == 0 else f"{_plural(days, 'day')} ago"

    rows = [
        (
            i.prospect.name,
            i.prospect.company,
            f"{nouns.get(i.kind, i.kind)} on {_day(i.on, today)}",
            ago(i.days(today)),
            i.note,
        )
        for i in items
    ]
    for line in _columns(rows):
        print(line)
    print(
        "Settle each one: prospector log KIND --prospect NAME --outcome next_step --next DATE,\n"
        "or --outcome stop when it is a clear no."
    )
    return 0


def demo(store: Store, args: argparse.Namespace) -> int:
    made = fill_demo(store, seed=args.seed, actions=args.actions)
    print(
        f"Demo history written: {made['actions']} actions, {made['prospects']} prospects, "
        f"{made['wins']} wins, {made['days_off']} days off."
    )
    return 0
