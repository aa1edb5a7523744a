"""Turns an admin's feed list changes (add, remove) into Feed rows, checked before they are kept."""

from sqlmodel import Session, select

from app.feeds.guard import Forbidden, check_url, host_of
from app.models import Feed
from app.urls import is_web_url

DEFAULT_INTERVAL_MINUTES = 30
MIN_INTERVAL_MINUTES = 5


def add_feed(
    session: Session,
    url: str,
    *,
    outlet: str | None = None,
    allow_private: bool = False,
    interval_minutes: int = DEFAULT_INTERVAL_MINUTES,
    added_by: str = "",
) -> Feed:
    """Raises ValueError for a URL that is no web address, already followed, or (unless allowed)
    on a private network; the feed is polled as soon as a poller runs."""
    url = url.strip()
    if not is_web_url(url):
        raise ValueError(f"not an http(s) address: {url[:200]!r}")
    if session.exec(select(Feed.id).where(Feed.url == url)).first() is not None:
        raise ValueError(f"this feed is already followed: {url}")
    if interval_minutes < MIN_INTERVAL_MINUTES:
        raise ValueError(f"poll at most every {MIN_INTERVAL_MINUTES} minutes")
    try:
        check_url(url, frozenset({host_of(url)}) if allow_private else frozenset())
    except Forbidden as error:
        raise ValueError(str(error)) from None
    feed = Feed(
        url=url,
        outlet=(outlet or "").strip() or None,
        allow_private=allow_private,
        interval_minutes=interval_minutes,
        added_by=added_by,
    )
    session.add(feed)
    session.flush()
    return feed


def remove_feed(session: Session, feed_id: int) -> str:
    """Removes the feed and its item records (articles it brought stay); returns its URL."""
    feed = session.get(Feed, feed_id)
    if feed is None:
        raise LookupError(f"there is no feed {feed_id}")
    session.delete(feed)
    return feed.url


def feed_url(session: Session, feed_id: int) -> str:
    """The followed feed's URL; LookupError when there is no such feed."""
    url = session.exec(select(Feed.url).where(Feed.id == feed_id)).first()
    if url is None:
        raise LookupError(f"there is no feed {feed_id}")
    return url
