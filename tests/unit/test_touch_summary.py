"""Each prospect's kept touch summary always equals a recount of its actions.

``prospect_touches`` is written by triggers; ``prospector.touch_summary.recount`` works
the same rows out from the actions in Python. Random sequences of what a rep and the app
do (logging with and without a prospect, at any time and in other zones and at the same
instant, undo, resolving a conversation, a bulk insert, an import of a CSV file, whose
merge counts summaries in bulk, moving touches to another prospect as a merge does) must
leave the two equal, and the reads built on the summary (limbo, the step-or-stop count
settled later) must give what the actions say.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prospector.clock import FixedClock
from prospector.errors import InvalidInput, NotFound
from prospector.importing import import_file
from prospector.shipped import shipped
from prospector.sqlite import sqlite3
from prospector.store import Store
from prospector.touch_summary import disagreeing, kept

NOW = pendulum.datetime(2026, 11, 23, 10, tz="Europe/Amsterdam")
NAMES = ("Anna", "Bram", "Cas")
OUTCOMES = [o.key for o in shipped().outcomes]
ZONES = ("Europe/Amsterdam", "America/New_York", "Asia/Singapore")


@contextmanager
def fresh_store(template: Path) -> Iterator[Store]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "prospector.db"
        shutil.copyfile(template, path)
        store = Store.open(path, clock=FixedClock(NOW))
        try:
            yield store
        finally:
            store.close()


def connect(store: Store) -> sqlite3.Connection:
    return sqlite3.connect(store.path)


instants = st.builds(
    lambda days, minutes: NOW.subtract(days=days).add(minutes=minutes),
    st.integers(0, 40),
    st.sampled_from([0, 0, 1, 90, -30]),  # repeats: touches at the very same instant
)
log = st.tuples(
    st.just("log"),
    st.sampled_from((*NAMES, None)),
    st.sampled_from(OUTCOMES),
    instants,
    st.sampled_from(ZONES),
    st.integers(1, 2),
)
undo = st.tuples(st.just("undo"), st.integers(0, 50))
resolve = st.tuples(st.just("resolve"), st.integers(0, 50), st.sampled_from(["next_step", "stop"]))
bulk = st.tuples(
    st.just("bulk"),
    st.lists(st.tuples(st.sampled_from(NAMES), st.sampled_from(OUTCOMES), instants), max_size=6),
)
imported = st.tuples(
    st.just("import"),
    st.lists(
        st.tuples(st.sampled_from((*NAMES, "Dirk")), st.sampled_from(OUTCOMES), instants),
        max_size=6,
    ),
)
move = st.tuples(st.just("move"), st.integers(0, 50), st.sampled_from(NAMES))
reorder = st.tuples(st.just("reorder"), st.integers(0, 50), instants)
steps = st.lists(st.one_of(log, log, undo, resolve, bulk, imported, move, reorder), max_size=25)


def apply(store: Store, step: tuple[Any, ...]) -> None:
    """One write, as the app or an import makes it; a refused one changes nothing."""
    op = step[0]
    ids = [a.id for a in store.recent_actions(limit=1000)]
    pick = (lambda i: ids[i % len(ids)]) if ids else None
    try:
        if op == "log":
            _, name, outcome, at, zone, count = step
            next_on = dt.date(2026, 12, 1) if outcome == "next_step" else None
            store.log_for(
                name, "call", at, outcome=outcome, next_step_on=next_on, tz=zone, count=count
            )
        elif op == "undo" and pick:
            store.delete_action(pick(step[1]))
        elif op == "resolve" and pick:
            next_on = dt.date(2026, 12, 2) if step[2] == "next_step" else None
            store.resolve_conversation(pick(step[1]), step[2], next_on)
        elif op == "bulk":
            rows = [
                {
                    "prospect_ref": NAMES.index(name),
                    "at": at,
                    "tz": "Europe/Amsterdam",
                    "local_date": at.in_timezone("Europe/Amsterdam").date(),
                    "kind": "email",
                    "outcome": outcome,
                    "next_step_on": dt.date(2026, 12, 3) if outcome == "next_step" else None,
                }
                for name, outcome, at in step[1]
            ]
            prospects = [{"name": f"Bulk {name}", "created_at": NOW} for name in NAMES]
            store.insert_history_bulk(prospects=prospects, actions=rows)
        elif op == "import":
            import_csv(store, step[1])
        elif op == "move" and pick:
            target = store.find_prospect(step[2]) or store.prospect_for(step[2])[0]
            with closing(connect(store)) as con, con:
                con.execute(
                    "UPDATE action SET prospect_id = ? WHERE id = ?", (target.id, pick(step[1]))
                )
        elif op == "reorder" and pick:
            text = step[2].in_timezone("UTC").format("YYYY-MM-DD[T]HH:mm:ss.SSSSSS[Z]")
            with closing(connect(store)) as con, con:
                con.execute("UPDATE action SET at = ? WHERE id = ?", (text, pick(step[1])))
    except (InvalidInput, NotFound):
        pass


def import_csv(store: Store, rows: list[tuple[str, str, Any]]) -> None:
    """``rows`` imported from a CSV file, as a rep brings a list from another tool: the
    merge counts the summaries in bulk, not row by row."""
    zone = store.settings().timezone
    needs_date = {o.key for o in store.data.outcomes if o.needs_date}
    lines = ["date,time,kind,outcome,prospect,next_step_on"]
    for name, outcome, at in rows:
        local = at.in_timezone(zone)
        step = "2026-12-04" if outcome in needs_date else ""
        lines.append(f"{local:%Y-%m-%d},{local:%H:%M:%S},email,{outcome},{name},{step}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "list.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        import_file(store, path)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=steps)
def test_the_kept_summary_is_always_the_recount_of_the_actions(
    new_database: Path, steps: list[tuple[Any, ...]]
) -> None:
    with fresh_store(new_database) as store:
        for step in steps:
            apply(store, step)
            with closing(connect(store)) as con:
                assert disagreeing(con, store.data) == [], f"after {step[0]}"
        check_reads(store)


def check_reads(store: Store) -> None:
    """Limbo and the conversations settled later, worked out from the actions by hand."""
    with closing(connect(store)) as con:
        rows = list(
            con.execute(
                "SELECT id, prospect_id, at, local_date, outcome FROM action "
                "WHERE prospect_id IS NOT NULL"
            )
        )
    limbo = {o.key for o in store.data.outcomes if o.resolution == "limbo"}
    contact = {o.key for o in store.data.outcomes if o.resolution != "none"}
    settling = contact - limbo
    latest: dict[int, tuple[str, int, str]] = {}
    for action_id, pid, at, _day, outcome in rows:
        if outcome in contact and (pid not in latest or (at, action_id) > latest[pid][:2]):
            latest[pid] = (at, action_id, outcome)
    closed = {p.id for p in store.prospects() if p.closed}
    expected = sorted(
        held[1] for pid, held in latest.items() if held[2] in limbo and pid not in closed
    )
    assert sorted(item.action_id for item in store.limbo()) == expected
    start, end = dt.date(2026, 10, 1), dt.date(2026, 11, 30)
    settled_later = sum(
        1
        for action_id, pid, at, day, outcome in rows
        if outcome in limbo
        and str(start) <= day <= str(end)
        and any(o in settling and (a, i) > (at, action_id) for i, p, a, _d, o in rows if p == pid)
    )
    assert store.settled_later(start, end) == settled_later
    for as_of in (dt.date(2026, 11, 23), dt.date(2026, 12, 2), dt.date(2027, 3, 1)):
        every = [
            p.id
            for p in store.prospects()
            if not p.closed and p.next_touch_on is not None and p.next_touch_on <= as_of
        ]
        queue = [p.id for p in store.followup_queue(as_of)]
        assert sorted(queue) == sorted(every), "the queue's SQL filter dropped a due prospect"
        from_book = [p.id for p in store.followup_queue(as_of, store.prospects())]
        assert from_book == queue, "the queue from the book is the queue, in its order"
    early = [p.id for p in store.prospects() if p.given_up_early]
    assert [p.id for p in store.given_up_early()] == early


def test_the_queue_keeps_a_committed_step_after_the_cadence_ran_out(store: Store) -> None:
    store.set_setting("followup.cadence", "call, email+1")
    at = NOW.subtract(days=10)
    for _ in range(3):
        store.log_for("Done", "call", at)
    store.log_for("Promised", "call", at, count=2)
    store.log_for("Promised", "call", at, outcome="next_step", next_step_on=dt.date(2026, 11, 20))
    store.log_for("Fresh", "call", at)
    due = {p.name for p in store.followup_queue(dt.date(2026, 11, 23))}
    assert due == {"Promised", "Fresh"}


def test_the_triggers_name_the_outcomes_the_shipped_data_defines() -> None:
    from importlib import import_module

    migration = import_module("prospector.migrations.versions.0003_prospect_touches")
    data = shipped()
    assert set(migration.OPEN) == {o.key for o in data.outcomes if o.resolution == "limbo"}
    assert set(migration.SETTLING) == {
        o.key for o in data.outcomes if o.resolution in ("step", "stop")
    }
    assert migration.MEETING == ("meeting",) and "meeting" in {o.key for o in data.outcomes}


def test_db_check_names_a_summary_that_disagrees(store: Store, cli: Any) -> None:
    store.log_for("Anna", "call", outcome="conversation")
    assert cli("db", "check")[0] == 0
    with closing(connect(store)) as con, con:
        con.execute("UPDATE prospect_touches SET touches = 7")
    code, out, err = cli("db", "check")
    assert code != 0
    assert "Touch summaries: 1 prospect disagrees with its touches" in out


@pytest.mark.parametrize("revision", ["0001", "0002"])
def test_an_upgraded_file_has_every_summary_counted(revision: str, tmp_path: Path) -> None:
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "schemas" / f"{revision}.sqlite"
    path = tmp_path / "prospector.db"
    shutil.copyfile(fixture, path)
    Store.open(path, clock=FixedClock(NOW)).close()
    with closing(sqlite3.connect(path)) as con:
        assert kept(con), "no summary rows: nothing was backfilled"
        assert disagreeing(con, shipped()) == []
        touched = con.execute(
            "SELECT count(DISTINCT prospect_id) FROM action WHERE prospect_id IS NOT NULL"
        ).fetchone()[0]
        assert len(kept(con)) == touched


def test_limbo_stops_on_a_conversation_the_actions_no_longer_hold(store: Store, cli: Any) -> None:
    store.log_for("Anna", "call", outcome="conversation")
    store.log_for("Bram", "call", outcome="conversation")
    assert len(store.limbo()) == 2
    with closing(connect(store)) as con, con:
        con.execute("DROP TRIGGER prospect_touches_delete")  # as if a row went missing
        con.execute("DELETE FROM action WHERE id = (SELECT min(id) FROM action)")
    code, out, err = cli("limbo")
    assert code == 2 and out == ""
    assert "the conversation of prospect" in err and "is missing from the actions" in err
    assert "integrity check of the file passes" in err and "prospector db check" in err
