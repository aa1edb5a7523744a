"""reference_free_flags: stored claim flags keep only those that hold whatever the reference

Alignment used to store the quote-wording flag computed against a claim's first article; the panel
now computes it against the reader's chosen reference (app.compare), so stored copies would show
twice and keep the grid's "disputed" filter on a stale reading. Data only: no schema change.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 10:00:00
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REFERENCE_DEPENDENT = "quote_wording_differs"


def upgrade() -> None:
    bind = op.get_bind()
    claims = sa.table("claim", sa.column("id", sa.Integer), sa.column("flags", sa.String))
    rows = bind.execute(
        sa.select(claims.c.id, claims.c.flags).where(
            claims.c.flags.like(f"%{REFERENCE_DEPENDENT}%")
        )
    ).all()
    for claim_id, raw in rows:
        kept = [flag for flag in _flags(raw) if _kind(flag) != REFERENCE_DEPENDENT]
        bind.execute(
            claims.update()
            .where(claims.c.id == claim_id)
            .values(flags=json.dumps(kept, ensure_ascii=False))
        )


def downgrade() -> None:
    """Nothing to restore: re-aligning an event under the old code stores the flag again."""


def _flags(raw: str) -> list:
    try:
        flags = json.loads(raw)
    except ValueError:
        return []
    return flags if isinstance(flags, list) else []


def _kind(flag) -> str | None:
    return flag.get("kind") if isinstance(flag, dict) else None
