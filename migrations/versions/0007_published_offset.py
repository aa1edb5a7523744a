"""published_offset: the UTC offset an article's stated time carried, so its day is the outlet's

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 10:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.add_column(sa.Column("published_offset", sa.Integer(), nullable=True))


def downgrade() -> None:
    # SQLite drops the column in place: a batch rebuild of article would drop its search triggers.
    op.execute("ALTER TABLE article DROP COLUMN published_offset")
