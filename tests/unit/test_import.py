"""Import: our own files, foreign (European) CSV, detection, rejects, dry run, idempotence.

A file that cannot be read gives one clear line naming the file, the line and what to
do; a row that cannot be imported is listed with its line and reason, and then nothing
at all is imported.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from prospector.demo import generate_demo
from prospector.errors import InvalidInput
from prospector.export import write_csv, write_dump
from prospector.importing import ImportRejected, import_file
from prospector.sqlite import sqlite3
from prospector.store import Store

Run = Callable[..., tuple[int, str, str]]
EU_MAP = "date=Datum,kind=Soort,prospect=Klant,company=Bedrijf,note=Notitie,minutes=Duur"


@pytest.fixture
def run(cli: Run) -> Run:
    """``prospector import ...`` on the test database, through the CLI."""
    return cli


def rows(db: Path, table: str = "action") -> int:
    con = sqlite3.connect(db)
    try:
        return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        con.close()


def snapshot(db: Path) -> dict[str, int]:
    tables = ("action", "prospect", "block", "win", "target", "day_off", "setting")
    return {t: rows(db, t) for t in tables}


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def csv_of(store: Store) -> str:
    out = io.StringIO(newline="")
    write_csv(store, out)
    return out.getvalue()


# --- our own files -----------------------------------------------------------------------


def test_our_csv_imports_into_an_empty_database_and_only_once(
    run: Run, store: Store, db_path: Path, tmp_path: Path
) -> None:
    source = Store.open(tmp_path / "source.db", clock=store.clock)
    source.set_setting("timezone", "Europe/Amsterdam")
    generate_demo(source, seed=7)
    exported = tmp_path / "demo.csv"
    exported.write_text(csv_of(source), encoding="utf-8", newline="")

    code, out, err = run("import", str(exported))
    assert code == 0, err
    total = source.action_count()
    assert f"Imported {total:,} actions" in out
    assert "encoding: UTF-8" in err and "delimiter: comma" in err
    assert store.action_count() == total
    assert csv_of(store) == exported.read_bytes().decode("utf-8")
    assert store.day_counts() == source.day_counts()
    # Next steps and stops logged with the actions carry over to their prospects.
    by_name = {p.name: p for p in source.prospects()}
    for p in store.prospects():
        history = source.prospect_history(by_name[p.name].id)
        steps = [a.next_step_on for a in history if a.next_step_on is not None]
        assert p.planned_on == (steps[0] if steps else None)
        assert p.stopped == any(a.outcome == "stop" for a in history)

    before = snapshot(db_path)
    code, out, _ = run("import", str(exported))
    assert code == 0
    assert out.startswith(f"Nothing new in {exported}")
    assert snapshot(db_path) == before
    source.close()


def test_our_csv_merges_into_a_database_with_history(store: Store, tmp_path: Path) -> None:
    anna = store.add_prospect("Anna de Vries")
    store.log_action("call", prospect_id=anna.id, at=dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC))
    other = Store.open(tmp_path / "other.db", clock=store.clock)
    other.set_setting("timezone", "Europe/Amsterdam")
    p = other.add_prospect("ANNA DE VRIES")
    other.log_action(
        "email",
        prospect_id=p.id,
        outcome="next_step",
        next_step_on=dt.date(2026, 12, 3),
        at=dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC),
    )
    other.log_action("call", prospect_id=p.id, outcome="stop")
    path = tmp_path / "other.csv"
    path.write_text(csv_of(other), encoding="utf-8", newline="")
    report = import_file(store, path)
    assert report.added == {"actions": 2}
    assert len(store.prospects()) == 1  # matched by name, in any case
    summary = store.prospects()[0]
    assert summary.touch_count == 3
    assert summary.planned_on == dt.date(2026, 12, 3)
    assert summary.stopped
    other.close()


def test_our_excel_csv_and_jsonl_import_too(store: Store, tmp_path: Path) -> None:
    from prospector.export import write_jsonl

    store.log_action("call", note="=2+2; said no")
    expected = csv_of(store)
    excel = tmp_path / "excel.csv"
    with excel.open("w", encoding="utf-8", newline="") as fh:
        write_csv(store, fh, excel=True)
    lines = tmp_path / "a.jsonl"
    with lines.open("w", encoding="utf-8", newline="") as fh:
        write_jsonl(store, fh)
    heard: dict[str, list[str]] = {}
    for path in (excel, lines):
        target = Store.open(tmp_path / f"{path.stem}.db", clock=store.clock)
        notes = heard[path.suffix] = []
        import_file(target, path, notify=notes.append)
        assert csv_of(target) == expected
        target.close()
    assert heard[".csv"][:2] == [
        "encoding: UTF-8 with a byte order mark",
        "delimiter: semicolon (';')",
    ]
    assert heard[".jsonl"] == ["format: Prospector JSON Lines export"]


def test_dump_goes_into_an_empty_database_only(
    run: Run, store: Store, db_path: Path, tmp_path: Path
) -> None:
    source = Store.open(tmp_path / "source.db", clock=store.clock)
    source.set_setting("timezone", "Europe/Amsterdam")
    generate_demo(source, seed=7)
    dump = tmp_path / "dump.json"
    with dump.open("w", encoding="utf-8", newline="") as fh:
        write_dump(source, fh)

    store.log_action("call")
    before = snapshot(db_path)
    code, _, err = run("import", str(dump))
    assert code == 2
    assert "already holds data (1 action)" in err
    assert "--db" in err and "empty database" in err
    assert snapshot(db_path) == before

    fresh = Store.open(tmp_path / "fresh.db", clock=store.clock)
    first = import_file(fresh, dump)
    assert first.added["actions"] == source.action_count()
    assert fresh.status() == source.status()
    second = import_file(fresh, dump)
    assert second.nothing_new and second.present["actions"] == source.action_count()
    source.close()
    fresh.close()


def test_a_damaged_dump_is_refused_with_its_line(store: Store, tmp_path: Path) -> None:
    source = Store.open(tmp_path / "source.db", clock=store.clock)
    source.log_action("call")
    source.log_action("email")
    text = io.StringIO(newline="")
    write_dump(source, text)
    whole = text.getvalue()
    lines = whole.splitlines(keepends=True)
    cases = {
        "cut.json": ("".join(lines[:-3]), "not a complete Prospector dump"),
        "other.json": ('{"name": "x"}', "not a Prospector dump"),
        "newer.json": (whole.replace('"version": 1', '"version": 9'), "newer Prospector"),
        "section.json": (whole.replace('"reviews"', '"memos"'), "section 'memos'"),
        "kind.json": (whole.replace('"kind": "email"', '"kind": "fax"'), "unknown kind 'fax'"),
        "ref.json": (
            whole.replace('"prospect_uid": null', '"prospect_uid": "nobody"', 1),
            "names prospect nobody",
        ),
    }
    for name, (content, message) in cases.items():
        path = write(tmp_path / name, content)
        with pytest.raises(InvalidInput, match=message):
            import_file(store, path)
        assert store.action_count() == 0, name
    rejected = write(tmp_path / "kind2.json", cases["kind.json"][0])
    with pytest.raises(ImportRejected) as caught:
        import_file(store, rejected)
    reject = caught.value.report.rejects[0]
    assert whole.splitlines()[reject.line - 1].lstrip().startswith('{"id": 2')
    source.close()


# --- foreign CSV -------------------------------------------------------------------------

EUROPEAN = (
    "Datum;Soort;Klant;Bedrijf;Notitie;Duur\r\n"
    "23-11-2026;Call;Jan Müller;Müller BV;Gebeld, geen gehoor;7,5\r\n"
    '13-11-2026 14:30;e-mail;jan müller;;"Offerte\r\nverstuurd";\r\n'
    "02-11-2026;visit;Sanne Bakker;Bakker & Zn;Koffie;45\r\n"
)


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [("cp1252", "Windows-1252"), ("utf-8-sig", "UTF-8 with a byte order mark"), ("utf-8", "UTF-8")],
)
def test_a_european_csv_is_detected_and_imported(
    run: Run, store: Store, tmp_path: Path, encoding: str, detected: str
) -> None:
    path = write(tmp_path / "export.csv", EUROPEAN.replace("e-mail", "email"), encoding)
    code, out, err = run("import", str(path), "--map", EU_MAP)
    assert code == 0, err
    assert f"encoding: {detected}" in err
    assert "delimiter: semicolon" in err
    assert "dates: day first (dd-mm-yyyy), as '23-11-2026' on line 2" in err
    assert out == f"Imported 3 actions, 2 prospects from {path} (CSV).\n"
    history = {a.local_date: a for a in store.recent_actions(10)}
    assert history[dt.date(2026, 11, 23)].minutes == 8  # 7,5 rounded
    assert history[dt.date(2026, 11, 13)].note == "Offerte\r\nverstuurd"
    at = history[dt.date(2026, 11, 13)].at
    assert at.astimezone(dt.timezone(dt.timedelta(hours=1))).hour == 14  # 14:30 in Amsterdam
    assert history[dt.date(2026, 11, 2)].at.hour == 11  # no time: noon local, 11:00 UTC
    names = sorted(p.name for p in store.prospects())
    assert names == ["Jan Müller", "Sanne Bakker"]
    assert store.find_prospect("jan müller") is not None

    code, out, _ = run("import", str(path), "--map", EU_MAP)
    assert code == 0 and out.startswith("Nothing new")
    assert store.action_count() == 3


def test_columns_named_like_fields_need_no_map(store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path / "plain.csv",
        "date,time,kind,outcome,next_step_on,Owner\n"
        "2026-11-20,9:15,call,next step,2026-11-27,me\n"
        "2026-11-20,9:15,call,next step,2026-11-27,me\n",
    )
    notes: list[str] = []
    report = import_file(store, path, notify=notes.append)
    assert report.added == {"actions": 2}  # the same row twice is two calls
    assert "ignoring columns: 'Owner'" in notes
    assert import_file(store, path).nothing_new


def test_map_and_column_errors_are_specific(run: Run, db_path: Path, tmp_path: Path) -> None:
    path = write(tmp_path / "x.csv", "Datum;Soort\n23-11-2026;call\n")
    cases = [
        ((), "has no column for date and kind (its columns are 'Datum', 'Soort')"),
        (("--map", "date=Datum"), "has no column for kind"),
        (("--map", "date=Datum,kind=Type"), "has no column 'Type'; its columns are"),
        (("--map", "datum=Datum,kind=Soort"), "unknown field 'datum'; fields are date"),
        (("--map", "date"), "FIELD=COLUMN"),
        (("--map", "date=Datum,date=Soort"), "names the field date twice"),
        (("--map", EU_MAP), "no column 'Klant'"),
    ]
    for extra, message in cases:
        code, _, err = run("import", str(path), *extra)
        assert code == 2
        assert message in err, (extra, err)
        assert err.count("\n") <= 3 and "Traceback" not in err
    assert rows(db_path) == 0


def test_a_bad_row_is_listed_and_nothing_is_imported(
    run: Run, store: Store, db_path: Path, tmp_path: Path
) -> None:
    store.log_action("call")
    path = write(
        tmp_path / "bad.csv",
        "date;kind;outcome\n"
        "2026-11-20;call;\n"
        "2026-11-31;call;\n"
        "2026-11-21;fax;\n"
        "2026-11-21;call;next_step\n"
        "2026-11-22;call;;extra\n"
        "2026-11-22;call;meeting\n",
    )
    before = snapshot(db_path)
    code, out, err = run("import", str(path))
    assert code == 2
    assert "line 3: bad date '2026-11-31': no such day" in err
    assert "line 4: unknown kind 'fax'; kinds are call, email" in err
    assert "line 5: outcome next_step needs the date of the next step" in err
    assert "line 6: 4 cells where the header has 3" in err
    last = err.strip().splitlines()[-1]
    assert last.startswith(f"prospector: {path}: 4 rows rejected, the first on line 3: bad date")
    assert "nothing was imported" in last
    assert snapshot(db_path) == before

    code, out, err = run("import", str(path), "--dry-run")
    assert code == 2
    assert "Would import: 2 actions." in out
    assert "line 3: bad date" in out and "line 6:" in out
    assert snapshot(db_path) == before


def test_dry_run_shows_and_writes_nothing(
    run: Run, store: Store, db_path: Path, tmp_path: Path
) -> None:
    path = write(tmp_path / "eu.csv", EUROPEAN.replace("e-mail", "email"), "cp1252")
    before = snapshot(db_path)
    wal = db_path.with_name(db_path.name + "-wal")
    wal_size = wal.stat().st_size if wal.exists() else 0
    code, out, err = run("import", str(path), "--map", EU_MAP, "--dry-run")
    assert code == 0, err
    assert "nothing was written" in out
    assert "Would import: 3 actions, 2 prospects." in out
    assert "line 2: 2026-11-23 12:00 call, no_response, Jan Müller (Müller BV)" in out
    assert "line 3: 2026-11-13 14:30 email" in out
    assert snapshot(db_path) == before
    assert (wal.stat().st_size if wal.exists() else 0) == wal_size


def test_day_first_is_asked_for_when_the_dates_do_not_say(
    run: Run, store: Store, tmp_path: Path
) -> None:
    path = write(tmp_path / "d.csv", "date,kind\n03-04-2026,call\n05-06-2026,email\n")
    code, _, err = run("import", str(path))
    assert code == 2
    assert "every date reads both ways (line 2: '03-04-2026'" in err
    assert "--dayfirst" in err and "--monthfirst" in err
    assert store.action_count() == 0
    assert run("import", str(path), "--dayfirst")[0] == 0
    assert {a.local_date for a in store.recent_actions()} == {
        dt.date(2026, 4, 3),
        dt.date(2026, 6, 5),
    }
    mixed = write(tmp_path / "m.csv", "date,kind\n13-04-2026,call\n04-13-2026,call\n")
    code, _, err = run("import", str(mixed))
    assert code == 2 and "the dates disagree: line 2" in err and "line 3" in err
    us = write(tmp_path / "us.csv", "date,kind\n04/13/2026,call\n04/03/2026,call\n")
    code, _, err = run("import", str(us))
    assert code == 0 and "month first (mm-dd-yyyy)" in err
    assert dt.date(2026, 4, 3) in {a.local_date for a in store.recent_actions()}


def test_malformed_files_give_clear_errors(
    run: Run, store: Store, db_path: Path, tmp_path: Path
) -> None:
    cases = {
        "empty.csv": (b"", "is empty: there is nothing to import"),
        "bom-only.csv": (b"\xef\xbb\xbf\r\n", "is empty"),
        "bom-bad.csv": (
            b"\xef\xbb\xbfdate,kind,note\r\n2026-11-20,call,\r\n2026-11-21,call,caf\xe9\r\n",
            "byte order mark, but line 3 has byte 0xE9, which is not UTF-8",
        ),
        "neither.csv": (
            b"date,kind\n2026-11-20,call \x81\n",
            "neither UTF-8 (line 2: byte 0x81) nor Windows-1252",
        ),
        "mixed.csv": (
            "date,kind,note\n2026-11-20,call,Müller\n".encode() + b"2026-11-21,call,M\xfcller\n",
            "mixes encodings: line 2 reads as UTF-8 but line 3 has byte 0xFC",
        ),
        "quote.csv": (
            b'date,kind,note\n2026-11-20,call,"open\n2026-11-21,call,x\n',
            "line 2: not valid CSV",
        ),
        "one-column.csv": (b"date\n2026-11-20\n", "has one column ('date')"),
        "dupe.csv": (b"date,kind,kind\n2026-11-20,call,call\n", "column 'kind' appears twice"),
        "partial-ours.csv": (
            b"uid,at_utc,date,kind\nabc,2026-11-20T10:00:00.000000Z,2026-11-20,call\n",
            "looks like a Prospector export but has no column time",
        ),
    }
    before = snapshot(db_path)
    for name, (content, message) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        code, out, err = run("import", str(path))
        assert code == 2, name
        assert message in err, (name, err)
        assert "Traceback" not in err
        last = err.strip().splitlines()[-1]
        assert last.startswith("prospector: ") and message in last, (name, err)
    code, _, err = run("import", str(tmp_path / "nope.csv"))
    assert code == 2 and "no such file" in err
    assert snapshot(db_path) == before

    forced = tmp_path / "bom-bad.csv"
    code, _, err = run("import", str(forced), "--encoding", "utf-8")
    assert code == 2 and "line 3: byte 0xE9 cannot be read as utf-8" in err
    code, _, err = run("import", str(forced), "--encoding", "klingon")
    assert code == 2 and "unknown encoding 'klingon'" in err
    code, out, err = run("import", str(forced), "--encoding", "cp1252", "--dry-run")
    assert code == 0 and "Would import: 2 actions." in out


def test_crlf_inside_quotes_and_a_bad_date_on_line_n(
    run: Run, store: Store, tmp_path: Path
) -> None:
    body = "".join(f'2026-11-{d:02d},call,"two\r\nlines"\r\n' for d in range(2, 12))
    path = write(tmp_path / "c.csv", "date,kind,note\r\n" + body + "2026-13-01,call,x\r\n")
    code, _, err = run("import", str(path))
    assert code == 2
    assert "line 22: bad date '2026-13-01': no such day" in err  # records span two lines
    assert store.action_count() == 0
    path.write_bytes(path.read_bytes().replace(b"2026-13-01", b"2026-11-12"))
    assert run("import", str(path))[0] == 0
    assert {a.note for a in store.recent_actions()} == {"two\r\nlines", "x"}


def test_an_ambiguous_delimiter_is_asked_for(run: Run, store: Store, tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", "date;kind;note,x\n2026-11-20;call;a,b\n")
    code, _, err = run("import", str(path))
    assert code == 2
    assert "separates its cells with ',' or ';'" in err and "--delimiter ';'" in err
    assert store.action_count() == 0
    code, out, err = run("import", str(path), "--delimiter", ";")
    assert code == 0, err
    assert store.recent_actions()[0].kind == "call"


def test_imported_actions_keep_the_day_counts_right(store: Store, tmp_path: Path) -> None:
    store.log_action("call", at=dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC))
    path = write(
        tmp_path / "x.csv",
        "date,kind\n" + "2026-11-20,call\n" * 3 + "2026-11-21,email\n",
    )
    import_file(store, path)
    assert store.day_counts() == {
        dt.date(2026, 11, 20): {"call": 4},
        dt.date(2026, 11, 21): {"email": 1},
    }
    with store.engine.connect() as conn:
        kept = set(conn.exec_driver_sql("SELECT local_date, kind, n FROM action_day_count").all())
        grouped = set(
            conn.exec_driver_sql(
                "SELECT local_date, kind, count(*) FROM action GROUP BY local_date, kind"
            ).all()
        )
    assert kept == grouped


def test_exact_instants_and_12_hour_times(store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path / "crm.csv",
        "Created,Type,Time\n"
        "2026-11-22T23:30:00Z,call,\n"
        "2026-11-20T09:00:00+05:30,email,\n"
        "11/20/2026,visit,2:30 PM\n",
    )
    import_file(store, path, mapping=["date=Created,kind=Type,time=Time"])
    rows = {a.kind: a for a in store.recent_actions()}
    assert rows["call"].at == dt.datetime(2026, 11, 22, 23, 30, tzinfo=dt.UTC)
    assert rows["call"].local_date == dt.date(2026, 11, 23)  # 00:30 in Amsterdam
    assert rows["email"].at == dt.datetime(2026, 11, 20, 3, 30, tzinfo=dt.UTC)
    assert rows["visit"].at == dt.datetime(2026, 11, 20, 13, 30, tzinfo=dt.UTC)


def test_json_options_are_refused_for_json(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path / "x.json", json.dumps({"format": "prospector-dump"}))
    with pytest.raises(InvalidInput, match="--map, --dayfirst"):
        import_file(store, path, mapping=["date=x"])
    listed = write(tmp_path / "list.json", "[1, 2]")
    with pytest.raises(InvalidInput, match="is a JSON list"):
        import_file(store, listed)


def test_an_empty_export_imports_as_nothing(run: Run, store: Store, tmp_path: Path) -> None:
    out = tmp_path / "none.csv"
    code, _, err = run("export", "-o", str(out))
    assert code == 0 and err.strip() == f"Exported 0 actions to {out}."
    code, text, _ = run("import", str(out))
    assert code == 0 and text.strip() == f"Nothing to import: {out} holds no rows."


def test_a_dump_dry_run_counts_every_section(run: Run, store: Store, tmp_path: Path) -> None:
    source = Store.open(tmp_path / "source.db", clock=store.clock)
    source.set_setting("timezone", "Europe/Amsterdam")
    generate_demo(source, seed=7)
    dump = tmp_path / "dump.json"
    with dump.open("w", encoding="utf-8", newline="") as fh:
        write_dump(source, fh)
    code, out, err = run("import", str(dump), "--dry-run")
    assert code == 0, err
    n = source.action_count()
    assert f"Would import: {n:,} actions, 42 prospects, 100 blocks, 7 wins, 15 days off" in out
    assert "First rows:" in out
    assert store.action_count() == 0 and store.prospects() == []
    source.close()


def test_a_hand_edited_export_is_checked_row_by_row(store: Store, tmp_path: Path) -> None:
    source = Store.open(tmp_path / "source.db", clock=store.clock)
    source.set_setting("timezone", "Europe/Amsterdam")
    anna = source.add_prospect("Anna")
    source.log_action("call", prospect_id=anna.id, at=dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC))
    source.log_action("email", at=dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC))
    source.log_action("visit", at=dt.datetime(2026, 11, 20, 11, tzinfo=dt.UTC))
    lines = csv_of(source).split("\r\n")
    lines[1] = lines[1].replace(",Anna,", ",,")  # a prospect uid with no name to create
    lines[2] = lines[2].replace("2026-11-20,", "2026-12-20,", 1)  # a date far off at_utc
    lines[3] = lines[3].replace("T11:00:00.000000Z", "T25:00:00.000000Z")
    path = write(tmp_path / "edited.csv", "\r\n".join(lines))
    with pytest.raises(ImportRejected) as caught:
        import_file(store, path)
    reasons = [str(r) for r in caught.value.report.rejects]
    assert reasons[0].startswith("line 2: prospect_uid ") and "no prospect name" in reasons[0]
    assert reasons[1].startswith("line 3: date 2026-12-20 is not the day of at_utc")
    assert reasons[2].startswith("line 4: bad at_utc '2026-11-20T25:00:00.000000Z'")
    assert store.action_count() == 0 and store.prospects() == []
    source.close()
