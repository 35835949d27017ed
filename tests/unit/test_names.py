"""Prospect names match by one key, in Python and in the database alike.

The key (``prospector.names.name_key``) is Unicode NFC, then casefold, of the name with
its whitespace collapsed. Whatever spelling a rep or a file uses for a name (another
case, decomposed accents from a Mac, a stray space), the store must find the prospect
it already has, and the key it stored must be the one Python computes.
"""

from __future__ import annotations

import subprocess
import unicodedata
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from tests_support import at_local

from prospector.clock import FixedClock
from prospector.importing import import_file
from prospector.names import clean_name, name_key, shell_quoted
from prospector.sqlite import sqlite3
from prospector.store import Store

CAFE_NFC = unicodedata.normalize("NFC", "Café Noir")
CAFE_NFD = unicodedata.normalize("NFD", "Café Noir")


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("ÖZIL GMBH", "Özil GmbH"),
        (CAFE_NFC, CAFE_NFD),
        ("CAFÉ  NOIR", CAFE_NFD),
        ("  Straße\tMüller\n", "STRASSE MÜLLER"),
        ("ΟΔΥΣΣΕΥΣ", "οδυσσευς"),
        ("Anna\u00a0de Vries", "anna de vries"),
    ],
)
def test_spellings_of_one_name_share_a_key(one: str, other: str) -> None:
    assert name_key(one) == name_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [("Istanbul", "İstanbul"), ("Anna de Vries", "Anna de Vries B.V."), ("Cafe Noir", CAFE_NFC)],
)
def test_different_names_keep_different_keys(one: str, other: str) -> None:
    assert name_key(one) != name_key(other)


def test_a_saved_name_is_nfc_with_single_spaces() -> None:
    assert clean_name(f"  {CAFE_NFD}\n  Amsterdam ") == f"{CAFE_NFC} Amsterdam"


@pytest.mark.parametrize(
    "name",
    ["O'Brien & Sons", 'Hoff "Koel" B.V.', "$HOME `id` $(id)", "line one\nline two", "-n", ""],
)
def test_a_quoted_name_is_read_back_whole_by_the_shell(name: str) -> None:
    shown = subprocess.run(
        ["sh", "-c", f"printf %s {shell_quoted(name)}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert shown == name


# Any name, any spelling: the store finds the one prospect.


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """One store for every generated name (opening one per example would be slow)."""
    store = Store.open(
        tmp_path_factory.mktemp("names") / "prospector.db",
        clock=FixedClock(at_local(2026, 11, 23, 10)),
    )
    yield store
    store.close()


def variants(name: str) -> list[str]:
    """Spellings the rep or a file may use for ``name``: other cases, decomposed or
    composed accents, other spacing. Upper case is left out for the dotless ı, whose
    capital is the ASCII I (casefolding cannot know the language)."""
    out = [
        name.lower(),
        name.casefold(),
        unicodedata.normalize("NFD", name),
        unicodedata.normalize("NFC", name),
        f"  {name.replace(' ', '   ')}\t",
        unicodedata.normalize("NFD", name.lower()),
    ]
    if "ı" not in name:
        out.append(name.upper())
    return out


NAMES = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=24)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=NAMES)
def test_any_spelling_of_a_name_finds_the_prospect_added(shared_store: Store, name: str) -> None:
    assume(clean_name(name))
    store = shared_store
    added = store.find_prospect(name) or store.add_prospect(name)
    for variant in variants(name):
        found = store.find_prospect(variant)
        assert found is not None and found.id == added.id, repr(variant)
    with closing(sqlite3.connect(store.path)) as con:
        stored_name, stored_key = con.execute(
            "SELECT name, name_key FROM prospect WHERE id = ?", (added.id,)
        ).fetchone()
    assert stored_key == name_key(stored_name) == name_key(name)


# The import links rows to prospects by the same key.


def test_an_import_links_rows_to_the_prospect_in_any_spelling(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "prospector.db", clock=FixedClock(at_local(2026, 11, 23, 10)))
    try:
        kept = store.add_prospect("Özil GmbH")
        cafe = store.add_prospect(CAFE_NFC)
        csv = tmp_path / "touches.csv"
        csv.write_text(
            "date,kind,prospect\n"
            "2026-11-20,call,ÖZIL GMBH\n"
            f"2026-11-20,email,{CAFE_NFD}\n"
            "2026-11-20,call,  café   noir \n",
            encoding="utf-8",
        )
        import_file(store, csv)
        assert [p.name for p in store.prospects()] == [CAFE_NFC, "Özil GmbH"]
        assert [a.kind for a in store.prospect_history(kept.id or 0)] == ["call"]
        assert len(store.prospect_history(cafe.id or 0)) == 2
    finally:
        store.close()


def test_a_dump_restores_with_keys_derived_and_refuses_two_prospects_of_one_name(
    tmp_path: Path,
) -> None:
    """The key is derived, never read from a dump: one of an older Prospector (which
    has none) restores, a tampered key is recomputed, and a dump of a file from before
    0002, with two spellings of one name, is refused with both lines."""
    import io
    import json
    import re

    from prospector.errors import InvalidInput
    from prospector.export import write_dump
    from prospector.importing import ImportRejected

    clock = FixedClock(at_local(2026, 11, 23, 10))
    source = Store.open(tmp_path / "source.db", clock=clock)
    source.log_for("Özil GmbH", "call")
    source.log_for(CAFE_NFC, "email")
    text = io.StringIO(newline="")
    write_dump(source, text)
    source.close()
    whole = text.getvalue()
    assert '"name_key": "özil gmbh"' in whole

    older = re.sub(r', "name_key": "[^"]*"', "", whole)
    tampered = whole.replace('"name_key": "özil gmbh"', '"name_key": "someone else"')
    for label, content in (("older", older), ("tampered", tampered)):
        dump = tmp_path / f"{label}.json"
        dump.write_text(content, encoding="utf-8")
        fresh = Store.open(tmp_path / f"{label}.db", clock=clock)
        try:
            import_file(fresh, dump)
            with closing(sqlite3.connect(fresh.path)) as con:
                keys = sorted(con.execute("SELECT name, name_key FROM prospect"))
            assert keys == [(CAFE_NFC, name_key(CAFE_NFC)), ("Özil GmbH", "özil gmbh")], label
        finally:
            fresh.close()

    doubled = whole.replace(json.dumps(CAFE_NFC, ensure_ascii=False), '"ÖZIL GMBH"', 1)
    dump = tmp_path / "doubled.json"
    dump.write_text(doubled, encoding="utf-8")
    fresh = Store.open(tmp_path / "doubled.db", clock=clock)
    try:
        with pytest.raises((ImportRejected, InvalidInput)) as caught:
            import_file(fresh, dump)
        assert isinstance(caught.value, ImportRejected), caught.value
        [reject] = caught.value.report.rejects
        assert "a prospect named 'ÖZIL GMBH' is also on line" in reject.reason
        assert fresh.prospects() == []
    finally:
        fresh.close()


def _migration_key() -> object:
    import importlib.util

    from prospector import db

    [path] = (db.MIGRATIONS / "versions").glob("0002_*.py")
    spec = importlib.util.spec_from_file_location("migration_0002", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.key_of


KEY_OF_0002 = _migration_key()


@settings(max_examples=300, deadline=None)
@given(name=NAMES)
def test_the_key_frozen_in_migration_0002_is_the_one_the_store_uses(name: str) -> None:
    """0002 keys the names already stored with its own copy of the rule: a file upgraded
    by it must find its prospects with the key the code computes today."""
    assert KEY_OF_0002(name) == name_key(name)  # type: ignore[operator]
