"""Events' text profiles: TF-IDF vectors, bounded profiles kept through join, leave and delete."""

import math
from pathlib import Path

from sqlmodel import Session, select

from app.corrections.articles import delete_article
from app.ingest import run
from app.ingest.events import extract_features, rebuild_event, texts
from app.models import Article, EventTerm, TermCount

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_an_article_vector_is_unit_length_and_weighs_rare_words_over_common_ones(engine):
    run.ingest_paths(engine, [SEEDS])
    with Session(engine) as session:
        article = session.exec(select(Article).order_by(Article.id)).first()
        vector = texts.article_vector(session, extract_features(article))
        counts = dict(session.exec(select(TermCount.term, TermCount.articles)).all())
    assert math.isclose(sum(w * w for w in vector.values()), 1.0)
    assert len(vector) <= texts.VECTOR_TERMS
    common = max((t for t in vector), key=lambda t: counts[t])
    rare = min((t for t in vector), key=lambda t: counts[t])
    assert counts[common] > counts[rare]


def test_every_stored_article_counts_once_in_the_document_frequencies(engine):
    run.ingest_paths(engine, [SEEDS])
    with Session(engine) as session:
        articles = session.exec(select(Article)).all()
        holding = sum(any(w == "blinken" for w, _ in extract_features(a).words) for a in articles)
        assert session.get(TermCount, "blinken").articles == holding > 1


def document_frequencies(session: Session) -> dict[str, int]:
    """How many placed articles use each word, counted from the articles themselves."""
    counts: dict[str, int] = {}
    for article in session.exec(select(Article).where(Article.event_id.is_not(None))).all():
        for word in {w for w, _ in extract_features(article).words}:
            counts[word] = counts.get(word, 0) + 1
    return counts


def test_deleted_articles_leave_the_document_frequencies_of_the_rest_and_no_zero_rows(engine):
    run.ingest_paths(engine, [SEEDS])
    with Session(engine) as session:
        for article in session.exec(select(Article).order_by(Article.id).limit(3)).all():
            delete_article(session, article.id)
        session.commit()
        stored = dict(session.exec(select(TermCount.term, TermCount.articles)).all())
        assert stored == document_frequencies(session)
    run.ingest_paths(engine, [SEEDS])  # the deleted texts come back
    with Session(engine) as session:
        stored = dict(session.exec(select(TermCount.term, TermCount.articles)).all())
        assert stored == document_frequencies(session)


def test_event_profiles_stay_bounded_and_follow_their_articles(engine):
    run.ingest_paths(engine, [SEEDS])
    with Session(engine) as session:
        rows = session.exec(select(EventTerm.event_id, EventTerm.term)).all()
        per_event: dict[int, set[str]] = {}
        for event_id, term in rows:
            per_event.setdefault(event_id, set()).add(term)
        assert all(len(terms) <= texts.PROFILE_TERMS for terms in per_event.values())
        event_id = max(per_event, key=lambda i: len(per_event[i]))
        articles = session.exec(select(Article).where(Article.event_id == event_id)).all()
        rebuild_event(session, event_id)
        vectors = [texts.article_vector(session, extract_features(a)) for a in articles]
        summed = {t: sum(v.get(t, 0.0) for v in vectors) for v in vectors for t in v}
        rebuilt = texts.load_text_profile(session, event_id)
        assert len(rebuilt) == min(len(summed), texts.PROFILE_TERMS)
        assert all(math.isclose(rebuilt[t], summed[t]) for t in rebuilt)
        counts_before = {t.term: t.articles for t in session.exec(select(TermCount)).all()}
        gone = articles[0]
        words = {w for w, _ in extract_features(gone).words}
        delete_article(session, gone.id)
        after = {t.term: t.articles for t in session.exec(select(TermCount)).all()}
        assert all(after.get(w, 0) == counts_before[w] - 1 for w in words)
        remaining = session.exec(select(Article).where(Article.event_id == event_id)).all()
        vectors = [texts.article_vector(session, extract_features(a)) for a in remaining]
        profile = texts.load_text_profile(session, event_id)
        assert set(profile) <= {t for v in vectors for t in v}


def test_an_article_is_most_similar_to_its_own_event_and_unlike_an_event_of_other_words(engine):
    run.ingest_paths(engine, [SEEDS])
    with Session(engine) as session:
        articles = session.exec(select(Article).order_by(Article.id)).all()
        article = articles[0]
        vector = texts.article_vector(session, extract_features(article))
        event_ids = {a.event_id for a in articles}
        cosines = texts.text_similarities(session, vector, event_ids)
        assert max(cosines, key=cosines.get) == article.event_id
        assert 0.0 < cosines[article.event_id] <= 1.0
        assert texts.text_similarities(session, {"zzyzx": 1.0}, event_ids) == dict.fromkeys(
            event_ids, 0.0
        )
