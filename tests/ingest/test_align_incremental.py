"""Tests for app/ingest/align/: an added article aligned against its event's claims (incremental)
agrees with re-aligning the whole event, and leaves the earlier claims' ids alone."""

import random
from collections import defaultdict
from itertools import combinations

import pytest
from sqlmodel import Session, col, func, select

from app.bench.ingest import Story, _cast, _day, article, seed_sentences
from app.db import PROJECT_ROOT, make_engine, session_scope
from app.evaluation.corpora import load_corpus
from app.ingest import events
from app.ingest.align import (
    align_added_article,
    align_items,
    extend_groups,
    make_item,
    realign_event,
    store_mentions,
)
from app.ingest.align.score import Alignment, EventIndex, Group, WordCounts
from app.ingest.align.store import ALIGNED, mention_item, mentions_in_order, stored_groups
from app.ingest.parse import RawArticle
from app.ingest.run import add_article, ingest_items, ingest_paths, stage
from app.models import Article, Claim, Mention

SEEDS_DIR = PROJECT_ROOT / "seeds"
BALI = sorted(SEEDS_DIR.glob("00[0-3]_*.txt"))  # the four Bali reports, one event
ECB_CORPUS = PROJECT_ROOT / "tests" / "data" / "ecbplus"
ECB_EVENTS = ("13ecb", "1ecbplus", "12ecb")  # its largest events
# Agreement (F1) of the pairs of mentions the two alignments link. Measured: 1.0 on the seeds and on
# the generated story; on the ECB+ events 0.962, where a few borderline paraphrases fall on the
# other side of the threshold because the event's token rarities differ as it grows (0.91 without
# the full re-align each time an event doubles). It depends on how the events form: 0.989 while
# years guessed from weekdays kept four articles apart; one event that now merges late, at 9
# articles, and grows to 14 incrementally agrees at 0.928.
AGREEMENT_FLOOR = 0.95


@pytest.fixture
def engine(new_database):
    engine = make_engine(new_database())
    yield engine
    engine.dispose()


def claims_by_mention(session: Session) -> dict[int, int | None]:
    return dict(session.exec(select(Mention.id, Mention.claim_id)).all())


def linked_pairs(claim_of: dict[int, int | None]) -> set[frozenset[int]]:
    members = defaultdict(list)
    for mention, claim in claim_of.items():
        if claim is not None:
            members[claim].append(mention)
    return {frozenset(pair) for group in members.values() for pair in combinations(group, 2)}


def agreement(a: set, b: set) -> float:
    """F1 of one set of linked pairs against the other."""
    if not a and not b:
        return 1.0
    return 2 * len(a & b) / (len(a) + len(b))


def realign_all(engine) -> dict[int, int | None]:
    with session_scope(engine) as session:
        for event_id in set(session.exec(select(Article.event_id)).all()) - {None}:
            realign_event(session, event_id)
    with Session(engine) as session:
        return claims_by_mention(session)


def add_one(engine, raw: RawArticle) -> bool:
    """Store the article and align it as ingest does; True when it took the incremental path."""
    with session_scope(engine) as session:
        added = add_article(session, stage(raw))
        events.assign_article(session, added)
        store_mentions(session, added)
        incremental = align_added_article(session, added)
        if not incremental:
            realign_event(session, added.event_id)
    return incremental


def test_an_added_article_keeps_earlier_claim_ids_and_joins_their_claims(engine):
    report = ingest_paths(engine, BALI[:3])
    assert len(report.added) == 3
    with Session(engine) as session:
        before = claims_by_mention(session)
        claims_before = {c.id: c.outlet_count for c in session.exec(select(Claim)).all()}
    path = BALI[3]
    assert add_one(engine, RawArticle(str(path), path.read_text(encoding="utf-8")))
    with Session(engine) as session:
        after = claims_by_mention(session)
        added = session.exec(select(Mention).where(col(Mention.id).not_in(before))).all()
        grown = {
            c.id
            for c in session.exec(select(Claim).where(col(Claim.id).in_(claims_before))).all()
            if c.outlet_count > claims_before[c.id]
        }
        live = session.exec(select(Claim).where(col(Claim.removed_at).is_(None))).all()
    assert {m: after[m] for m in before} == before
    assert added and all(m.claim_id is not None for m in added)
    joined = {m.claim_id for m in added} & set(claims_before)
    assert joined and grown <= joined and grown  # it joined earlier claims, which now count it
    assert len(live) == len(set(after.values()))


def test_an_added_article_that_respells_a_speaker_respells_earlier_mentions_in_place(engine):
    ingest_paths(engine, BALI[:3])
    with session_scope(engine) as session:  # the event so far spelt him by his surname only
        surname_only = session.exec(
            select(Mention).where(Mention.speaker == "Antony Blinken")
        ).all()
        for mention in surname_only:
            mention.speaker = "Blinken"
            session.add(mention)
        respelt_ids = [m.id for m in surname_only]
        before = claims_by_mention(session)
    path = BALI[3]
    assert add_one(engine, RawArticle(str(path), path.read_text(encoding="utf-8")))
    with Session(engine) as session:
        respelt = session.exec(select(Mention).where(col(Mention.id).in_(respelt_ids))).all()
        assert {m.speaker for m in respelt} == {"Antony Blinken"}
        assert {m: claims_by_mention(session)[m] for m in before} == before
        claims = session.exec(
            select(Claim).where(col(Claim.id).in_({m.claim_id for m in respelt}))
        ).all()
    assert "Antony Blinken" in {c.speaker for c in claims}
    assert "Blinken" not in {c.speaker for c in claims}


def test_incremental_ingest_of_the_seeds_agrees_with_a_full_realign(engine):
    report = ingest_paths(engine, [SEEDS_DIR])
    assert len(report.added) == len(list(SEEDS_DIR.glob("*.txt")))
    with Session(engine) as session:
        incremental = claims_by_mention(session)
    full = realign_all(engine)
    assert agreement(linked_pairs(incremental), linked_pairs(full)) >= AGREEMENT_FLOOR


def test_incremental_ingest_of_real_news_events_agrees_with_a_full_realign(engine):
    wanted = set(ECB_EVENTS)
    articles = [a for a in load_corpus(ECB_CORPUS) if a.event_id in wanted]
    assert len(articles) > 40
    ingest_items(engine, (a.as_raw() for a in articles))
    with Session(engine) as session:
        incremental = claims_by_mention(session)
        sizes = session.exec(
            select(func.count()).select_from(Article).group_by(Article.event_id)
        ).all()
    assert max(sizes) >= 10
    pairs = linked_pairs(incremental)
    assert len(pairs) > 100
    assert agreement(pairs, linked_pairs(realign_all(engine))) >= AGREEMENT_FLOOR


def test_claims_read_back_from_the_store_are_the_groups_the_full_alignment_built(engine):
    """An added article is scored against each claim's first few mentions: read back from the
    store, the claims hold their mentions in the order they joined (a sentence continuing a
    match joins after it, though it comes first in its article)."""
    wanted = set(ECB_EVENTS)
    ingest_items(engine, (a.as_raw() for a in load_corpus(ECB_CORPUS) if a.event_id in wanted))
    realign_all(engine)
    with Session(engine) as session:
        for event_id in set(session.exec(select(Article.event_id)).all()) - {None}:
            articles = session.exec(
                select(Article).where(Article.event_id == event_id).order_by(col(Article.id))
            ).all()
            position, mentions = mentions_in_order(session, articles)
            built = align_items([mention_item(m, position) for m in mentions if not m.manual])
            read = stored_groups(mentions, position).values()
            assert [[i.key for i in g.members] for g in read] == [
                [i.key for i in g.members] for g in built
            ]


def test_a_story_many_outlets_cover_aligns_incrementally_as_a_full_realign_would(engine):
    rng = random.Random(5)
    story = Story(_cast(rng), _day(rng))
    sentences = seed_sentences()
    texts = [article(sentences, rng, story) for _ in range(14)]
    ingest_items(engine, [RawArticle(f"{n}.txt", text) for n, text in enumerate(texts[:8])])
    took_incremental = [add_one(engine, RawArticle(f"{n}.txt", t)) for n, t in enumerate(texts[8:])]
    assert sum(took_incremental) >= len(took_incremental) - 1
    with Session(engine) as session:
        assert len(set(session.exec(select(Article.event_id)).all())) == 1
        outlets = session.exec(select(Article.outlet_id).order_by(col(Article.id))).all()
        assert any(o not in outlets[:n] for n, o in enumerate(outlets) if n >= 8)  # a new outlet
        incremental = claims_by_mention(session)
        described = claim_descriptions(session)
    full = realign_all(engine)
    assert agreement(linked_pairs(incremental), linked_pairs(full)) >= AGREEMENT_FLOOR
    with Session(engine) as session:
        realigned = claim_descriptions(session)
    same_members = [c for c in described if c in realigned]
    assert len(same_members) >= 0.9 * len(described)
    assert all(described[c] == realigned[c] for c in same_members)


def stored_alignment(url: str) -> tuple[list, list]:
    """Every mention's claim, speaker, score, reason, similarity and wire source; every claim."""
    engine = make_engine(url)
    with Session(engine) as session:
        mentions = session.exec(
            select(
                Mention.id,
                Mention.claim_id,
                Mention.speaker,
                Mention.align_score,
                Mention.align_reason,
                Mention.similarity,
                Mention.wire_copy_of_id,
            ).order_by(col(Mention.id))
        ).all()
        claims = session.exec(
            select(
                Claim.id,
                Claim.kind,
                Claim.speaker,
                Claim.text,
                Claim.flags,
                Claim.outlet_count,
                Claim.independent_count,
                Claim.merged_into_id,
                col(Claim.removed_at).is_(None),
            ).order_by(col(Claim.id))
        ).all()
    engine.dispose()
    return mentions, claims


def test_aligning_from_the_rows_a_commit_left_in_memory_stores_what_reading_the_store_does(
    new_database,
):
    rng = random.Random(11)
    story = Story(_cast(rng), _day(rng))
    sentences = seed_sentences()
    raws = [RawArticle(f"{n}.txt", article(sentences, rng, story)) for n in range(12)]
    remembering, reading = new_database(), new_database()
    engine = make_engine(remembering)
    ingest_items(engine, raws)
    with Session(engine) as session:
        (event_id,) = set(session.exec(select(Article.event_id)).all())
        assert ALIGNED.recall(session, event_id) is not None
    engine.dispose()
    for raw in raws:  # a new engine per article: nothing remembered, every row read back
        engine = make_engine(reading)
        ingest_items(engine, [raw])
        engine.dispose()
    assert stored_alignment(remembering) == stored_alignment(reading)


def test_the_groups_a_commit_left_in_memory_are_those_read_back_from_its_rows(engine):
    """An event's claims kept between its articles hold the members, in the order, that
    rebuilding them from the stored mentions gives: the next article is scored against the same
    first members and references."""
    rng = random.Random(13)
    story = Story(_cast(rng), _day(rng))
    sentences = seed_sentences()
    # 12 articles: the last alignments after the 8-article full re-align are incremental.
    ingest_items(
        engine, [RawArticle(f"{n}.txt", article(sentences, rng, story)) for n in range(12)]
    )
    with Session(engine) as session:
        (event_id,) = set(session.exec(select(Article.event_id)).all())
        kept = ALIGNED.recall(session, event_id)
        articles = session.exec(
            select(Article).where(Article.event_id == event_id).order_by(col(Article.id))
        ).all()
        position, mentions = mentions_in_order(session, articles)
        read = stored_groups(mentions, position)
    assert kept is not None and len(kept.groups) > 10
    assert [(claim_id, [i.key for i in members]) for claim_id, members in kept.groups] == [
        (claim_id, [i.key for i in group.members]) for claim_id, group in read.items()
    ]
    assert [[(i.kind, i.speaker, i.article) for i in members] for _, members in kept.groups] == [
        [(i.kind, i.speaker, i.article) for i in group.members] for group in read.values()
    ]


def claim_descriptions(session: Session) -> dict:
    """(claim id, its mentions) -> what the claim says of them (flags, outlets)."""
    members = defaultdict(set)
    for mention_id, claim_id in claims_by_mention(session).items():
        members[claim_id].add(mention_id)
    return {
        (c.id, frozenset(members[c.id])): (c.text, c.flags, c.outlet_count, c.independent_count)
        for c in session.exec(select(Claim).where(col(Claim.removed_at).is_(None))).all()
    }


def item(key, article, text, quote=None, speaker=None, numbers=()):
    kind = "quote" if quote else "statement"
    return make_item(key, article, kind, text, quote, speaker, list(numbers))


def three_articles() -> list:
    return [
        item(1, 0, "Okafor said the talks on the grain corridor would resume in Lisbon."),
        item(
            2,
            0,
            "Prices rose 12 percent after the port closed.",
            numbers=[{"value": 12, "unit": "percent"}],
        ),
        item(
            3,
            0,
            "The minister said: “We will not accept a deal that starves anyone.”",
            "We will not accept a deal that starves anyone.",
            "Okafor",
        ),  # fmt: skip
        item(4, 1, "Talks on the grain corridor will resume in Lisbon, Okafor said."),
        item(5, 1, "Fishing fleets stayed in harbour for a week."),
        item(
            6,
            2,
            "“We will not accept a deal that starves anyone,” Okafor told reporters.",
            "We will not accept a deal that starves anyone,",
            "Okafor",
        ),  # fmt: skip
        item(
            7,
            2,
            "After the port closed, prices climbed 12 percent.",
            numbers=[{"value": 12, "unit": "percent"}],
        ),
        item(8, 2, "Okafor said the grain corridor talks resume in Lisbon next week."),
        item(9, 2, "A storm delayed the ferries."),
    ]


def test_extending_groups_places_the_last_article_as_aligning_all_at_once_does():
    items = three_articles()
    whole = align_items(items)
    earlier = Alignment(WordCounts.of(items))
    for article_no in (0, 1):
        earlier.add_article([i for i in items if i.article == article_no])
    groups = earlier.groups
    placed = extend_groups(groups, [i for i in items if i.article == 2])
    assert as_sets(groups) == as_sets(whole)
    assert {placed[6], placed[7], placed[8]} <= {
        groups.index(g) for g in groups if len(g.members) > 1
    }


def test_an_event_index_kept_from_article_to_article_aligns_as_one_built_afresh_each_time():
    items = three_articles()
    kept_groups: list = []
    kept_index = EventIndex(kept_groups)
    for article_no in range(3):
        added = [i for i in items if i.article == article_no]
        afresh = [Group(members=list(group.members)) for group in kept_groups]
        assert kept_index.describes(afresh)
        assert extend_groups(kept_groups, added, kept_index) == extend_groups(afresh, added)
        assert as_sets(kept_groups) == as_sets(afresh)
        assert not kept_index.describes(afresh[:-1])


def test_an_event_index_ahead_of_the_groups_it_was_kept_with_is_not_used():
    """An article added in a transaction that did not commit updated the index, not the groups
    the memo keeps: the index no longer describes them."""
    items = three_articles()
    groups = align_items(items[:5])
    index = EventIndex(groups)
    extend_groups([Group(members=list(g.members)) for g in groups], items[5:], index)
    assert not index.describes(groups)


def as_sets(groups) -> set[frozenset[int]]:
    return {frozenset(m.key for m in group.members) for group in groups}
