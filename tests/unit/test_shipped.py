"""The shipped defaults in data/: loaded, validated, and errors that name file and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from prospector.errors import DataFileError
from prospector.shipped import data_dir, load_shipped, shipped
from prospector.store import Store


def test_defaults_hold_what_the_design_asks_for() -> None:
    data = shipped()
    assert set(data.kind_keys) >= {
        "call",
        "email",
        "linkedin",
        "text",
        "visit",
        "referral_ask",
        "social",
    }
    assert set(data.outcome_keys) == {
        "no_response",
        "conversation",
        "next_step",
        "meeting",
        "referral",
        "stop",
    }
    d = data.defaults
    assert (d.payoff.delay_days, d.payoff.window_days) == (30, 90)
    assert d.working_days == ("mon", "tue", "wed", "thu", "fri")
    assert d.currency == "EUR"
    assert d.targets["call"].per == "day"
    assert {k.hotkey for k in data.kinds} >= {"c", "e", "l", "t", "v", "r"}


def test_value_per_action_comes_from_the_funnel(store: Store) -> None:
    data, values = store.data, store.settings().value_per_action
    f = data.defaults.funnel
    expected = data.kind("call").contact_rate * f.meeting_rate * f.close_rate
    assert values["call"] == pytest.approx(expected * f.average_deal_value)
    store.set_setting("value_per_action.call", "80")
    assert store.settings().value_per_action["call"] == 80


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(data_dir(), copy)
    return copy


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("kinds.toml", 'hotkey = "e"', 'hotkey = "c"', "kind hotkey 'c' is used twice"),
        ("kinds.toml", "contact_rate = 0.10", "contact_rate = 1.5", "kinds.0.contact_rate"),
        ("outcomes.toml", 'resolution = "stop"', 'resolution = "maybe"', "outcomes.5.resolution"),
        ("defaults.toml", 'currency = "EUR"', 'currency = "euro"', "field currency"),
        ("defaults.toml", "delay_days = 30", "delay_days = -3", "payoff.delay_days"),
        ("defaults.toml", "call = {", "fax = {", "targets.fax: unknown kind"),
        ("defaults.toml", '"fri"]', '"fri", "funday"]', "field working_days"),
        ("kinds.toml", "[[kinds]]", "[[kinds]", "not valid TOML"),
    ],
)
def test_a_malformed_file_names_the_file_and_the_field(
    data_copy: Path, file: str, old: str, new: str, message: str
) -> None:
    path = data_copy / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(DataFileError) as err:
        load_shipped(data_copy)
    assert str(path) in str(err.value) and message in str(err.value)


def test_a_missing_file_says_so(data_copy: Path) -> None:
    (data_copy / "outcomes.toml").unlink()
    with pytest.raises(DataFileError, match="outcomes.toml: shipped data file is missing"):
        load_shipped(data_copy)
