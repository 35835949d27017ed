"""Prospect names match by one key: ``prospect.name_key``, unique; duplicates merged.

Up to 0001 a name was looked up with SQLite's ``lower()``, which folds only A-Z: "ÖZIL
GMBH" and "Özil GmbH", or "Café Noir" typed (NFC) and imported from a Mac (NFD), became
two prospects. This revision stores each name's key (whitespace collapsed, Unicode
NFC, casefolded) under a UNIQUE index, so the database itself refuses a second
prospect of the same name.

Prospects that already share a key are merged first, so that no touch is lost: the
oldest (by ``created_at``, then id) is kept, and every row pointing at another one
(actions, wins, any table with a foreign key to ``prospect.id``) is pointed at the
kept one. Its fields take what the others add, always the same way (``_merged``).
What was merged is handed to ``prospector.db.upgrade`` as a note the rep reads.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 23:50:00
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOTES = "prospector_notes"
"""The ``config.attributes`` list ``prospector.db.upgrade`` reads the rep's notes from."""

STAGE_RANK = {"new": 0, "contacted": 1, "engaged": 2, "meeting": 3, "lost": 4, "won": 5}
"""How far along a stage is; a merged prospect takes the furthest (a win is never undone)."""

_SPACE = re.compile(r"\s+")


def key_of(name: str) -> str:
    """The name key as this revision defines it, a copy of ``prospector.names.name_key``
    frozen here: a migration must give the same result whatever the code does later."""
    cleaned = _SPACE.sub(" ", unicodedata.normalize("NFC", name)).strip()
    return unicodedata.normalize("NFC", cleaned.casefold())


def upgrade() -> None:
    conn = op.get_bind()
    with op.batch_alter_table("prospect", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_key", sa.String(), nullable=True))

    rows = conn.execute(sa.text("SELECT * FROM prospect ORDER BY created_at, id")).mappings()
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(key_of(row["name"]), []).append(dict(row))
    notes = [_merge(conn, group) for group in groups.values() if len(group) > 1]
    if groups:
        conn.execute(
            sa.text("UPDATE prospect SET name_key = :key WHERE id = :id"),
            [{"key": key, "id": group[0]["id"]} for key, group in groups.items()],
        )

    with op.batch_alter_table("prospect", schema=None) as batch_op:
        batch_op.alter_column("name_key", existing_type=sa.String(), nullable=False)
        batch_op.create_index(batch_op.f("ix_prospect_name_key"), ["name_key"], unique=True)

    config = op.get_context().config
    if config is not None and notes:
        config.attributes.setdefault(NOTES, []).extend(notes)


def _references(conn: sa.Connection) -> list[tuple[str, str]]:
    """(table, column) of every foreign key to ``prospect.id``, read from the file."""
    tables = [
        name
        for (name,) in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return [
        (table, fk[3])
        for table in sorted(tables)
        for fk in conn.exec_driver_sql(f'PRAGMA foreign_key_list("{table}")')
        if fk[2] == "prospect"
    ]


def _merge(conn: sa.Connection, group: list[dict[str, Any]]) -> str:
    """Fold ``group`` (oldest first) into its first prospect; what was done, in words."""
    kept, others = group[0], group[1:]
    gone = ", ".join(str(int(row["id"])) for row in others)
    moved: dict[str, int] = {}
    for table, column in _references(conn):
        result = conn.exec_driver_sql(
            f'UPDATE "{table}" SET "{column}" = ? WHERE "{column}" IN ({gone})', (kept["id"],)
        )
        moved[table] = moved.get(table, 0) + max(result.rowcount, 0)
    latest_step = conn.exec_driver_sql(
        "SELECT next_step_on FROM action WHERE prospect_id = ? AND next_step_on IS NOT NULL "
        "ORDER BY at DESC, id DESC LIMIT 1",
        (kept["id"],),
    ).scalar()
    conn.execute(
        sa.text(
            "UPDATE prospect SET company = :company, source = :source, stage = :stage, "
            "existing_customer = :existing_customer, est_value = :est_value, "
            "stopped = :stopped, next_touch_on = :next_touch_on, note = :note WHERE id = :id"
        ),
        {**_merged(group, latest_step), "id": kept["id"]},
    )
    conn.exec_driver_sql(f"DELETE FROM prospect WHERE id IN ({gone})")
    names = ", ".join(f"{row['name']!r} (id {row['id']})" for row in others)
    text = (
        f"Merged {len(group)} prospects whose names differ only in case, spacing or "
        f"accent encoding: {kept['name']!r} (kept, id {kept['id']}) ← {names}"
    )
    what = [_count(n, table) for table, n in sorted(moved.items()) if n]
    if what:
        text += f"; {' and '.join(what)} now belong to {kept['name']!r}"
    return text + "."


def _count(n: int, table: str) -> str:
    one, many = {"action": ("touch", "touches"), "win": ("win", "wins")}.get(
        table, (f"{table} row", f"{table} rows")
    )
    return f"{n} {one if n == 1 else many}"


def _merged(group: list[dict[str, Any]], latest_step: object) -> dict[str, Any]:
    """The kept prospect's fields once the others are folded in, oldest first.

    The kept value stands unless it says nothing (an empty company, the default
    "cold" source, no estimated value), when the first other that says something
    gives it. The stage is the furthest along; existing customer and stopped hold if
    any said so (a stop logged on either is a stop, as undoing one would find). Of
    differing next-touch dates, the one the latest touch with a next step planned
    wins, else the earliest, so no follow-up is pushed back. Notes are all kept, each
    once, oldest first.
    """

    def first(column: str, empty: object) -> object:
        return next((r[column] for r in group if r[column] != empty), empty)

    dates = sorted({str(r["next_touch_on"]) for r in group if r["next_touch_on"] is not None})
    if str(latest_step) in dates:
        next_touch: str | None = str(latest_step)
    else:
        next_touch = dates[0] if dates else None
    notes: list[str] = []
    for row in group:
        note = (row["note"] or "").strip()
        if note and note not in notes:
            notes.append(note)
    stage = max(group, key=lambda r: STAGE_RANK.get(r["stage"], -1))["stage"]
    return {
        "company": first("company", ""),
        "source": first("source", "cold"),
        "stage": stage,
        "existing_customer": any(r["existing_customer"] for r in group),
        "est_value": first("est_value", None),
        "stopped": any(r["stopped"] for r in group),
        "next_touch_on": next_touch,
        "note": "\n\n".join(notes),
    }


def downgrade() -> None:
    with op.batch_alter_table("prospect", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prospect_name_key"))
        batch_op.drop_column("name_key")
