"""A stored article into its event (joined or opened, with a reason); an event's description."""

from collections import Counter
from functools import lru_cache

from rapidfuzz import fuzz
from sqlalchemy import insert, select, update
from sqlmodel import Session

from app.db import read_rows
from app.ingest.events import texts, wording
from app.ingest.events.features import Features, extract_features
from app.ingest.events.keys import (
    DATE_PREFIXES,
    add_keys,
    candidate_events,
    canonical_people,
    drop_keys,
    full_names_by_part,
    load_profiles,
    load_rarity,
    mark_rebuilt,
    stays_as_rebuilt,
    with_full_names,
)
from app.ingest.events.scoring import Match, Profile, score, timing_agrees
from app.ingest.events.storylines import link_storyline
from app.models import Article, Claim, Event, EventKey, local_day, utcnow

# After an article joins, the small events its grown event draws most (term index) are re-scored.
STRAGGLER_SIZE = 2
STRAGGLER_CANDIDATES = 10
TITLES_COMPARED = 50  # an event's title is the most central of its first articles' titles
TITLE_CHOICES_KEPT = 1024


def assign_article(session: Session, article: Article) -> None:
    """Join the article to the best-scoring event, or open a new one; refresh the description."""
    if article.event_locked:
        return
    session.flush()
    previous = article.event_id
    features = extract_features(article)
    vector = texts.article_vector(session, features)
    shared = wording.shared_wording(session, article.id)
    profiles = load_profiles(session, _candidates(session, features, vector, shared), features)
    if previous is None:
        texts.count_words(session, features)
    else:
        article.event_id = None
        session.flush()
        rebuild_event(session, previous)
        profiles = load_profiles(session, [p.event_id for p in profiles], features)
    best = max(_matches(session, features, vector, profiles, shared), key=preference, default=None)
    joined = best is not None and best.joinable
    if joined:
        event = session.get(Event, best.event_id)
        known = next(p.weights for p in profiles if p.event_id == best.event_id)
        article.event_score, article.event_reason = best.score, best.reason
    else:
        event = Event(title=features.title)
        session.add(event)
        session.flush()
        known = {}
        article.event_score = 0.0
        article.event_reason = _opening_reason(best)
    article.event_id = event.id
    session.add(article)
    keys = features.keys()
    as_rebuilt = not joined or stays_as_rebuilt(session, event.id, keys, set(known))
    add_keys(session, event.id, canonical_people(keys, set(known) | set(keys)), known)
    texts.add_to_profile(session, event.id, vector)
    session.flush()
    if not as_rebuilt and canonical_people(list(known), set(keys)) != sorted(known):
        _rebuild_keys(session, event.id)  # the article names in full someone known by surname
        as_rebuilt = True
    if as_rebuilt:
        mark_rebuilt(session, event.id)
    describe_event(session, event)
    link_storyline(session, event)
    if (
        previous not in (None, event.id)
        and not session.scalars(select(Article.id).where(Article.event_id == previous)).first()
    ):
        retire_event(session, previous, event.id)


def ranked_matches(session: Session, article: Article) -> list[Match]:
    """The events the scorer weighs the article against, scored as if it arrived now, the one it
    would join first (its own event among them); nothing is written."""
    features = extract_features(article)
    vector = texts.article_vector(session, features)
    shared = wording.shared_wording(session, article.id)
    profiles = load_profiles(session, _candidates(session, features, vector, shared), features)
    matches = _matches(session, features, vector, profiles, shared)
    return sorted(matches, key=preference, reverse=True)


def _candidates(
    session: Session, features: Features, vector: texts.Vector, shared: Counter[int]
) -> list[int]:
    """Candidate events from key lookups, then those the term index and shared wording add."""
    candidates = candidate_events(session, features)
    found = [*texts.text_candidates(session, vector), *shared]
    return candidates + [i for i in dict.fromkeys(found) if i not in candidates]


def _matches(
    session: Session,
    features: Features,
    vector: texts.Vector,
    profiles: list[Profile],
    shared: Counter[int],
) -> list[Match]:
    rarity = load_rarity(session, features)
    cosines = texts.text_similarities(session, vector, [p.event_id for p in profiles])
    return [score(features, p, rarity, cosines[p.event_id], shared[p.event_id]) for p in profiles]


def preference(match: Match) -> tuple:
    """How an article ranks the events it could join: joinable ones, then the most similar."""
    return (match.joinable, match.text + match.similarity, match.score, -match.event_id)


def consolidate(session: Session, event_id: int) -> list[int]:
    """Merge into the event the small events (at most STRAGGLER_SIZE articles) each of whose
    articles would join it if it arrived now: an early report that opened its own event, scoring
    under the threshold against what the event was then, joins once later reports have grown it.
    The small events are found through the term index (the event's heaviest words); returns the
    ids of those absorbed."""
    vector = texts.unit(texts.load_text_profile(session, event_id))
    absorbed = []
    timing = None  # the event's date keys, read once until it absorbs an event
    for other in texts.text_candidates(session, vector)[:STRAGGLER_CANDIDATES]:
        if other == event_id:
            continue
        held = session.execute(
            select(Article.id, Article.event_locked)
            .where(Article.event_id == other)
            .limit(STRAGGLER_SIZE + 1)
        ).all()
        if len(held) > STRAGGLER_SIZE or any(locked for _, locked in held):
            continue  # known from two columns: a large event's articles are not loaded
        articles = [session.get(Article, article_id) for article_id, _ in held]
        timing = timing or load_profiles(session, [event_id], prefixes=DATE_PREFIXES)[0]
        matches = []
        for article in articles:  # every article must join: the first that would not settles it
            matches.append(_match(session, article, event_id, timing))
            if matches[-1] is None:
                break
        if all(matches):
            reason = f"joined event {event_id} once it grew: {matches[0].reason}"
            absorb_event(session, event_id, other, reason)
            absorbed.append(other)
            timing = None
    return absorbed


def _match(session: Session, article: Article, event_id: int, timing: Profile) -> Match | None:
    """The article scored against the event as if it arrived now, when it would join it and
    nothing about when tells them apart (a late merge needs clean evidence); else None.
    `timing`: the event's profile of its date keys, which alone say whether timing agrees, so an
    article dated apart from the event is not scored at all."""
    features = extract_features(article)
    if not timing_agrees(features, timing):
        return None
    vector = texts.article_vector(session, features)
    (profile,) = load_profiles(session, [event_id], features)
    cosine = texts.text_similarities(session, vector, [event_id])[event_id]
    shared = wording.shared_wording(session, article.id)[event_id]
    match = score(features, profile, load_rarity(session, features), cosine, shared)
    return match if match.joinable else None


def absorb_event(
    session: Session, keep_id: int, absorb_id: int, reason: str, *, lock: bool = False
) -> None:
    """Move every article and claim of the absorbed event into the kept one (articles locked
    there when an admin merged them); the absorbed event redirects, the kept one is rebuilt. The
    caller re-aligns the kept event (`align.realign_event`): its claims keep their ids."""
    keep, absorbed = session.get(Event, keep_id), session.get(Event, absorb_id)
    for article in session.scalars(select(Article).where(Article.event_id == absorb_id)).all():
        article.event_id = keep_id
        article.event_reason = reason
        if lock:
            article.event_locked, article.event_score = True, None
        session.add(article)
    session.execute(update(Claim).where(Claim.event_id == absorb_id).values(event_id=keep_id))
    if keep.storyline_id is None:
        keep.storyline_id = absorbed.storyline_id
        session.add(keep)
    session.flush()
    retire_event(session, absorb_id, keep_id)
    rebuild_event(session, keep_id)


def _opening_reason(best: Match | None) -> str:
    if best is None:
        return "new event: no candidate event shares its dates or names"
    if best.score == float("-inf"):
        return f"new event: closest candidate (event {best.event_id}) ruled out, {best.reason}"
    detail = f": {best.reason}" if best.reason else ""
    return f"new event: best candidate (event {best.event_id}) scored {best.score:g}{detail}"


def forget_words(session: Session, article: Article) -> None:
    """Before an article placed in an event is deleted: its words leave the document frequencies."""
    if article.event_id is not None:
        texts.uncount_words(session, extract_features(article))


def retire_event(session: Session, event_id: int, into_id: int) -> None:
    """An event left without articles redirects to where they went and is no longer a candidate."""
    event = session.get(Event, event_id)
    event.merged_into_id = into_id
    event.updated_at = utcnow()
    session.add(event)
    session.execute(
        update(Event).where(Event.merged_into_id == event_id).values(merged_into_id=into_id)
    )
    drop_keys(session, event_id)
    texts.drop_profile(session, event_id)
    session.flush()


def rebuild_event(session: Session, event_id: int) -> None:
    """Recompute an event's keys, text profile and description from the articles it now holds."""
    articles = _rebuild_keys(session, event_id)
    vectors = texts.article_vectors(session, [extract_features(a) for a in articles])
    texts.rebuild_profile(session, event_id, vectors)
    session.flush()
    event = session.get(Event, event_id)
    if event is not None:
        describe_event(session, event)


def _rebuild_keys(session: Session, event_id: int) -> list[Article]:
    """Recompute an event's keys from the articles it now holds (returned)."""
    drop_keys(session, event_id)
    articles = session.scalars(select(Article).where(Article.event_id == event_id)).all()
    per_article = [extract_features(article).keys() for article in articles]
    full_names = full_names_by_part({key for keys in per_article for key in keys})
    counts: Counter[str] = Counter()
    for keys in per_article:
        counts.update(with_full_names(keys, full_names))
    if counts:
        session.execute(
            insert(EventKey),
            [
                {"event_id": event_id, "key": k, "weight": float(n)}
                for k, n in sorted(counts.items())
            ],
        )
    session.flush()
    return list(articles)


def describe_event(session: Session, event: Event) -> None:
    """Title (most representative headline), date range and location, from the event's articles."""
    rows = read_rows(
        session,
        select(
            Article.id,
            Article.title,
            Article.published_at,
            Article.published_offset,
            Article.date_precision,
            Article.dateline,
        )
        .where(Article.event_id == event.id)
        .order_by(Article.id),
    ).all()
    titles = tuple((i, t) for i, t, *_ in rows if t)[:TITLES_COMPARED]
    if titles:
        event.title = _most_central(titles)
    days = sorted(
        local_day(p, offset) for _, _, p, offset, prec, _ in rows if p and (prec or "day") == "day"
    )
    event.date_start, event.date_end = (days[0], days[-1]) if days else (None, None)
    event.location = _location(session, event.id, [dateline for *_, dateline in rows])
    event.updated_at = utcnow()
    session.add(event)
    session.flush()


@lru_cache(maxsize=TITLE_CHOICES_KEPT)
def _most_central(titles: tuple[tuple[int, str], ...]) -> str:
    """The title most like the others (ties: the earliest article's): a pure function of the
    event's first titles, kept, as a large event's first TITLES_COMPARED do not change when it
    grows."""
    return max(titles, key=lambda it: (_centrality(it[1], titles), -it[0]))[1]


def _centrality(title: str, titles: tuple[tuple[int, str], ...]) -> float:
    others = [t for _, t in titles if t is not title]
    if not others:
        return 0.0
    return sum(fuzz.token_set_ratio(title.lower(), o.lower()) for o in others) / len(others)


def _location(session: Session, event_id: int, datelines: list[str | None]) -> str | None:
    """The event's most common dateline (its articles' `datelines`), else its heaviest place."""
    counts = Counter(d.strip() for d in datelines if d and d.strip())
    if counts:
        return _display_place(min(counts, key=lambda d: (-counts[d], d)))
    for prefix in ("dateline:", "place:"):
        places = session.execute(
            select(EventKey.key, EventKey.weight).where(
                EventKey.event_id == event_id, EventKey.key.startswith(prefix)
            )
        ).all()
        if places:
            key, _ = min(places, key=lambda kw: (-kw[1], kw[0]))
            return key.removeprefix(prefix).title()
    return None


def _display_place(dateline: str) -> str:
    head, _, rest = dateline.partition(",")
    head = head.title() if head.isupper() else head
    return f"{head},{rest}" if rest else head
