"""The defaults shipped in ``data/``: activity kinds, outcomes, funnel, targets, payoff.

They are validated when loaded, because a malformed file would otherwise surface as a
wrong figure far away from its cause; the error names the file and the field.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from prospector.errors import DataFileError, InvalidInput

M = TypeVar("M", bound=BaseModel)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Weekday keys in ISO order: index + 1 is the ISO weekday number."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Kind(_Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    hotkey: str = Field(min_length=1, max_length=1)
    label: str = Field(min_length=1)
    noun: str = Field(min_length=1)
    plural: str = Field(min_length=1)
    contact_rate: float = Field(ge=0, le=1)

    def count(self, n: int | float) -> str:
        """``1 call``, ``3 calls``: how a sentence names ``n`` of these."""
        return f"{n:g} {self.noun if n == 1 else self.plural}"


class Outcome(_Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    hotkey: str = Field(min_length=1, max_length=1)
    label: str = Field(min_length=1)
    resolution: Literal["none", "limbo", "step", "stop"]
    needs_date: bool = False


class DefaultTarget(_Strict):
    count: int = Field(gt=0)
    per: Literal["day", "week"]


class Payoff(_Strict):
    delay_days: int = Field(gt=0, le=365)
    window_days: int = Field(gt=0, le=730)


class Funnel(_Strict):
    meeting_rate: float = Field(ge=0, le=1)
    close_rate: float = Field(ge=0, le=1)
    average_deal_value: float = Field(gt=0)


class FollowUp(_Strict):
    cadence: str = Field(min_length=1)
    abandon_after_days: int = Field(gt=0, le=365)
    new_customer_actions_week: int = Field(ge=0, le=10_000)


class Defaults(_Strict):
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    working_days: tuple[str, ...]
    streak_rule: Literal["action", "block", "target"]
    discipline_half_life_days: float = Field(gt=0)
    revenue_target_month: float = Field(ge=0)
    block_minutes: int = Field(gt=0, le=600)
    theme: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    followup: FollowUp
    payoff: Payoff
    funnel: Funnel
    targets: dict[str, DefaultTarget]

    @field_validator("working_days")
    @classmethod
    def _known_weekdays(cls, days: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [d for d in days if d not in WEEKDAYS]
        if unknown or not days:
            raise ValueError(f"must be a non-empty list of {', '.join(WEEKDAYS)}")
        return days


class ShippedData(_Strict):
    kinds: tuple[Kind, ...]
    outcomes: tuple[Outcome, ...]
    defaults: Defaults

    def kind(self, key: str) -> Kind:
        return {k.key: k for k in self.kinds}[key]

    @property
    def kind_keys(self) -> tuple[str, ...]:
        return tuple(k.key for k in self.kinds)

    @property
    def outcome_keys(self) -> tuple[str, ...]:
        return tuple(o.key for o in self.outcomes)


def data_dir() -> Path:
    """Where the shipped files are: inside the installed wheel, or the source tree."""
    installed = Path(__file__).with_name("_data")
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent / "data"


def _read_toml(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise DataFileError(f"{path}: shipped data file is missing; reinstall prospector") from None
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"{path}: not valid TOML ({exc})") from None


def _validate(model: type[M], raw: object, path: Path) -> M:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise DataFileError(f"{path}: field {where}: {first['msg']}") from None


def _unique(items: tuple[Kind, ...] | tuple[Outcome, ...], what: str, path: Path) -> None:
    for attr in ("key", "hotkey"):
        seen: set[str] = set()
        for item in items:
            value = getattr(item, attr)
            if value in seen:
                raise DataFileError(f"{path}: {what} {attr} {value!r} is used twice")
            seen.add(value)


def load_shipped(directory: Path | None = None) -> ShippedData:
    """Read and validate the three files in ``data/`` (or ``directory``)."""
    base = directory or data_dir()
    kinds_path, outcomes_path = base / "kinds.toml", base / "outcomes.toml"
    defaults_path = base / "defaults.toml"

    class _Kinds(_Strict):
        kinds: tuple[Kind, ...] = Field(min_length=1)

    class _Outcomes(_Strict):
        outcomes: tuple[Outcome, ...] = Field(min_length=1)

    kinds = _validate(_Kinds, _read_toml(kinds_path), kinds_path).kinds
    outcomes = _validate(_Outcomes, _read_toml(outcomes_path), outcomes_path).outcomes
    defaults = _validate(Defaults, _read_toml(defaults_path), defaults_path)
    _unique(kinds, "kind", kinds_path)
    _unique(outcomes, "outcome", outcomes_path)
    keys = {k.key for k in kinds}
    for kind in defaults.targets:
        if kind not in keys:
            raise DataFileError(
                f"{defaults_path}: field targets.{kind}: unknown kind; "
                f"kinds are {', '.join(sorted(keys))}"
            )
    from prospector.followup import parse_cadence

    try:
        parse_cadence(defaults.followup.cadence, sorted(keys))
    except InvalidInput as exc:
        raise DataFileError(f"{defaults_path}: field followup.cadence: {exc}") from None
    return ShippedData(kinds=kinds, outcomes=outcomes, defaults=defaults)


@cache
def shipped() -> ShippedData:
    """The installed defaults, loaded once per process."""
    return load_shipped()
