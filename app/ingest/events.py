"""A stored article into its event (joined or opened, with a reason); descriptions; storylines."""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from rapidfuzz import fuzz
from sqlalchemy import bindparam, delete, func, insert, literal, or_, select, update
from sqlmodel import Session

from app.ingest import patterns_events as P
from app.models import Article, Event, EventKey, Storyline, utcnow

JOIN_THRESHOLD = 6.0
CONTENT_MIN = 3.0  # shared names, terms and figures needed besides matching dates and datelines
MAX_DAY_GAP = 4  # articles about one happening are published within a few days of each other
DAY_WINDOW = MAX_DAY_GAP  # day buckets looked up around an article's date
BLOCKING_KEY_CAP = 500  # a key held by more events than this is too common to block on
MAX_CANDIDATES = 50
TOP_TERMS = 30
LOOKUP_TERMS = 8
STORYLINE_MIN_PEOPLE = 2
STORYLINE_MIN_TERMS = 4
# Scoring reads these keys of a candidate event whole; of the others only those the article holds.
SCORED_IN_FULL = ("day:", "month:", "year:", "textyear:", "dateline:", "person:")

# How many events hold a key, counted no further than the cap. Built once and run per key: a
# statement with one subquery per key had to be built and compiled anew for every article.
HOLDERS = select(func.count()).select_from(
    select(literal(1))
    .where(EventKey.key == bindparam("key"))
    .limit(BLOCKING_KEY_CAP + 1)
    .subquery()
)

WEIGHTS = {
    "same_day": 3.0,
    "near_day": 1.5,
    "same_dateline": 3.0,
    "dateline_named": 1.0,
    "other_dateline": -2.0,
    "person": 1.0,
    "place": 1.5,
    "name": 1.0,
    "term": 0.25,
    "figure": 1.0,  # 6.9, 5.5%, $1.2 billion, 220000: rarely shared by chance
    "number": 0.5,
    "year_mentioned": 1.0,
    "year_not_mentioned": 0.0,  # texts name past and future years freely: no evidence against
}


@dataclass(frozen=True)
class Features:
    """What tells one happening from another, extracted from one article."""

    title: str
    day: date | None  # known publication day
    year: int | None  # known publication year (day, month or year precision)
    month: str | None  # known publication month, "YYYY-MM"
    text_years: frozenset[int]  # years the text mentions (soft evidence when the date is unknown)
    dateline: str | None
    people: frozenset[str]
    places: frozenset[str]  # specific places: cities, islands, venues
    entities: frozenset[str]  # organisations, groupings and other names
    terms: tuple[str, ...]  # the most frequent content words, most frequent first
    numbers: frozenset[str]

    def keys(self) -> list[str]:
        keys = [f"person:{p}" for p in self.people]
        keys += [f"place:{p}" for p in self.places]
        keys += [f"entity:{e}" for e in self.entities]
        keys += [f"term:{t}" for t in self.terms]
        keys += [f"num:{n}" for n in self.numbers]
        keys += [f"textyear:{y}" for y in self.text_years]
        if self.dateline:
            keys.append(f"dateline:{self.dateline}")
        if self.day:
            keys.append(f"day:{self.day.isoformat()}")
        if self.month:
            keys.append(f"month:{self.month}")
        if self.year:
            keys.append(f"year:{self.year}")
        return sorted(set(keys))


@dataclass(frozen=True)
class Profile:
    """An event as its keys describe it (key -> number of its articles holding the key).

    A candidate's profile may hold only the keys scoring reads (see `_profiles`)."""

    event_id: int
    title: str
    weights: dict[str, float]
    articles: int = 1
    _values: dict[str, frozenset[str]] = field(default_factory=dict, repr=False, compare=False)

    def share(self, key: str) -> float:
        """How much of the event holds the key: a name one report of many mentions counts less."""
        return min(1.0, self.weights.get(key, 0.0) / max(self.articles, 1))

    def values(self, prefix: str) -> frozenset[str]:
        """The values of the keys with this prefix ("place:" -> {"bali", ...}), found once."""
        if prefix not in self._values:
            self._values[prefix] = frozenset(
                k[len(prefix) :] for k in self.weights if k.startswith(prefix)
            )
        return self._values[prefix]

    @cached_property
    def days(self) -> list[date]:
        return sorted(date.fromisoformat(d) for d in self.values("day:"))


@dataclass(frozen=True)
class Match:
    event_id: int
    score: float
    reason: str
    joinable: bool


# --- features ------------------------------------------------------------------------------


def person_key(name: str) -> str:
    """A person's EventKey: "Secretary of State Antony Blinken’s" -> "person:antony blinken"."""
    tokens = [_bare(t).rstrip(".") for t in name.split()]
    ignored = P.TITLE_WORDS | P.STOP_ENTITIES
    return "person:" + " ".join(t for t in tokens if t and t not in ignored)


def _bare(token: str) -> str:
    token = token.lower().replace("’", "'")
    if token.endswith("'s"):
        token = token[:-2]
    return token.rstrip("'")


def _normalize_place(text: str | None) -> str | None:
    if not text:
        return None
    place = text.split(",")[0].strip().lower()
    return place or None


def _sentence_start(text: str, start: int) -> bool:
    before = text[max(0, start - 3) : start].rstrip(" \t“\"'‘(")
    return not before or before[-1] in ".!?:\n—–-"


def _names(text: str) -> tuple[set[str], set[str], set[str]]:
    """People, specific places and other entities named in the text."""
    runs = [run for line in text.splitlines() if not _headline_case(line) for run in _runs(line)]
    mid_sentence = {t for tokens, start, _ in runs if not start for t in tokens}
    by_part: dict[str, set[str]] = {}
    for tokens, _, _ in runs:
        if _looks_like_person(tokens):
            for part in (tokens[0], tokens[-1]):
                by_part.setdefault(part, set()).add(" ".join(tokens))

    people, places, entities = set(), set(), set()
    for tokens, at_start, honorific in runs:
        name = " ".join(tokens)
        if len(tokens) == 1 and at_start and name not in mid_sentence and not honorific:
            continue
        if name in P.CONTEXT_PLACES:
            continue
        if name in P.SPECIFIC_PLACES:
            places.add(name)
        elif _looks_like_person(tokens):
            people.add(name)
        elif len(tokens) == 1 and len(by_part.get(name, ())) == 1:
            people.add(next(iter(by_part[name])))
        elif len(tokens) == 1 and honorific:
            people.add(name)
        elif len(name) > 1 and len(tokens) <= P.MAX_NAME_TOKENS:
            entities.add(re.sub(r"(?<=[a-z])-(?=\d)", "", name))
    return people, places, entities


def _headline_case(line: str) -> bool:
    words = [w for w in line.split() if w[:1].isalpha()]
    capitalized = sum(w[0].isupper() for w in words)
    return len(words) >= 4 and capitalized / len(words) >= P.HEADLINE_CASE_SHARE


def _runs(line: str) -> list[tuple[list[str], bool, bool]]:
    """Name runs split at titles and stop words: (tokens, at sentence start, after honorific)."""
    runs = []
    for match in P.NAME_RUN.finditer(line):
        segment: list[str] = []
        at_start = _sentence_start(line, match.start())
        honorific = False
        for raw in match.group().split():
            token = _bare(raw)
            plain = token.rstrip(".")
            if {token, plain} & (P.TITLE_WORDS | P.STOP_ENTITIES):
                if segment:
                    runs.append((segment, at_start, honorific))
                segment, at_start = [], False
                honorific = plain in P.HONORIFICS
                continue
            segment.append(plain if len(plain) > 1 else token)
            if raw.endswith(("’s", "'s")):  # "Japan's Kenji Hayashida": two names
                runs.append((segment, at_start, honorific))
                segment, at_start, honorific = [], False, False
        if segment:
            runs.append((segment, at_start, honorific))
    return runs


def _looks_like_person(tokens: list[str]) -> bool:
    return (
        2 <= len(tokens) <= 3
        and all(t.replace("-", "").replace("'", "").isalpha() for t in tokens)
        and not any(t in P.NON_PERSON_WORDS for t in tokens)
        and " ".join(tokens) not in P.SPECIFIC_PLACES
    )


def _terms(title: str, text: str, names: set[str]) -> tuple[str, ...]:
    name_words = {w for n in names for w in n.split()}
    counts: Counter[str] = Counter()
    for weight, source in ((3, title), (1, text)):
        for word in P.WORD.findall(source.lower()):
            word = _bare(word)
            if len(word) < 4 or word in P.STOP_TERMS or word in name_words:
                continue
            if word.endswith("s") and not word.endswith("ss") and len(word) > 4:
                word = word[:-1]
            counts[word] += weight
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(word for word, _ in ranked[:TOP_TERMS])


def _without_dates(text: str) -> tuple[str, set[int]]:
    years = {int(m.group(3)) for m in P.MONTH_DAY.finditer(text) if m.group(3)}
    years |= {int(m.group(3)) for m in P.DAY_MONTH.finditer(text) if m.group(3)}
    text = P.DAY_MONTH.sub(" ", P.MONTH_DAY.sub(" ", text))
    years |= {int(y) for y in P.YEAR.findall(text)}
    return P.YEAR.sub(" ", text), years


def _numbers(text: str) -> set[str]:
    numbers = set()
    for match in P.NUMBER.finditer(text):
        value = match.group().replace(",", "").lower()
        digits = re.sub(r"\D", "", value)
        if len(digits) >= 2 or not value.isdigit():
            numbers.add(value)
    return numbers


def extract_features(article: Article) -> Features:
    text = article.clean_text or ""
    title = article.title or ""
    dateline = _normalize_place(article.dateline)
    found = P.DATELINE.search(text[:600])
    if dateline is None and found:
        dateline = _normalize_place(found.group(1))
    story = text[: found.start()] + text[found.end() :] if found else text
    people, places, entities = _names(f"{title}\n{story}")
    if dateline and dateline not in P.CONTEXT_PLACES:
        places.add(dateline)
    dateless, text_years = _without_dates(text)
    published = article.published_at
    precision = article.date_precision or ("day" if published else None)
    return Features(
        title=title,
        day=published.date() if published and precision == "day" else None,
        year=published.year if published else None,
        month=published.strftime("%Y-%m") if published and precision in ("day", "month") else None,
        text_years=frozenset(text_years),
        dateline=dateline,
        people=frozenset(people),
        places=frozenset(places),
        entities=frozenset(entities),
        terms=_terms(title, text, people | places | entities),
        numbers=frozenset(_numbers(dateless)),
    )


# --- scoring -------------------------------------------------------------------------------


def _date_verdict(f: Features, e: Profile) -> tuple[bool, float, str | None]:
    """(compatible, score, reason): far-apart dates mean different events, whatever is shared."""
    days, years, months = e.days, e.values("year:"), e.values("month:")
    if f.day and days:
        gap = min(abs((f.day - d).days) for d in days)
        if gap > MAX_DAY_GAP:
            return False, 0.0, f"dates {gap} days apart"
        if gap <= 1:
            return True, WEIGHTS["same_day"], "dates within 1 day"
        return True, WEIGHTS["near_day"], f"dates within {gap} days"
    if f.month and months and f.month not in months:
        return False, 0.0, "different months"
    if f.year and years and str(f.year) not in years:
        return False, 0.0, "different years"
    if f.year and years:
        return True, 0.0, "same year"
    mine = {str(f.year)} if f.year else {str(y) for y in f.text_years}
    theirs = years or e.values("textyear:")
    if mine and theirs:
        if mine & theirs:
            return True, WEIGHTS["year_mentioned"], "same year mentioned"
        return True, WEIGHTS["year_not_mentioned"], "other years mentioned"
    return True, 0.0, None


def score(f: Features, e: Profile) -> Match:
    compatible, total, date_reason = _date_verdict(f, e)
    if not compatible:
        return Match(e.event_id, float("-inf"), date_reason or "", joinable=False)
    reasons = [date_reason] if date_reason else []
    datelines = e.values("dateline:")
    if f.dateline and f.dateline in datelines:
        total += WEIGHTS["same_dateline"]
        reasons.insert(0, "same dateline")
    elif f.dateline and datelines:
        total += WEIGHTS["other_dateline"]
        reasons.insert(0, "different datelines")
    elif (f.dateline and f.dateline in e.values("place:") | e.values("entity:")) or datelines & (
        f.places | f.entities
    ):
        total += WEIGHTS["dateline_named"]
        reasons.insert(0, "dateline named in text")

    content, content_reasons = _content_score(f, e)
    reasons += content_reasons
    total += content
    if content < CONTENT_MIN:
        reasons.append("too little in common")
    joinable = content >= CONTENT_MIN and total >= JOIN_THRESHOLD
    return Match(e.event_id, round(total, 2), ", ".join(reasons), joinable)


# --- store ---------------------------------------------------------------------------------


def _content_score(f: Features, e: Profile) -> tuple[float, list[str]]:
    """What the article and the event share besides when and where they were reported from."""
    their_names = e.values("place:") | e.values("entity:")
    shared_names = (f.places | f.entities) & their_names - {f.dateline}
    shared_numbers = f.numbers & e.values("num:")
    people = _shared_people(f.people, e.values("person:"))
    terms = set(f.terms) & e.values("term:")
    score = (
        sum(WEIGHTS["person"] * _held(e, "person:", p) for p in people)
        + sum(
            WEIGHTS["place" if n in P.SPECIFIC_PLACES else "name"]
            * max(_held(e, "place:", n), _held(e, "entity:", n))
            for n in shared_names
        )
        + sum(WEIGHTS["term"] * _held(e, "term:", t) for t in terms)
        + sum(
            WEIGHTS["figure" if _is_figure(n) else "number"] * _held(e, "num:", n)
            for n in shared_numbers
        )
    )
    reasons = []
    if people or shared_names:
        reasons.append(f"{len(people) + len(shared_names)} shared names")
    if terms:
        reasons.append(f"{len(terms)} shared terms")
    if shared_numbers:
        reasons.append(f"{len(shared_numbers)} shared figures")
    similarity = fuzz.token_set_ratio(f.title.lower(), e.title.lower()) if f.title else 0
    if similarity >= 60:
        score += (similarity - 50) / 25
        reasons.append(f"title {similarity:.0f}% similar")
    return score, reasons


def _held(e: Profile, prefix: str, value: str) -> float:
    """A shared key counts by the share of the event's reports holding it (no hub events)."""
    share = e.share(prefix + value)
    if prefix == "person:" and not share:
        share = max(
            (e.share(k) for k in e.weights if k.startswith(prefix) and value in k), default=0
        )
    return share


def _is_figure(number: str) -> bool:
    return not number.isdigit() or len(number) >= 3


def _shared_people(mine: frozenset[str], theirs: set[str]) -> set[str]:
    """People in both, a lone surname matching a full name ("wang" and "wang yi")."""
    parts = {part for name in theirs for part in (name.split()[0], name.split()[-1])}
    return {p for p in mine if p in theirs or (" " not in p and p in parts)} | {
        p for p in mine if " " in p and {p.split()[0], p.split()[-1]} & theirs
    }


def _blocking_keys(f: Features) -> list[str]:
    keys = [f"person:{p}" for p in sorted(f.people)]
    keys += [f"place:{p}" for p in sorted(f.places)]
    keys += [f"entity:{e}" for e in sorted(f.entities)]
    keys += [f"term:{t}" for t in f.terms[:LOOKUP_TERMS]]
    if f.dateline:
        keys.append(f"dateline:{f.dateline}")
    return keys


def _candidates(session: Session, f: Features) -> list[int]:
    """Events found by index lookups on day buckets and entity keys: never a scan."""
    hits: Counter[int] = Counter()
    if f.day:
        days = [f"day:{f.day + timedelta(days=d)}" for d in range(-DAY_WINDOW, DAY_WINDOW + 1)]
        rows = session.execute(
            select(EventKey.event_id).where(EventKey.key.in_(days)).limit(BLOCKING_KEY_CAP * 4)
        )
        for (event_id,) in rows:
            hits[event_id] += 3
    hits.update(_events_holding(session, _blocking_keys(f)))
    ranked = sorted(hits.items(), key=lambda item: (-item[1], item[0]))
    return [event_id for event_id, _ in ranked[:MAX_CANDIDATES]]


def _events_holding(session: Session, keys: list[str]) -> Counter[int]:
    """How many of the keys each event holds, counting only keys few events hold: a key held by
    thousands of events (a head of state, "summit") cannot tell them apart."""
    if not keys:
        return Counter()
    rare = [
        key for key in keys if session.execute(HOLDERS, {"key": key}).scalar() <= BLOCKING_KEY_CAP
    ]
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


def _profiles(
    session: Session, event_ids: list[int], scored: Features | None = None
) -> list[Profile]:
    """The events' profiles; to score `scored` against them, only the keys its score reads."""
    if not event_ids:
        return []
    weights: dict[int, dict[str, float]] = {event_id: {} for event_id in event_ids}
    query = select(EventKey.event_id, EventKey.key, EventKey.weight).where(
        EventKey.event_id.in_(event_ids)
    )
    if scored is not None:
        query = query.where(
            or_(
                EventKey.key.in_(_keys_read(scored)),
                *(EventKey.key.startswith(prefix) for prefix in SCORED_IN_FULL),
            )
        )
    rows = session.execute(query)
    for event_id, key, weight in rows:
        weights[event_id][key] = weight
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
        Profile(i, titles[i], weights[i], sizes.get(i, 1)) for i in sorted(event_ids) if i in titles
    ]


def _keys_read(f: Features) -> list[str]:
    """The keys besides SCORED_IN_FULL that scoring the article and adding it to an event read:
    its own, and each name it holds as a place or as an entity (an event may file it either way)."""
    names = f.places | f.entities | ({f.dateline} if f.dateline else set())
    keys = set(f.keys())
    keys |= {f"{prefix}{name}" for name in names for prefix in ("place:", "entity:")}
    return sorted(keys)


def _add_keys(session: Session, event_id: int, keys: list[str], known: dict[str, float]) -> None:
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


def assign_article(session: Session, article: Article) -> None:
    """Join the article to the best-scoring event, or open a new one; refresh the description."""
    if article.event_locked:
        return
    session.flush()
    previous = article.event_id
    features = extract_features(article)
    profiles = _profiles(session, _candidates(session, features), features)
    if previous is not None:
        article.event_id = None
        session.flush()
        rebuild_event(session, previous)
        profiles = _profiles(session, [p.event_id for p in profiles], features)
    matches = [score(features, p) for p in profiles]
    best = max(matches, key=lambda m: (m.joinable, m.score, -m.event_id), default=None)
    if best is not None and best.joinable:
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
    _add_keys(session, event.id, _canonical_people(keys, set(known) | set(keys)), known)
    session.flush()
    if _canonical_people(list(known), set(keys)) != sorted(known):
        rebuild_event(session, event.id)  # the article names in full someone known by surname
    else:
        describe_event(session, event)
    link_storyline(session, event)
    if (
        previous not in (None, event.id)
        and not session.scalars(select(Article.id).where(Article.event_id == previous)).first()
    ):
        retire_event(session, previous, event.id)


def _opening_reason(best: Match | None) -> str:
    if best is None:
        return "new event: no candidate event shares its dates or names"
    if best.score == float("-inf"):
        return f"new event: closest candidate (event {best.event_id}) ruled out, {best.reason}"
    detail = f": {best.reason}" if best.reason else ""
    return f"new event: best candidate (event {best.event_id}) scored {best.score:g}{detail}"


def _canonical_people(keys: list[str], known: set[str]) -> list[str]:
    """A lone surname ("person:wang") becomes the one full name of the event it matches."""
    full_names: dict[str, set[str]] = {}
    for key in known:
        name = key.removeprefix("person:")
        if key.startswith("person:") and " " in name:
            for part in (name.split()[0], name.split()[-1]):
                full_names.setdefault(part, set()).add(key)
    canonical = set()
    for key in keys:
        matches = full_names.get(key.removeprefix("person:"), set())
        lone = key.startswith("person:") and " " not in key
        canonical.add(next(iter(matches)) if lone and len(matches) == 1 else key)
    return sorted(canonical)


def retire_event(session: Session, event_id: int, into_id: int) -> None:
    """An event left without articles redirects to where they went and is no longer a candidate."""
    event = session.get(Event, event_id)
    event.merged_into_id = into_id
    event.updated_at = utcnow()
    session.add(event)
    session.execute(
        update(Event).where(Event.merged_into_id == event_id).values(merged_into_id=into_id)
    )
    session.execute(delete(EventKey).where(EventKey.event_id == event_id))
    session.flush()


def rebuild_event(session: Session, event_id: int) -> None:
    """Recompute an event's keys and description from the articles it now holds."""
    session.execute(delete(EventKey).where(EventKey.event_id == event_id))
    articles = session.scalars(select(Article).where(Article.event_id == event_id)).all()
    per_article = [extract_features(article).keys() for article in articles]
    every_key = {key for keys in per_article for key in keys}
    counts: Counter[str] = Counter()
    for keys in per_article:
        counts.update(_canonical_people(keys, every_key))
    if counts:
        session.execute(
            insert(EventKey),
            [
                {"event_id": event_id, "key": k, "weight": float(n)}
                for k, n in sorted(counts.items())
            ],
        )
    session.flush()
    event = session.get(Event, event_id)
    if event is not None:
        describe_event(session, event)


# --- descriptions and storylines -----------------------------------------------------------


def describe_event(session: Session, event: Event) -> None:
    """Title (most representative headline), date range and location, from the event's articles."""
    rows = session.execute(
        select(Article.id, Article.title, Article.published_at, Article.date_precision)
        .where(Article.event_id == event.id)
        .order_by(Article.id)
    ).all()
    titles = [(i, t) for i, t, _, _ in rows if t][:50]
    if titles:
        event.title = max(titles, key=lambda it: (_centrality(it[1], titles), -it[0]))[1]
    days = sorted(p.date() for _, _, p, prec in rows if p and (prec or "day") == "day")
    event.date_start, event.date_end = (days[0], days[-1]) if days else (None, None)
    event.location = _location(session, event.id)
    event.updated_at = utcnow()
    session.add(event)
    session.flush()


def _centrality(title: str, titles: list[tuple[int, str]]) -> float:
    others = [t for _, t in titles if t is not title]
    if not others:
        return 0.0
    return sum(fuzz.token_set_ratio(title.lower(), o.lower()) for o in others) / len(others)


def _location(session: Session, event_id: int) -> str | None:
    datelines = session.scalars(
        select(Article.dateline).where(Article.event_id == event_id, Article.dateline.is_not(None))
    ).all()
    if datelines:
        counts = Counter(d.strip() for d in datelines if d.strip())
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


def link_storyline(session: Session, event: Event) -> None:
    """Put the event in the storyline of an event at other dates about the same people and story."""
    if event.storyline_id is not None:
        return
    (profile,) = _profiles(session, [event.id])
    people = profile.values("person:")
    if len(people) < STORYLINE_MIN_PEOPLE:
        return
    hits = _events_holding(session, [f"person:{person}" for person in sorted(people)])
    hits.pop(event.id, None)
    # The events sharing most people, the latest first, are the likeliest earlier chapters.
    candidates = sorted(
        (i for i, n in hits.items() if n >= STORYLINE_MIN_PEOPLE), key=lambda i: (-hits[i], -i)
    )
    best: tuple[int, int, int] | None = None
    for other in _profiles(session, candidates[:MAX_CANDIDATES]):
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
        shared = sorted(people & _profiles(session, [other_event.id])[0].values("person:"))
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
