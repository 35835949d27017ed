"""The prospect, followups and limbo commands: what a rep sees and what a script reads.

The clock is Monday 23 November 2026, 10:00 in Amsterdam; the shipped cadence starts
``call, email+1, ...``, so a prospect touched once is due again the next working day.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from prospector.sqlite import sqlite3
from prospector.store import Store

Run = Callable[..., tuple[int, str, str]]


def prospect_rows(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT count(*) FROM prospect").fetchone()[0]
    finally:
        con.close()


def queue(cli: Run) -> None:
    """Five prospects due or overdue, one not yet due, one stopped and one won."""
    assert cli("log", "call", "--prospect", "Cor Jansen", "--at", "2026-11-16")[0] == 0
    assert cli("log", "call", "--prospect", "Dirk Smit", "--at", "2026-11-19")[0] == 0
    assert cli("prospect", "add", "Eva Mulder", "--value", "9000")[0] == 0
    cli(
        "log",
        "call",
        "--prospect",
        "Eva Mulder",
        "--outcome",
        "next_step",
        "--next",
        "2026-11-20",
        "--at",
        "2026-11-18",
    )
    anna = ("Anna de Vries", "--company", "Bakker BV", "--value", "50000")
    assert cli("prospect", "add", *anna)[0] == 0
    assert cli("prospect", "add", "Bram Visser", "--value", "1000")[0] == 0
    cli("log", "call", "--prospect", "Fay Later", "--outcome", "next_step", "--next", "2026-11-30")
    cli("log", "call", "--prospect", "Gijs Nee", "--outcome", "stop", "--at", "2026-11-16")
    cli("win", "5000", "--prospect", "Hans Won", "--at", "2026-11-16")


def test_add_then_list_shows_it(cli: Run) -> None:
    code, out, _ = cli(
        "prospect",
        "add",
        "Anna de Vries",
        "--company",
        "Bakker BV",
        "--source",
        "referral",
        "--existing",
        "--value",
        "15000",
    )
    assert code == 0
    assert "Added Anna de Vries (Bakker BV, referral, existing customer, est. €15,000)." in out
    assert "First touch: call, due today." in out
    code, out, _ = cli("prospect", "list", "--json")
    [anna] = json.loads(out)["prospects"]
    assert anna | {"id": 0} == {
        "id": 0,
        "name": "Anna de Vries",
        "company": "Bakker BV",
        "source": "referral",
        "existing_customer": True,
        "est_value": 15000,
        "touches": 0,
        "last_touch": None,
        "next_touch": "2026-11-23",
        "days_overdue": 0,
        "next_kind": "call",
        "reason": "cadence",
        "stage": "new",
        "note": "",
        "state": "active",
        "stopped": False,
        "won": False,
        "given_up_early": False,
    }
    code, out, _ = cli("prospect", "list")
    assert code == 0 and out.startswith("1 prospect (1 due today):")
    assert "Anna de Vries  Bakker BV  active  0 touches  next Mon 23 Nov, due today" in out


def test_list_search_and_open(cli: Run) -> None:
    queue(cli)
    names = [p["name"] for p in json.loads(cli("prospect", "list", "--json")[1])["prospects"]]
    assert names == sorted(names, key=str.lower) and len(names) == 8
    found = json.loads(cli("prospect", "list", "--json", "--search", "bakker")[1])["prospects"]
    assert [p["name"] for p in found] == ["Anna de Vries"]
    open_ = json.loads(cli("prospect", "list", "--json", "--open")[1])["prospects"]
    assert {p["name"] for p in open_} == set(names) - {"Gijs Nee", "Hans Won"}
    everyone = {p["name"]: p for p in json.loads(cli("prospect", "list", "--json")[1])["prospects"]}
    assert everyone["Gijs Nee"]["state"] == "stopped" and everyone["Gijs Nee"]["stopped"]
    assert everyone["Hans Won"]["state"] == "won" and everyone["Hans Won"]["next_touch"] is None
    code, out, _ = cli("prospect", "list", "--search", "nobody")
    assert code == 0 and out == "No prospects matching 'nobody'.\n"


def test_list_of_an_empty_database_says_how_to_add(cli: Run) -> None:
    code, out, _ = cli("prospect", "list")
    assert code == 0 and "No prospects yet" in out and "prospector prospect add NAME" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["prospect", "add", "anna de vries"], "a prospect named 'Anna de Vries' already exists"),
        (["prospect", "add", "Bob", "--source", "fax"], "sources are cold, referral, inbound"),
        (["prospect", "add", "Bob", "--value", "lots"], "--value must be an amount such as"),
        (["prospect", "add", "Bob", "--value", "-5"], "--value must be an amount of 0 or more"),
        (["prospect", "add", "  "], "a prospect needs a name"),
        (["prospect", "show", "Anne"], "no prospect named 'Anne'"),
        (["prospect", "show", "anna"], "did you mean 'Anna de Vries'?"),
        (["prospect"], "prospect needs an action: add, list or show"),
        (["followups", "--as-of", "23-11-2026"], "write it as YYYY-MM-DD"),
        (["followups", "--as-of", "2026-02-30"], "no such day"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_adds_nothing(
    cli: Run, db_path: Path, args: list[str], message: str
) -> None:
    cli("prospect", "add", "Anna de Vries")
    before = prospect_rows(db_path)
    code, out, err = cli(*args)
    assert code == 2
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert out == ""
    assert prospect_rows(db_path) == before


def test_show_gives_details_and_history_newest_first(cli: Run) -> None:
    cli("prospect", "add", "Dirk Smit", "--company", "Smit & Zn", "--value", "12000")
    cli("log", "email", "--prospect", "Dirk Smit", "--at", "2026-11-18", "--note", "intro")
    cli(
        "log",
        "call",
        "--prospect",
        "dirk smit",
        "--outcome",
        "next_step",
        "--next",
        "2026-11-26",
        "--at",
        "2026-11-20T14:30",
        "--minutes",
        "12",
    )
    code, out, _ = cli("prospect", "show", "DIRK SMIT", "--json")
    assert code == 0
    shown = json.loads(out)
    assert shown["name"] == "Dirk Smit" and shown["touches"] == 2
    assert shown["next_touch"] == "2026-11-26" and shown["reason"] == "committed"
    assert shown["days_overdue"] == -3 and shown["next_kind"] is None
    assert shown["history"] == [
        {
            "at": "2026-11-20T14:30:00+01:00",
            "local_date": "2026-11-20",
            "kind": "call",
            "outcome": "next_step",
            "next_step_on": "2026-11-26",
            "note": "",
            "minutes": 12,
        },
        {
            "at": "2026-11-18T12:00:00+01:00",
            "local_date": "2026-11-18",
            "kind": "email",
            "outcome": "no_response",
            "next_step_on": None,
            "note": "intro",
            "minutes": None,
        },
    ]
    code, out, _ = cli("prospect", "show", "dirk smit")
    assert code == 0 and out.startswith("Dirk Smit, Smit & Zn\n")
    assert "Est. value  €12,000" in out
    assert "2 touches, the last on Fri 20 Nov" in out
    assert "Thu 26 Nov: the next step agreed with them" in out
    call, email = out.split("newest first:\n")[1].splitlines()
    assert " ".join(call.split()) == "Fri 20 Nov 14:30 Call Next step → Thu 26 Nov 12 min"
    assert " ".join(email.split()) == "Wed 18 Nov 12:00 Email No response intro"


def test_followups_json_most_overdue_first_then_value(cli: Run) -> None:
    queue(cli)
    code, out, _ = cli("followups", "--json")
    assert code == 0
    result = json.loads(out)
    assert result["as_of"] == "2026-11-23"
    due = [(d["name"], d["days_overdue"], d["reason"]) for d in result["due"]]
    assert due == [
        ("Cor Jansen", 6, "cadence"),  # called Mon 16: the email was due Tue 17
        ("Eva Mulder", 3, "committed"),  # agreed for Fri 20, and worth 9,000
        ("Dirk Smit", 3, "cadence"),
        ("Anna de Vries", 0, "cadence"),  # new, worth 50,000
        ("Bram Visser", 0, "cadence"),  # new, worth 1,000
    ]
    cor = result["due"][0]
    assert cor | {"id": 0} == {
        "id": 0,
        "name": "Cor Jansen",
        "company": "",
        "source": "cold",
        "existing_customer": False,
        "est_value": None,
        "touches": 1,
        "last_touch": "2026-11-16",
        "next_touch": "2026-11-17",
        "days_overdue": 6,
        "next_kind": "email",
        "reason": "cadence",
    }


def test_followups_as_of_a_past_day(cli: Run) -> None:
    queue(cli)
    code, out, _ = cli("followups", "--json", "--as-of", "2026-11-20")
    assert code == 0
    result = json.loads(out)
    assert result["as_of"] == "2026-11-20"
    due = [(d["name"], d["days_overdue"]) for d in result["due"]]
    assert due == [("Cor Jansen", 3), ("Eva Mulder", 0), ("Dirk Smit", 0)]


def test_followups_text_says_what_is_next(cli: Run) -> None:
    queue(cli)
    code, out, _ = cli("followups")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "5 follow-ups due on Mon 23 Nov:"
    cor, eva, _, anna, bram = lines[1:6]
    assert "Cor Jansen" in cor and "6 days overdue" in cor and "2nd touch · email" in cor
    assert "3 days overdue" in eva and "next step agreed for Fri 20 Nov" in eva
    assert "€9,000" in eva
    assert "Bakker BV" in anna and "due today" in anna and "1st touch · call" in anna
    assert anna.endswith("€50,000") and bram.endswith("€1,000")
    assert anna.index("due today") == cor.index("6 days overdue")  # aligned columns


def test_followups_with_nothing_due_says_when_the_next_is(cli: Run) -> None:
    code, out, _ = cli("followups")
    assert (
        code == 0 and out == "Nothing is due on Mon 23 Nov, and no follow-up is planned after it.\n"
    )
    cli("log", "call", "--prospect", "Fay Later", "--outcome", "next_step", "--next", "2026-11-30")
    code, out, _ = cli("followups")
    assert code == 0
    assert out == "Nothing is due on Mon 23 Nov. The next follow-up is Fay Later on Mon 30 Nov.\n"
    assert json.loads(cli("followups", "--json")[1]) == {"as_of": "2026-11-23", "due": []}


def test_limbo_until_the_next_step_is_logged(cli: Run, store: Store) -> None:
    cli(
        "log",
        "call",
        "--prospect",
        "Lisa Bos",
        "--outcome",
        "conversation",
        "--at",
        "2026-11-19",
        "--note",
        "wants pricing",
    )
    cli("log", "call", "--prospect", "Mark Stil", "--at", "2026-11-19")  # no contact: no limbo
    code, out, _ = cli("limbo", "--json")
    assert code == 0
    result = json.loads(out)
    lisa = store.find_prospect("Lisa Bos")
    assert lisa is not None
    [action] = store.prospect_history(lisa.id or 0)
    assert result == {
        "as_of": "2026-11-23",
        "limbo": [
            {
                "id": lisa.id,
                "name": "Lisa Bos",
                "company": "",
                "conversation_on": "2026-11-19",
                "days": 4,
                "kind": "call",
                "note": "wants pricing",
                "action_id": action.id,
            }
        ],
    }
    code, out, _ = cli("limbo")
    assert code == 0
    assert out.startswith("1 conversation with no next step and no stop:\n")
    assert "Lisa Bos" in out and "call on Thu 19 Nov" in out and "4 days ago" in out
    assert "--outcome next_step --next DATE" in out and "--outcome stop" in out
    shown = cli("prospect", "show", "lisa bos")[1]
    assert "the call on Thu 19 Nov ended in no next step and no stop" in shown
    code, _, _ = cli(
        "log", "call", "--prospect", "Lisa Bos", "--outcome", "next_step", "--next", "2026-11-30"
    )
    assert code == 0
    assert json.loads(cli("limbo", "--json")[1])["limbo"] == []
    code, out, _ = cli("limbo")
    assert code == 0 and out.startswith("No conversations in limbo")
    assert "no next step and no stop" not in cli("prospect", "show", "lisa bos")[1]
