"""The demo history: what a rep opening ``prospector --demo`` would notice.

Six months ending today, deterministic per seed and clock, with a visible slump, a
two-week vacation, wins, prospects followed through short and long sequences, and a
partial today; and never mixed into a database that already holds real actions.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pendulum
import pytest

from prospector.cli import main
from prospector.clock import FixedClock, local_date
from prospector.demo import generate_demo
from prospector.errors import InvalidInput
from prospector.sqlite import sqlite3
from prospector.store import Store
from prospector.targets import TargetPlan

NOW = pendulum.datetime(2026, 11, 23, 10, tz="Europe/Amsterdam")
"""Monday 23 November 2026, 10:00 in Amsterdam."""
TODAY = dt.date(2026, 11, 23)
SIX_MONTHS_AGO = dt.date(2026, 5, 23)
TABLES = ("action", "prospect", "block", "win", "day_off")


def open_store(path: Path, now: dt.datetime = NOW, zone: str = "Europe/Amsterdam") -> Store:
    store = Store.open(path, clock=FixedClock(now))
    store.set_setting("timezone", zone)
    return store


def rows(path: Path, table: str) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
    finally:
        con.close()


def weeks_ago(day: dt.date) -> float:
    return (TODAY - day).days / 7


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Path, dict[str, int]]]:
    """One seed-7 demo at the fixed clock, shared by the read-only checks below."""
    path = tmp_path_factory.mktemp("demo") / "p.db"
    store = open_store(path)
    made = generate_demo(store, seed=7)
    yield store, path, made
    store.close()


def attainment_by_working_day(store: Store) -> list[tuple[dt.date, float]]:
    """Targeted actions done / asked, for each working day that was not a day off."""
    plan = TargetPlan(store.target_rules(), store.calendar())
    counts = store.day_counts()
    out = []
    day = min(counts)
    while day < TODAY:
        asked = plan.day_targets(day)
        if asked:
            done = sum(n for kind, n in counts.get(day, {}).items() if kind in asked)
            out.append((day, done / sum(asked.values())))
        day += dt.timedelta(days=1)
    return out


def test_same_seed_and_clock_give_identical_rows(
    demo: tuple[Store, Path, dict[str, int]], tmp_path: Path
) -> None:
    _, first_path, made = demo
    second = open_store(tmp_path / "again.db")
    assert generate_demo(second, seed=7) == made
    second.close()
    for table in TABLES:
        assert rows(first_path, table) == rows(tmp_path / "again.db", table), table


def test_another_seed_gives_another_history(
    demo: tuple[Store, Path, dict[str, int]], tmp_path: Path
) -> None:
    _, first_path, _ = demo
    other = open_store(tmp_path / "other.db")
    generate_demo(other, seed=8)
    other.close()
    assert rows(first_path, "action") != rows(tmp_path / "other.db", "action")
    assert rows(first_path, "prospect") != rows(tmp_path / "other.db", "prospect")


def test_six_months_ending_today_at_a_realistic_volume(
    demo: tuple[Store, Path, dict[str, int]],
) -> None:
    store, _, made = demo
    first = store.first_action_day()
    assert first is not None and SIX_MONTHS_AGO <= first <= SIX_MONTHS_AGO + dt.timedelta(7)
    assert 3000 <= made["actions"] <= 6000
    assert store.action_count() == made["actions"]
    kinds: Counter[str] = Counter()
    for per_kind in store.day_counts().values():
        kinds.update(per_kind)
    assert kinds["call"] > kinds["email"] > kinds["linkedin"] > kinds["visit"] > 0
    assert kinds["text"] > 0 and kinds["social"] > 0 and kinds["referral_ask"] > 0
    weekend = [d for d in store.day_counts() if d.isoweekday() > 5]
    assert weekend == []


def test_about_forty_prospects_followed_through_short_and_long_sequences(
    demo: tuple[Store, Path, dict[str, int]],
) -> None:
    store, path, made = demo
    prospects = rows(path, "prospect")
    assert 35 <= made["prospects"] == len(prospects) <= 45
    names = [p[2] for p in prospects]
    assert len(set(names)) == len(names)
    assert {p[4] for p in prospects} == {
        "cold",
        "referral",
        "inbound",
        "event",
        "existing_customer",
    }
    touches = Counter(a[8] for a in rows(path, "action") if a[8] is not None)
    assert set(touches) == {p[0] for p in prospects}, "every prospect was touched"
    assert sum(1 <= n <= 3 for n in touches.values()) >= 5
    assert sum(5 <= n <= 12 for n in touches.values()) >= 10
    assert max(touches.values()) <= 12
    stopped = [p for p in prospects if p[8]]
    assert stopped and all(p[9] is None for p in stopped)
    due = [dt.date.fromisoformat(p[9]) for p in prospects if p[9] is not None]
    assert any(d < TODAY for d in due), "some follow-ups are overdue"
    assert any(d == TODAY for d in due), "some are due today"
    assert any(d > TODAY for d in due), "some lie ahead"


def test_a_two_week_vacation_about_two_months_ago_and_a_holiday_or_sick_day(
    demo: tuple[Store, Path, dict[str, int]],
) -> None:
    store, _, made = demo
    off = store.days_off()
    assert made["days_off"] == len(off)
    vacation = sorted(d for d, reason in off.items() if reason == "vacation")
    assert len(vacation) == 10
    assert (vacation[-1] - vacation[0]).days == 11  # Monday to Friday of the next week
    assert 6 <= weeks_ago(vacation[0]) <= 11
    assert {"holiday", "sick"} & set(off.values())
    counts = store.day_counts()
    assert not any(day in counts for day in off), "nothing is logged on a day off"


def test_a_visible_slump_three_to_four_months_ago(
    demo: tuple[Store, Path, dict[str, int]],
) -> None:
    store, _, _ = demo
    attained = attainment_by_working_day(store)
    windows = [
        (attained[i][0], statistics.mean(a for _, a in attained[i : i + 15]))
        for i in range(len(attained) - 14)
    ]
    worst_start, worst = min(windows, key=lambda w: w[1])
    assert 0.25 <= worst <= 0.45, "three weeks at roughly a third of target"
    assert 11 <= weeks_ago(worst_start) <= 18
    assert statistics.median(a for _, a in attained) >= 0.9, "otherwise near target"


def test_some_wins_mostly_in_the_later_months(
    demo: tuple[Store, Path, dict[str, int]],
) -> None:
    store, _, made = demo
    wins = store.wins()
    assert 5 <= made["wins"] == len(wins) <= 10
    assert all(500_000 <= w.amount_cents <= 4_000_000 for w in wins)
    assert all(w.prospect_id is not None and w.local_date < TODAY for w in wins)
    recent = [w for w in wins if w.local_date >= TODAY - dt.timedelta(days=91)]
    assert len(recent) > len(wins) / 2


def test_today_is_in_flight_with_a_running_block(
    demo: tuple[Store, Path, dict[str, int]], tmp_path: Path
) -> None:
    store, path, _ = demo
    status = store.status()
    done = sum(p.done for p in status.today.values())
    asked = sum(p.target for p in status.today.values())
    assert 3 <= done < asked / 2
    assert status.streak >= 5
    today_actions = [a for a in rows(path, "action") if a[4] == TODAY.isoformat()]
    assert all(a[2] <= "2026-11-23T09:00:00.000000Z" for a in today_actions), "none later than now"
    blocks = rows(path, "block")
    running = [b for b in blocks if b[6] is None]
    assert len(running) == 1 and running[0][4] == TODAY.isoformat()
    worked_days = {a[4] for a in rows(path, "action")}
    assert len({b[4] for b in blocks}) >= 0.7 * len(worked_days), "a block on most days"
    linked = sum(a[9] is not None for a in rows(path, "action"))
    assert linked >= 0.6 * len(rows(path, "action"))


@pytest.mark.parametrize(
    ("now", "zone"),
    [
        (pendulum.datetime(2026, 11, 21, 12, tz="Europe/Amsterdam"), "Europe/Amsterdam"),
        (pendulum.datetime(2026, 11, 23, 0, 10, tz="Europe/Amsterdam"), "Europe/Amsterdam"),
        (pendulum.datetime(2026, 10, 26, 23, 50, tz="Europe/Amsterdam"), "Europe/Amsterdam"),
        (pendulum.datetime(2026, 3, 9, 9, 0, tz="America/New_York"), "America/New_York"),
    ],
    ids=["saturday", "just-after-midnight", "late-evening-after-dst-switch", "new-york"],
)
def test_any_clock_gives_a_consistent_history(
    tmp_path: Path, now: pendulum.DateTime, zone: str
) -> None:
    store = open_store(tmp_path / "p.db", now, zone)
    made = generate_demo(store, seed=1)
    today = store.today()
    actions = rows(tmp_path / "p.db", "action")
    store.close()
    assert made["actions"] == len(actions) > 1000
    for row in actions:
        at = dt.datetime.fromisoformat(row[2])
        assert at <= now, "no action in the future"
        assert local_date(at, zone).isoformat() == row[4], "stored day is the local day"
    assert sum(row[4] == today.isoformat() for row in actions) >= 3


def test_refuses_a_database_that_already_holds_actions(tmp_path: Path) -> None:
    store = open_store(tmp_path / "p.db")
    store.log_actions("call", count=3)
    before = {table: rows(tmp_path / "p.db", table) for table in TABLES}
    with pytest.raises(InvalidInput, match="already holds 3 actions; demo data only goes"):
        generate_demo(store)
    assert {table: rows(tmp_path / "p.db", table) for table in TABLES} == before
    store.close()


def test_scaled_volume_for_benchmarks(tmp_path: Path) -> None:
    store = open_store(tmp_path / "p.db")
    made = generate_demo(store, seed=7, actions=20_000)
    assert abs(made["actions"] - 20_000) <= 400
    assert store.action_count() == made["actions"]
    first = store.first_action_day()
    assert first is not None and SIX_MONTHS_AGO <= first <= SIX_MONTHS_AGO + dt.timedelta(7)
    assert TODAY in store.day_counts(TODAY, TODAY)
    store.close()


def test_cli_demo_fills_once_then_refuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cli.db"
    assert main(["--db", str(path), "demo", "--seed", "3"]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith("Demo history written: ")
    count = len(rows(path, "action"))
    assert f"{count} actions" in out
    assert main(["--db", str(path), "demo", "--seed", "3"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert f"already holds {count:,} actions" in err
    assert "use --db with a new file" in err
    assert len(rows(path, "action")) == count
