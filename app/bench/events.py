"""`parallax bench events`: synthetic stores of 1k and 100k articles into the time to assign one."""

import argparse
import random
import statistics
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import Session

from app.db import make_engine, migrate
from app.ingest import events
from app.ingest.patterns_events import SPECIFIC_PLACES
from app.models import Article, Event, EventKey, EventTerm, TermCount

DEFAULT_SIZES = (1_000, 100_000)
DEFAULT_SAMPLES = 50
ARTICLES_PER_EVENT = 3
FIRST_DAY, DAYS = date(2015, 1, 1), 3_650
FIRST_NAMES = (
    "Anna",
    "Ben",
    "Carla",
    "David",
    "Elena",
    "Farid",
    "Greta",
    "Hiro",
    "Ines",
    "Jonas",
    "Kofi",
    "Lena",
    "Marco",
    "Nadia",
    "Omar",
    "Priya",
    "Quentin",
    "Rosa",
    "Samir",
    "Tomas",
    "Ulla",
    "Victor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zofia",
    "Amara",
    "Bruno",
    "Chiara",
    "Dmitri",
)
LAST_NAMES = (
    "Abara",
    "Bergstrom",
    "Castillo",
    "Dubois",
    "Eriksen",
    "Fontaine",
    "Garcia",
    "Haddad",
    "Ivanova",
    "Jansen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quispe",
    "Romano",
    "Schmidt",
    "Tanaka",
    "Umarov",
    "Varga",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zielinski",
    "Adeyemi",
    "Bianchi",
    "Costa",
    "Novak",
)
SYLLABLES = (
    "ba",
    "ce",
    "di",
    "fo",
    "gu",
    "ka",
    "le",
    "mi",
    "no",
    "pu",
    "ra",
    "se",
    "ti",
    "vo",
    "zu",
    "mar",
    "tel",
    "ven",
    "dor",
    "lis",
)
TOPICS = ("summit", "vote", "strike", "earthquake", "election", "trial", "budget", "treaty")


@dataclass(frozen=True)
class Happening:
    day: date
    place: str
    people: tuple[str, ...]
    terms: tuple[str, ...]
    topic: str


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(n) for n in text.split(",")],
        default=list(DEFAULT_SIZES),
        help="stored article counts to measure at, comma-separated (default 1000,100000)",
    )
    parser.add_argument("--samples", type=int, default=DEFAULT_SAMPLES, help="articles timed")
    parser.add_argument("--seed", type=int, default=7)


def main(_settings, args: argparse.Namespace) -> int:
    print(
        f"assign_article + consolidate over {args.samples} fresh articles "
        "(half about stored events)"
    )
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'bench-events.db'}"
            migrate(url)
            engine = make_engine(url)
            rng = random.Random(args.seed)
            started = time.perf_counter()
            happenings = build_store(engine, size, rng)
            built = time.perf_counter() - started
            timings = time_assignments(engine, happenings, args.samples, rng)
            engine.dispose()
        print(
            f"{size:>8} stored articles ({size // ARTICLES_PER_EVENT} events, "
            f"built in {built:.1f}s):"
            f" median {statistics.median(timings):.1f} ms, "
            f"p95 {_percentile(timings, 0.95):.1f} ms, max {max(timings):.1f} ms"
        )
    return 0


def build_store(engine, size: int, rng: random.Random) -> list[Happening]:
    """Events with their keys and articles, inserted in bulk; a realistic spread of dates,
    places and people (a few people are in the news far more often than most)."""
    vocabulary = _vocabulary(rng, 3_000)
    people = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    places = sorted(SPECIFIC_PLACES)
    happenings = [
        _happening(rng, people, places, vocabulary) for _ in range(size // ARTICLES_PER_EVENT)
    ]
    with Session(engine) as session:
        for chunk_start, chunk in _chunks(happenings, 2_000):
            session.execute(
                insert(Event),
                [
                    {"id": chunk_start + n + 1, "title": _title(h), "date_start": h.day,
                     "date_end": h.day, "location": h.place.title(), "created_at": _now(),
                     "updated_at": _now()}
                    for n, h in enumerate(chunk)
                ],
            )  # fmt: skip
            session.execute(
                insert(EventKey),
                [
                    {"event_id": chunk_start + n + 1, "key": key, "weight": ARTICLES_PER_EVENT}
                    for n, h in enumerate(chunk)
                    for key in _keys(h)
                ],
            )
            session.execute(
                insert(EventTerm),
                [
                    {"event_id": chunk_start + n + 1, "term": word, "weight": ARTICLES_PER_EVENT}
                    for n, h in enumerate(chunk)
                    for word in _words(h)
                ],
            )
            session.execute(
                insert(Article),
                [
                    {"event_id": chunk_start + n + 1, "title": _title(h), "raw_text": "",
                     "clean_text": "", "content_hash": f"{chunk_start + n}-{copy}",
                     "published_at": _midnight(h.day), "date_precision": "day",
                     "dateline": h.place.upper(), "source_name": "bench", "ingested_at": _now()}
                    for n, h in enumerate(chunk)
                    for copy in range(ARTICLES_PER_EVENT)
                ],
            )  # fmt: skip
        words = Counter(word for h in happenings for word in _words(h))
        session.execute(
            insert(TermCount),
            [{"term": w, "articles": n * ARTICLES_PER_EVENT} for w, n in sorted(words.items())],
        )
        session.commit()
    return happenings


def time_assignments(
    engine, happenings: list[Happening], samples: int, rng: random.Random
) -> list[float]:
    """Milliseconds per assignment (assign_article and consolidate, as ingest runs them), each in
    a transaction rolled back afterwards."""
    vocabulary = _vocabulary(rng, 3_000)
    people = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    timings = []
    for n in range(samples):
        about = rng.choice(happenings) if n % 2 == 0 else None
        happening = about or _happening(rng, people, sorted(SPECIFIC_PLACES), vocabulary)
        with Session(engine) as session:
            article = Article(
                title=_title(happening),
                raw_text="",
                clean_text=_story(happening, rng),
                content_hash=f"fresh-{n}",
                published_at=_midnight(happening.day + timedelta(days=rng.choice((0, 0, 1)))),
                date_precision="day",
                dateline=happening.place.upper(),
            )
            session.add(article)
            session.flush()
            started = time.perf_counter()
            events.assign_article(session, article)
            events.consolidate(session, article.event_id)
            timings.append((time.perf_counter() - started) * 1000)
            session.rollback()
    return timings


def _happening(rng, people: list[str], places: list[str], vocabulary: list[str]) -> Happening:
    famous = people[:20]
    cast = {rng.choice(famous)} | {rng.choice(people) for _ in range(rng.randint(2, 4))}
    return Happening(
        day=FIRST_DAY + timedelta(days=rng.randrange(DAYS)),
        place=rng.choice(places),
        people=tuple(sorted(cast)),
        terms=tuple(rng.sample(vocabulary, 12)),
        topic=rng.choice(TOPICS),
    )


def _keys(h: Happening) -> list[str]:
    keys = {events.person_key(p) for p in h.people}
    keys |= {f"term:{t}" for t in (h.topic, *h.terms)}
    keys |= {f"place:{h.place}", f"dateline:{h.place}", f"day:{h.day}", f"year:{h.day.year}"}
    keys.add(f"month:{h.day:%Y-%m}")
    return sorted(keys)


def _words(h: Happening) -> set[str]:
    """The words of the happening's text profile (its articles' heaviest words)."""
    names = {part.lower() for p in h.people for part in p.split()}
    return {h.topic, *h.terms, h.place, *names}


def _title(h: Happening) -> str:
    return f"{h.people[0]} at {h.topic} in {h.place.title()} over {h.terms[0]} and {h.terms[1]}"


def _story(h: Happening, rng: random.Random) -> str:
    sentences = [
        f"{h.place.upper()} — {h.people[0]} and {h.people[-1]} met on Tuesday for a {h.topic}.",
        *(f"The {t} and the {rng.choice(h.terms)} were discussed, {p} said." for t, p in
          zip(h.terms, h.people * 4, strict=False)),
        f"Officials said {rng.randint(10, 900)} delegates attended the {h.topic}.",
    ]  # fmt: skip
    return "\n\n".join(sentences)


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(3)))
    return sorted(words)


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield start, items[start : start + size]


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _now() -> datetime:
    return datetime.now(UTC)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]
