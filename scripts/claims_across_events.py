"""An ECB+ ingest into what claim alignment joins across and within gold events: the claims holding
articles of two gold events (by mention kinds, sizes and join reasons, with examples), shared
quotes and must-not-link pairs joined, and the recall-side counts a stricter rule must not lose.

The predicted events of the ingest are re-aligned in full with the current decision rules (as
`align.realign_event` would), so a rule change is measured without ingesting again.

Usage: .venv/bin/python scripts/claims_across_events.py FOLDER [--show N] [--seed S]
FOLDER keeps the ingest (corpus.db, ids.json) between runs; delete it to ingest again.
"""

import argparse
import json
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.db import make_engine
from app.evaluation.corpora import ingest_corpus, load_corpus
from app.evaluation.quotes import (
    ECBPLUS_DIR,
    aligned_together,
    must_not_link_pairs,
    score_pairs,
    shared_quote_pairs,
)
from app.ingest.align.score import Group
from app.models import Article


@dataclass
class StoredIngest:
    """What `quotes.score_pairs` reads of an ingest."""

    engine: Engine
    article_ids: dict[str, int]  # corpus id -> Article.id


@dataclass
class Aligned:
    """Groups of several events' mentions, each with its event's article ids by position."""

    groups: list[tuple[Group, dict[int, int]]]
    group_of: dict[int, tuple[str, int]]  # mention id -> (event, group number)


def stored_ingest(folder: Path, articles) -> StoredIngest:
    ids_file = folder / "ids.json"
    if not ids_file.exists():
        folder.mkdir(parents=True, exist_ok=True)
        ingested = ingest_corpus(articles, folder)
        ids_file.write_text(json.dumps(ingested.article_ids))
        ingested.engine.dispose()
    engine = make_engine(f"sqlite:///{folder}/corpus.db")
    return StoredIngest(engine, json.loads(ids_file.read_text()))


def align_events(session: Session, events: dict[str, list[int]]) -> Aligned:
    aligned = Aligned([], {})
    for event_id, article_ids in events.items():
        stored, groups = aligned_together(session, article_ids)
        article_at = {n: article.id for n, article in enumerate(stored)}
        for number, group in enumerate(groups):
            aligned.groups.append((group, article_at))
            for member in group.members:
                aligned.group_of[member.key] = (event_id, number)
    return aligned


def joined_pairs(aligned: Aligned, gold_of: dict[int, str | None]) -> int:
    """Pairs of mentions of two articles of one gold event sharing a group."""
    return sum(
        1
        for group, article_at in aligned.groups
        for a, b in combinations(group.members, 2)
        if a.article != b.article
        and gold_of.get(article_at[a.article]) == gold_of.get(article_at[b.article])
    )


def multi_article(aligned: Aligned) -> int:
    return sum(1 for group, _ in aligned.groups if len({m.article for m in group.members}) > 1)


def join_kind(reason: str) -> str:
    """A member's join reason without its shared words and figures' values."""
    parts = (part for part in reason.split("; ") if not part.startswith("shared words"))
    return ", ".join(" ".join(part.split()[:2]) for part in parts) or "paraphrase"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--show", type=int, default=0, help="crossing claims to print")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    articles = load_corpus(ECBPLUS_DIR)
    stored = stored_ingest(args.folder, articles)
    gold_of = {stored.article_ids[a.id]: a.event_id for a in articles if a.id in stored.article_ids}
    corpus_id = {article_id: name for name, article_id in stored.article_ids.items()}
    gold: dict[str, list[int]] = defaultdict(list)
    for article_id, event_id in gold_of.items():
        if event_id is not None:
            gold[event_id].append(article_id)
    with Session(stored.engine) as session:
        predicted: dict[str, list[int]] = defaultdict(list)
        for article_id, event_id in session.exec(select(Article.id, Article.event_id)).all():
            if event_id is not None:
                predicted[str(event_id)].append(article_id)
        by_prediction, by_gold = align_events(session, predicted), align_events(session, gold)
        quotes, apart = shared_quote_pairs(articles), must_not_link_pairs()
        for name, aligned in (("predicted", by_prediction), ("gold", by_gold)):
            shared = score_pairs(session, quotes, stored, aligned.group_of)
            wrong = score_pairs(session, apart, stored, aligned.group_of)
            print(f"== {name} events")
            print(f"shared quotes in one claim {shared.joined}/{shared.total}")
            print(f"must-not-link pairs joined {wrong.joined}/{wrong.total}")
            print(f"multi-article claims {multi_article(aligned)}")
            print(f"mention pairs joined within one gold event {joined_pairs(aligned, gold_of)}")
    crossing = [
        (group, article_at)
        for group, article_at in by_prediction.groups
        if len({gold_of.get(article_at[m.article]) for m in group.members}) > 1
    ]
    print(f"== claims across gold events (predicted events): {len(crossing)}")
    kinds = Counter(tuple(sorted({m.kind for m in group.members})) for group, _ in crossing)
    sizes = Counter(len(group.members) for group, _ in crossing)
    reasons = Counter(
        join_kind(reason) for group, _ in crossing for _, reason in group.scores.values()
    )
    print("mention kinds:", kinds.most_common())
    print("sizes:", sorted(sizes.items()))
    print("join reasons:", reasons.most_common(12))
    random.seed(args.seed)
    for group, article_at in random.sample(crossing, min(args.show, len(crossing))):
        print("-" * 80)
        for member in group.members:
            article_id = article_at[member.article]
            score, reason = group.scores.get(member.key, (None, "opens the claim"))
            print(
                f"[{corpus_id.get(article_id)} gold {gold_of.get(article_id)} {member.kind}"
                f" speaker {member.speaker}] {score} {reason}\n    {member.text[:300]}"
            )


if __name__ == "__main__":
    main()
