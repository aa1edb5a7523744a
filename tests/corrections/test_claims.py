"""Tests for app/corrections/claims.py: merge claims, split a mention off, both kept on re-run."""

import pytest
from sqlmodel import Session, col, select

from app.corrections.claims import ClaimCorrectionError, merge_claims, split_mention
from app.db import PROJECT_ROOT, make_engine
from app.ingest.align import realign_event, resolve_claim_id
from app.ingest.run import ingest_paths
from app.models import Article, Claim, Mention

SEEDS_DIR = PROJECT_ROOT / "seeds"
BALI = ["001_d197b4e38ea34f01.txt", "002_1369dc01825edf46.txt", "003_7fc9efdcb6e9b017.txt"]


@pytest.fixture
def session(new_database):
    engine = make_engine(new_database())
    ingest_paths(engine, [SEEDS_DIR / name for name in BALI])
    with Session(engine) as session:
        yield session
    engine.dispose()


def claim_of(session, text: str) -> Claim:
    mention = session.exec(
        select(Mention).where(col(Mention.text).contains(text)).order_by(col(Mention.id))
    ).first()
    return session.get(Claim, mention.claim_id)


def test_merge_moves_mentions_and_the_old_id_resolves_to_the_survivor(session):
    lavrov = claim_of(session, "Lavrov had left the meeting early")
    isolated = claim_of(session, "There was a strong consensus and Russia was left isolated")
    assert lavrov.id != isolated.id
    survivor = merge_claims(session, lavrov.id, isolated.id)
    assert survivor.id == isolated.id
    assert resolve_claim_id(session, lavrov.id) == isolated.id
    mentions = session.exec(select(Mention).where(Mention.claim_id == isolated.id)).all()
    assert len(mentions) == 4 and all(m.manual for m in mentions)
    realign_event(session, survivor.event_id)
    assert claim_of(session, "Lavrov had left the meeting early").id == isolated.id
    assert session.get(Claim, lavrov.id).merged_into_id == isolated.id


def test_split_gives_the_mention_a_claim_of_its_own_that_re_alignment_keeps(session):
    claim = claim_of(session, "Sinophobia")
    assert claim.outlet_count == 2
    reuters = session.exec(select(Mention).where(col(Mention.text).contains("Sinophobia"))).one()
    new_claim = split_mention(session, reuters.id)
    assert new_claim.id != claim.id
    assert (new_claim.outlet_count, new_claim.speaker) == (1, "Wang Yi")
    session.refresh(claim)
    assert claim.outlet_count == 1
    realign_event(session, claim.event_id)
    assert claim_of(session, "Sinophobia").id == new_claim.id
    assert claim_of(session, "China-phobia").id == claim.id


def test_corrections_that_cannot_be_made(session):
    claim = claim_of(session, "Sinophobia")
    with pytest.raises(ClaimCorrectionError):
        merge_claims(session, claim.id, claim.id)
    with pytest.raises(ClaimCorrectionError):
        merge_claims(session, claim.id, 10**6)
    single = claim_of(session, "If such threat-expansion is allowed to grow")
    only = session.exec(select(Mention).where(Mention.claim_id == single.id)).one()
    with pytest.raises(ClaimCorrectionError):
        split_mention(session, only.id)
    other_event = Claim(event_id=None, kind="figure", text="x")
    session.add(other_event)
    session.flush()
    with pytest.raises(ClaimCorrectionError):
        merge_claims(session, other_event.id, claim.id)
    assert session.exec(select(Article)).first() is not None
