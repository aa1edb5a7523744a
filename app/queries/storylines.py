"""Turns a storyline id into its events in date order and the claims that recur across them."""

from typing import Any

from rapidfuzz import fuzz
from sqlmodel import Session, select

from app.models import Claim, Event, Storyline
from app.queries.common import NotFound, claim_url, storyline_url, unmerged
from app.queries.timeline import summaries
from app.text.normalize import normalize

# rapidfuzz token_set_ratio (0-100) from which two events' claims say the same thing again.
RECURRING_SIMILARITY = 85
RECURRING_LIMIT = 20


def storyline_detail(session: Session, storyline_id: int) -> dict[str, Any]:
    """Raises NotFound."""
    storyline = session.get(Storyline, storyline_id)
    if storyline is None:
        raise NotFound(storyline_id)
    events = session.exec(
        select(Event)
        .where(Event.storyline_id == storyline.id, unmerged(Event.merged_into_id))
        .order_by(Event.date_start, Event.id)
    ).all()
    if not events:
        raise NotFound(storyline_id)
    events_out = summaries(session, list(events))
    return {
        "id": storyline.id,
        "title": storyline.title or events_out[0]["title"],
        "url": storyline_url(storyline.id),
        "events": events_out,
        "recurring_claims": recurring_claims(session, [event.id for event in events]),
    }


def recurring_claims(session: Session, event_ids: list[int]) -> list[dict[str, Any]]:
    """Claims said again in a later event of the storyline (same speaker, nearly the same
    words), each with the events it recurs in, most events first."""
    claims = session.exec(
        select(Claim)
        .where(
            Claim.event_id.in_(event_ids),
            Claim.merged_into_id.is_(None),
            Claim.removed_at.is_(None),
        )
        .order_by(Claim.event_id, Claim.id)
    ).all()
    groups: list[list[Claim]] = []
    for claim in claims:
        group = next((g for g in groups if _recurs(g[0], claim)), None)
        if group is None:
            groups.append([claim])
        elif claim.event_id not in {member.event_id for member in group}:
            group.append(claim)
    recurring = [group for group in groups if len(group) > 1]
    recurring.sort(key=lambda group: (-len(group), group[0].id))
    return [_recurring(group) for group in recurring[:RECURRING_LIMIT]]


def _recurs(first: Claim, other: Claim) -> bool:
    return (
        first.event_id != other.event_id
        and first.speaker == other.speaker
        and fuzz.token_set_ratio(_normal(first), _normal(other)) >= RECURRING_SIMILARITY
    )


def _normal(claim: Claim) -> str:
    return claim.normalized or normalize(claim.text)


def _recurring(group: list[Claim]) -> dict[str, Any]:
    first = group[0]
    return {
        "speaker": first.speaker,
        "text": first.text,
        "claims": [
            {"id": claim.id, "event_id": claim.event_id, "url": claim_url(claim.id)}
            for claim in group
        ],
    }
