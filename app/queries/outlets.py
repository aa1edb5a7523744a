"""Turns an outlet id into its articles and record: first reports, wire copy, claims left out."""

from collections import defaultdict
from typing import Any

from sqlmodel import Session, select

from app.models import Article, Claim, Event, Mention, Outlet
from app.queries.common import (
    NotFound,
    article_url,
    event_ref,
    outlet_url,
    published_label,
    source_link,
)

ARTICLE_LIMIT = 200


def outlet_detail(session: Session, outlet_id: int) -> dict[str, Any]:
    """Raises NotFound."""
    outlet = session.get(Outlet, outlet_id)
    if outlet is None:
        raise NotFound(outlet_id)
    articles = session.exec(
        select(Article)
        .where(Article.outlet_id == outlet.id)
        .order_by(Article.published_at.desc().nulls_last(), Article.id.desc())
    ).all()
    event_ids = sorted({a.event_id for a in articles if a.event_id is not None})
    events = {
        event.id: event
        for event in session.exec(select(Event).where(Event.id.in_(event_ids))).all()
    }
    return {
        "id": outlet.id,
        "name": outlet.name,
        "url": outlet_url(outlet.id),
        "article_count": len(articles),
        "event_count": len(event_ids),
        "first_reports": _first_reports(session, outlet.id, event_ids),
        "wire_copies": sum(1 for article in articles if article.copy_of_id is not None),
        "left_out": _left_out(session, outlet.id, event_ids),
        "articles": [
            {
                "id": article.id,
                "title": article.title or "Untitled article",
                "url": article_url(article.id),
                "source_url": source_link(article.url),
                "published_at": article.published_at,
                "published_label": published_label(article.published_at, article.date_precision),
                "event": event_ref(events.get(article.event_id)),
            }
            for article in articles[:ARTICLE_LIMIT]
        ],
    }


def _first_reports(session: Session, outlet_id: int, event_ids: list[int]) -> int:
    """Events this outlet reported first, alone, among two or more outlets whose articles all
    carry a date known to the day (else who was first is not known)."""
    rows = session.exec(
        select(
            Article.event_id, Article.outlet_id, Article.published_at, Article.date_precision
        ).where(Article.event_id.in_(event_ids))
    ).all()
    by_event: dict[int, list] = defaultdict(list)
    for row in rows:
        by_event[row.event_id].append(row)
    count = 0
    for dated in by_event.values():
        if len({row.outlet_id for row in dated}) < 2:
            continue
        if any(row.published_at is None or row.date_precision != "day" for row in dated):
            continue
        earliest = min(row.published_at for row in dated)
        first = {row.outlet_id for row in dated if row.published_at == earliest}
        count += first == {outlet_id}
    return count


def _left_out(session: Session, outlet_id: int, event_ids: list[int]) -> int:
    """Claims that most of their event's other outlets carried and this outlet did not."""
    outlets_per_event = defaultdict(set)
    for event_id, other_id in session.exec(
        select(Article.event_id, Article.outlet_id).where(Article.event_id.in_(event_ids))
    ).all():
        outlets_per_event[event_id].add(other_id)
    carried = set(
        session.exec(
            select(Mention.claim_id)
            .join(Article, Article.id == Mention.article_id)
            .where(Article.outlet_id == outlet_id, Mention.claim_id.is_not(None))
        ).all()
    )
    claims = session.exec(
        select(Claim.id, Claim.event_id, Claim.outlet_count).where(
            Claim.event_id.in_(event_ids),
            Claim.merged_into_id.is_(None),
            Claim.removed_at.is_(None),
        )
    ).all()
    return sum(
        1
        for claim in claims
        if claim.id not in carried
        and 2 * claim.outlet_count > len(outlets_per_event[claim.event_id] - {outlet_id})
        and len(outlets_per_event[claim.event_id]) > 2
    )
