"""Import refuses, with its line and column, every value the CLI would refuse.

Each case here was a traceback, a UNIQUE-constraint failure after a clean dry run, or a
row quietly stored wrong. Every case runs twice through the CLI, as ``--dry-run`` and as
the import: both refuse with the same row message and exit 2, and no row changes.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from tests_support import checksum

from prospector.clock import FixedClock, local_instant, parse_when
from prospector.demo import generate_demo
from prospector.export import write_dump
from prospector.importing import import_file, name_key
from prospector.store import Store

Run = Callable[..., tuple[int, str, str]]
NOW_AMSTERDAM = dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)
HEADER = (
    "uid,date,time,timezone,at_utc,kind,outcome,next_step_on,prospect,company,"
    "prospect_uid,block_uid,minutes,note\n"
)
GOOD = {
    "uid": "a1",
    "date": "2026-11-23",
    "time": "10:00:00",
    "timezone": "Europe/Amsterdam",
    "at_utc": "2026-11-23T09:00:00.000000Z",
    "kind": "call",
    "outcome": "no_response",
    "next_step_on": "",
    "prospect": "",
    "company": "",
    "prospect_uid": "",
    "block_uid": "",
    "minutes": "",
    "note": "",
}


def own_csv(**changes: str) -> str:
    """Our CSV export of one action, with ``changes`` made by hand."""
    row = {**GOOD, **changes}
    return HEADER + ",".join(row.values()) + "\n"


def own_jsonl(**changes: object) -> str:
    row: dict[str, Any] = {**GOOD, **changes}
    return json.dumps(row) + "\n"


def refused(run: Run, db: Path, path: Path, *extra: str) -> str:
    """Run the dry run and the import of ``path``; both must refuse the same way and
    change nothing. Returns the message of the import."""
    before = checksum(db)
    code, out, err = run("import", str(path), "--dry-run", *extra)
    assert code == 2, (out, err)
    assert "Traceback" not in err
    dry = out + err
    code, out, err = run("import", str(path), *extra)
    assert code == 2, (out, err)
    assert checksum(db) == before
    message = err.strip().splitlines()[-1]
    assert message.startswith("prospector: ")
    assert "database error" not in message and "cannot use the database" not in message
    rows = re.findall(r"line \d+: .*?(?=\)?; nothing was imported|$)", message)
    for row in rows:  # the dry run names the same rows for the same reasons
        assert row in dry, (row, dry)
    return message


@pytest.fixture
def run(cli: Run) -> Run:
    """``prospector ARGS`` on the test database, through the CLI."""
    return cli


@pytest.fixture(scope="module")
def dump_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A small real dump (demo history), made once for the module."""
    folder = tmp_path_factory.mktemp("dump")
    source = Store.open(folder / "source.db", clock=FixedClock(NOW_AMSTERDAM))
    source.set_setting("timezone", "Europe/Amsterdam")
    generate_demo(source, seed=5, actions=300)
    out = io.StringIO(newline="")
    write_dump(source, out)
    source.close()
    return out.getvalue()


@pytest.fixture
def dump(dump_text: str) -> dict[str, Any]:
    """The dump as JSON, to edit by hand."""
    loaded: dict[str, Any] = json.loads(dump_text)
    return loaded


def write_json(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return path


# --- dates and instants outside the range -----------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"at_utc": "9999-12-31T23:00:00-01:00", "date": "9999-12-31"},
            "line 2: at_utc 9999-12-31T23:00:00-01:00 is out of range; "
            "use a date from 1970-01-01 to 2199-12-31",
        ),
        (
            {"at_utc": "0001-01-01T00:00:00+14:00", "date": "0001-01-01"},
            "line 2: at_utc 0001-01-01T00:00:00+14:00 is out of range",
        ),
        ({"date": "0001-01-01"}, "line 2: date 0001-01-01 is out of range"),
        (
            {"outcome": "next_step", "next_step_on": "0001-01-01"},
            "line 2: next_step_on 0001-01-01 is out of range",
        ),
        (
            {"at_utc": "1970-01-01T00:30:00.000000Z", "date": "1970-01-01"},
            "line 2: at_utc 1970-01-01T00:30:00.000000Z falls on 1969-12-31 in America/New_York, "
            "which is out of range",
        ),
    ],
)
def test_our_csv_refuses_dates_outside_the_range(
    run: Run, db_path: Path, tmp_path: Path, changes: dict[str, str], expected: str
) -> None:
    if "America" in expected:
        changes = {**changes, "timezone": "America/New_York"}
    message = refused(run, db_path, write(tmp_path / "ours.csv", own_csv(**changes)))
    assert expected in message


def test_jsonl_and_foreign_csv_refuse_dates_outside_the_range(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    jsonl = write(tmp_path / "ours.jsonl", own_jsonl(at_utc="9999-12-31T23:00:00-01:00"))
    assert "line 1: at_utc 9999-12-31T23:00:00-01:00 is out of range" in refused(
        run, db_path, jsonl
    )
    foreign = write(
        tmp_path / "crm.csv",
        "date,kind\n2026-11-23,call\n9999-12-31T23:00:00-01:00,call\n0001-01-01,email\n",
    )
    message = refused(run, db_path, foreign)
    assert "2 rows rejected, the first on line 3: date 9999-12-31T23:00:00-01:00 is out" in message
    code, out, _ = run("import", str(foreign), "--dry-run")
    assert "line 4: date 0001-01-01 is out of range" in out
    short = write(tmp_path / "eu.csv", "date;kind\n31-12-2200;call\n")
    assert "line 2: date 31-12-2200 is out of range" in refused(run, db_path, short)
    early = write(tmp_path / "early.csv", "date,time,kind\n1970-01-01,00:30,call\n")
    assert (
        "line 2: date 1970-01-01 00:30 in Europe/Amsterdam is 1969-12-31 23:30 UTC, which is "
        "out of range"
    ) in refused(run, db_path, early)


def test_a_dump_refuses_instants_outside_the_range(
    run: Run, db_path: Path, tmp_path: Path, dump: dict[str, Any]
) -> None:
    actions = dump["actions"]
    assert isinstance(actions, list)
    actions[0]["at"] = "0001-01-01T00:00:00+14:00"
    message = refused(run, db_path, write_json(tmp_path / "d.json", dump))
    assert "actions: at 0001-01-01T00:00:00+14:00 is out of range" in message


# --- our CSV's date and time must agree with at_utc --------------------------------------


def test_our_csv_date_and_time_must_agree_with_at_utc(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    day_off = write(tmp_path / "day.csv", own_csv(date="2026-11-24"))
    assert (
        "line 2: date 2026-11-24 is not the day of at_utc 2026-11-23T09:00:00.000000Z in "
        "Europe/Amsterdam, which is 2026-11-23"
    ) in refused(run, db_path, day_off)
    hour_off = write(tmp_path / "time.csv", own_csv(time="09:00:00"))
    assert (
        "line 2: time 09:00:00 is not the time of at_utc 2026-11-23T09:00:00.000000Z in "
        "Europe/Amsterdam, which is 10:00:00"
    ) in refused(run, db_path, hour_off)
    jsonl = write(tmp_path / "time.jsonl", own_jsonl(time="10:01"))
    assert "line 1: time 10:01 is not the time of at_utc" in refused(run, db_path, jsonl)
    # Minutes without seconds, or no time at all, are fine when they agree.
    ok = write(
        tmp_path / "ok.csv", own_csv(time="10:00") + own_csv(uid="a2", time="")[len(HEADER) :]
    )
    code, out, err = run("import", str(ok))
    assert code == 0, err
    assert "Imported 2 actions" in out


# --- encodings ----------------------------------------------------------------------------


def test_encodings_that_cannot_read_the_file_are_refused_by_name(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    plain = write(tmp_path / "plain.csv", "date,kind\n2026-11-23,call\n")
    message = refused(run, db_path, plain, "--encoding", "utf-16")
    assert "does not start with a byte order mark, which --encoding utf-16 needs" in message
    assert "utf-16-le" in message
    message = refused(run, db_path, plain, "--encoding", "rot13")
    assert "'rot13' is not a text encoding" in message
    message = refused(run, db_path, plain, "--encoding", "utf-32")
    assert "--encoding utf-32 needs" in message
    message = refused(run, db_path, plain, "--encoding", "klingon")
    assert "unknown encoding 'klingon'" in message
    dump = write(tmp_path / "d.json", '{"format": "prospector-dump"}')
    assert "'base64' is not a text encoding" in refused(run, db_path, dump, "--encoding", "base64")


def test_utf16_with_a_byte_order_mark_is_read_without_a_flag(store: Store, tmp_path: Path) -> None:
    text = "date,kind,note\n2026-11-23,call,Zoë\n2026-11-24,email,ok\n"
    for name, data in (
        ("le.csv", text.encode("utf-16")),
        ("be.csv", b"\xfe\xff" + text.encode("utf-16-be")),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        report = import_file(store, path, dry_run=True)
        assert report.added == {"actions": 2}, report.rejects
    bad = tmp_path / "bad.csv"
    bad.write_bytes("date,kind\n2026-11-23,call\n".encode("utf-16") + b"\x00\xd8\n\x00")
    with pytest.raises(Exception, match=r"line 3: byte 0x00 cannot be read as utf-16"):
        import_file(store, bad, dry_run=True)


# --- numbers --------------------------------------------------------------------------------


def test_minutes_far_out_of_bounds_are_refused(run: Run, db_path: Path, tmp_path: Path) -> None:
    for value in ("1e30", "1" + "0" * 30, "1441", "-5"):
        message = refused(run, db_path, write(tmp_path / "m.csv", own_csv(minutes=value)))
        assert "line 2: " in message and "minutes" in message
    jsonl = write(tmp_path / "m.jsonl", own_jsonl(minutes=10**30))
    assert "line 1: minutes must be between 0 and 1440" in refused(run, db_path, jsonl)
    foreign = write(tmp_path / "f.csv", "date,kind,minutes\n2026-11-23,call,1e30\n")
    assert "line 2: bad minutes '1e30'" in refused(run, db_path, foreign)


@pytest.mark.parametrize(
    ("section", "field", "value", "expected"),
    [
        ("wins", "amount_cents", 10**20, "amount_cents 100000000000000000000 is far too large"),
        ("wins", "amount_cents", 0, "amount_cents must be between 1 and"),
        ("wins", "currency", "eur", "currency must be a three-letter ISO 4217 code"),
        ("prospects", "id", 2**63, "id must be between 1 and 9007199254740991"),
        ("prospects", "name", "  ", "a prospect needs a name"),
        ("prospects", "source", "cold call", "unknown source 'cold call'"),
        ("prospects", "stage", "nurture", "unknown stage 'nurture'"),
        ("prospects", "est_value", 1e300, "est_value must be a plain number"),
        ("prospects", "name", "Ann \ud800", "name holds half a character"),
        ("actions", "minutes", 1e30, "minutes must be a whole number, got 1e+30"),
        ("actions", "minutes", 10**30, "is far too large"),
        ("actions", "kind", "fax", "unknown kind 'fax'"),
        ("actions", "outcome", "maybe", "unknown outcome 'maybe'"),
        ("actions", "local_date", "2026-01-01", "local_date 2026-01-01 is not the day of at"),
        ("actions", "tz", "Mars/Olympus", "unknown time zone 'Mars/Olympus'"),
        ("actions", "tz", "posixrules", "unknown time zone 'posixrules'"),
        ("actions", "tz", "Factory", "unknown time zone 'Factory'"),
        ("actions", "tz", "right/UTC", "unknown time zone 'right/UTC'"),
        ("actions", "tz", "localtime", "unknown time zone 'localtime'"),
        ("blocks", "planned_minutes", 10**6, "planned_minutes must be between 1 and"),
        ("blocks", "interruptions", -1, "interruptions must be between 0 and"),
    ],
)
def test_dump_values_pass_the_rules_of_the_cli(
    run: Run,
    db_path: Path,
    tmp_path: Path,
    dump: dict[str, Any],
    section: str,
    field: str,
    value: object,
    expected: str,
) -> None:
    rows = dump[section]
    assert isinstance(rows, list) and rows
    rows[0][field] = value
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(dump, indent=1, ensure_ascii=True), encoding="utf-8")
    message = refused(run, db_path, path)
    assert f"{section}: " in message and expected in message
    assert "1 row rejected (line " in message  # rows naming it are not piled on


def test_a_dump_with_a_value_twice_fails_the_dry_run_not_the_write(
    run: Run, db_path: Path, tmp_path: Path, dump: dict[str, Any]
) -> None:
    days = dump["days_off"]
    assert isinstance(days, list) and len(days) > 1
    days[1]["day"] = days[0]["day"]
    message = refused(run, db_path, write_json(tmp_path / "days.json", dump))
    assert re.search(rf"line \d+: days_off: day {days[0]['day']} is also on line \d+", message)
    days[1]["day"] = "2026-01-02"

    stamp = "2026-11-01T00:00:00.000000Z"
    dump["settings"] = [
        {"key": "currency", "value": "USD", "updated_at": stamp},
        {"key": "currency", "value": "EUR", "updated_at": stamp},
    ]
    message = refused(run, db_path, write_json(tmp_path / "settings.json", dump))
    assert "settings: setting currency is also on line" in message
    dump["settings"] = []

    review = {
        "week": "2026-W40",
        "figures_json": "{}",
        "went_well": "",
        "got_in_the_way": "",
        "commitments": "",
        "commitments_kept": None,
        "updated_at": stamp,
    }
    dump["reviews"] = [{"id": 1, **review}, {"id": 2, **review}]
    message = refused(run, db_path, write_json(tmp_path / "reviews.json", dump))
    assert "reviews: the review of week 2026-W40 is also on line" in message
    for week, expected in (
        ("2026-W54", "2026 has weeks W01 to W53"),
        ("2026-w40", "week '2026-w40' must be written as 2026-W40"),
        ("2026-W4", "must be written as 2026-W04"),
        ("W40-2026", "must look like 2026-W47"),
    ):
        dump["reviews"] = [{"id": 1, **review, "week": week}]
        message = refused(run, db_path, write_json(tmp_path / "week.json", dump))
        assert expected in message, message
    dump["reviews"] = [{"id": 1, **review, "figures_json": "not json"}]
    assert "figures_json must be a JSON object" in refused(
        run, db_path, write_json(tmp_path / "figures.json", dump)
    )
    dump["reviews"] = []

    prospects = dump["prospects"]
    assert isinstance(prospects, list) and len(prospects) > 1
    prospects[1]["name"] = prospects[0]["name"].upper()
    message = refused(run, db_path, write_json(tmp_path / "names.json", dump))
    assert f"a prospect named {prospects[1]['name']!r} is also on line" in message


def test_a_clean_dump_still_restores(
    run: Run, db_path: Path, tmp_path: Path, dump: dict[str, Any]
) -> None:
    path = write_json(tmp_path / "clean.json", dump)
    code, out, err = run("import", str(path))
    assert code == 0, err
    assert f"Imported {len(dump['actions'])} actions" in out
    code, out, err = run("db", "check")
    assert code == 0, err


# --- the name rule ---------------------------------------------------------------------------


def test_imported_names_match_under_nfc_and_casefold(store: Store, tmp_path: Path) -> None:
    assert name_key(" Zoe\u0308 ") == name_key("ZOË") == "zoë"
    assert name_key("STRASSE") == name_key("Straße")
    store.add_prospect("Straße GmbH")
    path = write(tmp_path / "crm.csv", "date,kind,prospect\n2026-11-23,call,STRASSE GMBH\n")
    report = import_file(store, path)
    assert report.added == {"actions": 1}
    assert [p.name for p in store.prospects()] == ["Straße GmbH"]


# --- DST: one rule for log --at and an imported row -----------------------------------------


NOW = dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("wall", "utc"),
    [
        ("2026-10-25T02:30", dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC)),  # twice: 2nd
        ("2026-03-29T02:30", dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC)),  # gap: 03:30
        ("2026-10-25T01:30", dt.datetime(2026, 10, 24, 23, 30, tzinfo=dt.UTC)),
    ],
)
def test_a_dst_time_lands_where_log_at_puts_it(
    store: Store, tmp_path: Path, wall: str, utc: dt.datetime
) -> None:
    assert parse_when(wall, "Europe/Amsterdam", NOW) == utc
    day, clock = wall.split("T")
    path = write(tmp_path / "crm.csv", f"date,time,kind\n{day},{clock},call\n")
    import_file(store, path)
    (action,) = store.recent_actions()
    assert action.at == utc


@pytest.mark.parametrize(
    "zone",
    [
        "Europe/Amsterdam",
        "America/New_York",
        "Australia/Lord_Howe",
        "Europe/Dublin",
        "America/Santiago",
        "America/Havana",
        "Antarctica/Troll",
    ],
)
def test_local_instant_is_the_rule_of_parse_when(zone: str) -> None:
    """Every quarter hour of the days around each clock change of 2026 and 2027, in
    zones with odd ones (half-hour jumps, negative summer time, midnight gaps)."""
    tz = ZoneInfo(zone)
    changes = [
        day
        for n in range(730)
        if (day := dt.datetime(2026, 1, 1) + dt.timedelta(days=n)).replace(tzinfo=tz).utcoffset()
        != (day + dt.timedelta(days=1)).replace(tzinfo=tz).utcoffset()
    ]
    assert changes
    for day in changes:
        for quarter in range(-96, 2 * 96):
            wall = day + dt.timedelta(minutes=15 * quarter)
            assert local_instant(wall, zone) == parse_when(wall.isoformat(), zone, NOW), wall


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_json_nested_past_any_sense_is_refused_by_line(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    deep = "[" * 100_000
    dump = write(tmp_path / "deep.json", f'{{"format": "prospector-dump", "actions": {deep}}}')
    assert "deep.json line 1: lists or objects nested too deeply" in refused(run, db_path, dump)
    lines = write(tmp_path / "deep.jsonl", own_jsonl() + f'{{"uid": {deep}}}\n')
    assert "line 2: lists or objects nested too deeply" in refused(run, db_path, lines)
    version = write(tmp_path / "v.json", f'{{"format": "prospector-dump", "version": {deep}}}')
    assert "bad dump version a list" in refused(run, db_path, version)


def test_quoted_cells_between_semicolons_are_not_taken_for_broken_commas(
    store: Store, tmp_path: Path
) -> None:
    path = write(tmp_path / "quoted.csv", '"date";"kind";"note"\r\n"2026-11-23";"call";"a, b"\r\n')
    assert import_file(store, path, dry_run=True).added == {"actions": 1}
