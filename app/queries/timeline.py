"""Turns timeline filters (outlet, person, date range, page) into one page of event summaries."""

from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import case, func, or_
from sqlmodel import Session, select

from app.ingest.events.features import PERSON_PREFIX, person_key
from app.models import Article, Claim, Event, EventKey, Outlet
from app.queries.common import (
    UNKNOWN_OUTLET,
    claim_url,
    event_ref,
    published_label,
    unmerged,
)

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000
AGO_UNITS = ((24 * 60, "day"), (60, "hour"), (1, "minute"))  # in minutes


def timeline(
    session: Session,
    *,
    outlet: str | None = None,
    person: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    page: int = 1,
    limit: int = DEFAULT_LIMIT,
) -> dict[str, Any]:
    """Live events newest first; `next_page` is None on the last page."""
    query = select(Event).where(Event.merged_into_id.is_(None))
    if outlet:
        query = query.where(
            Event.id.in_(
                select(Article.event_id)
                .join(Outlet, Outlet.id == Article.outlet_id)
                .where(func.lower(Outlet.name) == outlet.strip().lower())
            )
        )
    if person:
        query = query.where(Event.id.in_(select(EventKey.event_id).where(_person_matches(person))))
    if date_from:
        query = query.where(func.coalesce(Event.date_end, Event.date_start) >= date_from)
    if date_to:
        query = query.where(Event.date_start <= date_to)
    query = query.order_by(Event.date_start.desc().nulls_last(), Event.id.desc())
    rows = session.exec(query.offset((page - 1) * limit).limit(limit + 1)).all()
    events = rows[:limit]
    return {
        "events": summaries(session, events, person=person),
        "page": page,
        "limit": limit,
        "next_page": page + 1 if len(rows) > limit else None,
        "filters": {
            "outlet": outlet or "",
            "person": person or "",
            "date_from": date_from.isoformat() if date_from else "",
            "date_to": date_to.isoformat() if date_to else "",
        },
        "outlet_choices": outlet_names(session),
    }


def _person_matches(name: str):
    """The person's key; a lone word ("Blinken", "Wang") also matches every full name holding it
    as a whole word ("person:wang yi", never "person:wangari maathai")."""
    key = person_key(name)
    words = key.removeprefix(PERSON_PREFIX).split()
    if len(words) != 1:
        return EventKey.key == key
    word = words[0].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    patterns = [
        f"{PERSON_PREFIX}{word} %",
        f"{PERSON_PREFIX}% {word}",
        f"{PERSON_PREFIX}% {word} %",
    ]
    return or_(EventKey.key == key, *(EventKey.key.like(p, escape="\\") for p in patterns))


def outlet_names(session: Session) -> list[str]:
    return list(session.exec(select(Outlet.name).order_by(Outlet.name)).all())


def summaries(
    session: Session, events: list[Event], *, person: str | None = None
) -> list[dict[str, Any]]:
    """Title, dates, place, outlets, article count, lead claim (one of `person`'s when the
    timeline is filtered by a person) and related events, batched."""
    ids = [event.id for event in events]
    outlets, counts = _outlets_and_counts(session, ids)
    leads = _lead_claims(session, ids, person)
    related = _related(session, events)
    first_last = reports(session, ids)
    updated = _last_ingested(session, ids)
    now = datetime.now(UTC)
    return [
        {
            **event_ref(event),
            "date_end": event.date_end,
            "article_count": counts.get(event.id, 0),
            "outlets": outlets.get(event.id, []),
            "lead_claim": leads.get(event.id),
            "related_events": related.get(event.id, []),
            **first_last.get(event.id, NO_REPORTS),
            "updated_at": updated.get(event.id),
            "updated_label": ago_label(updated[event.id], now) if event.id in updated else None,
        }
        for event in events
    ]


NO_REPORTS = {"first_report": None, "last_report": None}


def reports(session: Session, ids: list[int]) -> dict[int, dict[str, Any]]:
    """Per event, who reported first and last. Only dates known to the day count (a year-only
    date says nothing about order); outlets publishing at the same moment share the place."""
    rows = session.exec(
        select(Article.event_id, Article.published_at, Outlet.name)
        .join(Outlet, Outlet.id == Article.outlet_id, isouter=True)
        .where(
            Article.event_id.in_(ids),
            Article.published_at.is_not(None),
            Article.date_precision == "day",
        )
    ).all()
    by_event: dict[int, list] = defaultdict(list)
    for row in rows:
        by_event[row.event_id].append(row)
    return {
        event_id: {
            "first_report": _report(dated, min(row.published_at for row in dated)),
            "last_report": _report(dated, max(row.published_at for row in dated)),
        }
        for event_id, dated in by_event.items()
    }


def _report(rows: list, moment) -> dict[str, Any]:
    return {
        "published_at": moment,
        "published_label": published_label(moment, "day"),
        "outlets": sorted(
            {row.name or UNKNOWN_OUTLET for row in rows if row.published_at == moment}
        ),
    }


def _last_ingested(session: Session, ids: list[int]) -> dict[int, datetime]:
    """Per event, when its newest article arrived (aware UTC)."""
    rows = session.exec(
        select(Article.event_id, func.max(Article.ingested_at))
        .where(Article.event_id.in_(ids))
        .group_by(Article.event_id)
    ).all()
    return {event_id: moment.replace(tzinfo=UTC) for event_id, moment in rows if moment}


def ago_label(moment: datetime, now: datetime) -> str:
    """ "updated 5 minutes ago", in the largest whole unit (minutes, hours, days)."""
    minutes = max(int((now - moment).total_seconds() // 60), 0)
    if minutes < 1:
        return "updated just now"
    size, unit = next((size, unit) for size, unit in AGO_UNITS if minutes >= size)
    count = minutes // size
    return f"updated {count} {unit}{'' if count == 1 else 's'} ago"


def _outlets_and_counts(session: Session, ids: list[int]) -> tuple[dict, dict]:
    outlets: dict[int, list[str]] = defaultdict(list)
    counts: dict[int, int] = defaultdict(int)
    if not ids:
        return outlets, counts
    rows = session.exec(
        select(Article.event_id, Outlet.name, func.count(Article.id))
        .join(Outlet, Outlet.id == Article.outlet_id, isouter=True)
        .where(Article.event_id.in_(ids))
        .group_by(Article.event_id, Outlet.name)
        .order_by(Article.event_id, Outlet.name)
    ).all()
    for event_id, name, count in rows:
        counts[event_id] += count
        if name:
            outlets[event_id].append(name)
    return outlets, counts


def _lead_claims(
    session: Session, ids: list[int], person: str | None = None
) -> dict[int, dict[str, Any]]:
    """Per event, the claim most outlets reported independently (ties: most outlets in all,
    wire copies included; then the earliest); `person`'s claims first when given."""
    if not ids:
        return {}
    by_person = _spoken_by(person)
    rank = (
        func.row_number()
        .over(
            partition_by=Claim.event_id,
            order_by=(
                by_person,
                Claim.independent_count.desc(),
                Claim.outlet_count.desc(),
                Claim.id,
            ),
        )
        .label("rank")
    )
    ranked = (
        select(
            Claim.id,
            Claim.event_id,
            Claim.kind,
            Claim.speaker,
            Claim.text,
            Claim.outlet_count,
            rank,
        )
        .where(Claim.event_id.in_(ids), unmerged(Claim.merged_into_id), Claim.removed_at.is_(None))
        .subquery()
    )
    rows = session.exec(select(*ranked.c).where(ranked.c.rank == 1)).all()
    return {
        row.event_id: {
            "id": row.id,
            "kind": row.kind,
            "speaker": row.speaker,
            "text": row.text,
            "outlet_count": row.outlet_count,
            "url": claim_url(row.id),
        }
        for row in rows
    }


def _spoken_by(person: str | None):
    """0 for claims whose speaker's name holds the person's surname (last word), else 1."""
    words = (person or "").strip().lower().split()
    if not words:
        return case((Claim.id.is_(None), 0), else_=1)
    return case((func.lower(Claim.speaker).contains(words[-1], autoescape=True), 0), else_=1)


def _related(session: Session, events: list[Event]) -> dict[int, list[dict[str, Any]]]:
    """Other live events of the same storyline, in date order."""
    storylines = {event.storyline_id for event in events if event.storyline_id}
    if not storylines:
        return {}
    rows = session.exec(
        select(Event)
        .where(Event.storyline_id.in_(storylines), unmerged(Event.merged_into_id))
        .order_by(Event.date_start.nulls_first(), Event.id)
    ).all()
    by_storyline: dict[int, list[Event]] = defaultdict(list)
    for row in rows:
        by_storyline[row.storyline_id].append(row)
    return {
        event.id: [
            event_ref(other)
            for other in by_storyline.get(event.storyline_id, [])
            if other.id != event.id
        ]
        for event in events
        if event.storyline_id
    }
