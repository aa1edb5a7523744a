"""Turns clean text into sampled shingle hashes, the earlier article it copies, and shared runs."""

import hashlib
import re
import unicodedata
from functools import lru_cache

from sqlalchemy import bindparam, case, func, insert
from sqlmodel import Session, select

from app.models import ArticleShingle

SHINGLE_WORDS = 8
# Keep the shingles whose hash is divisible by this: a content-defined sample, so two copies of the
# same passage keep the same shingles wherever the passage sits in each article. One in 8 leaves a
# 700-word story ~90 samples: enough to measure overlap, few enough to store and look up fast.
SAMPLE_MODULUS = 8
# Candidates are looked up by an article's lowest sampled hashes only, and must share this many
# (so a copy always rests on at least three shared 8-word runs, however short the texts).
QUERY_SAMPLES = 32
MIN_SHARED_SAMPLES = 3
# Of those candidates, the ones sharing the most get their exact overlap computed.
MAX_CANDIDATES = 10
# Share of the shorter article's sampled shingles found in the other. Independent reports of the
# same event share only a quote or two (the independent seed pairs reach at most 0.025), while a
# reprint of wire copy, even edited and cut, keeps many of its 8-word runs (the Guardian and NPR
# carry the same AP story and reach 0.48 though each trimmed and reworded it): 0.25 sits between.
COPY_THRESHOLD = 0.25
WORD = re.compile(r"\w+(?:['’]\w+)*")
# Shingle hashes are polynomial rolling hashes of word codes modulo a Mersenne prime that fits
# SQLite's signed 64-bit integers: one multiply-add per word instead of hashing every 8-word string.
PRIME = (1 << 61) - 1
BASE = 1_000_003
TOP_POWER = pow(BASE, SHINGLE_WORDS - 1, PRIME)


def tokens(text: str) -> list[str]:
    """Normalized words."""
    return WORD.findall(_fold(text))


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("’", "'").casefold()


def content_hash(text: str) -> str:
    """Same story text, whatever its spacing, case, quote style or punctuation: same hash."""
    return _content_hash(tokens(text))


def fingerprint(text: str) -> tuple[str, set[int]]:
    """content_hash and shingle_hashes of one text, tokenized once."""
    words_ = tokens(text)
    return _content_hash(words_), _sampled_shingles(words_)


def _content_hash(words_: list[str]) -> str:
    return hashlib.sha256(" ".join(words_).encode()).hexdigest()


@lru_cache(maxsize=200_000)
def _word_code(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "big") % PRIME


def shingle_hashes(text: str) -> set[int]:
    return _sampled_shingles(tokens(text))


def _sampled_shingles(words_: list[str]) -> set[int]:
    codes = [_word_code(word) for word in words_]
    if len(codes) < SHINGLE_WORDS:
        return set()
    value = 0
    for code in codes[:SHINGLE_WORDS]:
        value = (value * BASE + code) % PRIME
    sampled = {value} if value % SAMPLE_MODULUS == 0 else set()
    for leaving, entering in zip(codes, codes[SHINGLE_WORDS:], strict=False):
        value = ((value - leaving * TOP_POWER) * BASE + entering) % PRIME
        if value % SAMPLE_MODULUS == 0:
            sampled.add(value)
    return sampled


def overlap(shared: int, size_a: int, size_b: int) -> float:
    smaller = min(size_a, size_b)
    return shared / smaller if smaller else 0.0


_shared = func.count().label("shared")
# Built once with expanding parameters: hundreds of hashes per call cost no per-value SQL building.
CANDIDATES = (
    select(ArticleShingle.article_id)
    .where(ArticleShingle.hash.in_(bindparam("sketch", expanding=True)))
    .group_by(ArticleShingle.article_id)
    .having(_shared >= MIN_SHARED_SAMPLES)
    .order_by(_shared.desc(), ArticleShingle.article_id)
    .limit(MAX_CANDIDATES)
)
# Per candidate: its sampled shingles, and how many of them the new article has.
OVERLAPS = (
    select(
        ArticleShingle.article_id,
        func.count(),
        func.sum(case((ArticleShingle.hash.in_(bindparam("hashes", expanding=True)), 1), else_=0)),
    )
    .where(ArticleShingle.article_id.in_(bindparam("candidates", expanding=True)))
    .group_by(ArticleShingle.article_id)
)


def find_copy(session: Session, hashes: set[int]) -> tuple[int, float] | None:
    """The stored article whose sampled shingles overlap these most, if it passes the threshold.

    Candidates come from the lowest QUERY_SAMPLES hashes (a fixed-size sketch that a reprint
    shares in proportion to its overlap), so a long article or a common phrase does not scan long
    posting lists; only the best candidates then get their exact overlap."""
    if not hashes:
        return None
    connection = session.connection()
    sketch = sorted(hashes)[:QUERY_SAMPLES]
    candidates = connection.execute(CANDIDATES, {"sketch": sketch}).scalars().all()
    if not candidates:
        return None
    rows = connection.execute(OVERLAPS, {"candidates": candidates, "hashes": list(hashes)})
    best_overlap, best_id = max(
        (overlap(shared, len(hashes), size), -article_id) for article_id, size, shared in rows
    )
    if best_overlap < COPY_THRESHOLD:
        return None
    return -best_id, round(best_overlap, 3)


def store_shingles(session: Session, article_id: int, hashes: set[int]) -> None:
    """Indexes a stored article's sampled shingles, so later articles can find it as a copy."""
    if hashes:
        session.connection().execute(  # Core executemany: a hundred rows per article
            insert(ArticleShingle.__table__),
            [{"article_id": article_id, "hash": value} for value in hashes],
        )
