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

from app.search.best import CANDIDATES, best_hit_per_claim
from app.search.highlight import HIT_END, HIT_START

MARKS = f'StartSel="{HIT_START}", StopSel="{HIT_END}"'
WHOLE_TEXT = f"{MARKS}, HighlightAll=true"
SNIPPET = f"{MARKS}, MaxWords=24, MinWords=12, ShortWord=0"

# The score is ts_rank negated: lower is better, as bm25 on SQLite. The tsquery is a CTE, not a
# constant: the planner then always reads the matches through the GIN index (a constant's
# estimate can make it walk the primary key backwards through every row for a rare word), and
# ranks only the newest CANDIDATES matches of each table (`best.CANDIDATES`).
CLAIM_WEIGHTS = "CAST('{0.1, 0.1, 0.25, 1}' AS float4[])"
CLAIM_HITS = text(
    f"""
    WITH query AS (SELECT to_tsquery('parallax_search', :query) AS q),
    claim_matches AS (
        SELECT c.id, c.search_vector
        FROM claim AS c, query
        WHERE c.search_vector @@ query.q AND c.merged_into_id IS NULL AND c.removed_at IS NULL
        ORDER BY c.id DESC
        LIMIT {CANDIDATES}
    ),
    mention_matches AS (
        SELECT m.id, m.claim_id, m.search_vector
        FROM mention AS m, query
        WHERE m.search_vector @@ query.q AND m.claim_id IS NOT NULL
        ORDER BY m.id DESC
        LIMIT {CANDIDATES}
    ),
    hits AS (
        SELECT c.id AS claim_id, CAST(NULL AS integer) AS mention_id,
               -ts_rank({CLAIM_WEIGHTS}, c.search_vector, query.q) AS score
        FROM claim_matches AS c, query
        UNION ALL
        SELECT m.claim_id, m.id,
               -ts_rank({CLAIM_WEIGHTS}, m.search_vector, query.q)
        FROM mention_matches AS m, query
    ),
    """
    + best_hit_per_claim(
        "ts_headline('parallax_search', COALESCE(m.text, c.text), (SELECT q FROM query), :whole)"
    )
)

ARTICLE_HITS = text(
    f"""
    WITH query AS (SELECT to_tsquery('parallax_search', :query) AS q),
    matches AS (
        SELECT a.id, a.search_vector
        FROM article AS a, query
        WHERE a.search_vector @@ query.q
        ORDER BY a.id DESC
        LIMIT {CANDIDATES}
    ),
    shown AS (
        SELECT matches.id,
               ts_rank(CAST('{{0.1, 0.1, 0.2, 1}}' AS float4[]), matches.search_vector, query.q)
               AS rank
        FROM matches, query
        ORDER BY rank DESC, matches.id
        LIMIT :limit
    )
    SELECT a.id, a.event_id, a.outlet_id,
           ts_headline('parallax_search', a.title, query.q, :whole) AS marked_title,
           ts_headline('parallax_search', a.clean_text, query.q, :snippet) AS marked_snippet
    FROM shown
    JOIN article AS a ON a.id = shown.id, query
    ORDER BY shown.rank DESC, a.id
    """
)


def tsquery_text(terms: list[str]) -> str:
    """Each term a quoted lexeme (so tsquery operators in it are just text), all required (&);
    the last is a prefix (:*). The configuration stems and folds each one, as it did the text."""
    quoted = ["'" + term.replace("\\", "\\\\").replace("'", "''") + "'" for term in terms]
    quoted[-1] += ":*"
    return " & ".join(quoted)


def parameters(terms: list[str], limit: int) -> dict[str, Any]:
    return {
        "query": tsquery_text(terms),
        "whole": WHOLE_TEXT,
        "snippet": SNIPPET,
        "limit": limit,
    }
