"""The alignment gold and a fresh ingest of the seeds into pairwise P/R/F1 and speaker accuracy."""

import json
import re
import tempfile
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.db import PROJECT_ROOT, make_engine, migrate
from app.evaluation.metrics import Metric
from app.ingest.run import ingest_paths
from app.models import Article, Claim, Mention

# Under the data root (`parallax eval --data-root`, by default the project checkout).
GOLD_FILE = Path("tests") / "data" / "gold" / "alignment_seeds.json"
SEEDS = Path("seeds")
PRECISION_FLOOR = 0.90
RECALL_FLOOR = 0.85
SPEAKER_FLOOR = 0.90


@dataclass(frozen=True)
class GoldSpan:
    file: str
    text: str
    group: int | None  # None: a must-not-link sentence outside every gold group


@dataclass
class Scores:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def evaluate(engine: Engine | None = None, *, data_root: Path = PROJECT_ROOT) -> list[Metric]:
    """Score alignment on `engine` (seeds already ingested), or on a fresh temporary ingest of
    the seeds under `data_root`."""
    gold = load_gold(data_root)
    if engine is not None:
        return _metrics(engine, gold)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'eval.db'}"
        migrate(url)
        engine = make_engine(url)
        try:
            ingest_paths(engine, [data_root / SEEDS])
            return _metrics(engine, gold)
        finally:
            engine.dispose()


def load_gold(data_root: Path = PROJECT_ROOT) -> dict:
    return json.loads((data_root / GOLD_FILE).read_text(encoding="utf-8"))


def _metrics(engine: Engine, gold: dict) -> list[Metric]:
    with Session(engine) as session:
        scores = score_alignment(session, gold)
        speakers_right, speakers_total, _ = score_speakers(session, gold)
        counts = event_counts(session, gold)
    return [
        Metric("alignment pairwise precision (seeds)", scores.precision, PRECISION_FLOOR),
        Metric("alignment pairwise recall (seeds)", scores.recall, RECALL_FLOOR),
        Metric("alignment pairwise F1 (seeds)", scores.f1),
        Metric("quote speaker accuracy (seeds)", speakers_right / speakers_total, SPEAKER_FLOOR),
        Metric("Bali event: claims", counts["claims"]),
        Metric("Bali event: multi-outlet claims", counts["multi_outlet"]),
        Metric("Bali event: single-outlet claims", counts["single_outlet"]),
    ]


def score_alignment(session: Session, gold: dict) -> Scores:
    """Pairs of gold sentences from different outlets: linked in gold vs. in the same claim."""
    spans = gold_spans(gold)
    claim_of = {span: claim_of_span(session, span.file, span.text) for span in spans}
    negatives = {
        frozenset((_span(pair["a"], spans), _span(pair["b"], spans)))
        for pair in gold["must_not_link"]
    }
    scores = Scores()
    for a, b in combinations(spans, 2):
        if a.file == b.file:
            continue
        should = a.group is not None and a.group == b.group
        if (
            not should
            and (a.group is None or b.group is None)
            and frozenset((a, b)) not in negatives
        ):
            continue
        linked = claim_of[a] is not None and claim_of[a] == claim_of[b]
        if should and linked:
            scores.true_positives += 1
        elif linked:
            scores.false_positives += 1
            scores.errors.append(f"joined: {a.file}: {a.text[:70]} | {b.file}: {b.text[:70]}")
        elif should:
            scores.false_negatives += 1
            scores.errors.append(f"missed: {a.file}: {a.text[:70]} | {b.file}: {b.text[:70]}")
    return scores


def gold_spans(gold: dict) -> list[GoldSpan]:
    spans = [
        GoldSpan(m["file"], m["text"], number)
        for number, group in enumerate(gold["groups"])
        for m in group["mentions"]
    ]
    for pair in gold["must_not_link"]:
        for side in (pair["a"], pair["b"]):
            if not any(_same_place(s, side) for s in spans):
                spans.append(GoldSpan(side["file"], side["text"], None))
    return spans


def _same_place(span: GoldSpan, side: dict) -> bool:
    return span.file == side["file"] and (side["text"] in span.text or span.text in side["text"])


def _span(side: dict, spans: list[GoldSpan]) -> GoldSpan:
    return next(s for s in spans if _same_place(s, side))


def claim_of_span(session: Session, file: str, text: str) -> int | None:
    """The claim of the mention that overlaps the gold text most (merged claims resolved)."""
    mention = mention_at(session, file, text)
    if mention is None or mention.claim_id is None:
        return None
    claim = session.get(Claim, mention.claim_id)
    while claim is not None and claim.merged_into_id is not None:
        claim = session.get(Claim, claim.merged_into_id)
    return claim.id if claim else None


def mention_at(session: Session, file: str, text: str) -> Mention | None:
    article = _article(session, file)
    if article is None:
        return None
    span = locate(article.clean_text, text)
    if span is None:
        return None
    mentions = session.exec(select(Mention).where(Mention.article_id == article.id)).all()
    overlaps = [(min(m.end, span[1]) - max(m.start, span[0]), -m.start, m) for m in mentions]
    best = max(overlaps, key=lambda o: o[:2], default=None)
    return best[2] if best and best[0] > 0 else None


def _article(session: Session, file: str) -> Article | None:
    """The article ingested from this seed file (source names may carry the folder)."""
    candidates = session.exec(
        select(Article).where(col(Article.source_name).endswith(file)).order_by(col(Article.id))
    ).all()
    return next((a for a in candidates if Path(a.source_name).name == file), None)


def locate(haystack: str, needle: str) -> tuple[int, int] | None:
    """Where `needle` occurs in `haystack`, whatever the whitespace between its characters."""
    pattern = r"\s*".join(re.escape(char) for char in re.sub(r"\s+", "", needle))
    match = re.search(pattern, haystack)
    return match.span() if match else None


def score_speakers(session: Session, gold: dict) -> tuple[int, int, list[str]]:
    right, errors = 0, []
    for entry in gold["speakers"]:
        mention = mention_at(session, entry["file"], entry["quote"])
        found = mention.speaker if mention else None
        if found and found.casefold() == entry["speaker"].casefold():
            right += 1
        else:
            errors.append(
                f"{entry['file']}: {entry['quote'][:50]} -> {found} (gold {entry['speaker']})"
            )
    return right, len(gold["speakers"]), errors


def event_counts(session: Session, gold: dict) -> dict[str, int]:
    """Claims of the gold articles' event, split by how many outlets report them."""
    articles = [_article(session, file) for file in gold["outlets"]]
    event_ids = {a.event_id for a in articles if a is not None}
    claims = session.exec(
        select(Claim).where(
            col(Claim.event_id).in_([e for e in event_ids if e is not None]),
            col(Claim.merged_into_id).is_(None),
            col(Claim.removed_at).is_(None),
        )
    ).all()
    multi = sum(1 for c in claims if c.outlet_count > 1)
    return {"claims": len(claims), "multi_outlet": multi, "single_outlet": len(claims) - multi}
