"""`parallax bench ingest`: a generated corpus of seed-like articles into throughput and memory."""

import argparse
import random
import re
import resource
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pysbd
from sqlalchemy import func
from sqlalchemy.engine import make_url
from sqlmodel import Session, col, select

from app.db import PROJECT_ROOT, make_engine, migrate
from app.evaluation.corpora import load_corpus
from app.ingest.clean import clean
from app.ingest.meta import language
from app.ingest.parse import RawArticle, parse_path
from app.ingest.run import ingest_items
from app.models import Article

SEEDS_DIR = PROJECT_ROOT / "seeds"
DEFAULT_ARTICLES = 2000
LARGEST_EVENTS_SHOWN = 5
PROGRESS_EVERY = 1000  # articles between two progress lines of a long run
LARGEST_STORY = 320  # articles of the largest story a --story-share corpus holds
REPRINT_SHARE = 0.05  # wire copy carried again by another outlet: stored, linked as a copy
DUPLICATE_SHARE = 0.01  # the same file twice: skipped

# Each generated article recasts the seed stories with other people, places and countries, so the
# corpus reads like news about many events instead of 2,000 near-copies of one.
PEOPLE = {
    "Antony Blinken": "person_a",
    "Blinken": "person_a_short",
    "Wang Yi": "person_b",
    "Wang": "person_b_short",
    "Xi Jinping": "person_c",
    "Joe Biden": "person_d",
    "Biden": "person_d_short",
    "Sergei Lavrov": "person_e",
    "Lavrov": "person_e_short",
}
COUNTRIES = {"China": "country_a", "Russia": "country_b", "Ukraine": "country_c"}
PLACES = {"Bali": "place_a", "Beijing": "place_b", "Moscow": "place_c", "Washington": "place_d"}
# Per-article wording: every article picks one variant of each group, so two articles built from the
# same seed sentence still differ every few words, as two outlets' own reporting would.
WORDING = [
    ("said", "stated", "noted", "remarked"),
    ("told", "informed", "assured"),
    ("meeting", "session", "encounter", "summit"),
    ("talks", "discussions", "negotiations", "consultations"),
    ("officials", "diplomats", "representatives", "aides"),
    ("relations", "ties", "the relationship"),
    ("support", "backing", "assistance"),
    ("concerns", "misgivings", "reservations"),
    ("countries", "nations", "governments"),
    ("war", "conflict", "invasion"),
    ("administration", "government", "White House"),
    ("reporters", "journalists", "the press"),
    ("foreign minister", "top diplomat", "chief diplomat"),
    ("Secretary of State", "chief envoy", "top envoy"),
    ("military", "armed forces", "defence establishment"),
    ("issues", "matters", "questions"),
    ("trade", "commerce", "economic exchange"),
    ("important", "vital", "crucial"),
    ("after", "following", "in the wake of"),
    ("the two sides", "both delegations", "the two governments"),
    ("Chinese", "the host country's", "local"),
    ("U.S.", "American", "US"),
]
FIRST_NAMES = [
    "Maria", "James", "Aiko", "Olumide", "Sofia", "Rahul", "Elena", "Tomasz", "Fatima", "Lucas",
    "Ingrid", "Kwame", "Mei", "Diego", "Hana", "Pavel", "Amara", "Jonas", "Leila", "Mateo",
]  # fmt: skip
LAST_NAMES = [
    "Schneider", "Okafor", "Tanaka", "Novak", "Haddad", "Lindqvist", "Moreau", "Castillo",
    "Kowalski", "Mensah", "Petrov", "Yilmaz", "Fernandes", "Nakamura", "Bauer", "Rossi",
    "Adeyemi", "Kaur", "Horvat", "Duarte",
]  # fmt: skip
COUNTRY_NAMES = [
    "Brazil", "India", "Japan", "Turkey", "Nigeria", "Mexico", "Poland", "Egypt", "Canada",
    "Vietnam", "Kenya", "Argentina", "Norway", "Chile", "Ghana", "Peru", "Spain", "Thailand",
]  # fmt: skip
CITY_NAMES = [
    "Lisbon", "Nairobi", "Osaka", "Lima", "Hanoi", "Oslo", "Accra", "Cairo", "Kraków", "Quito",
    "Dakar", "Bergen", "Porto", "Tbilisi", "Medan", "Valparaíso", "Izmir", "Cebu",
]  # fmt: skip
OUTLETS = [
    "Reuters", "The Associated Press", "NPR", "BBC", "The Guardian", "Al Jazeera",
    "The Washington Post", "Bloomberg", "CNN", "Financial Times", "Deutsche Welle", "France 24",
]  # fmt: skip
HEADLINES = [
    "{person_a} presses {country_a} over its support for {country_b}",
    "{country_a} and {country_c} trade warnings as {person_b} meets {person_a}",
    "Talks in {place_a} end without breakthrough on {country_b}",
    "{person_c} signals new approach to {country_a} ties",
    "Officials in {place_b} say {person_a_short} visit eased tensions",
]
ROLES = {**PEOPLE, **COUNTRIES, **PLACES}
RECAST = re.compile(
    r"(?<!\w)(?:"
    + "|".join(
        re.escape(word)
        for word in sorted(
            [*ROLES, *(w for group in WORDING for w in group)], key=len, reverse=True
        )
    )
    + r")(?!\w)"
)
# Between two lower-case words an article now and then adds an adverb of its own, as rewrites do.
LOWER_PAIR = re.compile(r"\b([a-z]{3,}) (?=[a-z]{3,}\b)")
ADVERBS = ("also", "now", "still", "reportedly", "again", "openly", "further", "already")
ADVERB_RATE = 0.08
TOP_FURNITURE = ["Skip to Content", "Play Live Radio", "0:00 0:00", "Advertisement", "Listen"]
BOTTOM_FURNITURE = [
    "Share post:",
    "More like this",
    "Please keep your comments respectful and relevant.",
    "Follow us on social media for more stories.",
]


@dataclass
class Corpus:
    folder: Path
    articles: int
    files: int
    seconds: float


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--articles", type=int, default=DEFAULT_ARTICLES, help="corpus size")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the generated corpus")
    parser.add_argument(
        "--story-share",
        type=float,
        default=0.0,
        help="share of the generated articles that report stories many outlets cover, in events "
        "of up to --largest-story articles (default 0: every article a story of its own)",
    )
    parser.add_argument("--largest-story", type=int, default=LARGEST_STORY)
    parser.add_argument(
        "--no-claims", action="store_true", help="skip the events and align hooks (ingest alone)"
    )
    parser.add_argument(
        "--no-text-worker",
        action="store_true",
        help="do the articles' text work in this process (default: in a worker process, as the "
        "CLI does for batches)",
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        metavar="FOLDER",
        help="ingest a labelled corpus folder (articles.jsonl, e.g. tests/data/ecbplus) instead of "
        "a generated one",
    )
    parser.add_argument(
        "--progress-every",
        type=int,
        default=PROGRESS_EVERY,
        metavar="N",
        help="print the throughput so far and of the last N articles every N articles, with the "
        "largest event (0: only the summary)",
    )
    parser.add_argument(
        "--database-url",
        help="an empty database to ingest into, migrated first, e.g. postgresql+psycopg://... "
        "(default: a new SQLite file in a temporary folder)",
    )


def main(_settings, args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="parallax-bench-") as work:
        workdir = Path(work)
        if args.corpus:
            corpus, items = _labelled(args.corpus)
        else:
            corpus = write_corpus(
                workdir / "corpus",
                args.articles,
                random.Random(args.seed),
                args.story_share,
                args.largest_story,
            )
            items = parse_path(corpus.folder)
        database_url = args.database_url or f"sqlite:///{workdir / 'bench.db'}"
        migrate(database_url)
        language("Loading the language model is a one-time cost of each process.")
        engine = make_engine(database_url)
        setup_peak_mb = _peak_rss_mb()
        try:
            started, cpu_started = time.perf_counter(), time.process_time()
            worker_cpu_started = _children_cpu()
            progress = Progress(engine, args.progress_every)
            report = ingest_items(
                engine,
                items,
                run_hooks=not args.no_claims,
                on_progress=progress.update,
                text_worker=not args.no_text_worker,
            )
            elapsed = time.perf_counter() - started
            cpu = time.process_time() - cpu_started
            worker_cpu = _children_cpu() - worker_cpu_started
            sizes = largest_events(engine)
        finally:
            engine.dispose()
    peak_mb = _peak_rss_mb()
    items = len(report.added) + len(report.duplicates) + len(report.rejected)
    copies = sum(item.copy_of_id is not None for item in report.added)
    mode = "ingest only (--no-claims)" if args.no_claims else "ingest with events and align hooks"
    print(
        f"corpus: {corpus.articles} articles in {corpus.files} files, read or generated in "
        f"{corpus.seconds:.1f} s (not counted, nor the migration and language model load)"
    )
    print(f"store: {make_url(database_url).get_backend_name()}")
    print(f"{mode}: {items} articles in {elapsed:.2f} s = {items / elapsed:.1f} articles/s")
    print(
        f"cpu time (this process) {cpu:.2f} s = {cpu / items * 1000:.1f} ms per article "
        f"({items / cpu:.1f} articles/s when the machine is otherwise idle)"
    )
    if not args.no_text_worker:
        print(
            f"text worker process: cpu time {worker_cpu:.2f} s = "
            f"{worker_cpu / items * 1000:.1f} ms per article (start-up included)"
        )
    print(f"largest events (articles): {', '.join(map(str, sizes)) or 'none'}")
    print(
        f"added {len(report.added)} ({copies} linked as copies), "
        f"{len(report.duplicates)} duplicates skipped, {len(report.rejected)} rejected"
    )
    print(
        f"peak memory: {peak_mb:.0f} MB resident (whole process, ru_maxrss; "
        f"{setup_peak_mb:.0f} MB after imports and set-up, before ingesting)"
    )
    return 1 if report.rejected else 0


class Progress:
    """A line every `every` articles: throughput so far, over the last `every` articles (wall
    clock and CPU), and the largest event, so a long run shows how cost grows with the store."""

    def __init__(self, engine, every: int):
        self.engine = engine
        self.every = every
        self.started = self.last = (time.perf_counter(), time.process_time())

    def update(self, done: int) -> None:
        if not self.every or done % self.every:
            return
        now = (time.perf_counter(), time.process_time())
        wall, cpu = (now[0] - self.last[0], now[1] - self.last[1])
        overall = now[0] - self.started[0]
        self.last = now
        largest = largest_events(self.engine, shown=1) or [0]
        print(
            f"{done} articles: {done / overall:.1f} articles/s overall; last {self.every}: "
            f"{self.every / wall:.1f}/s, {self.every / cpu:.1f}/s of CPU; "
            f"largest event {largest[0]} articles",
            flush=True,
        )


def largest_events(engine, shown: int = LARGEST_EVENTS_SHOWN) -> list[int]:
    with Session(engine) as session:
        counts = session.exec(
            select(func.count(Article.id))
            .where(col(Article.event_id).is_not(None))
            .group_by(Article.event_id)
            .order_by(func.count(Article.id).desc())
            .limit(shown)
        ).all()
    return list(counts)


def _labelled(folder: Path) -> tuple[Corpus, list[RawArticle]]:
    """A labelled corpus folder read (and detokenised) ahead of the timed ingest."""
    started = time.perf_counter()
    items = [article.as_raw() for article in load_corpus(folder)]
    return Corpus(folder, len(items), 1, time.perf_counter() - started), items


def _children_cpu() -> float:
    """CPU seconds of the finished child processes (the text worker, once its batch ended)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def write_corpus(
    folder: Path,
    count: int,
    rng: random.Random,
    story_share: float = 0.0,
    largest_story: int = LARGEST_STORY,
) -> Corpus:
    """`count` article files recombined from the seed sentences; a few reprints and duplicates.

    A `story_share` of the articles report stories many outlets cover (same people, places and
    days, each article its own sentences and wording): story sizes halve from `largest_story`
    down to 2 and start again, and their articles come interleaved with the others."""
    started = time.perf_counter()
    folder.mkdir(parents=True)
    sentences = seed_sentences()
    stories = story_plan(count, story_share, largest_story, rng)
    written: list[str] = []
    for index, story in enumerate(stories):
        roll = rng.random()
        if written and roll < DUPLICATE_SHARE:
            text = rng.choice(written)
        elif written and roll < DUPLICATE_SHARE + REPRINT_SHARE:
            text = reprint(rng.choice(written), rng)
        else:
            text = article(sentences, rng, story)
        written.append(text)
        (folder / f"{index:05}.txt").write_text(text, encoding="utf-8")
    return Corpus(folder, count, count, time.perf_counter() - started)


@dataclass(frozen=True)
class Story:
    cast: dict[str, str]
    day: date


def story_plan(count: int, share: float, largest: int, rng: random.Random) -> list[Story | None]:
    """The story of each article in ingest order (None: an article of its own)."""
    plan: list[Story | None] = []
    size = largest
    while len(plan) + size <= count * share and size >= 2:
        story = Story(_cast(rng), _day(rng))
        plan.extend([story] * size)
        size = size // 2 if size // 2 >= 2 else largest
    plan.extend([None] * (count - len(plan)))
    if share:
        rng.shuffle(plan)
    return plan


def seed_sentences() -> list[str]:
    segmenter = pysbd.Segmenter(language="en", clean=False)
    sentences = []
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        paragraphs = clean(path.read_text(encoding="utf-8")).text.split("\n\n")[1:]
        for paragraph in paragraphs:
            sentences.extend(s.strip() for s in segmenter.segment(paragraph) if len(s.split()) > 5)
    return sentences


def article(sentences: list[str], rng: random.Random, story: Story | None = None) -> str:
    cast = _cast(rng) if story is None else {**story.cast, **_wording(rng)}
    body = [_recast(s, cast, rng) for s in rng.sample(sentences, rng.randint(14, 28))]
    paragraphs = []
    while body:
        size = rng.randint(1, 3)
        paragraphs.append(" ".join(body[:size]))
        body = body[size:]
    city, country = cast["place_a"], cast["country_a"]
    paragraphs[0] = f"{city.upper()}, {country} — {paragraphs[0]}"
    day = _day(rng) if story is None else story.day + timedelta(days=rng.randint(0, 1))
    outlet = rng.choice(OUTLETS)
    headline = rng.choice(HEADLINES).format(**cast)
    lines = rng.sample(TOP_FURNITURE, rng.randint(0, 3)) + [headline, *paragraphs]
    lines += rng.sample(BOTTOM_FURNITURE, rng.randint(0, 2))
    lines.append(f"Copyright {day.year} {outlet}. All rights reserved.")
    text = "\n\n".join(lines) + "\n"
    if rng.random() < 0.6:  # most come with front matter, the rest leave it to inference
        return f"---\noutlet: {outlet}\npublished_at: {day.isoformat()}\n---\n{text}"
    return text


def _day(rng: random.Random) -> date:
    return date(2019, 1, 1) + timedelta(days=rng.randrange(6 * 365))


def reprint(text: str, rng: random.Random) -> str:
    """The same wire story on another site: other outlet, one paragraph cut, a line added."""
    paragraphs = text.split("\n\n")
    if len(paragraphs) > 6:
        del paragraphs[rng.randrange(3, len(paragraphs) - 2)]
    outlet = rng.choice(OUTLETS)
    return re.sub(r"outlet: .*", f"outlet: {outlet}", "\n\n".join(paragraphs)) + (
        f"\n\nThis story was carried by {outlet} from a wire service report.\n"
    )


def _cast(rng: random.Random) -> dict[str, str]:
    people = [f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for _ in range(5)]
    countries = rng.sample(COUNTRY_NAMES, 3)
    cities = rng.sample(CITY_NAMES, 4)
    cast = {}
    for key, name in zip(
        ("person_a", "person_b", "person_c", "person_d", "person_e"), people, strict=True
    ):
        cast[key] = name
        cast[f"{key}_short"] = name.split()[-1]
    cast.update(zip(("country_a", "country_b", "country_c"), countries, strict=True))
    cast.update(zip(("place_a", "place_b", "place_c", "place_d"), cities, strict=True))
    return cast | _wording(rng)


def _wording(rng: random.Random) -> dict[str, str]:
    """One article's choice among each group of interchangeable words."""
    wording = {}
    for group in WORDING:
        choice = rng.choice(group)
        wording.update({word: choice for word in group})
    return wording


def _recast(sentence: str, cast: dict[str, str], rng: random.Random) -> str:
    sentence = RECAST.sub(lambda match: cast[ROLES.get(match.group(0), match.group(0))], sentence)
    sentence = LOWER_PAIR.sub(lambda match: _maybe_adverb(match, rng), sentence)
    return re.sub(r"\d+", lambda match: str(rng.randint(2, 99)), sentence)


def _maybe_adverb(match: re.Match, rng: random.Random) -> str:
    if rng.random() < ADVERB_RATE:
        return f"{match.group(1)} {rng.choice(ADVERBS)} "
    return match.group(0)
