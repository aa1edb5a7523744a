"""Turns a reader's search words into ranked, highlighted claim and article hits, through the
full-text backend of the session's database: `sqlite` (FTS5) or `postgres` (tsvector, GIN).

Both backends take the same words (at most MAX_TERMS `\\w+` runs of the input, so no query syntax
of either engine survives), require every word, treat the last as a prefix (results appear while
typing), stem (Porter), fold accents, rank claim text above speaker and title above body, and
mark hits the same way (`highlight`); both rank only the newest `best.CANDIDATES` matches of each
index (claims, outlets' sentences, articles). Their indexes are kept in step by the database
itself (FTS5 triggers, generated tsvector columns), so no other module calls anything here to
stay searchable; these are the only modules that hold dialect-specific SQL.
"""

import re
from typing import Any

from sqlmodel import Session

from app.search import postgres, sqlite
from app.search.highlight import plain, segments

WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 12
# Each backend: CLAIM_HITS and ARTICLE_HITS statements with the same result columns, and
# parameters(terms, limit) for them.
BACKENDS = {"sqlite": sqlite, "postgresql": postgres}


def search_terms(words: str) -> list[str]:
    """The words searched for: runs of letters and digits, in order; empty when there are none."""
    return WORD.findall(words)[:MAX_TERMS]


def search_claims(session: Session, words: str, limit: int = 50) -> list[dict[str, Any]]:
    terms = search_terms(words)
    if not terms:
        return []
    backend = BACKENDS[session.connection().dialect.name]
    rows = session.connection().execute(backend.CLAIM_HITS, backend.parameters(terms, limit))
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
    terms = search_terms(words)
    if not terms:
        return []
    backend = BACKENDS[session.connection().dialect.name]
    rows = session.connection().execute(backend.ARTICLE_HITS, backend.parameters(terms, limit))
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
