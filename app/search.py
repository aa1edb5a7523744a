"""Turns a reader's search words into ranked, highlighted claim and article hits (SQLite FTS5).

The only SQLite-only module. The `search_claim` and `search_article` FTS5 tables (migration 0002)
index `claim.text/speaker` and `article.title/clean_text`, and `search_mention` (migration 0003)
each outlet's own sentence `mention.text`, so a claim is found by any outlet's wording; triggers
keep them in step with every insert, update and delete, so no other module has to call anything
here to stay searchable.
"""

import re
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

HIT_START = "\x02"
HIT_END = "\x03"
WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 12

# A claim matches by its reference text or speaker, or by any outlet's sentence reporting it;
# each claim appears once, with its best-scoring text highlighted (its own on a tie).
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


def match_expression(words: str) -> str | None:
    """Each word quoted (so FTS5 syntax in the input is just text), all required; the last is a
    prefix, so results appear while typing. None when the input has no word at all."""
    terms = WORD.findall(words)[:MAX_TERMS]
    if not terms:
        return None
    quoted = [f'"{term}"' for term in terms]
    quoted[-1] += "*"
    return " ".join(quoted)


def segments(marked: str | None) -> list[dict[str, Any]]:
    """Highlighted text as [{"text", "hit"}] parts, so templates escape it and mark hits safely."""
    parts: list[dict[str, Any]] = []
    for chunk in (marked or "").split(HIT_START):
        hit, sep, rest = chunk.partition(HIT_END)
        if sep:
            parts.append({"text": hit, "hit": True})
            chunk = rest
        if chunk:
            parts.append({"text": chunk, "hit": False})
    return parts


def plain(marked: str | None) -> str:
    return (marked or "").replace(HIT_START, "").replace(HIT_END, "")


def search_claims(session: Session, words: str, limit: int = 50) -> list[dict[str, Any]]:
    query = match_expression(words)
    if query is None:
        return []
    rows = session.connection().execute(
        CLAIM_HITS, {"query": query, "start": HIT_START, "end": HIT_END, "limit": limit}
    )
    return [
        {
            "id": row.id,
            "event_id": row.event_id,
            "kind": row.kind,
            "speaker": row.speaker,
            "outlet_count": row.outlet_count,
            "mention_id": row.mention_id,  # the outlet's sentence that matched, if not the claim
            "outlet_id": row.outlet_id,
            "text": plain(row.marked),
            "highlighted": segments(row.marked),
        }
        for row in rows
    ]


def search_articles(session: Session, words: str, limit: int = 50) -> list[dict[str, Any]]:
    query = match_expression(words)
    if query is None:
        return []
    rows = session.connection().execute(
        ARTICLE_HITS, {"query": query, "start": HIT_START, "end": HIT_END, "limit": limit}
    )
    return [
        {
            "id": row.id,
            "event_id": row.event_id,
            "outlet_id": row.outlet_id,
            "title": plain(row.marked_title),
            "highlighted_title": segments(row.marked_title),
            "snippet": plain(row.marked_snippet),
            "highlighted_snippet": segments(row.marked_snippet),
        }
        for row in rows
    ]
