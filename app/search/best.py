"""Turns a backend's scored claim hits into one row per live claim, best first: the SQL both
full-text backends end their claim query with."""

# A claim matches by its reference text or speaker, or by any outlet's sentence reporting it;
# each claim appears once, with its best-scoring text highlighted (its own on a tie). `hits`
# (claim_id, mention_id or NULL, marked, score: lower is better) is the backend's own CTE.
BEST_HIT_PER_CLAIM = """
    best AS (
        SELECT hits.*, row_number() OVER (
            PARTITION BY claim_id ORDER BY score, mention_id IS NOT NULL, mention_id
        ) AS place
        FROM hits
    )
    SELECT c.id, c.event_id, c.kind, c.speaker, c.outlet_count, best.marked,
           best.mention_id, a.outlet_id
    FROM best
    JOIN claim AS c ON c.id = best.claim_id
    LEFT JOIN mention AS m ON m.id = best.mention_id
    LEFT JOIN article AS a ON a.id = m.article_id
    WHERE best.place = 1 AND c.merged_into_id IS NULL AND c.removed_at IS NULL
    ORDER BY best.score, c.id
    LIMIT :limit
"""
