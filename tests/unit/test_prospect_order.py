"""The prospect list is in the order SQLite gives by name key, though sorted in Python."""

from __future__ import annotations

from contextlib import closing

from prospector.sqlite import sqlite3
from prospector.store import Store

NAMES = [
    "Zoë Bakker",
    "zoe bakker jr",
    "Émile Dubois",
    "emile dubois-2",
    "Ørsted A/S",
    "Ostrander",
    "10x Labs",
    "9 Lives",
    "ßeta GmbH",
    "Beta GmbH",
    "日本商事",
    "Ärzte Zentrum",
    "Aerzte",
    "_underscore",
    "~tilde",
]


def test_the_list_is_in_sqlites_name_key_order(store: Store) -> None:
    for name in NAMES:
        store.add_prospect(name)
    with closing(sqlite3.connect(store.path)) as con:
        expected = [n for (n,) in con.execute("SELECT name FROM prospect ORDER BY name_key, id")]
    assert [p.name for p in store.prospects()] == expected
    assert [p.name for p in store.prospects("GmbH")] == [n for n in expected if "GmbH" in n]
