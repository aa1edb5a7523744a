"""article_lines: the short non-story lines each article printed, so deleting an article or
changing its outlet takes them off its outlet's line counts

Existing articles get their lines from what they kept: the short paragraphs of their clean text,
and the removed lines their outlet counts (the page furniture taken out of them).

Revision ID: 0017
Revises: 0013
Create Date: 2026-11-30 16:00:00
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.ingest.repeats import line_hashes

revision: str = "0017"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "article_line",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("line_hash", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["article.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("article_id", "line_hash"),
    )
    bind = op.get_bind()
    counted = bind.execute(sa.text("SELECT outlet_id, line_hash FROM outlet_line")).all()
    outlet_lines = {(outlet_id, line_hash) for outlet_id, line_hash in counted}
    articles = bind.execute(
        sa.text("SELECT id, outlet_id, clean_text, removed_lines FROM article")
    ).all()
    table = sa.table("article_line", sa.column("article_id"), sa.column("line_hash"))
    for article_id, outlet_id, clean_text, removed_lines in articles:
        removed = line_hashes("\n\n".join(json.loads(removed_lines or "[]")))
        furniture = {digest for digest in removed if (outlet_id, digest) in outlet_lines}
        hashes = line_hashes(clean_text or "") | furniture
        if hashes:
            bind.execute(
                sa.insert(table), [{"article_id": article_id, "line_hash": h} for h in hashes]
            )


def downgrade() -> None:
    op.drop_table("article_line")
