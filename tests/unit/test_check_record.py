"""A file that passed the damage check is not checked again until it changes.

On a rep's years the check took longer than the command it guarded. Each test counts
the checks a command runs and asserts what the rep would notice: a file nothing
touched is trusted, anything that changed it outside Prospector is checked (and a
damaged file refused) at the next command, and Prospector's own writes keep the pass.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prospector import check_record, db
from prospector.cli import main
from prospector.sqlite import sqlite3
from prospector.store import Store


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """One entry per integrity check run: whether it covered the actions too."""
    ran: list[bool] = []
    real = db.integrity_problem

    def counted(path: Path, *, quick: bool = False, skip_history: bool = False) -> str | None:
        ran.append(not skip_history)
        return real(path, quick=quick, skip_history=skip_history)

    monkeypatch.setattr(db, "integrity_problem", counted)
    return ran


@pytest.fixture
def cli(
    cli: Callable[..., tuple[int, str, str]], store: Store
) -> Callable[..., tuple[int, str, str]]:
    """The shared CLI runner, on a file holding one prospect and no open connection."""
    store.add_prospect("Ada Lovelace")
    store.close()
    return cli


@pytest.fixture
def row_checks(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """One entry per export: whether it checked each row's day and instant."""
    from prospector import export

    checked: list[bool] = []
    real = export._range

    def counted(start: object, end: object, check_rows: bool = True) -> tuple[str, list[str]]:
        checked.append(check_rows)
        return real(start, end, check_rows)  # type: ignore[arg-type]

    monkeypatch.setattr(export, "_range", counted)
    return checked


def damage_an_index(path: Path) -> None:
    """Make the prospects' name index disagree with the table, as a changed byte in
    an index page does, then put the file's modification time back."""
    before = os.stat(path)
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA writable_schema = ON")
        con.execute(
            "UPDATE sqlite_master SET sql = replace(sql, '(name)', '(name_key)') "
            "WHERE name = 'ix_prospect_name'"
        )
        con.commit()
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] != "ok"
    finally:
        con.close()
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_a_file_nothing_touched_is_checked_once_and_a_changed_one_again(
    cli: Callable[..., tuple[int, str, str]], db_path: Path, checks: list[bool]
) -> None:
    assert cli("status")[0] == 0
    assert cli("status")[0] == 0
    assert cli("limbo")[0] == 0
    assert checks == [False]
    damage_an_index(db_path)  # with the modification time put back
    code, out, err = cli("status")
    assert code == 2 and f"{db_path} is damaged" in err and not out
    assert checks == [False, False]
    assert cli("status")[0] == 2, "a damaged file is refused every time, never trusted"


def test_the_reps_own_writes_keep_the_pass(
    cli: Callable[..., tuple[int, str, str]], db_path: Path, checks: list[bool]
) -> None:
    assert cli("status")[0] == 0
    for _ in range(3):
        assert cli("log", "call", "--prospect", "Ada Lovelace")[0] == 0
    assert cli("win", "1200", "--prospect", "Ada Lovelace")[0] == 0
    code, out, _ = cli("status", "--json")
    assert code == 0 and '"done": 3' in out
    assert checks == [False], "nothing but Prospector wrote to the file"
    assert cli("prospect", "show", "Ada Lovelace")[1].count("Call  No response") == 3


def test_a_pass_of_all_but_the_actions_does_not_cover_an_export(
    cli: Callable[..., tuple[int, str, str]], checks: list[bool]
) -> None:
    assert cli("log", "call")[0] == 0
    assert cli("export")[0] == 0
    assert checks == [False, True]
    assert cli("export")[0] == 0
    assert cli("status")[0] == 0, "the whole file passed, so the part did too"
    assert checks == [False, True]


def test_a_pass_is_trusted_for_a_day_at_most(
    cli: Callable[..., tuple[int, str, str]], checks: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("status")[0] == 0
    assert cli("log", "call")[0] == 0
    started = check_record.now()
    monkeypatch.setattr(check_record, "now", lambda: started + check_record.TRUSTED_FOR - 60)
    assert cli("status")[0] == 0
    assert checks == [False]
    monkeypatch.setattr(check_record, "now", lambda: started + check_record.TRUSTED_FOR + 1)
    assert cli("status")[0] == 0
    assert checks == [False, False], "a day after the check, however often it was written"


def test_a_broken_or_unwritable_record_costs_a_check_and_nothing_else(
    cli: Callable[..., tuple[int, str, str]],
    db_path: Path,
    checks: list[bool],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert cli("status")[0] == 0
    records = list(Path(os.environ["XDG_CACHE_HOME"], "prospector", "checked").glob("*"))
    mine = [r for r in records if str(db_path.resolve()) in r.read_text()]
    assert len(mine) == 1
    mine[0].write_text('{"path": "half a rec')
    assert cli("status")[0] == 0
    assert checks == [False, False]
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    for _ in range(2):
        code, _, err = cli("log", "call")
        assert code == 0 and not err
    assert checks == [False, False, False, False]
    assert cli("status", "--json")[1].count('"done": 2') >= 1


def test_a_record_of_another_file_is_not_a_pass(
    cli: Callable[..., tuple[int, str, str]], db_path: Path, checks: list[bool], tmp_path: Path
) -> None:
    assert cli("status")[0] == 0
    moved = tmp_path / "moved.db"
    db_path.rename(moved)
    assert main(["--db", str(moved), "status"]) == 0
    assert checks == [False, False]


def test_odd_values_written_outside_are_warned_at_the_next_command(
    cli: Callable[..., tuple[int, str, str]],
    db_path: Path,
    checks: list[bool],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from prospector.store import audit

    audits: list[bool] = []
    real = audit.audit

    def counted(con: object, quick: bool = False, settings_problems: object = None) -> object:
        audits.append(quick)
        return real(con, quick, settings_problems)  # type: ignore[arg-type]

    monkeypatch.setattr(audit, "audit", counted)
    assert cli("status")[2] == ""
    assert (
        cli(
            "log",
            "call",
            "--prospect",
            "Ada Lovelace",
            "--outcome",
            "next_step",
            "--next",
            "2026-11-27",
        )[2]
        == ""
    )
    assert cli("status")[2] == ""
    assert audits == [True], "a file only Prospector wrote keeps its clean audit"
    con = sqlite3.connect(db_path)  # another tool writes a date no entry point accepts
    try:
        con.execute("UPDATE prospect SET next_touch_on = '0026-12-04'")
        con.commit()
    finally:
        con.close()
    code, _, err = cli("status")
    assert code == 0 and "1 stored value outside" in err and "prospect.next_touch_on" in err
    assert audits == [True, True] and checks == [False, False]
    assert "1 stored value outside" in cli("status")[2], "said every time, never recorded"


def test_an_export_checks_each_row_until_one_whole_export_found_none_odd(
    cli: Callable[..., tuple[int, str, str]],
    db_path: Path,
    tmp_path: Path,
    row_checks: list[bool],
) -> None:
    checked_rows = row_checks
    for n in range(3):
        assert cli("log", "call", "--note", f"call {n}")[0] == 0
    first, second, third = (tmp_path / f"{n}.csv" for n in range(3))
    assert cli("export", "--from", "2026-11-01", "-o", str(first))[0] == 0
    assert cli("export", "-o", str(first))[0] == 0
    assert cli("export", "-o", str(second))[0] == 0
    assert checked_rows == [True, True, False], "a range proves nothing of the rest"
    assert first.read_bytes() == second.read_bytes()
    assert cli("log", "call", "--note", "call 3")[0] == 0  # Prospector's own write
    assert cli("export", "--format", "jsonl", "-o", str(third))[0] == 0
    assert checked_rows[-1] is False and third.read_text().count('"kind": "call"') == 4
    con = sqlite3.connect(db_path)  # another tool writes a day no entry point accepts
    try:
        con.execute("UPDATE action SET local_date = '2026-02-30' WHERE note = 'call 0'")
        con.commit()
    finally:
        con.close()
    code, _, err = cli("export", "-o", str(third))
    assert code == 0 and checked_rows[-1] is True
    assert "Exported 3 actions" in err and "call 0" not in third.read_text()


def test_db_check_finding_nothing_odd_spares_the_next_export_its_row_checks(
    cli: Callable[..., tuple[int, str, str]], tmp_path: Path, row_checks: list[bool]
) -> None:
    checked_rows = row_checks
    assert cli("log", "call")[0] == 0
    assert cli("db", "check")[0] == 0
    assert cli("export", "-o", str(tmp_path / "out.csv"))[0] == 0
    assert checked_rows == [False]


STEPS = st.lists(
    st.sampled_from(["log", "status", "outside", "outside, time put back", "export"]),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=STEPS)
def test_after_any_change_from_outside_the_next_command_checks_the_file(
    cli: Callable[..., tuple[int, str, str]],
    db_path: Path,
    checks: list[bool],
    tmp_path: Path,
    steps: list[str],
) -> None:
    """Whatever mix of the rep's own commands and writes from another program: a
    command checks the file exactly when something else wrote to it since its last
    pass (or the command reads more of it than that pass covered)."""

    def outside(note: str, put_back: bool) -> None:
        # The file system stamps times on a clock that ticks every few milliseconds: a
        # change in the very tick of Prospector's last write, of the same size, is not
        # told apart (the daily check is what catches that). Another program's write
        # comes later than that in practice; here it is made to.
        time.sleep(0.05)
        stat = os.stat(db_path)
        con = sqlite3.connect(db_path)
        try:  # a note it never had: a write that changes no byte changes nothing
            note = f"{note} {time.time_ns()}"
            con.execute("UPDATE prospect SET note = ? WHERE name = 'Ada Lovelace'", (note,))
            con.commit()
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            con.close()
        if put_back:
            os.utime(db_path, ns=(stat.st_atime_ns, stat.st_mtime_ns))

    # From a known start (the examples share one file): changed, then checked in part.
    outside("start", put_back=False)
    assert cli("status")[0] == 0
    covered = {"rest"}
    for n, step in enumerate(steps):
        before = len(checks)
        if step.startswith("outside"):
            outside(str(n), put_back=step.endswith("put back"))
            covered = set()
            continue
        args = {"log": ["log", "call"], "status": ["status"]}.get(
            step, ["export", "-o", str(tmp_path / "out.csv")]
        )
        assert cli(*args)[0] == 0
        needs = "whole" if step == "export" else "rest"
        checked = len(checks) > before
        assert checked == (needs not in covered and not (needs == "rest" and "whole" in covered))
        if checked:
            covered = {needs, "rest"}
