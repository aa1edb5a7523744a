"""event_terms: each event's weighted text profile, and words' document frequencies

Revision ID: 0014
Revises: 0016
Create Date: 2026-11-30 15:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0014"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "event_term",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("term", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id", "term"),
    )
    with op.batch_alter_table("event_term") as batch:
        batch.create_index(batch.f("ix_event_term_term"), ["term"], unique=False)
    op.create_table(
        "term_count",
        sa.Column("term", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("term"),
    )


def downgrade() -> None:
    op.drop_table("term_count")
    with op.batch_alter_table("event_term") as batch:
        batch.drop_index(batch.f("ix_event_term_term"))
    op.drop_table("event_term")
