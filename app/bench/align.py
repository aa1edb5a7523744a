"""`parallax bench align`: synthetic events of 5, 20 and 80 articles into alignment time per event.

Articles are recombined from the Bali seeds' sentences: each event renames the people and changes
the figures, each article reports a random share of the event's claims with light rewording,
plus sentences of its own. Only alignment is timed (extraction is per article and linear).
"""

import argparse
import random
import re
import time

from app.db import PROJECT_ROOT
from app.ingest.align import align_items, make_item, wire_pairs
from app.ingest.claims import extract_claims
from app.ingest.clean import clean

DEFAULT_SIZES = (5, 20, 80)
DEFAULT_REPEATS = 3
SEED_FILES = (
    "000_7dde30d644e8acaf.txt",
    "001_d197b4e38ea34f01.txt",
    "002_1369dc01825edf46.txt",
    "003_7fc9efdcb6e9b017.txt",
)
CLAIMS_PER_ARTICLE = 20
OWN_SENTENCES_PER_ARTICLE = 5
SURNAMES = (
    "Okafor", "Lindqvist", "Moreau", "Tanaka", "Herrera", "Novak", "Haddad", "Kowalski", "Mensah",
    "Ivanova", "Costa", "Nakamura", "Petrov", "Almeida", "Fischer", "Rahman", "Dumont", "Sato",
)  # fmt: skip
SPEAKERS = ("Blinken", "Wang", "Lavrov", "Xi", "Biden", "Sullivan", "Li", "Wei", "Austin")
REWORDINGS = (("said", "told reporters"), ("China", "Beijing"), ("U.S.", "United States"))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--repeats", type=int, default=DEFAULT_REPEATS)
    parser.add_argument("--seed", type=int, default=7)


def main(_settings, args: argparse.Namespace) -> int:
    pool = seed_sentences()
    rng = random.Random(args.seed)
    rows = []
    for size in args.sizes:
        items = event_items(pool, size, rng)
        seconds = min(time_alignment(items) for _ in range(args.repeats))
        rows.append((size, len(items), seconds))
    print(f"{'articles':>8} {'mentions':>9} {'ms/event':>10} {'us/mention':>11}")
    for size, mentions, seconds in rows:
        print(f"{size:>8} {mentions:>9} {seconds * 1000:>10.1f} {seconds / mentions * 1e6:>11.1f}")
    for (size_a, mentions_a, time_a), (size_b, mentions_b, time_b) in zip(
        rows, rows[1:], strict=False
    ):
        growth = mentions_b / mentions_a
        print(
            f"growth {size_a}->{size_b} articles: mentions x{growth:.1f}, "
            f"time x{time_b / time_a:.1f} (all pairs would be x{growth**2:.0f})"
        )
    return 0


def seed_sentences() -> list[str]:
    sentences = []
    for name in SEED_FILES:
        text = clean((PROJECT_ROOT / "seeds" / name).read_text(encoding="utf-8")).text
        sentences.extend(claim.text for claim in extract_claims(text))
    return sentences


def event_items(pool: list[str], articles: int, rng: random.Random) -> list:
    """One synthetic event's mentions, as alignment sees them."""
    renames = {speaker: rng.choice(SURNAMES) for speaker in SPEAKERS}
    claims = [_vary_numbers(_rename(sentence, renames), rng) for sentence in pool]
    items = []
    for article in range(articles):
        chosen = rng.sample(claims, min(CLAIMS_PER_ARTICLE, len(claims)))
        own = [
            _recombine(rng.choice(pool), rng.choice(pool)) for _ in range(OWN_SENTENCES_PER_ARTICLE)
        ]
        text = "\n\n".join(_reword(sentence, rng) for sentence in chosen + own)
        for claim in extract_claims(text):
            key = len(items)
            items.append(
                make_item(
                    key, article, claim.kind, claim.text, claim.quote, claim.speaker, claim.numbers
                )
            )
    return items


def time_alignment(items: list) -> float:
    started = time.perf_counter()
    groups = align_items(items)
    wire_pairs(groups, set())
    return time.perf_counter() - started


def _rename(sentence: str, renames: dict[str, str]) -> str:
    for old, new in renames.items():
        sentence = re.sub(rf"\b{old}\b", new, sentence)
    return sentence


def _vary_numbers(sentence: str, rng: random.Random) -> str:
    return re.sub(r"\b\d+\b", lambda m: str(int(m.group()) + rng.randint(1, 9)), sentence)


def _reword(sentence: str, rng: random.Random) -> str:
    old, new = rng.choice(REWORDINGS)
    sentence = sentence.replace(old, new, 1)
    words = sentence.split()
    if len(words) > 12:
        del words[rng.randrange(1, len(words) - 1)]
    return " ".join(words)


def _recombine(first: str, second: str) -> str:
    head, tail = first.split(), second.split()
    return " ".join(head[: len(head) // 2] + tail[len(tail) // 2 :])
