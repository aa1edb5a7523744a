"""event_version.changed: per event, the data version of the last write to the event's own rows

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("event_version") as batch:
        batch.add_column(sa.Column("changed", sa.BigInteger(), nullable=False, server_default="0"))
    op.execute("UPDATE event_version SET changed = version")


def downgrade() -> None:
    with op.batch_alter_table("event_version") as batch:
        batch.drop_column("changed")
