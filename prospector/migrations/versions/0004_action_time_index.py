"""Actions indexed by their instant: an export reads the history in time order.

Up to 0003 an export sorted the ids of every action it wrote. SQLite keeps that sort
in memory (the bundled library keeps temporary tables there), so the export's memory
grew with the history: 66 MB at 10,000 actions, 140 MB at a million. With the actions
indexed by instant (the index orders ties by id, as the export does), the rows stream
out in order and the memory stays the same at any size.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 03:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_action_at", "action", ["at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_action_at", table_name="action")
