"""Settings: the keys a rep can change, how each is validated, and their resolved values.

Settings live in the database (one row per key the rep changed) so that a database file
carries everything needed to reproduce its figures; unset keys fall back to the shipped
defaults in ``data/defaults.toml``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from prospector.clock import check_timezone, system_timezone
from prospector.errors import InvalidInput
from prospector.shipped import WEEKDAYS, ShippedData

MAX_MONEY = 1_000_000_000
"""The largest amount of money a setting takes (a month's target, a deal, one action's
value). Far above any rep's figures, and low enough that every sum the forecast and
the review make of it stays exact to the cent."""
_NUMBER_RE = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")
_INTEGER_RE = re.compile(r"[0-9]+")


def _number(low: float, high: float) -> Callable[[str, str], str]:
    """A decimal number typed in ASCII digits with an optional point: no sign, exponent,
    underscore, ``inf`` or ``nan``, all of which ``float()`` would take."""

    def parse(key: str, raw: str) -> str:
        text = raw.strip()
        bounds = f"between {_shown(low)} and {_shown(high)}"
        if text.startswith("-") and _NUMBER_RE.fullmatch(text[1:]):
            raise InvalidInput(f"{key} must be {bounds}, got {raw!r}")
        if not _NUMBER_RE.fullmatch(text):
            raise InvalidInput(
                f"{key} must be a number in digits 0-9 such as 25000 or 0.25, got {raw!r}"
            )
        value = float(text)
        if not low <= value <= high:
            raise InvalidInput(f"{key} must be {bounds}, got {raw!r}")
        return fmt_number(value)

    return parse


def _shown(bound: float) -> str:
    """A bound in a message: ``1,000,000,000``, ``0.5``."""
    return f"{int(bound):,}" if float(bound).is_integer() else f"{bound:g}"


def _money(key: str, raw: str) -> str:
    return _number(0, MAX_MONEY)(key, raw)


def fmt_number(value: float) -> str:
    """A number as a rep would type it: ``25000``, ``0.25``, never ``2.5e+04``."""
    return str(int(value)) if float(value).is_integer() else repr(round(value, 6))


def _integer(low: int, high: int) -> Callable[[str, str], str]:
    def parse(key: str, raw: str) -> str:
        text = raw.strip()
        if not _INTEGER_RE.fullmatch(text):
            raise InvalidInput(f"{key} must be a whole number in digits 0-9, got {raw!r}")
        value = int(text)
        if not low <= value <= high:
            raise InvalidInput(f"{key} must be between {low} and {high}, got {raw!r}")
        return str(value)

    return parse


def _choice(*choices: str) -> Callable[[str, str], str]:
    def parse(key: str, raw: str) -> str:
        if raw.strip().lower() not in choices:
            raise InvalidInput(f"{key} must be one of {', '.join(choices)}; got {raw!r}")
        return raw.strip().lower()

    return parse


def _currency(key: str, raw: str) -> str:
    code = raw.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise InvalidInput(f"{key} must be a three-letter ISO 4217 code such as EUR or USD")
    return code


def _timezone(key: str, raw: str) -> str:
    return check_timezone(raw.strip())


THEMES = (
    "textual-dark",
    "textual-light",
    "ansi-dark",
    "ansi-light",
    "atom-one-dark",
    "atom-one-light",
    "catppuccin-frappe",
    "catppuccin-latte",
    "catppuccin-macchiato",
    "catppuccin-mocha",
    "dracula",
    "flexoki",
    "gruvbox",
    "monokai",
    "nord",
    "rose-pine",
    "rose-pine-dawn",
    "rose-pine-moon",
    "solarized-dark",
    "solarized-light",
    "tokyo-night",
)
"""The app's colour themes (Textual's built-in ones; a UI test keeps the two lists
equal). Named here because the core never imports Textual."""


def _theme(key: str, raw: str) -> str:
    name = raw.strip().lower()
    if name not in THEMES:
        raise InvalidInput(f"{key} must be one of {', '.join(THEMES)}; got {raw!r}")
    return name


def _text(key: str, raw: str) -> str:
    return raw.strip()


def _clock_time(key: str, raw: str) -> str:
    match = re.fullmatch(r"([01]?[0-9]|2[0-3]):?([0-5][0-9])", raw.strip())
    if match is None:
        raise InvalidInput(f"{key} must be a time of day as HH:MM, e.g. 09:00; got {raw!r}")
    return f"{int(match[1]):02d}:{match[2]}"


def _working_days(key: str, raw: str) -> str:
    days = [d.strip().lower()[:3] for d in re.split(r"[,\s]+", raw) if d.strip()]
    unknown = [d for d in days if d not in WEEKDAYS]
    if unknown or not days:
        raise InvalidInput(
            f"{key} must list weekdays from {','.join(WEEKDAYS)}, e.g. mon,tue,wed,thu,fri"
        )
    return ",".join(d for d in WEEKDAYS if d in days)


FIXED_KEYS: dict[str, tuple[Callable[[str, str], str], str]] = {
    "timezone": (_timezone, "IANA time zone the rep works in; days are counted in it"),
    "currency": (_currency, "currency of values, targets and wins"),
    "working_days": (_working_days, "days with a prospecting target, e.g. mon,tue,wed,thu,fri"),
    "revenue_target_month": (_money, "revenue the rep aims to win per month"),
    "payoff.delay_days": (_integer(1, 365), "D of the 30/90 rule: days of activity per window"),
    "payoff.window_days": (_integer(1, 730), "W of the 30/90 rule: days the window pays off over"),
    "funnel.meeting_rate": (_number(0, 1), "share of conversations that become meetings"),
    "funnel.close_rate": (_number(0, 1), "share of meetings that become deals"),
    "funnel.average_deal_value": (_money, "average value of a won deal"),
    "streak_rule": (_choice("action", "block", "target"), "what a streak day needs"),
    "block_minutes": (_integer(1, 600), "default length of a prospecting block"),
    "block.start_time": (
        _clock_time,
        "time of day the prospecting block starts, HH:MM (calendar export)",
    ),
    "theme": (_theme, "colour theme of the app (ctrl+t in the app lists them)"),
    "followup.cadence": (
        _text,
        "follow-up cadence: each touch's kind and working days after the one before",
    ),
    "followup.abandon_after_days": (
        _integer(1, 365),
        "days overdue after which an open prospect counts as abandoned",
    ),
    "followup.new_customer_actions_week": (
        _integer(0, 10_000),
        "hunting target: actions on new customers per week",
    ),
}
VALUE_PREFIX = "value_per_action."
BLOCK_START_TIME = "09:00"
"""When the daily prospecting block starts until the rep sets ``block.start_time``."""


@dataclass(frozen=True)
class Settings:
    """Every setting resolved to its typed value: stored value, else shipped default."""

    timezone: str
    currency: str
    working_days: tuple[int, ...]
    """ISO weekday numbers (1 = Monday) on which targets apply."""
    revenue_target_month: float
    delay_days: int
    window_days: int
    meeting_rate: float
    close_rate: float
    average_deal_value: float
    streak_rule: str
    block_minutes: int
    discipline_half_life_days: float
    block_start_time: str = BLOCK_START_TIME
    """Local time of day (HH:MM) the prospecting block is planned at."""
    theme: str = "textual-dark"
    cadence: str = ""
    """The follow-up cadence as typed (``prospector.followup.parse_cadence``)."""
    abandon_after_days: int = 30
    new_customer_actions_week: int = 0
    value_per_action: Mapping[str, float] = field(default_factory=dict)
    value_overridden: frozenset[str] = frozenset()


def valid_keys(data: ShippedData) -> list[str]:
    return [*FIXED_KEYS, *(VALUE_PREFIX + k for k in data.kind_keys)]


def validate_key(data: ShippedData, key: str) -> str:
    """``key`` if it names a setting, else an error listing the settings."""
    if key in FIXED_KEYS:
        return key
    if key.startswith(VALUE_PREFIX):
        kind = key.removeprefix(VALUE_PREFIX)
        if kind not in data.kind_keys:
            raise InvalidInput(
                f"unknown kind {kind!r} in {key}; kinds are {', '.join(data.kind_keys)}", key
            )
        return key
    raise InvalidInput(
        f"unknown setting {key!r}; settings are {', '.join(FIXED_KEYS)}, {VALUE_PREFIX}<kind>",
        key,
    )


def validate(data: ShippedData, key: str, raw: str) -> str:
    """The canonical stored form of ``raw`` for ``key``, or an error naming the choices."""
    validate_key(data, key)
    parse = FIXED_KEYS[key][0] if key in FIXED_KEYS else _money
    try:
        if key == "followup.cadence":
            from prospector.followup import parse_cadence

            return parse_cadence(raw, data.kind_keys).text()
        return parse(key, raw)
    except InvalidInput as exc:
        raise InvalidInput(str(exc), key) from None


def describe(key: str) -> str:
    if key.startswith(VALUE_PREFIX):
        return "expected revenue of one action of this kind (30/90 projection input)"
    return FIXED_KEYS[key][1]


def unusable(data: ShippedData, stored: Mapping[str, str]) -> dict[str, str]:
    """The stored settings that ``settings set`` would refuse today, each with the reason:
    written by hand, by an older version with looser rules, or damaged. ``resolve``
    leaves them out, so one bad row falls back to its default instead of making every
    command fail; ``prospector db check`` names them."""
    out = {}
    for key, value in stored.items():
        try:
            validate(data, key, value)
        except InvalidInput as exc:
            out[key] = str(exc)
    return out


def resolve(data: ShippedData, stored: Mapping[str, str]) -> Settings:
    """Settings from the stored rows, each missing (or unusable) key filled from the
    shipped defaults."""
    d = data.defaults
    bad = unusable(data, stored)
    if bad:
        stored = {key: value for key, value in stored.items() if key not in bad}

    def get(key: str, default: object) -> str:
        return stored.get(key, str(default))

    meeting = float(get("funnel.meeting_rate", d.funnel.meeting_rate))
    close = float(get("funnel.close_rate", d.funnel.close_rate))
    deal = float(get("funnel.average_deal_value", d.funnel.average_deal_value))
    values = {}
    overridden = set()
    for kind in data.kinds:
        key = VALUE_PREFIX + kind.key
        if key in stored:
            values[kind.key] = float(stored[key])
            overridden.add(kind.key)
        else:
            values[kind.key] = kind.contact_rate * meeting * close * deal
    days = get("working_days", ",".join(d.working_days)).split(",")
    return Settings(
        timezone=stored.get("timezone") or system_timezone(),
        currency=get("currency", d.currency),
        working_days=tuple(WEEKDAYS.index(day) + 1 for day in days),
        revenue_target_month=float(get("revenue_target_month", d.revenue_target_month)),
        delay_days=int(get("payoff.delay_days", d.payoff.delay_days)),
        window_days=int(get("payoff.window_days", d.payoff.window_days)),
        meeting_rate=meeting,
        close_rate=close,
        average_deal_value=deal,
        streak_rule=get("streak_rule", d.streak_rule),
        block_minutes=int(get("block_minutes", d.block_minutes)),
        block_start_time=get("block.start_time", BLOCK_START_TIME),
        discipline_half_life_days=d.discipline_half_life_days,
        theme=get("theme", d.theme),
        cadence=get("followup.cadence", d.followup.cadence),
        abandon_after_days=int(get("followup.abandon_after_days", d.followup.abandon_after_days)),
        new_customer_actions_week=int(
            get("followup.new_customer_actions_week", d.followup.new_customer_actions_week)
        ),
        value_per_action=values,
        value_overridden=frozenset(overridden),
    )


def as_display(settings: Settings) -> dict[str, str]:
    """Every key with its current value as the rep would type it."""
    out = {
        "timezone": settings.timezone,
        "currency": settings.currency,
        "working_days": ",".join(WEEKDAYS[d - 1] for d in settings.working_days),
        "revenue_target_month": fmt_number(settings.revenue_target_month),
        "payoff.delay_days": str(settings.delay_days),
        "payoff.window_days": str(settings.window_days),
        "funnel.meeting_rate": fmt_number(settings.meeting_rate),
        "funnel.close_rate": fmt_number(settings.close_rate),
        "funnel.average_deal_value": fmt_number(settings.average_deal_value),
        "streak_rule": settings.streak_rule,
        "block_minutes": str(settings.block_minutes),
        "block.start_time": settings.block_start_time,
        "theme": settings.theme,
        "followup.cadence": settings.cadence,
        "followup.abandon_after_days": str(settings.abandon_after_days),
        "followup.new_customer_actions_week": str(settings.new_customer_actions_week),
    }
    for kind, value in settings.value_per_action.items():
        out[VALUE_PREFIX + kind] = fmt_number(round(value, 2))
    return out
