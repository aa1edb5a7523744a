"""Turns an article id into its clean text split into plain parts and highlighted claims (the
ones other outlets also carry), the headline given once."""

import json
from typing import Any

from sqlmodel import Session, select

from app.models import Article, Claim, Event, Mention, Outlet
from app.queries.common import (
    UNKNOWN_OUTLET,
    NotFound,
    article_url,
    claim_url,
    event_ref,
    published_label,
    source_link,
)
from app.queries.labels import KIND_LABELS


def article_detail(session: Session, article_id: int) -> dict[str, Any]:
    """Raises NotFound."""
    article = session.get(Article, article_id)
    if article is None:
        raise NotFound(article_id)
    outlet = session.get(Outlet, article.outlet_id) if article.outlet_id else None
    event = session.get(Event, article.event_id) if article.event_id else None
    mentions = session.exec(
        select(Mention, Claim.removed_at, Claim.outlet_count)
        .join(Claim, Claim.id == Mention.claim_id)
        .where(Mention.article_id == article.id)
        .order_by(Mention.start, Mention.end)
    ).all()
    shared = [
        (mention, outlet_count)
        for mention, removed_at, outlet_count in mentions
        if removed_at is None and outlet_count > 1
    ]
    title = article.title or "Untitled article"
    return {
        "id": article.id,
        "outlet": outlet.name if outlet else UNKNOWN_OUTLET,
        "title": title,
        "url": article_url(article.id),
        "source_url": source_link(article.url),
        "published_at": article.published_at,
        "published_label": published_label(
            article.published_at, article.date_precision, article.published_offset
        ),
        "dateline": article.dateline,
        "event_id": article.event_id,
        "event": event_ref(event),
        "text": article.clean_text,
        "segments": segments(article.clean_text, shared, _body_start(article.clean_text, title)),
        "shared_claim_count": len(shared),
        "removed_lines": _removed_lines(article.removed_lines),
    }


def segments(
    text: str, mentions: list[tuple[Mention, int]], body_start: int = 0
) -> list[dict[str, Any]]:
    """The text from `body_start` cut at mention spans: plain parts and claim parts with how many
    outlets carry the claim (overlaps keep the first)."""
    parts: list[dict[str, Any]] = []
    position = body_start
    for mention, outlet_count in mentions:
        start, end = max(mention.start, position), min(mention.end, len(text))
        if start >= end or mention.start < position:
            continue
        if start > position:
            parts.append({"text": text[position:start], "claim_id": None})
        parts.append(
            {
                "text": text[start:end],
                "claim_id": mention.claim_id,
                "mention_id": mention.id,
                "kind": mention.kind,
                "kind_label": KIND_LABELS.get(mention.kind, mention.kind.title()),
                "url": claim_url(mention.claim_id),
                "outlet_count": outlet_count,
            }
        )
        position = end
    if position < len(text):
        parts.append({"text": text[position:], "claim_id": None})
    return parts


def _body_start(text: str, title: str) -> int:
    """Where the text begins after its headline paragraph, which the page shows once, above."""
    first, _, _ = text.partition("\n\n")
    if first.strip() != title.strip():
        return 0
    position = len(first)
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _removed_lines(raw: str | None) -> list[str]:
    try:
        lines = json.loads(raw or "[]")
    except ValueError:
        return []
    return [str(line) for line in lines] if isinstance(lines, list) else []
