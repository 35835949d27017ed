"""``prospector db check`` and ``prospector db backup``."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest

from prospector import db_commands
from prospector.db import SCHEMA_HEAD
from prospector.errors import DatabaseError, InvalidInput, ProspectorError
from prospector.sqlite import sqlite3
from prospector.store import Store


def run(db_path: Path, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="prospector")
    sub = parser.add_subparsers(dest="command")
    db_commands.add_parser(sub, argparse.ArgumentParser)
    args = parser.parse_args(list(argv))
    args.db = db_path
    return db_commands.db(args)


def make_db(path: Path, actions: int = 3) -> Path:
    store = Store.open(path)
    try:
        prospect = store.add_prospect("Ada Lovelace", company="Engines")
        store.log_actions("call", count=actions, prospect_id=prospect.id, note="x" * 200)
    finally:
        store.close()
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return path


def test_a_healthy_database_checks_ok(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_db(db_path)
    assert run(db_path, "db", "check") == 0
    out = capsys.readouterr().out
    assert "Integrity: ok" in out
    assert f"Schema: {SCHEMA_HEAD} (current)" in out
    assert f"SQLite: {sqlite3.sqlite_version}" in out
    assert re.search(r"^  action\s+3$", out, re.M)
    assert re.search(r"^  prospect\s+1$", out, re.M)
    assert ("before 3.51.3" in out) is not db_commands.sqlite_ok()
    assert out.rstrip().endswith("OK")


def test_check_json_has_the_documented_fields(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_db(db_path, actions=4)
    assert run(db_path, "db", "check", "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["file"] == str(db_path)
    assert report["ok"] is True
    assert report["integrity"] == ["ok"]
    assert report["foreign_keys"] == []
    assert report["schema"] == report["schema_head"] == SCHEMA_HEAD
    assert report["tables"]["action"] == 4
    assert report["tables"]["prospect"] == 1
    assert report["journal_mode"] == "wal"
    assert report["sqlite_version"] == sqlite3.sqlite_version
    assert report["sqlite_ok"] is db_commands.sqlite_ok()


def test_sqlite_version_threshold() -> None:
    assert not db_commands.sqlite_ok("3.40.1")
    assert not db_commands.sqlite_ok("3.51.2")
    assert db_commands.sqlite_ok("3.51.3")
    assert db_commands.sqlite_ok("3.52.0")


def test_a_corrupted_file_fails_and_is_left_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    healthy = make_db(tmp_path / "healthy.db", actions=400)
    broken = tmp_path / "broken.db"
    shutil.copyfile(healthy, broken)
    data = bytearray(broken.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    pages = len(data) // page
    assert pages > 10
    for n in (pages // 2, pages // 2 + 1):
        data[n * page + 8 : (n + 1) * page - 8] = bytes(range(256)) * ((page - 16) // 256) + bytes(
            (page - 16) % 256
        )
    broken.write_bytes(bytes(data))
    before = broken.read_bytes()

    with pytest.raises(DatabaseError) as err:
        run(broken, "db", "check", "--json")
    message = str(err.value)
    assert str(broken) in message
    assert "integrity" in message
    assert "prospector db backup" in message
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert report["integrity"] != ["ok"]
    assert broken.read_bytes() == before


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "notes.db"
    other.write_text("just some notes, not a database\n" * 10)
    with pytest.raises(DatabaseError, match="not a Prospector database"):
        run(other, "db", "check")
    with pytest.raises(DatabaseError, match="not a Prospector database"):
        run(other, "db", "backup")


def test_another_programs_database_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.close()
    with pytest.raises(DatabaseError, match="another program"):
        run(other, "db", "check")


def test_a_missing_file_is_named_and_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "nope.db"
    for argv in (("db", "check"), ("db", "backup")):
        with pytest.raises(DatabaseError, match=re.escape(str(missing))):
            run(missing, *argv)
    assert list(tmp_path.iterdir()) == []


def test_backup_writes_a_verified_copy(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_db(db_path, actions=5)
    dest = db_path.parent / "copy.db"
    assert run(db_path, "db", "backup", str(dest)) == 0
    assert capsys.readouterr().out.strip() == f"Backed up 5 actions to {dest} (verified)."
    assert not dest.with_name("copy.db.partial").exists()
    original = db_commands.inspect(db_path)
    copy = db_commands.inspect(dest)
    assert copy["ok"] is True
    assert copy["tables"] == original["tables"]
    reopened = Store.open(dest)
    reopened.close()


def test_backup_refuses_to_overwrite(db_path: Path) -> None:
    make_db(db_path)
    dest = db_path.parent / "copy.db"
    dest.write_bytes(b"keep me")
    with pytest.raises(InvalidInput, match="already exists"):
        run(db_path, "db", "backup", str(dest))
    assert dest.read_bytes() == b"keep me"


def test_backup_default_name_lands_next_to_the_database(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_db(db_path)
    assert run(db_path, "db", "backup") == 0
    made = [p for p in db_path.parent.iterdir() if ".backup-" in p.name]
    assert len(made) == 1
    assert re.fullmatch(r"prospector\.db\.backup-\d{8}T\d{6}Z\.db", made[0].name)
    assert str(made[0]) in capsys.readouterr().out
    assert db_commands.inspect(made[0])["tables"]["action"] == 3


def test_two_backups_within_one_second_both_land(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_db(db_path)
    one_second = dt.datetime(2026, 11, 23, 9, 0, 0, tzinfo=dt.UTC)
    real = db_commands.default_backup_path
    monkeypatch.setattr(db_commands, "default_backup_path", lambda path: real(path, one_second))
    assert run(db_path, "db", "backup") == 0
    assert run(db_path, "db", "backup") == 0
    made = sorted(p.name for p in db_path.parent.iterdir() if ".backup-" in p.name)
    assert len(made) == 2, made
    for name in made:
        assert db_commands.inspect(db_path.parent / name)["ok"] is True


def test_backup_works_while_another_connection_is_writing(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_db(db_path, actions=2)
    store = Store.open(db_path)
    writer = sqlite3.connect(db_path, isolation_level=None)
    try:
        store.log_actions("email")
        writer.execute("BEGIN IMMEDIATE")
        writer.execute(
            "INSERT INTO setting (key, value, updated_at) VALUES ('uncommitted', 'x', '2026-01-01')"
        )
        dest = db_path.parent / "live.db"
        assert run(db_path, "db", "backup", str(dest)) == 0
        assert run(db_path, "db", "check") == 0
    finally:
        writer.execute("ROLLBACK")
        writer.close()
        store.close()
    assert "Backed up 3 actions" in capsys.readouterr().out
    assert (
        db_commands.inspect(dest)["tables"]["setting"]
        == db_commands.inspect(db_path)["tables"]["setting"]
    )


def test_a_missing_action_is_a_clear_error(db_path: Path) -> None:
    make_db(db_path)
    with pytest.raises(ProspectorError, match="db check"):
        run(db_path, "db")


def test_broken_references_fail_the_check(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_db(db_path)
    con = sqlite3.connect(db_path)
    con.execute(
        "INSERT INTO action (uid, at, tz, local_date, kind, outcome, note, prospect_id) "
        "SELECT 'orphan', at, tz, local_date, kind, outcome, note, 999 FROM action LIMIT 1"
    )
    con.commit()
    con.close()
    with pytest.raises(DatabaseError, match="1 broken reference between tables"):
        run(db_path, "db", "check")
    assert "Foreign keys: 1 broken reference" in capsys.readouterr().out
