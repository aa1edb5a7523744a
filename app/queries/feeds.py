"""Feeds with their poll state and item counts, and the push API's tokens, for the admin and CLI."""

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from app.models import ApiToken, Feed, FeedItem
from app.queries.admin import stamp


def feed_list(session: Session) -> dict[str, Any]:
    feeds = session.exec(select(Feed).order_by(Feed.id)).all()
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = session.exec(
        select(FeedItem.feed_id, FeedItem.status, func.count(FeedItem.id)).group_by(
            FeedItem.feed_id, FeedItem.status
        )
    ).all()
    for feed_id, status, count in rows:
        counts[feed_id][status] = count
    return {
        "feeds": [
            {
                "id": feed.id,
                "url": feed.url,
                "outlet": feed.outlet,
                "kind": feed.kind,
                "title": feed.title,
                "allow_private": feed.allow_private,
                "interval_minutes": feed.interval_minutes,
                "last_polled_at": optional_stamp(feed.last_polled_at),
                "last_success_at": optional_stamp(feed.last_success_at),
                "next_poll_at": optional_stamp(feed.next_poll_at),
                "last_error": feed.last_error,
                "error_count": feed.error_count,
                "items": dict(sorted(counts[feed.id].items())),
                "stored": counts[feed.id].get("stored", 0),
            }
            for feed in feeds
        ]
    }


def token_list(session: Session) -> dict[str, Any]:
    tokens = session.exec(select(ApiToken).order_by(ApiToken.id.desc())).all()
    return {
        "tokens": [
            {
                "id": token.id,
                "name": token.name,
                "scope": token.scope,
                "created_by": token.created_by,
                "created_at": optional_stamp(token.created_at),
                "last_used_at": optional_stamp(token.last_used_at),
                "revoked_at": optional_stamp(token.revoked_at),
            }
            for token in tokens
        ]
    }


def optional_stamp(moment: datetime | None) -> str | None:
    return stamp(moment) if moment else None
