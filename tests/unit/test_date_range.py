"""The edges of the supported range work; and any setting ``settings set`` accepts keeps
the forecast and the review working.

Figures are computed past the range's edges where they need to be: a forecast as of
2199-12-31 runs 120 days into 2200, and the review of 1970-W01 begins on a Monday in
1969. Only dates a rep types, and dates stored, must lie in the range.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prospector import settings as settings_mod
from prospector.cli import main
from prospector.clock import TEST_CLOCK_ENV, FixedClock, is_iana_zone, parse_when
from prospector.errors import InvalidInput
from prospector.review import build_review, review_json
from prospector.shipped import shipped
from prospector.store import Store

Run = Callable[..., tuple[int, str, str]]


def run_at(instant: pendulum.DateTime, db_path: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    """A CLI runner whose clock stands at ``instant``."""

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv(TEST_CLOCK_ENV, instant.in_timezone("UTC").isoformat())
            code = main(["--db", str(db_path), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.mark.parametrize(
    ("now", "week"),
    [
        (pendulum.datetime(2199, 12, 31, 5, tz="UTC"), "2199-W52"),
        (pendulum.datetime(1970, 1, 9, 12, tz="UTC"), "1970-W01"),
    ],
)
def test_every_command_works_at_the_edges_of_the_range(
    db_path: Path,
    capsys: pytest.CaptureFixture[str],
    isolated_env: Path,
    now: pendulum.DateTime,
    week: str,
) -> None:
    cli = run_at(now, db_path, capsys)
    day = now.date().isoformat()
    assert cli("settings", "set", "timezone", "Pacific/Kiritimati")[0] == 0  # UTC+14
    assert cli("log", "call", "--count", "3", "--at", day)[0] == 0
    edge = "2199-12-31" if now.year == 2199 else "1970-01-01"
    assert (
        cli("log", "call", "--at", edge, "--prospect", "Anna", "--outcome", "conversation")[0] == 0
    )
    assert (
        cli(
            "log",
            "email",
            "--at",
            "now",
            "--prospect",
            "Bob",
            "--outcome",
            "next_step",
            "--next",
            "2199-12-31",
        )[0]
        == 0
    )
    assert cli("win", "100", "--prospect", "Anna", "--at", edge)[0] == 0
    assert cli("dayoff", "add", edge)[0] == 0
    assert cli("target", "set", "call", "10", "--from", edge)[0] == 0
    for args in (
        ("status", "--json", "--as-of", day),
        ("forecast", "--json", "--as-of", day),
        ("review", "--week", week, "--format", "json"),
        ("review", "--week", week, "--format", "md"),
        ("followups", "--json", "--as-of", day),
        ("prospect", "list", "--json"),
        ("win", "list", "--json"),
        ("export", "--format", "jsonl"),
        ("export", "--format", "ics"),
    ):
        code, out, err = cli(*args)
        assert code == 0, (args, err)
        assert err == "" or args[0] == "export"
    forecast = json.loads(cli("forecast", "--json", "--as-of", day)[1])
    assert len(forecast["daily"]) == 120


def test_a_forecast_as_of_the_last_day_runs_into_2200(cli: Run) -> None:
    code, out, _ = cli("forecast", "--json", "--as-of", "2199-12-31")
    assert code == 0
    daily = json.loads(out)["daily"]
    assert daily[0]["date"] == "2200-01-01" and daily[-1]["date"] == "2200-04-30"


def test_an_instant_on_the_last_day_in_utc_but_the_next_day_locally_is_refused() -> None:
    now = pendulum.datetime(2026, 11, 23, tz="UTC")
    with pytest.raises(InvalidInput, match="out of range"):
        parse_when("2199-12-31T20:00Z", "Pacific/Kiritimati", now)
    with pytest.raises(InvalidInput, match="out of range"):
        parse_when("1970-01-01T02:00Z", "America/New_York", now)
    assert parse_when("2199-12-31T08:00Z", "Pacific/Kiritimati", now).year == 2199


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-23",
        "2026-11-23T14:30",
        "2026-11-23 14:30",
        "2026-11-23T14:30:05",
        "2026-11-23T14:30:05.123456",
        "2026-11-23T14:30Z",
        "2026-11-23T14:30+01:00",
        "2026-11-23T14:30:05-05:00",
        "now",
        "today",
        "yesterday",
        " 2026-11-23 ",
    ],
)
def test_the_documented_forms_of_a_time_are_accepted(text: str) -> None:
    now = pendulum.datetime(2026, 11, 23, 9, tz="UTC")
    assert parse_when(text, "Europe/Amsterdam", now).tzinfo is not None


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "2026-W47",
        "2026-W47-1",
        "2026-327",
        "20261123",
        "2026-11-23T1430",
        "2026-11-23T14",
        "2026-11-23T14:30+0100",
        "2026-11-23T14:30 +01:00",
        "٢٠٢٦-١١-٢٣",
        "2026-11-２３",
        "2026-11-23T14:30:05.1234567",
        "tomorrow",
        "2026-11-23t14:30",
    ],
)
def test_every_other_form_is_refused(text: str) -> None:
    now = pendulum.datetime(2026, 11, 23, 9, tz="UTC")
    with pytest.raises(InvalidInput, match="bad time"):
        parse_when(text, "Europe/Amsterdam", now)


@pytest.mark.parametrize(
    "zone",
    [
        "localtime",
        "posixrules",
        "Factory",
        "right/UTC",
        "posix/Europe/Amsterdam",
        "",
        "utc",
        "Europe/Atlantis",
    ],
)
def test_only_iana_zone_names_are_zones(zone: str) -> None:
    assert not is_iana_zone(zone)


@pytest.mark.parametrize(
    "zone",
    [
        "UTC",
        "Europe/Amsterdam",
        "America/Argentina/Buenos_Aires",
        "Etc/GMT+5",
        "Pacific/Kiritimati",
    ],
)
def test_iana_zone_names_are_zones(zone: str) -> None:
    assert is_iana_zone(zone)


def setting_values(key: str) -> st.SearchStrategy[str]:
    """Text a rep might type for ``key``: plausible values and any text at all."""
    numbers = st.one_of(
        st.integers(min_value=0, max_value=10**12).map(str),
        st.floats(min_value=0, max_value=1e12, allow_nan=False).map(lambda x: f"{x:f}"),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
    )
    return st.one_of(numbers, st.text(max_size=12))


NUMERIC_KEYS = [
    key
    for key in settings_mod.valid_keys(shipped())
    if key.startswith(settings_mod.VALUE_PREFIX)
    or key.startswith(("payoff.", "funnel.", "followup.abandon", "followup.new_customer"))
    or key in ("revenue_target_month", "block_minutes")
]


@pytest.fixture(scope="module")
def busy_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """A store with a few weeks of actions and wins, for the settings property."""
    clock = FixedClock(pendulum.datetime(2026, 11, 23, 10, tz="UTC"))
    store = Store.open(tmp_path_factory.mktemp("busy") / "p.db", clock=clock)
    store.set_setting("timezone", "UTC")
    for back in range(40):
        day = pendulum.datetime(2026, 11, 22, 10, tz="UTC").subtract(days=back)
        store.log_actions("call", day, count=1 + back % 7)
        store.log_actions("email", day, count=2)
    for back in (10, 40, 80):
        store.add_win("12000", None, pendulum.datetime(2026, 11, 22, tz="UTC").subtract(days=back))
    return store


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_accepted_setting_keeps_forecast_and_review_working(
    busy_store: Store, data: st.DataObject
) -> None:
    key = data.draw(st.sampled_from(NUMERIC_KEYS))
    raw = data.draw(setting_values(key))
    try:
        busy_store.set_setting(key, raw)
    except InvalidInput:
        return
    try:
        from prospector.commands import forecast_payload

        result = busy_store.forecast()
        payload = forecast_payload(result, "EUR", busy_store.data.kinds)
        json.dumps(payload, allow_nan=False)
        review = review_json(build_review(busy_store, dt.date(2026, 11, 16)))
        json.dumps(review, allow_nan=False)
    finally:
        busy_store.clear_setting(key)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=st.sampled_from(["1000000000", "0", "0.000001", "999999999.99"]), data=st.data())
def test_the_largest_and_smallest_money_values_keep_the_figures_working(
    busy_store: Store, value: str, data: st.DataObject
) -> None:
    keys = data.draw(st.lists(st.sampled_from(NUMERIC_KEYS), min_size=1, max_size=6, unique=True))
    set_keys = []
    try:
        for key in keys:
            try:
                busy_store.set_setting(key, value)
                set_keys.append(key)
            except InvalidInput:
                pass
        from prospector.commands import forecast_payload

        payload = forecast_payload(busy_store.forecast(), "EUR", busy_store.data.kinds)
        json.dumps(payload, allow_nan=False)
        json.dumps(review_json(build_review(busy_store, dt.date(2026, 11, 16))), allow_nan=False)
    finally:
        for key in set_keys:
            busy_store.clear_setting(key)


OLD = pendulum.datetime(26, 12, 1, 12, tz="UTC")
FAR = dt.date(9999, 12, 31)


@pytest.mark.parametrize(
    "write",
    [
        lambda s: s.log_actions("call", OLD),
        lambda s: s.log_actions("call", outcome="next_step", next_step_on=FAR),
        lambda s: s.log_actions(
            "call", pendulum.datetime(2199, 12, 31, 23, tz="UTC"), tz="Asia/Tokyo"
        ),
        lambda s: s.log_actions("call", tz="localtime"),
        lambda s: s.add_win("100", None, OLD),
        lambda s: s.add_days_off(FAR),
        lambda s: s.add_days_off(dt.date(2026, 12, 24), dt.date(2200, 1, 1)),
        lambda s: s.set_target("call", 5, "day", dt.date(1969, 12, 31)),
        lambda s: s.update_prospect(s.add_prospect("Anna").id, next_touch_on=FAR),
        lambda s: s.resolve_conversation(
            s.log_actions("call", outcome="conversation", prospect_id=s.add_prospect("Bo").id)[
                0
            ].id,
            "next_step",
            FAR,
        ),
        lambda s: s.insert_actions_bulk(
            [
                {
                    "uid": "x",
                    "at": OLD,
                    "tz": "UTC",
                    "local_date": OLD.date(),
                    "kind": "call",
                    "outcome": "no_response",
                    "note": "",
                }
            ]
        ),
        lambda s: s.insert_history_bulk(days_off=[{"day": FAR, "reason": "vacation"}]),
    ],
)
def test_the_store_refuses_to_write_a_date_out_of_range(
    store: Store, db_path: Path, write: Callable[[Store], object]
) -> None:
    with pytest.raises(InvalidInput, match="out of range|unknown time zone"):
        write(store)
    assert store.odd_values(quick=False) == []
