"""An article's text into stored mentions, and an event's mentions into claims with stable ids.

`update_event_claims(session, article)` extracts the article's mentions and, when the article has an
event, aligns them: an article added last to an event that has claims is aligned against those
claims only (`align_added_article`: existing claims keep their members, only the claims it touches
are rewritten); otherwise, and for admin corrections, the whole event is re-aligned
(`realign_event`). An article without an event keeps its mentions with no claim until it joins
one. Mentions marked `manual` (admin decisions) keep their claim.
The grouping itself is pure (`score`, `wire`, `speakers`); this module reads and writes the store.
"""

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import SimpleNamespace

from rapidfuzz import fuzz
from sqlalchemy import bindparam, insert, update
from sqlmodel import Session, col, func, select

from app.db import EventMemo, read_rows
from app.flags import not_reported_flags, reference_free_flags
from app.identity import follow_merges
from app.ingest import claims as extraction
from app.ingest.align.score import (
    MENTION_ANALYSES_KEPT,
    EventIndex,
    Group,
    Item,
    align_items,
    extend_groups,
    join_step,
    make_item,
)
from app.ingest.align.speakers import event_speakers
from app.ingest.align.wire import WIRE_MENTION_SIMILARITY, independent_count, wire_pairs
from app.models import Article, Claim, Mention, Outlet, utcnow
from app.text.normalize import normalize

# What aligning an added article reads of the event's other mentions (rows, not loaded models).
EARLIER_MENTION_COLUMNS = (
    Mention.id,
    Mention.claim_id,
    Mention.article_id,
    Mention.start,
    Mention.kind,
    Mention.text,
    Mention.quote,
    Mention.speaker,
    Mention.speaker_raw,
    Mention.numbers,
    Mention.manual,
    Mention.wire_copy_of_id,
    Mention.align_score,
    Mention.align_reason,
)

# What aligning reads of an event's articles (rows, not loaded models: an event of hundreds of
# articles is read again for every article it gains).
EVENT_ARTICLE_COLUMNS = (Article.id, Article.outlet_id, Article.copy_of_id, Article.clean_text)

# Events whose rows and claims' groups, as an incremental alignment left them, this process keeps
# for the next article they gain (an event of hundreds of articles would be read again whole, and
# its groups rebuilt from every mention, for every one), weighed by their mentions: a 10,000-article
# store works on ~60 large stories at once among thousands of small events, where a memo of 16
# events missed 60% of the time (on a 5,000-article store: 886 -> 492 ms CPU per added article,
# peak memory 858 -> 1,032 MB).
ALIGNED_MENTIONS_KEPT = 150_000

NEW_CLAIMS = insert(Claim.__table__).returning(Claim.__table__.c.id, sort_by_parameter_order=True)
CLAIM_FLAGS = (
    update(Claim.__table__)
    .where(Claim.__table__.c.id == bindparam("claim_id"))
    .values(flags=bindparam("flags"), updated_at=bindparam("updated_at"))
)


@dataclass(frozen=True)
class AlignedEvent:
    """An event's rows as an incremental alignment left them: its articles in order
    (EVENT_ARTICLE_COLUMNS), their mentions in reading order (EARLIER_MENTION_COLUMNS), each
    claim's members as `stored_groups` reads them from those rows ((claim id, items) in order),
    and those groups' `EventIndex` (brought up to date in place by the next article added)."""

    articles: tuple
    mentions: tuple
    groups: tuple[tuple[int, tuple[Item, ...]], ...]
    index: EventIndex

    def stored_groups(self) -> dict[int, Group]:
        """The kept groups, new lists each: extending them leaves the kept ones as they were."""
        return {claim_id: Group(members=list(members)) for claim_id, members in self.groups}


ALIGNED = EventMemo(ALIGNED_MENTIONS_KEPT, weight=lambda aligned: len(aligned.mentions) + 1)


@dataclass(frozen=True)
class EventArticles:
    """An event's articles as claims are described from them."""

    articles: Sequence[Article]  # in the event's order
    position: dict[int, int]  # article id -> position in that order
    outlet_ids: dict[int, int | None]  # article id -> its outlet
    outlet_names: dict[int, str | None]  # article id -> its outlet's name
    wire: set[tuple[int, int]]  # (earlier, later) positions carrying the same wire copy

    @property
    def outlets_covering(self) -> list[str]:
        return sorted({name for name in self.outlet_names.values() if name})


@dataclass(frozen=True)
class ReadAhead:
    """The claims extracted from a text before its article was stored (in another process):
    they stand for the stored article's only while its clean text is this one."""

    text: str
    claims: list[extraction.ExtractedClaim]


def read_ahead(text: str) -> ReadAhead:
    return ReadAhead(text, extraction.extract_claims(text))


def update_event_claims(session: Session, article: Article, ahead: ReadAhead | None = None) -> None:
    store_mentions(session, article, ahead)
    if article.event_id is None:
        return
    size = _event_size(session, article.event_id)
    if _doubled(size) or not align_added_article(session, article, size):
        realign_event(session, article.event_id)


def _doubled(size: int) -> bool:
    """The event just reached a power-of-two size. Incremental alignment scores an added article
    with the event's word rarities of the moment, so its borderline joins drift from what a full
    re-align with today's rarities decides; re-aligning in full whenever the event doubles keeps
    that drift to its latest half, for an amortised cost of about two full re-aligns of its final
    size spread over all its articles."""
    return size & (size - 1) == 0


def _event_size(session: Session, event_id: int) -> int:
    return session.exec(
        select(func.count()).select_from(Article).where(Article.event_id == event_id)
    ).one()


def store_mentions(session: Session, article: Article, ahead: ReadAhead | None = None) -> None:
    """Extract the article's mentions (`ahead`: read already, used when its text is the
    article's); unchanged spans keep their rows (and so their claims)."""
    if ahead is not None and ahead.text == article.clean_text:
        claims = ahead.claims
    else:
        claims = extraction.extract_claims(article.clean_text)
    extracted = {
        (c.start, c.end): c for c in claims if c.text.strip() != (article.title or "").strip()
    }
    existing = session.exec(select(Mention).where(Mention.article_id == article.id)).all()
    for mention in existing:
        claim = extracted.pop((mention.start, mention.end), None)
        if claim is None and not mention.manual:
            session.delete(mention)
        elif claim is not None:
            for name, value in _extracted_fields(claim).items():
                setattr(mention, name, value)
            session.add(mention)
    session.flush()
    if extracted:  # Core executemany: building ORM rows costs more than extracting them
        session.connection().execute(
            insert(Mention.__table__),
            [
                {"article_id": article.id, "start": start, "end": end, **_extracted_fields(claim)}
                for (start, end), claim in extracted.items()
            ],
        )


def _extracted_fields(claim: extraction.ExtractedClaim) -> dict:
    return {
        "kind": claim.kind,
        "text": claim.text,
        "quote": claim.quote,
        "speaker": claim.speaker,
        "speaker_raw": claim.speaker_raw,
        "numbers": json.dumps(list(claim.numbers), ensure_ascii=False),
    }


def mentions_in_order(
    session: Session, articles: Sequence[Article]
) -> tuple[dict[int, int], list[Mention]]:
    """Each article's position (the order given) and the articles' mentions in reading order."""
    position = {article.id: n for n, article in enumerate(articles)}
    mentions = session.exec(
        select(Mention)
        .where(col(Mention.article_id).in_(list(position)))
        .order_by(col(Mention.article_id), col(Mention.start))
    ).all()
    return position, list(mentions)


def mention_item(mention: Mention, position: dict[int, int], speaker: str | None = None) -> Item:
    """A stored mention as an alignment item (`speaker` overrides the stored one)."""
    return _item(
        mention.id,
        position[mention.article_id],
        mention.kind,
        mention.text,
        mention.quote,
        speaker or mention.speaker,
        mention.numbers,
    )


@lru_cache(maxsize=MENTION_ANALYSES_KEPT)
def _item(key: int, article: int, kind: str, text: str, quote, speaker, numbers: str) -> Item:
    """Aligning an added article reads every mention of its event: the item of a mention that
    did not change is the one built last time (each alignment weighs its items afresh)."""
    return make_item(key, article, kind, text, quote, speaker, _numbers(numbers))


@lru_cache(maxsize=MENTION_ANALYSES_KEPT)
def _numbers(stored: str) -> list[dict]:
    """A mention's stored figures (JSON), parsed once for the mentions re-read most."""
    return json.loads(stored)


def align_added_article(session: Session, article: Article, size: int | None = None) -> bool:
    """Align the mentions of an article that joined its event last against the event's claims,
    as re-aligning the event would take it; False (nothing written) when that does not apply:
    the event has no claims yet, the article is not its latest, its mentions are already
    aligned, or an earlier mention has no claim of the event. Earlier mentions are read as plain
    rows and keep their claims; they are rewritten only where the article changes how the event
    spells a speaker they name (respelt, their claims described again), and for the reference of a
    claim the article joins, whose reason may change. `size`: the event's article count, when the
    caller has counted them."""
    event_id = article.event_id
    if size is None:
        size = _event_size(session, event_id)
    articles, earlier, kept = _event_rows(session, article, size)
    if articles[-1].id != article.id:
        return False
    position = {a.id: n for n, a in enumerate(articles)}
    added = session.exec(
        select(Mention).where(Mention.article_id == article.id).order_by(col(Mention.start))
    ).all()
    event_claims = set(
        session.exec(
            select(Claim.id).where(Claim.event_id == event_id, col(Claim.merged_into_id).is_(None))
        ).all()
    )
    if (
        not earlier
        or any(m.claim_id is not None for m in added)
        or any(m.claim_id not in event_claims for m in earlier)
    ):
        return False
    as_read = earlier
    earlier, respelt_claims = _set_speakers(session, added, earlier, articles)
    remembered = kept is not None and not respelt_claims
    groups = kept.stored_groups() if remembered else stored_groups(earlier, position)
    claim_ids = list(groups)
    group_list = list(groups.values())
    if remembered and kept.index.describes(group_list):
        index = kept.index
    else:
        index = EventIndex(group_list)
    placed = extend_groups(
        group_list, [mention_item(m, position) for m in added if not m.manual], index
    )
    touched = sorted(set(placed.values()))
    wire = _known_wire(articles, position, earlier) | {
        pair
        for pair in wire_pairs([group_list[n] for n in touched], set())
        if pair[1] == position[article.id]
    }
    claim_ids += _new_claim_ids(session, event_id, group_list[len(claim_ids) :])
    references = [group_list[n].members[0].key for n in touched]
    by_id = {m.id: m for m in added} | {
        m.id: m for m in session.exec(select(Mention).where(col(Mention.id).in_(references)))
    }
    for n in touched:
        group = group_list[n]
        new_members = [item for item in group.members if item.key in placed]
        for item in new_members:
            _set_changed(by_id[item.key], claim_id=claim_ids[n])
        _annotate(group, by_id, articles, wire, [group.members[0], *new_members])
    session.flush()
    event = _event_articles(session, articles, position, wire)
    touched_claims = {claim_ids[n] for n in touched} | respelt_claims
    _refresh_claims(session, event_id, [*earlier, *added], event, {}, only=touched_claims)
    if article.outlet_id is not None and article.outlet_id not in {
        a.outlet_id for a in articles[:-1]
    }:
        _flag_absent_outlet(session, event_id, touched_claims, earlier, event)
    rewritten = {m.id for m in added} | set(references)
    rewritten |= {now.id for before, now in zip(as_read, earlier, strict=True) if now is not before}
    kept = tuple(
        (claim_id, tuple(group.members))
        for claim_id, group in zip(claim_ids, group_list, strict=True)
    )
    _remember_rows(session, event_id, articles, as_read, rewritten, kept, index)
    return True


def _event_rows(
    session: Session, article: Article, size: int
) -> tuple[list, list, AlignedEvent | None]:
    """The event's articles in order and the mentions of all but `article`, in reading order, as
    read-only rows, and what this process's last alignment of the event left of it (its groups
    are `stored_groups` of those rows), while nothing else changed the event since and the
    article is the one it gained (not an event merged into it); else the rows read from the store
    and None. `size`: the event's article count."""
    event_id = article.event_id
    known = ALIGNED.recall(session, event_id)
    if known is not None and known.articles[-1].id < article.id and size == len(known.articles) + 1:
        added = read_rows(
            session, select(*EVENT_ARTICLE_COLUMNS).where(Article.id == article.id)
        ).one()
        return [*known.articles, added], list(known.mentions), known
    return _article_rows(session, event_id), _earlier_mentions(session, article), None


def _remember_rows(
    session: Session,
    event_id: int,
    articles: list,
    earlier: list,
    rewritten: set[int],
    groups: tuple[tuple[int, tuple[Item, ...]], ...],
    index: EventIndex,
) -> None:
    """Keep the event's rows, groups and their index as this alignment leaves them
    (`rewritten`: the mentions it wrote), for the next article the event gains once this
    transaction commits."""
    now = {
        row.id: row
        for row in read_rows(
            session,
            select(*EARLIER_MENTION_COLUMNS)
            .where(col(Mention.id).in_(rewritten))
            .order_by(col(Mention.article_id), col(Mention.start)),
        )
    }
    kept = [now.pop(m.id, m) for m in earlier]
    ALIGNED.remember(
        session, event_id, AlignedEvent(tuple(articles), (*kept, *now.values()), groups, index)
    )


def stored_groups(mentions: Sequence, position: dict[int, int]) -> dict[int, Group]:
    """Claim id -> its automatically placed mentions as the group a full alignment built: groups
    in the order they were opened, members in the order they joined (article by article, and
    within an article by the step that placed them), so the members a candidate claim is scored
    against and its reference are the ones re-aligning the event would use."""
    groups: dict[int, Group] = {}
    joined = sorted(
        (m for m in mentions if not m.manual),
        key=lambda m: (position[m.article_id], join_step(m.align_score, m.align_reason), m.start),
    )
    for mention in joined:
        groups.setdefault(mention.claim_id, Group()).members.append(mention_item(mention, position))
    return groups


def _flag_absent_outlet(
    session: Session,
    event_id: int,
    touched_claims: set[int],
    earlier: Sequence,
    event: EventArticles,
) -> None:
    """The added article brought an outlet new to the event: the claims it did not join now
    have one more outlet not reporting them (their other flags stay as they are)."""
    outlets: dict[int, list[dict]] = defaultdict(list)
    for mention in earlier:
        outlets[mention.claim_id].append({"outlet": event.outlet_names[mention.article_id]})
    untouched = session.execute(
        select(Claim.id, Claim.flags).where(
            Claim.event_id == event_id,
            col(Claim.id).not_in(touched_claims),
            col(Claim.merged_into_id).is_(None),
            col(Claim.removed_at).is_(None),
        )
    ).all()
    now = utcnow()
    changed = []
    for claim_id, stored in untouched:
        flags = [flag for flag in json.loads(stored) if flag["kind"] != "not_reported_by"]
        flags += not_reported_flags(outlets[claim_id], event.outlets_covering)
        rewritten = json.dumps(flags, ensure_ascii=False)
        if rewritten != stored:
            changed.append({"claim_id": claim_id, "flags": rewritten, "updated_at": now})
    if changed:  # rows, not loaded models: an event's every claim may change here
        session.connection().execute(CLAIM_FLAGS, changed)


def _earlier_mentions(session: Session, article: Article) -> list:
    """The mentions of the article's event but its own, in reading order, as read-only rows."""
    return list(
        read_rows(
            session,
            select(*EARLIER_MENTION_COLUMNS)
            .join(Article, col(Article.id) == col(Mention.article_id))
            .where(Article.event_id == article.event_id, col(Mention.article_id) != article.id)
            .order_by(col(Mention.article_id), col(Mention.start)),
        ).all()
    )


def _set_speakers(
    session: Session, added: Sequence[Mention], earlier: Sequence, articles: Sequence[Article]
) -> tuple[list, set[int]]:
    """Give the added mentions the event's spelling of their speakers. Where the article changes
    how the event spells a speaker the earlier mentions name ("Okafor" now stands for another
    Okafor's full name), those mentions are respelt in the store, as re-aligning would: returns
    the earlier mentions as they now read and the claims holding a respelt mention."""
    named = {m.speaker: m for m in earlier if m.speaker}
    speakers = event_speakers([*earlier, *added], articles, resolve=[*added, *named.values()])
    for mention in added:
        _set_changed(mention, speaker=speakers.get(mention.id, mention.speaker))
    respelt = {name: speakers[m.id] for name, m in named.items() if speakers[m.id] != name}
    if not respelt:
        return list(earlier), set()
    now_read = []
    for mention in earlier:
        if mention.speaker in respelt:
            mention = SimpleNamespace(**(mention._asdict() | {"speaker": respelt[mention.speaker]}))
        now_read.append(mention)
    for name, spelling in respelt.items():
        session.execute(
            update(Mention)
            .where(col(Mention.id).in_([m.id for m in earlier if m.speaker == name]))
            .values(speaker=spelling)
        )
    return now_read, {m.claim_id for m in earlier if m.speaker in respelt}


def _known_wire(
    articles: Sequence[Article], position: dict[int, int], mentions: Sequence[Mention]
) -> set[tuple[int, int]]:
    """Wire-copy pairs of the event as stored: copies found at ingest, and the articles the
    mentions were aligned as wire copies of."""
    linked = {
        tuple(sorted((position[a.id], position[a.copy_of_id])))
        for a in articles
        if a.copy_of_id in position
    }
    return linked | {
        (position[m.wire_copy_of_id], position[m.article_id])
        for m in mentions
        if m.wire_copy_of_id in position
    }


def realign_event(session: Session, event_id: int) -> None:
    """Re-align all mentions of the event's articles, keeping claim ids stable."""
    ALIGNED.forget(session, event_id)
    articles = _article_rows(session, event_id)
    position, mentions = mentions_in_order(session, articles)
    event_claims = set(
        session.exec(
            select(Claim.id).where(Claim.event_id == event_id, col(Claim.merged_into_id).is_(None))
        ).all()
    )
    _release_departed(session, event_claims, set(position))
    speakers = event_speakers(mentions, articles)
    for mention in mentions:
        _set_changed(mention, speaker=speakers.get(mention.id, mention.speaker))
        if mention.manual and mention.claim_id not in event_claims:
            mention.manual = False  # placed by an admin in another event's claim: align it here
    automatic = [m for m in mentions if not m.manual]
    items = [mention_item(m, position) for m in automatic]
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
    for group, claim_id in zip(groups, claim_ids, strict=True):
        for item in group.members:
            _set_changed(by_id[item.key], claim_id=claim_id)
        _annotate(group, by_id, articles, wire)
    session.flush()
    event = _event_articles(session, articles, position, wire)
    _refresh_claims(session, event_id, mentions, event, previous)


def _article_rows(session: Session, event_id: int) -> list:
    """The event's articles in order, as read-only rows of what aligning reads of them."""
    return list(
        read_rows(
            session,
            select(*EVENT_ARTICLE_COLUMNS)
            .where(Article.event_id == event_id)
            .order_by(col(Article.id)),
        ).all()
    )


def _event_articles(
    session: Session, articles: Sequence[Article], position: dict[int, int], wire: set
) -> EventArticles:
    return EventArticles(
        articles=articles,
        position=position,
        outlet_ids={a.id: a.outlet_id for a in articles},
        outlet_names=_outlet_names(session, articles),
        wire=wire,
    )


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
    unclaimed = [n for n in range(len(groups)) if ids[n] is None]
    for n, claim_id in zip(
        unclaimed, _new_claim_ids(session, event_id, [groups[n] for n in unclaimed]), strict=True
    ):
        ids[n] = claim_id
    return ids


def _new_claim_ids(session: Session, event_id: int, groups: Sequence[Group]) -> list[int]:
    """A new claim for each group, in order (one INSERT, its ids returned in the rows' order)."""
    if not groups:
        return []
    return list(
        session.connection()
        .execute(
            NEW_CLAIMS,
            [
                {"event_id": event_id, "kind": group.members[0].kind, "text": group.members[0].text}
                for group in groups
            ],
        )
        .scalars()
    )


def _annotate(
    group: Group,
    by_id: dict[int, Mention],
    articles: Sequence[Article],
    wire: set,
    items: Sequence[Item] | None = None,
) -> None:
    """Store each member's score, reason, similarity to the reference and wire source (`items`:
    only these members; default all)."""
    reference = group.members[0]
    outlets_seen = len(group.articles())
    for item in group.members if items is None else items:
        if item is reference:
            score = None
            reason = "reference phrasing" if outlets_seen > 1 else "reported by one article only"
            similarity = 100.0
        else:
            score, reason = group.scores[item.key]
            similarity = round(fuzz.ratio(reference.norm, item.norm), 1)
        wire_copy_of_id = next(
            (
                articles[other.article].id
                for other in group.members
                if other.article < item.article
                and (other.article, item.article) in wire
                and fuzz.ratio(other.norm, item.norm) >= WIRE_MENTION_SIMILARITY
            ),
            None,
        )
        _set_changed(
            by_id[item.key],
            align_score=score,
            align_reason=reason,
            similarity=similarity,
            wire_copy_of_id=wire_copy_of_id,
        )


def _set_changed(row, **values) -> bool:
    """Set the fields whose value differs (an unchanged row is neither touched nor rewritten);
    True when any did."""
    changed = {name: value for name, value in values.items() if getattr(row, name) != value}
    for name, value in changed.items():
        setattr(row, name, value)
    return bool(changed)


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
    event: EventArticles,
    previous: dict[int, int | None],
    only: set[int] | None = None,
) -> None:
    """Rewrite each claim of the event (`only`: these) from its mentions; retire claims that lost
    them all."""
    by_claim: dict[int, list[Mention]] = defaultdict(list)
    for mention in mentions:
        if mention.claim_id is not None:
            by_claim[mention.claim_id].append(mention)
    now = utcnow()
    claims = select(Claim).where(Claim.event_id == event_id)
    if only is not None:
        claims = claims.where(col(Claim.id).in_(only))
    for claim in session.exec(claims).all():
        members = sorted(
            by_claim.get(claim.id, []), key=lambda m: (event.position[m.article_id], m.start)
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
        if _describe(claim, members, event):
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


def _describe(claim: Claim, members: Sequence[Mention], event: EventArticles) -> bool:
    """Rewrite the claim from its mentions; True when anything about it changed."""
    kinds = Counter(m.kind for m in members)
    speakers = Counter(m.speaker for m in members if m.speaker)
    reference = members[0]
    flags = reference_free_flags(
        [_as_dict(m, event.outlet_names) for m in members], event.outlets_covering
    )
    outlet_keys = {event.outlet_ids[m.article_id] or ("article", m.article_id) for m in members}
    article_ids = sorted({m.article_id for m in members}, key=lambda a: event.position[a])
    return _set_changed(
        claim,
        kind=max(kinds, key=lambda kind: (kinds[kind], kind == "quote", kind == "statement")),
        speaker=min(speakers, key=lambda s: (-speakers[s], s)) if speakers else None,
        text=reference.text,
        normalized=_normalized(reference.text),
        flags=json.dumps(flags, ensure_ascii=False),
        outlet_count=len(outlet_keys),
        independent_count=independent_count(
            [event.outlet_ids[a] for a in article_ids],
            event.wire,
            [event.position[a] for a in article_ids],
        ),
        removed_at=None,
    )


@lru_cache(maxsize=MENTION_ANALYSES_KEPT)
def _normalized(text: str) -> str:
    """A claim's reference text normalized: the claims an added article joins are described
    again, most with the reference they had."""
    return normalize(text)


def _as_dict(mention: Mention, outlets: dict[int, str | None]) -> dict:
    return {
        "article_id": mention.article_id,
        "outlet": outlets.get(mention.article_id),
        "text": mention.text,
        "quote": mention.quote,
        "speaker": mention.speaker,
        "numbers": _numbers(mention.numbers),
        "wire_copy_of_id": mention.wire_copy_of_id,
    }


def resolve_claim_id(session: Session, claim_id: int) -> int | None:
    """The claim an id now stands for: merged claims resolve to their survivor."""
    claim = follow_merges(session, Claim, claim_id)
    return claim.id if claim is not None else None
