"""Event clustering: seeds with and without dates, date vetoes, keys, locks, descriptions."""

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.evaluation.corpora import ingest_corpus, load_corpus
from app.ingest import events, run
from app.ingest.events import features as event_features
from app.ingest.events import keys as event_keys
from app.ingest.events import storylines
from app.ingest.events.scoring import Profile, Rarity, similarity
from app.models import Article, Event, EventKey, Storyline

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
CORPUS = REPO / "tests" / "data" / "events_corpus"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
BALI, BEIJING = ("000", "001", "002", "003"), ("004",)


def by_prefix(engine) -> dict[str, Article]:
    with Session(engine) as session:
        return {Path(a.source_name).name[:3]: a for a in session.exec(select(Article)).all()}


def grouping(stored: dict[str, Article]) -> list[tuple[str, ...]]:
    groups: dict[int, list[str]] = {}
    for prefix, article in sorted(stored.items()):
        groups.setdefault(article.event_id, []).append(prefix)
    return sorted(tuple(g) for g in groups.values())


def test_seeds_with_manifest_dates_form_the_bali_event_and_a_separate_beijing_event(engine):
    run.ingest_paths(engine, [SEEDS])
    stored = by_prefix(engine)
    assert grouping(stored) == [BALI, BEIJING]
    assert "dates 657 days apart" in stored["004"].event_reason
    joined = [stored[p] for p in BALI[1:]]
    assert all(a.event_score >= events.JOIN_THRESHOLD for a in joined)
    assert all("dates within 1 day" in a.event_reason for a in joined)
    with Session(engine) as session:
        bali = session.get(Event, stored["000"].event_id)
        beijing = session.get(Event, stored["004"].event_id)
        assert (bali.date_start, bali.date_end) == (date(2022, 7, 9), date(2022, 7, 9))
        assert bali.location == "Nusa Dua, Indonesia"
        assert bali.title in {stored[p].title for p in BALI}
        assert (beijing.date_start, beijing.location) == (date(2024, 4, 26), "Beijing")


def test_seeds_without_manifest_still_separate_bali_from_beijing(engine, tmp_path):
    for path in SEED_FILES:
        shutil.copy(path, tmp_path / path.name)
    run.ingest_paths(engine, [tmp_path])
    assert grouping(by_prefix(engine)) == [BALI, BEIJING]


def bare_seed(path: Path, published: datetime | None = None) -> Article:
    text = path.read_text(encoding="utf-8")
    return Article(
        title=text.strip().splitlines()[0],
        raw_text=text,
        clean_text=text,
        content_hash=path.name,
        source_name=path.name,
        published_at=published,
        date_precision="day" if published else None,
    )


def test_seeds_with_no_date_or_dateline_at_all_cluster_on_text_evidence_in_either_order(session):
    for order in (SEED_FILES, SEED_FILES[::-1]):
        session.rollback()
        for path in order:
            article = bare_seed(path)
            session.add(article)
            session.flush()
            events.assign_article(session, article)
        stored = {a.source_name[:3]: a for a in session.exec(select(Article)).all()}
        assert grouping(stored) == [BALI, BEIJING]


def test_same_people_weeks_apart_are_different_events_and_one_storyline(engine):
    run.ingest_paths(engine, [CORPUS / "01.txt", CORPUS / "07.txt", CORPUS / "04.txt"])
    stored = by_prefix(engine)
    ottawa, nato, tokyo = stored["01."], stored["07."], stored["04."]
    assert len({ottawa.event_id, nato.event_id, tokyo.event_id}) == 3
    assert nato.event_reason.startswith("new event") and "days apart" in nato.event_reason
    with Session(engine) as session:
        first, last = session.get(Event, ottawa.event_id), session.get(Event, tokyo.event_id)
        assert first.storyline_id is not None and first.storyline_id == last.storyline_id
        storyline = session.get(Storyline, first.storyline_id)
        assert storyline.title == "Kenji Hayashida and Marianne Leclerc"


def test_same_city_next_day_with_other_people_and_subject_is_another_event(engine):
    run.ingest_paths(engine, [CORPUS / "10.txt", CORPUS / "13.txt"])
    stored = by_prefix(engine)
    assert stored["10."].event_id != stored["13."].event_id
    assert "too little in common" in stored["13."].event_reason


def test_event_keys_hold_canonical_people_counted_per_article(engine):
    run.ingest_paths(engine, [SEEDS])
    bali_id = by_prefix(engine)["000"].event_id
    with Session(engine) as session:
        keys = dict(
            session.exec(
                select(EventKey.key, EventKey.weight).where(EventKey.event_id == bali_id)
            ).all()
        )
    assert keys[events.person_key("Secretary of State Antony Blinken")] == 4
    assert keys["person:wang yi"] == 4  # the WSJ's "Mr. Wang" counts as Wang Yi
    assert "day:2022-07-09" in keys and "dateline:nusa dua" in keys
    assert "person:blinken" not in keys


def test_person_key_drops_titles_and_possessives():
    assert events.person_key("Secretary of State Antony Blinken’s") == "person:antony blinken"
    assert events.person_key("Mr. Wang") == "person:wang"
    assert events.person_key("Joris van Dam") == "person:joris van dam"


def test_locked_article_stays_where_an_admin_put_it(engine):
    run.ingest_paths(engine, [SEEDS])
    stored = by_prefix(engine)
    with Session(engine) as session:
        article = session.get(Article, stored["002"].id)
        article.event_id, article.event_locked = stored["004"].event_id, True
        events.assign_article(session, article)
        assert article.event_id == stored["004"].event_id


def test_reassigning_an_article_keeps_its_event_and_repeats_exactly(engine):
    run.ingest_paths(engine, [SEEDS])
    before = by_prefix(engine)["002"]
    with Session(engine) as session:
        article = session.get(Article, before.id)
        events.assign_article(session, article)
        first = (article.event_id, article.event_score, article.event_reason)
        events.assign_article(session, article)
        assert (article.event_id, article.event_score, article.event_reason) == first
        assert article.event_id == before.event_id
        weight = session.get(EventKey, (article.event_id, "person:antony blinken")).weight
        assert weight == 4


def test_candidates_come_from_date_buckets_and_names_not_from_every_event(session):
    far = Article(
        title="Rotterdam dockworkers strike",
        raw_text="x",
        clean_text="ROTTERDAM - Union leader Joris van Dam called a strike at the port.",
        content_hash="far",
        published_at=datetime(2023, 11, 7, tzinfo=UTC),
        date_precision="day",
    )
    session.add(far)
    session.flush()
    events.assign_article(session, far)
    bali = bare_seed(SEED_FILES[2], datetime(2022, 7, 9, tzinfo=UTC))
    features = events.extract_features(bali)
    assert event_keys.candidate_events(session, features) == []
    same_day = events.extract_features(bare_seed(SEED_FILES[2], datetime(2023, 11, 8, tzinfo=UTC)))
    assert event_keys.candidate_events(session, same_day) == [far.event_id]


def test_reassignment_that_empties_an_event_retires_it_into_the_article_s_new_event(engine):
    run.ingest_paths(engine, [SEEDS])
    reuters_id = by_prefix(engine)["003"].id
    with Session(engine) as session:
        reuters = session.get(Article, reuters_id)
        bali = reuters.event_id
        stray = Event(title="stray")
        session.add(stray)
        session.flush()
        reuters.event_id = stray.id
        events.rebuild_event(session, stray.id)
        events.rebuild_event(session, bali)
        events.assign_article(session, reuters)
        assert reuters.event_id == bali
        assert session.get(Event, stray.id).merged_into_id == bali
        assert not session.exec(select(EventKey).where(EventKey.event_id == stray.id)).all()


def test_storyline_candidates_are_the_events_sharing_most_people_not_the_oldest(
    session, monkeypatch
):
    monkeypatch.setattr(storylines, "MAX_CANDIDATES", 1)
    terms = [f"term:{word}" for word in ("summit", "tariffs", "fentanyl", "taiwan", "export")]

    def event_with_keys(keys: list[str]) -> Event:
        event = Event(title="event")
        session.add(event)
        session.flush()
        session.add_all(EventKey(event_id=event.id, key=key) for key in keys)
        session.flush()
        return event

    older_unrelated = event_with_keys(["person:ann lee", "person:bo chen", "year:2020"])
    earlier_meeting = event_with_keys(
        ["person:ann lee", "person:bo chen", "person:cy diaz", "year:2021", *terms]
    )
    new = event_with_keys(
        ["person:ann lee", "person:bo chen", "person:cy diaz", "year:2024", *terms]
    )
    events.link_storyline(session, new)
    assert older_unrelated.storyline_id is None
    assert new.storyline_id is not None and new.storyline_id == earlier_meeting.storyline_id


ECBPLUS = REPO / "tests" / "data" / "ecbplus"
TOPIC_14 = ("14_10ecb", "14_1ecb", "14_2ecb", "14_10ecbplus", "14_11ecbplus", "14_1ecbplus")


def test_undated_reports_join_on_content_and_their_look_alike_incident_stays_apart(tmp_path):
    # ECB+ topic 14: two fires of one kind years apart; the first three reports carry no date.
    chosen = [a for a in load_corpus(ECBPLUS) if a.id in TOPIC_14]
    ingested = ingest_corpus(chosen, tmp_path)
    with Session(ingested.engine) as session:
        stored = {a.id: a for a in session.exec(select(Article)).all()}
    ingested.engine.dispose()
    placed = {a.id: stored[ingested.article_ids[a.id]] for a in chosen}
    event_of_gold: dict[str, set[int]] = {}
    for article in chosen:
        event_of_gold.setdefault(article.event_id, set()).add(placed[article.id].event_id)
    assert [len(found) for found in event_of_gold.values()] == [1, 1]
    assert len(set.union(*event_of_gold.values())) == 2
    undated_joins = [a for a in placed.values() if a.published_at is None and a.event_score]
    assert any("content" in a.event_reason for a in undated_joins)


def test_content_similarity_is_one_for_the_same_keys_and_zero_without_shared_ones():
    article = events.extract_features(bare_seed(SEED_FILES[0]))
    keys = article.content_keys()
    rarity = Rarity({key: 1 for key in keys}, events=10)
    same = Profile(1, "", dict.fromkeys(keys, 1.0), 1, content_squares=float(len(keys)))
    other = Profile(2, "", {"term:unrelated": 1.0}, 1, content_squares=1.0)
    assert similarity(article, same, rarity) == pytest.approx(1.0)
    assert similarity(article, other, rarity) == 0.0


def event_key_weights(session: Session, event_id: int) -> dict[str, float]:
    rows = session.exec(select(EventKey.key, EventKey.weight).where(EventKey.event_id == event_id))
    return dict(rows.all())


def test_rebuilding_an_event_reuses_its_articles_text_analyses_and_keys_match_a_fresh_one(engine):
    run.ingest_paths(engine, [SEEDS])
    bali = by_prefix(engine)["000"].event_id
    analyses = event_features._text_features
    with Session(engine) as session:
        articles = session.exec(select(Article).where(Article.event_id == bali)).all()
        kept = [events.extract_features(a) for a in articles]
        assigned = event_key_weights(session, bali)
        parsed_before = analyses.cache_info().misses
        events.rebuild_event(session, bali)
        assert analyses.cache_info().misses == parsed_before
        assert event_key_weights(session, bali) == assigned
        analyses.cache_clear()
        events.rebuild_event(session, bali)
        assert analyses.cache_info().misses == len(articles) == 4
        assert event_key_weights(session, bali) == assigned
        assert [events.extract_features(a) for a in articles] == kept


def test_an_edited_article_is_analysed_afresh(session):
    article = bare_seed(SEED_FILES[2], datetime(2022, 7, 9, tzinfo=UTC))
    before = events.extract_features(article)
    article.title = "Port strike in Rotterdam"
    article.published_at = datetime(2022, 7, 10, tzinfo=UTC)
    edited = events.extract_features(article)
    event_features._text_features.cache_clear()
    assert edited == events.extract_features(article) != before
    assert edited.title == article.title and edited.day == date(2022, 7, 10)
