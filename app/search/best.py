"""Turns a backend's scored claim hits into one row per live claim, best first, with only the
rows shown highlighted: the SQL both full-text backends end their claim query with."""

# Each backend ranks only the newest CANDIDATES matches of each index (claims, outlets'
# sentences, articles), found through the index without scoring the rest: a common word matches
# thousands of sentences, and scoring them all made a search page cost as much as the rest of a
# reader's requests together. Early termination like a news search engine's: the best-scored
# hits among the most recent coverage. A word that matches fewer is ranked over all it matches.
CANDIDATES = 1000


def best_hit_per_claim(marked: str, marking_ctes: str = "", marking_joins: str = "") -> str:
    """A claim matches by its reference text or speaker, or by any outlet's sentence reporting
    it; each claim appears once, with its best-scoring text highlighted (its own on a tie).
    `hits` (claim_id, mention_id or NULL, score: lower is better) is the backend's own CTE, and
    `marked` its SQL expression of the highlighted text of `shown.mention_id` (when not NULL,
    joined as `m`) or of claim `c`, which may read CTEs of its own (`marking_ctes`, after `shown`)
    joined by `marking_joins`: highlighting is the costly part, so only the rows kept after LIMIT
    are highlighted, not every sentence that matched."""
    return f"""
    best AS (
        SELECT hits.*, row_number() OVER (
            PARTITION BY claim_id ORDER BY score, mention_id IS NOT NULL, mention_id
        ) AS place
        FROM hits
    ),
    shown AS (
        SELECT best.claim_id, best.mention_id, best.score
        FROM best
        JOIN claim AS c ON c.id = best.claim_id
        WHERE best.place = 1 AND c.merged_into_id IS NULL AND c.removed_at IS NULL
        ORDER BY best.score, c.id
        LIMIT :limit
    ){marking_ctes}
    SELECT c.id, c.event_id, c.kind, c.speaker, c.outlet_count, {marked} AS marked,
           shown.mention_id, a.outlet_id
    FROM shown
    JOIN claim AS c ON c.id = shown.claim_id
    LEFT JOIN mention AS m ON m.id = shown.mention_id
    LEFT JOIN article AS a ON a.id = m.article_id
    {marking_joins}
    ORDER BY shown.score, c.id
"""
