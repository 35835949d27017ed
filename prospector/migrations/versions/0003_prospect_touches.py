"""Each prospect's touches summed up in ``prospect_touches``, kept by triggers.

Up to 0002 every list of prospects grouped the whole ``action`` table to count each
prospect's touches and find its last one, and limbo ranked every conversation ever
logged: reads that grew with the history. This revision keeps one row per touched
prospect (count, last touch, latest next-step date set, latest open conversation,
latest step or stop, meetings), written by triggers inside the transaction that writes
the action, so every path (log, undo, import, resolution, a later migration that moves
actions) keeps it equal to a recount; ``prospector db check`` checks that it is.

The outcomes are named here as the shipped ``data/outcomes.toml`` defines them in this
revision: a conversation leaves a prospect in limbo; a next step, a meeting, a referral
or a stop settles it. A test keeps the two lists equal; a change of outcomes is a new
migration that rebuilds the triggers and the rows.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 03:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = ("conversation",)
"""Outcomes that leave a conversation open: resolution "limbo"."""
SETTLING = ("next_step", "meeting", "referral", "stop")
"""Outcomes that settle one: resolution "step" or "stop"."""
MEETING = ("meeting",)


def _in(outcomes: Sequence[str], column: str) -> str:
    return f"{column} IN ({', '.join(repr(o) for o in outcomes)})"


def _latest(of: str, outcomes: Sequence[str], field: str) -> str:
    """The ``field`` of the latest (by instant, then id) touch of prospect ``of`` with
    one of ``outcomes``."""
    return (
        f"(SELECT c.{field} FROM action c WHERE c.prospect_id = {of} "
        f"AND {_in(outcomes, 'c.outcome')} ORDER BY c.at DESC, c.id DESC LIMIT 1)"
    )


COLUMNS = (
    "prospect_id, touches, last_on, last_at, planned_at, conversation_id, conversation_at, "
    "settled_id, settled_at, meetings"
)


def recount(where: str) -> str:
    """Rows of ``prospect_touches`` recounted from the actions of the prospects ``where``
    selects (a condition on ``a.prospect_id``)."""
    return f"""
    INSERT INTO prospect_touches ({COLUMNS})
    SELECT a.prospect_id, count(*), max(a.local_date), max(a.at),
           max(CASE WHEN a.next_step_on IS NOT NULL THEN a.at END),
           {_latest("a.prospect_id", OPEN, "id")}, {_latest("a.prospect_id", OPEN, "at")},
           {_latest("a.prospect_id", SETTLING, "id")}, {_latest("a.prospect_id", SETTLING, "at")},
           sum({_in(MEETING, "a.outcome")})
    FROM action a WHERE {where} GROUP BY a.prospect_id
    """


def _later(kind: str) -> str:
    """Whether the new touch is a later ``kind`` (conversation or settled) than the one
    the row holds: by instant, then by id, as the recount orders them."""
    return (
        f"excluded.{kind}_id IS NOT NULL AND ({kind}_id IS NULL "
        f"OR excluded.{kind}_at > {kind}_at "
        f"OR (excluded.{kind}_at = {kind}_at AND excluded.{kind}_id > {kind}_id))"
    )


TRIGGERS = (
    f"""
    CREATE TRIGGER prospect_touches_insert AFTER INSERT ON action
    WHEN NEW.prospect_id IS NOT NULL BEGIN
        INSERT INTO prospect_touches ({COLUMNS})
        VALUES (
            NEW.prospect_id, 1, NEW.local_date, NEW.at,
            CASE WHEN NEW.next_step_on IS NOT NULL THEN NEW.at END,
            CASE WHEN {_in(OPEN, "NEW.outcome")} THEN NEW.id END,
            CASE WHEN {_in(OPEN, "NEW.outcome")} THEN NEW.at END,
            CASE WHEN {_in(SETTLING, "NEW.outcome")} THEN NEW.id END,
            CASE WHEN {_in(SETTLING, "NEW.outcome")} THEN NEW.at END,
            {_in(MEETING, "NEW.outcome")}
        )
        ON CONFLICT (prospect_id) DO UPDATE SET
            touches = touches + 1,
            last_on = max(last_on, excluded.last_on),
            last_at = max(last_at, excluded.last_at),
            planned_at = CASE
                WHEN excluded.planned_at IS NOT NULL
                     AND (planned_at IS NULL OR excluded.planned_at > planned_at)
                THEN excluded.planned_at ELSE planned_at END,
            conversation_id = CASE WHEN {_later("conversation")}
                THEN excluded.conversation_id ELSE conversation_id END,
            conversation_at = CASE WHEN {_later("conversation")}
                THEN excluded.conversation_at ELSE conversation_at END,
            settled_id = CASE WHEN {_later("settled")}
                THEN excluded.settled_id ELSE settled_id END,
            settled_at = CASE WHEN {_later("settled")}
                THEN excluded.settled_at ELSE settled_at END,
            meetings = meetings + excluded.meetings;
    END
    """,
    f"""
    CREATE TRIGGER prospect_touches_delete AFTER DELETE ON action
    WHEN OLD.prospect_id IS NOT NULL BEGIN
        DELETE FROM prospect_touches WHERE prospect_id = OLD.prospect_id;
        {recount("a.prospect_id = OLD.prospect_id")};
    END
    """,
    f"""
    CREATE TRIGGER prospect_touches_update
    AFTER UPDATE OF prospect_id, at, local_date, outcome, next_step_on ON action BEGIN
        DELETE FROM prospect_touches WHERE prospect_id IN (OLD.prospect_id, NEW.prospect_id);
        {recount("a.prospect_id IN (OLD.prospect_id, NEW.prospect_id)")};
    END
    """,
)


def upgrade() -> None:
    op.create_table(
        "prospect_touches",
        sa.Column("prospect_id", sa.Integer(), nullable=False),
        sa.Column("touches", sa.Integer(), nullable=False),
        sa.Column("last_on", sa.Date(), nullable=False),
        sa.Column("last_at", sa.String(length=27), nullable=False),
        sa.Column("planned_at", sa.String(length=27), nullable=True),
        sa.Column("conversation_id", sa.Integer(), nullable=True),
        sa.Column("conversation_at", sa.String(length=27), nullable=True),
        sa.Column("settled_id", sa.Integer(), nullable=True),
        sa.Column("settled_at", sa.String(length=27), nullable=True),
        sa.Column("meetings", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["prospect_id"], ["prospect.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("prospect_id"),
    )
    op.execute(recount("a.prospect_id IS NOT NULL"))
    for statement in TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    for name in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS prospect_touches_{name}")
    op.drop_table("prospect_touches")
