"""The database file: pragmas, schema under Alembic, backups, refusing foreign files."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from prospector.db import SCHEMA_HEAD, backup_file, make_engine, open_database
from prospector.errors import DatabaseError
from prospector.sqlite import sqlite3
from prospector.store import Store


def test_every_connection_gets_the_safety_pragmas(db_path: Path) -> None:
    engine = open_database(db_path)
    with engine.connect() as conn:
        read = {
            name: conn.execute(text(f"PRAGMA {name}")).scalar()
            for name in (
                "journal_mode",
                "synchronous",
                "foreign_keys",
                "busy_timeout",
                "cell_size_check",
            )
        }
    assert read["journal_mode"] == "wal"
    assert read["synchronous"] == 2  # FULL
    assert read["foreign_keys"] == 1
    assert read["busy_timeout"] >= 5000
    assert read["cell_size_check"] == 1


def test_migration_from_an_empty_file_creates_every_table(db_path: Path) -> None:
    db_path.touch()
    open_database(db_path)
    con = sqlite3.connect(db_path)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    version = con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    con.close()
    expected = {"action", "prospect", "target", "win", "block", "review", "day_off", "setting"}
    assert expected <= tables
    assert version == SCHEMA_HEAD


def test_schema_head_matches_the_alembic_scripts() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from prospector.db import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == SCHEMA_HEAD


def test_reopening_a_current_database_keeps_its_data(store: Store, db_path: Path) -> None:
    store.log_actions("call", count=2)
    store.close()
    again = Store.open(db_path)
    assert again.action_count() == 2


def test_backup_is_a_verified_copy(store: Store, db_path: Path, tmp_path: Path) -> None:
    store.log_actions("email", count=3)
    dest = backup_file(db_path, tmp_path / "copy.db")
    con = sqlite3.connect(dest)
    assert con.execute("SELECT count(*) FROM action").fetchone()[0] == 3
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    assert not (tmp_path / "copy.db.partial").exists()


def _unchanged_after_refusal(path: Path, match: str) -> None:
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match=match):
        open_database(path)
    assert path.read_bytes() == before


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("my shopping list\n")
    _unchanged_after_refusal(path, "not a Prospector database")


def test_another_programs_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE recipes (name TEXT)")
    con.commit()
    con.close()
    _unchanged_after_refusal(path, "another program")


def test_a_newer_schema_is_refused_untouched(db_path: Path) -> None:
    open_database(db_path).dispose()
    con = sqlite3.connect(db_path)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    _unchanged_after_refusal(db_path, "newer than this Prospector knows")


def test_in_memory_engine_for_quick_checks() -> None:
    engine = make_engine(":memory:")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_an_older_schema_is_backed_up_then_upgraded(
    store: Store, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulate the next release: a migration on top of today's schema."""
    import shutil

    from prospector import db

    head = db.SCHEMA_HEAD
    nxt = f"{int(head) + 1:04d}"
    store.log_actions("call", count=5)
    store.close()
    migrations = tmp_path / "migrations"
    shutil.copytree(db.MIGRATIONS, migrations, ignore=shutil.ignore_patterns("__pycache__"))
    (migrations / "versions" / f"{nxt}_scratch.py").write_text(
        "import sqlalchemy as sa\nfrom alembic import op\n"
        f"revision = '{nxt}'\ndown_revision = '{head}'\nbranch_labels = None\n"
        "depends_on = None\n"
        "def upgrade():\n"
        "    with op.batch_alter_table('action') as batch:\n"
        "        batch.add_column(sa.Column('scratch', sa.Integer(), nullable=True))\n"
        "def downgrade():\n    pass\n"
    )
    monkeypatch.setattr(db, "MIGRATIONS", migrations)
    monkeypatch.setattr(db, "SCHEMA_HEAD", nxt)

    db.open_database(db_path).dispose()

    [backup] = list(db_path.parent.glob(f"prospector.db.before-{nxt}-*.bak"))
    old = sqlite3.connect(backup)
    assert old.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head
    assert old.execute("SELECT count(*) FROM action").fetchone()[0] == 5
    old.close()
    new = sqlite3.connect(db_path)
    assert new.execute("SELECT version_num FROM alembic_version").fetchone()[0] == nxt
    assert new.execute("SELECT count(*) FROM action WHERE scratch IS NULL").fetchone()[0] == 5
    new.close()


def _grouped(db: Path) -> dict[tuple[str, str], int]:
    con = sqlite3.connect(db)
    try:
        truth = dict(
            ((d, k), n)
            for d, k, n in con.execute(
                "SELECT local_date, kind, count(*) FROM action GROUP BY local_date, kind"
            )
        )
        kept = dict(
            ((d, k), n)
            for d, k, n in con.execute("SELECT local_date, kind, n FROM action_day_count")
            if n
        )
    finally:
        con.close()
    assert kept == truth
    return kept


def test_day_counts_follow_every_insert_delete_and_update(store: Store, db_path: Path) -> None:
    import pendulum

    days = [pendulum.datetime(2026, 11, d, 10, tz="Europe/Amsterdam") for d in (18, 19, 20)]
    logged = store.log_actions("call", days[0], count=3)
    store.log_actions("email", days[1], count=2)
    store.insert_history_bulk(
        actions=[
            {
                "uid": f"{i:032x}",
                "at": days[2],
                "tz": "Europe/Amsterdam",
                "local_date": days[2].date(),
                "kind": "visit",
                "outcome": "meeting",
                "note": "",
            }
            for i in range(4)
        ]
    )
    store.delete_action(logged[0].id or 0)
    con = sqlite3.connect(db_path)
    con.execute("UPDATE action SET kind = 'linkedin' WHERE kind = 'email'")
    con.commit()
    con.close()
    assert _grouped(db_path) == {
        ("2026-11-18", "call"): 2,
        ("2026-11-19", "linkedin"): 2,
        ("2026-11-20", "visit"): 4,
    }
    for action in store.recent_actions(100):
        store.delete_action(action.id or 0)
    assert _grouped(db_path) == {}
    assert store.first_action_day() is None
