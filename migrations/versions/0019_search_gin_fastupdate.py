"""search_gin_fastupdate: PostgreSQL's full-text GIN indexes take each new row at once instead of
through a pending list (SQLite: nothing to change)

With GIN's `fastupdate` (the default) new rows wait in an unsorted pending list that every search
reads in full until a vacuum merges it: while an ingest writes, each search page scanned up to
`gin_pending_list_limit` (4 MB) of it and chose sequential scans. Off, an insert updates the index
itself (a little more work per ingested row) and searches stay index lookups.

Revision ID: 0019
Revises: 0015
Create Date: 2026-12-01 03:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0019"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = ("search_claim", "search_article", "search_mention")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for index in INDEXES:
        op.execute(f"ALTER INDEX {index} SET (fastupdate = off)")
        op.execute(f"SELECT gin_clean_pending_list('{index}'::regclass)")  # what waits already


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for index in INDEXES:
        op.execute(f"ALTER INDEX {index} RESET (fastupdate)")
