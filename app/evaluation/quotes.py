"""An event-labelled corpus (ECB+) and a fresh ingest into shared-quote alignment and cross-event
claims: a quotation two articles of one gold event print near-verbatim should be one claim."""

import json
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from rapidfuzz import fuzz
from sqlmodel import Session, col, select

from app.db import PROJECT_ROOT
from app.evaluation.alignment import locate
from app.evaluation.corpora import CorpusArticle, IngestedCorpus, ingest_corpus, load_corpus
from app.evaluation.metrics import Metric
from app.ingest.align import align_items, event_speakers
from app.ingest.align.score import Group
from app.ingest.align.store import mention_item, mentions_in_order
from app.models import Article, Claim, Mention

ECBPLUS_DIR = PROJECT_ROOT / "tests" / "data" / "ecbplus"
# Wrong joins found by hand in 100 random multi-article claims: pairs never to share a claim.
MUST_NOT_LINK_FILE = PROJECT_ROOT / "tests" / "data" / "gold" / "must_not_link_ecbplus.json"
MIN_QUOTE_WORDS = 6
NEAR_VERBATIM = 90  # rapidfuzz ratio of the two quotations' normalized words
# Issue 11's floor; reached: 0.981 (519 of 529 pairs) since quotations are matched first.
SHARED_QUOTE_FLOOR = 0.95
# Claims holding articles of two gold events, on a full ingest (predicted events): 91 reached. Most
# join look-alike incidents a predicted event mixed (see ARCHITECTURE.md, Claims and alignment);
# the target is 0, CI fails when it rises past this.
CROSSING_CEILING = 95
QUOTATION = re.compile(r"[“\"]([^“”\"]+)[”\"]")


@dataclass(frozen=True)
class QuotePair:
    """The same quotation in two articles of one gold event."""

    first: tuple[str, str]  # (corpus article id, quotation)
    second: tuple[str, str]


@dataclass
class QuoteScores:
    joined: int = 0
    total: int = 0
    missed: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.joined / self.total if self.total else 1.0


def evaluate(*, data_root: Path = PROJECT_ROOT) -> list[Metric]:
    articles = load_corpus(data_root / ECBPLUS_DIR.relative_to(PROJECT_ROOT))
    pairs = shared_quote_pairs(articles)
    apart = must_not_link_pairs()
    with tempfile.TemporaryDirectory() as scratch:
        ingested = ingest_corpus(articles, Path(scratch))
        try:
            with Session(ingested.engine) as session:
                claims = stored_claims(session)
                groups = gold_event_groups(session, articles, ingested)
                predicted = score_pairs(session, pairs, ingested, claims)
                within_gold = score_pairs(session, pairs, ingested, groups)
                wrong_predicted = score_pairs(session, apart, ingested, claims)
                wrong_within_gold = score_pairs(session, apart, ingested, groups)
                crossing = cross_event_claims(session, articles, ingested)
        finally:
            ingested.engine.dispose()
    gated = "ECB+ shared quotes in one claim (gold events)"
    return [
        Metric(gated, within_gold.share, SHARED_QUOTE_FLOOR),
        Metric("ECB+ shared quotes in one claim (predicted events)", predicted.share),
        Metric("ECB+ shared quote pairs", predicted.total),
        Metric(
            "ECB+ claims across gold events (predicted events)",
            len(crossing),
            ceiling=CROSSING_CEILING,
        ),
        Metric("ECB+ must-not-link pairs", wrong_predicted.total),
        Metric("ECB+ must-not-link pairs joined (gold events)", wrong_within_gold.joined),
        Metric("ECB+ must-not-link pairs joined (predicted events)", wrong_predicted.joined),
    ]


def must_not_link_pairs(path: Path = MUST_NOT_LINK_FILE) -> list[QuotePair]:
    gold = json.loads(path.read_text(encoding="utf-8"))
    return [
        QuotePair(
            (pair["a"]["article"], pair["a"]["text"]), (pair["b"]["article"], pair["b"]["text"])
        )
        for pair in gold["pairs"]
    ]


def quotations(text: str) -> list[str]:
    """The text's direct quotations of at least six words, marks excluded."""
    found = (match.group(1).strip(" ,.") for match in QUOTATION.finditer(text))
    return [quote for quote in found if len(quote.split()) >= MIN_QUOTE_WORDS]


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def shared_quote_pairs(articles: list[CorpusArticle]) -> list[QuotePair]:
    """Quotations of >= 6 words printed near-verbatim by two articles of one gold event."""
    by_event: dict[str, list[CorpusArticle]] = defaultdict(list)
    for article in articles:
        if article.event_id is not None:
            by_event[article.event_id].append(article)
    pairs = []
    for members in by_event.values():
        quoted = [(a.id, quote, _words(quote)) for a in members for quote in quotations(a.text)]
        for (id_a, quote_a, words_a), (id_b, quote_b, words_b) in combinations(quoted, 2):
            if id_a != id_b and fuzz.ratio(words_a, words_b) >= NEAR_VERBATIM:
                pairs.append(QuotePair((id_a, quote_a), (id_b, quote_b)))
    return pairs


def stored_claims(session: Session) -> dict[int, int | None]:
    """Mention id -> its claim, as the pipeline stored it (with its predicted events)."""
    return {
        mention.id: _resolved_claim(session, mention.claim_id)
        for mention in session.exec(select(Mention)).all()
    }


def gold_event_groups(
    session: Session, articles: list[CorpusArticle], ingested: IngestedCorpus
) -> dict[int, tuple[str, int]]:
    """Mention id -> its group when each gold event's stored mentions are aligned together:
    alignment measured apart from event clustering."""
    group_of: dict[int, tuple[str, int]] = {}
    for event_id, stored_ids in _gold_events(articles, ingested).items():
        for number, members in enumerate(_align(session, stored_ids)):
            for mention_id in members:
                group_of[mention_id] = (event_id, number)
    return group_of


def _align(session: Session, stored_ids: list[int]) -> list[list[int]]:
    _, groups = aligned_together(session, stored_ids)
    return [[item.key for item in group.members] for group in groups]


def aligned_together(session: Session, stored_ids: list[int]) -> tuple[list[Article], list[Group]]:
    """The stored articles (by id: a member's `article` is its position here) and their mentions
    aligned as one event's."""
    stored = list(
        session.exec(
            select(Article).where(col(Article.id).in_(stored_ids)).order_by(col(Article.id))
        ).all()
    )
    position, mentions = mentions_in_order(session, stored)
    speakers = event_speakers(mentions, stored)
    items = [mention_item(m, position, speakers.get(m.id)) for m in mentions]
    return stored, align_items(items)


def _gold_events(articles: list[CorpusArticle], ingested: IngestedCorpus) -> dict[str, list[int]]:
    events: dict[str, list[int]] = defaultdict(list)
    for article in articles:
        stored_id = ingested.article_ids.get(article.id)
        if article.event_id is not None and stored_id is not None:
            events[article.event_id].append(stored_id)
    return events


def score_pairs(session: Session, pairs, ingested: IngestedCorpus, group_of: dict) -> QuoteScores:
    """How many pairs of texts ended in one group (claim) of `group_of`."""
    scores = QuoteScores()
    for pair in pairs:
        first = _mention_of(session, ingested, *pair.first)
        second = _mention_of(session, ingested, *pair.second)
        scores.total += 1
        group = group_of.get(first.id) if first else None
        if group is not None and second is not None and group == group_of.get(second.id):
            scores.joined += 1
        else:
            scores.missed.append(f"{pair.first} | {pair.second}")
    return scores


def _mention_of(session: Session, ingested, corpus_id: str, quote: str) -> Mention | None:
    stored_id = ingested.article_ids.get(corpus_id)
    article = session.get(Article, stored_id) if stored_id is not None else None
    span = locate(article.clean_text, quote) if article else None
    if span is None:
        return None
    mentions = session.exec(select(Mention).where(Mention.article_id == article.id)).all()
    overlaps = [(min(m.end, span[1]) - max(m.start, span[0]), m) for m in mentions]
    best = max(overlaps, key=lambda o: o[0], default=None)
    return best[1] if best and best[0] > 0 else None


def _resolved_claim(session: Session, claim_id: int | None) -> int | None:
    claim = session.get(Claim, claim_id) if claim_id is not None else None
    while claim is not None and claim.merged_into_id is not None:
        claim = session.get(Claim, claim.merged_into_id)
    return claim.id if claim else None


def cross_event_claims(
    session: Session, articles: list[CorpusArticle], ingested: IngestedCorpus
) -> list[int]:
    """Claims whose mentions come from articles of different gold events."""
    gold_of = {
        ingested.article_ids[a.id]: a.event_id for a in articles if a.id in ingested.article_ids
    }
    events_of: dict[int, set[str | None]] = defaultdict(set)
    for mention in session.exec(select(Mention).where(col(Mention.claim_id).is_not(None))).all():
        events_of[mention.claim_id].add(gold_of.get(mention.article_id))
    return sorted(claim for claim, events in events_of.items() if len(events) > 1)
