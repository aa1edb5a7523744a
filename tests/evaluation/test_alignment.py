"""Tests for app/evaluation/alignment.py: gold integrity, pair scoring, CI floors on the seeds."""

import pytest
from sqlmodel import Session, col, select

from app.db import PROJECT_ROOT, make_engine
from app.evaluation.alignment import (
    PRECISION_FLOOR,
    RECALL_FLOOR,
    SEEDS,
    SPEAKER_FLOOR,
    evaluate,
    load_gold,
    locate,
    score_alignment,
)
from app.ingest.run import ingest_paths
from app.models import Mention

SEEDS_DIR = PROJECT_ROOT / SEEDS


@pytest.fixture(scope="module")
def seeded_engine(module_database):
    engine = make_engine(module_database)
    ingest_paths(engine, [SEEDS_DIR])
    yield engine
    engine.dispose()


def test_every_gold_text_is_in_its_seed():
    gold = load_gold()
    sides = [m for group in gold["groups"] for m in group["mentions"]]
    sides += [pair[side] for pair in gold["must_not_link"] for side in ("a", "b")]
    sides += [{"file": s["file"], "text": s["quote"]} for s in gold["speakers"]]
    for side in sides:
        assert locate((SEEDS_DIR / side["file"]).read_text(), side["text"]), side["text"]
    assert all(len({m["file"] for m in g["mentions"]}) >= 2 for g in gold["groups"])


def test_locate_ignores_whitespace_changes():
    text = "President\n\nXi Jinping\n\n—mutual respect"
    assert locate(text, "President Xi Jinping—mutual") == (0, len(text) - len(" respect"))
    assert locate("something else", "President Xi") is None


def test_the_seeds_meet_the_ci_floors(seeded_engine):
    metrics = {m.name: m for m in evaluate(seeded_engine)}
    precision = metrics["alignment pairwise precision (seeds)"]
    recall = metrics["alignment pairwise recall (seeds)"]
    speakers = metrics["quote speaker accuracy (seeds)"]
    assert (precision.floor, recall.floor, speakers.floor) == (
        PRECISION_FLOOR,
        RECALL_FLOOR,
        SPEAKER_FLOOR,
    )
    assert precision.passed and recall.passed and speakers.passed
    assert metrics["Bali event: claims"].value == (
        metrics["Bali event: multi-outlet claims"].value
        + metrics["Bali event: single-outlet claims"].value
    )


def test_a_wrong_join_counts_against_precision(seeded_engine):
    gold = load_gold()
    with Session(seeded_engine) as session:
        before = score_alignment(session, gold)
        lavrov = session.exec(
            select(Mention).where(col(Mention.text).contains("Lavrov had left the meeting"))
        ).all()
        consensus = session.exec(
            select(Mention).where(col(Mention.text).contains("There was a strong consensus"))
        ).first()
        for mention in lavrov:
            mention.claim_id = consensus.claim_id
        after = score_alignment(session, gold)
        session.rollback()
    assert after.false_positives == before.false_positives + 2
    assert after.true_positives == before.true_positives
    assert any(error.startswith("joined:") and "Lavrov" in error for error in after.errors)
