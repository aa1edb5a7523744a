"""An event into the storyline of earlier events about the same people and story."""

from sqlmodel import Session

from app.ingest.events.keys import MAX_CANDIDATES, events_holding, load_profiles
from app.ingest.events.scoring import MAX_DAY_GAP, Profile
from app.models import Event, Storyline

STORYLINE_MIN_PEOPLE = 2
STORYLINE_MIN_TERMS = 4
# The keys linking storylines read: shared people and terms, days or years apart.
STORYLINE_KEYS = ("person:", "term:", "day:", "year:")


def link_storyline(session: Session, event: Event) -> None:
    """Put the event in the storyline of an event at other dates about the same people and story."""
    if event.storyline_id is not None:
        return
    (named,) = load_profiles(session, [event.id], prefixes=("person:",))
    people = named.values("person:")
    if len(people) < STORYLINE_MIN_PEOPLE:
        return
    hits = events_holding(session, [f"person:{person}" for person in sorted(people)])
    hits.pop(event.id, None)
    # The events sharing most people, the latest first, are the likeliest earlier chapters.
    candidates = sorted(
        (i for i, n in hits.items() if n >= STORYLINE_MIN_PEOPLE), key=lambda i: (-hits[i], -i)
    )
    if not candidates:
        return
    (profile,) = load_profiles(session, [event.id], prefixes=STORYLINE_KEYS)
    best: tuple[int, int, int] | None = None
    for other in load_profiles(session, candidates[:MAX_CANDIDATES], prefixes=STORYLINE_KEYS):
        shared_people = len(people & other.values("person:"))
        shared_terms = len(profile.values("term:") & other.values("term:"))
        if shared_terms < STORYLINE_MIN_TERMS or not _apart(profile, other):
            continue
        rank = (shared_people, shared_terms, -other.event_id)
        if best is None or rank > best:
            best = rank
    if best is None:
        return
    other_event = session.get(Event, -best[2])
    if other_event.storyline_id is None:
        shared = sorted(
            people
            & load_profiles(session, [other_event.id], prefixes=("person:",))[0].values("person:")
        )
        storyline = Storyline(title=" and ".join(n.title() for n in shared[:3]))
        session.add(storyline)
        session.flush()
        other_event.storyline_id = storyline.id
        session.add(other_event)
    event.storyline_id = other_event.storyline_id
    session.add(event)
    session.flush()


def _apart(a: Profile, b: Profile) -> bool:
    """Known to be at different dates (different events of one story, not one event)."""
    if a.days and b.days:
        return min(abs((x - y).days) for x in a.days for y in b.days) > MAX_DAY_GAP
    years_a, years_b = a.values("year:"), b.values("year:")
    return bool(years_a and years_b and not years_a & years_b)
