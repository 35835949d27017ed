"""Every headless command on its happy path and on bad input."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from prospector.cli import default_db_path, main
from prospector.sqlite import sqlite3
from prospector.store import Store

Run = Callable[..., tuple[int, str, str]]


def rows(db: Path, table: str) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def test_log_with_count_prospect_and_next_step(cli: Run, store: Store) -> None:
    code, out, _ = cli(
        "log",
        "call",
        "--count",
        "3",
        "--prospect",
        "Anna de Vries",
        "--outcome",
        "next_step",
        "--next",
        "2026-11-30",
        "--note",
        "call back",
        "--minutes",
        "9",
    )
    assert code == 0
    assert "Logged 3 calls with Anna de Vries (next step) on Mon 23 Nov 2026" in out
    assert "New prospect: Anna de Vries" in out
    assert "3 of 20 calls done" in out
    prospect = store.find_prospect("anna de vries")
    assert prospect is not None and prospect.next_touch_on == dt.date(2026, 11, 30)
    assert store.day_counts() == {dt.date(2026, 11, 23): {"call": 3}}


def test_log_at_a_past_date(cli: Run, store: Store) -> None:
    code, out, _ = cli("log", "email", "--at", "2026-11-20")
    assert code == 0 and "Fri 20 Nov 2026" in out
    assert store.day_counts() == {dt.date(2026, 11, 20): {"email": 1}}


def test_log_at_iso_time_without_offset_is_read_in_the_rep_zone(cli: Run, store: Store) -> None:
    cli("settings", "set", "timezone", "America/New_York")
    assert cli("log", "call", "--at", "2026-11-20T21:30")[0] == 0
    assert store.day_counts() == {dt.date(2026, 11, 20): {"call": 1}}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["log", "calll"], "unknown kind 'calll'; kinds are call, email"),
        (["log", "call", "--count", "0"], "--count must be at least 1"),
        (["log", "call", "--count", "-4"], "--count must be a whole number in digits 0-9"),
        (["log", "call", "--count", "two"], "--count must be a whole number"),
        (["log", "call", "--at", "2026-02-30"], "no such day"),
        (["log", "call", "--at", "last tuesday"], "bad --at 'last tuesday'"),
        (["log", "call", "--outcome", "maybe"], "unknown outcome 'maybe'; outcomes are"),
        (["log", "call", "--outcome", "next_step"], "needs the date of the next step"),
        (["log", "call", "--next", "2026-12-01"], "--next goes with --outcome next_step"),
        (["log", "call", "--minutes", "5000"], "minutes must be between 0 and 1440"),
        (["log"], "required: kind"),
        (["target", "set", "cal", "5"], "unknown kind 'cal'"),
        (["target", "set", "call", "-1"], "COUNT must be a whole number in digits 0-9"),
        (["target", "set", "call", "5", "--per", "month"], "--per must be day or week"),
        (["target", "set", "call", "5", "--from", "soon"], "bad --from 'soon'"),
        (["win", "lots", "--prospect", "Anna"], "amount must be a number"),
        (["win", "-5", "--prospect", "Anna"], "amount must be a positive number"),
        (["win", "500"], "required: --prospect"),
        (["settings", "set", "colour", "blue"], "unknown setting 'colour'; settings are"),
        (["settings", "set", "timezone", "Mars/Olympus"], "unknown time zone 'Mars/Olympus'"),
        (["settings", "set", "working_days", "mon,funday"], "working_days must list weekdays"),
        (["settings", "set", "payoff.delay_days", "0"], "between 1 and 365"),
        (["settings", "set", "value_per_action.fax", "3"], "unknown kind 'fax'"),
        (["status", "--as-of", "23-11-2026"], "write it as YYYY-MM-DD"),
        (["dayoff", "add", "2026-12-24", "--reason", "party"], "unknown reason 'party'"),
        (["dayoff", "add", "2026-12-24", "--to", "2026-12-20"], "before the start date"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        # Strict input: ASCII digits only, the documented forms only, the one date range.
        (["log", "call", "--count", "1_000"], "--count must be a whole number in digits 0-9"),
        (["log", "call", "--count", "+5"], "--count must be a whole number in digits 0-9"),
        (["log", "call", "--count", " 5"], "--count must be a whole number in digits 0-9"),
        (["log", "call", "--count", "٥"], "--count must be a whole number in digits 0-9"),
        (["log", "call", "--count", "1001"], "count must be between 1 and 1000"),
        (["log", "call", "--minutes", "1_0"], "--minutes must be a whole number in digits 0-9"),
        (["target", "set", "call", "١٠"], "COUNT must be a whole number in digits 0-9"),
        (["demo", "--seed", "+7"], "--seed must be a whole number in digits 0-9"),
        (["demo", "--actions", "1e3"], "--actions must be a whole number in digits 0-9"),
        (["log", "call", "--at", ""], "bad --at ''"),
        (["log", "call", "--at", " "], "bad --at ' '"),
        (["log", "call", "--at", "2026-W47"], "bad --at '2026-W47'"),
        (["log", "call", "--at", "2026-327"], "bad --at '2026-327'"),
        (["log", "call", "--at", "20261123"], "bad --at '20261123'"),
        (["log", "call", "--at", "٢٠٢٦-١١-٢٣"], "bad --at"),
        (["log", "call", "--at", "2026-11-23T14"], "bad --at"),
        (
            ["log", "call", "--at", "0026-12-01"],
            "--at 0026-12-01 is out of range; use a date from 1970-01-01 to 2199-12-31",
        ),
        (
            ["log", "call", "--at", "9999-12-31"],
            "--at 9999-12-31 is out of range; use a date from 1970-01-01 to 2199-12-31",
        ),
        (
            ["log", "call", "--at", "1969-12-31T23:59Z"],
            "out of range; use a date from 1970-01-01 to 2199-12-31",
        ),
        (
            ["log", "call", "--at", "2199-12-31T23:30-05:00"],
            "out of range; use a date from 1970-01-01 to 2199-12-31",
        ),
        (
            ["log", "call", "--outcome", "next_step", "--next", "9999-12-31"],
            "--next 9999-12-31 is out of range; use a date from 1970-01-01 to 2199-12-31",
        ),
        (["log", "call", "--outcome", "next_step", "--next", ""], "bad --next ''"),
        (
            ["win", "100", "--prospect", "X", "--at", "0026-12-01"],
            "--at 0026-12-01 is out of range; use a date from 1970-01-01 to 2199-12-31",
        ),
        (["win", "1_000", "--prospect", "X"], "amount must be a number in digits 0-9"),
        (["win", "1e3", "--prospect", "X"], "amount must be a number in digits 0-9"),
        (["prospect", "add", "Bob", "--value", "1_000"], "--value must be an amount such as"),
        (["prospect", "add", "Bob", "--value", "inf"], "--value must be an amount such as"),
        (["prospect", "add", "Bob", "--value", "٥"], "--value must be an amount such as"),
        (["win", "٥٠٠", "--prospect", "X"], "amount must be a number in digits 0-9"),
        (
            ["target", "set", "call", "5", "--from", "1969-12-31"],
            "--from 1969-12-31 is out of range; use a date from 1970-01-01 to 2199-12-31",
        ),
        (
            ["dayoff", "add", "9999-12-31"],
            "day off 9999-12-31 is out of range; use a date from 1970-01-01 to 2199-12-31",
        ),
        (
            ["dayoff", "add", "2026-12-24", "--to", "2200-01-01"],
            "--to 2200-01-01 is out of range; use a date from 1970-01-01 to 2199-12-31",
        ),
        (
            ["status", "--as-of", "9999-12-31"],
            "--as-of 9999-12-31 is out of range; use a date from 1970-01-01 to 2199-12-31",
        ),
        (
            ["forecast", "--as-of", "9999-12-31"],
            "--as-of 9999-12-31 is out of range; use a date from 1970-01-01 to 2199-12-31",
        ),
        (
            ["followups", "--as-of", "0001-01-01"],
            "--as-of 0001-01-01 is out of range; use a date from 1970-01-01 to 2199-12-31",
        ),
        (
            ["review", "--week", "0001-W01"],
            "--week 0001-W01 is out of range; use a week from 1970-W01 to 2199-W52",
        ),
        (["review", "--week", "2200-W01"], "use a week from 1970-W01 to 2199-W52"),
        (["review", "--week", "٢٠٢٦-W47"], "--week must look like 2026-W47"),
        (["settings", "set", "theme", "foo"], "theme must be one of textual-dark, textual-light"),
        (["settings", "set", "timezone", "localtime"], "unknown time zone 'localtime'"),
        (["settings", "set", "timezone", "posixrules"], "unknown time zone 'posixrules'"),
        (["settings", "set", "timezone", "Factory"], "unknown time zone 'Factory'"),
        (["settings", "set", "timezone", "right/UTC"], "unknown time zone 'right/UTC'"),
        (["settings", "set", "timezone", "europe/amsterdam"], "did you mean Europe/Amsterdam?"),
        (
            ["settings", "set", "value_per_action.call", "1e308"],
            "value_per_action.call must be a number in digits 0-9",
        ),
        (["settings", "set", "value_per_action.call", "nan"], "must be a number in digits 0-9"),
        (["settings", "set", "value_per_action.call", "inf"], "must be a number in digits 0-9"),
        (
            ["settings", "set", "value_per_action.call", "-1"],
            "between 0 and 1,000,000,000, got '-1'",
        ),
        (["settings", "set", "value_per_action.call", "1000000001"], "between 0 and 1,000,000,000"),
        (["settings", "set", "revenue_target_month", "1_000"], "must be a number in digits 0-9"),
        (["settings", "set", "funnel.close_rate", "1.5"], "between 0 and 1, got '1.5'"),
        (
            ["settings", "set", "block_minutes", "٥"],
            "block_minutes must be a whole number in digits 0-9",
        ),
        (
            ["settings", "set", "block.start_time", "٠٩:٠٠"],
            "block.start_time must be a time of day",
        ),
        (["settings", "set", "followup.cadence", "call, email+٣"], "'email+٣'"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(
    cli: Run, db_path: Path, args: list[str], message: str
) -> None:
    before = {t: rows(db_path, t) for t in ("action", "prospect", "target", "win", "setting")}
    code, out, err = cli(*args)
    assert code == 2
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert out == ""
    after = {t: rows(db_path, t) for t in before}
    assert after == before


def test_target_set_and_list(cli: Run) -> None:
    assert cli("target", "set", "call", "25", "--per", "day", "--from", "2026-11-01")[0] == 0
    code, out, _ = cli("target", "set", "visit", "4", "--per", "week", "--from", "2026-12-01")
    assert code == 0 and "From 2026-12-01: 4 visits a week." in out
    code, out, _ = cli("target", "list", "--json")
    listed = {(t["kind"], t["count"], t["in_force"]) for t in json.loads(out)["targets"]}
    assert ("call", 25, True) in listed
    assert ("visit", 2, True) in listed and ("visit", 4, False) in listed
    assert ("call", 20, True) not in listed
    code, out, _ = cli("target", "list")
    assert "Call" in out and "from 2026-11-01" in out and "(scheduled)" in out


def test_win(cli: Run, store: Store) -> None:
    code, out, _ = cli("win", "12500.50", "--prospect", "Bakker BV", "--at", "2026-11-20")
    assert code == 0 and "Won EUR 12,500.50 with Bakker BV on Fri 20 Nov 2026." in out
    [won] = store.wins()
    assert won.amount_cents == 1_250_050 and won.local_date == dt.date(2026, 11, 20)


def test_settings_show_and_set(cli: Run) -> None:
    code, out, _ = cli("settings", "set", "revenue_target_month", "40000")
    assert code == 0 and out.strip() == "revenue_target_month = 40000"
    cli("settings", "set", "value_per_action.call", "55.5")
    code, out, _ = cli("settings", "show", "--json")
    shown = json.loads(out)
    assert shown["revenue_target_month"] == {"value": "40000", "default": False}
    assert shown["value_per_action.call"]["value"] == "55.5"
    assert shown["currency"] == {"value": "EUR", "default": True}
    assert shown["payoff.delay_days"]["value"] == "30"
    code, out, _ = cli("settings", "show")
    assert "working_days" in out and "mon,tue,wed,thu,fri  (default)" in out


def test_settings_reset_goes_back_to_the_default(cli: Run) -> None:
    cli("settings", "set", "value_per_action.call", "80")
    code, out, _ = cli("settings", "reset", "value_per_action.call")
    assert code == 0 and out.strip() == "value_per_action.call = 75 (back to the default)"
    code, out, _ = cli("settings", "reset", "value_per_action.call")
    assert "already the default" in out
    code, _, err = cli("settings", "reset", "colour")
    assert code == 2 and "unknown setting 'colour'" in err


def test_status_json_contract(cli: Run) -> None:
    cli("log", "call", "--count", "4", "--at", "2026-11-20")
    cli("log", "call", "--count", "2")
    code, out, _ = cli("status", "--json")
    assert code == 0
    status = json.loads(out)
    assert status["as_of"] == "2026-11-23"
    assert status["today"]["call"] == {"done": 2, "target": 20}
    assert status["week"]["call"] == {"done": 2, "target": 100}
    assert status["week"]["visit"]["target"] == 2
    assert status["streak"] == 2
    # Tracking began Fri 20 Nov: one finished working day asking 20+10+5+0.4+0.6 = 36;
    # today's target counts only once today is over.
    assert status["rolling_30"] == {"done": 6, "target": 36}
    assert status["buffer"] == {
        "working_days": 0,
        "actions_short": 30,
        "text": "behind: 30 actions short",
    }
    assert status["discipline_score"] == pytest.approx(4 / 36, abs=1e-3)
    code, out, _ = cli("status", "--json", "--as-of", "2026-11-20")
    past = json.loads(out)
    assert past["today"]["call"]["done"] == 4
    assert past["rolling_30"] == {"done": 4, "target": 36}  # a past day is a finished day


def test_status_text_and_a_day_off(cli: Run) -> None:
    cli("log", "call", "--at", "2026-11-20")
    assert cli("dayoff", "add", "2026-11-23", "--to", "2026-11-27")[0] == 0
    code, out, _ = cli("status")
    assert code == 0
    assert "Monday 23 November 2026 (Europe/Amsterdam)" in out
    assert "day off (vacation)" in out
    assert json.loads(cli("status", "--json")[1])["day_off"] == "vacation"


def test_dayoff_add_and_list(cli: Run) -> None:
    code, out, _ = cli("dayoff", "add", "2026-12-24", "--to", "2026-12-28", "--reason", "holiday")
    assert code == 0 and "Marked 3 working days off (holiday)" in out  # Sat/Sun skipped
    code, out, _ = cli("dayoff", "list", "--json")
    assert [d["day"] for d in json.loads(out)] == ["2026-12-24", "2026-12-25", "2026-12-28"]


def test_unreadable_database_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "broken.db"
    bad.write_bytes(b"\x00garbage" * 100)
    before = bad.read_bytes()
    assert main(["--db", str(bad), "status"]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "not a Prospector database" in err
    assert bad.read_bytes() == before


def test_damaged_sqlite_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "damaged.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    assert main(["--db", str(bad), "status"]) == 2
    err = capsys.readouterr().err
    assert "damaged" in err and "Traceback" not in err


def test_database_location_flag_beats_env_beats_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_env: Path
) -> None:
    default = default_db_path()
    assert default.name == "prospector.db" and str(isolated_env) in str(default)
    env_db, flag_db = tmp_path / "env.db", tmp_path / "flag.db"
    monkeypatch.setenv("PROSPECTOR_DB", str(env_db))
    assert default_db_path() == env_db
    assert main(["log", "call"]) == 0
    assert main(["--db", str(flag_db), "log", "email", "--count", "2"]) == 0
    assert rows(env_db, "action") == 1 and rows(flag_db, "action") == 2


def test_log_answers_a_weekly_kind_with_the_week(cli: Run) -> None:
    cli("log", "visit", "--at", "2026-11-20")  # last week: does not count
    code, out, _ = cli("log", "visit", "--count", "2")
    assert code == 0
    assert "Logged 2 visits (no response)" in out
    assert "Week 48: 2 of 2 visits done." in out


def test_target_zero_removes_a_target(cli: Run) -> None:
    code, out, _ = cli("target", "set", "email", "0")
    assert code == 0 and "no target for emails" in out
    status = json.loads(cli("status", "--json")[1])
    assert status["today"]["email"]["target"] == 0
    cli("log", "email")
    code, out, _ = cli("status")
    assert "(no target)" in out


def test_status_text_keeps_weekly_kinds_in_the_week(cli: Run) -> None:
    cli("log", "visit")
    code, out, _ = cli("status")
    today, week = out.split("This week")
    assert "Visit" in today and "(weekly target)" in today
    assert "Visit                1       2" in week


def test_forecast_json_contract(cli: Run, store: Store) -> None:
    for day in (16, 17, 18, 19, 20):
        cli("log", "call", "--count", "20", "--at", f"2026-11-{day}")
    code, out, _ = cli("forecast", "--json")
    assert code == 0
    result = json.loads(out)
    assert result["as_of"] == "2026-11-23"
    assert result["value_per_action"]["call"] == pytest.approx(75.0)
    assert len(result["daily"]) == 120
    assert result["daily"][0]["date"] == "2026-11-24"
    assert {"locked_in", "at_pace", "at_target"} <= set(result["daily"][0])
    assert [m["month"] for m in result["months"]] == [
        "2026-11",
        "2026-12",
        "2027-01",
        "2027-02",
        "2027-03",
    ]
    first = result["months"][0]
    assert first["days"] == 7 and first["revenue_target"] == pytest.approx(45000 * 7 / 30)
    assert first["gap"] == pytest.approx(max(0.0, first["revenue_target"] - first["locked_in"]))
    # 100 calls at EUR 75 lock in EUR 7,500 in all; most of it lands within 120 days.
    locked = sum(day["locked_in"] for day in result["daily"])
    assert 6000 < locked <= 7500
    assert result["calibration"]["wins"] == 0 and result["calibration"]["scale"] is None
    assert "locked in for the next 90 days" in result["headline"]


def test_forecast_text_reads_like_a_coach(cli: Run) -> None:
    cli("log", "call", "--count", "20", "--at", "2026-11-16")
    cli("log", "call", "--count", "2", "--at", "2026-11-17")
    code, out, _ = cli("forecast", "--as-of", "2026-11-20")
    assert code == 0
    assert out.startswith("Forecast as of Friday 20 November 2026")
    assert "locked in for the next 90 days" in out
    assert "December:" in out and "at your pace" in out
    assert "were 93% under target" in out or "under target" in out
    assert cli("forecast", "--as-of", "someday")[0] == 2


# Names match in any case and Unicode spelling; a refused command adds no prospect.


def test_a_name_in_another_case_or_spelling_is_the_same_prospect(cli: Run, db_path: Path) -> None:
    import unicodedata

    assert cli("prospect", "add", "ÖZIL GMBH", "--company", "Özil Stahl")[0] == 0
    code, out, _ = cli("prospect", "show", "Özil GmbH")
    assert code == 0 and out.startswith("ÖZIL GMBH, Özil Stahl")
    code, out, _ = cli("log", "call", "--prospect", "özil  gmbh")
    assert code == 0 and "with ÖZIL GMBH" in out and "New prospect" not in out
    code, out, _ = cli("win", "100", "--prospect", " Özil GmbH ")
    assert code == 0 and "with ÖZIL GMBH" in out and "New prospect" not in out
    nfd, nfc = (unicodedata.normalize(form, "Café Noir") for form in ("NFD", "NFC"))
    assert cli("log", "call", "--prospect", nfd)[0] == 0
    code, out, _ = cli("log", "email", "--prospect", nfc.upper())
    assert code == 0 and "New prospect" not in out
    assert rows(db_path, "prospect") == 2
    code, out, _ = cli("prospect", "list", "--search", "ÖZIL")
    assert code == 0 and out.startswith("1 prospect matching 'ÖZIL'")
    code, out, _ = cli("prospect", "list", "--search", "stahl")
    assert code == 0 and "ÖZIL GMBH" in out
    code, out, _ = cli("prospect", "list", "--search", "CAFE")
    assert code == 0 and "No prospects matching" in out  # an accent is not a case


@pytest.mark.parametrize(
    "name", ["O'Brien & Sons", 'Hoff "Koel" $HOME', "`id` $(id)", "-Acme", "--help"]
)
def test_the_already_exists_hint_can_be_pasted_into_a_shell(cli: Run, name: str) -> None:
    import shlex

    assert cli("prospect", "add", "--", name)[0] == 0
    code, _, err = cli("prospect", "add", "--", name.upper())
    assert code == 2 and "already exists; see it with: prospector prospect show " in err
    pasted = shlex.split(err.split("see it with: ")[1])
    dashes = ["--"] if name.startswith("-") else []
    assert pasted == ["prospector", "prospect", "show", *dashes, name]
    code, out, _ = cli(*pasted[1:])
    assert code == 0 and out.startswith(name)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--count", "5000"], "count must be between 1 and 1000"),
        (["--minutes", "5000"], "minutes must be between 0 and 1440"),
        (["--outcome", "maybe"], "unknown outcome 'maybe'"),
        (["--outcome", "next_step", "--next", "soonish"], "bad --next 'soonish'"),
        (["--outcome", "next_step"], "needs the date of the next step"),
        (["--next", "2026-12-01"], "--next goes with --outcome next_step or meeting"),
        (["--at", "yesterday at noonish"], ""),
    ],
)
def test_a_refused_log_adds_no_prospect(
    cli: Run, db_path: Path, args: list[str], message: str
) -> None:
    code, out, err = cli("log", "call", "--prospect", "Partial Guy", *args)
    assert code == 2 and message in err and out == ""
    assert [rows(db_path, t) for t in ("prospect", "action", "win")] == [0, 0, 0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["win", "lots", "--prospect", "Partial Guy"], "amount must be a number"),
        (["win", "1000000000000000", "--prospect", "Partial Guy"], "implausibly large"),
        (["win", "100", "--prospect", "Partial Guy", "--at", "whenever"], ""),
        (["win", "100", "--prospect", " \t "], "a prospect needs a name"),
        (["log", "call", "--prospect", "  "], "a prospect needs a name"),
    ],
)
def test_a_refused_win_or_blank_name_adds_nothing(
    cli: Run, db_path: Path, args: list[str], message: str
) -> None:
    code, _, err = cli(*args)
    assert code == 2 and message in err
    assert [rows(db_path, t) for t in ("prospect", "action", "win")] == [0, 0, 0]
