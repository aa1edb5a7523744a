"""app/bench/web.py: the generated store is consistent and the pages serve it; percentiles."""

import random

from sqlmodel import select

from app.bench.web import OUTLETS, generate_store, percentile
from app.models import Article, Event, Mention, Outlet


def test_generated_store_has_consistent_spans_and_serves_pages(settings, session, client):
    counts = generate_store(settings.database_url, 60, random.Random(1))
    assert counts["articles"] == 60 and counts["events"] == 12
    assert len(session.exec(select(Article)).all()) == 60
    for mention in session.exec(select(Mention)).all():
        article = session.get(Article, mention.article_id)
        assert article.clean_text[mention.start : mention.end] == mention.text
    event = session.exec(select(Event)).first()
    assert client.get(f"/events/{event.id}").status_code == 200
    assert client.get("/claims/1", headers={"HX-Request": "true"}).status_code == 200
    assert len(client.get("/api/events?limit=1000").json()["events"]) == 12


def test_rows_added_after_the_generated_store_get_fresh_ids(settings, session):
    generate_store(settings.database_url, 10, random.Random(1))
    outlet = Outlet(name="A new outlet")
    session.add(outlet)
    session.commit()
    assert outlet.id == len(OUTLETS) + 1


def test_percentile_picks_the_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 95) == 95.0
    assert percentile([3.0], 95) == 3.0
