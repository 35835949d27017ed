"""Demo history: six months of a believable rep's prospecting, ending today.

Why it exists: every screen of the app (today's progress, the streak and buffer, the
weekly review, the 30/90 projection, follow-ups and limbo) only shows what it is for on
a history with shape. So the demo is not uniform noise but a story a rep recognises:
steady working days near target, a three-week slump three to four months ago (the one
the projection must warn about), a two-week vacation two months ago, a public holiday
and a sick day, prospects followed through 1-3 or 5-12 touches, a handful of wins in
the later months, and a partial today with a block still running.

Deterministic on purpose: all randomness comes from ``random.Random(seed)`` and all
dates from the store's clock, so the same seed and clock give identical rows (uids
included), which snapshots, tests and benchmarks rely on.

With ``actions=N`` the same six months are scaled to N actions (a few more only if a
tiny N leaves a prospect's touch without an action to ride on), so benchmark databases
have a realistic shape at any size.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import random
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pendulum

from prospector.errors import InvalidInput
from prospector.settings import Settings
from prospector.store import Store
from prospector.targets import TargetPlan, WorkCalendar

HISTORY_MONTHS = 6
DAY_START = 8 * 3600 + 30 * 60
"""Local time (seconds after midnight) the morning prospecting block usually starts."""
DAY_END = 11 * 3600 + 30 * 60
SLUMP_LEVEL = (0.30, 0.40)
"""Share of the usual volume done during the slump."""
UNTARGETED_PER_DAY = {"text": 1.5, "social": 2.0}
"""Kinds without a target still happen a little; everything else follows the targets."""
WEEKEND_TODAY = {"linkedin": 3.0, "email": 2.0, "social": 1.0}
"""A rep opening the demo on a weekend still sees some progress in flight."""

STEP_MIX: dict[str, tuple[tuple[str, float], ...]] = {
    "default": (
        ("conversation", 0.45),
        ("next_step", 0.20),
        ("meeting", 0.12),
        ("referral", 0.03),
        ("stop", 0.20),
    ),
    "referral_ask": (
        ("referral", 0.55),
        ("conversation", 0.25),
        ("next_step", 0.10),
        ("stop", 0.10),
    ),
    "visit": (
        ("conversation", 0.35),
        ("next_step", 0.30),
        ("meeting", 0.20),
        ("referral", 0.05),
        ("stop", 0.10),
    ),
}
"""What a touch that reached someone led to, per kind (the rest is ``no_response``)."""

SOURCE_WEIGHTS = {
    "cold": 0.40,
    "referral": 0.15,
    "inbound": 0.15,
    "event": 0.10,
    "existing_customer": 0.20,
}
WON_SOURCE_WEIGHTS = {
    "cold": 0.20,
    "referral": 0.30,
    "inbound": 0.15,
    "event": 0.10,
    "existing_customer": 0.25,
}
"""Referrals and existing customers close more often: the brief's cheapest channel."""
TOUCH_KINDS = {
    "cold": (("call", 0.50), ("email", 0.25), ("linkedin", 0.20), ("text", 0.05)),
    "referral": (("call", 0.60), ("email", 0.20), ("visit", 0.10), ("text", 0.10)),
    "inbound": (("call", 0.50), ("email", 0.40), ("visit", 0.10)),
    "event": (("linkedin", 0.30), ("email", 0.30), ("call", 0.30), ("visit", 0.10)),
    "existing_customer": (
        ("visit", 0.30),
        ("call", 0.30),
        ("referral_ask", 0.30),
        ("email", 0.10),
    ),
}

NOTES = {
    "conversation": (
        "Interested, but the budget is fixed until Q1",
        "Spoke briefly; asked me to send some information",
        "Uses a competitor; their contract ends in spring",
        "Friendly chat, no commitment yet",
    ),
    "next_step": (
        "Send a quote and call back",
        "Follow-up call agreed with their operations lead",
        "Demo agreed for the whole team",
    ),
    "meeting": ("Meeting at their office", "Intro meeting with the managing director"),
    "stop": (
        "Not now: reorganising until next year",
        "No budget and no real fit",
        "Chose a competitor",
    ),
    "referral": ("Gave me the name of a contact at a partner firm",),
}

FIRST_NAMES = (
    "Anna", "Bram", "Daan", "Eva", "Femke", "Gijs", "Hanna", "Jeroen", "Joost", "Karin",
    "Lars", "Lotte", "Maarten", "Marieke", "Niels", "Noor", "Pieter", "Roos", "Sanne",
    "Sven", "Thijs", "Wouter", "Yvonne", "Ilse", "Koen", "Lieke", "Ruben", "Esther",
    "Lukas", "Katrin", "Matthias", "Camille", "Julien", "Marco", "Giulia", "Ingrid",
    "Mette", "Søren", "Elif", "Tomasz", "Bas", "Floor", "Hugo", "Iris", "Jasper", "Merel",
    "Olaf", "Petra", "Rik", "Tessa", "Vera", "Stefan",
)  # fmt: skip
"""Dutch and European first names; names are drawn without repeats."""
LAST_NAMES = (
    "de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
    "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
    "Brouwer", "de Wit", "Dijkstra", "van Dijk", "Kok", "Vermeulen", "Willems",
    "Janssens", "Peeters", "Maes", "Schmidt", "Weber", "Dubois", "Lefebvre", "Rossi",
    "Nielsen", "Lindqvist", "Kowalski", "Yilmaz", "Koster", "Prins", "Huisman", "Kuipers",
    "van der Meer", "Bosman", "Postma", "Verhoeven", "Timmermans", "Hoekstra",
)  # fmt: skip
COMPANIES = (
    "Noordkade Logistiek B.V.", "Brabant Metaalbewerking", "Zeeland Koeltransport",
    "Hofstad Facilitair", "Groen & Zonen Bouw", "Delta Verpakkingen B.V.",
    "Rijnmond Elektro", "Utrechtse Schoonmaakgroep", "Veluwe Drukwerk", "Kempen Voeding",
    "Friesland Techniek", "Amstel Kantoorinrichting", "IJssel Machinebouw B.V.",
    "Maas Vastgoedbeheer", "Twente Kunststoffen", "Limburg Precision Parts",
    "Haarlem Hospitality Group", "Westland Kassenbouw", "Eindhoven Sensor Systems",
    "Leiden BioLab Services", "Antwerp Port Services NV", "Gentse Textielgroep",
    "Aachener Antriebstechnik GmbH", "Düsseldorf Messebau GmbH", "Lille Emballages SAS",
    "Copenhagen Design Supply", "Delft Water Solutions", "Zwolle Transport",
    "Almere Data Centre", "Nijmegen Zorgtechniek", "Tilburg Fulfilment B.V.",
    "Bredase Brouwerij", "Arnhem Energy Services", "Bossche Interieurbouw",
    "Apeldoorn Beveiliging", "Rotterdam Havenlogistiek", "Groningen AgriTech",
    "Dordrecht Scheepsreparatie", "Hilversum Media Producties", "Maastricht Pharma Packaging",
    "Amersfoort IT Beheer", "Alkmaar Bloembollen Export", "Gouda Kaashandel",
    "Lyon Industrie Services", "Milano Packaging Srl",
)  # fmt: skip


@dataclass
class _Day:
    """One calendar day of the history and how much the rep worked on it."""

    day: dt.date
    midnight: dt.datetime
    """Local midnight as an aware UTC instant, with the zone's offset of that morning."""
    level: float = 0.0
    """Share of the usual volume worked: 0 is nothing logged, 1 is on target."""
    slump: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    window: tuple[int, int] = (DAY_START, DAY_END)
    """Seconds after local midnight between which the day's touches fall."""
    block: int | None = None
    """Index of the day's block in the block rows."""
    block_span: tuple[int, int] | None = None
    touches: list[_Touch] = field(default_factory=list)


@dataclass(frozen=True)
class _Touch:
    """A touch of a named prospect: one of the day's actions, attached to the prospect."""

    prospect: int
    kind: str
    outcome: str
    next_step_on: dt.date | None
    note: str
    minutes: int | None


def generate_demo(store: Store, seed: int = 7, actions: int | None = None) -> dict[str, int]:
    """Fill an empty database with six months of demo history ending today.

    Refuses a database that already holds actions, because demo rows mixed into a real
    history would corrupt every figure the rep relies on; nothing is written then. All
    rows go in through one transaction, so an interrupted run leaves nothing behind.
    Returns the counts of actions, prospects, wins and days off written.
    """
    existing = store.action_count()
    if existing:
        raise InvalidInput(
            f"{_where(store)} already holds {existing:,} action{'' if existing == 1 else 's'}; "
            "demo data only goes into an empty database: use --db with a new file"
        )
    if actions is not None and actions < 1:
        raise InvalidInput(f"--actions must be at least 1, got {actions}")
    current = store.settings()
    zone = current.timezone
    now_local = pendulum.instance(store.now()).in_timezone(zone)
    today = _date(now_local.date())
    now_secs = now_local.hour * 3600 + now_local.minute * 60 + now_local.second
    rng = random.Random(seed)

    days, days_off = _plan_calendar(rng, current, today)
    _plan_volume(rng, store, current, days, today, now_secs, actions)
    blocks = _plan_blocks(rng, current, days, today, now_secs, zone)
    prospects, wins = _plan_prospects(rng, current, store.data.kind_keys, days, today, zone)
    action_rng = random.Random(rng.getrandbits(64))
    written = store.insert_history_bulk(
        prospects=prospects,
        blocks=blocks,
        actions=_action_rows(action_rng, store, days, zone),
        wins=wins,
        days_off=days_off,
    )
    return {
        "actions": written["actions"],
        "prospects": written["prospects"],
        "wins": written["wins"],
        "days_off": written["days_off"],
    }


def _where(store: Store) -> str:
    return str(store.path) if store.path else "this database"


def _uid(rng: random.Random) -> str:
    """A uid like ``uuid4().hex``, but drawn from the seeded generator."""
    return f"{rng.getrandbits(128):032x}"


def _date(value: dt.date) -> dt.date:
    """A plain ``datetime.date`` (pendulum's subclass would not compare as equal rows)."""
    return dt.date(value.year, value.month, value.day)


def _midnight(day: dt.date, zone: str) -> dt.datetime:
    """Local midnight of ``day`` as a UTC instant, using the offset in force that morning.

    Actions fall in the morning, after any daylight-saving switch, so one offset per day
    gives the right instant without converting each of a million actions separately.
    """
    morning = pendulum.datetime(day.year, day.month, day.day, 8, tz=zone)
    offset = morning.utcoffset() or dt.timedelta(0)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC) - offset


def _at(day: _Day, seconds: float) -> dt.datetime:
    return day.midnight + dt.timedelta(seconds=int(seconds))


def _pick(rng: random.Random, weighted: Sequence[tuple[str, float]] | Mapping[str, float]) -> str:
    items = list(weighted.items()) if isinstance(weighted, Mapping) else list(weighted)
    return rng.choices([k for k, _ in items], weights=[w for _, w in items])[0]


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson count: the day-to-day noise of a rep's volume around their intent."""
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _easter(year: int) -> dt.date:
    """Easter Sunday (anonymous Gregorian algorithm), for the Dutch movable holidays."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    n = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * n) // 451
    month, day = divmod(h + n - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _dutch_holidays(year: int) -> dict[dt.date, str]:
    """Public holidays in the Netherlands: the demo rep is Dutch, so these are days off."""
    easter = _easter(year)
    kings = dt.date(year, 4, 27)
    if kings.isoweekday() == 7:
        kings = dt.date(year, 4, 26)
    out = {
        dt.date(year, 1, 1): "New Year's Day",
        easter + dt.timedelta(days=1): "Easter Monday",
        kings: "King's Day",
        easter + dt.timedelta(days=39): "Ascension Day",
        easter + dt.timedelta(days=50): "Whit Monday",
        dt.date(year, 12, 25): "Christmas Day",
        dt.date(year, 12, 26): "Boxing Day",
    }
    if year % 5 == 0:
        out[dt.date(year, 5, 5)] = "Liberation Day"
    return out


def _plan_calendar(
    rng: random.Random, current: Settings, today: dt.date
) -> tuple[list[_Day], list[dict[str, Any]]]:
    """Every day of the six months, with days off, the slump and skipped days decided."""
    working = set(current.working_days)
    start = _date(pendulum.date(today.year, today.month, today.day).subtract(months=HISTORY_MONTHS))
    days = [
        _Day(
            start + dt.timedelta(days=i), _midnight(start + dt.timedelta(days=i), current.timezone)
        )
        for i in range((today - start).days + 1)
    ]
    by_date = {d.day: d for d in days}
    monday = today - dt.timedelta(days=today.isoweekday() - 1)
    vacation_start = monday - dt.timedelta(weeks=rng.randint(8, 9))
    vacation = {vacation_start + dt.timedelta(days=i) for i in range(14)}
    slump_start = monday - dt.timedelta(weeks=rng.randint(14, 16))
    slump = {slump_start + dt.timedelta(days=i) for i in range(21)}

    off: dict[dt.date, tuple[str, str]] = {}
    for d in days:
        if d.day.isoweekday() not in working:
            continue
        if d.day in vacation:
            off[d.day] = ("vacation", "Two weeks away with the family")
    for year in range(start.year, today.year + 1):
        for day, name in sorted(_dutch_holidays(year).items()):
            if start <= day < today and day.isoweekday() in working and day not in off:
                off[day] = ("holiday", name)

    def normal(d: _Day) -> bool:
        return (
            d.day.isoweekday() in working
            and d.day not in off
            and d.day not in slump
            and d.day != today
        )

    recent = today - dt.timedelta(days=14)
    sick_candidates = [
        d for d in days if normal(d) and start + dt.timedelta(days=7) <= d.day < recent
    ]
    for _ in range(1 + (rng.random() < 0.5) if sick_candidates else 0):
        first = rng.choice(sick_candidates)
        run = [first.day]
        if rng.random() < 0.5:
            nxt = first.day + dt.timedelta(days=1)
            if nxt in by_date and normal(by_date[nxt]):
                run.append(nxt)
        for day in run:
            off[day] = ("sick", "")
    skip_candidates = [d for d in days if normal(d) and d.day < vacation_start]
    skipped = {
        d.day for d in rng.sample(skip_candidates, min(len(skip_candidates), rng.randint(2, 4)))
    }

    for d in days:
        if d.day.isoweekday() not in working or d.day in off or d.day in skipped:
            d.level = 0.0
        elif d.day in slump:
            d.slump = True
            d.level = rng.uniform(*SLUMP_LEVEL)
        else:
            level = min(1.3, max(0.7, rng.gauss(1.05, 0.1)))
            if d.day.isoweekday() == 5:
                level *= 0.88  # Fridays run a little lighter
            d.level = level
    days_off = [
        {"day": day, "reason": reason, "note": note} for day, (reason, note) in sorted(off.items())
    ]
    return days, days_off


def _plan_volume(
    rng: random.Random,
    store: Store,
    current: Settings,
    days: list[_Day],
    today: dt.date,
    now_secs: int,
    actions: int | None,
) -> None:
    """How many actions of each kind each day: Poisson around the targets, or exactly N."""
    plan = TargetPlan(store.target_rules(), WorkCalendar(frozenset(current.working_days), {}))
    kinds = list(store.data.kind_keys)
    today_share = rng.uniform(0.15, 0.3)
    cells: list[tuple[_Day, str, float]] = []
    for d in days:
        if d.day == today:
            if d.day.isoweekday() in current.working_days:
                level = min(1.0, max(d.level, 0.8)) * today_share
                means = {k: plan.share(k, d.day) or UNTARGETED_PER_DAY.get(k, 0.0) for k in kinds}
                means = {k: m * level for k, m in means.items()}
            else:
                means = {k: WEEKEND_TODAY.get(k, 0.0) for k in kinds}
            start = DAY_START if now_secs >= DAY_START + 30 * 60 else max(0, now_secs - 45 * 60)
            d.window = (start, max(start, now_secs))
        elif d.level > 0:
            means = {
                k: d.level * (plan.share(k, d.day) or UNTARGETED_PER_DAY.get(k, 0.0)) for k in kinds
            }
        else:
            continue
        cells += [(d, k, m) for k, m in means.items() if m > 0]
    if actions is None:
        for d, kind, mean in cells:
            n = _poisson(rng, mean)
            if n:
                d.counts[kind] = n
        # Today always shows some progress in flight, even on an unlucky draw.
        today_cells = [c for c in cells if c[0].day == today]
        if today_cells and sum(today_cells[0][0].counts.values()) < 3:
            row, kind, _ = max(today_cells, key=lambda c: c[2])
            row.counts[kind] = row.counts.get(kind, 0) + 3
        return
    # Exactly ``actions``: share them out in proportion to the means, largest remainder.
    total = sum(m for _, _, m in cells)
    if total <= 0:
        return
    quotas = [m * actions / total for _, _, m in cells]
    counts = [math.floor(q) for q in quotas]
    short = actions - sum(counts)
    order = sorted(range(len(cells)), key=lambda i: (counts[i] - quotas[i], i))
    for i in order[:short]:
        counts[i] += 1
    for (d, kind, _), n in zip(cells, counts, strict=True):
        if n:
            d.counts[kind] = n


def _plan_blocks(
    rng: random.Random,
    current: Settings,
    days: list[_Day],
    today: dt.date,
    now_secs: int,
    zone: str,
) -> list[dict[str, Any]]:
    """A timed block on most working days; today's is still running.

    Slump days have fewer, shorter, more interrupted blocks: the "building the hut"
    colleague of the brief, visible in the block table as well as in the counts.
    """
    rows: list[dict[str, Any]] = []
    minutes = current.block_minutes
    for d in days:
        if not d.counts:
            continue
        if d.day == today:
            if now_secs < DAY_START + 15 * 60:
                continue
            start = min(DAY_START + rng.randint(0, 10) * 60, now_secs - 5 * 60)
            planned, actual, ended, interruptions = minutes, None, None, 0
            span = (start, now_secs)
            d.window = span
        else:
            if rng.random() > (0.45 if d.slump else 0.88):
                continue
            start = DAY_START + rng.randint(0, 30) * 60
            planned = rng.choice((minutes, minutes, minutes + 30, 2 * minutes))
            if d.slump:
                actual = max(10, round(planned * rng.uniform(0.35, 0.7)))
                interruptions = _poisson(rng, 2.0)
            else:
                actual = max(15, planned + rng.randint(-20, 10))
                interruptions = _poisson(rng, 0.5)
            span = (start, start + actual * 60)
            ended = _at(d, span[1])
        d.block, d.block_span = len(rows), span
        rows.append(
            {
                "uid": _uid(rng),
                "started_at": _at(d, start),
                "tz": zone,
                "local_date": d.day,
                "planned_minutes": planned,
                "ended_at": ended,
                "actual_minutes": actual,
                "interruptions": interruptions,
            }
        )
    return rows


def _plan_prospects(
    rng: random.Random,
    current: Settings,
    store_kinds: Sequence[str],
    days: list[_Day],
    today: dt.date,
    zone: str,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """About forty prospects, each with a touch sequence laid onto the worked days.

    Four fates, in the proportions the follow-up figures of the brief make interesting:
    won after 5-12 touches (mostly), stopped with a clear no, dropped after 1-3 touches
    with neither (the value thrown away), and active with a next touch that is overdue,
    due today or ahead.
    """
    worked = [d for d in days if d.counts and d.day < today]
    if not worked:
        return [], []
    worked_dates = [d.day for d in worked]
    known = set(store_kinds)
    touch_kinds = {
        source: [(k, w) for k, w in mix if k in known] or [(store_kinds[0], 1.0)]
        for source, mix in TOUCH_KINDS.items()
    }
    working = set(current.working_days)
    fates = ["won"] * rng.randint(6, 9) + ["stopped"] * rng.randint(5, 7)
    fates += ["dropped"] * rng.randint(6, 9)
    fates += ["active"] * (rng.randint(38, 42) - len(fates))
    rng.shuffle(fates)
    sources = [_pick(rng, WON_SOURCE_WEIGHTS if f == "won" else SOURCE_WEIGHTS) for f in fates]
    for source in SOURCE_WEIGHTS:
        # Every channel shows up at least once, so no per-source view is empty.
        if source not in sources:
            common = Counter(sources).most_common(1)[0][0]
            sources[sources.index(common)] = source
    # Most wins land in the last three months: the payoff of the months before.
    recent_from = bisect.bisect_left(worked_dates, today - dt.timedelta(days=91))
    recent_wins = math.ceil(0.7 * fates.count("won"))
    firsts, lasts = rng.sample(FIRST_NAMES, len(fates)), rng.sample(LAST_NAMES, len(fates))
    names = list(zip(firsts, lasts, strict=True))
    companies = rng.sample(COMPANIES, len(fates))
    won_days: list[int] = []
    prospects: list[dict[str, Any]] = []
    wins: list[dict[str, Any]] = []
    due_plan = iter(("overdue", "today", "future"))

    def working_day(day: dt.date, step: int) -> dt.date:
        while day.isoweekday() not in working:
            day += dt.timedelta(days=step)
        return day

    for ref, (fate, source, (first, last), company) in enumerate(
        zip(fates, sources, names, companies, strict=True)
    ):
        value = round(rng.uniform(5000, 40000) / 500) * 500
        next_touch: dt.date | None = None
        won_on: dt.date | None = None
        if fate == "won":
            touches = rng.randint(5, 12) if rng.random() < 0.8 else rng.randint(3, 4)
            if len(won_days) < recent_wins:
                lo, hi = min(recent_from, len(worked) - 1), len(worked)
            else:
                lo, hi = len(worked) // 5, max(len(worked) // 5 + 1, recent_from)
            for _ in range(5):  # rarely two wins on one day
                index = rng.randrange(lo, hi)
                if index not in won_days:
                    break
            won_days.append(index)
            won_index = index
            won_on = worked[index].day
            last_index = max(0, index - rng.randint(2, 8))
        elif fate == "stopped":
            touches = rng.randint(2, 8)
            last_index = rng.randrange(len(worked))
        elif fate == "dropped":
            touches = rng.randint(1, 3)
            last_index = rng.randrange(max(1, len(worked) - 15))
        else:
            touches = rng.randint(1, 3) if rng.random() < 0.4 else rng.randint(4, 10)
            due = next(due_plan, None) or _pick(rng, {"overdue": 0.3, "today": 0.2, "future": 0.5})
            if due == "overdue":
                next_touch = working_day(today - dt.timedelta(days=rng.randint(1, 8)), -1)
            elif due == "today":
                next_touch = today
            else:
                next_touch = working_day(today + dt.timedelta(days=rng.randint(1, 14)), 1)
            latest = min(today - dt.timedelta(days=1), next_touch - dt.timedelta(rng.randint(2, 9)))
            last_index = max(0, bisect.bisect_right(worked_dates, latest) - 1)
        sequence = [last_index]
        while len(sequence) < touches and sequence[-1] - 2 >= 0:
            sequence.append(max(0, sequence[-1] - rng.randint(2, 6)))
        sequence.reverse()

        outcomes: list[tuple[str, dt.date | None]] = []
        for i in range(len(sequence)):
            later = worked[sequence[i + 1]].day if i + 1 < len(sequence) else None
            if later is None:
                if fate == "won":
                    step = ("meeting", None) if rng.random() < 0.6 else ("next_step", won_on)
                elif fate == "stopped":
                    step = ("stop", None)
                elif fate == "dropped":
                    step = (_pick(rng, {"no_response": 0.5, "conversation": 0.5}), None)
                else:
                    outcome = _pick(
                        rng,
                        {
                            "next_step": 0.45,
                            "conversation": 0.2,
                            "no_response": 0.3,
                            "meeting": 0.05,
                        },
                    )
                    step = (outcome, next_touch if outcome == "next_step" else None)
            else:
                outcome = _pick(
                    rng,
                    {"no_response": 0.62, "conversation": 0.18, "next_step": 0.15, "meeting": 0.05},
                )
                step = (outcome, later if outcome == "next_step" else None)
            outcomes.append(step)

        for index, (outcome, next_on) in zip(sequence, outcomes, strict=True):
            kind = _pick(rng, touch_kinds[source])
            if kind == "referral_ask" and outcome == "conversation":
                outcome = "referral"
            note = rng.choice(NOTES[outcome]) if outcome in NOTES and rng.random() < 0.7 else ""
            minutes = rng.randint(30, 90) if kind == "visit" else None
            if minutes is None and kind == "call" and outcome != "no_response":
                minutes = rng.randint(4, 25)
            worked[index].touches.append(_Touch(ref, kind, outcome, next_on, note, minutes))

        reached = {o for o, _ in outcomes}
        if fate == "won":
            stage = "won"
        elif fate == "stopped":
            stage = "lost"
        elif "meeting" in reached:
            stage = "meeting"
        elif reached & {"conversation", "next_step"}:
            stage = "engaged"
        else:
            stage = "contacted"
        existing = source == "existing_customer"
        first_day = worked[sequence[0]]
        created = days[0] if existing else first_day
        prospects.append(
            {
                "uid": _uid(rng),
                "name": f"{first} {last}",
                "company": company,
                "source": source,
                "stage": stage,
                "existing_customer": existing,
                "est_value": float(value),
                "stopped": fate == "stopped",
                "next_touch_on": next_touch,
                "note": f"Customer since {today.year - rng.randint(1, 6)}" if existing else "",
                "created_at": _at(created, 8 * 3600 + rng.randint(0, 25) * 60),
            }
        )
        if won_on is not None:
            win_day = worked[won_index]
            amount = round(value * rng.uniform(0.8, 1.1) / 250) * 250
            amount = min(40000, max(5000, amount))
            wins.append(
                {
                    "uid": _uid(rng),
                    "amount_cents": amount * 100,
                    "currency": current.currency,
                    "at": _at(win_day, rng.randint(14 * 3600, 16 * 3600 + 30 * 60)),
                    "tz": zone,
                    "local_date": won_on,
                    "prospect_ref": ref,
                    "note": "",
                }
            )
    wins.sort(key=lambda row: (row["at"], row["uid"]))
    return prospects, wins


def _outcome_table(store: Store) -> dict[str, tuple[float, list[tuple[float, str]]]]:
    """Per kind: the chance a touch reaches someone, and cumulative odds of each result."""
    known = set(store.data.outcome_keys)
    table = {}
    for kind in store.data.kinds:
        mix = [(o, w) for o, w in STEP_MIX.get(kind.key, STEP_MIX["default"]) if o in known]
        total = sum(w for _, w in mix) or 1.0
        cumulative, running = [], 0.0
        for outcome, weight in mix:
            running += weight / total
            cumulative.append((running, outcome))
        table[kind.key] = (kind.contact_rate if mix else 0.0, cumulative)
    return table


def _action_rows(
    rng: random.Random, store: Store, days: list[_Day], zone: str
) -> Iterator[dict[str, Any]]:
    """The action rows, day by day in time order, each prospect touch in a day's slot.

    A generator, so that a million rows never sit in memory at once: the store consumes
    it in batches inside its one transaction.
    """
    table = _outcome_table(store)
    no_response = "no_response"
    random_ = rng.random
    randint = rng.randint
    getrandbits = rng.getrandbits
    for d in days:
        if not d.counts:
            continue
        kinds = [kind for kind, n in d.counts.items() for _ in range(n)]
        attached: dict[int, _Touch] = {}
        for touch in d.touches:
            free = [i for i in range(len(kinds)) if i not in attached]
            if not free:
                kinds.append(touch.kind)
                attached[len(kinds) - 1] = touch
                continue
            same = next((i for i in free if kinds[i] == touch.kind), free[0])
            kinds[same] = touch.kind
            attached[same] = touch
        lo, hi = d.window
        span = d.block_span
        timed: list[tuple[int, int]] = []
        for i in range(len(kinds)):
            if span is not None and random_() < 0.9:
                secs = span[0] + int(random_() * (span[1] - span[0]))
            else:
                secs = lo + int(random_() * (hi - lo))
            timed.append((secs, i))
        timed.sort()
        for secs, i in timed:
            kind = kinds[i]
            mine = attached.get(i)
            next_on: dt.date | None = None
            prospect: int | None = None
            note = ""
            minutes: int | None = None
            if mine is not None:
                outcome, next_on, prospect = mine.outcome, mine.next_step_on, mine.prospect
                note, minutes = mine.note, mine.minutes
            else:
                contact, cumulative = table[kind]
                r = random_()
                if r >= contact:
                    outcome = no_response
                else:
                    r /= contact
                    outcome = next((o for edge, o in cumulative if r < edge), cumulative[-1][1])
                    if outcome == "next_step":
                        next_on = d.day + dt.timedelta(days=randint(2, 9))
                if kind == "visit":
                    minutes = randint(30, 90)
            in_block = span is not None and span[0] <= secs <= span[1]
            yield {
                "uid": f"{getrandbits(128):032x}",
                "at": d.midnight + dt.timedelta(seconds=secs),
                "tz": zone,
                "local_date": d.day,
                "kind": kind,
                "outcome": outcome,
                "next_step_on": next_on,
                "prospect_ref": prospect,
                "block_ref": d.block if in_block else None,
                "note": note,
                "minutes": minutes,
            }
