"""Date fields and fixed choices in the app follow the core's rules: a next step typed
with a shortcut stays in the supported range, digits are ASCII, and the settings accept
exactly the app's themes."""

from __future__ import annotations

import datetime as dt

import pytest

from prospector import settings as settings_mod
from prospector.errors import InvalidInput
from prospector.store import Store
from screens.app import make_app
from screens.logging import parse_step_date


@pytest.mark.parametrize(
    ("text", "today"),
    [
        ("+3", dt.date(2199, 12, 30)),
        ("tomorrow", dt.date(2199, 12, 31)),
        ("2w", dt.date(2199, 12, 25)),
    ],
)
def test_a_next_step_typed_in_the_app_stays_in_the_range(text: str, today: dt.date) -> None:
    with pytest.raises(InvalidInput, match="out of range"):
        parse_step_date(text, today)


@pytest.mark.parametrize("text", ["+٣", "٣d", "٢٠٢٦-١٢-٠١"])
def test_a_next_step_in_other_digits_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_step_date(text, dt.date(2026, 11, 23))


async def test_the_settings_accept_exactly_the_apps_themes(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=(80, 24)):
        themes = set(app.available_themes)
    assert themes == set(settings_mod.THEMES)
    for theme in themes:
        assert settings_mod.validate(store.data, "theme", theme) == theme


@pytest.mark.parametrize("raw", ["1_0", "+5", "٥", "1e1", "-1"])
def test_a_target_count_in_the_settings_takes_ascii_digits_only(raw: str) -> None:
    from screens.settings import parse_count

    with pytest.raises(InvalidInput, match="whole number"):
        parse_count(raw)
    assert parse_count(" 12 ") == 12
