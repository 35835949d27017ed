"""No stored value makes a read command fail.

Every entry point refuses dates outside 1970-01-01 to 2199-12-31, but a file may still
hold them (an older version stored ``--at 0026-12-01`` as year 26) or hold text that is
no date at all. Here such values are written straight into the database with SQL, and
every read command must still finish with exit 0, its JSON intact, and one warning line
on stderr naming the columns; ``db check`` names each row.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from prospector.models import FIRST_INSTANT, LAST_INSTANT, read_utc_text, utc_text
from prospector.names import name_key
from prospector.sqlite import sqlite3
from prospector.store import Store

Run = Callable[..., tuple[int, str, str]]

ODD_DAYS = (
    "0001-01-01",
    "0026-12-01",
    "1969-12-31",
    "2200-01-01",
    "9999-12-31",
    "2026-02-30",
    "garbage",
    "",
)
"""Days out of range (years 1, 26, 1969, 2200, 9999), no day of the calendar, no day."""
ODD_INSTANTS = (
    "0001-01-01T00:00:00.000000Z",
    "26-12-01T12:00:00.000000Z",
    "1969-12-31T23:00:00.000000Z",
    "2200-01-01T00:00:00.000000Z",
    "9999-12-31T23:59:59.999999Z",
    "garbage",
    "",
    "2026-13-45T99:00:00.000000Z",
)
"""Instants out of range (the second as the old ``strftime`` wrote year 26), malformed."""

READS = (
    ("status",),
    ("status", "--json"),
    ("status", "--as-of", "2026-11-20"),
    ("forecast",),
    ("forecast", "--json"),
    ("review",),
    ("review", "--format", "md"),
    ("review", "--format", "json"),
    ("review", "--week", "2026-W47"),
    ("review", "--week", "2026-W47", "--format", "json"),
    ("followups",),
    ("followups", "--json"),
    ("limbo",),
    ("limbo", "--json"),
    ("prospect", "list"),
    ("prospect", "list", "--json"),
    ("prospect", "show", "Anna"),
    ("prospect", "show", "Odd 1", "--json"),
    ("target", "list"),
    ("target", "list", "--json"),
    ("settings", "show"),
    ("settings", "show", "--json"),
    ("dayoff", "list"),
    ("dayoff", "list", "--json"),
    ("win", "list"),
    ("win", "list", "--json"),
    ("export", "--format", "csv"),
    ("export", "--format", "csv", "--excel"),
    ("export", "--format", "jsonl"),
    ("export", "--format", "json"),
    ("export", "--format", "ics"),
    ("db", "check"),
    ("db", "check", "--json"),
)


def write_odd_values(db_path: Path) -> None:
    """Rows with every odd day and instant in every date column, odd zones, an odd week
    key and settings that ``settings set`` refuses, behind the store's back."""
    con = sqlite3.connect(db_path)
    try:
        for i, (day, at) in enumerate(zip(ODD_DAYS, ODD_INSTANTS, strict=True)):
            pid = con.execute(
                "INSERT INTO prospect (uid, name, name_key, company, source, stage, "
                "existing_customer, stopped, next_touch_on, note, created_at) "
                "VALUES (?, ?, ?, '', 'cold', 'new', 0, 0, ?, '', ?)",
                (f"p{i}", f"Odd {i}", name_key(f"Odd {i}"), day, at),
            ).lastrowid
            con.execute(
                "INSERT INTO action (uid, at, tz, local_date, kind, outcome, next_step_on, "
                "prospect_id, note) VALUES (?, ?, 'Europe/Amsterdam', ?, 'call', "
                "'next_step', ?, ?, '')",
                (f"a{i}", at, day, day, pid),
            )
            con.execute(
                "INSERT INTO win (uid, amount_cents, currency, at, tz, local_date, "
                "prospect_id, note) VALUES (?, 10000, 'EUR', ?, 'Europe/Amsterdam', ?, ?, '')",
                (f"w{i}", at, day, pid),
            )
            con.execute(
                "INSERT OR REPLACE INTO day_off (day, reason, note) VALUES (?, 'vacation', '')",
                (day,),
            )
            con.execute(
                "INSERT INTO target (kind, count, per, effective_from, created_at) "
                "VALUES ('email', 5, 'day', ?, ?)",
                (day, at),
            )
            con.execute(
                "INSERT INTO block (uid, started_at, tz, local_date, planned_minutes, "
                "ended_at, interruptions) VALUES (?, ?, 'Europe/Amsterdam', ?, 60, ?, 0)",
                (f"b{i}", at, day, at),
            )
        anna = con.execute("SELECT id FROM prospect WHERE name = 'Anna'").fetchone()[0]
        for uid, zone, at in (
            ("z1", "localtime", "2026-11-20T10:00:00.000000Z"),
            ("z2", "", "2026-11-20T10:00:00.000000Z"),
            ("z3", "Europe/Amsterdam", "garbage"),
        ):
            con.execute(
                "INSERT INTO action (uid, at, tz, local_date, kind, outcome, prospect_id, note) "
                "VALUES (?, ?, ?, '2026-11-20', 'email', 'conversation', ?, '')",
                (uid, at, zone, anna),
            )
        con.execute(
            "INSERT INTO review (week, figures_json, went_well, got_in_the_way, commitments, "
            "updated_at) VALUES ('0001-W01', '{', '', '', '', 'garbage')"
        )
        con.execute(
            "INSERT INTO review (week, figures_json, went_well, got_in_the_way, commitments, "
            "updated_at) VALUES ('2026-W46', 'null', '', '', 'call more', "
            "'26-12-01T12:00:00.000000Z')"
        )
        for key, value in (
            ("value_per_action.call", "1e308"),
            ("theme", "foo"),
            ("timezone", "localtime"),
            ("payoff.delay_days", "0"),
            ("revenue_target_month", "nan"),
        ):
            con.execute(
                "INSERT OR REPLACE INTO setting (key, value, updated_at) VALUES (?, ?, ?)",
                (key, value, "9999-12-31T23:59:59.999999Z"),
            )
        con.commit()
    finally:
        con.close()


@pytest.fixture
def odd_db(store: Store, db_path: Path) -> Path:
    """A database with good history (Anna's conversation, a win) and every odd value."""
    anna = store.add_prospect("Anna")
    store.log_actions("call", outcome="conversation", prospect_id=anna.id)
    store.log_actions("email", dt.datetime(2026, 11, 18, 10, tzinfo=dt.UTC), count=4)
    store.add_win("2500", anna.id)
    write_odd_values(db_path)
    return db_path


@pytest.mark.parametrize("args", READS, ids=" ".join)
def test_every_read_command_works_on_odd_stored_values(
    cli: Run, odd_db: Path, args: tuple[str, ...]
) -> None:
    code, out, err = cli(*args)
    assert code == 0, err
    assert "Traceback" not in err
    if "--json" in args or ("--format" in args and args[-1] == "json"):
        json.loads(out)
    if args[0] != "db":
        [warning] = err.strip().splitlines()[:1]
        assert warning.startswith("prospector: warning: ")
        assert "1970-01-01 to 2199-12-31" in warning and "win.local_date" in warning


def test_the_figures_leave_odd_rows_out(cli: Run, odd_db: Path) -> None:
    status = json.loads(cli("status", "--json")[1])
    assert status["today"]["call"]["done"] == 1
    assert status["week"]["email"]["done"] == 0
    wins = json.loads(cli("win", "list", "--json")[1])["wins"]
    assert len(wins) == 1 + len(ODD_DAYS)
    assert [w["amount"] for w in wins if w["in_range"]] == [2500.0]
    forecast = json.loads(cli("forecast", "--json")[1])
    assert forecast["calibration"]["wins"] <= 1
    off = json.loads(cli("dayoff", "list", "--json")[1])
    assert off == []


def test_unusable_settings_fall_back_to_their_defaults(cli: Run, odd_db: Path) -> None:
    shown = json.loads(cli("settings", "show", "--json")[1])
    assert shown["theme"]["value"] == "textual-dark"
    assert shown["payoff.delay_days"]["value"] == "30"
    assert shown["revenue_target_month"]["value"] == "45000"


def test_db_check_names_each_odd_row(cli: Run, odd_db: Path) -> None:
    code, out, _ = cli("db", "check")
    assert code == 0
    assert "win.local_date: 8 not a real day from 1970-01-01 to 2199-12-31" in out
    assert "'0026-12-01'" in out
    assert "action.at:" in out and "'26-12-01T12:00:00.000000Z'" in out
    assert "action.tz: 2 unknown time zones" in out
    assert "review.week: 1 not an ISO week" in out
    assert "setting.theme: stored value refused" in out
    report = json.loads(cli("db", "check", "--json")[1])
    columns = {(o["table"], o["column"]) for o in report["odd_values"]}
    assert {("action", "at"), ("win", "local_date"), ("day_off", "day")} <= columns


def test_a_wrong_win_from_an_old_version_can_be_deleted(cli: Run, odd_db: Path) -> None:
    wins = json.loads(cli("win", "list", "--json")[1])["wins"]
    [old] = [w for w in wins if w["date"] == "0026-12-01"]
    assert old["in_range"] is False
    code, out, _ = cli("win", "delete", str(old["id"]))
    assert code == 0 and f"Deleted win {old['id']}: EUR 100" in out
    code, _, err = cli("win", "delete", str(old["id"]))
    assert code == 2 and f"no win with id {old['id']}" in err


def test_a_clean_database_gives_no_warning(cli: Run) -> None:
    cli("log", "call")
    code, _, err = cli("status")
    assert code == 0 and err == ""


@pytest.mark.parametrize(
    ("stored", "read"),
    [
        ("2026-11-23T13:08:00.000000Z", dt.datetime(2026, 11, 23, 13, 8, tzinfo=dt.UTC)),
        ("0026-12-01T12:00:00.000000Z", FIRST_INSTANT),
        ("26-12-01T12:00:00.000000Z", FIRST_INSTANT),
        ("9999-12-31T23:59:59.999999Z", LAST_INSTANT),
        ("garbage", FIRST_INSTANT),
    ],
)
def test_stored_instants_read_back_within_the_range(
    store: Store, db_path: Path, stored: str, read: dt.datetime
) -> None:
    store.log_actions("call")
    con = sqlite3.connect(db_path)
    con.execute("UPDATE action SET at = ?", (stored,))
    con.commit()
    con.close()
    [row] = store.recent_actions()
    assert row.at == read


@pytest.mark.parametrize(
    "instant",
    [
        dt.datetime(1970, 1, 1, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 23, 13, 8, 5, 120, tzinfo=dt.UTC),
        dt.datetime(2199, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC),
        dt.datetime(26, 12, 1, 12, tzinfo=dt.UTC),
        dt.datetime(1, 1, 1, tzinfo=dt.UTC),
    ],
)
def test_instants_are_stored_fixed_width_with_a_four_digit_year(instant: dt.datetime) -> None:
    text = utc_text(instant)
    assert len(text) == 27 and text[4] == "-" and text.endswith("Z")
    assert read_utc_text(text) == instant
