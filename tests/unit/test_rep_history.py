"""The benchmarks' rep histories have the shape they promise.

The scale benchmarks (``tests/bench/bench_scale.py``) judge the reads that follow
prospects on these files; if the generator drifted (actions left unlinked, a history
too short, a zone's day wrong) they would measure the wrong thing and still print a
table. A small history is built once here and held to every promise.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import rep_history  # noqa: E402

from prospector.clock import FixedClock  # noqa: E402
from prospector.models import read_utc_text, utc_text  # noqa: E402
from prospector.names import name_key  # noqa: E402
from prospector.sqlite import sqlite3  # noqa: E402
from prospector.store import Store  # noqa: E402

ACTIONS, PROSPECTS = 2_000, 200
TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[rep_history.Built, Any]]:
    path = tmp_path_factory.mktemp("rep") / "rep.db"
    made = rep_history.rep_history(path, ACTIONS, PROSPECTS, seed=7)
    con = sqlite3.connect(path)
    try:
        yield made, con
    finally:
        con.close()


def rows(con: Any, sql: str) -> list[tuple[Any, ...]]:
    return con.execute(sql).fetchall()


def test_exact_sizes_and_every_action_linked(built: tuple[rep_history.Built, Any]) -> None:
    made, con = built
    assert (made.actions, made.prospects) == (ACTIONS, PROSPECTS)
    assert rows(con, "SELECT count(*) FROM action") == [(ACTIONS,)]
    assert rows(con, "SELECT count(*) FROM prospect") == [(PROSPECTS,)]
    assert rows(con, "SELECT count(*) FROM action WHERE prospect_id IS NULL") == [(0,)]


def test_each_prospect_touched_5_to_15_times(built: tuple[rep_history.Built, Any]) -> None:
    _, con = built
    touches = rows(
        con,
        "SELECT count(a.id) FROM prospect p LEFT JOIN action a ON a.prospect_id = p.id "
        "GROUP BY p.id",
    )
    assert len(touches) == PROSPECTS
    assert {n for (n,) in touches} <= set(range(5, 16))
    assert sum(n for (n,) in touches) / PROSPECTS == pytest.approx(ACTIONS / PROSPECTS)


def test_three_years_ending_today_on_working_days(built: tuple[rep_history.Built, Any]) -> None:
    made, con = built
    first, last = rows(con, "SELECT min(local_date), max(local_date) FROM action")[0]
    assert last == TODAY.isoformat() == made.today.isoformat()
    assert dt.date.fromisoformat(first) <= TODAY.replace(year=TODAY.year - 3)
    weekdays = {
        dt.date.fromisoformat(d).isoweekday() for (d,) in rows(con, "SELECT local_date FROM action")
    }
    assert weekdays <= {1, 2, 3, 4, 5}
    off = {d for (d,) in rows(con, "SELECT day FROM day_off")}
    assert off, "holidays and vacations are marked off"
    assert not off & {d for (d,) in rows(con, "SELECT DISTINCT local_date FROM action")}


def test_cadence_spacing(built: tuple[rep_history.Built, Any]) -> None:
    """Touches of one prospect fall on different days, a working day to two weeks apart."""
    _, con = built
    by_prospect: dict[int, list[dt.date]] = {}
    for pid, day in rows(con, "SELECT prospect_id, local_date FROM action ORDER BY at"):
        by_prospect.setdefault(pid, []).append(dt.date.fromisoformat(day))
    gaps = Counter(
        (b - a).days for days in by_prospect.values() for a, b in zip(days, days[1:], strict=False)
    )
    assert min(gaps) >= 1
    assert max(gaps) <= 45  # a holiday or vacation may fall in between
    assert gaps[1] > 0 and sum(n for g, n in gaps.items() if g >= 7) > 0


def test_other_zones_on_their_own_local_day(built: tuple[rep_history.Built, Any]) -> None:
    _, con = built
    found = rows(con, "SELECT at, tz, local_date FROM action")
    zones = Counter(tz for _, tz, _ in found)
    assert zones.most_common(1)[0][0] == "Europe/Amsterdam"
    assert len(zones) >= 3, zones
    other_utc_day = 0
    for at, tz, day in found:
        instant = read_utc_text(at)
        assert instant is not None and utc_text(instant) == at
        local = instant.astimezone(ZoneInfo(tz))
        assert local.date().isoformat() == day
        assert 6 <= local.hour < 21
        other_utc_day += instant.date().isoformat() != day
    assert other_utc_day > 0, "some touches abroad fall on another UTC day"


def test_outcome_mix(built: tuple[rep_history.Built, Any]) -> None:
    _, con = built
    mix = dict(rows(con, "SELECT outcome, count(*) FROM action GROUP BY outcome"))
    assert 0.035 <= mix["conversation"] / ACTIONS <= 0.07
    assert mix["no_response"] / ACTIONS > 0.7
    for outcome in ("next_step", "meeting", "referral", "stop"):
        assert mix.get(outcome, 0) > 0, outcome
    assert rows(
        con,
        "SELECT count(*) FROM action WHERE (outcome = 'next_step') != (next_step_on IS NOT NULL)",
    ) == [(0,)]


def test_stops_and_wins_close_their_prospects(built: tuple[rep_history.Built, Any]) -> None:
    _, con = built
    stops = rows(con, "SELECT DISTINCT prospect_id FROM action WHERE outcome = 'stop'")
    stopped = rows(con, "SELECT id FROM prospect WHERE stopped")
    assert sorted(stops) == sorted(stopped) and stopped
    last_is_stop = rows(
        con,
        "SELECT count(*) FROM prospect p WHERE p.stopped AND (SELECT outcome FROM action "
        "WHERE prospect_id = p.id ORDER BY at DESC LIMIT 1) != 'stop'",
    )
    assert last_is_stop == [(0,)]
    wins = rows(con, "SELECT prospect_id, local_date FROM win")
    assert wins
    for pid, day in wins:
        met, last = con.execute(
            "SELECT sum(outcome = 'meeting'), max(local_date) FROM action WHERE prospect_id = ?",
            (pid,),
        ).fetchone()
        assert met and last < day <= TODAY.isoformat()
    assert rows(con, "SELECT count(*) FROM prospect WHERE stage = 'won'") == [(len(wins),)]


def test_names_keys_blocks_and_day_counts(built: tuple[rep_history.Built, Any]) -> None:
    _, con = built
    names = rows(con, "SELECT name, name_key FROM prospect")
    assert all(key == name_key(name) for name, key in names)
    assert len({key for _, key in names}) == PROSPECTS
    in_blocks = rows(
        con,
        "SELECT count(*), sum(a.local_date = b.local_date AND a.tz = b.tz "
        "AND a.at >= b.started_at AND (b.ended_at IS NULL OR a.at <= b.ended_at)) "
        "FROM action a JOIN block b ON b.id = a.block_id",
    )
    assert in_blocks[0][0] > ACTIONS // 5 and in_blocks[0][0] == in_blocks[0][1]
    recount = rows(
        con,
        "SELECT count(*) FROM (SELECT local_date, kind, count(*) AS n FROM action "
        "GROUP BY 1, 2) a FULL JOIN action_day_count c USING (local_date, kind) "
        "WHERE a.n IS NOT c.n",
    )
    assert recount == [(0,)]
    assert rows(con, "SELECT value FROM setting WHERE key = 'timezone'") == [("Europe/Amsterdam",)]


def test_db_check_passes(built: tuple[rep_history.Built, Any]) -> None:
    made, _ = built
    report = rep_history.db_check(made.path)
    assert report["ok"] is True and report["odd_values"] == []


def test_what_a_rep_sees_on_monday_morning(built: tuple[rep_history.Built, Any]) -> None:
    """Prospects in flight with their next touch this week, conversations in limbo, and
    today's touches under way; every other prospect stopped, won or run out."""
    made, _ = built
    store = Store.open(made.path, clock=FixedClock(rep_history.NOW))
    try:
        prospects = store.prospects()
        limbo = store.limbo()
        done_today = sum(p.done for p in store.status().today.values())
    finally:
        store.close()
    states = Counter(p.state for p in prospects)
    assert {"active", "stopped", "won", "abandoned"} <= set(states)
    soon = TODAY + dt.timedelta(days=7)
    active = [p for p in prospects if p.state == "active"]
    assert any(p.next_touch_on is not None and p.next_touch_on <= soon for p in active)
    assert all(p.last_touch_on and p.last_touch_on >= TODAY - dt.timedelta(days=30) for p in active)
    assert limbo and done_today > 0


def test_refuses_touch_counts_out_of_range(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="5 to 15 touches"):
        rep_history.rep_history(tmp_path / "x.db", 1_000, 50)
    assert not (tmp_path / "x.db").exists()
