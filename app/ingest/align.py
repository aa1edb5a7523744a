"""An event's mentions into claims: blocked candidates, scored pairs, one per article, stable ids.

`update_event_claims(session, article)` extracts the article's mentions and, when the article has an
event, re-aligns the whole event (`realign_event`). An article without an event keeps its mentions
with no claim until it joins one. Mentions marked `manual` (admin decisions) keep their claim.
"""

import json
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz
from sqlmodel import Session, col, select

from app.compare import claim_flags
from app.ingest import claims as extraction
from app.models import Article, Claim, Mention, Outlet, utcnow

THRESHOLD = 35.0  # pair score (0-100) from which two mentions state the same claim
QUOTE_MATCH = 80.0  # partial ratio of the quoted words from which two quotes are the same
QUOTE_MIN_WORDS = 3
QUOTE_CORE_WORDS = 4  # a quotation this long is what its sentence reports
SAME_SPEAKER_BONUS = 10.0
OTHER_SPEAKER_PENALTY = 100.0  # two named speakers: two claims, however alike the words
SHARED_NUMBER_BONUS = 5.0
DESCRIPTOR_WEIGHT = 0.3  # names and titles say who is involved, not what was reported
KEYS_PER_MENTION = 8  # the rarest tokens of a mention that find its candidates
MAX_GROUPS_PER_KEY = 50  # a key found in more groups than this does not tell claims apart
MAX_CANDIDATES = 8  # groups scored per mention, those sharing most keys with it
MEMBERS_COMPARED = 3  # a candidate claim is scored against its first few mentions
WIRE_SIMILARITY = 90.0  # near-verbatim sentences
WIRE_MENTION_SIMILARITY = 80.0  # in wire-related articles: a lightly edited copy of a sentence
WIRE_MIN_SHARED = 3  # near-verbatim sentences two articles share before they count as one wire copy
WIRE_MEMBERS_COMPARED = 12
# Re-aligning an event re-reads every mention and article it holds: the text analyses below are pure
# functions of the text, kept for the mentions and articles of recently grown events.
MENTION_ANALYSES_KEPT = 20_000
ARTICLE_ANALYSES_KEPT = 2_000


@dataclass
class Item:
    """A mention as alignment sees it."""

    key: int  # mention id, or any unique number outside the store
    article: int  # position of its article in the event's order
    kind: str
    text: str
    quote: str | None = None
    speaker: str | None = None
    numbers: frozenset = frozenset()
    tokens: frozenset = frozenset()
    quote_norm: str = ""
    norm: str = ""
    descriptors: frozenset = frozenset()  # name and title words: who is involved, not what happened
    weights: tuple[dict[str, float], float] | None = None  # within the event, see _weights


@dataclass
class Group:
    members: list[Item] = field(default_factory=list)
    scores: dict[int, tuple[float, str]] = field(default_factory=dict)  # item key -> score, reason

    def articles(self) -> set[int]:
        return {m.article for m in self.members}


def make_item(key: int, article: int, kind: str, text: str, quote, speaker, numbers) -> Item:
    tokens, quote_norm, norm, descriptors = _analysed(text, quote)
    return Item(
        key=key,
        article=article,
        kind=kind,
        text=text,
        quote=quote,
        speaker=speaker,
        numbers=frozenset((n["value"], _unit(n["unit"])) for n in numbers),
        tokens=tokens,
        quote_norm=quote_norm,
        norm=norm,
        descriptors=descriptors,
    )


@lru_cache(maxsize=MENTION_ANALYSES_KEPT)
def _analysed(text: str, quote: str | None) -> tuple[frozenset, str, str, frozenset]:
    """A mention's tokens, normalized quote and text, and descriptor tokens."""
    return (
        frozenset(extraction.content_tokens(_core(text, quote))),
        extraction.normalize(quote) if quote else "",
        extraction.normalize(text),
        extraction.descriptor_tokens(text),
    )


def _core(text: str, quote: str | None) -> str:
    """What a mention reports: the quoted words of a quote, else the whole sentence."""
    if quote and len(quote.split()) >= QUOTE_CORE_WORDS:
        return quote
    return text


def _unit(unit: str) -> str:
    return unit[:-1] if len(unit) > 3 and unit.endswith("s") else unit


# --- alignment (pure) ---------------------------------------------------------------------------


def align_items(items: Sequence[Item]) -> list[Group]:
    """Group items of different articles that state the same claim.

    Articles are taken in order; each article's items are matched one-to-one to the groups built so
    far (best pairs first, so matches are mutual best), found through shared rare tokens and
    numbers rather than by comparing all pairs. An unmatched item next to a matched one may join
    its group when that group is its own best match (an outlet that split the claim in two
    sentences). Other unmatched items open groups of their own.
    """
    idf = _idf(items)
    for item in items:
        item.weights = None
    keys = {item.key: _blocking_keys(item, idf) for item in items}
    groups: list[Group] = []
    index: dict[str, set[int]] = defaultdict(set)
    by_article: dict[int, list[Item]] = defaultdict(list)
    for item in items:
        by_article[item.article].append(item)
    for article in sorted(by_article):
        article_items = by_article[article]
        candidates = _candidates(article_items, groups, index, keys, idf)
        placed = _match_one_to_one(candidates, groups)
        _join_continuations(article_items, candidates, placed, groups)
        for item in article_items:
            if item.key not in placed:
                groups.append(Group(members=[item]))
                placed[item.key] = len(groups) - 1
        for item in article_items:
            for key in keys[item.key]:
                index[key].add(placed[item.key])
    return groups


Candidate = tuple[float, int, int, str, Item]  # -score, item key, group number, reason, item


def _candidates(article_items, groups, index, keys, idf) -> list[Candidate]:
    candidates = []
    for item in article_items:
        for group_no in _candidate_groups(keys[item.key], index):
            members = groups[group_no].members[:MEMBERS_COMPARED]
            score, best = max((_score(item, other, idf), n) for n, other in enumerate(members))
            if score >= THRESHOLD:
                reason = pair_score(item, members[best], idf)[1]
                candidates.append((-score, item.key, group_no, reason, item))
    return sorted(candidates, key=lambda c: c[:3])


def _candidate_groups(keys: list[str], index: dict[str, set[int]]) -> list[int]:
    """The groups sharing most blocking keys with an item; keys held by many groups are skipped."""
    shared: Counter = Counter()
    for key in keys:
        groups = index.get(key, ())
        if len(groups) <= MAX_GROUPS_PER_KEY:
            shared.update(groups)
    ranked = sorted(shared, key=lambda group_no: (-shared[group_no], group_no))
    return sorted(ranked[:MAX_CANDIDATES])


def _match_one_to_one(candidates: list[Candidate], groups: list[Group]) -> dict[int, int]:
    placed: dict[int, int] = {}
    taken: set[int] = set()
    for negative_score, item_key, group_no, reason, item in candidates:
        if item_key in placed or group_no in taken:
            continue
        placed[item_key] = group_no
        taken.add(group_no)
        groups[group_no].members.append(item)
        groups[group_no].scores[item_key] = (round(-negative_score, 1), reason)
    return placed


def _join_continuations(article_items, candidates, placed, groups) -> None:
    best: dict[int, Candidate] = {}
    for candidate in candidates:
        best.setdefault(candidate[1], candidate)
    for n, item in enumerate(article_items):
        if item.key in placed or item.key not in best:
            continue
        negative_score, _, group_no, reason, _ = best[item.key]
        neighbours = article_items[max(n - 1, 0) : n] + article_items[n + 1 : n + 2]
        if any(placed.get(other.key) == group_no for other in neighbours):
            placed[item.key] = group_no
            groups[group_no].members.append(item)
            groups[group_no].scores[item.key] = (round(-negative_score, 1), reason + "; continues")


def _idf(items: Sequence[Item]) -> dict[str, float]:
    df = Counter(token for item in items for token in item.tokens)
    total = len(items) + 1
    return {token: math.log(total / (count + 0.5)) + 1 for token, count in df.items()}


def _blocking_keys(item: Item, idf: dict[str, float]) -> list[str]:
    rare = sorted(item.tokens, key=lambda token: (-idf[token], token))[:KEYS_PER_MENTION]
    return [f"w:{token}" for token in rare] + [f"n:{v:g}:{u}" for v, u in sorted(item.numbers)]


def pair_score(a: Item, b: Item, idf: dict[str, float]) -> tuple[float, str]:
    """How surely two mentions state the same claim (0-100), and why."""
    score = _score(a, b, idf)
    reasons = []
    if _quote_match(a, b) >= QUOTE_MATCH:
        reasons.append("same quote")
    if a.speaker and b.speaker:
        reasons.append("same speaker" if a.speaker == b.speaker else "different speakers")
    numbers = a.numbers & b.numbers
    if numbers:
        figures = ", ".join(f"{v:g} {u}".strip() for v, u in sorted(numbers))
        reasons.append(f"same figures {figures}")
    top = sorted(a.tokens & b.tokens, key=lambda t: (-idf.get(t, 1.0), t))[:4]
    if top:
        reasons.append("shared words " + ", ".join(top))
    return score, "; ".join(reasons)


def _score(a: Item, b: Item, idf: dict[str, float]) -> float:
    (weights_a, total_a), (weights_b, total_b) = _weights(a, idf), _weights(b, idf)
    shared = sum(min(weights_a[t], weights_b[t]) for t in a.tokens & b.tokens)
    dice = 2 * shared / (total_a + total_b)
    containment = shared / min(total_a, total_b)
    score = 100 * (0.6 * dice + 0.4 * containment)
    quote = _quote_match(a, b)
    if quote >= QUOTE_MATCH:
        score = max(score, quote)
    if a.speaker and b.speaker:
        score += SAME_SPEAKER_BONUS if a.speaker == b.speaker else -OTHER_SPEAKER_PENALTY
    score += SHARED_NUMBER_BONUS * min(len(a.numbers & b.numbers), 2)
    return min(round(score, 1), 100.0)


def _weights(item: Item, idf: dict[str, float]) -> tuple[dict[str, float], float]:
    """IDF of each token (names and titles count for less), and their sum."""
    if item.weights is None:
        weights = {
            t: idf.get(t, 1.0) * (DESCRIPTOR_WEIGHT if t in item.descriptors else 1.0)
            for t in item.tokens
        }
        item.weights = (weights, sum(weights.values()) or 1.0)
    return item.weights


def _quote_match(a: Item, b: Item) -> float:
    if not (a.quote_norm and b.quote_norm):
        return 0.0
    short, long = sorted((a.quote_norm, b.quote_norm), key=len)
    if len(short.split()) < QUOTE_MIN_WORDS:
        return 0.0
    return fuzz.partial_ratio(short, long)


# --- wire copies --------------------------------------------------------------------------------


def wire_pairs(groups: Sequence[Group], linked: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """(earlier, later) article positions that carry the same wire copy.

    `linked` holds pairs already known as copies (Article.copy_of_id); others count when they share
    at least WIRE_MIN_SHARED near-verbatim sentences.
    """
    shared: Counter = Counter()
    for group in groups:
        members = group.members[:WIRE_MEMBERS_COMPARED]
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if fuzz.ratio(a.norm, b.norm) >= WIRE_SIMILARITY:
                    shared[tuple(sorted((a.article, b.article)))] += 1
    return set(linked) | {pair for pair, count in shared.items() if count >= WIRE_MIN_SHARED}


def independent_count(outlets: Sequence[object], wire: set[tuple[int, int]], positions) -> int:
    """Outlets reporting a claim once wire copies are collapsed (union-find over articles)."""
    parent = {p: p for p in positions}

    def find(p):
        while parent[p] != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    for a, b in wire:
        if a in parent and b in parent:
            parent[find(b)] = find(a)
    by_outlet: dict[object, int] = {}
    for position, outlet in zip(positions, outlets, strict=True):
        key = outlet if outlet is not None else ("article", position)
        if key in by_outlet:
            parent[find(position)] = find(by_outlet[key])
        by_outlet[key] = position
    return len({find(p) for p in positions})


# --- speakers across the event ------------------------------------------------------------------


def event_speakers(mentions: Sequence[Mention], articles: Sequence[Article]) -> dict[int, str]:
    """Mention id -> canonical speaker within the event (Blinken = Mr. Blinken = Antony Blinken)."""
    people: list[str] = []
    roles: dict[str, str] = {}
    for article in articles:
        article_people, article_roles = _people_and_roles(article.clean_text)
        people.extend(article_people)
        for role, name in article_roles:
            roles.setdefault(role, name)
    named = Counter(m.speaker for m in mentions if m.speaker)
    people.extend(named)
    resolved = {}
    for mention in mentions:
        speaker = mention.speaker
        if speaker is None and mention.speaker_raw:
            role = extraction.p.ROLE_REFERENCE.match(mention.speaker_raw)
            speaker = extraction.role_of(role["role"], roles) if role else None
        if speaker:
            resolved[mention.id] = _canonical(speaker, people, named)
    return resolved


@lru_cache(maxsize=ARTICLE_ANALYSES_KEPT)
def _people_and_roles(text: str) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    return tuple(extraction.known_people(text)), tuple(extraction.role_names(text).items())


def _canonical(name: str, people: list[str], named: Counter) -> str:
    """One spelling per person: the full name the event quotes most ("Wang" -> "Wang Yi"), and
    one of its variants ("Sergei"/"Sergey Lavrov")."""
    words = name.split()
    matches = {full for full in people if extraction.same_person(words, full.split())}
    full = max(matches, key=lambda m: (" " in m, named[m], len(m), m)) if matches else name
    variants = [
        other
        for other in set(people)
        if other.split()[-1] == full.split()[-1] and fuzz.ratio(other, full) >= 80
    ]
    return max(variants or [full], key=lambda v: (named[v], len(v), v))


# --- store --------------------------------------------------------------------------------------


def update_event_claims(session: Session, article: Article) -> None:
    store_mentions(session, article)
    if article.event_id is not None:
        realign_event(session, article.event_id)


def store_mentions(session: Session, article: Article) -> None:
    """Extract the article's mentions; unchanged spans keep their rows (and so their claims)."""
    extracted = {
        (c.start, c.end): c
        for c in extraction.extract_claims(article.clean_text)
        if c.text.strip() != (article.title or "").strip()
    }
    existing = session.exec(select(Mention).where(Mention.article_id == article.id)).all()
    for mention in existing:
        claim = extracted.pop((mention.start, mention.end), None)
        if claim is None and not mention.manual:
            session.delete(mention)
        elif claim is not None:
            _fill(mention, claim)
            session.add(mention)
    for claim in extracted.values():
        mention = Mention(
            article_id=article.id, start=claim.start, end=claim.end, kind=claim.kind, text=""
        )
        _fill(mention, claim)
        session.add(mention)
    session.flush()


def _fill(mention: Mention, claim: extraction.ExtractedClaim) -> None:
    mention.kind = claim.kind
    mention.text = claim.text
    mention.quote = claim.quote
    mention.speaker = claim.speaker
    mention.speaker_raw = claim.speaker_raw
    mention.numbers = json.dumps(list(claim.numbers), ensure_ascii=False)


def realign_event(session: Session, event_id: int) -> None:
    """Re-align all mentions of the event's articles, keeping claim ids stable."""
    articles = session.exec(
        select(Article).where(Article.event_id == event_id).order_by(col(Article.id))
    ).all()
    position = {article.id: n for n, article in enumerate(articles)}
    mentions = session.exec(
        select(Mention)
        .where(col(Mention.article_id).in_(list(position)))
        .order_by(col(Mention.article_id), col(Mention.start))
    ).all()
    event_claims = set(
        session.exec(
            select(Claim.id).where(Claim.event_id == event_id, col(Claim.merged_into_id).is_(None))
        ).all()
    )
    _release_departed(session, event_claims, set(position))
    speakers = event_speakers(mentions, articles)
    for mention in mentions:
        mention.speaker = speakers.get(mention.id, mention.speaker)
        if mention.manual and mention.claim_id not in event_claims:
            mention.manual = False  # placed by an admin in another event's claim: align it here
    automatic = [m for m in mentions if not m.manual]
    items = [
        make_item(
            m.id,
            position[m.article_id],
            m.kind,
            m.text,
            m.quote,
            m.speaker,
            json.loads(m.numbers),
        )
        for m in automatic
    ]
    groups = align_items(items)
    linked = {
        tuple(sorted((position[a.id], position[a.copy_of_id])))
        for a in articles
        if a.copy_of_id in position
    }
    wire = wire_pairs(groups, linked)
    by_id = {m.id: m for m in mentions}
    previous = {m.id: m.claim_id for m in mentions}
    claim_ids = _stable_ids(session, event_id, groups, by_id, event_claims)
    outlets = _outlet_names(session, articles)
    for group, claim_id in zip(groups, claim_ids, strict=True):
        for item in group.members:
            by_id[item.key].claim_id = claim_id
        _annotate(group, by_id, articles, wire)
    session.flush()
    _refresh_claims(session, event_id, mentions, articles, outlets, wire, position, previous)


def _release_departed(session: Session, event_claims: set[int], article_ids: set[int]) -> None:
    """Mentions of articles that left the event leave its claims (their new event aligns them)."""
    if not event_claims:
        return
    departed = session.exec(
        select(Mention).where(
            col(Mention.claim_id).in_(event_claims), col(Mention.article_id).not_in(article_ids)
        )
    ).all()
    for mention in departed:
        mention.claim_id = None
        mention.manual = False
        mention.align_score = mention.align_reason = mention.similarity = None
        session.add(mention)
    session.flush()


def _stable_ids(
    session: Session,
    event_id: int,
    groups: Sequence[Group],
    by_id: dict[int, Mention],
    current: set[int],
) -> list[int]:
    """Each group takes the id of the existing claim holding most of its mentions (ties: lowest);
    the largest shares are settled first, so a claim id goes to the group holding most of it.
    `current`: the event's claims (not merged away) before the run."""
    shares = [
        (-count, claim_id, n)
        for n, group in enumerate(groups)
        for claim_id, count in Counter(
            by_id[item.key].claim_id
            for item in group.members
            if by_id[item.key].claim_id in current
        ).items()
    ]
    ids: list[int | None] = [None] * len(groups)
    taken: set[int] = set()
    for _, claim_id, n in sorted(shares):
        if ids[n] is None and claim_id not in taken:
            ids[n] = claim_id
            taken.add(claim_id)
    new_claims = {}
    for n in range(len(groups)):
        if ids[n] is None:
            first = groups[n].members[0]
            new_claims[n] = Claim(event_id=event_id, kind=first.kind, text=first.text)
    session.add_all(new_claims.values())
    session.flush()  # one INSERT for all new claims; ids follow the order they were added in
    for n, claim in new_claims.items():
        ids[n] = claim.id
    return ids


def _annotate(
    group: Group, by_id: dict[int, Mention], articles: Sequence[Article], wire: set
) -> None:
    reference = group.members[0]
    outlets_seen = len(group.articles())
    for item in group.members:
        mention = by_id[item.key]
        if item is reference:
            mention.align_score = None
            mention.align_reason = (
                "reference phrasing" if outlets_seen > 1 else "reported by one article only"
            )
            mention.similarity = 100.0
        else:
            mention.align_score, mention.align_reason = group.scores[item.key]
            mention.similarity = round(fuzz.ratio(reference.norm, item.norm), 1)
        mention.wire_copy_of_id = None
        for other in group.members:
            pair = (other.article, item.article)
            if (
                other.article < item.article
                and pair in wire
                and fuzz.ratio(other.norm, item.norm) >= WIRE_MENTION_SIMILARITY
            ):
                mention.wire_copy_of_id = articles[other.article].id
                break


def _outlet_names(session: Session, articles: Sequence[Article]) -> dict[int, str | None]:
    outlet_ids = {a.outlet_id for a in articles if a.outlet_id is not None}
    names = {}
    if outlet_ids:
        names = {
            o.id: o.name
            for o in session.exec(select(Outlet).where(col(Outlet.id).in_(outlet_ids))).all()
        }
    return {a.id: names.get(a.outlet_id) for a in articles}


def _refresh_claims(
    session: Session,
    event_id: int,
    mentions: Sequence[Mention],
    articles: Sequence[Article],
    outlets: dict[int, str | None],
    wire: set,
    position: dict[int, int],
    previous: dict[int, int | None],
) -> None:
    """Rewrite each claim of the event from its mentions; retire claims that lost them all."""
    article_outlets = {a.id: a.outlet_id for a in articles}
    by_claim: dict[int, list[Mention]] = defaultdict(list)
    for mention in mentions:
        if mention.claim_id is not None:
            by_claim[mention.claim_id].append(mention)
    event_outlets = sorted({name for name in outlets.values() if name})
    now = utcnow()
    for claim in session.exec(select(Claim).where(Claim.event_id == event_id)).all():
        members = sorted(
            by_claim.get(claim.id, []), key=lambda m: (position[m.article_id], m.start)
        )
        if claim.merged_into_id is not None:
            continue
        if not members:
            survivor = _absorber(claim.id, previous, mentions)
            if survivor is not None and survivor != claim.id:
                claim.merged_into_id = survivor
            elif claim.removed_at is None:
                claim.removed_at = now
            session.add(claim)
            continue
        _describe(claim, members, articles, outlets, event_outlets, wire, position, article_outlets)
        claim.removed_at = None
        claim.updated_at = now
        session.add(claim)
    session.flush()


def _absorber(old_claim_id: int, previous: dict[int, int | None], mentions) -> int | None:
    """The claim now holding most of the mentions this claim held before the run."""
    now_in = Counter(
        m.claim_id
        for m in mentions
        if previous.get(m.id) == old_claim_id and m.claim_id is not None
    )
    return min(now_in, key=lambda c: (-now_in[c], c)) if now_in else None


def _describe(
    claim: Claim,
    members: Sequence[Mention],
    articles: Sequence[Article],
    outlets: dict[int, str | None],
    event_outlets: list[str],
    wire: set,
    position: dict[int, int],
    article_outlets: dict[int, int | None],
) -> None:
    kinds = Counter(m.kind for m in members)
    claim.kind = max(kinds, key=lambda kind: (kinds[kind], kind == "quote", kind == "statement"))
    speakers = Counter(m.speaker for m in members if m.speaker)
    claim.speaker = min(speakers, key=lambda s: (-speakers[s], s)) if speakers else None
    reference = members[0]
    claim.text = reference.text
    claim.normalized = extraction.normalize(reference.text)
    flags = claim_flags(
        [_as_dict(m, outlets) for m in members],
        reference_article_id=reference.article_id,
        event_outlets=event_outlets,
    )
    claim.flags = json.dumps(flags, ensure_ascii=False)
    outlet_keys = {article_outlets[m.article_id] or ("article", m.article_id) for m in members}
    claim.outlet_count = len(outlet_keys)
    article_ids = sorted({m.article_id for m in members}, key=lambda a: position[a])
    claim.independent_count = independent_count(
        [article_outlets[a] for a in article_ids], wire, [position[a] for a in article_ids]
    )


def _as_dict(mention: Mention, outlets: dict[int, str | None]) -> dict:
    return {
        "article_id": mention.article_id,
        "outlet": outlets.get(mention.article_id),
        "text": mention.text,
        "quote": mention.quote,
        "speaker": mention.speaker,
        "numbers": json.loads(mention.numbers),
        "wire_copy_of_id": mention.wire_copy_of_id,
    }


def resolve_claim_id(session: Session, claim_id: int) -> int | None:
    """The claim an id now stands for: merged claims resolve to their survivor."""
    seen = set()
    claim = session.get(Claim, claim_id)
    while claim is not None and claim.merged_into_id is not None and claim.id not in seen:
        seen.add(claim.id)
        claim = session.get(Claim, claim.merged_into_id)
    return claim.id if claim is not None else None
