"""An upgrade that changed the rep's data says so when the app opens on the file."""

from __future__ import annotations

import shutil
from contextlib import closing
from pathlib import Path

from tests_support import at_local

from prospector.clock import FixedClock
from prospector.db import SCHEMA_HEAD
from prospector.opening import store_for_app
from prospector.sqlite import sqlite3
from screens.app import make_app

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "schemas" / "0001.sqlite"


async def test_the_prospects_merged_by_an_upgrade_are_said_on_opening(tmp_path: Path) -> None:
    path = tmp_path / "prospector.db"
    shutil.copyfile(FIXTURE, path)
    with closing(sqlite3.connect(path)) as con:
        for n, name in enumerate(("Özil GmbH", "ÖZIL GMBH")):
            con.execute(
                "INSERT INTO prospect (uid, name, company, source, stage, existing_customer, "
                "est_value, stopped, next_touch_on, note, created_at) "
                "VALUES (?, ?, '', 'cold', 'new', 0, NULL, 0, NULL, '', ?)",
                (f"{n:032d}", name, f"2026-0{n + 6}-01T08:00:00.000000Z"),
            )
        con.commit()
    clock = FixedClock(at_local(2026, 11, 23, 10))
    store = store_for_app(path, clock)  # an older file: opened (and upgraded) up front
    app = make_app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        said = [n.message for n in app._notifications]
    store.close()
    assert any(m.startswith(f"Upgraded {path} to schema {SCHEMA_HEAD}") for m in said), said
    assert any("Merged 2 prospects" in m and "'ÖZIL GMBH'" in m for m in said), said
