"""Event keys in the store into candidate events and their profiles; an article's keys into them."""

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import bindparam, delete, func, insert, or_, select, update
from sqlmodel import Session

from app.db import EventMemo, read_rows
from app.ingest.events.features import CONTENT_PREFIXES, LEAD_PREFIX, Features
from app.ingest.events.scoring import MAX_DAY_GAP, Profile, Rarity
from app.models import Article, Event, EventKey

DAY_WINDOW = MAX_DAY_GAP  # day buckets looked up around an article's date
BLOCKING_KEY_CAP = 500  # a key held by more events than this is too common to block on
MAX_CANDIDATES = 50
LOOKUP_TERMS = 8
# The keys that say when an event happened: all that `scoring.timing_agrees` reads of it.
DATE_PREFIXES = ("day:", "month:", "year:", "textyear:")
# Scoring reads these keys of a candidate event whole; of the others only those the article holds.
SCORED_IN_FULL = (
    *DATE_PREFIXES,
    "dateline:",
    "person:",
    "place:",
    LEAD_PREFIX,
)

# Candidate events whose keys scored in full this process keeps (`_scored_in_full`): each article
# is scored against dozens of events, most of which no write has changed since the last article.
SCORED_EVENTS_KEPT = 4096
SCORED = EventMemo(SCORED_EVENTS_KEPT)
# Events whose keys are what rebuilding them from their articles would give (`keys_as_rebuilt`):
# an article naming in full someone its event knows by surname then needs no rebuild when it
# names nobody new in full.
REBUILT = EventMemo(SCORED_EVENTS_KEPT)


def _blocking_keys(f: Features) -> list[str]:
    keys = [f"person:{p}" for p in sorted(f.people)]
    keys += [f"place:{p}" for p in sorted(f.places)]
    keys += [f"entity:{e}" for e in sorted(f.entities)]
    keys += [f"term:{t}" for t in f.terms[:LOOKUP_TERMS]]
    if f.dateline:
        keys.append(f"dateline:{f.dateline}")
    return keys


def candidate_events(session: Session, f: Features) -> list[int]:
    """Events found by index lookups on day buckets and entity keys: never a scan."""
    hits: Counter[int] = Counter()
    if f.day:
        days = [f"day:{f.day + timedelta(days=d)}" for d in range(-DAY_WINDOW, DAY_WINDOW + 1)]
        rows = session.execute(
            select(EventKey.event_id).where(EventKey.key.in_(days)).limit(BLOCKING_KEY_CAP * 4)
        )
        for (event_id,) in rows:
            hits[event_id] += 3
    hits.update(events_holding(session, _blocking_keys(f)))
    ranked = sorted(hits.items(), key=lambda item: (-item[1], item[0]))
    return [event_id for event_id, _ in ranked[:MAX_CANDIDATES]]


def events_holding(session: Session, keys: list[str]) -> Counter[int]:
    """How many of the keys each event holds, counting only keys few events hold: a key held by
    thousands of events (a head of state, "summit") cannot tell them apart."""
    if not keys:
        return Counter()
    holders = session.execute(
        select(EventKey.key, func.count()).where(EventKey.key.in_(keys)).group_by(EventKey.key)
    ).all()
    rare = [key for key, events in holders if events <= BLOCKING_KEY_CAP]
    if not rare:
        return Counter()
    return Counter(
        dict(
            session.execute(
                select(EventKey.event_id, func.count())
                .where(EventKey.key.in_(rare))
                .group_by(EventKey.event_id)
            ).all()
        )
    )


def load_profiles(
    session: Session,
    event_ids: list[int],
    scored: Features | None = None,
    prefixes: tuple[str, ...] = (),
) -> list[Profile]:
    """The events' profiles; to score `scored` against them, only the keys its score reads;
    given `prefixes`, only the keys with these (a large event holds thousands of keys)."""
    if not event_ids:
        return []
    weights: dict[int, dict[str, float]] = {event_id: {} for event_id in event_ids}
    query = select(EventKey.event_id, EventKey.key, EventKey.weight).where(
        EventKey.event_id.in_(event_ids)
    )
    if prefixes:
        query = query.where(or_(*(EventKey.key.startswith(prefix) for prefix in prefixes)))
    squares = {}
    if scored is not None:
        others = [key for key in _keys_read(scored) if not key.startswith(SCORED_IN_FULL)]
        query = query.where(EventKey.key.in_(others))
    for event_id, key, weight in read_rows(session, query):
        weights[event_id][key] = weight
    if scored is not None:
        in_full = _scored_in_full(session, event_ids)
        for event_id, kept in in_full.items():
            weights[event_id] = {**kept.weights, **weights[event_id]}
        squares = {event_id: kept.content_squares for event_id, kept in in_full.items()}
    titles = dict(
        session.execute(
            select(Event.id, Event.title).where(
                Event.id.in_(event_ids), Event.merged_into_id.is_(None)
            )
        ).all()
    )
    sizes = dict(
        session.execute(
            select(Article.event_id, func.count())
            .where(Article.event_id.in_(event_ids))
            .group_by(Article.event_id)
        ).all()
    )
    return [
        Profile(i, titles[i], weights[i], sizes.get(i, 1), squares.get(i, 0.0))
        for i in sorted(event_ids)
        if i in titles
    ]


@dataclass(frozen=True)
class ScoredInFull:
    """What scoring reads of a candidate event whatever the article: its keys with the
    SCORED_IN_FULL prefixes and the sum of squares of all its content keys' weights."""

    weights: dict[str, float]
    content_squares: float


def _scored_in_full(session: Session, event_ids: list[int]) -> dict[int, ScoredInFull]:
    """Each event's keys scored in full: as this process last read them while no write has
    changed the event since (`SCORED`), else read (one query for the events not kept)."""
    found, versions = SCORED.recall_each(session, event_ids)
    unread = [event_id for event_id in event_ids if event_id not in found]
    if unread:
        weights: dict[int, dict[str, float]] = {event_id: {} for event_id in unread}
        rows = read_rows(
            session,
            select(EventKey.event_id, EventKey.key, EventKey.weight).where(
                EventKey.event_id.in_(unread),
                or_(*(EventKey.key.startswith(prefix) for prefix in SCORED_IN_FULL)),
            ),
        )
        for event_id, key, weight in rows:
            weights[event_id][key] = weight
        squares = _content_squares(session, unread)
        for event_id in unread:
            found[event_id] = ScoredInFull(weights[event_id], squares.get(event_id, 0.0))
            SCORED.note_read(session, event_id, versions.get(event_id), found[event_id])
    return found


def drop_keys(session: Session, event_id: int) -> None:
    """Delete the event's keys (to rebuild them, or as it retires)."""
    SCORED.forget(session, event_id)
    REBUILT.forget(session, event_id)
    session.execute(delete(EventKey).where(EventKey.event_id == event_id))


def _content_squares(session: Session, event_ids: list[int]) -> dict[int, float]:
    """Each event's sum of squared content-key weights (its profile's length before IDF)."""
    content = or_(*(EventKey.key.startswith(prefix) for prefix in CONTENT_PREFIXES))
    return dict(
        session.execute(
            select(EventKey.event_id, func.sum(EventKey.weight * EventKey.weight))
            .where(EventKey.event_id.in_(event_ids), content)
            .group_by(EventKey.event_id)
        ).all()
    )


def load_rarity(session: Session, f: Features) -> Rarity:
    """How many events hold each of the article's content keys, and how many events there are."""
    holders = dict(
        session.execute(
            select(EventKey.key, func.count())
            .where(EventKey.key.in_(f.content_keys()))
            .group_by(EventKey.key)
        ).all()
    )
    events = session.scalar(
        select(func.count()).select_from(Event).where(Event.merged_into_id.is_(None))
    )
    return Rarity(holders, events or 0)


def _keys_read(f: Features) -> list[str]:
    """The keys besides SCORED_IN_FULL that scoring the article and adding it to an event read:
    its own, and each name it holds as a place or as an entity (an event may file it either way)."""
    names = f.places | f.entities | ({f.dateline} if f.dateline else set())
    keys = set(f.keys())
    keys |= {f"{prefix}{name}" for name in names for prefix in ("place:", "entity:")}
    return sorted(keys)


def add_keys(session: Session, event_id: int, keys: list[str], known: dict[str, float]) -> None:
    SCORED.forget(session, event_id)
    REBUILT.forget(session, event_id)
    new = [{"event_id": event_id, "key": k, "weight": 1.0} for k in keys if k not in known]
    old = [{"eid": event_id, "k": k, "w": known[k] + 1} for k in keys if k in known]
    if new:
        session.execute(insert(EventKey), new)
    if old:
        table = EventKey.__table__
        session.connection().execute(
            update(table)
            .where(table.c.event_id == bindparam("eid"), table.c.key == bindparam("k"))
            .values(weight=bindparam("w")),
            old,
        )


def stays_as_rebuilt(session: Session, event_id: int, keys: list[str], known: set[str]) -> bool:
    """Whether adding an article's `keys` to the event (`known`: its keys before) leaves them as
    rebuilding the event would: they were so when this process last left them (`mark_rebuilt`)
    and the article names nobody in full the event does not. Rebuilding maps each lone surname
    through the full names of the event's articles, which are then the full names among its keys;
    with none new, every earlier article's keys map as before and the article's as added."""
    full_names = {key for key in keys if key.startswith("person:") and " " in key}
    return full_names <= known and REBUILT.recall(session, event_id) is not None


def mark_rebuilt(session: Session, event_id: int) -> None:
    """The event's keys are, as this transaction leaves them, what rebuilding it would give."""
    REBUILT.remember(session, event_id, True)


def canonical_people(keys: list[str], known: set[str]) -> list[str]:
    """A lone surname ("person:wang") becomes the one full name of the event it matches."""
    return with_full_names(keys, full_names_by_part(known))


def full_names_by_part(known: set[str]) -> dict[str, set[str]]:
    """The full-name person keys among `known`, under their first and their last name."""
    full_names: dict[str, set[str]] = {}
    for key in known:
        name = key.removeprefix("person:")
        if key.startswith("person:") and " " in name:
            for part in (name.split()[0], name.split()[-1]):
                full_names.setdefault(part, set()).add(key)
    return full_names


def with_full_names(keys: list[str], full_names: dict[str, set[str]]) -> list[str]:
    """The keys, each lone name that matches one full name (`full_names_by_part`) replaced by it."""
    canonical = set()
    for key in keys:
        matches = full_names.get(key.removeprefix("person:"), set())
        lone = key.startswith("person:") and " " not in key
        canonical.add(next(iter(matches)) if lone and len(matches) == 1 else key)
    return sorted(canonical)
