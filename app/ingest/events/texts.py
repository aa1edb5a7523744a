"""An article's words and the store's word counts into TF-IDF vectors; events' text profiles.

An event's profile is the sum of its articles' unit TF-IDF vectors (each weighted by the IDF of
when it joined), its PROFILE_TERMS heaviest terms kept: bounded in size however large the event.
Candidates come from the index on terms (events holding the article's rarest heavy terms).
"""

import math
from collections.abc import Iterable

from sqlalchemy import delete, func, insert, select, update
from sqlmodel import Session

from app.db import read_rows
from app.ingest.events.features import Features
from app.models import Article, EventTerm, TermCount

VECTOR_TERMS = 60  # an article's heaviest TF-IDF terms make its vector
PROFILE_TERMS = 150  # an event's heaviest summed terms make its profile
LOOKUP_TERMS = 10  # an article's heaviest terms looked up in the index for candidate events
TERM_HOLDERS_CAP = 200  # a term held by more events than this cannot tell them apart
MAX_TEXT_CANDIDATES = 30

Vector = dict[str, float]


def article_vector(session: Session, f: Features) -> Vector:
    """The article's heaviest terms by TF-IDF (document frequencies of the store so far), unit
    length."""
    return article_vectors(session, [f])[0]


def article_vectors(session: Session, features: list[Features]) -> list[Vector]:
    """`article_vector` of each, the store's article count read once."""
    stored = session.scalar(
        select(func.count()).select_from(Article).where(Article.event_id.is_not(None))
    )
    return [_vector(session, f, stored or 0) for f in features]


def _vector(session: Session, f: Features, stored: int) -> Vector:
    words = dict(f.words)
    if not words:
        return {}
    counts = dict(
        session.execute(
            select(TermCount.term, TermCount.articles).where(TermCount.term.in_(words))
        ).all()
    )
    weights = {w: tf * _idf(counts.get(w, 0), stored) for w, tf in words.items()}
    top = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:VECTOR_TERMS]
    return unit(dict(top))


def _idf(holders: int, stored: int) -> float:
    return math.log((stored + 1) / (holders + 1)) + 1


def unit(vector: Vector) -> Vector:
    norm = math.sqrt(math.fsum(w * w for w in vector.values()))
    return {t: w / norm for t, w in vector.items()} if norm else {}


def count_words(session: Session, f: Features) -> None:
    """Add a newly stored article's words to the document frequencies."""
    words = [w for w, _ in f.words]
    if not words:
        return
    known = set(session.scalars(select(TermCount.term).where(TermCount.term.in_(words))).all())
    new = [{"term": w, "articles": 1} for w in words if w not in known]
    if new:
        session.execute(insert(TermCount), new)
    if known:
        session.execute(
            update(TermCount)
            .where(TermCount.term.in_(sorted(known)))
            .values(articles=TermCount.articles + 1)
        )


def uncount_words(session: Session, f: Features) -> None:
    """Take a deleted article's words out of the document frequencies (a word no stored article
    uses any more leaves the table)."""
    words = [w for w, _ in f.words]
    if words:
        session.execute(
            update(TermCount)
            .where(TermCount.term.in_(words))
            .values(articles=TermCount.articles - 1)
        )
        session.execute(delete(TermCount).where(TermCount.term.in_(words), TermCount.articles <= 0))


def text_candidates(session: Session, vector: Vector) -> list[int]:
    """Events whose profiles hold the article's heaviest terms, most shared weight first; a term
    held by very many events is not looked up (the index stays selective)."""
    heavy = sorted(vector.items(), key=lambda item: (-item[1], item[0]))[:LOOKUP_TERMS]
    holders = _holders_of_rare_terms(session, [term for term, _ in heavy])
    shared: dict[int, float] = {}
    for term, weight in heavy:
        for event_id, held in holders.get(term, []):
            shared[event_id] = shared.get(event_id, 0.0) + weight * held
    ranked = sorted(shared.items(), key=lambda item: (-item[1], item[0]))
    return [event_id for event_id, _ in ranked[:MAX_TEXT_CANDIDATES]]


def _holders_of_rare_terms(session: Session, terms: list[str]) -> dict[str, list[tuple]]:
    """(event, weight) of each term no more than TERM_HOLDERS_CAP events hold, in two queries
    whatever the number of terms: the holders counted on the index, then the rare terms' rows."""
    if not terms:
        return {}
    counts = session.execute(
        select(EventTerm.term, func.count())
        .where(EventTerm.term.in_(terms))
        .group_by(EventTerm.term)
    ).all()
    rare = [term for term, events in counts if events <= TERM_HOLDERS_CAP]
    holders: dict[str, list[tuple]] = {}
    if rare:
        rows = read_rows(
            session,
            select(EventTerm.term, EventTerm.event_id, EventTerm.weight).where(
                EventTerm.term.in_(rare)
            ),
        )
        for term, event_id, weight in rows:
            holders.setdefault(term, []).append((event_id, weight))
    return holders


def text_similarities(
    session: Session, vector: Vector, event_ids: Iterable[int]
) -> dict[int, float]:
    """Cosine of the unit article vector with each event's profile; only the rows of the
    article's words are read (the profiles' lengths are summed by the database)."""
    ids = sorted(set(event_ids))
    cosines = dict.fromkeys(ids, 0.0)
    if not ids or not vector:
        return cosines
    lengths = dict(
        session.execute(
            select(EventTerm.event_id, func.sum(EventTerm.weight * EventTerm.weight))
            .where(EventTerm.event_id.in_(ids))
            .group_by(EventTerm.event_id)
        ).all()
    )
    rows = read_rows(
        session,
        select(EventTerm.event_id, EventTerm.term, EventTerm.weight).where(
            EventTerm.event_id.in_(ids), EventTerm.term.in_(vector)
        ),
    )
    for event_id, term, weight in rows:
        cosines[event_id] += vector[term] * weight / math.sqrt(lengths[event_id])
    return cosines


def load_text_profile(session: Session, event_id: int) -> Vector:
    """The event's stored text profile (at most PROFILE_TERMS rows)."""
    return dict(
        session.execute(
            select(EventTerm.term, EventTerm.weight).where(EventTerm.event_id == event_id)
        ).all()
    )


def add_to_profile(session: Session, event_id: int, vector: Vector) -> None:
    """The event's profile with the article's vector added, its heaviest terms kept."""
    _store_profile(session, event_id, _summed([load_text_profile(session, event_id), vector]))


def rebuild_profile(session: Session, event_id: int, vectors: list[Vector]) -> None:
    """The event's profile from its articles' vectors anew (after one left or events merged)."""
    _store_profile(session, event_id, _summed(vectors))


def _summed(vectors: Iterable[Vector]) -> Vector:
    summed: Vector = {}
    for vector in vectors:
        for term, weight in vector.items():
            summed[term] = summed.get(term, 0.0) + weight
    return summed


def drop_profile(session: Session, event_id: int) -> None:
    session.execute(delete(EventTerm).where(EventTerm.event_id == event_id))


def _store_profile(session: Session, event_id: int, summed: Vector) -> None:
    kept = sorted(summed.items(), key=lambda item: (-item[1], item[0]))[:PROFILE_TERMS]
    drop_profile(session, event_id)
    if kept:
        session.execute(
            insert(EventTerm),
            [{"event_id": event_id, "term": t, "weight": w} for t, w in kept],
        )
