"""Benchmark databases shaped like a real rep's: years of history, every touch linked.

    python tests/bench/rep_history.py --actions N --prospects P --out FILE [--seed S]

The demo history (``prospector.demo``) is six months around 41 prospects, and scaled
to a million actions it still links only a few hundred of them to a prospect. A rep
who works the follow-up queue links nearly every touch, so the reads that follow
prospects (the follow-up queue, limbo, the prospect list, the review) meet a very
different table on a real file. This builds that file:

* three years (or more) of history ending at the clock's today, on working days
  (Monday to Friday, Dutch public holidays, two vacations a year and a sick day or
  two marked off, a few days simply skipped), at plausible local hours;
* every action linked to a prospect; each prospect touched 5 to 15 times, spaced as
  the shipped follow-up cadence says (``call, email+1, linkedin+2, ...`` working days
  apart, with a day of jitter either way), then every one to two weeks past it;
* outcomes a rep recognises: about 5% conversations, next steps (each dated on the
  touch that kept it), meetings, referrals, and prospects that end in a stop (then
  ``stopped``), in a win after a meeting (a row in ``win``), in the cadence run out,
  or, for a few, dropped; the last few weeks' prospects are still in flight, so the
  follow-up queue and limbo hold what a rep sees on a Monday morning;
* business trips: on those days actions are logged in another zone
  (``America/New_York``, ``Asia/Singapore``, ...), each on its local day there, early
  and late hours included, so some fall on another UTC day;
* a prospecting block on most working days, with the actions logged inside it
  pointing at it; the shipped targets and settings, the zone set, and a raised call
  target a year ago.

Exact sizes: ``actions`` rows in ``action`` and ``prospects`` in ``prospect`` (the
average touches per prospect, ``actions / prospects``, must lie between 5 and 15).
Deterministic per seed and clock.

The schema comes from the app itself (``Store.open`` runs the migrations); the rows go
in with plain SQL ``INSERT``s through the store's engine, in a few large transactions,
so every trigger of the schema (``action_day_count``) fires on them as on any other
write. ``rep_db`` keeps built files in the benchmarks' cache, keyed by size, prospects,
seed, schema and this generator.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import random
import sys
import time
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

import benchlib
import pendulum
from benchlib import CACHE, BenchDB

from prospector.cli import main as main_cli
from prospector.clock import Clock, FixedClock, local_date
from prospector.demo import (
    COMPANIES,
    FIRST_NAMES,
    LAST_NAMES,
    NOTES,
    SOURCE_WEIGHTS,
    WON_SOURCE_WEIGHTS,
    _dutch_holidays,
)
from prospector.followup import parse_cadence
from prospector.names import name_key
from prospector.store import Store

NOW = pendulum.datetime(2026, 11, 23, 10, tz="Europe/Amsterdam")
"""The tests' clock (``tests/conftest.py``): Monday 23 November 2026, 10:00 in
Amsterdam. The benchmarks run their commands at it, so 'today' is the file's today."""
NOW_ENV = NOW.in_timezone("UTC").isoformat()
"""``NOW`` as ``PROSPECTOR_TEST_NOW`` takes it."""
ZONE = "Europe/Amsterdam"
YEARS = 3
SIZES: tuple[tuple[int, int], ...] = ((250_000, 20_000), (1_000_000, 80_000))
"""The benchmark sizes of issue #13: (actions, prospects)."""
MIN_TOUCHES, MAX_TOUCHES = 5, 15
SHORT, LONG = (5, 11), (12, 15)
"""A sequence ended before the 12-touch cadence ran out (by a stop, a win, or dropped),
and one that ran it out and maybe went past it."""
IN_FLIGHT_DAYS = 5
"""A prospect whose next planned touch falls within this many working days before
today, or later, is still being worked: its sequence is not over."""
TRIP_ZONES = (
    "America/New_York",
    "Asia/Singapore",
    "Europe/London",
    "America/Chicago",
    "Asia/Dubai",
)
TRIPS_PER_YEAR = 5
SKIPS_PER_YEAR = 3
"""Working days the rep logs nothing on, without marking them off: a streak ends."""
HOME_HOURS = (8 * 3600, 17 * 3600 + 30 * 60)
TRIP_HOURS = (6 * 3600 + 30 * 60, 21 * 3600)
"""Away, the rep also writes early and late: from Singapore before 08:00 falls on the
UTC day before, from New York after 19:00 on the UTC day after."""

KINDS = ("call", "email", "linkedin", "text", "visit", "referral_ask", "social")
OUTCOMES = ("no_response", "conversation", "next_step", "meeting", "referral", "stop")
NO_RESPONSE, CONVERSATION, NEXT_STEP, MEETING, REFERRAL, STOP = range(len(OUTCOMES))
MID_MIX = ((CONVERSATION, 0.056), (NEXT_STEP, 0.012), (MEETING, 0.006), (REFERRAL, 0.003))
"""What a touch before the last one led to (the rest is no response): about 5% of all
touches end up as conversations once the ones settled on the spot are counted out."""
ASK_MIX = ((REFERRAL, 0.30), (CONVERSATION, 0.08), (NEXT_STEP, 0.04))
"""A referral ask to an existing customer often brings a name."""
AFTER_TALK = ((NEXT_STEP, 0.40), (MEETING, 0.10), (CONVERSATION, 0.10))
"""The touch after a conversation: most are settled by it, a step or a meeting."""
ACTIVE_LAST = ((NO_RESPONSE, 0.58), (NEXT_STEP, 0.25), (CONVERSATION, 0.12), (MEETING, 0.05))
"""The latest touch of a prospect still in flight."""
SHORT_FATES = (("stopped", 0.93), ("won", 0.05), ("dropped", 0.02))
LONG_FATES = (("done", 0.70), ("stopped", 0.25), ("won", 0.05))
IN_FLIGHT_STOP = 0.10
BLOCK_SHARE = 0.85
"""Working days with a prospecting block."""
IN_BLOCK = 0.5
"""Share of a block day's touches made inside the block."""
PLACES = (
    "Noordkade", "Brabant", "Zeeland", "Hofstad", "Delta", "Rijnmond", "Utrecht", "Veluwe",
    "Kempen", "Friesland", "Amstel", "IJssel", "Maas", "Twente", "Limburg", "Haarlem",
    "Westland", "Eindhoven", "Leiden", "Antwerp", "Gent", "Aachen", "Düsseldorf", "Lille",
    "Zwolle", "Almere", "Nijmegen", "Tilburg", "Breda", "Arnhem", "Apeldoorn", "Groningen",
    "Dordrecht", "Hilversum", "Maastricht", "Amersfoort", "Alkmaar", "Gouda", "Lyon", "Köln",
)  # fmt: skip
TRADES = (
    "Logistiek", "Metaalbewerking", "Koeltransport", "Facilitair", "Bouw", "Verpakkingen",
    "Elektro", "Schoonmaakgroep", "Drukwerk", "Voeding", "Techniek", "Kantoorinrichting",
    "Machinebouw", "Vastgoedbeheer", "Kunststoffen", "Precision Parts", "Hospitality",
    "Kassenbouw", "Sensor Systems", "BioLab Services", "Port Services", "Textielgroep",
    "Antriebstechnik", "Messebau", "Emballages", "Data Centre", "Zorgtechniek", "Fulfilment",
    "Energy Services", "Interieurbouw",
)  # fmt: skip
LEGAL = ("B.V.", "", "Group", "GmbH", "NV", "& Zonen")
MORE_FIRST = ("Özlem", "Çağla", "Zoë", "Anaïs", "Jörg", "Ångström", "Łukasz", "Renée")
MORE_LAST = ("Müller", "Öztürk", "Strauß", "Nuñez", "Ødegaard", "Dvořák", "Van Acker")


@dataclass(frozen=True)
class Built:
    """What a build wrote, and how long it took."""

    path: Path
    actions: int
    prospects: int
    wins: int
    blocks: int
    days_off: int
    first_day: dt.date
    today: dt.date
    plan_s: float
    """Drawing the history, in Python."""
    insert_s: float
    """Writing it, triggers included."""
    check_s: float
    """``prospector db check`` of the file."""

    @property
    def seconds(self) -> float:
        return self.plan_s + self.insert_s + self.check_s

    def describe(self) -> str:
        return (
            f"{self.path}: {self.actions:,} actions, {self.prospects:,} prospects, "
            f"{self.wins:,} wins, {self.blocks:,} blocks, {self.days_off} days off, "
            f"{self.first_day} to {self.today}; built in {self.seconds:.1f} s "
            f"(plan {self.plan_s:.1f} s, insert {self.insert_s:.1f} s, "
            f"check {self.check_s:.1f} s)"
        )


@dataclass
class _Calendar:
    """The worked days of the history, and where and when the rep worked on each."""

    days: list[dt.date]
    """Worked days, oldest first; a touch is placed by its index here."""
    zones: list[str]
    """Zone of each worked day: home, or a trip's."""
    windows: list[tuple[int, int]]
    """Local seconds after midnight between which each day's touches fall."""
    blocks: list[tuple[int, int] | None]
    """Each day's block, as local seconds, or None."""
    midnights: list[dt.datetime]
    """Local midnight of each day as a naive UTC datetime (the zone's offset at noon:
    no zone switches clocks on a working day's waking hours)."""
    days_off: list[tuple[dt.date, str, str]]
    today: dt.date


T = TypeVar("T")


def rep_history(
    path: Path | str,
    actions: int,
    prospects: int,
    *,
    seed: int = 7,
    clock: Clock | None = None,
    years: int = YEARS,
) -> Built:
    """Build the rep history file at ``path`` (which must not hold one yet)."""
    if prospects < 1 or not MIN_TOUCHES * prospects <= actions <= MAX_TOUCHES * prospects:
        raise ValueError(
            f"{actions:,} actions on {prospects:,} prospects is not {MIN_TOUCHES} to "
            f"{MAX_TOUCHES} touches each"
        )
    path = Path(path)
    if path.exists():
        raise FileExistsError(f"{path} exists: give a new file")
    clock = clock or FixedClock(NOW)
    started = time.perf_counter()
    store = Store.open(path, clock=clock)
    try:
        store.set_setting("timezone", ZONE)
        current = store.settings()
        cadence = parse_cadence(current.cadence, store.data.kind_keys)
        now = pendulum.instance(store.now()).in_timezone(ZONE)
        today = local_date(now, ZONE)
        store.set_target("call", 25, "day", today - dt.timedelta(days=365))
        store.set_target("email", 12, "day", today - dt.timedelta(days=365))
        rng = random.Random(seed)
        calendar = _plan_calendar(rng, today, now, years, set(current.working_days))
        plan = _Plan(rng, calendar, actions, prospects, [s.after for s in cadence.steps])
        plan.draw([s.kind for s in cadence.steps], today)
        planned = time.perf_counter()
        written = _insert(store, calendar, plan, current.currency)
        inserted = time.perf_counter()
    finally:
        store.close()
    report = db_check(path)
    if not report.get("ok") or report.get("odd_values"):
        raise RuntimeError(f"{path} fails prospector db check: {json.dumps(report)}")
    checked = time.perf_counter()
    return Built(
        path=path,
        actions=written["action"],
        prospects=written["prospect"],
        wins=written["win"],
        blocks=written["block"],
        days_off=written["day_off"],
        first_day=calendar.days[0],
        today=today,
        plan_s=planned - started,
        insert_s=inserted - planned,
        check_s=checked - inserted,
    )


def db_check(path: Path) -> dict[str, object]:
    """``prospector db check --json`` on ``path``: SQLite's full integrity check, the
    foreign keys, the schema and every stored value against the input rules."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main_cli(["--db", str(path), "db", "check", "--json"])
    report: dict[str, object] = json.loads(out.getvalue())
    return report


def _plan_calendar(
    rng: random.Random, today: dt.date, now: pendulum.DateTime, years: int, working: set[int]
) -> _Calendar:
    """Worked days from ``years`` years before today to today, with days off, skipped
    days, trips and blocks decided."""
    start = dt.date(today.year - years, today.month, 1) - dt.timedelta(days=1)
    calendar = [start + dt.timedelta(days=i) for i in range((today - start).days + 1)]
    weekdays = [day for day in calendar if day.isoweekday() in working]
    off: dict[dt.date, tuple[str, str]] = {}
    for year in range(start.year, today.year + 1):
        for day, name in _dutch_holidays(year).items():
            if start <= day < today and day.isoweekday() in working:
                off[day] = ("holiday", name)
    for year in range(start.year, today.year + 1):
        summer = dt.date(year, 7, 13) + dt.timedelta(weeks=rng.randint(0, 4))
        spring = dt.date(year, 2, 16) + dt.timedelta(weeks=rng.randint(0, 2))
        for begin, length, note in ((summer, 14, "Summer holiday"), (spring, 7, "Ski week")):
            monday = begin - dt.timedelta(days=begin.isoweekday() - 1)
            for i in range(length):
                day = monday + dt.timedelta(days=i)
                if start <= day < today and day.isoweekday() in working and day not in off:
                    off[day] = ("vacation", note)
    fortnight_ago = today - dt.timedelta(days=14)
    candidates = [day for day in weekdays if day not in off and day < fortnight_ago]
    spread = max(1, years)
    for day in rng.sample(candidates, 2 * spread):
        off[day] = ("sick", "")
    skipped = set(rng.sample([d for d in candidates if d not in off], SKIPS_PER_YEAR * spread))

    now_secs = now.hour * 3600 + now.minute * 60 + now.second
    days = [day for day in weekdays if day not in off and day not in skipped]
    if days[-1] == today and now_secs < HOME_HOURS[0] + 600:
        days.pop()  # too early today for a touch
    zones = [ZONE] * len(days)
    last_trip = len(days) - 10  # home for the last fortnight: today is a home day
    for _ in range(TRIPS_PER_YEAR * spread):
        first = rng.randrange(0, last_trip)
        zone = rng.choice(TRIP_ZONES)
        for i in range(first, min(first + rng.randint(2, 5), last_trip)):
            zones[i] = zone
    windows: list[tuple[int, int]] = []
    blocks: list[tuple[int, int] | None] = []
    for day, zone in zip(days, zones, strict=True):
        window = TRIP_HOURS if zone != ZONE else HOME_HOURS
        opens = 8 * 3600 + 30 * 60 + rng.randint(0, 30) * 60
        block: tuple[int, int] | None = None
        if day == today:  # a block under way
            window = (window[0], now_secs - 60)
            if now_secs > opens + 600:
                block = (opens, now_secs)
        elif rng.random() < BLOCK_SHARE:
            minutes = rng.choice((60, 60, 90, 120)) + rng.randint(-20, 15)
            block = (opens, opens + minutes * 60)
        windows.append(window)
        blocks.append(block)
    midnights = []
    for day, zone in zip(days, zones, strict=True):
        noon = dt.datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo(zone))
        offset = noon.utcoffset() or dt.timedelta()
        midnights.append(dt.datetime(day.year, day.month, day.day) - offset)
    return _Calendar(
        days=days,
        zones=zones,
        windows=windows,
        blocks=blocks,
        midnights=midnights,
        days_off=sorted((day, reason, note) for day, (reason, note) in off.items()),
        today=today,
    )


def _pick(rng: random.Random, mix: Sequence[tuple[T, float]]) -> T:
    r = rng.random()
    for value, share in mix:
        if r < share:
            return value
        r -= share
    return mix[-1][0]


class _Plan:
    """Every prospect and every touch, drawn before anything is written.

    Touches are held in flat arrays indexed by touch number (a million small objects
    would cost more memory than the file), and written in time order.
    """

    def __init__(
        self,
        rng: random.Random,
        calendar: _Calendar,
        actions: int,
        prospects: int,
        gaps: Sequence[int],
    ) -> None:
        self.rng = rng
        self.calendar = calendar
        self.actions = actions
        self.n = prospects
        self.gaps = list(gaps[1:])
        """Working days between a cadence touch and the one before it."""
        last = len(calendar.days) - 1
        self.last = last
        # Sequence lengths: long or short in the share that gives the average asked for.
        mean = actions / prospects
        lo, hi = sum(SHORT) / 2, sum(LONG) / 2
        long_share = min(1.0, max(0.0, (mean - lo) / (hi - lo)))
        self.offsets: list[list[int]] = []
        self.starts: list[int] = []
        self.counts: list[int] = []
        fits: list[int] = []
        for _ in range(prospects):
            offsets = self._offsets()
            start = rng.randint(0, last - offsets[MIN_TOUCHES - 1])
            fit = sum(1 for o in offsets if start + o <= last)
            wanted = rng.randint(*LONG) if rng.random() < long_share else rng.randint(*SHORT)
            self.offsets.append(offsets)
            self.starts.append(start)
            self.counts.append(min(wanted, fit))
            fits.append(fit)
        self.starts[0] = 0  # the history begins with the first prospect's first touch
        fits[0] = MAX_TOUCHES
        self.counts[0] = max(self.counts[0], MIN_TOUCHES)
        self._settle_total(fits)

    def _offsets(self) -> list[int]:
        """Working-day offsets of up to ``MAX_TOUCHES`` touches: the cadence with a day
        of jitter either way, then every one to two weeks."""
        rng = self.rng
        out = [0]
        for i in range(1, MAX_TOUCHES):
            gap = self.gaps[i - 1] if i - 1 < len(self.gaps) else rng.randint(5, 10)
            jitter = rng.random()
            gap += -1 if jitter < 0.15 else (1 if jitter > 0.8 else 0)
            out.append(out[-1] + max(1, gap))
        return out

    def _settle_total(self, fits: list[int]) -> None:
        """Touch counts adding up to exactly ``actions``, one touch at a time on
        randomly chosen prospects that have room for it."""
        rng, counts = self.rng, self.counts
        short = self.actions - sum(counts)
        grow = [i for i in range(self.n) if counts[i] < min(MAX_TOUCHES, fits[i])]
        shrink = [i for i in range(self.n) if counts[i] > MIN_TOUCHES]
        while short:
            pool = grow if short > 0 else shrink
            if not pool:
                raise ValueError(f"cannot fit {self.actions:,} touches in this history")
            k = rng.randrange(len(pool))
            i = pool[k]
            counts[i] += 1 if short > 0 else -1
            short += -1 if short > 0 else 1
            room = (
                counts[i] < min(MAX_TOUCHES, fits[i]) if pool is grow else counts[i] > MIN_TOUCHES
            )
            if not room:
                pool[k] = pool[-1]
                pool.pop()

    def draw(self, cadence_kinds: Sequence[str], today: dt.date) -> None:
        """Fates, outcomes, kinds and times of every touch; the prospect and win rows."""
        rng = self.rng
        cal = self.calendar
        days, windows, blocks = cal.days, cal.windows, cal.blocks
        random_ = rng.random
        kind_ix = {k: i for i, k in enumerate(KINDS)}
        cadence_ix = [kind_ix[k] for k in cadence_kinds]
        beyond = [kind_ix["call"], kind_ix["email"], kind_ix["call"], kind_ix["visit"]]
        call, visit, ask = kind_ix["call"], kind_ix["visit"], kind_ix["referral_ask"]
        notes = {o: NOTES.get(OUTCOMES[o], ()) for o in range(len(OUTCOMES))}
        self.note_texts: list[str] = [""]
        note_at: dict[tuple[int, int], int] = {}
        for o, texts in notes.items():
            for j, text in enumerate(texts):
                note_at[(o, j)] = len(self.note_texts)
                self.note_texts.append(text)

        n = self.actions
        self.t_key = [0] * n
        self.t_day = array("i", bytes(4 * n))
        self.t_secs = array("i", bytes(4 * n))
        self.t_prospect = array("i", bytes(4 * n))
        self.t_kind = array("b", bytes(n))
        self.t_outcome = array("b", bytes(n))
        self.t_next = array("i", bytes(4 * n))
        """The next step's date as a proleptic ordinal, 0 for none."""
        self.t_note = array("h", bytes(2 * n))
        self.t_minutes = array("h", bytes(2 * n))
        """Minutes spent, -1 for none."""
        self.prospect_rows: list[dict[str, object]] = []
        self.win_rows: list[dict[str, object]] = []
        names = _Names(rng)
        companies = [
            f"{place} {trade} {legal}".strip()
            for place in PLACES
            for trade in TRADES
            for legal in LEGAL
        ]
        companies += list(COMPANIES)
        today_ordinal = today.toordinal()
        tid = 0
        order = sorted(range(self.n), key=lambda i: (self.starts[i], i))
        for pid, i in enumerate(order, start=1):
            c, start, offsets = self.counts[i], self.starts[i], self.offsets[i]
            day_ix = [start + offsets[k] for k in range(c)]
            next_planned = start + offsets[c] if c < MAX_TOUCHES else None
            in_flight = next_planned is not None and next_planned > self.last - IN_FLIGHT_DAYS
            if in_flight:
                fate = "stopped" if random_() < IN_FLIGHT_STOP else "active"
            else:
                fate = _pick(rng, SHORT_FATES if c < LONG[0] else LONG_FATES)
            sources = WON_SOURCE_WEIGHTS if fate == "won" else SOURCE_WEIGHTS
            source = _pick(rng, list(sources.items()))
            existing = source == "existing_customer"
            # Kinds: the cadence, then calls, emails and visits; existing customers are
            # also visited and asked for referrals.
            kinds = [cadence_ix[k] if k < len(cadence_ix) else beyond[k % 4] for k in range(c)]
            for k in range(1, c):
                r = random_()
                if existing and r < 0.2:
                    kinds[k] = ask
                elif (existing and r < 0.35) or (source in ("referral", "inbound") and r < 0.05):
                    kinds[k] = visit
            outcomes = [NO_RESPONSE] * c
            for k in range(c - 1):
                mix: Sequence[tuple[int, float]] = MID_MIX
                if k and outcomes[k - 1] == CONVERSATION:
                    mix = AFTER_TALK
                elif kinds[k] == ask:
                    mix = ASK_MIX
                outcomes[k] = _pick(rng, (*mix, (NO_RESPONSE, 1.0)))
            next_on = [0] * c
            win_ix: int | None = None
            if fate == "stopped":
                outcomes[-1] = STOP
            elif fate == "won":
                outcomes[max(0, c - 2)] = MEETING
                win_ix = min(day_ix[-1] + rng.randint(3, 15), self.last - 1)
                outcomes[-1] = MEETING if random_() < 0.5 else NEXT_STEP
                if outcomes[-1] == NEXT_STEP:
                    next_on[-1] = days[win_ix].toordinal()
            elif fate == "active":
                outcomes[-1] = _pick(rng, ACTIVE_LAST)
                if outcomes[-1] == NEXT_STEP:
                    last_ordinal = days[day_ix[-1]].toordinal()
                    if random_() < 0.2:  # agreed for a day that has since passed
                        agreed = min(today_ordinal, last_ordinal + rng.randint(1, 4))
                    else:
                        agreed = max(today_ordinal, last_ordinal + 1) + rng.randint(0, 12)
                    next_on[-1] = _weekday(agreed)
            elif fate == "dropped":
                outcomes[-1] = CONVERSATION if random_() < 0.5 else NO_RESPONSE
            if fate == "done":
                # Left in limbo only while in flight or dropped: a conversation before
                # the end was settled by a next step at the touch after it, or (near
                # the end) on the spot. (A stop or a win ends on a contact anyway.)
                contact = [k for k in range(c) if outcomes[k] != NO_RESPONSE]
                if contact and outcomes[contact[-1]] == CONVERSATION:
                    k = contact[-1]
                    outcomes[k + 1 if k + 2 < c else k] = NEXT_STEP
            for k in range(c - 1):
                if outcomes[k] == NEXT_STEP:
                    next_on[k] = days[day_ix[k + 1]].toordinal()
            # Times of day, the prospect's touches and its row.
            first_day = day_ix[0]
            first_secs = 0
            for k in range(c):
                d = day_ix[k]
                block = blocks[d]
                if block is not None and random_() < IN_BLOCK:
                    lo, hi = block
                else:
                    lo, hi = windows[d]
                secs = lo + int(random_() * (hi - lo))
                if k == 0:
                    first_secs = secs
                o = outcomes[k]
                kind = kinds[k]
                self.t_key[tid] = ((d * 86_400 + secs) << 21) | tid
                self.t_day[tid] = d
                self.t_secs[tid] = secs
                self.t_prospect[tid] = pid
                self.t_kind[tid] = kind
                self.t_outcome[tid] = o
                self.t_next[tid] = next_on[k]
                texts = notes[o]
                if texts and random_() < 0.5:
                    self.t_note[tid] = note_at[(o, rng.randrange(len(texts)))]
                if kind == visit:
                    self.t_minutes[tid] = rng.randint(30, 90)
                elif kind == call and o != NO_RESPONSE:
                    self.t_minutes[tid] = rng.randint(4, 25)
                else:
                    self.t_minutes[tid] = -1
                tid += 1
            reached = set(outcomes)
            if fate == "won":
                stage = "won"
            elif fate == "stopped":
                stage = "lost"
            elif MEETING in reached:
                stage = "meeting"
            elif reached & {CONVERSATION, NEXT_STEP, REFERRAL}:
                stage = "engaged"
            else:
                stage = "contacted"
            committed = [d for d in next_on if d]
            value = round(rng.uniform(5000, 40000) / 500) * 500
            created = (0, 8 * 3600) if existing else (first_day, max(0, first_secs - 300))
            self.prospect_rows.append(
                {
                    "id": pid,
                    "uid": _uid(rng),
                    "name": names.draw(),
                    "company": rng.choice(companies),
                    "source": source,
                    "stage": stage,
                    "existing_customer": int(existing),
                    "est_value": float(value),
                    "stopped": int(fate == "stopped"),
                    "next_touch_on": (
                        dt.date.fromordinal(committed[-1]).isoformat() if committed else None
                    ),
                    "note": f"Customer since {today.year - rng.randint(1, 8)}" if existing else "",
                    "created_at": self.instant(*created),
                }
            )
            if win_ix is not None:
                amount = min(40_000, max(5_000, round(value * rng.uniform(0.8, 1.1) / 250) * 250))
                self.win_rows.append(
                    {
                        "uid": _uid(rng),
                        "amount_cents": amount * 100,
                        "currency": "EUR",
                        "at": self.instant(win_ix, rng.randint(14 * 3600, 16 * 3600 + 1800)),
                        "tz": cal.zones[win_ix],
                        "local_date": days[win_ix].isoformat(),
                        "prospect_id": pid,
                        "note": "",
                    }
                )
        assert tid == n, (tid, n)
        self.win_rows.sort(key=lambda row: (str(row["at"]), str(row["uid"])))

    def instant(self, day: int, secs: int, micros: int = 0) -> str:
        """Stored text of an instant at ``secs`` local on worked day ``day``
        (``prospector.models.utc_text``'s layout)."""
        at = self.calendar.midnights[day] + dt.timedelta(seconds=secs, microseconds=micros)
        return at.isoformat(timespec="microseconds") + "Z"

    def action_rows(self, block_ids: list[int | None]) -> Iterator[tuple[object, ...]]:
        """Action rows in time order, as ``INSERT`` parameters."""
        cal = self.calendar
        days = [d.isoformat() for d in cal.days]
        zones, blocks, midnights = cal.zones, cal.blocks, cal.midnights
        kinds, outcomes, notes = KINDS, OUTCOMES, self.note_texts
        getrandbits = self.rng.getrandbits
        t_day, t_secs, t_prospect = self.t_day, self.t_secs, self.t_prospect
        t_kind, t_outcome, t_next = self.t_kind, self.t_outcome, self.t_next
        t_note, t_minutes = self.t_note, self.t_minutes
        mask = (1 << 21) - 1
        dates: dict[int, str] = {}
        delta = dt.timedelta
        self.t_key.sort()
        for key in self.t_key:
            t = key & mask
            d = t_day[t]
            secs = t_secs[t]
            at = midnights[d] + delta(seconds=secs, microseconds=getrandbits(20) % 1_000_000)
            block = blocks[d]
            nxt = t_next[t]
            if nxt and nxt not in dates:
                dates[nxt] = dt.date.fromordinal(nxt).isoformat()
            minutes = t_minutes[t]
            yield (
                f"{getrandbits(128):032x}",
                at.isoformat(timespec="microseconds") + "Z",
                zones[d],
                days[d],
                kinds[t_kind[t]],
                outcomes[t_outcome[t]],
                dates[nxt] if nxt else None,
                t_prospect[t],
                block_ids[d] if block is not None and block[0] <= secs <= block[1] else None,
                notes[t_note[t]],
                None if minutes < 0 else minutes,
            )
        self.t_key = []


class _Names:
    """Unique prospect names: a first and last name, with initials where one is taken."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.first = (*FIRST_NAMES, *MORE_FIRST)
        self.last = (*LAST_NAMES, *MORE_LAST)
        self.keys: set[str] = set()

    def draw(self) -> str:
        rng = self.rng
        letters = "ABCDEFGHIJKLMNOPRSTVW"
        for attempt in range(1000):
            first, last = rng.choice(self.first), rng.choice(self.last)
            if attempt == 0:
                name = f"{first} {last}"
            else:
                initials = "".join(
                    f"{rng.choice(letters)}." for _ in range(1 + min(3, attempt // 3))
                )
                name = f"{first} {initials} {last}"
            key = name_key(name)
            if key not in self.keys:
                self.keys.add(key)
                return name
        raise RuntimeError("ran out of prospect names")


def _weekday(ordinal: int) -> int:
    """The day ``ordinal``, or the Monday after it when it falls on a weekend: a rep
    agrees a next step on a working day."""
    weekday = dt.date.fromordinal(ordinal).isoweekday()
    return ordinal + (8 - weekday if weekday > 5 else 0)


def _uid(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


BATCH = 100_000


def _insert(store: Store, cal: _Calendar, plan: _Plan, currency: str) -> dict[str, int]:
    """Write the plan through the store's engine: plain ``INSERT``s, so the schema's
    triggers keep ``action_day_count``; one transaction for all but the actions, and
    one per ``BATCH`` of those, so a build never holds a million rows' journal."""
    fairy = store.engine.raw_connection()
    con = fairy.driver_connection
    assert con is not None
    try:
        con.execute("PRAGMA synchronous = NORMAL")  # a benchmark file: no fsync per batch
        con.execute("BEGIN IMMEDIATE")
        con.executemany(
            "INSERT INTO day_off (day, reason, note) VALUES (?, ?, ?)",
            [(day.isoformat(), reason, note) for day, reason, note in cal.days_off],
        )
        block_ids: list[int | None] = []
        rng = plan.rng
        block_rows: list[tuple[object, ...]] = []
        worked = set(plan.t_day)
        for d, span in enumerate(cal.blocks):
            if span is None or d not in worked:
                block_ids.append(None)
                continue
            block_ids.append(len(block_rows) + 1)
            running = cal.days[d] == cal.today
            planned = max(30, round((span[1] - span[0]) / 60 / 30) * 30)
            interruptions = rng.choices((0, 1, 2, 3), (60, 25, 10, 5))[0]
            block_rows.append(
                (
                    len(block_rows) + 1,
                    _uid(rng),
                    plan.instant(d, span[0]),
                    cal.zones[d],
                    cal.days[d].isoformat(),
                    planned,
                    None if running else plan.instant(d, span[1]),
                    None if running else (span[1] - span[0]) // 60,
                    interruptions,
                )
            )
        con.executemany(
            "INSERT INTO block (id, uid, started_at, tz, local_date, planned_minutes, "
            "ended_at, actual_minutes, interruptions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            block_rows,
        )
        prospect_columns = list(plan.prospect_rows[0]) + ["name_key"]
        con.executemany(
            f"INSERT INTO prospect ({', '.join(prospect_columns)}) "
            f"VALUES ({', '.join('?' for _ in prospect_columns)})",
            [(*row.values(), name_key(str(row["name"]))) for row in plan.prospect_rows],
        )
        con.execute("COMMIT")
        rows = plan.action_rows(block_ids)
        sql = (
            "INSERT INTO action (uid, at, tz, local_date, kind, outcome, next_step_on, "
            "prospect_id, block_id, note, minutes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        written = 0
        while True:
            batch = [row for _, row in zip(range(BATCH), rows, strict=False)]
            if not batch:
                break
            con.execute("BEGIN IMMEDIATE")
            con.executemany(sql, batch)
            con.execute("COMMIT")
            written += len(batch)
        if plan.win_rows:
            win_columns = list(plan.win_rows[0])
            con.execute("BEGIN IMMEDIATE")
            con.executemany(
                f"INSERT INTO win ({', '.join(win_columns)}) "
                f"VALUES ({', '.join('?' for _ in win_columns)})",
                [tuple(row.values()) for row in plan.win_rows],
            )
            con.execute("COMMIT")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise
    finally:
        fairy.close()
    return {
        "action": written,
        "prospect": len(plan.prospect_rows),
        "win": len(plan.win_rows),
        "block": len(block_rows),
        "day_off": len(cal.days_off),
    }


def generator_fingerprint() -> str:
    """Changes whenever this file does, so a cached history is rebuilt after an edit."""
    return hashlib.sha1(Path(__file__).read_bytes()).hexdigest()[:8]


def rep_db(actions: int, prospects: int, rebuild: bool = False, seed: int = 7) -> BenchDB:
    """The cached rep history of ``actions`` and ``prospects``, built if missing or asked.

    Keyed by size, prospects, seed, schema and generator; built under another name and
    renamed once checked, so an interrupted build never passes for a cached one.
    """
    CACHE.mkdir(parents=True, exist_ok=True)
    name = (
        f"rep-{actions}-{prospects}-s{seed}-{benchlib.schema_fingerprint()}"
        f"-{generator_fingerprint()}.db"
    )
    path = CACHE / name
    what = f"rep history ({prospects:,} prospects)"
    if not rebuild and path.exists() and benchlib.action_count(path) == actions:
        return BenchDB(path, actions, None, what=what, build_bar_s=BUILD_BAR_S)
    partial = path.with_name(path.name + ".partial")
    for stale in (path, partial):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{stale}{suffix}").unlink(missing_ok=True)
    built = rep_history(partial, actions, prospects, seed=seed)
    print(built.describe(), flush=True)
    os.replace(partial, path)
    return BenchDB(path, actions, built.seconds, what=what, build_bar_s=BUILD_BAR_S)


BUILD_BAR_S = 180.0
"""Building a rep history, at either size: "a few minutes" at most for a million."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python tests/bench/rep_history.py",
        description=(__doc__ or "").splitlines()[0],
    )
    parser.add_argument("--actions", type=int, required=True, help="rows in action")
    parser.add_argument("--prospects", type=int, required=True, help="rows in prospect")
    parser.add_argument("--out", type=Path, required=True, help="the new database file")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--years", type=int, default=YEARS, help="history length (at least 3)")
    opts = parser.parse_args(argv)
    if opts.years < YEARS:
        parser.error(f"--years must be at least {YEARS}")
    try:
        built = rep_history(
            opts.out, opts.actions, opts.prospects, seed=opts.seed, years=opts.years
        )
    except (ValueError, FileExistsError) as exc:
        print(f"rep_history: {exc}", file=sys.stderr)
        return 2
    print(built.describe())
    print(f"Took {built.seconds:.1f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
