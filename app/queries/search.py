"""Turns a reader's search words into claim and article hits grouped by event."""

from typing import Any

from sqlmodel import Session, select

from app import search as fts
from app.db import read_rows
from app.models import Event, Outlet
from app.queries.common import (
    EVENT_REF_COLUMNS,
    UNKNOWN_OUTLET,
    article_url,
    claim_url,
    event_ref,
)
from app.search.best import CANDIDATES

RESULT_LIMIT = 50


def search(session: Session, words: str, *, limit: int = RESULT_LIMIT) -> dict[str, Any]:
    claims = fts.search_claims(session, words, limit)
    articles = fts.search_articles(session, words, limit)
    outlets = dict(session.exec(select(Outlet.id, Outlet.name)).all())
    for claim in claims:
        outlet = outlets.get(claim.pop("outlet_id")) or UNKNOWN_OUTLET
        claim["outlet"] = outlet if claim["mention_id"] else None  # whose wording matched
        claim["url"] = claim_url(claim["id"])
    for article in articles:
        article["outlet"] = outlets.get(article.pop("outlet_id"))
        article["url"] = article_url(article["id"])
    return {
        "query": words,
        "limit": limit,  # a full list may leave more matches out
        "ranked_among": CANDIDATES,
        "claims": claims,
        "articles": articles,
        "groups": _groups(session, claims, articles),
    }


def _groups(session: Session, claims: list[dict], articles: list[dict]) -> list[dict[str, Any]]:
    """Hits by event, in the order of each event's best hit; hits without an event last."""
    order: list[int | None] = []
    hits: dict[int | None, dict[str, list]] = {}
    for key, items in (("claims", claims), ("articles", articles)):
        for item in items:
            event_id = item["event_id"]
            if event_id not in hits:
                order.append(event_id)
                hits[event_id] = {"claims": [], "articles": []}
            hits[event_id][key].append(item)
    ids = [event_id for event_id in order if event_id is not None]
    rows = read_rows(session, select(*EVENT_REF_COLUMNS).where(Event.id.in_(ids)))
    events = {event.id: event for event in rows}
    order.sort(key=lambda event_id: event_id is None)
    return [{"event": event_ref(events.get(event_id)), **hits[event_id]} for event_id in order]
