"""flag_sentences: stored claim flags recomputed as reader sentences, with quote wording

Stored flags become sentences that say who has what ("NPR and The Guardian carry the same wire
text", "Not reported by AP"), and the reference-free "quote wording differs" flag is stored again
(any two outlets quoting the speaker in different words), so the grid's disagreement filter sees
claims whose only disagreement is quote wording. Data only: each live claim's flags are recomputed
from its mentions with app.flags, as alignment would store them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 12:00:00
"""

import json
from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.flags import reference_free_flags

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT m.claim_id, m.article_id, o.name, m.text, m.quote, m.speaker, m.numbers, "
            "m.wire_copy_of_id, c.event_id FROM mention m "
            "JOIN claim c ON c.id = m.claim_id JOIN article a ON a.id = m.article_id "
            "LEFT JOIN outlet o ON o.id = a.outlet_id "
            "WHERE c.merged_into_id IS NULL AND c.removed_at IS NULL "
            "ORDER BY m.claim_id, m.article_id, m.start"
        )
    ).all()
    covering = defaultdict(set)
    for event_id, name in bind.execute(
        sa.text(
            "SELECT a.event_id, o.name FROM article a JOIN outlet o ON o.id = a.outlet_id "
            "WHERE a.event_id IS NOT NULL"
        )
    ).all():
        covering[event_id].add(name)
    mentions, events = defaultdict(list), {}
    for row in rows:
        mentions[row.claim_id].append(
            {
                "article_id": row.article_id,
                "outlet": row.name,
                "text": row.text,
                "quote": row.quote,
                "speaker": row.speaker,
                "numbers": json.loads(row.numbers or "[]"),
                "wire_copy_of_id": row.wire_copy_of_id,
            }
        )
        events[row.claim_id] = row.event_id
    for claim_id, members in mentions.items():
        flags = reference_free_flags(members, sorted(covering.get(events[claim_id], ())))
        bind.execute(
            sa.text("UPDATE claim SET flags = :flags WHERE id = :id"),
            {"flags": json.dumps(flags, ensure_ascii=False), "id": claim_id},
        )


def downgrade() -> None:
    """Nothing to restore: re-aligning an event under the old code stores the old wording."""
