"""A long prospect list prints its first page, says how many more there are, and the
page is exactly the start of the whole list, whatever the filters."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prospector.cli import LIST_PAGE
from prospector.errors import InvalidInput
from prospector.store import Store, prospects

Run = Callable[..., tuple[int, str, str]]


def test_a_long_list_prints_a_page_and_says_how_to_see_the_rest(store: Store, cli: Run) -> None:
    ids = [
        store.add_prospect(f"Prospect {i:03d}", company="Bakker BV" if i % 2 else "").id
        for i in range(LIST_PAGE + 12)
    ]
    store.add_win("1000", ids[1])

    code, out, _ = cli("prospect", "list")
    lines = out.splitlines()
    assert code == 0 and lines[0] == f"{LIST_PAGE + 12} prospects; the first {LIST_PAGE} by name:"
    assert lines[1].startswith("  Prospect 000") and lines[LIST_PAGE].startswith("  Prospect 049")
    assert lines[-1] == "... and 12 more: --all lists every one, --search TEXT narrows."

    code, out, _ = cli("prospect", "list", "--all")
    assert out.startswith(f"{LIST_PAGE + 12} prospects (") and "Prospect 061" in out
    assert "more" not in out.splitlines()[-1]

    code, out, _ = cli("prospect", "list", "--search", "bakker", "--open", "--limit", "3")
    assert out.splitlines()[0] == "30 prospects matching 'bakker' still open; the first 3 by name:"
    assert [line.split()[1] for line in out.splitlines()[1:4]] == ["003", "005", "007"]

    whole = json.loads(cli("prospect", "list", "--json")[1])["prospects"]
    assert len(whole) == LIST_PAGE + 12, "--json lists every prospect unless told otherwise"
    page = json.loads(cli("prospect", "list", "--json", "--limit", "4")[1])["prospects"]
    assert page == whole[:4]

    code, _, err = cli("prospect", "list", "--all", "--limit", "3")
    assert code == 2 and "--limit" in err and "--all" in err


NAMES = st.text(alphabet="aAbBéÉeE ßs", min_size=1, max_size=5).filter(str.strip)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    names=st.lists(NAMES, min_size=0, max_size=14, unique_by=lambda n: n.casefold()),
    search=st.sampled_from(["", "a", "é", "B", "ss", "e"]),
    open_only=st.booleans(),
    limit=st.integers(1, 9),
    won=st.integers(0, 3),
)
def test_a_page_is_the_start_of_the_whole_list(
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    names: list[str],
    search: str,
    open_only: bool,
    limit: int,
    won: int,
) -> None:
    # Few ids per statement, so that a handful of matches already goes in batches.
    monkeypatch.setattr(prospects, "MAX_LISTED_IDS", 2)
    store.engine.dispose()
    with store.writer.begin() as con:
        for table in ("win", "action", "prospect"):
            con.exec_driver_sql(f"DELETE FROM {table}")
    added = []
    for name in names:
        try:
            added.append(store.add_prospect(name).id)
        except InvalidInput:  # a name the store folds into an earlier one
            continue
    for prospect_id in added[:won]:
        store.add_win("100", prospect_id)
    for prospect_id in added[won : 2 * won]:  # won by stage, with no win recorded
        store.update_prospect(prospect_id, stage="won")
    for prospect_id in added[2 * won : 3 * won]:
        store.update_prospect(prospect_id, stopped=True)
    whole = store.prospects(search, open_only=open_only)
    page = store.prospects(search, open_only=open_only, limit=limit)
    assert [p.id for p in page] == [p.id for p in whole][:limit]
    assert store.prospect_count(search, open_only=open_only) == len(whole)
    shown, total = store.prospect_page(search, open_only=open_only, limit=limit)
    assert [p.id for p in shown] == [p.id for p in page] and total == len(whole)
    if open_only:
        everyone = store.prospects(search)
        assert [p.id for p in whole] == [p.id for p in everyone if not p.closed]
