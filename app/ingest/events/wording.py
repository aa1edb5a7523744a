"""Verbatim wording an article shares with events: the sampled 8-word shingles `copies` indexes."""

from collections import Counter

from sqlalchemy import bindparam, select
from sqlmodel import Session

from app.models import Article, ArticleShingle

# A shingle that articles of more events than this print is stock wording (a phrase of the beat,
# an outlet's sign-off), not a sentence of one incident's reporting.
COMMON_SHINGLE_EVENTS = 2

_ARTICLE_SHINGLES = select(ArticleShingle.hash).where(
    ArticleShingle.article_id == bindparam("article_id")
)
# The events of other articles printing one shingle, one past COMMON_SHINGLE_EVENTS at most: a
# shingle thousands of articles print (a sign-off, a wire paragraph) is known common once three
# events are found, without reading every holder.
_EVENTS_PRINTING = (
    select(Article.event_id)
    .join(ArticleShingle, ArticleShingle.article_id == Article.id)
    .where(
        ArticleShingle.hash == bindparam("hash"),
        ArticleShingle.article_id != bindparam("article_id"),
        Article.event_id.is_not(None),
    )
    .distinct()
    .limit(COMMON_SHINGLE_EVENTS + 1)
)


def shared_wording(session: Session, article_id: int) -> Counter[int]:
    """How many of the article's sampled shingles each event's other articles print too,
    stock wording left out."""
    session.flush()  # events this transaction moved articles to count (queries below are Core)
    connection = session.connection()
    shared: Counter[int] = Counter()
    shingles = connection.execute(_ARTICLE_SHINGLES, {"article_id": article_id}).scalars().all()
    for shingle in shingles:
        parameters = {"hash": shingle, "article_id": article_id}
        printing = connection.execute(_EVENTS_PRINTING, parameters).scalars().all()
        if len(printing) <= COMMON_SHINGLE_EVENTS:
            shared.update(printing)
    return shared
