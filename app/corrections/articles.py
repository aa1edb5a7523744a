"""Admin corrections to one article: edited metadata, or the article deleted with its mentions."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import delete, update
from sqlmodel import Session, select

from app.corrections.events import refresh_events
from app.ingest import repeats
from app.ingest.align import realign_event
from app.ingest.events import forget_words, rebuild_event
from app.models import Article, Claim, Event, Mention, Outlet, utcnow

# Attention reasons (by how ingest words their start) that a value given for the field settles.
REASONS_SETTLED_BY = {
    "outlet": ("unknown outlet",),
    "published_at": ("unknown date", "date imprecise", "unreadable stated date"),
    "url": ("source URL dropped",),
}

# Edited fields that an event's keys, place and description are built from.
EVENT_KEY_FIELDS = {"title", "published_at", "dateline"}


@dataclass(frozen=True)
class ArticleEdit:
    outlet: str | None
    title: str | None
    published_at: date | None
    url: str | None
    dateline: str | None


def get_or_create_outlet(session: Session, name: str) -> Outlet:
    outlet = session.exec(select(Outlet).where(Outlet.name == name)).first()
    if outlet is None:
        outlet = Outlet(name=name)
        session.add(outlet)
        session.flush()
    return outlet


def outlet_name(session: Session, article: Article) -> str | None:
    outlet = session.get(Outlet, article.outlet_id) if article.outlet_id else None
    return outlet.name if outlet else None


def edit_article(session: Session, article_id: int, edit: ArticleEdit) -> dict[str, list]:
    """Applies the edit; returns {field: [old, new]} for the fields that changed."""
    article = _article(session, article_id)
    changes: dict[str, list] = {}

    old_outlet = outlet_name(session, article)
    if edit.outlet != old_outlet:
        new_outlet_id = get_or_create_outlet(session, edit.outlet).id if edit.outlet else None
        repeats.move_lines(session, article.id, article.outlet_id, new_outlet_id)
        article.outlet_id = new_outlet_id
        changes["outlet"] = [old_outlet, edit.outlet]

    old_date = article.published_day
    imprecise = article.date_precision not in (None, "day")
    if changes_date(edit.published_at, old_date, imprecise):
        article.published_at = (
            datetime.combine(edit.published_at, time(), tzinfo=UTC) if edit.published_at else None
        )
        article.date_precision = "day" if edit.published_at else None
        article.published_offset = None
        changes["published_at"] = [old_date, edit.published_at]

    for field in ("title", "url", "dateline"):
        new = getattr(edit, field)
        if getattr(article, field) != new:
            changes[field] = [getattr(article, field), new]
            setattr(article, field, new)

    settle_attention(article, edit)
    session.add(article)
    refresh_edited_event(session, article, changes)
    return changes


def refresh_edited_event(session: Session, article: Article, changes: dict[str, list]) -> None:
    """After an edit, the article's event is keyed and described from the corrected title and
    date (later articles are matched against them); an outlet change re-aligns the event, so its
    claims name the outlet and their "not reported by" flags follow."""
    if article.event_id is None:
        return
    session.flush()
    if changes.keys() & EVENT_KEY_FIELDS:
        rebuild_event(session, article.event_id)
    if "outlet" in changes:
        realign_event(session, article.event_id)


def _article(session: Session, article_id: int) -> Article:
    article = session.get(Article, article_id)
    if article is None:
        raise LookupError(f"no article {article_id}")
    return article


def changes_date(given: date | None, old: date | None, imprecise: bool) -> bool:
    """A day given replaces a different or imprecise date; no day given clears a day date but
    keeps a year- or month-only one (the form has no day to show for it)."""
    if given is not None:
        return given != old or imprecise
    return old is not None and not imprecise


def settle_attention(article: Article, edit: ArticleEdit) -> None:
    """Drops the reasons the edit settles (an outlet, date or URL now given); keeps the others."""
    settled = tuple(
        prefix
        for field, prefixes in REASONS_SETTLED_BY.items()
        if getattr(edit, field)
        for prefix in prefixes
    )
    reasons = [r.strip() for r in article.attention_reasons.split(",") if r.strip()]
    remaining = [r for r in reasons if not r.startswith(settled)]
    article.attention_reasons = ", ".join(remaining)
    article.needs_attention = bool(remaining)


def delete_article(session: Session, article_id: int) -> dict:
    """Deletes the article (its mentions cascade), marks claims left with no mention removed,
    and re-describes and re-aligns the event it was in. Returns what went."""
    article = _article(session, article_id)
    event_id, title = article.event_id, article.title
    repeats.move_lines(session, article.id, article.outlet_id, None)
    claim_ids = set(
        session.exec(
            select(Mention.claim_id).where(
                Mention.article_id == article_id, Mention.claim_id.is_not(None)
            )
        )
    )
    forget_words(session, article)
    session.delete(article)
    session.flush()
    still_mentioned = set(
        session.exec(select(Mention.claim_id).where(Mention.claim_id.in_(claim_ids)))
    )
    removed = sorted(claim_ids - still_mentioned)
    now = utcnow()
    for claim in session.exec(select(Claim).where(Claim.id.in_(removed))):
        claim.removed_at = now
        claim.updated_at = now
        session.add(claim)
    event_removed = event_id is not None and drop_if_empty(session, event_id)
    if event_id is not None and not event_removed:
        refresh_events(session, [event_id])
    return {
        "event_id": event_id,
        "event_removed": event_removed,
        "removed_claims": removed,
        "title": title,
    }


def drop_if_empty(session: Session, event_id: int) -> bool:
    """An event left without articles goes, with the (empty) events merged into it, so readers
    see no empty event. Its claims stay, detached and removed: their permalinks say so."""
    if session.exec(select(Article.id).where(Article.event_id == event_id)).first() is not None:
        return False
    doomed, frontier = {event_id}, [event_id]
    while frontier:
        merged = session.exec(select(Event.id).where(Event.merged_into_id.in_(frontier))).all()
        frontier = [merged_id for merged_id in merged if merged_id not in doomed]
        doomed.update(frontier)
    now = utcnow()
    session.execute(
        update(Claim)
        .where(Claim.event_id.in_(doomed), Claim.removed_at.is_(None))
        .values(removed_at=now, updated_at=now)
    )
    session.execute(update(Claim).where(Claim.event_id.in_(doomed)).values(event_id=None))
    session.execute(delete(Event).where(Event.id.in_(doomed)))
    session.flush()
    return True
