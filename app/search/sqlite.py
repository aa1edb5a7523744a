"""Turns search terms into claim and article rows with highlighted text, over SQLite's FTS5.

The `search_claim` and `search_article` FTS5 tables (migration 0002) index `claim.text/speaker`
and `article.title/clean_text`, and `search_mention` (migration 0003) each outlet's own sentence
`mention.text`, so a claim is found by any outlet's wording; triggers keep them in step with every
insert, update and delete.
"""

from typing import Any

from sqlalchemy import text

from app.search.best import best_hit_per_claim
from app.search.highlight import HIT_END, HIT_START

# bm25: lower is better. FTS5 highlights a row only through a MATCH cursor on it: the rows shown
# are looked up again by rowid (CROSS JOIN keeps SQLite from scanning the match first).
CLAIM_HITS = text(
    """
    WITH hits AS (
        SELECT search_claim.rowid AS claim_id, NULL AS mention_id,
               bm25(search_claim, 4.0, 1.0) AS score
        FROM search_claim
        WHERE search_claim MATCH :query
        UNION ALL
        SELECT m.claim_id, m.id, bm25(search_mention)
        FROM search_mention
        JOIN mention AS m ON m.id = search_mention.rowid
        WHERE search_mention MATCH :query AND m.claim_id IS NOT NULL
    ),
    """
    + best_hit_per_claim(
        """CASE WHEN shown.mention_id IS NULL
            THEN (SELECT highlight(search_claim, 0, :start, :end) FROM search_claim
                  WHERE search_claim MATCH :query AND search_claim.rowid = c.id)
            ELSE (SELECT highlight(search_mention, 0, :start, :end) FROM search_mention
                  WHERE search_mention MATCH :query AND search_mention.rowid = shown.mention_id)
        END"""
    )
)

ARTICLE_HITS = text(
    """
    WITH shown AS (
        SELECT rowid AS id, bm25(search_article, 5.0, 1.0) AS score
        FROM search_article
        WHERE search_article MATCH :query
        ORDER BY score, rowid
        LIMIT :limit
    )
    SELECT a.id, a.event_id, a.outlet_id,
           highlight(search_article, 0, :start, :end) AS marked_title,
           snippet(search_article, 1, :start, :end, '…', 24) AS marked_snippet
    FROM shown
    CROSS JOIN search_article
    JOIN article AS a ON a.id = shown.id
    WHERE search_article MATCH :query AND search_article.rowid = shown.id
    ORDER BY shown.score, a.id
    """
)


def match_expression(terms: list[str]) -> str:
    """Each term quoted (so FTS5 syntax is just text), all required; the last is a prefix."""
    quoted = ['"' + term.replace('"', '""') + '"' for term in terms]
    quoted[-1] += "*"
    return " ".join(quoted)


def parameters(terms: list[str], limit: int) -> dict[str, Any]:
    return {"query": match_expression(terms), "start": HIT_START, "end": HIT_END, "limit": limit}
