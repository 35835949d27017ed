"""The one API through which the CLI and the TUI read and write a rep's data.

Each method is one unit of work in one short session; writes commit before the method
returns, so anything the caller reports as saved is on disk. Methods validate their
input against the shipped kinds, outcomes and settings and raise ``InvalidInput`` with
the valid choices, so nothing half-checked reaches the database.

The methods are grouped by what they hold, one module each (actions, prospects,
follow-ups, planning, wins, blocks, figures, reviews), on a common base (engine, clock,
settings, calendar); ``Store`` puts them together.
"""

from __future__ import annotations

from prospector.store.actions import ActionsMixin
from prospector.store.base import DAY_OFF_REASONS, DEFAULTS_FROM, MAX_COUNT, SOURCES, STAGES
from prospector.store.blocks import BlocksMixin
from prospector.store.figures import FiguresMixin
from prospector.store.followups import FollowUpsMixin
from prospector.store.planning import PlanningMixin
from prospector.store.prospects import ProspectsMixin
from prospector.store.reviews import ReviewsMixin
from prospector.store.wins import WinsMixin, parse_amount

__all__ = [
    "DAY_OFF_REASONS",
    "DEFAULTS_FROM",
    "MAX_COUNT",
    "SOURCES",
    "STAGES",
    "Store",
    "parse_amount",
]


class Store(
    ActionsMixin,
    FollowUpsMixin,
    ProspectsMixin,
    PlanningMixin,
    BlocksMixin,
    FiguresMixin,
    WinsMixin,
    ReviewsMixin,
):
    """A rep's database: actions, prospects, targets, wins, blocks, days off, settings."""
