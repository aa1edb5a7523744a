"""app/corrections/articles.py: metadata edits and article deletion on the ingested seeds."""

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.corrections.articles import ArticleEdit, delete_article, edit_article, outlet_name
from app.ingest.run import ingest_paths
from app.models import Article, ArticleShingle, Claim, Event, EventKey, Mention, Outlet

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture
def seeded(engine):
    report = ingest_paths(engine, [SEEDS_DIR])
    assert len(report.added) == 5
    return {Path(item.source).name[:3]: item.article_id for item in report.added}


def mention_counts(session: Session) -> Counter:
    return Counter(session.exec(select(Mention.claim_id)).all())


def test_edit_changes_only_what_differs_and_creates_the_outlet(engine, seeded):
    with Session(engine) as session:
        article = session.get(Article, seeded["001"])
        edit = ArticleEdit(
            outlet="The Observer",
            title=article.title,
            published_at=date(2022, 7, 10),
            url="https://example.org/guardian",
            dateline=article.dateline,
        )
        changes = edit_article(session, article.id, edit)
        session.commit()
        assert set(changes) == {"outlet", "published_at", "url"}
        assert changes["outlet"] == ["The Guardian", "The Observer"]
        assert changes["published_at"] == [date(2022, 7, 9), date(2022, 7, 10)]
        assert session.get(Outlet, article.outlet_id).name == "The Observer"
        assert (article.published_at.date(), article.date_precision) == (date(2022, 7, 10), "day")
        assert edit_article(session, article.id, edit) == {}


def test_edit_settles_the_attention_reasons_it_answers(engine, seeded):
    with Session(engine) as session:
        article = session.get(Article, seeded["000"])
        article.outlet_id, article.published_at = None, None
        article.needs_attention = True
        article.attention_reasons = "unknown outlet, unknown date, unknown title"
        session.commit()
        edit_article(session, article.id, ArticleEdit("WSJ", article.title, None, None, None))
        assert article.attention_reasons == "unknown date, unknown title"
        assert article.needs_attention
        edit_article(
            session, article.id, ArticleEdit("WSJ", "A title", date(2022, 7, 9), None, None)
        )
        assert article.attention_reasons == "unknown title"


def test_editing_a_missing_article_raises(engine):
    with Session(engine) as session, pytest.raises(LookupError):
        edit_article(session, 999, ArticleEdit(None, None, None, None, None))


def test_delete_removes_mentions_and_marks_orphaned_claims_removed(engine, seeded):
    wsj = seeded["000"]
    with Session(engine) as session:
        before = mention_counts(session)
        own = {c for c in session.exec(select(Mention.claim_id).where(Mention.article_id == wsj))}
        only_wsj = {claim for claim in own if before[claim] == 1}
        shared = own - only_wsj
        assert only_wsj and shared
        result = delete_article(session, wsj)
        session.commit()

        assert session.get(Article, wsj) is None
        assert session.exec(select(Mention).where(Mention.article_id == wsj)).all() == []
        assert (
            session.exec(select(ArticleShingle).where(ArticleShingle.article_id == wsj)).all() == []
        )
        assert set(result["removed_claims"]) >= only_wsj
        for claim_id in only_wsj:
            claim = session.get(Claim, claim_id)
            assert claim is not None and claim.removed_at is not None
        still_live = [session.get(Claim, c) for c in shared]
        assert any(claim.removed_at is None for claim in still_live)
        assert result["event_id"] == session.get(Article, seeded["002"]).event_id
        assert result["event_removed"] is False


def test_deleting_a_missing_article_raises(engine):
    with Session(engine) as session, pytest.raises(LookupError):
        delete_article(session, 999)


def test_an_imprecise_date_survives_an_edit_that_gives_no_day(engine, seeded):
    with Session(engine) as session:
        article = session.get(Article, seeded["000"])
        article.date_precision = "year"
        session.commit()
        kept = edit_article(
            session, article.id, ArticleEdit("WSJ", article.title, None, None, None)
        )
        assert "published_at" not in kept
        assert article.published_at is not None and article.date_precision == "year"
        given = edit_article(
            session, article.id, ArticleEdit("WSJ", article.title, date(2022, 7, 9), None, None)
        )
        assert given["published_at"][1] == date(2022, 7, 9)
        assert article.date_precision == "day"


def test_deleting_an_events_last_article_removes_the_event_but_not_its_claims(engine, seeded):
    beijing = seeded["004"]
    with Session(engine) as session:
        event_id = session.get(Article, beijing).event_id
        claim_ids = session.exec(select(Claim.id).where(Claim.event_id == event_id)).all()
        assert claim_ids
        result = delete_article(session, beijing)
        session.commit()
        assert result["event_removed"] is True
        assert session.get(Event, event_id) is None
        assert session.exec(select(EventKey).where(EventKey.event_id == event_id)).all() == []
        for claim_id in claim_ids:
            claim = session.get(Claim, claim_id)
            assert claim.event_id is None and claim.removed_at is not None


def test_the_events_merged_into_an_emptied_event_go_with_it(engine, seeded):
    with Session(engine) as session:
        bali = session.get(Article, seeded["000"]).event_id
        beijing = session.get(Article, seeded["004"]).event_id
        absorbed = Event(title="an earlier duplicate event", merged_into_id=beijing)
        session.add(absorbed)
        session.commit()
        absorbed_id = absorbed.id
        assert delete_article(session, seeded["004"])["event_removed"]
        session.commit()
        assert session.get(Event, absorbed_id) is None
        assert session.get(Event, bali) is not None


def test_a_given_date_and_url_settle_imprecise_unreadable_and_dropped_reasons(engine, seeded):
    with Session(engine) as session:
        article = session.get(Article, seeded["000"])
        article.needs_attention = True
        article.attention_reasons = (
            "date imprecise, unreadable stated date '2022-13', "
            "source URL dropped: 'javascript:x' is not http(s)"
        )
        session.commit()
        edit = ArticleEdit(
            None, article.title, date(2022, 7, 9), "https://example.org/wsj", article.dateline
        )
        edit_article(session, article.id, edit)
        assert (article.attention_reasons, article.needs_attention) == ("", False)


def event_keys(session: Session, event_id: int) -> set[str]:
    return set(session.exec(select(EventKey.key).where(EventKey.event_id == event_id)).all())


def test_an_edited_date_and_title_rebuild_the_events_keys_and_description(engine, seeded):
    with Session(engine) as session:
        article = session.get(Article, seeded["004"])  # alone in its event
        event_id = article.event_id
        assert "day:2024-04-26" in event_keys(session, event_id)
        outlet = outlet_name(session, article)
        edit = ArticleEdit(
            outlet, "Corrected headline", date(2022, 8, 15), article.url, article.dateline
        )
        edit_article(session, article.id, edit)
        session.commit()
        keys = event_keys(session, event_id)
        assert {"day:2022-08-15", "month:2022-08"} <= keys
        assert not {"day:2024-04-26", "month:2024-04"} & keys
        event = session.get(Event, event_id)
        assert (event.title, event.date_start) == ("Corrected headline", date(2022, 8, 15))


def not_reported_flags(session: Session, event_id: int) -> dict[int, str]:
    claims = session.exec(
        select(Claim).where(Claim.event_id == event_id, Claim.removed_at.is_(None))
    ).all()
    return {
        claim.id: flag["detail"]
        for claim in claims
        for flag in json.loads(claim.flags)
        if flag["kind"] == "not_reported_by"
    }


def test_an_outlet_change_relabels_the_not_reported_flags_of_the_events_claims(engine, seeded):
    with Session(engine) as session:
        guardian = session.get(Article, seeded["001"])
        event_id = guardian.event_id
        before = not_reported_flags(session, event_id)
        assert any("The Guardian" in detail for detail in before.values())
        edit = ArticleEdit(
            "The Observer", guardian.title, date(2022, 7, 9), guardian.url, guardian.dateline
        )
        edit_article(session, guardian.id, edit)
        session.commit()
        after = not_reported_flags(session, event_id)
        assert set(after) == set(before)
        for claim_id, detail in before.items():
            assert "The Guardian" not in after[claim_id]
            assert ("The Guardian" in detail) == ("The Observer" in after[claim_id])


def test_an_edited_dateline_moves_the_events_place_and_keys(engine, seeded):
    with Session(engine) as session:
        article = session.get(Article, seeded["004"])  # alone in its event
        event_id, stated = article.event_id, article.dateline
        edit = ArticleEdit(
            outlet_name(session, article),
            article.title,
            article.published_day,
            article.url,
            "SHANGHAI, China",
        )
        changes = edit_article(session, article.id, edit)
        session.commit()
        assert changes["dateline"] == [stated, "SHANGHAI, China"]
        assert "dateline:shanghai" in event_keys(session, event_id)
        assert session.get(Event, event_id).location == "Shanghai, China"
