"""`parallax bench align`: events of 5, 50 and 300 articles into the cost of aligning one more.

Each event is a generated story (`bench ingest`'s articles: the same people, places and days, each
article its own sentences and wording), ingested through the real pipeline into a scratch SQLite
store. Then a few more articles of the story are added one by one, each in its own transaction as
ingest adds it: extracting and aligning each (`align_added_article`: its mentions against the
event's claims, as the last alignment left them in memory) is timed, and so, for comparison, is
re-aligning the whole event (`realign_event`, what admin corrections run; rolled back).
Ingesting the event itself is not timed.
"""

import argparse
import random
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, func, select

from app.bench.ingest import Story, _cast, _day, article, seed_sentences
from app.db import make_engine, migrate, session_scope
from app.ingest import events
from app.ingest.align import align_added_article, realign_event, store_mentions
from app.ingest.meta import language
from app.ingest.parse import RawArticle
from app.ingest.run import Problem, add_article, ingest_items, stage
from app.models import Article, Mention

DEFAULT_SIZES = (5, 50, 300)
DEFAULT_ADDED = 5


@dataclass
class Added:
    event_articles: int  # the event's articles once this one joined
    event_mentions: int
    extract_ms: float  # its mentions extracted and stored
    incremental_ms: float  # its mentions aligned against the event's claims
    full_ms: float  # the whole event re-aligned instead
    incremental: bool  # False: the article fell back to a whole re-align


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument(
        "--added", type=int, default=DEFAULT_ADDED, help="articles added (and timed) per event"
    )
    parser.add_argument("--seed", type=int, default=7)


def main(_settings, args: argparse.Namespace) -> int:
    sentences = seed_sentences()
    language("Loading the language model is a one-time cost of each process.")
    rows = []
    for size in args.sizes:
        rng = random.Random(args.seed + size)
        story = Story(_cast(rng), _day(rng))
        texts = [article(sentences, rng, story) for _ in range(size + args.added)]
        rows.append((size, measure_event(texts[:size], texts[size:])))
    print(
        f"{'articles':>8} {'mentions':>9} {'extract ms':>11} {'align ms':>9} "
        f"{'full re-align ms':>17} {'incremental':>12}"
    )
    for size, added in rows:
        print(
            f"{size:>8} {statistics.median(a.event_mentions for a in added):>9.0f} "
            f"{statistics.median(a.extract_ms for a in added):>11.1f} "
            f"{statistics.median(a.incremental_ms for a in added):>9.1f} "
            f"{statistics.median(a.full_ms for a in added):>17.1f} "
            f"{sum(a.incremental for a in added):>6}/{len(added)}"
        )
    for (size_a, added_a), (size_b, added_b) in zip(rows, rows[1:], strict=False):
        time_a = statistics.median(a.incremental_ms for a in added_a)
        time_b = statistics.median(a.incremental_ms for a in added_b)
        print(
            f"growth {size_a}->{size_b} articles (x{size_b / size_a:.0f}): "
            f"align ms per added article x{time_b / time_a:.1f}"
        )
    print(
        "CPU ms, medians over the added articles; align: its mentions against the event's claims "
        "(a whole re-align where that does not apply: see the incremental column)"
    )
    return 0


def measure_event(event_texts: list[str], added_texts: list[str]) -> list[Added]:
    """Ingest the event's articles, then add the others one by one, timing their alignment."""
    with tempfile.TemporaryDirectory(prefix="parallax-bench-align-") as work:
        url = f"sqlite:///{Path(work) / 'bench.db'}"
        migrate(url)
        engine = make_engine(url)
        try:
            ingest_items(engine, _raw(event_texts, "event"))
            return [_add(engine, raw) for raw in _raw(added_texts, "added")]
        finally:
            engine.dispose()


def _raw(texts: list[str], prefix: str) -> list[RawArticle]:
    return [RawArticle(f"{prefix}-{n:04}.txt", text) for n, text in enumerate(texts)]


def _add(engine, raw: RawArticle) -> Added:
    """Add the article as ingest does (its transaction committed, so the next article finds the
    event as this one's alignment left it in memory), then time re-aligning the whole event
    instead, in a transaction rolled back."""
    staged = stage(raw)
    assert not isinstance(staged, Problem), staged
    with session_scope(engine) as session:
        added = add_article(session, staged)
        events.assign_article(session, added)
        extract_ms, _ = _cpu_ms(store_mentions, session, added)
        incremental_ms, incremental = _cpu_ms(align_added_article, session, added)
        if not incremental:
            incremental_ms += _cpu_ms(realign_event, session, added.event_id)[0]
        event_id = added.event_id
    with Session(engine) as session:
        full_ms, _ = _cpu_ms(realign_event, session, event_id)
        articles, mentions = _event_size(session, event_id)
        session.rollback()
    return Added(articles, mentions, extract_ms, incremental_ms, full_ms, incremental)


def _cpu_ms(function, *args) -> tuple[float, object]:
    """CPU milliseconds the call took (the machine's other load left out), and its result."""
    started = time.process_time()
    result = function(*args)
    return (time.process_time() - started) * 1000, result


def _event_size(session: Session, event_id: int) -> tuple[int, int]:
    articles = session.exec(select(func.count()).where(Article.event_id == event_id)).one()
    mentions = session.exec(
        select(func.count())
        .select_from(Mention)
        .join(Article, Article.id == Mention.article_id)
        .where(Article.event_id == event_id)
    ).one()
    return articles, mentions
