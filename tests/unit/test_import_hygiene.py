"""The core never imports Textual: headless commands stay fast and usable in scripts."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

CORE_MODULES = [
    "prospector.cli",
    "prospector.commands",
    "prospector.store",
    "prospector.status",
    "prospector.settings",
    "prospector.clock",
    "prospector.db",
    "prospector.demo",
    "prospector.opening",
    "prospector.followup",
    "prospector.review",
    "prospector.review_command",
    "prospector.export",
    "prospector.importing",
    "prospector.io_commands",
    "prospector.db_commands",
]


def test_core_modules_do_not_import_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {CORE_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'screens')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def loaded_by_a_log(tmp_path: Path, args: list[str], shown: str) -> str:
    """What ``shown`` (an expression over ``sys.modules``) prints after ``log ARGS`` in a
    fresh process, on a database that needs no upgrade."""
    db = tmp_path / "p.db"
    subprocess.run(
        [sys.executable, "-m", "prospector", "--db", str(db), "status"],
        check=True,
        capture_output=True,
    )
    code = (
        "import sys\n"
        "from screens.launch import main\n"
        f"main(['--db', {str(db)!r}, 'log', *{args!r}])\n"
        f"print({shown})\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


def test_a_headless_command_does_not_import_textual_or_alembic(tmp_path: Path) -> None:
    shown = "sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'alembic'})"
    assert loaded_by_a_log(tmp_path, ["call"], shown) == "[]"


UNUSED_BY_LOG = (
    "prospector.coach",
    "prospector.demo",
    "prospector.export",
    "prospector.importing",
    "prospector.projection",
    "prospector.records",
    "prospector.review",
    "prospector.store.summaries",
)
"""Modules a ``log`` never calls: importing them would only slow every log down."""


def test_a_log_imports_only_what_it_uses(tmp_path: Path) -> None:
    shown = f"sorted(set(sys.modules) & set({UNUSED_BY_LOG!r}))"
    assert loaded_by_a_log(tmp_path, ["call", "--prospect", "Ada"], shown) == "[]"


def test_screens_never_touch_sql_directly() -> None:
    screens = Path(__file__).resolve().parents[2] / "screens"
    for path in screens.rglob("*.py"):
        source = path.read_text()
        for forbidden in (
            "import sqlalchemy",
            "from sqlalchemy",
            "import sqlmodel",
            "from sqlmodel",
            "import sqlite3",
        ):
            assert forbidden not in source, f"{path.name} uses {forbidden!r}"


def test_the_core_never_imports_the_ui() -> None:
    core = Path(__file__).resolve().parents[2] / "prospector"
    for path in core.rglob("*.py"):
        for line in path.read_text().splitlines():
            words = line.split()
            if words[:1] in (["import"], ["from"]) and len(words) > 1:
                assert words[1].split(".")[0] not in ("textual", "screens"), (
                    f"{path.name}: {line.strip()}"
                )


def test_without_the_app_a_bare_core_call_asks_for_a_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from prospector.cli import main

    assert main(["--db", str(tmp_path / "p.db")]) == 2
    assert "give a command" in capsys.readouterr().err


def test_only_one_sqlite_library_is_ever_imported() -> None:
    """Two copies of SQLite in one process do not see each other's file locks, and a
    write can be lost without an error: everything goes through ``prospector.sqlite``."""
    root = Path(__file__).resolve().parents[2]
    direct = re.compile(r"^\s*(import sqlite3|from sqlite3 import)", re.MULTILINE)
    offenders = [
        str(path.relative_to(root))
        for folder in ("prospector", "screens", "tests/unit", "tests/ui", "tests/fixtures")
        for path in (root / folder).rglob("*.py")
        if path.name != "sqlite.py" and direct.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_engine_runs_on_the_chosen_sqlite(tmp_path: Path) -> None:
    from sqlalchemy import text

    from prospector.db import open_database
    from prospector.sqlite import LIBRARY, sqlite3

    engine = open_database(tmp_path / "p.db")
    try:
        with engine.connect() as conn:
            version = conn.execute(text("SELECT sqlite_version()")).scalar()
            raw = conn.connection.driver_connection
    finally:
        engine.dispose()
    assert version == sqlite3.sqlite_version
    assert type(raw).__module__.startswith(LIBRARY)


def test_a_headless_command_gives_the_collector_back(tmp_path: Path) -> None:
    """The cycle collector is paused while the ORM loads (``cli._collector_paused``):
    it must run again afterwards, and stay off for a caller who turned it off."""
    db = tmp_path / "p.db"
    code = (
        "import gc, sys\n"
        "from prospector.cli import main\n"
        "if sys.argv[1] == 'off':\n"
        "    gc.disable()\n"
        f"main(['--db', {str(db)!r}, 'log', 'call'])\n"
        "print(gc.isenabled(), gc.get_freeze_count() > 0)\n"
    )
    for setting, expected in (("on", "True True"), ("off", "False False")):
        out = subprocess.run(
            [sys.executable, "-c", code, setting], capture_output=True, text=True, check=True
        )
        assert out.stdout.strip().splitlines()[-1] == expected
