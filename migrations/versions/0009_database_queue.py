"""database_queue: ingest jobs queued with their items and a worker heartbeat, sign-in attempts
counted in a table, so several web and ingest workers share them

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 12:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ingestjob", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "payload", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="{}"
            )
        )
        batch_op.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(
            sa.Column("heartbeat_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
    op.create_table(
        "signin_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("signin_attempt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signin_attempt_key"), ["key"], unique=False)
        batch_op.create_index(batch_op.f("ix_signin_attempt_at"), ["at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("signin_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signin_attempt_at"))
        batch_op.drop_index(batch_op.f("ix_signin_attempt_key"))
    op.drop_table("signin_attempt")
    with op.batch_alter_table("ingestjob", schema=None) as batch_op:
        batch_op.drop_column("heartbeat_at")
        batch_op.drop_column("attempts")
        batch_op.drop_column("payload")
