"""Export: CSV and JSON Lines of the activity log, the full JSON dump, the calendar.

Round trips (export, import into an empty database, export again) are checked with
generated histories: the CSV must come back byte for byte, the dump figure for figure.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prospector.clock import FixedClock, local_date
from prospector.demo import generate_demo
from prospector.errors import ProspectorError
from prospector.export import (
    ACTION_COLUMNS,
    fold,
    neutralise,
    unneutralise,
    write_csv,
    write_dump,
)
from prospector.importing import import_file
from prospector.sqlite import sqlite3
from prospector.store import Store

Run = Callable[..., tuple[int, str, str]]
NOW = pendulum.datetime(2026, 11, 23, 10, 0, tz="Europe/Amsterdam")
TODAY = dt.date(2026, 11, 23)
ZONES = ("Europe/Amsterdam", "America/New_York", "Asia/Kolkata", "Pacific/Chatham", "UTC")


@pytest.fixture
def run(cli: Run) -> Run:
    """``prospector export|import ...`` on the test database, through the CLI."""
    return cli


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database at the current schema, copied for each generated history."""
    path = tmp_path_factory.mktemp("template") / "empty.db"
    Store.open(path).close()
    return path


def fresh(template: Path, folder: Path, name: str) -> Store:
    path = folder / name
    shutil.copyfile(template, path)
    return Store.open(path, clock=FixedClock(NOW))


def count(db: Path, sql: str) -> int:
    con = sqlite3.connect(db)
    try:
        return int(con.execute(sql).fetchone()[0])
    finally:
        con.close()


# --- CSV ---------------------------------------------------------------------------------


def test_csv_has_every_action_of_the_range_with_local_times(
    run: Run, store: Store, db_path: Path, tmp_path: Path
) -> None:
    generate_demo(store, seed=7)
    out = tmp_path / "all.csv"
    code, _, err = run("export", "--format", "csv", "-o", str(out))
    assert code == 0
    total = count(db_path, "SELECT count(*) FROM action")
    assert err.strip() == f"Exported {total:,} actions to {out}."
    data = out.read_bytes()
    assert data.startswith(b"uid,date,time,")
    assert data.count(b"\r\n") >= total + 1
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    assert len(rows) == total
    assert list(rows[0]) == list(ACTION_COLUMNS)
    for row in rows[:200]:
        at = pendulum.parse(row["at_utc"]).in_timezone(row["timezone"])
        assert row["time"] == f"{at:%H:%M:%S}"
        assert row["date"] == local_date(at, row["timezone"]).isoformat()
    assert [r["at_utc"] for r in rows] == sorted(r["at_utc"] for r in rows)
    named = [r for r in rows if r["prospect"]]
    assert named and all(r["prospect_uid"] for r in named)
    assert any(r["block_uid"] for r in rows)

    assert data == reference_csv(store)

    week = tmp_path / "week.csv"
    code, _, err = run("export", "--from", "2026-11-16", "--to", "2026-11-20", "-o", str(week))
    assert code == 0
    expected = count(
        db_path,
        "SELECT count(*) FROM action WHERE local_date BETWEEN '2026-11-16' AND '2026-11-20'",
    )
    assert expected > 0
    assert f"Exported {expected:,} actions" in err
    dates = {r["date"] for r in csv.DictReader(week.open(encoding="utf-8", newline=""))}
    assert min(dates) == "2026-11-16" and max(dates) == "2026-11-20"

    later = tmp_path / "later.csv"  # a range no action falls in, of a history that has some
    code, _, err = run("export", "--from", "2030-01-01", "--to", "2030-01-31", "-o", str(later))
    assert (code, err.strip()) == (0, f"Exported 0 actions to {later}.")
    assert later.read_bytes() == (",".join(ACTION_COLUMNS) + "\r\n").encode()


def test_csv_to_standard_output(run: Run, store: Store) -> None:
    store.log_action("call", note="hello, world")
    code, out, err = run("export")
    assert code == 0
    assert out.splitlines()[0] == ",".join(ACTION_COLUMNS)
    assert '"hello, world"' in out
    assert err.strip() == "Exported 1 action to standard output."


def test_excel_csv_has_a_bom_and_semicolons(run: Run, store: Store, tmp_path: Path) -> None:
    store.log_action("call", note="a;b")
    out = tmp_path / "excel.csv"
    assert run("export", "--excel", "-o", str(out))[0] == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfuid;date;time;")
    assert b'"a;b"' in data


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+31 6 1234", "'+31 6 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("'=already quoted", "''=already quoted"),
        ("'s-Hertogenbosch", "'s-Hertogenbosch"),
        ("plain = fine", "plain = fine"),
        ("", ""),
    ],
)
def test_formula_cells_are_neutralised_reversibly(cell: str, written: str) -> None:
    assert neutralise(cell) == written
    assert unneutralise(written) == cell


@given(st.text(alphabet=st.sampled_from("'=+-@\t\rab"), max_size=6))
def test_neutralising_is_always_reversible(cell: str) -> None:
    assert unneutralise(neutralise(cell)) == cell
    assert neutralise(cell)[:1] not in ("=", "+", "-", "@", "\t", "\r")


def test_injection_is_neutralised_in_the_file_and_undone_on_import(
    run: Run, store: Store, tmp_path: Path, template: Path
) -> None:
    prospect = store.add_prospect("=cmd|' /C calc'!A0", company="@SUM(1+1)")
    store.log_action("call", note="=1+2", prospect_id=prospect.id)
    store.log_action("email", note="-10")
    out = tmp_path / "a.csv"
    assert run("export", "-o", str(out))[0] == 0
    cells = [c for row in csv.reader(out.open(encoding="utf-8", newline="")) for c in row]
    assert "'=1+2" in cells and "'-10" in cells
    assert "'=cmd|' /C calc'!A0" in cells and "'@SUM(1+1)" in cells
    assert not any(c[:1] in "=+-@" for c in cells if c)

    other = fresh(template, tmp_path, "b.db")
    import_file(other, out)
    again = io.StringIO(newline="")
    write_csv(other, again)
    assert again.getvalue().encode() == out.read_bytes()
    assert other.find_prospect("=cmd|' /C calc'!A0") is not None


def test_jsonl_is_one_object_per_action(run: Run, store: Store, tmp_path: Path) -> None:
    generate_demo(store, seed=7)
    out = tmp_path / "a.jsonl"
    code, _, err = run("export", "--format", "jsonl", "-o", str(out))
    assert code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert f"Exported {len(lines):,} actions" in err
    assert len(lines) == store.action_count()
    first = json.loads(lines[0])
    assert list(first) == list(ACTION_COLUMNS)
    assert all(isinstance(json.loads(line)["minutes"], int | None) for line in lines[:500])


def test_bad_export_options_are_refused(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    cases = [
        (("export", "--format", "xml"), "unknown format 'xml'"),
        (("export", "--format", "json", "--excel"), "--excel goes with --format csv"),
        (("export", "--from", "2026-11-20", "--to", "2026-11-01"), "before --from"),
        (("export", "--format", "json", "--from", "2026-11-01"), "full dump"),
        (("export", "--from", "20-11-2026"), "YYYY-MM-DD"),
        (("export", "-o", str(folder)), "is a folder"),
        (("export", "-o", str(folder / "missing" / "a.csv")), "cannot write"),
    ]
    for args, message in cases:
        code, out, err = run(*args)
        assert code == 2, args
        assert message in err, (args, err)
        assert "Traceback" not in err
    assert list(folder.iterdir()) == []


def test_the_database_itself_is_never_an_export_target_or_an_import_source(
    run: Run, store: Store, db_path: Path
) -> None:
    """``-o prospector.db`` would replace the rep's database with a CSV."""
    store.log_action("call")
    store.close()
    before = count(db_path, "SELECT count(*) FROM action")
    for target in (db_path, db_path.with_name(db_path.name + "-wal")):
        code, _, err = run("export", "-o", str(target))
        assert code == 2
        assert "is the database or one of its files" in err
    code, _, err = run("import", str(db_path.parent / "." / db_path.name))
    assert code == 2
    assert "is the database or one of its files" in err
    assert count(db_path, "SELECT count(*) FROM action") == before == 1
    con = sqlite3.connect(db_path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


def test_a_failed_export_leaves_no_file(store: Store, tmp_path: Path) -> None:
    from prospector import io_commands

    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(RuntimeError), io_commands._output(folder / "out.csv") as fh:
        fh.write("half")
        raise RuntimeError("disk full")
    assert list(folder.iterdir()) == []


# --- generated histories -----------------------------------------------------------------

NOTE = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=20,
) | st.sampled_from(["=1+1", "+1", "-", "@x", "'=x", "a,b;c", 'say "hi"', "l1\r\nl2", "\r"])
NAME = (
    st.text(
        alphabet=st.characters(
            whitelist_categories=("Lu", "Ll", "Nd"), whitelist_characters=" '=+-@&.é"
        ),
        min_size=1,
        max_size=12,
    )
    .map(str.strip)
    .filter(bool)
)


@st.composite
def histories(draw: st.DrawFn) -> dict[str, Any]:
    """A random history: prospects, blocks, and actions in several zones."""
    names = draw(st.lists(NAME, max_size=5, unique_by=lambda n: n.lower()))
    prospects = [
        {
            "uid": f"p{i:031x}",
            "name": name,
            "company": draw(st.sampled_from(["", "Bakker BV", "=Evil Corp", "Zeeland; Koel"])),
            "source": "cold",
            "stage": "new",
            "existing_customer": False,
            "stopped": False,
            "note": "",
            "created_at": dt.datetime(2026, 5, 1, tzinfo=dt.UTC),
        }
        for i, name in enumerate(names)
    ]
    n_blocks = draw(st.integers(0, 3))
    blocks = [
        {
            "uid": f"b{i:031x}",
            "started_at": dt.datetime(2026, 6, 1 + i, 8, tzinfo=dt.UTC),
            "tz": "Europe/Amsterdam",
            "local_date": dt.date(2026, 6, 1 + i),
            "planned_minutes": 60,
            "ended_at": dt.datetime(2026, 6, 1 + i, 9, tzinfo=dt.UTC),
            "actual_minutes": 60,
            "interruptions": 0,
        }
        for i in range(n_blocks)
    ]
    kinds = ["call", "email", "linkedin", "text", "visit", "referral_ask", "social"]
    outcomes = ["no_response", "conversation", "next_step", "meeting", "referral", "stop"]
    actions = []
    for i in range(draw(st.integers(0, 25))):
        at = draw(
            st.datetimes(min_value=dt.datetime(2026, 3, 1), max_value=dt.datetime(2026, 11, 23, 8))
        ).replace(tzinfo=dt.UTC)
        zone = draw(st.sampled_from(ZONES))
        outcome = draw(st.sampled_from(outcomes))
        actions.append(
            {
                "uid": f"a{i:031x}",
                "at": at,
                "tz": zone,
                "local_date": local_date(at, zone),
                "kind": draw(st.sampled_from(kinds)),
                "outcome": outcome,
                "next_step_on": draw(st.none() | st.dates(dt.date(2026, 1, 1), dt.date(2027, 6, 1)))
                if outcome != "next_step"
                else dt.date(2026, 12, 1),
                "prospect_ref": draw(st.none() | st.integers(0, len(prospects) - 1))
                if prospects
                else None,
                "block_ref": draw(st.none() | st.integers(0, n_blocks - 1)) if n_blocks else None,
                "note": draw(NOTE),
                "minutes": draw(st.none() | st.integers(0, 1440)),
            }
        )
    wins = [
        {
            "uid": f"w{i:031x}",
            "amount_cents": draw(st.integers(1, 10**9)),
            "currency": "EUR",
            "at": dt.datetime(2026, 9, 1 + i, 14, tzinfo=dt.UTC),
            "tz": "Europe/Amsterdam",
            "local_date": dt.date(2026, 9, 1 + i),
            "prospect_ref": draw(st.none() | st.integers(0, len(prospects) - 1))
            if prospects
            else None,
            "note": draw(NOTE),
        }
        for i in range(draw(st.integers(0, 3)))
    ]
    days_off = [
        {"day": day, "reason": draw(st.sampled_from(["vacation", "holiday", "sick"]))}
        for day in draw(
            st.lists(st.dates(dt.date(2026, 8, 1), dt.date(2026, 12, 31)), max_size=4, unique=True)
        )
    ]
    targets = draw(
        st.lists(
            st.tuples(
                st.sampled_from(kinds),
                st.integers(0, 50),
                st.sampled_from(["day", "week"]),
                st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
            ),
            max_size=3,
        )
    )
    return {
        "prospects": prospects,
        "blocks": blocks,
        "actions": actions,
        "wins": wins,
        "days_off": days_off,
        "targets": targets,
        "timezone": draw(st.sampled_from(ZONES)),
    }


def fill(store: Store, history: dict[str, Any]) -> None:
    store.set_setting("timezone", history["timezone"])
    store.insert_history_bulk(
        prospects=history["prospects"],
        blocks=history["blocks"],
        actions=history["actions"],
        wins=history["wins"],
        days_off=history["days_off"],
    )
    for kind, n, per, start in history["targets"]:
        store.set_target(kind, n, per, start)


SLOW_OK = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SLOW_OK
@given(history=histories(), excel=st.booleans())
def test_csv_round_trip_is_byte_identical(
    template: Path, tmp_path_factory: pytest.TempPathFactory, history: dict[str, Any], excel: bool
) -> None:
    folder = tmp_path_factory.mktemp("csv")
    source = fresh(template, folder, "source.db")
    fill(source, history)
    first = folder / "first.csv"
    with first.open("w", encoding="utf-8", newline="") as fh:
        written = write_csv(source, fh, excel=excel)
    assert written == len(history["actions"])

    assert first.read_bytes() == reference_csv(source, excel)

    copy = fresh(template, folder, "copy.db")
    report = import_file(copy, first)
    assert report.added.get("actions", 0) == written
    second = io.StringIO(newline="")
    write_csv(copy, second, excel=excel)
    assert second.getvalue().encode("utf-8") == first.read_bytes()
    assert _day_counts_agree(copy)
    again = import_file(copy, first)
    assert again.nothing_new and again.present.get("actions", 0) == written
    source.close()
    copy.close()


def reference_csv(store: Store, excel: bool = False) -> bytes:
    """The CSV the export must write, made the plain way: every row read in time order,
    the local time from zoneinfo, ``neutralise`` and ``csv.writer``."""
    out = io.StringIO(newline="")
    if excel:
        out.write("\ufeff")
    writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n")
    writer.writerow(ACTION_COLUMNS)
    with store.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT a.uid, a.local_date, a.at, a.tz, a.kind, a.outcome, a.next_step_on, "
            "p.name, p.company, p.uid, b.uid, a.minutes, a.note FROM action AS a "
            "LEFT JOIN prospect AS p ON p.id = a.prospect_id "
            "LEFT JOIN block AS b ON b.id = a.block_id ORDER BY a.at, a.id"
        ).all()
    for uid, day, at, tz, kind, outcome, nxt, name, company, puid, buid, minutes, note in rows:
        instant = dt.datetime.strptime(at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)
        local = instant.astimezone(ZoneInfo(tz))
        writer.writerow(
            [uid, day, f"{local:%H:%M:%S}", tz, at, kind, outcome, nxt]
            + [neutralise(name or ""), neutralise(company or ""), puid, buid, minutes]
            + [neutralise(note)]
        )
    return out.getvalue().encode("utf-8")


def _day_counts_agree(store: Store) -> bool:
    with store.engine.connect() as conn:
        kept = set(
            conn.exec_driver_sql(
                "SELECT local_date, kind, n FROM action_day_count WHERE n > 0"
            ).all()
        )
        counted = set(
            conn.exec_driver_sql(
                "SELECT local_date, kind, count(*) FROM action GROUP BY local_date, kind"
            ).all()
        )
    return kept == counted


def _figures(store: Store) -> tuple[Any, ...]:
    return (
        store.status(),
        store.forecast(),
        store.followup_queue(),
        store.prospects(),
        store.limbo(),
        store.wins(),
        store.days_off(),
        store.target_rules(),
        store.settings(),
        store.day_counts(),
    )


@SLOW_OK
@given(history=histories())
def test_json_dump_restores_figure_for_figure(
    template: Path, tmp_path_factory: pytest.TempPathFactory, history: dict[str, Any]
) -> None:
    folder = tmp_path_factory.mktemp("dump")
    source = fresh(template, folder, "source.db")
    fill(source, history)
    dump = folder / "dump.json"
    with dump.open("w", encoding="utf-8", newline="") as fh:
        counts = write_dump(source, fh)
    assert counts["actions"] == len(history["actions"])
    json.loads(dump.read_text(encoding="utf-8"))

    copy = fresh(template, folder, "copy.db")
    copy.set_setting("currency", "USD")  # a fresh file's own settings give way to the dump's
    import_file(copy, dump)
    assert _figures(copy) == _figures(source)
    assert _day_counts_agree(copy)
    again = io.StringIO(newline="")
    write_dump(copy, again)
    assert again.getvalue() == dump.read_text(encoding="utf-8")
    source.close()
    copy.close()


def test_json_dump_of_the_demo_restores_every_figure(
    run: Run, store: Store, tmp_path: Path, template: Path
) -> None:
    generate_demo(store, seed=7)
    out = tmp_path / "dump.json"
    code, _, err = run("export", "--format", "json", "-o", str(out))
    assert code == 0
    assert err.startswith(f"Exported {store.action_count():,} actions, 42 prospects, 7 wins")
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["format"] == "prospector-dump" and document["version"] == 1
    assert set(document) >= {
        "settings",
        "targets",
        "days_off",
        "prospects",
        "blocks",
        "wins",
        "reviews",
        "actions",
    }
    copy = fresh(template, tmp_path, "copy.db")
    import_file(copy, out)
    assert _figures(copy) == _figures(store)
    assert copy.followup_queue() and copy.limbo()


# --- calendar ----------------------------------------------------------------------------


def _calendar(data: bytes) -> icalendar.Calendar:
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    for line in data.split(b"\r\n"):
        assert len(line) <= 75, line
    return icalendar.Calendar.from_ical(data)


def test_ics_holds_the_block_recurrence_and_the_follow_ups(
    run: Run, store: Store, tmp_path: Path
) -> None:
    generate_demo(store, seed=7)
    store.add_days_off(dt.date(2026, 12, 24), dt.date(2026, 12, 25), "holiday")
    out = tmp_path / "plan.ics"
    code, _, err = run("export", "--format", "ics", "-o", str(out))
    assert code == 0
    cal = _calendar(out.read_bytes())
    assert str(cal["VERSION"]) == "2.0" and "Prospector" in str(cal["PRODID"])
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    events = list(cal.walk("VEVENT"))
    assert all(e.get("UID") and e.get("DTSTAMP") for e in events)
    assert len({str(e["UID"]) for e in events}) == len(events)
    block = events[0]
    assert block["SUMMARY"] == "Prospecting block"
    start = block.decoded("DTSTART")
    assert start.replace(tzinfo=None) == dt.datetime(2026, 11, 23, 9, 0)
    assert str(start.tzinfo) == "Europe/Amsterdam"
    assert block.decoded("DTEND") - start == dt.timedelta(minutes=60)
    rule = block["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["MO", "TU", "WE", "TH", "FR"]
    skipped = {d.dt.date() for ex in [block["EXDATE"]] for d in ex.dts}
    assert skipped == {dt.date(2026, 12, 24), dt.date(2026, 12, 25)}

    followups = events[1:]
    due = [p for p in store.prospects() if not p.closed and p.next_touch_on is not None]
    assert len(followups) == len(due) > 0
    assert f"and {len(due)} follow-ups" in err
    days = {e.decoded("DTSTART") for e in followups}
    assert all(isinstance(d, dt.date) and not isinstance(d, dt.datetime) for d in days)
    assert min(days) == TODAY  # overdue touches land on today: the queue
    queue = store.followup_queue()
    on_today = [e for e in followups if e.decoded("DTSTART") == TODAY]
    assert len(on_today) == len(queue)
    assert any("overdue since" in str(e["SUMMARY"]) for e in on_today)
    names = " ".join(str(e["SUMMARY"]) for e in followups)
    assert all(p.name in names for p in queue)


def test_ics_honours_the_start_time_the_range_and_escaping(
    run: Run, store: Store, tmp_path: Path
) -> None:
    store.set_setting("block.start_time", "7:30")
    store.set_setting("block_minutes", "90")
    store.add_prospect("Zoë; Müller, \\ Co", company="Ünïcode Brouwerij B.V. " * 3)
    out = tmp_path / "plan.ics"
    args = ("--format", "ics", "--from", "2026-11-28", "--to", "2026-12-31", "-o", str(out))
    assert run("export", *args)[0] == 0
    cal = _calendar(out.read_bytes())
    block = next(iter(cal.walk("VEVENT")))
    start = block.decoded("DTSTART")
    assert start.replace(tzinfo=None) == dt.datetime(2026, 11, 30, 7, 30)  # first working day
    assert block.decoded("DTEND") - start == dt.timedelta(minutes=90)
    until = block["RRULE"]["UNTIL"][0]
    assert until.astimezone(dt.UTC) == dt.datetime(2026, 12, 31, 22, 59, 59, tzinfo=dt.UTC)
    # The new prospect is due today, before the range: not in it.
    assert len(list(cal.walk("VEVENT"))) == 1

    code, out_text, _ = run("export", "--format", "ics")
    assert code == 0
    events = list(_calendar(out_text.encode()).walk("VEVENT"))
    assert str(events[1]["SUMMARY"]).startswith("Call: Zoë; Müller, \\ Co (Ünïcode")


def test_folding_never_splits_a_character() -> None:
    line = "SUMMARY:" + "é" * 100
    folded = fold(line).encode()
    parts = folded.split(b"\r\n ")
    assert all(len(p) <= 75 for p in folded.split(b"\r\n"))
    assert b"".join(parts).decode().rstrip("\r\n") == line
    assert fold("SHORT:x") == "SHORT:x\r\n"


def test_block_start_time_setting_is_validated(store: Store) -> None:
    assert store.settings().block_start_time == "09:00"
    assert store.set_setting("block.start_time", "8:05") == "08:05"
    with pytest.raises(ProspectorError, match="HH:MM"):
        store.set_setting("block.start_time", "25:00")


@pytest.mark.parametrize(
    ("start", "end"), [(None, None), (dt.date(2026, 11, 1), dt.date(2026, 11, 30))]
)
def test_the_export_streams_in_time_order_without_sorting_in_memory(
    store: Store, start: dt.date | None, end: dt.date | None
) -> None:
    """Sorting a history in memory made the export's memory grow with it."""
    from prospector.export import _range, _reader, time_order_sql

    where, params = _range(start, end)
    with _reader(store) as con:
        sql = "EXPLAIN QUERY PLAN " + time_order_sql(where, "a.id, p.name, b.uid")
        plan = " ".join(str(row[-1]) for row in con.execute(sql, params))
    assert "ix_action_at" in plan and "TEMP B-TREE" not in plan
