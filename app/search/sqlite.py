"""Turns search terms into claim and article rows with highlighted text, over SQLite's FTS5.

The `search_claim` and `search_article` FTS5 tables (migration 0002) index `claim.text/speaker`
and `article.title/clean_text`, and `search_mention` (migration 0003) each outlet's own sentence
`mention.text`, so a claim is found by any outlet's wording; triggers keep them in step with every
insert, update and delete.
"""

from typing import Any

from sqlalchemy import text

from app.search.best import BEST_HIT_PER_CLAIM
from app.search.highlight import HIT_END, HIT_START

# bm25: lower is better.
CLAIM_HITS = text(
    """
    WITH hits AS (
        SELECT search_claim.rowid AS claim_id, NULL AS mention_id,
               highlight(search_claim, 0, :start, :end) AS marked,
               bm25(search_claim, 4.0, 1.0) AS score
        FROM search_claim
        WHERE search_claim MATCH :query
        UNION ALL
        SELECT m.claim_id, m.id,
               highlight(search_mention, 0, :start, :end),
               bm25(search_mention)
        FROM search_mention
        JOIN mention AS m ON m.id = search_mention.rowid
        WHERE search_mention MATCH :query AND m.claim_id IS NOT NULL
    ),
    """
    + BEST_HIT_PER_CLAIM
)

ARTICLE_HITS = text(
    """
    SELECT a.id, a.event_id, a.outlet_id,
           highlight(search_article, 0, :start, :end) AS marked_title,
           snippet(search_article, 1, :start, :end, '…', 24) AS marked_snippet
    FROM search_article
    JOIN article AS a ON a.id = search_article.rowid
    WHERE search_article MATCH :query
    ORDER BY bm25(search_article, 5.0, 1.0), a.id
    LIMIT :limit
    """
)


def match_expression(terms: list[str]) -> str:
    """Each term quoted (so FTS5 syntax is just text), all required; the last is a prefix."""
    quoted = ['"' + term.replace('"', '""') + '"' for term in terms]
    quoted[-1] += "*"
    return " ".join(quoted)


def parameters(terms: list[str], limit: int) -> dict[str, Any]:
    return {"query": match_expression(terms), "start": HIT_START, "end": HIT_END, "limit": limit}
