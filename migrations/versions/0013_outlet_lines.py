"""outlet_lines: per outlet, how many articles printed each short non-story line (hashed)

Revision ID: 0013
Revises: 0011
Create Date: 2026-11-30 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outlet_line",
        sa.Column("outlet_id", sa.Integer(), nullable=False),
        sa.Column("line_hash", sa.BigInteger(), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["outlet_id"], ["outlet.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("outlet_id", "line_hash"),
    )


def downgrade() -> None:
    op.drop_table("outlet_line")
