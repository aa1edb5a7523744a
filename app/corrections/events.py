"""Admin event corrections: an article moved to another event, an event split in two, two merged,
an event re-aligned; the events an admin most likely moves an article to or merges an event with.

Every article an admin places is locked (`Article.event_locked`): automatic runs leave it there.
"""

from sqlmodel import Session, select

from app.ingest import align
from app.ingest.events import (
    absorb_event,
    link_storyline,
    ranked_matches,
    rebuild_event,
    retire_event,
    texts,
)
from app.models import Article, Event

LIKELY_SHOWN = 10  # the likely events a move or merge picker offers before any search


def move_article(session: Session, article_id: int, event_id: int) -> None:
    """Put the article in the event and lock it there; both events are re-described."""
    article = session.get(Article, article_id)
    if article is None:
        raise LookupError(f"no article {article_id}")
    target = _live_event(session, event_id)
    source_id = article.event_id
    _place(session, [article], target.id, "moved by an admin")
    if source_id is None or source_id == target.id:
        refresh_events(session, [target.id])
        return
    if not session.exec(select(Article.id).where(Article.event_id == source_id)).first():
        retire_event(session, source_id, target.id)
    refresh_events(session, [target.id, source_id])


def split_event(session: Session, event_id: int, article_ids: list[int]) -> int:
    """Move the given articles of the event into a new event; returns the new event's id.

    The articles left behind are locked too: the admin has said where each belongs."""
    _live_event(session, event_id)
    articles = session.exec(select(Article).where(Article.event_id == event_id)).all()
    chosen = [a for a in articles if a.id in set(article_ids)]
    if len(chosen) != len(set(article_ids)):
        raise ValueError(f"not all of articles {sorted(article_ids)} belong to event {event_id}")
    if not chosen or len(chosen) == len(articles):
        raise ValueError("a split needs some, but not all, of the event's articles")
    new_event = Event()
    session.add(new_event)
    session.flush()
    _place(session, chosen, new_event.id, "split off by an admin")
    _place(
        session, [a for a in articles if a not in chosen], event_id, "kept by an admin in a split"
    )
    refresh_events(session, [event_id, new_event.id])
    link_storyline(session, new_event)
    return new_event.id


def merge_events(session: Session, keep_id: int, absorb_id: int) -> None:
    """Move every article of the absorbed event into the kept one; the absorbed event redirects."""
    if keep_id == absorb_id:
        raise ValueError("an event cannot be merged into itself")
    _live_event(session, keep_id)
    _live_event(session, absorb_id)
    absorb_event(
        session, keep_id, absorb_id, f"merged by an admin from event {absorb_id}", lock=True
    )
    align.realign_event(session, keep_id)


def realign_event(session: Session, event_id: int) -> None:
    """Re-run alignment over the event's mentions, as ingest would (after a fix elsewhere)."""
    if session.get(Event, event_id) is None:
        raise LookupError(f"no event {event_id}")
    align.realign_event(session, event_id)


def likely_moves(session: Session, article_id: int) -> list[int]:
    """The other events the article would most likely join, as the event scorer ranks its
    candidates for it now (key and term index lookups: never a scan of the events)."""
    article = session.get(Article, article_id)
    if article is None:
        raise LookupError(f"no article {article_id}")
    ranked = [m.event_id for m in ranked_matches(session, article)]
    return [event_id for event_id in ranked if event_id != article.event_id][:LIKELY_SHOWN]


def likely_merges(session: Session, event_id: int) -> list[int]:
    """The other events sharing the event's heaviest words (the term index consolidation reads),
    the most alike in words (cosine of the text profiles) first."""
    profile = texts.unit(texts.load_text_profile(session, event_id))
    others = [other for other in texts.text_candidates(session, profile) if other != event_id]
    cosines = texts.text_similarities(session, profile, others)
    return sorted(others, key=lambda other: (-cosines[other], other))[:LIKELY_SHOWN]


def _live_event(session: Session, event_id: int) -> Event:
    event = session.get(Event, event_id)
    if event is None:
        raise LookupError(f"no event {event_id}")
    if event.merged_into_id is not None:
        raise ValueError(f"event {event_id} was merged into event {event.merged_into_id}")
    return event


def _place(session: Session, articles: list[Article], event_id: int, reason: str) -> None:
    for article in articles:
        article.event_id = event_id
        article.event_locked = True
        article.event_score = None
        article.event_reason = reason
        session.add(article)
    session.flush()


def refresh_events(session: Session, event_ids: list[int]) -> None:
    """Re-key and re-describe the events that still hold articles, then re-align the claims of
    all of them (after a correction moved or removed articles)."""
    for event_id in event_ids:
        if session.get(Event, event_id).merged_into_id is None:
            rebuild_event(session, event_id)
    for event_id in event_ids:
        align.realign_event(session, event_id)
