"""Candidate events' profiles: the keys scored in full that a process keeps between articles are
the ones the store holds, until another write changes the event."""

import random

import pytest
from sqlmodel import Session, select

from app.bench.ingest import Story, _cast, _day, article, seed_sentences
from app.db import make_engine
from app.ingest.events import extract_features
from app.ingest.events.keys import load_profiles
from app.ingest.parse import RawArticle
from app.ingest.run import ingest_items
from app.models import Article


@pytest.fixture
def stories() -> list[list[RawArticle]]:
    """Two stories of several outlets' reports each."""
    rng = random.Random(3)
    sentences = seed_sentences()
    told = []
    for name in ("a", "b"):
        story = Story(_cast(rng), _day(rng))
        told.append(
            [RawArticle(f"{name}{n}.txt", article(sentences, rng, story)) for n in range(4)]
        )
    return told


def profiles(url: str, engine=None) -> list:
    """Every event's profile as scoring the latest article against it reads it (a new engine:
    read from the store)."""
    reader = engine or make_engine(url)
    with Session(reader) as session:
        latest = session.exec(select(Article).order_by(Article.id.desc())).first()
        event_ids = sorted(set(session.exec(select(Article.event_id)).all()))
        read = load_profiles(session, event_ids, extract_features(latest))
    if engine is None:
        reader.dispose()
    return read


def test_profiles_kept_between_articles_are_the_stores_until_another_write_changes_them(
    new_database, stories
):
    url = new_database()
    engine = make_engine(url)
    ingest_items(engine, [*stories[0][:3], *stories[1][:3]])
    from_store = profiles(url)
    assert len(from_store) == 2 and all(p.weights for p in from_store)
    assert profiles(url, engine) == from_store  # kept while the ingest scored them
    other_process = make_engine(url)
    ingest_items(other_process, stories[0][3:])  # grows the first story
    other_process.dispose()
    grown = profiles(url)
    assert grown != from_store
    assert profiles(url, engine) == grown
    ingest_items(engine, stories[1][3:])
    assert profiles(url, engine) == profiles(url)
    engine.dispose()
