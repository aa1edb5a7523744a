"""Turns search terms into claim and article rows with highlighted text, over PostgreSQL's
full-text search.

`claim`, `article` and `mention` each carry a generated `search_vector` column with a GIN index
(migrations 0002 and 0003), built with the `parallax_search` configuration (accents folded,
Porter stems, no stop words: FTS5's `porter unicode61 remove_diacritics 2`). Weights stand in for
bm25's column weights: claim text A : speaker B (4 : 1), title A : body B (5 : 1), an outlet's
sentence A like the claim's own text. `ts_headline` marks hits with the same markers as FTS5.
"""

from typing import Any

from sqlalchemy import text

from app.search.best import best_hit_per_claim
from app.search.highlight import HIT_END, HIT_START

MARKS = f'StartSel="{HIT_START}", StopSel="{HIT_END}"'
WHOLE_TEXT = f"{MARKS}, HighlightAll=true"
SNIPPET = f"{MARKS}, MaxWords=24, MinWords=12, ShortWord=0"

# The score is ts_rank negated: lower is better, as bm25 on SQLite.
CLAIM_HITS = text(
    """
    WITH query AS (SELECT to_tsquery('parallax_search', :query) AS q),
    hits AS (
        SELECT c.id AS claim_id, CAST(NULL AS integer) AS mention_id,
               -ts_rank(CAST('{0.1, 0.1, 0.25, 1}' AS float4[]), c.search_vector, query.q) AS score
        FROM claim AS c, query
        WHERE c.search_vector @@ query.q
        UNION ALL
        SELECT m.claim_id, m.id,
               -ts_rank(CAST('{0.1, 0.1, 0.25, 1}' AS float4[]), m.search_vector, query.q)
        FROM mention AS m, query
        WHERE m.search_vector @@ query.q AND m.claim_id IS NOT NULL
    ),
    """
    + best_hit_per_claim(
        "ts_headline('parallax_search', COALESCE(m.text, c.text), (SELECT q FROM query), :whole)"
    )
)

ARTICLE_HITS = text(
    """
    WITH query AS (SELECT to_tsquery('parallax_search', :query) AS q)
    SELECT a.id, a.event_id, a.outlet_id,
           ts_headline('parallax_search', a.title, query.q, :whole) AS marked_title,
           ts_headline('parallax_search', a.clean_text, query.q, :snippet) AS marked_snippet
    FROM article AS a, query
    WHERE a.search_vector @@ query.q
    ORDER BY ts_rank(CAST('{0.1, 0.1, 0.2, 1}' AS float4[]), a.search_vector, query.q) DESC, a.id
    LIMIT :limit
    """
)


def tsquery_text(terms: list[str]) -> str:
    """Each term a quoted lexeme (so tsquery operators in it are just text), all required (&);
    the last is a prefix (:*). The configuration stems and folds each one, as it did the text."""
    quoted = ["'" + term.replace("\\", "\\\\").replace("'", "''") + "'" for term in terms]
    quoted[-1] += ":*"
    return " & ".join(quoted)


def parameters(terms: list[str], limit: int) -> dict[str, Any]:
    return {"query": tsquery_text(terms), "whole": WHOLE_TEXT, "snippet": SNIPPET, "limit": limit}
