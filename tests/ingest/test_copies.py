"""Near-duplicates: wire copy reprinted by two outlets is linked, independent reports are not."""

from itertools import combinations
from pathlib import Path

import pytest
from sqlmodel import Session

from app.ingest.clean import clean
from app.ingest.copies import (
    COPY_THRESHOLD,
    content_hash,
    find_copy,
    overlap,
    shingle_hashes,
    store_shingles,
)
from app.models import Article

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def seed_text(prefix: str) -> str:
    return clean(next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")).text


def seed_overlap(a: str, b: str) -> float:
    hashes_a, hashes_b = shingle_hashes(seed_text(a)), shingle_hashes(seed_text(b))
    return overlap(len(hashes_a & hashes_b), len(hashes_a), len(hashes_b))


def test_guardian_and_npr_share_the_ap_copy():
    assert seed_overlap("001", "002") >= COPY_THRESHOLD


@pytest.mark.parametrize(
    "pair",
    [p for p in combinations(["000", "001", "002", "003", "004"], 2) if p != ("001", "002")],
)
def test_independent_reports_are_not_copies(pair):
    assert seed_overlap(*pair) < COPY_THRESHOLD / 5


def test_sample_is_content_defined_so_a_passage_keeps_its_shingles_anywhere():
    passage = seed_text("003").split("\n\n")[1]
    alone = shingle_hashes(passage)
    embedded = shingle_hashes("An unrelated opening sentence comes first here.\n\n" + passage)
    assert alone and alone <= embedded


def test_content_hash_ignores_case_spacing_quotes_and_punctuation():
    assert content_hash("“Hello,”  she said.\n\nBye") == content_hash('"hello" she said bye')
    assert content_hash("Hello she said") != content_hash("Hello he said")


def _store(session: Session, text: str) -> Article:
    hashes = shingle_hashes(text)
    copy_of_id, copy_overlap = find_copy(session, hashes) or (None, None)
    article = Article(
        raw_text=text,
        clean_text=text,
        content_hash=content_hash(text),
        copy_of_id=copy_of_id,
        copy_overlap=copy_overlap,
    )
    session.add(article)
    session.flush()
    store_shingles(session, article.id, hashes)
    return article


def test_a_reprint_is_found_as_a_copy_of_the_earlier_article(session):
    guardian = _store(session, seed_text("001"))
    reuters = _store(session, seed_text("003"))
    npr = _store(session, seed_text("002"))
    assert guardian.copy_of_id is None and reuters.copy_of_id is None
    assert npr.copy_of_id == guardian.id
    assert npr.copy_overlap == pytest.approx(seed_overlap("001", "002"), abs=0.001)


def test_find_copy_uses_the_shingle_index_and_ignores_weak_matches(session):
    _store(session, seed_text("000"))
    assert find_copy(session, shingle_hashes(seed_text("004"))) is None
    assert find_copy(session, set()) is None
