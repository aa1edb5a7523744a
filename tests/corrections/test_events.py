"""Admin event corrections: move, split and merge lock what they place; later runs respect it."""

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.corrections.events import (
    likely_merges,
    likely_moves,
    merge_events,
    move_article,
    realign_event,
    split_event,
)
from app.ingest import events, run
from app.models import Article, Claim, Event, EventKey, Mention

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture
def seeded(engine) -> dict[str, int]:
    run.ingest_paths(engine, [SEEDS])
    with Session(engine) as session:
        return {Path(a.source_name).name[:3]: a.id for a in session.exec(select(Article)).all()}


def event_of(session: Session, article_id: int) -> int:
    return session.get(Article, article_id).event_id


def test_move_locks_the_article_redescribes_both_events_and_survives_reassignment(engine, seeded):
    with Session(engine) as session:
        bali, beijing = event_of(session, seeded["000"]), event_of(session, seeded["004"])
        move_article(session, seeded["003"], beijing)
        session.commit()
        moved = session.get(Article, seeded["003"])
        assert (moved.event_id, moved.event_locked) == (beijing, True)
        assert moved.event_reason == "moved by an admin"
        assert session.get(Event, beijing).date_start == date(2022, 7, 9)
        assert session.get(EventKey, (bali, "person:antony blinken")).weight == 3

        events.assign_article(session, moved)
        assert moved.event_id == beijing


def test_move_realigns_claims_with_the_article(engine, seeded):
    with Session(engine) as session:
        beijing = event_of(session, seeded["004"])
        move_article(session, seeded["003"], beijing)
        session.commit()
        claim_events = session.exec(
            select(Claim.event_id)
            .join(Mention, Mention.claim_id == Claim.id)
            .where(Mention.article_id == seeded["003"])
        ).all()
        assert claim_events and set(claim_events) == {beijing}


def test_moving_the_last_article_out_retires_its_event(engine, seeded):
    with Session(engine) as session:
        bali, beijing = event_of(session, seeded["000"]), event_of(session, seeded["004"])
        move_article(session, seeded["004"], bali)
        session.commit()
        assert session.get(Event, beijing).merged_into_id == bali
        assert not session.exec(select(EventKey).where(EventKey.event_id == beijing)).all()


def test_split_makes_a_new_event_and_locks_both_sides(engine, seeded):
    with Session(engine) as session:
        bali = event_of(session, seeded["000"])
        new_id = split_event(session, bali, [seeded["001"]])
        session.commit()
        guardian = session.get(Article, seeded["001"])
        assert guardian.event_id == new_id != bali
        assert session.get(Event, new_id).title == guardian.title
        rest = session.exec(select(Article).where(Article.event_id == bali)).all()
        assert len(rest) == 3 and all(a.event_locked for a in [*rest, guardian])
        assert session.get(EventKey, (bali, "person:antony blinken")).weight == 3


def test_split_refuses_articles_of_other_events_and_all_or_nothing(engine, seeded):
    with Session(engine) as session:
        bali = event_of(session, seeded["000"])
        with pytest.raises(ValueError):
            split_event(session, bali, [seeded["004"]])
        with pytest.raises(ValueError):
            split_event(session, bali, [seeded[p] for p in ("000", "001", "002", "003")])
        with pytest.raises(ValueError):
            split_event(session, bali, [])


def test_merge_moves_and_locks_articles_and_the_absorbed_event_redirects(engine, seeded):
    with Session(engine) as session:
        bali, beijing = event_of(session, seeded["000"]), event_of(session, seeded["004"])
        merge_events(session, bali, beijing)
        session.commit()
        wapo = session.get(Article, seeded["004"])
        assert (wapo.event_id, wapo.event_locked) == (bali, True)
        absorbed = session.get(Event, beijing)
        assert absorbed.merged_into_id == bali
        assert not session.exec(select(EventKey).where(EventKey.event_id == beijing)).all()
        assert session.get(Event, bali).date_end == date(2024, 4, 26)
        with pytest.raises(ValueError):
            merge_events(session, bali, bali)
        with pytest.raises(ValueError):
            move_article(session, seeded["000"], beijing)


def test_a_later_automatic_run_never_joins_a_merged_away_event(engine, seeded, tmp_path):
    with Session(engine) as session:
        bali, beijing = event_of(session, seeded["000"]), event_of(session, seeded["004"])
        merge_events(session, bali, beijing)
        session.commit()
    wapo_again = tmp_path / "wapo-again.txt"
    text = (SEEDS / "004_7071959f35e2adea.txt").read_text(encoding="utf-8")
    wapo_again.write_text(text.replace("Relations have improved", "Ties have improved"))
    report = run.ingest_paths(engine, [wapo_again])
    with Session(engine) as session:
        assert event_of(session, report.added[0].article_id) not in {beijing, None}


def test_realign_keeps_claim_ids_and_refuses_a_missing_event(engine, seeded):
    def mention_claims(session: Session, event_id: int) -> list[tuple[int, int | None]]:
        rows = session.exec(
            select(Mention.id, Mention.claim_id)
            .join(Article, Article.id == Mention.article_id)
            .where(Article.event_id == event_id)
        ).all()
        return sorted(rows)

    with Session(engine) as session:
        bali = event_of(session, seeded["000"])
        before = mention_claims(session, bali)
        realign_event(session, bali)
        session.commit()
        assert mention_claims(session, bali) == before and before
        with pytest.raises(LookupError, match="no event 999999"):
            realign_event(session, 999_999)


def test_an_article_split_off_is_offered_its_old_event_first(engine, seeded):
    with Session(engine) as session:
        bali, beijing = event_of(session, seeded["000"]), event_of(session, seeded["004"])
        alone = split_event(session, bali, [seeded["001"]])
        session.commit()
        assert likely_moves(session, seeded["001"])[0] == bali
        assert alone not in likely_moves(session, seeded["001"])  # its own event is not a move
        assert likely_merges(session, alone)[0] == bali
        assert bali not in likely_merges(session, bali)
        merged = likely_moves(session, seeded["004"])
        assert beijing not in merged and all(
            session.get(Event, i).merged_into_id is None for i in merged
        )


def test_likely_moves_of_a_deleted_article_is_a_lookup_error(engine, seeded):
    with Session(engine) as session, pytest.raises(LookupError):
        likely_moves(session, 999)
