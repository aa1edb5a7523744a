"""Gold event labels and a fresh ingest of their articles into BCubed precision, recall and F1."""

import json
import random
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, select

from app.db import PROJECT_ROOT, make_engine, migrate
from app.evaluation.corpora import CorpusArticle, ingest_corpus, load_corpus
from app.evaluation.metrics import Metric
from app.ingest.run import ingest_paths
from app.models import Article, Event

GOLD_DIR = Path("tests") / "data" / "gold"  # under the data root; gold folders are too
# (name, gold file, F1 floor): the written corpus gates CI; the seeds must come out right too;
# the held-out set (never used to tune the method) is reported.
GOLD_SETS = (
    ("seeds", "events_seeds.json", 0.95),
    ("corpus", "events_corpus.json", 0.95),
    ("holdout", "events_holdout.json", None),
)
# ECB+ (982 undated articles, 43 topics of two look-alike incidents each) in the corpus file's
# order; a seeded shuffle is reported too, assignment being incremental. The similarity thresholds
# were set on the odd topics, so the even topics are the unseen half. The floor sits a little below
# what is reached (F1 0.870 in file order, odd 0.866 / even 0.874, shuffled 0.861); the issue's
# target is 0.90.
ECBPLUS_DIR = Path("tests") / "data" / "ecbplus"
ECBPLUS_FLOOR = 0.86
SHUFFLE_SEED = 11
HALVES: tuple[tuple[str, Callable[[int], bool]], ...] = (
    ("odd topics", lambda topic: topic % 2 == 1),
    ("even topics", lambda topic: topic % 2 == 0),
)


@dataclass(frozen=True)
class BCubed:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def bcubed(predicted: dict[str, object], gold: dict[str, object]) -> BCubed:
    """Per-item BCubed over the items both labellings cover: predicted and gold cluster ids."""
    items = sorted(gold)
    by_predicted: dict[object, set[str]] = {}
    by_gold: dict[object, set[str]] = {}
    for item in items:
        by_predicted.setdefault(predicted[item], set()).add(item)
        by_gold.setdefault(gold[item], set()).add(item)
    precision = recall = 0.0
    for item in items:
        mine, truth = by_predicted[predicted[item]], by_gold[gold[item]]
        correct = len(mine & truth)
        precision += correct / len(mine)
        recall += correct / len(truth)
    return BCubed(precision / len(items), recall / len(items))


def load_gold(
    file_name: str, data_root: Path = PROJECT_ROOT
) -> tuple[Path, dict[str, str], list[list[str]]]:
    """The gold set's article folder, {file name: event label} and its storylines."""
    gold = json.loads((data_root / GOLD_DIR / file_name).read_text(encoding="utf-8"))
    labels = {name: label for label, names in gold["events"].items() for name in names}
    return data_root / gold["folder"], labels, gold.get("storylines", [])


def cluster(paths: Iterable[Path]) -> dict[str, tuple[int, int | None]]:
    """Ingests the files, in order, into an empty database: {file name: (event, storyline)}."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/events-eval.db"
        migrate(url)
        engine = make_engine(url)
        try:
            report = ingest_paths(engine, list(paths))
            if report.rejected:
                problems = "; ".join(f"{p.source}: {p.reason}" for p in report.rejected)
                raise RuntimeError(f"gold articles failed to ingest: {problems}")
            with Session(engine) as session:
                rows = session.exec(
                    select(Article.source_name, Article.event_id, Event.storyline_id).join(
                        Event, Event.id == Article.event_id
                    )
                ).all()
        finally:
            engine.dispose()
    return {Path(source).name: (event_id, storyline_id) for source, event_id, storyline_id in rows}


def cluster_corpus(articles: list[CorpusArticle]) -> dict[str, int]:
    """Ingests corpus articles, in order, into an empty database: {corpus id: event}."""
    with tempfile.TemporaryDirectory() as tmp:
        ingested = ingest_corpus(articles, Path(tmp))
        try:
            with Session(ingested.engine) as session:
                event_of = dict(session.exec(select(Article.id, Article.event_id)).all())
        finally:
            ingested.engine.dispose()
    return {item: event_of[article_id] for item, article_id in ingested.article_ids.items()}


def corpus_metrics(folder: Path, name: str, floor: float | None = None) -> list[Metric]:
    """Event scores on a labelled corpus folder (`articles.jsonl` with `event_id`): BCubed in the
    file's order (gated by `floor`), per half of its numbered topics, in a seeded shuffle, and how
    many topics' look-alike incidents stay apart."""
    articles = [article for article in load_corpus(folder) if article.event_id]
    gold = {article.id: article.event_id for article in articles}
    predicted = cluster_corpus(articles)
    shuffled = list(articles)
    random.Random(SHUFFLE_SEED).shuffle(shuffled)
    shuffled_score = bcubed(cluster_corpus(shuffled), gold)
    score = bcubed(predicted, gold)
    metrics = [
        Metric(f"events {name} BCubed precision", score.precision),
        Metric(f"events {name} BCubed recall", score.recall),
        Metric(f"events {name} BCubed F1", score.f1, floor),
        Metric(f"events {name} BCubed F1, shuffled order", shuffled_score.f1),
        Metric(f"events {name} predicted events", len(set(predicted.values()))),
        Metric(f"events {name} gold events", len(set(gold.values()))),
    ]
    topics = {article.id: article.topic for article in articles}
    if all(topic and topic.isdigit() for topic in topics.values()):
        for half, chosen in HALVES:
            items = [item for item in gold if chosen(int(topics[item]))]
            if not items:
                continue
            part = bcubed({i: predicted[i] for i in items}, {i: gold[i] for i in items})
            metrics.append(Metric(f"events {name} BCubed F1, {half}", part.f1))
    if lookalikes := look_alikes_apart(predicted, gold, topics):
        metrics.append(Metric(f"events {name} look-alike incidents kept apart", lookalikes))
    return metrics


def look_alikes_apart(
    predicted: dict[str, int], gold: dict[str, str], topics: dict[str, str | None]
) -> float | None:
    """Share of topics holding several gold events (incidents of one kind) in which no predicted
    event holds articles of two of them; None without such topics."""
    events_of: dict[str, set[str]] = {}
    golds_of: dict[tuple[str, int], set[str]] = {}
    for item, label in gold.items():
        if topics.get(item):
            events_of.setdefault(topics[item], set()).add(label)
            golds_of.setdefault((topics[item], predicted[item]), set()).add(label)
    paired = [topic for topic, labels in events_of.items() if len(labels) > 1]
    if not paired:
        return None
    mixed = {topic for (topic, _), labels in golds_of.items() if len(labels) > 1}
    return sum(topic not in mixed for topic in paired) / len(paired)


def evaluate(*, data_root: Path = PROJECT_ROOT) -> list[Metric]:
    metrics = []
    for name, file_name, floor in GOLD_SETS:
        folder, labels, storylines = load_gold(file_name, data_root)
        assigned = cluster(folder / item for item in sorted(labels))
        missing = sorted(set(labels) - set(assigned))
        if missing:
            raise RuntimeError(f"{name}: gold articles without an event: {', '.join(missing)}")
        score = bcubed({item: assigned[item][0] for item in labels}, labels)
        # Assignment is incremental, so arrival order matters: the reverse order is reported too.
        reverse = cluster(folder / item for item in sorted(labels, reverse=True))
        reverse_score = bcubed({item: reverse[item][0] for item in labels}, labels)
        metrics += [
            Metric(f"events {name} BCubed precision", score.precision),
            Metric(f"events {name} BCubed recall", score.recall),
            Metric(f"events {name} BCubed F1", score.f1, floor),
            Metric(f"events {name} BCubed F1, reverse order", reverse_score.f1),
            Metric(
                f"events {name} storylines linked", _storylines_linked(assigned, labels, storylines)
            ),
        ]
    return metrics


def evaluate_ecbplus(*, data_root: Path = PROJECT_ROOT) -> list[Metric]:
    return corpus_metrics(data_root / ECBPLUS_DIR, "ECB+", ECBPLUS_FLOOR)


def _storylines_linked(
    assigned: dict[str, tuple[int, int | None]], labels: dict[str, str], storylines: list[list[str]]
) -> float:
    """Share of gold storyline pairs whose events ended up in one storyline."""
    storyline_of = {labels[item]: storyline for item, (_, storyline) in assigned.items()}
    pairs = [(a, b) for line in storylines for a, b in zip(line, line[1:], strict=False)]
    if not pairs:
        return 1.0
    linked = sum(
        storyline_of[a] is not None and storyline_of[a] == storyline_of[b] for a, b in pairs
    )
    return linked / len(pairs)
