"""Verbatim wording an article shares with events: the sampled 8-word shingles `copies` indexes."""

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from app.models import Article, ArticleShingle

# A shingle that articles of more events than this print is stock wording (a phrase of the beat,
# an outlet's sign-off), not a sentence of one incident's reporting.
COMMON_SHINGLE_EVENTS = 2

_mine = aliased(ArticleShingle)
_theirs = aliased(ArticleShingle)


def shared_wording(session: Session, article_id: int) -> Counter[int]:
    """How many of the article's sampled shingles each event's other articles print too,
    stock wording left out."""
    rows = session.execute(
        select(_theirs.hash, Article.event_id)
        .select_from(_mine)
        .join(_theirs, _theirs.hash == _mine.hash)
        .join(Article, Article.id == _theirs.article_id)
        .where(
            _mine.article_id == article_id,
            _theirs.article_id != article_id,
            Article.event_id.is_not(None),
        )
        .distinct()
    ).all()
    holders: dict[int, set[int]] = {}
    for shingle, event_id in rows:
        holders.setdefault(shingle, set()).add(event_id)
    return Counter(
        event_id
        for events in holders.values()
        if len(events) <= COMMON_SHINGLE_EVENTS
        for event_id in events
    )
