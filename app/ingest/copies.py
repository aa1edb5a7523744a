"""Turns clean text into sampled shingle hashes, the earlier article it copies, and shared runs."""

import hashlib
import re
import unicodedata
from collections.abc import Iterable

from sqlalchemy import func
from sqlmodel import Session, select

from app.models import Article, ArticleShingle

SHINGLE_WORDS = 8
# Keep the shingles whose hash is divisible by this: a content-defined sample, so two copies of the
# same passage keep the same shingles wherever the passage sits in each article.
SAMPLE_MODULUS = 4
# A candidate must share this many sampled shingles before its overlap is computed at all.
MIN_SHARED_SAMPLES = 3
# Share of the shorter article's sampled shingles found in the other. Independent reports of the
# same event share only a quote or two (the independent seed pairs reach 0.01), while a reprint of
# wire copy, even edited and cut, keeps many of its 8-word runs (the Guardian and NPR carry the same
# AP story and reach 0.47 although each trimmed and reworded it): 0.25 sits well clear of both.
COPY_THRESHOLD = 0.25
WORD = re.compile(r"\w+(?:['’]\w+)*")
QUOTE_FOLDING = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})
HASH_MASK = (1 << 63) - 1  # SQLite integers are signed 64-bit


def words(text: str) -> list[tuple[str, int, int]]:
    """Normalized words with their character offsets in `text`."""
    return [
        (_normal_word(match.group(0)), match.start(), match.end()) for match in WORD.finditer(text)
    ]


def _normal_word(word: str) -> str:
    return unicodedata.normalize("NFKC", word).translate(QUOTE_FOLDING).casefold()


def normalized(text: str) -> str:
    return " ".join(word for word, _, _ in words(text))


def content_hash(text: str) -> str:
    """Same story text, whatever its spacing, case, quote style or punctuation: same hash."""
    return hashlib.sha256(normalized(text).encode()).hexdigest()


def _hash(tokens: Iterable[str]) -> int:
    digest = hashlib.blake2b(" ".join(tokens).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") & HASH_MASK


def shingle_hashes(text: str) -> set[int]:
    tokens = [word for word, _, _ in words(text)]
    hashes = (_hash(tokens[i : i + SHINGLE_WORDS]) for i in range(len(tokens) - SHINGLE_WORDS + 1))
    return {value for value in hashes if value % SAMPLE_MODULUS == 0}


def overlap(shared: int, size_a: int, size_b: int) -> float:
    smaller = min(size_a, size_b)
    return shared / smaller if smaller else 0.0


def find_copy(
    session: Session, hashes: set[int], *, exclude_id: int | None = None
) -> tuple[int, float] | None:
    """The stored article sharing the most of these sampled shingles, if it passes the threshold."""
    if not hashes:
        return None
    shared_counts = session.exec(
        select(ArticleShingle.article_id, func.count())
        .where(ArticleShingle.hash.in_(list(hashes)))
        .where(ArticleShingle.article_id != (exclude_id or -1))
        .group_by(ArticleShingle.article_id)
        .having(func.count() >= MIN_SHARED_SAMPLES)
    ).all()
    if not shared_counts:
        return None
    sizes = dict(
        session.exec(
            select(ArticleShingle.article_id, func.count())
            .where(ArticleShingle.article_id.in_([article_id for article_id, _ in shared_counts]))
            .group_by(ArticleShingle.article_id)
        ).all()
    )
    best_overlap, best_id = max(
        (overlap(shared, len(hashes), sizes[article_id]), -article_id)
        for article_id, shared in shared_counts
    )
    if best_overlap < COPY_THRESHOLD:
        return None
    return -best_id, round(best_overlap, 3)


def link_copy(session: Session, article: Article, hashes: set[int]) -> None:
    """Stores the article's sampled shingles and links it to the earlier article it copies."""
    found = find_copy(session, hashes, exclude_id=article.id)
    if found:
        article.copy_of_id, article.copy_overlap = found
        session.add(article)
    session.add_all(ArticleShingle(article_id=article.id, hash=value) for value in hashes)


def shared_runs(
    text_a: str, text_b: str, min_words: int = SHINGLE_WORDS
) -> list[tuple[int, int, int, int]]:
    """Verbatim runs of at least `min_words` words found in both texts, as character spans
    (start_a, end_a, start_b, end_b), in the order they appear in `text_a`."""
    words_a, words_b = words(text_a), words(text_b)
    tokens_a = [word for word, _, _ in words_a]
    tokens_b = [word for word, _, _ in words_b]
    starts_b: dict[tuple[str, ...], list[int]] = {}
    for j in range(len(tokens_b) - min_words + 1):
        starts_b.setdefault(tuple(tokens_b[j : j + min_words]), []).append(j)
    runs = []
    i = 0
    while i <= len(tokens_a) - min_words:
        best_j, best_length = -1, 0
        for j in starts_b.get(tuple(tokens_a[i : i + min_words]), ()):
            length = min_words
            while (
                i + length < len(tokens_a)
                and j + length < len(tokens_b)
                and tokens_a[i + length] == tokens_b[j + length]
            ):
                length += 1
            if length > best_length:
                best_j, best_length = j, length
        if best_length:
            last_a, last_b = words_a[i + best_length - 1], words_b[best_j + best_length - 1]
            runs.append((words_a[i][1], last_a[2], words_b[best_j][1], last_b[2]))
            i += best_length
        else:
            i += 1
    return runs
