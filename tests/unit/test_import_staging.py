"""An import checks the whole file before it takes the write lock, and a write that
meets its merge waits for it instead of failing.

The merge is held open here (a pause inside it) while a second store, as the app or a
``prospector log`` in another process would, logs a touch with a busy timeout far
shorter than the pause: the touch must be saved once the import ends, not refused.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from prospector import db, importing, write_wait
from prospector.errors import DatabaseError, InvalidInput
from prospector.export import write_csv
from prospector.importing import ImportRejected, import_file
from prospector.sqlite import sqlite3
from prospector.staging import PREFIX
from prospector.store import Store

AT = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)


def exported(tmp_path: Path, clock: object, touches: int = 30) -> Path:
    """A CSV export of another database: ``touches`` calls on Acme."""
    other = Store.open(tmp_path / "other.db", clock=clock)  # type: ignore[arg-type]
    acme = other.add_prospect("Acme")
    for n in range(touches):
        other.log_action("call", prospect_id=acme.id, at=AT + dt.timedelta(hours=n))
    out = io.StringIO(newline="")
    write_csv(other, out)
    other.close()
    path = tmp_path / "acme.csv"
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    return path


def leftovers(folder: Path) -> list[Path]:
    return sorted(folder.glob(PREFIX + "*")) + sorted(folder.glob("*" + write_wait.SUFFIX))


def kinds(store: Store) -> dict[str, int]:
    con = sqlite3.connect(store.path)
    try:
        return dict(con.execute("SELECT kind, count(*) FROM action GROUP BY kind"))
    finally:
        con.close()


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Connections opened from here on give up on a locked file after 0.2 s."""
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)
    yield


def pause_merge(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event]:
    """Make the merge stop, lock held, until ``release`` is set; ``holding`` says when."""
    holding, release = threading.Event(), threading.Event()
    finish = importing.ActionSink.finish

    def paused(sink: importing.ActionSink) -> None:
        finish(sink)
        if sink.write:
            holding.set()
            assert release.wait(30)

    monkeypatch.setattr(importing.ActionSink, "finish", paused)
    return holding, release


def test_a_touch_logged_during_the_merge_waits_for_it_and_is_saved(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, short_busy_timeout: None
) -> None:
    path = exported(tmp_path, store.clock)
    holding, release = pause_merge(monkeypatch)
    told: list[str] = []
    monkeypatch.setattr(write_wait, "on_wait", told.append)
    result: list[object] = []
    importer = threading.Thread(target=lambda: result.append(import_file(store, path)))
    importer.start()
    assert holding.wait(30)
    rep = Store.open(store.path, clock=store.clock)  # type: ignore[arg-type]
    logged: list[object] = []
    logger = threading.Thread(target=lambda: logged.append(rep.log_action("email")))
    logger.start()
    try:
        logger.join(1.0)  # five busy timeouts: without the wait, it would have failed by now
        assert logger.is_alive() and not logged, "the touch must wait for the merge"
    finally:
        release.set()
    importer.join(30)
    logger.join(30)
    assert len(logged) == 1 and result[0].added["actions"] == 30  # type: ignore[attr-defined]
    assert told and "acme.csv" in told[0] and "saved right after" in told[0]
    assert kinds(store) == {"call": 30, "email": 1}
    rep.close()
    assert leftovers(tmp_path) == []


def test_a_lock_held_by_anything_else_still_fails_after_the_timeout(
    store: Store, tmp_path: Path, short_busy_timeout: None
) -> None:
    assert store.path is not None
    # A note left by an import that was killed names a process that is gone.
    write_wait.note_path(store.path).write_text('{"pid": 999999999, "file": "x.csv"}')
    holder = sqlite3.connect(store.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    rep = Store.open(store.path, clock=store.clock)
    try:
        with pytest.raises(DatabaseError, match="stayed locked by another program"):
            rep.log_action("email")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        rep.close()


def test_a_prospect_added_while_the_file_is_checked_is_found_not_duplicated(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = exported(tmp_path, store.clock, touches=3)
    merge = importing._merge

    def rep_adds_acme_first(*args: object) -> object:
        store.add_prospect("ACME")
        return merge(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(importing, "_merge", rep_adds_acme_first)
    report = import_file(store, path)
    assert report.added == {"actions": 3}
    assert [(p.name, p.touch_count) for p in store.prospects()] == [("ACME", 3)]


def test_rows_logged_while_the_file_is_checked_are_not_imported_twice(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two imports of one file at once: the second to merge finds the rows present."""
    path = exported(tmp_path, store.clock, touches=5)
    merge = importing._merge

    def other_import_lands_first(*args: object) -> object:
        monkeypatch.setattr(importing, "_merge", merge)
        assert import_file(store, path).added["actions"] == 5
        return merge(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(importing, "_merge", other_import_lands_first)
    report = import_file(store, path)
    assert report.nothing_new and report.present == {"actions": 5}
    assert kinds(store) == {"call": 5}
    assert store.prospects()[0].touch_count == 5


def test_a_repeated_uid_is_rejected_across_batches_and_nothing_is_left(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "BATCH", 4)
    path = exported(tmp_path, store.clock, touches=10)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([*lines, lines[2]]), encoding="utf-8", newline="")
    with pytest.raises(ImportRejected) as caught:
        import_file(store, path)
    [reject] = caught.value.report.rejects
    assert reject.line == 12 and "is also on line 3" in reject.reason
    assert store.prospects() == []
    assert leftovers(tmp_path) == []


def test_the_merge_counts_in_bulk_and_puts_the_triggers_back(store: Store, tmp_path: Path) -> None:
    def insert_triggers() -> dict[str, str]:
        con = sqlite3.connect(store.path)
        try:
            found = con.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'action'"
            )
            return {n: sql for n, sql in found if importing.INSERT_TRIGGER.search(sql)}
        finally:
            con.close()

    before = insert_triggers()
    # The schema's insert triggers are the ones the merge stands in for; with any other,
    # it keeps them all and counts row by row (correct, and slower).
    assert set(before) == set(importing.BULK_TRIGGERS)
    import_file(store, exported(tmp_path, store.clock, touches=4))
    assert insert_triggers() == before
    assert store.prospects()[0].touch_count == 4
    store.log_action("call", prospect_id=store.prospects()[0].id)
    assert store.prospects()[0].touch_count == 5


def test_a_full_disk_under_the_scratch_file_is_said_and_nothing_is_imported(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prospector import staging

    def full(self: staging.Staging, rows: object) -> None:
        with self.guard():
            raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(staging.Staging, "keep", full)
    path = exported(tmp_path, store.clock, touches=3)
    with pytest.raises(InvalidInput, match="scratch file .* disk is full.*nothing was imported"):
        import_file(store, path)
    assert store.prospects() == [] and leftovers(tmp_path) == []


def test_the_merge_keeps_the_latest_step_stop_and_creation_of_each_prospect(
    store: Store, tmp_path: Path
) -> None:
    zone = store.settings().timezone
    anna = store.add_prospect("Anna")
    store.log_action(
        "call", prospect_id=anna.id, outcome="next_step", next_step_on=dt.date(2026, 12, 10), at=AT
    )

    def csv(*rows: tuple[str, dt.datetime, str, str]) -> Path:
        lines = ["date,time,kind,outcome,prospect,next_step_on"]
        for name, at, outcome, step in rows:
            local = at.astimezone(ZoneInfo(zone))
            lines.append(f"{local:%Y-%m-%d},{local:%H:%M:%S},email,{outcome},{name},{step}")
        path = tmp_path / f"list{len(list(tmp_path.glob('list*')))}.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    def planned(name: str) -> dt.date | None:
        return next(p.planned_on for p in store.prospects() if p.name == name)

    earlier = AT - dt.timedelta(days=1)
    import_file(store, csv(("Anna", earlier, "next_step", "2026-12-01")))
    assert planned("Anna") == dt.date(2026, 12, 10), "an older step must not replace it"
    later = AT + dt.timedelta(days=1)
    import_file(
        store,
        csv(
            ("Anna", later, "next_step", "2026-12-20"),
            ("Anna", later, "next_step", "2026-12-21"),  # same instant: the later line
            ("Bob", later, "no_response", ""),
            ("Bob", earlier, "stop", ""),
        ),
    )
    assert planned("Anna") == dt.date(2026, 12, 21)
    bob = next(p for p in store.prospects() if p.name == "Bob")
    assert bob.stopped
    con = sqlite3.connect(store.path)
    try:
        (created,) = con.execute("SELECT created_at FROM prospect WHERE name = 'Bob'").fetchone()
    finally:
        con.close()
    assert created.startswith(f"{earlier.astimezone(dt.UTC):%Y-%m-%dT%H:%M}")


def test_a_folder_the_scratch_file_cannot_go_in_checks_in_the_temp_folder(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As for a dry run of a database in a folder the rep may only read."""
    from prospector import staging

    made = staging.tempfile.mkstemp
    used: list[object] = []

    def refuse_beside(*args: object, **kwargs: object) -> tuple[int, str]:
        used.append(kwargs.get("dir"))
        if kwargs.get("dir") is not None:
            raise PermissionError(13, "Permission denied")
        return made(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(staging.tempfile, "mkstemp", refuse_beside)
    report = import_file(store, exported(tmp_path, store.clock, touches=3), dry_run=True)
    assert report.added["actions"] == 3 and used == [tmp_path, None]
    assert leftovers(tmp_path) == []
