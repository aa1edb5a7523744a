"""Pages and API over the five real seeds ingested by the real pipeline (not hand-made rows)."""

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.db import make_engine
from app.ingest.run import ingest_paths
from app.settings import Settings
from app.web import create_app

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
BALI_OUTLETS = ["NPR", "Reuters", "The Guardian", "The Wall Street Journal"]


@pytest.fixture(scope="module")
def seeded(module_database):
    database_url = module_database
    engine = make_engine(database_url)
    report = ingest_paths(engine, [SEEDS])
    engine.dispose()
    assert len(report.added) == 5
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        yield client


def bali(client):
    events = client.get("/api/events").json()["events"]
    return next(event for event in events if event["outlets"] == BALI_OUTLETS)


def test_timeline_shows_both_events_of_the_storyline(seeded):
    events = seeded.get("/api/events").json()["events"]
    assert [event["date"] for event in events] == ["2024-04-26", "2022-07-09"]
    assert events[0]["outlets"] == ["The Washington Post"]
    assert bali(seeded)["article_count"] == 4
    html = seeded.get("/").text
    assert html.count('class="event-card"') == 2


def test_every_claim_and_article_of_the_bali_event_renders(seeded):
    event = seeded.get(f"/api/events/{bali(seeded)['id']}").json()
    assert len(event["articles"]) == 4 and event["claims"]
    grid = seeded.get(event["url"])
    assert grid.status_code == 200 and "claim-grid" in grid.text
    for claim in event["claims"]:
        assert seeded.get(claim["url"]).status_code == 200
        assert seeded.get(claim["url"], headers={"HX-Request": "true"}).status_code == 200
        body = seeded.get(f"/api/claims/{claim['id']}").json()
        reported = {mention["outlet"] for mention in body["mentions"]}
        assert reported.isdisjoint(body["missing_outlets"])
        assert reported | set(body["missing_outlets"]) == set(BALI_OUTLETS)
    for article in event["articles"]:
        page = seeded.get(article["url"])
        assert page.status_code == 200 and 'class="claim-mark' in page.text


def test_a_quote_all_four_outlets_reported_compares_their_exact_sentences(seeded):
    event = seeded.get(f"/api/events/{bali(seeded)['id']}").json()
    widest = max(event["claims"], key=lambda claim: len(claim["outlets"]))
    body = seeded.get(f"/api/claims/{widest['id']}").json()
    assert len(body["mentions"]) + len(body["missing_outlets"]) >= 4
    for mention in body["mentions"]:
        article = seeded.get(f"/api/articles/{mention['article_id']}").json()
        assert mention["text"] in article["text"]


def test_search_finds_the_alignment_quote_and_its_articles(seeded):
    body = seeded.get("/api/search?q=alignment").json()
    assert any("alignment" in claim["text"] for claim in body["claims"])
    assert len({article["outlet"] for article in body["articles"]}) >= 3


def test_search_finds_a_claim_by_another_outlets_wording(seeded):
    body = seeded.get("/api/search?q=Sinophobia").json()
    assert body["claims"], "Reuters' sentence quoting Wang on ‘Sinophobia’ belongs to a claim"
    assert all(claim["url"].startswith("/claims/") for claim in body["claims"])
    assert "Reuters" in {claim["outlet"] for claim in body["claims"]}
    html = seeded.get("/search?q=Sinophobia").text
    assert "<mark>Sinophobia</mark>" in html and "as Reuters put it" in html


def test_permalinks_keep_resolving_after_new_ingests(new_database):
    database_url = new_database()
    engine = make_engine(database_url)
    seeds = sorted(SEEDS.glob("00*.txt"))
    ingest_paths(engine, seeds[:2])
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        event = client.get("/api/events").json()["events"][0]
        before = [
            claim["url"] for claim in client.get(f"/api/events/{event['id']}").json()["claims"]
        ]
        assert before
        ingest_paths(engine, seeds[2:])
        for url in before:
            response = client.get(url)
            assert response.status_code in (200, 410), url
            if response.status_code == 200:
                assert 'class="comparison"' in response.text
    engine.dispose()


def test_comparison_says_why_each_phrasing_was_aligned(seeded):
    event = seeded.get(f"/api/events/{bali(seeded)['id']}").json()
    shared = next(claim for claim in event["claims"] if len(claim["outlets"]) == 4)
    claim = seeded.get(shared["url"].replace("/claims/", "/api/claims/")).json()
    joined = [m for m in claim["mentions"] if m["align_score"] is not None]
    assert joined and all(m["align_reason"] for m in joined)
    assert all(m["match_reasons"] for m in joined)
    html = seeded.get(shared["url"]).text
    assert "<summary>Why this was matched</summary>" in html
    assert "Parallax put this sentence with the others because it " in html


def test_storyline_page_orders_its_events_and_answers_as_json(seeded):
    html = seeded.get(f"/events/{bali(seeded)['id']}").text
    link = re.search(r'<a href="(/storylines/\d+)">Same storyline</a>', html).group(1)
    page = seeded.get(link)
    assert page.status_code == 200 and "Claims that recur across these events" in page.text
    body = seeded.get("/api" + link).json()
    assert [event["date"] for event in body["events"]] == ["2022-07-09", "2024-04-26"]
    assert body["url"] == link and "recurring_claims" in body


def test_a_one_outlet_event_says_so_instead_of_a_grid(seeded):
    events = seeded.get("/api/events").json()["events"]
    post = next(event for event in events if event["outlets"] == ["The Washington Post"])
    html = seeded.get(post["url"]).text
    assert "Only The Washington Post covered this so far" in html
    assert "claim-grid" not in html


def test_the_lead_claim_follows_the_person_filter(seeded):
    events = seeded.get("/api/events?person=Wang+Yi").json()["events"]
    lead = next(event for event in events if event["outlets"] == BALI_OUTLETS)["lead_claim"]
    assert lead["speaker"] == "Wang Yi"
