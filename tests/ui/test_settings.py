"""Targets & settings as a rep uses them: driven with a Pilot, checked against the store."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests_support import settle, shown
from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, DataTable, Input, Static, TabbedContent

from prospector.followup import parse_cadence
from prospector.store import DEFAULTS_FROM, Store
from prospector.targets import TargetRule
from screens.app import ProspectorApp, make_app
from screens.forms import ConfirmScreen, FormField
from screens.settings import (
    CadencePreview,
    DayOffRun,
    SettingField,
    SettingsScreen,
    cadence_summary,
    day_off_runs,
    target_rows,
)

SIZE = (120, 40)
TODAY = dt.date(2026, 11, 23)
CADENCE = "followup.cadence"
SHIPPED_CADENCE = (
    "call, email+1, linkedin+2, call+2, email+2, call+3, linkedin+3, call+3, email+3, "
    "call+4, text+4, email+3"
)


def rows(app: ProspectorApp, table_id: str) -> list[list[str]]:
    table = app.screen.query_one(f"#{table_id}", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def field(app: ProspectorApp, key: str) -> SettingField:
    return app.screen.query_one(f"#field-{key.replace('.', '-')}", SettingField)


def error_of(app: ProspectorApp, key: str) -> str:
    setting = field(app, key)
    return shown(setting.query_one(".field-error", Static)) if setting.error else ""


def line(app: ProspectorApp, selector: str) -> str:
    widget = app.screen.query_one(selector, Static)
    return shown(widget) if widget.display else ""


async def open_settings(app: ProspectorApp, pilot: Pilot[Any], store: Store) -> SettingsScreen:
    await settle(app, pilot)
    screen = SettingsScreen(store, store.clock)
    await app.push_screen(screen)
    await settle(app, pilot)
    return screen


async def type_into(pilot: Pilot[Any], input_id: str, text: str) -> None:
    """Focus a text field, replace what it holds with ``text`` and press Enter."""
    field = pilot.app.screen.query_one(f"#{input_id}", Input)
    field.focus()
    await pilot.pause()
    field.value = ""
    await pilot.press(*text, "enter")


async def test_targets_show_what_is_in_force_today(store: Store) -> None:
    store.set_target("call", 25, "day", dt.date(2026, 11, 2))
    store.set_target("call", 30, "day", dt.date(2026, 12, 7))
    store.set_target("text", 4, "week", dt.date(2027, 1, 4))
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(app, pilot, store)
        table = {row[0]: row[1:] for row in rows(app, "target-table")}
        assert table["Call"] == ["25 a day", "Mon 2 Nov 2026", "30 a day from 7 Dec 2026"]
        assert table["Email"] == ["10 a day", "shipped default", ""]
        assert table["Text message"] == ["no target", "", "4 a week from 4 Jan 2027"]
        assert rows(app, "target-history")[0] == ["Mon 4 Jan 2027", "Text message", "4 a week"]


async def test_setting_a_target_from_a_date(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(app, pilot, store)
        assert app.focused is app.screen.query_one("#target-table")
        await pilot.press("down", "down", "down", "down")  # Visit: 2 a week
        assert app.screen.query_one("#target-count", Input).value == "2"
        await pilot.press("enter")  # to the count, prefilled from the rule in force
        assert app.focused is app.screen.query_one("#target-count")
        await pilot.press(*"3", "tab", "tab")
        assert app.focused is app.screen.query_one("#target-from")
        await pilot.press(*"2026-12-07", "enter")
        await settle(app, pilot)
        assert store.target_rules()[-1] == TargetRule("visit", 3, "week", dt.date(2026, 12, 7))
        visit = {row[0]: row[1:] for row in rows(app, "target-table")}["Visit"]
        assert visit == ["2 a week", "shipped default", "3 a week from 7 Dec 2026"]


async def test_a_count_of_zero_removes_a_target_from_today(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(app, pilot, store)
        await pilot.press("down", "enter")  # Email
        await pilot.press("0", "enter")
        await settle(app, pilot)
        assert "email" not in store.targets_in_force(TODAY)
        email = {row[0]: row[1:] for row in rows(app, "target-table")}["Email"]
        assert email == ["no target", "Mon 23 Nov 2026", ""]


async def test_a_bad_count_or_date_is_explained_and_nothing_is_saved(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(app, pilot, store)
        before = store.target_rules()
        await type_into(pilot, "target-count", "lots")
        await settle(app, pilot)
        count = app.screen.query_one("#target-count-field", FormField)
        assert count.error == (
            "the count must be a whole number (0 removes the target), got 'lots'"
        )
        app.screen.query_one("#target-count", Input).value = "5"
        await type_into(pilot, "target-from", "2026-02-30")
        await settle(app, pilot)
        when = app.screen.query_one("#target-from-field", FormField)
        assert when.error == "bad date '2026-02-30': no such day in the calendar"
        assert store.target_rules() == before


async def test_a_bad_time_zone_is_explained_inline_and_not_saved(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(app, pilot, store)
        await pilot.press("w")
        await type_into(pilot, "input-timezone", "Mars/Base")
        await settle(app, pilot)
        assert error_of(app, "timezone") == (
            "Unknown time zone 'Mars/Base'; use an IANA name such as Europe/Amsterdam, "
            "America/New_York or UTC"
        )
        assert app.screen.query_one("#input-timezone").has_class("-invalid")
        assert store.stored_settings()["timezone"] == "Europe/Amsterdam"
        await type_into(pilot, "input-timezone", "Europe/Berlin")
        await settle(app, pilot)
        assert error_of(app, "timezone") == ""
        assert store.stored_settings()["timezone"] == "Europe/Berlin"


async def test_a_revenue_target_must_be_a_number(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(app, pilot, store)
        await pilot.press("m")
        assert app.focused is app.screen.query_one("#input-revenue_target_month")
        await pilot.press(*"lots", "enter")
        await settle(app, pilot)
        assert error_of(app, "revenue_target_month") == (
            "Revenue target must be a number in digits 0-9 such as 25000 or 0.25, got 'lots'"
        )
        assert "revenue_target_month" not in store.stored_settings()
        await type_into(pilot, "input-revenue_target_month", "30000")
        await settle(app, pilot)
        assert store.settings().revenue_target_month == 30000
        assert error_of(app, "revenue_target_month") == ""


async def test_leaving_a_changed_field_saves_it_in_canonical_form(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(app, pilot, store)
        await pilot.press("m", "tab")
        assert app.focused is app.screen.query_one("#input-currency")
        await pilot.press(*"usd", "tab")
        await settle(app, pilot)
        assert store.settings().currency == "USD"
        assert app.screen.query_one("#input-currency", Input).value == "USD"
        assert field(app, "revenue_target_month").hint == "USD to win a month"


async def test_a_value_per_action_says_whether_it_is_the_funnel_default(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(app, pilot, store)
        call = field(app, "value_per_action.call")
        assert isinstance(call.control, Input) and call.control.value == "75"
        assert call.hint == "funnel default"
        await pilot.press("m")
        await type_into(pilot, "input-value_per_action-call", "90")
        await settle(app, pilot)
        assert store.settings().value_per_action["call"] == 90
        assert call.hint == "yours; funnel: €75"
        await type_into(pilot, "input-value_per_action-call", "-1")
        await settle(app, pilot)
        assert (
            error_of(app, "value_per_action.call")
            == "Call value must be between 0 and 1,000,000,000, got '-1'"
        )
        assert store.settings().value_per_action["call"] == 90


async def test_working_days_are_saved_as_they_are_toggled(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(app, pilot, store)
        await pilot.press("w")
        assert app.focused is app.screen.query_one("#day-mon")
        await pilot.press("tab", "tab", "tab", "tab", "tab", "space")  # Saturday
        await settle(app, pilot)
        assert store.settings().working_days == (1, 2, 3, 4, 5, 6)
        for day in ("mon", "tue", "wed", "thu", "fri", "sat"):
            app.screen.query_one(f"#day-{day}", Checkbox).value = False
            await settle(app, pilot)
        assert line(app, "#working-days-error").startswith("Keep at least one working day")
        assert store.settings().working_days == (6,), "the last day left is never unticked"


async def test_adding_and_removing_days_off(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(app, pilot, store)
        await pilot.press("d")
        assert app.focused is app.screen.query_one("#off-start")
        await pilot.press(*"2026-12-21", "tab", *"2027-01-01", "enter")
        await settle(app, pilot)
        marked = store.days_off()
        assert len(marked) == 10 and set(marked.values()) == {"vacation"}
        await type_into(pilot, "off-start", "2026-12-04")
        await settle(app, pilot)
        assert store.days_off()[dt.date(2026, 12, 4)] == "vacation"
        assert rows(app, "days-off-table") == [
            ["Mon 21 Dec 2026", "Fri 1 Jan 2027", "10", "vacation", "upcoming"],
            ["Fri 4 Dec 2026", "", "1", "vacation", "upcoming"],
        ]
        table = app.screen.query_one("#days-off-table", DataTable)
        table.focus()
        await pilot.press("down", "delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert dt.date(2026, 12, 4) not in store.days_off()
        assert len(store.days_off()) == 10
        assert len(rows(app, "days-off-table")) == 1


async def test_a_weekend_has_no_working_day_to_mark(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(app, pilot, store)
        await pilot.press("d")
        await pilot.press(*"2026-11-28", "tab", *"2026-11-29", "enter")
        await settle(app, pilot)
        assert line(app, "#day-off-error") == (
            "Sat 28 Nov 2026 – Sun 29 Nov 2026 has no working day: nothing to mark"
        )
        assert store.days_off() == {}


async def test_section_keys_switch_tabs_and_escape_leaves_a_field(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(app, pilot, store)
        tabs = app.screen.query_one("#sections", TabbedContent)
        await pilot.press("m")
        assert tabs.active == "money-section"
        await pilot.press("t")
        assert tabs.active == "money-section", "t is typed into the field, not a section key"
        await pilot.press("escape", "d")
        assert tabs.active == "days-off-section"


def preview(app: ProspectorApp) -> tuple[str, str]:
    """The touches the cadence preview lists, and the summary line under them."""
    touches = app.screen.query_one("#cadence-preview", CadencePreview).plain
    return touches, line(app, "#cadence-summary")


async def test_the_cadence_is_previewed_as_it_is_typed_and_saved_on_enter(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(app, pilot, store)
        await pilot.press("f")
        cadence = app.screen.query_one("#input-followup-cadence", Input)
        assert app.focused is cadence
        assert cadence.value == SHIPPED_CADENCE
        touches, summary = preview(app)
        assert touches.startswith("1 Call day 0 · 2 Email day 1 · 3 LinkedIn day 3 · 4 Call day 5")
        assert touches.endswith("11 Text message day 27 · 12 Email day 30")
        assert summary == "12 touches over 30 working days (about 6 weeks)"
        assert field(app, CADENCE).hint == "shipped default"
        cadence.value = ""
        await pilot.press(*"Call, VISIT + 3, email+2")
        assert preview(app) == (
            "1 Call day 0 · 2 Visit day 3 · 3 Email day 5",
            "3 touches over 5 working days (about 1 week)",
        )
        assert store.settings().cadence == SHIPPED_CADENCE, "nothing saved before Enter"
        await pilot.press("enter")
        await settle(app, pilot)
        assert store.settings().cadence == "call, visit+3, email+2"
        assert cadence.value == "call, visit+3, email+2", "the canonical form replaces the typed"
        assert field(app, CADENCE).hint == "yours"
        assert not app.screen.query_one("#cadence-reset", Button).disabled


async def test_a_bad_cadence_names_the_wrong_touch_and_is_not_saved(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(app, pilot, store)
        await pilot.press("f")
        await type_into(pilot, "input-followup-cadence", "call, fax+2, email+1")
        await settle(app, pilot)
        assert error_of(app, CADENCE) == (
            "Touch 2 of the cadence: unknown kind 'fax'; kinds are call, email, linkedin, "
            "text, visit, referral_ask, social"
        )
        assert app.screen.query_one("#input-followup-cadence").has_class("-invalid")
        assert preview(app) == (
            "",
            "No preview while the cadence does not read right; Enter says why.",
        )
        await type_into(pilot, "input-followup-cadence", "call, email")
        await settle(app, pilot)
        assert error_of(app, CADENCE) == (
            "Touch 2 of the cadence, 'email', needs the working days after the touch before "
            "it, e.g. email+2"
        )
        await pilot.press("tab")  # leaving the field does not save it either
        await settle(app, pilot)
        assert CADENCE not in store.stored_settings()
        assert store.settings().cadence == SHIPPED_CADENCE


async def test_the_cadence_goes_back_to_the_shipped_one(store: Store) -> None:
    store.set_setting(CADENCE, "call, email+2")
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(app, pilot, store)
        await pilot.press("f")
        assert preview(app) == (
            "1 Call day 0 · 2 Email day 2",
            "2 touches over 2 working days (under a week)",
        )
        await pilot.press("r")
        assert not isinstance(app.screen, ConfirmScreen), "r is typed into the cadence"
        await pilot.press("backspace", "escape", "r")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert CADENCE not in store.stored_settings()
        assert app.screen.query_one("#input-followup-cadence", Input).value == SHIPPED_CADENCE
        assert preview(app)[1] == "12 touches over 30 working days (about 6 weeks)"
        assert field(app, CADENCE).hint == "shipped default"
        assert app.screen.query_one("#cadence-reset", Button).disabled


async def test_abandon_days_and_the_hunting_target_are_saved(store: Store) -> None:
    app = make_app(store, store.clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(app, pilot, store)
        await pilot.press("f")
        abandon = app.screen.query_one("#input-followup-abandon_after_days", Input)
        hunting = app.screen.query_one("#input-followup-new_customer_actions_week", Input)
        assert (abandon.value, hunting.value) == ("30", "120")
        await pilot.press("tab")  # the reset button is off while the cadence is shipped
        assert app.focused is abandon
        await type_into(pilot, "input-followup-abandon_after_days", "0")
        await settle(app, pilot)
        assert error_of(app, "followup.abandon_after_days") == (
            "Abandoned after must be between 1 and 365, got '0'"
        )
        assert "followup.abandon_after_days" not in store.stored_settings()
        await type_into(pilot, "input-followup-abandon_after_days", "45")
        await pilot.press("tab")
        assert app.focused is hunting
        await pilot.press("ctrl+u", *"80", "tab")
        await settle(app, pilot)
        assert store.settings().abandon_after_days == 45
        assert store.settings().new_customer_actions_week == 80
        assert error_of(app, "followup.abandon_after_days") == ""


def test_the_cadence_summary_counts_weeks_of_the_reps_own_week() -> None:
    kinds = ("call", "email")
    assert cadence_summary(parse_cadence("call", kinds), 5) == "1 touch, due at once"
    assert cadence_summary(parse_cadence("call, email+1", kinds), 5) == (
        "2 touches over 1 working day (under a week)"
    )
    assert cadence_summary(parse_cadence("call, email+4, call+4", kinds), 4) == (
        "3 touches over 8 working days (about 2 weeks)"
    )


def test_target_rows_take_the_last_rule_set_for_a_day() -> None:
    rules = (
        TargetRule("call", 20, "day", DEFAULTS_FROM),
        TargetRule("call", 22, "day", dt.date(2026, 12, 1)),
        TargetRule("call", 24, "day", dt.date(2026, 12, 1)),
    )
    (row,) = target_rows([("call", "Call")], rules, TODAY)
    assert row.cells() == ("Call", "20 a day", "shipped default", "24 a day from 1 Dec 2026")


def test_day_off_runs_bridge_weekends_but_not_other_reasons() -> None:
    days = {
        dt.date(2026, 12, 4): "vacation",  # Fri
        dt.date(2026, 12, 7): "vacation",  # Mon
        dt.date(2026, 12, 8): "sick",
        dt.date(2026, 12, 10): "sick",  # Wed 9 is a working day in between
    }
    runs = day_off_runs(days, (1, 2, 3, 4, 5))
    assert runs == [
        DayOffRun(dt.date(2026, 12, 10), dt.date(2026, 12, 10), "sick", (dt.date(2026, 12, 10),)),
        DayOffRun(dt.date(2026, 12, 8), dt.date(2026, 12, 8), "sick", (dt.date(2026, 12, 8),)),
        DayOffRun(
            dt.date(2026, 12, 4),
            dt.date(2026, 12, 7),
            "vacation",
            (dt.date(2026, 12, 4), dt.date(2026, 12, 7)),
        ),
    ]
