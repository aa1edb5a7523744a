"""Turns search terms into claim and article rows with highlighted text, over SQLite's FTS5.

The `search_claim` and `search_article` FTS5 tables (migration 0002) index `claim.text/speaker`
and `article.title/clean_text`, and `search_mention` (migration 0003) each outlet's own sentence
`mention.text`, so a claim is found by any outlet's wording; triggers keep them in step with every
insert, update and delete.
"""

from typing import Any

from sqlalchemy import text

from app.search.best import CANDIDATES, best_hit_per_claim
from app.search.highlight import HIT_END, HIT_START

# bm25: lower is better, scored only for the newest CANDIDATES matches of each index
# (`best.CANDIDATES`): FTS5 walks a match in rowid order, so ORDER BY rowid DESC with a LIMIT
# stops early and a common word does not score every row. FTS5 highlights a row only through a
# MATCH cursor on it, and looking a row up by rowid under MATCH walks the whole match again: the
# shown rows are marked in one more pass over the match, keeping only their rowids (`+rowid`: a
# filter, not a lookup per row).
CLAIM_HITS = text(
    f"""
    WITH claim_matches AS (
        SELECT search_claim.rowid AS claim_id, NULL AS mention_id,
               bm25(search_claim, 4.0, 1.0) AS score
        FROM search_claim
        JOIN claim AS c ON c.id = search_claim.rowid
        WHERE search_claim MATCH :query AND c.merged_into_id IS NULL AND c.removed_at IS NULL
        ORDER BY search_claim.rowid DESC
        LIMIT {CANDIDATES}
    ),
    mention_matches AS (
        SELECT m.claim_id, m.id AS mention_id, bm25(search_mention) AS score
        FROM search_mention
        JOIN mention AS m ON m.id = search_mention.rowid
        WHERE search_mention MATCH :query AND m.claim_id IS NOT NULL
        ORDER BY search_mention.rowid DESC
        LIMIT {CANDIDATES}
    ),
    hits AS (
        SELECT * FROM claim_matches
        UNION ALL
        SELECT * FROM mention_matches
    ),
    """
    + best_hit_per_claim(
        "coalesce(marked_mention.marked, marked_claim.marked)",
        marking_ctes=""",
    marked_claim AS MATERIALIZED (
        SELECT rowid AS claim_id, highlight(search_claim, 0, :start, :end) AS marked
        FROM search_claim
        WHERE search_claim MATCH :query
          AND +rowid IN (SELECT claim_id FROM shown WHERE mention_id IS NULL)
    ),
    marked_mention AS MATERIALIZED (
        SELECT rowid AS mention_id, highlight(search_mention, 0, :start, :end) AS marked
        FROM search_mention
        WHERE search_mention MATCH :query AND +rowid IN (SELECT mention_id FROM shown)
    )""",
        marking_joins="""LEFT JOIN marked_claim
        ON marked_claim.claim_id = c.id AND shown.mention_id IS NULL
    LEFT JOIN marked_mention ON marked_mention.mention_id = shown.mention_id""",
    )
)

ARTICLE_HITS = text(
    f"""
    WITH matches AS (
        SELECT rowid AS id, bm25(search_article, 5.0, 1.0) AS score
        FROM search_article
        WHERE search_article MATCH :query
        ORDER BY rowid DESC
        LIMIT {CANDIDATES}
    ),
    shown AS (
        SELECT id, score
        FROM matches
        ORDER BY score, id
        LIMIT :limit
    ),
    marked AS MATERIALIZED (
        SELECT rowid AS id,
               highlight(search_article, 0, :start, :end) AS marked_title,
               snippet(search_article, 1, :start, :end, '…', 24) AS marked_snippet
        FROM search_article
        WHERE search_article MATCH :query AND +rowid IN (SELECT id FROM shown)
    )
    SELECT a.id, a.event_id, a.outlet_id, marked.marked_title, marked.marked_snippet
    FROM shown
    JOIN marked ON marked.id = shown.id
    JOIN article AS a ON a.id = shown.id
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
